/*
 * path_parse.h
 *		Backend-independent reading and writing of milestone_path literals.
 *
 * A literal is a list of steps separated by "->":
 *
 *		visit@2024-01-05 10:00:00+00 -> "added to cart"@2024-01-05 10:02:00+00
 *
 * Each step is a label, optionally followed by '@' and a time.  A label is
 * either bare (any text up to '@', "->", '"', '\' or the end, surrounding
 * white space trimmed, inner white space kept) or double-quoted, where '\'
 * makes the next byte literal.  Either every step has a time or none does.
 * The time text runs from '@' to the next "->" or the end; the parser only
 * delimits it, the caller converts it.
 *
 * Nothing here depends on the PostgreSQL backend, so the parser can be
 * unit-tested and fuzzed on its own (see test/fuzz/).
 */
#ifndef CX_PATH_PARSE_H
#define CX_PATH_PARSE_H

#include <stdbool.h>
#include <stddef.h>

/* A label is 1 to this many bytes. */
#define CX_PATH_LABEL_MAX 255

/* What went wrong, for the caller's error message. */
typedef enum CxPathParseError
{
	CX_PATH_OK = 0,
	CX_PATH_EXPECTED_LABEL,		/* nothing usable where a label must be */
	CX_PATH_UNCLOSED_QUOTE,		/* a quoted label has no closing quote */
	CX_PATH_EMPTY_LABEL,		/* "" */
	CX_PATH_LABEL_TOO_LONG,		/* more than CX_PATH_LABEL_MAX bytes */
	CX_PATH_EXPECTED_ARROW,		/* junk after a step */
	CX_PATH_EXPECTED_TIME,		/* '@' followed by nothing */
	CX_PATH_MIXED_TIMES,		/* some steps have a time, some do not */
	CX_PATH_STOPPED				/* the step callback asked to stop */
} CxPathParseError;

/*
 * Called once per step, in order.  label is unescaped (not NUL-terminated);
 * time_text is NULL for a step without a time, else points into the input
 * (not NUL-terminated, trimmed).  label_offset and time_offset are 0-based
 * byte offsets into the input.  Return false to stop parsing.
 */
typedef bool (*CxPathStepFn) (void *arg, const char *label, size_t label_len,
							  size_t label_offset, const char *time_text,
							  size_t time_len, size_t time_offset);

/*
 * Parse len bytes of text.  scratch must hold at least len bytes (quoted
 * labels are unescaped into it).  Returns CX_PATH_OK, or the error with the
 * 0-based byte offset where it was found in *error_offset.
 */
extern CxPathParseError cx_path_parse(const char *text, size_t len,
									  char *scratch, CxPathStepFn step,
									  void *arg, size_t *error_offset);

/* What the parser expected, for an error detail (no trailing period). */
extern const char *cx_path_error_text(CxPathParseError error);

/* Whether a label must be quoted to read back as itself. */
extern bool cx_path_label_needs_quotes(const char *label, size_t len);

/*
 * Write a label as the parser reads it back, quoted when needed, into out
 * (room for 2 * len + 2 bytes).  Returns the number of bytes written; no
 * NUL terminator.
 */
extern size_t cx_path_write_label(char *out, const char *label, size_t len);

#endif							/* CX_PATH_PARSE_H */
