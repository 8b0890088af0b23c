/*
 * path_json.h
 *		milestone_path to and from JSON through libjson-c, kept apart from the
 *		backend headers (PostgreSQL declares its own json_object()).
 *
 * The JSON form is an array of objects {"label": text, "at": time}; "at"
 * is absent or null in a path without times.
 */
#ifndef CX_PATH_JSON_H
#define CX_PATH_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Deepest nesting the reader accepts (the shape needs 2). */
#define CX_PATH_JSON_DEPTH 8

/*
 * A parsed JSON document (json-c's tree), opaque to the callers.  It holds
 * malloc'd memory that only cx_path_json_free releases: a backend caller
 * must free it on every path out, errors included (PG_TRY/PG_FINALLY).
 */
typedef struct CxPathJson CxPathJson;

/*
 * Parse len bytes of JSON text, followed by a NUL (text[len] == '\0'), and
 * check that it is an array.  Returns 0 with *doc set (to free with
 * cx_path_json_free) and *nsteps the array's length; 1 when the text is not
 * JSON or not an array (a message is written to error, at most error_size
 * bytes, and *doc is NULL); 3 when out of memory (*doc is NULL).
 */
extern int	cx_path_json_open(const char *text, size_t len, CxPathJson **doc,
							  size_t *nsteps, char *error, size_t error_size);

/*
 * Check the shape of element i (0-based) of an open document and give its
 * label and time: label is not NUL-terminated and may contain any byte
 * json-c decoded; at is a NUL-terminated time text, or NULL when "at" is
 * absent or null.  Both point into the document (valid until it is freed).
 * Returns 0, or 1 with a message in error (elements are numbered from 1).
 */
extern int	cx_path_json_step(const CxPathJson *doc, size_t i, const char **label,
							  size_t *label_len, const char **at,
							  char *error, size_t error_size);

/* Release a document (NULL is allowed). */
extern void cx_path_json_free(CxPathJson *doc);

/*
 * Write n steps as JSON: labels[i] of lengths[i] bytes, and times[i] as a
 * JSON string (times NULL for a path without times).  Returns a malloc'd
 * string the caller frees, or NULL when out of memory.
 */
extern char *cx_path_json_build(size_t n, const char *const *labels,
								const uint8_t *lengths,
								const char *const *times);

#endif							/* CX_PATH_JSON_H */
