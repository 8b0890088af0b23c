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
 * Called once per array element, in order.  label is not NUL-terminated and
 * may contain any byte json-c decoded; at is a NUL-terminated time text, or
 * NULL when "at" is absent or null.  index is 1-based.  Return false to stop.
 */
typedef bool (*CxPathJsonStepFn) (void *arg, size_t index, const char *label,
								  size_t label_len, const char *at);

/*
 * Read len bytes of JSON text, followed by a NUL (text[len] == '\0').  Returns 0 when every element was given to
 * step, 1 when the text is not JSON of the expected shape (a message is
 * written to error, at most error_size bytes), 2 when step stopped, 3 when
 * out of memory.
 */
extern int	cx_path_json_parse(const char *text, size_t len, CxPathJsonStepFn step,
							   void *arg, char *error, size_t error_size);

/*
 * Write n steps as JSON: labels[i] of lengths[i] bytes, and times[i] as a
 * JSON string (times NULL for a path without times).  Returns a malloc'd
 * string the caller frees, or NULL when out of memory.
 */
extern char *cx_path_json_build(size_t n, const char *const *labels,
								const uint8_t *lengths,
								const char *const *times);

#endif							/* CX_PATH_JSON_H */
