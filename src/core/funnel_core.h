/*
 * funnel_core.h
 *		Backend-independent evaluation of a window funnel over one
 *		customer's events.
 *
 * The aggregate in window_funnel.c gathers (time, matched-steps mask) pairs
 * and calls cx_funnel_evaluate() on them once they are sorted by time.
 * Nothing here depends on the backend, so the algorithm can be tested
 * against a brute-force reference and fuzzed on its own.
 */
#ifndef CX_FUNNEL_CORE_H
#define CX_FUNNEL_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "funnel_mode.h"

/* Most steps a funnel may have: one bit of a 64-bit mask each. */
#define FUNNEL_MAX_STEPS 64

/* One row of one customer: its time and which steps it matches. */
typedef struct FunnelEvent
{
	int64_t		ts;
	uint64_t	mask;			/* bit i set: the row matches step i + 1 */
} FunnelEvent;

/* What the evaluation found. */
typedef struct FunnelOutcome
{
	int			level;			/* furthest step reached, 0 .. nsteps */
	/* times[i]: when step i + 1 was reached in the chosen chain, i < level */
	int64_t		times[FUNNEL_MAX_STEPS];

	/*
	 * any_order only (with times): step_row[j] is the index in times of the
	 * row filling step j + 1, -1 when no row does.  times is in time order
	 * there, so times[j] is not step j + 1's row.
	 */
	int8_t		step_row[FUNNEL_MAX_STEPS];
} FunnelOutcome;

/* Memory and interrupt hooks, so the backend can use palloc and
 * CHECK_FOR_INTERRUPTS and tests can use malloc. */
typedef struct FunnelHooks
{
	void	   *(*alloc) (size_t size);
	void		(*release) (void *ptr);
	void		(*check_interrupts) (void);
} FunnelHooks;

/*
 * Evaluate a funnel of nsteps steps (1 .. FUNNEL_MAX_STEPS) over n events
 * sorted by ts (ties in any order), with a window in the same unit as ts
 * (>= 0) and mode flags from funnel_mode.h.  Fills *out; when want_times
 * is false out->times is left unset.  Under FUNNEL_STRICT_ORDER every row of
 * the customer must be passed (mask 0 for a row matching no step: it can
 * break a chain); otherwise rows of mask 0 change nothing and may be left out.
 */
extern void cx_funnel_evaluate(const FunnelEvent *events, size_t n, int nsteps,
							   int64_t window, int flags, bool want_times,
							   FunnelOutcome *out, const FunnelHooks *hooks);

/*
 * An exclusion of funnel(): rows whose mask has a bit of mask (bits past the
 * steps) are the excluded event, excluded strictly between steps from and to
 * (1 <= from < to <= nsteps).
 */
typedef struct FunnelExclusion
{
	uint64_t	mask;
	int			from;
	int			to;
} FunnelExclusion;

/*
 * funnel() with exclusions or any_order (doc/reference.md, "funnel"):
 * out->level is the furthest step of the chains that are not excluded and
 * out->times that chain's times (want_times); *excluded is set when for some
 * exclusion at least one chain reaches its step i and every such chain is
 * excluded.  Without any_order the chains are window_funnel's under flags;
 * with it, a chain is a set of rows within the window filling distinct
 * steps, and every exclusion must span all the steps.  Mask bits past
 * nsteps mark excluded events only.
 */
extern void cx_funnel_evaluate_excluding(const FunnelEvent *events, size_t n, int nsteps,
										 int64_t window, int flags, bool any_order,
										 const FunnelExclusion *excl, int nexcl,
										 bool want_times, FunnelOutcome *out,
										 bool *excluded, const FunnelHooks *hooks);

/* qsort comparator: by time, then by mask (a total order on events). */
extern int	cx_funnel_event_cmp(const void *a, const void *b);

#endif							/* CX_FUNNEL_CORE_H */
