/*
 * funnel_options.h
 *		Backend-independent parsing of the options list of funnel():
 *		window_funnel's mode words, any_order, exclusions and breakdown.
 */
#ifndef CX_FUNNEL_OPTIONS_H
#define CX_FUNNEL_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "funnel_mode.h"

/* Most exclusions one options list may give. */
#define FUNNEL_MAX_EXCLUSIONS	16

/* The valid words and forms, for error hints. */
#define FUNNEL_OPTION_WORDS FUNNEL_MODE_WORDS ", any_order, exclude EVENT between I and J, breakdown first_touch | last_touch | step N"

typedef enum FunnelBreakdown
{
	FUNNEL_BREAKDOWN_NONE = 0,
	FUNNEL_BREAKDOWN_FIRST_TOUCH,
	FUNNEL_BREAKDOWN_LAST_TOUCH,
	FUNNEL_BREAKDOWN_STEP
} FunnelBreakdown;

/* One exclusion: an event name (in the caller's name buffer) and steps. */
typedef struct FunnelExclusionOpt
{
	size_t		name_off;		/* into the names buffer */
	size_t		name_len;
	int			from;			/* step i, as written */
	int			to;				/* step j, as written */
} FunnelExclusionOpt;

typedef struct FunnelOptions
{
	int			flags;			/* window_funnel mode flags */
	bool		any_order;
	int			nexcl;
	FunnelExclusionOpt excl[FUNNEL_MAX_EXCLUSIONS];
	FunnelBreakdown breakdown;
	int			breakdown_step; /* N of breakdown step N */
} FunnelOptions;

/* What went wrong, for the caller's message. */
typedef enum FunnelOptionsError
{
	FOPT_OK = 0,
	FOPT_UNKNOWN_WORD,			/* an option word nobody knows */
	FOPT_EXPECTED,				/* a piece of a form is missing or wrong */
	FOPT_BAD_NUMBER,			/* a step number is not 1 .. 9999 */
	FOPT_UNTERMINATED,			/* a double-quoted name has no end */
	FOPT_TOO_MANY,				/* past FUNNEL_MAX_EXCLUSIONS */
	FOPT_TWO_BREAKDOWNS,		/* breakdown given twice */
	FOPT_EMPTY_NAME				/* exclude "" */
} FunnelOptionsError;

typedef struct FunnelOptionsFailure
{
	FunnelOptionsError code;
	size_t		start;			/* the offending token in the text */
	size_t		len;
	const char *expected;		/* FOPT_EXPECTED: what was expected */
} FunnelOptionsFailure;

/*
 * Parse an options list of len bytes (need not be NUL-terminated).  Items
 * are separated by commas outside double quotes; words are case-insensitive;
 * a blank list means no option.  Exclusion event names are written
 * unescaped into names, which must have room for len bytes.  Returns 0, or
 * -1 with *fail set (the token always lies within the text).
 */
extern int	cx_funnel_options_parse(const char *text, size_t len, char *names,
									FunnelOptions *opts, FunnelOptionsFailure *fail);

/* What cx_funnel_options_check found wrong. */
typedef enum FunnelOptionsProblem
{
	FOPT_FINE = 0,
	FOPT_STEP_ORDER,			/* exclusion with i >= j */
	FOPT_STEP_RANGE,			/* exclusion step outside 1 .. nsteps */
	FOPT_EVENT_IS_STEP,			/* excluded event is a step of its range */
	FOPT_ANY_ORDER_RANGE,		/* any_order with an exclusion not 1 .. nsteps */
	FOPT_ANY_ORDER_MODE,		/* any_order with a mode word */
	FOPT_BREAKDOWN_RANGE		/* breakdown step N outside 1 .. nsteps */
} FunnelOptionsProblem;

/*
 * Check parsed options against the steps (names[i] of len[i] bytes, i <
 * nsteps): PostHog's validations.  Returns FOPT_FINE or the problem, with
 * *which the exclusion it concerns (-1 when none).
 */
extern FunnelOptionsProblem cx_funnel_options_check(const FunnelOptions *opts,
													const char *names_buf,
													int nsteps,
													const char *const *step_names,
													const int *step_lens,
													int *which);

#endif							/* CX_FUNNEL_OPTIONS_H */
