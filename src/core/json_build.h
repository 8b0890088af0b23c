/*
 * json_build.h
 *		JSON output through libjson-c, kept apart from the backend headers
 *		(PostgreSQL declares its own json_object()).
 */
#ifndef CX_JSON_BUILD_H
#define CX_JSON_BUILD_H

#include <stdbool.h>
#include <stdint.h>

struct json_object;

/* Add key: value to obj; false (value released) when out of memory. */
extern bool cx_json_add(struct json_object *obj, const char *key,
						struct json_object *value);

/*
 * Serialize a JSON value compactly (no escaped slashes) into a malloc'd
 * string the caller frees, and release the value.  NULL when out of memory.
 */
extern char *cx_json_finish(struct json_object *value);

/*
 * The funnel report as a JSON array of objects
 * {"step", "label", "customers", "pct_of_first", "pct_of_previous"}.
 * Percentages are given as decimal text (NULL for JSON null) and written
 * as JSON numbers with exactly that text.  Returns a malloc'd string the
 * caller frees, or NULL when out of memory.
 */
extern char *cx_funnel_json_build(int n, const char *const *labels,
								  const int64_t *customers,
								  const char *const *pct_first,
								  const char *const *pct_previous);

#endif							/* CX_JSON_BUILD_H */
