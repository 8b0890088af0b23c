/*
 * json_build.c
 *		JSON output through libjson-c (no backend headers here).
 */
#include "json_build.h"

#include <stdlib.h>
#include <string.h>

#include <json.h>

static json_object *
json_decimal(const char *text)
{
	if (text == NULL)
		return NULL;
	return json_object_new_double_s(strtod(text, NULL), text);
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

		if (obj == NULL)
		{
			json_object_put(array);
			return NULL;
		}
		json_object_object_add(obj, "step", json_object_new_int(k + 1));
		json_object_object_add(obj, "label", json_object_new_string(labels[k]));
		json_object_object_add(obj, "customers", json_object_new_int64(customers[k]));
		json_object_object_add(obj, "pct_of_first", json_decimal(pct_first[k]));
		json_object_object_add(obj, "pct_of_previous", json_decimal(pct_previous[k]));
		json_object_array_add(array, obj);
	}
	return cx_json_finish(array);
}
