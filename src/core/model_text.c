/*
 * model_text.c
 *		Reading journey_model text literals (the grammar is in model_text.h).
 */
#include "model_text.h"

#include <string.h>

#include "path_parse.h"
#include "text_util.h"

typedef struct Cursor
{
	const char *text;
	size_t		len;
	size_t		pos;
} Cursor;

static void
skip_blanks(Cursor *c)
{
	while (c->pos < c->len && cx_is_space(c->text[c->pos]))
		c->pos++;
}

/* Consume the literal word (after blanks); false when it is not there. */
static bool
accept(Cursor *c, const char *word)
{
	size_t		n = strlen(word);

	skip_blanks(c);
	if (c->len - c->pos >= n && memcmp(c->text + c->pos, word, n) == 0)
	{
		c->pos += n;
		return true;
	}
	return false;
}

/*
 * A double-quoted string at the cursor (which is on the '"'), unescaped
 * into out; sets *out_len.
 */
static CxModelParseError
read_quoted(Cursor *c, char *out, size_t *out_len)
{
	if (!cx_read_quoted(c->text, c->len, &c->pos, out, out_len))
		return CX_MODEL_UNCLOSED_QUOTE;
	return CX_MODEL_OK;
}

/* A state: ^ ($ when end is true) or a quoted label. */
static CxModelParseError
read_state(Cursor *c, char *scratch, size_t *used, CxModelState *state,
		   bool *is_start, bool *is_end)
{
	CxModelParseError err;
	size_t		n;

	skip_blanks(c);
	*is_start = *is_end = false;
	if (c->pos >= c->len)
		return CX_MODEL_EXPECTED_STATE;
	if (c->text[c->pos] == '^' || c->text[c->pos] == '$')
	{
		*is_start = (c->text[c->pos] == '^');
		*is_end = !*is_start;
		c->pos++;
		state->label = NULL;
		state->len = 0;
		return CX_MODEL_OK;
	}
	if (c->text[c->pos] != '"')
		return CX_MODEL_EXPECTED_STATE;
	err = read_quoted(c, scratch + *used, &n);
	if (err != CX_MODEL_OK)
		return err;
	if (n == 0)
		return CX_MODEL_EMPTY_LABEL;
	if (n > CX_PATH_LABEL_MAX)
		return CX_MODEL_LABEL_TOO_LONG;
	state->label = scratch + *used;
	state->len = n;
	*used += n;
	return CX_MODEL_OK;
}

/* One transition, at the cursor (after blanks). */
static CxModelParseError
read_entry(Cursor *c, int k, char *scratch, CxModelEntryFn entry, void *arg,
		   size_t *where)
{
	CxModelState context[CX_MODEL_MAX_K];
	CxModelState next;
	size_t		used = 0;
	size_t		start = c->pos;
	bool		seen_label = false;
	bool		is_start,
				is_end;
	int			n = 0;
	int64_t		count = 0;
	CxModelParseError err;

	if (!accept(c, "("))
		return CX_MODEL_EXPECTED_PAREN;
	for (;;)
	{
		CxModelState state;

		*where = c->pos;
		err = read_state(c, scratch, &used, &state, &is_start, &is_end);
		if (err != CX_MODEL_OK)
			return err;
		if (is_end)
			return CX_MODEL_END_PLACE;
		/* the start state only pads the front: ^ ^ a, never a ^ */
		if (is_start && seen_label)
			return CX_MODEL_START_PLACE;
		seen_label |= !is_start;
		if (n == k)
			return CX_MODEL_CONTEXT_LENGTH;
		context[n++] = state;
		*where = c->pos;
		if (accept(c, ")"))
			break;
		if (!accept(c, ","))
			return CX_MODEL_EXPECTED_SEPARATOR;
	}
	if (n != k)
		return CX_MODEL_CONTEXT_LENGTH;
	*where = c->pos;
	if (!accept(c, "->"))
		return CX_MODEL_EXPECTED_ARROW;
	skip_blanks(c);
	*where = c->pos;
	err = read_state(c, scratch, &used, &next, &is_start, &is_end);
	if (err != CX_MODEL_OK)
		return err;
	if (is_start)
		return CX_MODEL_START_PLACE;
	*where = c->pos;
	if (!accept(c, ":"))
		return CX_MODEL_EXPECTED_COUNT;
	skip_blanks(c);
	*where = c->pos;
	if (c->pos >= c->len || c->text[c->pos] < '0' || c->text[c->pos] > '9')
		return CX_MODEL_EXPECTED_COUNT;
	while (c->pos < c->len && c->text[c->pos] >= '0' && c->text[c->pos] <= '9')
	{
		int			digit = c->text[c->pos++] - '0';

		if (count > (INT64_MAX - digit) / 10)
			return CX_MODEL_BAD_COUNT;
		count = count * 10 + digit;
	}
	if (count == 0)
		return CX_MODEL_BAD_COUNT;
	*where = start;
	if (!entry(arg, context, &next, count, start))
		return CX_MODEL_STOPPED;
	return CX_MODEL_OK;
}

CxModelParseError
cx_model_parse(const char *text, size_t len, char *scratch,
			   CxModelHeaderFn header, CxModelEntryFn entry, void *arg,
			   size_t *error_offset)
{
	Cursor		c = {text, len, 0};
	CxModelParseError err;
	const char *time_text = NULL;
	size_t		time_len = 0;
	size_t		where;
	int			k;

	if (!accept(&c, "v1"))
	{
		*error_offset = c.pos;
		return CX_MODEL_EXPECTED_VERSION;
	}
	/* "v1" must be a word of its own */
	if (c.pos < c.len && !cx_is_space(text[c.pos]))
	{
		*error_offset = c.pos;
		return CX_MODEL_EXPECTED_K;
	}
	if (!accept(&c, "k=") || c.pos >= c.len ||
		text[c.pos] < '0' || text[c.pos] > '9')
	{
		*error_offset = c.pos;
		return CX_MODEL_EXPECTED_K;
	}
	k = text[c.pos] - '0';
	if (k < 1 || k > CX_MODEL_MAX_K ||
		(c.pos + 1 < c.len && text[c.pos + 1] >= '0' && text[c.pos + 1] <= '9'))
	{
		*error_offset = c.pos;
		return CX_MODEL_BAD_K;
	}
	c.pos++;
	if (accept(&c, "active_after="))
	{
		if (c.pos >= c.len || text[c.pos] != '"')
		{
			*error_offset = c.pos;
			return CX_MODEL_EXPECTED_TIME;
		}
		where = c.pos;
		err = read_quoted(&c, scratch, &time_len);
		if (err != CX_MODEL_OK || time_len == 0)
		{
			*error_offset = where;
			return err != CX_MODEL_OK ? err : CX_MODEL_EXPECTED_TIME;
		}
		time_text = scratch;
	}
	if (!accept(&c, "{"))
	{
		*error_offset = c.pos;
		return CX_MODEL_EXPECTED_BRACE;
	}
	if (!header(arg, k, time_text, time_len))
	{
		*error_offset = 0;
		return CX_MODEL_STOPPED;
	}
	if (!accept(&c, "}"))
	{
		for (;;)
		{
			skip_blanks(&c);
			where = c.pos;
			err = read_entry(&c, k, scratch, entry, arg, &where);
			if (err != CX_MODEL_OK)
			{
				*error_offset = where;
				return err;
			}
			if (accept(&c, "}"))
				break;
			if (!accept(&c, ","))
			{
				*error_offset = c.pos;
				return CX_MODEL_EXPECTED_SEPARATOR;
			}
		}
	}
	skip_blanks(&c);
	if (c.pos < c.len)
	{
		*error_offset = c.pos;
		return CX_MODEL_TRAILING;
	}
	return CX_MODEL_OK;
}

const char *
cx_model_error_text(CxModelParseError error)
{
	switch (error)
	{
		case CX_MODEL_OK:
			return "no error";
		case CX_MODEL_EXPECTED_VERSION:
			return "expected the version \"v1\" at the start";
		case CX_MODEL_EXPECTED_K:
			return "expected \"k=\" and the order after \"v1\"";
		case CX_MODEL_BAD_K:
			return "the order k must be 1, 2, 3 or 4";
		case CX_MODEL_EXPECTED_TIME:
			return "expected a double-quoted time after \"active_after=\"";
		case CX_MODEL_EXPECTED_BRACE:
			return "expected '{' before the transitions";
		case CX_MODEL_EXPECTED_PAREN:
			return "expected '(' at the start of a transition";
		case CX_MODEL_EXPECTED_STATE:
			return "expected ^, $ or a double-quoted label";
		case CX_MODEL_UNCLOSED_QUOTE:
			return "a double-quoted string is not closed";
		case CX_MODEL_EMPTY_LABEL:
			return "a label is empty";
		case CX_MODEL_LABEL_TOO_LONG:
			return "a label is longer than 255 bytes";
		case CX_MODEL_CONTEXT_LENGTH:
			return "a context must have exactly k states";
		case CX_MODEL_START_PLACE:
			return "the start state ^ may only pad the front of a context";
		case CX_MODEL_END_PLACE:
			return "the end state $ may only be a next state";
		case CX_MODEL_EXPECTED_ARROW:
			return "expected \"->\" after a context";
		case CX_MODEL_EXPECTED_COUNT:
			return "expected ':' and a count after the next state";
		case CX_MODEL_BAD_COUNT:
			return "a count must be from 1 to 9223372036854775807";
		case CX_MODEL_EXPECTED_SEPARATOR:
			return "expected ',' or the closing bracket";
		case CX_MODEL_TRAILING:
			return "unexpected text after the closing '}'";
		case CX_MODEL_STOPPED:
			return "stopped";
	}
	return "unknown error";
}
