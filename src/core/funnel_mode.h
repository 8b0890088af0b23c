/*
 * funnel_mode.h
 *		Backend-independent parsing of window_funnel mode lists.
 */
#ifndef CX_FUNNEL_MODE_H
#define CX_FUNNEL_MODE_H

#include <stddef.h>

/* Mode flags of window_funnel. */
#define FUNNEL_STRICT_ORDER			0x01
#define FUNNEL_STRICT_DEDUPLICATION	0x02
#define FUNNEL_STRICT_INCREASE		0x04
#define FUNNEL_FIRST_ENTRY			0x08
/* only meaningful with FUNNEL_STRICT_ORDER; the parser drops it otherwise */
#define FUNNEL_ALLOW_REENTRY		0x10
#define FUNNEL_ALL_MODES			0x1F

/*
 * The valid words, comma-separated, for error hints.  strict_once has no
 * flag: one row fills at most one step in every mode already.
 */
#define FUNNEL_MODE_WORDS "strict_order, strict_deduplication, strict_increase, first_entry, strict_once, allow_reentry"

/*
 * Parse a comma-separated mode list of len bytes (need not be
 * NUL-terminated).  Words are matched case-insensitively, blanks around them
 * are ignored, a word may repeat, and an empty or blank list means no mode.
 * Words that change nothing set no flag, so that flags == 0 still means the
 * default rules: strict_once always, allow_reentry without strict_order.
 *
 * Returns 0 and sets *flags on success.  On failure returns -1 and sets
 * *bad_start and *bad_len to the offending word (an empty word when two
 * commas meet or the list ends with one).
 */
extern int	cx_funnel_mode_parse(const char *text, size_t len, int *flags,
								 size_t *bad_start, size_t *bad_len);

#endif							/* CX_FUNNEL_MODE_H */
