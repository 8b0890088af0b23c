/*
 * path_parse.c
 *		Backend-independent reading and writing of milestone_path literals
 *		(grammar in path_parse.h).
 */
#include "path_parse.h"
#include "text_util.h"

#include <string.h>

static bool
is_arrow(const char *text, size_t len, size_t pos)
{
	return pos + 1 < len && text[pos] == '-' && text[pos + 1] == '>';
}

static size_t
skip_space(const char *text, size_t len, size_t pos)
{
	while (pos < len && cx_is_space(text[pos]))
		pos++;
	return pos;
}

CxPathParseError
cx_path_parse(const char *text, size_t len, char *scratch, CxPathStepFn step,
			  void *arg, size_t *error_offset)
{
	size_t		pos = skip_space(text, len, 0);
	int			timed = -1;		/* unknown until the first step */

	*error_offset = 0;
	if (pos == len)
		return CX_PATH_OK;		/* the empty path */

	for (;;)
	{
		size_t		label_offset = pos;
		const char *label;
		size_t		label_len;
		const char *time_text = NULL;
		size_t		time_len = 0;
		size_t		time_offset = 0;

		if (pos < len && text[pos] == '"')
		{
			label = scratch;
			if (!cx_read_quoted(text, len, &pos, scratch, &label_len))
			{
				*error_offset = label_offset;
				return CX_PATH_UNCLOSED_QUOTE;
			}
			scratch += label_len;
			if (label_len == 0)
			{
				*error_offset = label_offset;
				return CX_PATH_EMPTY_LABEL;
			}
		}
		else
		{
			size_t		end;

			while (pos < len && text[pos] != '@' && text[pos] != '"' &&
				   text[pos] != '\\' && !is_arrow(text, len, pos))
				pos++;
			/* inner white space belongs to the label, trailing does not */
			end = pos;
			while (end > label_offset && cx_is_space(text[end - 1]))
				end--;
			if (end == label_offset)
			{
				*error_offset = label_offset;
				return CX_PATH_EXPECTED_LABEL;
			}
			label = text + label_offset;
			label_len = end - label_offset;
		}
		if (label_len > CX_PATH_LABEL_MAX)
		{
			*error_offset = label_offset;
			return CX_PATH_LABEL_TOO_LONG;
		}

		pos = skip_space(text, len, pos);
		if (pos < len && text[pos] == '@')
		{
			size_t		end;

			pos = skip_space(text, len, pos + 1);
			time_offset = pos;
			while (pos < len && !is_arrow(text, len, pos))
				pos++;
			end = pos;
			while (end > time_offset && cx_is_space(text[end - 1]))
				end--;
			if (end == time_offset)
			{
				*error_offset = time_offset;
				return CX_PATH_EXPECTED_TIME;
			}
			time_text = text + time_offset;
			time_len = end - time_offset;
		}

		/* all steps timed, or none: a half-timed path has no time order */
		if (timed < 0)
			timed = (time_text != NULL);
		else if (timed != (time_text != NULL))
		{
			*error_offset = label_offset;
			return CX_PATH_MIXED_TIMES;
		}

		if (!step(arg, label, label_len, label_offset, time_text, time_len,
				  time_offset))
		{
			*error_offset = label_offset;
			return CX_PATH_STOPPED;
		}

		pos = skip_space(text, len, pos);
		if (pos == len)
			return CX_PATH_OK;
		if (!is_arrow(text, len, pos))
		{
			*error_offset = pos;
			return CX_PATH_EXPECTED_ARROW;
		}
		pos = skip_space(text, len, pos + 2);
	}
}

const char *
cx_path_error_text(CxPathParseError error)
{
	switch (error)
	{
		case CX_PATH_OK:
			return "no error";
		case CX_PATH_EXPECTED_LABEL:
			return "expected a milestone label";
		case CX_PATH_UNCLOSED_QUOTE:
			return "the quoted label starting here has no closing \"";
		case CX_PATH_EMPTY_LABEL:
			return "a label cannot be empty";
		case CX_PATH_LABEL_TOO_LONG:
			return "the label starting here is longer than 255 bytes";
		case CX_PATH_EXPECTED_ARROW:
			return "expected \"->\", \"@\" or the end after a label";
		case CX_PATH_EXPECTED_TIME:
			return "expected a time after \"@\"";
		case CX_PATH_MIXED_TIMES:
			return "either every step has a time or none does";
		case CX_PATH_STOPPED:
			return "stopped";
	}
	return "unknown error";
}

bool
cx_path_label_needs_quotes(const char *label, size_t len)
{
	size_t		i;

	if (len == 0 || cx_is_space(label[0]) ||
		cx_is_space(label[len - 1]))
		return true;
	for (i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) label[i];

		/* control characters are quoted only to keep the output readable */
		if (c == '"' || c == '\\' || c == '@' || c < 0x20 || c == 0x7f ||
			is_arrow(label, len, i))
			return true;
	}
	return false;
}

size_t
cx_path_write_label(char *out, const char *label, size_t len)
{
	if (!cx_path_label_needs_quotes(label, len))
	{
		memcpy(out, label, len);
		return len;
	}
	return cx_write_quoted(out, label, len);
}
