/*
 * json_build.c
 *		JSON output through libjson-c (no backend headers here).
 */
#include "json_build.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

bool
cx_json_add(json_object *obj, const char *key, json_object *value)
{
	if (value == NULL)
		return false;
	if (json_object_object_add(obj, key, value) != 0)
	{
		json_object_put(value);
		return false;
	}
	return true;
}

/* Add a number written with exactly text (JSON null for NULL text). */
static bool
json_add_decimal(json_object *obj, const char *key, const char *text)
{
	if (text == NULL)
		return json_object_object_add(obj, key, NULL) == 0;
	return cx_json_add(obj, key, json_object_new_double_s(strtod(text, NULL), text));
}

char *
cx_json_finish(json_object *value)
{
	const char *serialized;
	char	   *result;

	serialized = json_object_to_json_string_ext(value,
												JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	result = serialized ? strdup(serialized) : NULL;
	json_object_put(value);
	return result;
}

char *
cx_funnel_json_build(int n, const char *const *labels, const int64_t *customers,
					 const char *const *pct_first, const char *const *pct_previous)
{
	json_object *array = json_object_new_array();
	int			k;

	if (array == NULL)
		return NULL;
	for (k = 0; k < n; k++)
	{
		json_object *obj = json_object_new_object();

		/* out of memory anywhere: no JSON at all, rather than a wrong one */
		if (obj == NULL ||
			!cx_json_add(obj, "step", json_object_new_int(k + 1)) ||
			!cx_json_add(obj, "label", json_object_new_string(labels[k])) ||
			!cx_json_add(obj, "customers", json_object_new_int64(customers[k])) ||
			!json_add_decimal(obj, "pct_of_first", pct_first[k]) ||
			!json_add_decimal(obj, "pct_of_previous", pct_previous[k]) ||
			json_object_array_add(array, obj) != 0)
		{
			json_object_put(obj);
			json_object_put(array);
			return NULL;
		}
	}
	return cx_json_finish(array);
}
