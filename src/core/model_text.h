/*
 * model_text.h
 *		Backend-independent reading of journey_model text literals.
 *
 * The text form (version 1) is
 *
 *		v1 k=2 active_after="2024-03-01 00:00:00+00" {(^, ^) -> "a": 12, (^, "a") -> $: 3}
 *
 * "v1", then "k=" and the order (1 to 4), then optionally "active_after="
 * and a double-quoted time (the caller converts it), then the transitions
 * between braces, separated by commas.  A transition is a context of
 * exactly k states in parentheses, "->", the next state, ':' and a count
 * (a decimal integer from 1 to 2^63 - 1).  A state is ^ (the start), $
 * (the end) or a double-quoted label of 1 to 255 bytes, where '\' makes
 * the next byte literal.  ^ may only pad the front of a context; $ may only
 * be a next state.  Blanks between tokens are free.
 *
 * Nothing here depends on the PostgreSQL backend, so the parser can be
 * unit-tested and fuzzed on its own (see test/fuzz/).
 */
#ifndef CX_MODEL_TEXT_H
#define CX_MODEL_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Orders a model may have. */
#define CX_MODEL_MAX_K 4

/* What went wrong, for the caller's error message. */
typedef enum CxModelParseError
{
	CX_MODEL_OK = 0,
	CX_MODEL_EXPECTED_VERSION,	/* does not start with "v1" */
	CX_MODEL_EXPECTED_K,		/* no "k=<digit>" */
	CX_MODEL_BAD_K,				/* k outside 1..4 */
	CX_MODEL_EXPECTED_TIME,		/* active_after= without a quoted time */
	CX_MODEL_EXPECTED_BRACE,	/* no '{' */
	CX_MODEL_EXPECTED_PAREN,	/* a transition does not start with '(' */
	CX_MODEL_EXPECTED_STATE,	/* not ^, $ or a quoted label */
	CX_MODEL_UNCLOSED_QUOTE,	/* a quoted label or time has no closing quote */
	CX_MODEL_EMPTY_LABEL,		/* "" */
	CX_MODEL_LABEL_TOO_LONG,	/* more than 255 bytes */
	CX_MODEL_CONTEXT_LENGTH,	/* a context without exactly k states */
	CX_MODEL_START_PLACE,		/* ^ after a label, or as the next state */
	CX_MODEL_END_PLACE,			/* $ inside a context */
	CX_MODEL_EXPECTED_ARROW,	/* no "->" after a context */
	CX_MODEL_EXPECTED_COUNT,	/* no ':' and digits */
	CX_MODEL_BAD_COUNT,			/* 0, or past 2^63 - 1 */
	CX_MODEL_EXPECTED_SEPARATOR,	/* neither ',' nor '}' after a transition */
	CX_MODEL_TRAILING,			/* text after the closing brace */
	CX_MODEL_STOPPED			/* a callback asked to stop */
} CxModelParseError;

/* A state read from the text: len 0 is a sentinel (^ in a context, $ next). */
typedef struct CxModelState
{
	const char *label;			/* unescaped, not NUL-terminated */
	size_t		len;
} CxModelState;

/*
 * Called once after the header: the order, and the active_after time text
 * (unescaped, not NUL-terminated) or NULL.  Return false to stop.
 */
typedef bool (*CxModelHeaderFn) (void *arg, int k, const char *time_text,
								 size_t time_len);

/*
 * Called once per transition, in order: k context states, the next state,
 * the count, and the 0-based byte offset of the transition in the input.
 * Return false to stop.
 */
typedef bool (*CxModelEntryFn) (void *arg, const CxModelState *context,
								const CxModelState *next, int64_t count,
								size_t offset);

/*
 * Parse len bytes of text.  scratch must hold at least len bytes (quoted
 * labels and the time are unescaped into it; it is reused per transition).
 * Returns CX_MODEL_OK, or the error with its 0-based byte offset in
 * *error_offset.
 */
extern CxModelParseError cx_model_parse(const char *text, size_t len,
										char *scratch, CxModelHeaderFn header,
										CxModelEntryFn entry, void *arg,
										size_t *error_offset);

/* What the parser expected, for an error detail (no trailing period). */
extern const char *cx_model_error_text(CxModelParseError error);

#endif							/* CX_MODEL_TEXT_H */
