/*
 * text_util.h
 *		Small text helpers shared by the backend-independent parsers.
 */
#ifndef CX_TEXT_UTIL_H
#define CX_TEXT_UTIL_H

#include <stdbool.h>
#include <string.h>

/* The blanks every parser skips: those of C's isspace in the C locale. */
static inline bool
cx_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
		c == '\f' || c == '\v';
}

/*
 * Whether the len bytes at text equal the lowercase ASCII word, ignoring
 * ASCII case: keywords of mode lists, funnel options and attribution models
 * (not locale-dependent, so a keyword reads the same under every locale).
 */
static inline bool
cx_word_equals(const char *text, size_t len, const char *word)
{
	size_t		i;

	if (strlen(word) != len)
		return false;
	for (i = 0; i < len; i++)
	{
		char		c = text[i];

		if (c >= 'A' && c <= 'Z')
			c = (char) (c - 'A' + 'a');
		if (c != word[i])
			return false;
	}
	return true;
}

/*
 * A label in double quotes, with '"' and '\\' escaped by a backslash, into
 * out (room for 2 * len + 2 bytes); returns the bytes written.  The quoted
 * form of milestone_path and journey_model text.
 */
static inline size_t
cx_write_quoted(char *out, const char *label, size_t len)
{
	size_t		n = 0;
	size_t		i;

	out[n++] = '"';
	for (i = 0; i < len; i++)
	{
		if (label[i] == '"' || label[i] == '\\')
			out[n++] = '\\';
		out[n++] = label[i];
	}
	out[n++] = '"';
	return n;
}

/*
 * The reverse of cx_write_quoted: the double-quoted string whose opening
 * '"' is at text[*pos], unescaped into out (room for len bytes); sets
 * *out_len and moves *pos past the closing quote.  Returns false, *pos at
 * len, when the string has no closing quote (a trailing lone backslash
 * included).
 */
static inline bool
cx_read_quoted(const char *text, size_t len, size_t *pos, char *out,
			   size_t *out_len)
{
	size_t		i = *pos + 1;
	size_t		n = 0;

	while (i < len && text[i] != '"')
	{
		if (text[i] == '\\' && ++i >= len)
			break;
		out[n++] = text[i++];
	}
	*out_len = n;
	if (i >= len)
	{
		*pos = len;
		return false;
	}
	*pos = i + 1;
	return true;
}

#endif							/* CX_TEXT_UTIL_H */
