/*
 * path_json.c
 *		milestone_path to and from JSON through libjson-c (no backend headers
 *		here, so the reader can be fuzzed on its own).
 */
#include "path_json.h"
#include "json_build.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

/* The document is json-c's root value itself. */
struct CxPathJson
{
	json_object *root;
};

/* The value of the 4 hex digits at p, or -1 when they are not hex. */
static long
path_json_hex4(const char *p)
{
	long		value = 0;
	int			i;

	for (i = 0; i < 4; i++)
	{
		char		c = p[i];
		int			digit;

		if (c >= '0' && c <= '9')
			digit = c - '0';
		else if (c >= 'a' && c <= 'f')
			digit = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			digit = c - 'A' + 10;
		else
			return -1;
		value = value * 16 + digit;
	}
	return value;
}

/*
 * The 1-based byte position of a \u escape that is half of a UTF-16
 * surrogate pair without its other half, or 0.  json-c turns such an escape
 * into U+FFFD silently; PostgreSQL's JSON functions refuse it, so do we.
 */
static size_t
path_json_lone_surrogate(const char *text, size_t len)
{
	bool		in_string = false;
	size_t		i;

	for (i = 0; i < len; i++)
	{
		long		unit;

		if (text[i] == '"')
			in_string = !in_string;
		if (!in_string || text[i] != '\\')
			continue;
		/* an escape: skip the escaped character unless it is \uXXXX */
		if (i + 1 >= len)
			return 0;
		if (text[i + 1] != 'u' || i + 6 > len)
		{
			i++;
			continue;
		}
		unit = path_json_hex4(text + i + 2);
		if (unit >= 0xDC00 && unit <= 0xDFFF)
			return i + 1;		/* a low half with no high half before it */
		if (unit >= 0xD800 && unit <= 0xDBFF)
		{
			long		low = -1;

			if (i + 12 <= len && text[i + 6] == '\\' && text[i + 7] == 'u')
				low = path_json_hex4(text + i + 8);
			if (low < 0xDC00 || low > 0xDFFF)
				return i + 1;
			i += 11;			/* the pair */
			continue;
		}
		i += 5;
	}
	return 0;
}

int
cx_path_json_open(const char *text, size_t len, CxPathJson **doc,
				  size_t *nsteps, char *error, size_t error_size)
{
	struct json_tokener *tokener;
	json_object *root;
	enum json_tokener_error jerr;
	size_t		i;

	*doc = NULL;
	*nsteps = 0;
	if (len > (size_t) INT32_MAX)
	{
		snprintf(error, error_size, "The JSON text is too long");
		return 1;
	}
	i = path_json_lone_surrogate(text, len);
	if (i > 0)
	{
		snprintf(error, error_size,
				 "JSON error at byte %zu: a \\u escape is half of a UTF-16 surrogate pair", i);
		return 1;
	}
	tokener = json_tokener_new_ex(CX_PATH_JSON_DEPTH);
	if (tokener == NULL)
		return 3;
	/* the terminating NUL too: it ends a top-level number or literal */
	root = json_tokener_parse_ex(tokener, text, (int) len + 1);
	jerr = json_tokener_get_error(tokener);
	if (jerr != json_tokener_success)
	{
		/* json_tokener_continue: the text ended inside a value */
		snprintf(error, error_size, "JSON error at byte %zu: %s",
				 json_tokener_get_parse_end(tokener) + 1,
				 jerr == json_tokener_continue ? "unexpected end of the text" :
				 json_tokener_error_desc(jerr));
		json_object_put(root);
		json_tokener_free(tokener);
		return 1;
	}
	/* anything but white space after the value is an error */
	for (i = json_tokener_get_parse_end(tokener); i < len; i++)
	{
		if (text[i] != ' ' && text[i] != '\t' && text[i] != '\n' && text[i] != '\r')
		{
			snprintf(error, error_size, "Unexpected text after the JSON value at byte %zu",
					 i + 1);
			json_object_put(root);
			json_tokener_free(tokener);
			return 1;
		}
	}
	json_tokener_free(tokener);

	if (root == NULL || !json_object_is_type(root, json_type_array))
	{
		snprintf(error, error_size, "The JSON value is not an array");
		json_object_put(root);
		return 1;
	}
	*doc = malloc(sizeof(CxPathJson));
	if (*doc == NULL)
	{
		json_object_put(root);
		return 3;
	}
	(*doc)->root = root;
	*nsteps = json_object_array_length(root);
	return 0;
}

int
cx_path_json_step(const CxPathJson *doc, size_t i, const char **label_text,
				  size_t *label_len, const char **at_text,
				  char *error, size_t error_size)
{
	json_object *element = json_object_array_get_idx(doc->root, i);
	json_object *label = NULL;
	json_object *at = NULL;
	size_t		index = i + 1;

	*label_text = NULL;
	*label_len = 0;
	*at_text = NULL;
	if (!json_object_is_type(element, json_type_object))
	{
		snprintf(error, error_size, "Element %zu is not an object", index);
		return 1;
	}
	{
		json_object_object_foreach(element, key, value)
		{
			if (strcmp(key, "label") == 0)
				label = value;
			else if (strcmp(key, "at") == 0)
				at = value;
			else
			{
				snprintf(error, error_size,
						 "Element %zu has an unexpected key \"%.40s\" (only \"label\" and \"at\" are allowed)",
						 index, key);
				return 1;
			}
		}
	}
	if (label == NULL)
	{
		snprintf(error, error_size, "Element %zu has no \"label\"", index);
		return 1;
	}
	if (!json_object_is_type(label, json_type_string))
	{
		snprintf(error, error_size, "The \"label\" of element %zu is not a string",
				 index);
		return 1;
	}
	if (at != NULL && !json_object_is_type(at, json_type_null))
	{
		if (!json_object_is_type(at, json_type_string))
		{
			snprintf(error, error_size,
					 "The \"at\" of element %zu is neither a string nor null", index);
			return 1;
		}
		*at_text = json_object_get_string(at);
	}
	*label_text = json_object_get_string(label);
	*label_len = (size_t) json_object_get_string_len(label);
	return 0;
}

void
cx_path_json_free(CxPathJson *doc)
{
	if (doc == NULL)
		return;
	json_object_put(doc->root);
	free(doc);
}

char *
cx_path_json_build(size_t n, const char *const *labels, const uint8_t *lengths,
				   const char *const *times)
{
	json_object *array = json_object_new_array_ext((int) (n < 1024 ? n : 1024));
	size_t		i;

	if (array == NULL)
		return NULL;
	for (i = 0; i < n; i++)
	{
		json_object *obj = json_object_new_object();

		/* out of memory anywhere: no JSON at all, rather than a wrong one */
		if (obj == NULL ||
			!cx_json_add(obj, "label",
						   json_object_new_string_len(labels[i], lengths[i])) ||
			(times != NULL &&
			 !cx_json_add(obj, "at", json_object_new_string(times[i]))) ||
			json_object_array_add(array, obj) != 0)
		{
			json_object_put(obj);
			json_object_put(array);
			return NULL;
		}
	}
	return cx_json_finish(array);
}
