/*
 * text_util.h
 *		Small text helpers shared by the backend-independent parsers.
 */
#ifndef CX_TEXT_UTIL_H
#define CX_TEXT_UTIL_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* The blanks every parser skips: those of C's isspace in the C locale. */
static inline bool
cx_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
		c == '\f' || c == '\v';
}

/*
 * A text's match key: its bytes in two words, so that two texts of one
 * length up to 16 bytes are equal exactly when their keys are (for a given
 * length the key holds every byte once or more, in fixed places); of a
 * longer text, its first 16 bytes.  It lets a label be matched against many
 * names with a few word compares and no branch per name (path_label_masks).
 * A text of 4 bytes or more is read as four 4-byte words spread evenly from
 * its first byte to its 16th or last, overlapping as needed: the same loads
 * for every such length, so no branch on the length (which mispredicts on
 * labels of mixed lengths), and none past the text's end.
 */
typedef struct CxTextKey
{
	uint64_t	lo;
	uint64_t	hi;
} CxTextKey;

static inline CxTextKey
cx_text_key(const char *bytes, int len)
{
	CxTextKey	key = {0, 0};

	if (len >= 4)
	{
		/* where the last word starts; the gaps between words are at most 4 */
		int			last = (len < 16 ? len : 16) - 4;
		uint32_t	w0,
					w1,
					w2,
					w3;

		memcpy(&w0, bytes, 4);
		memcpy(&w1, bytes + last / 3, 4);
		memcpy(&w2, bytes + 2 * last / 3, 4);
		memcpy(&w3, bytes + last, 4);
		key.lo = w0 | ((uint64_t) w1 << 32);
		key.hi = w2 | ((uint64_t) w3 << 32);
	}
	else if (len > 0)
		key.lo = (uint8_t) bytes[0] | ((uint64_t) (uint8_t) bytes[len / 2] << 8) |
			((uint64_t) (uint8_t) bytes[len - 1] << 16);
	return key;
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
