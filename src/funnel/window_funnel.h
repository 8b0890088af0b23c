/*
 * window_funnel.h
 *		What the funnel aggregates (window_funnel.c) share with the funnel
 *		functions over a stored path (funnel_path.c): the evaluator's
 *		backend hooks and the shape of the answers.
 */
#ifndef CX_WINDOW_FUNNEL_H
#define CX_WINDOW_FUNNEL_H

#include "postgres.h"
#include "fmgr.h"

#include "funnel_core.h"

/* palloc, pfree and CHECK_FOR_INTERRUPTS, for cx_funnel_evaluate. */
extern const FunnelHooks funnel_backend_hooks;

/*
 * window_funnel_times' answer: the times of the chosen chain's steps, an
 * empty array when step 1 was never reached.
 */
extern Datum funnel_times_result(const FunnelOutcome *out);

/*
 * time_to_convert's answer for a funnel of nsteps steps: NULL (*isnull)
 * unless the chain is complete, else its last minus its first step.
 */
extern Datum funnel_time_to_convert_result(const FunnelOutcome *out, int nsteps,
										   bool *isnull);

/* round(100 * part / whole, 2) as numeric; NULL when whole is 0 (funnel_report.c). */
extern Datum funnel_percent(int64 part, int64 whole, bool *isnull);

#endif							/* CX_WINDOW_FUNNEL_H */
