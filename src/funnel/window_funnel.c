/*
 * window_funnel.c
 *		The SQL entry points of the per-customer funnel aggregates
 *		window_funnel, window_funnel_times and time_to_convert.
 *
 * One row's way: the transition function checks the row's window, mode
 * and steps (funnel_args.c) against its group's, computes which steps the
 * row matches, and appends (time, mask) to the group's state
 * (funnel_state.c).  The final function sorts the group's rows and
 * evaluates the funnel: the one-pass level (funnel_fast.c) for window_funnel
 * in the default mode, else the exact evaluation (funnel_core.c).  All three
 * aggregates share the transition, so PostgreSQL gathers the rows once for
 * a query asking for several of them over the same arguments.
 */
#include "cx_journey.h"

#include "catalog/pg_type.h"
#include "common/int.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "funnel_args.h"
#include "funnel_core.h"
#include "funnel_fast.h"
#include "funnel_state.h"
#include "window_funnel.h"

static void
funnel_check_interrupts(void)
{
	CHECK_FOR_INTERRUPTS();
}

const FunnelHooks funnel_backend_hooks = {palloc, pfree, funnel_check_interrupts};

/* The steps the row matches, one bit each. */
static uint64
funnel_row_mask(FunctionCallInfo fcinfo, FunnelForm form, const FunnelArgs *args)
{
	int			first_step = FUNNEL_FIRST_STEP_ARG(form);
	uint64		mask = 0;
	int			i;

	if (form.by_event)
	{
		text	   *event;
		const char *bytes;
		int			len;

		/* a NULL event matches no step; matching is byte-wise */
		if (PG_ARGISNULL(first_step))
			return 0;
		event = PG_GETARG_TEXT_PP(first_step);
		bytes = VARDATA_ANY(event);
		len = VARSIZE_ANY_EXHDR(event);
		return cx_names_mask(args->steps.len, args->steps.name, args->params.nsteps, bytes, len);
	}
	/* a NULL condition counts as false */
	for (i = 0; i < args->params.nsteps; i++)
	{
		if (!PG_ARGISNULL(first_step + i) && PG_GETARG_BOOL(first_step + i))
			mask |= UINT64CONST(1) << i;
	}
	return mask;
}

/* The transition of every form: one row into its group's state. */
static Datum
funnel_transition(FunctionCallInfo fcinfo, FunnelForm form)
{
	int			ts_arg = FUNNEL_TIME_ARG(form);
	MemoryContext aggcxt;
	FunnelArgs *args;
	FunnelState *state;
	uint64		mask;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "window_funnel transition function called in non-aggregate context");
	args = funnel_row_args(fcinfo, form);
	if (PG_ARGISNULL(0))
		state = funnel_state_new(aggcxt, &args->params);
	else
	{
		state = (FunnelState *) PG_GETARG_POINTER(0);
		/* every row, even one that matches nothing, agrees with its group */
		if (!args->constant &&
			unlikely(!funnel_params_equal(&state->params, &args->params)))
			funnel_params_mismatch(&state->params, &args->params);
	}

	/* a NULL time skips the row */
	if (PG_ARGISNULL(ts_arg))
		PG_RETURN_POINTER(state);
	mask = funnel_row_mask(fcinfo, form, args);
	/*
	 * Rows matching no step matter only to strict_order: a chain breaks
	 * there.  The row's flags are the group's; reading them from args spares
	 * such rows a cache miss on the state.
	 */
	if (mask != 0 || (args->params.flags & FUNNEL_STRICT_ORDER))
		state = funnel_state_append(state, PG_GETARG_TIMESTAMPTZ(ts_arg), mask);
	PG_RETURN_POINTER(state);
}

/* Transition of window_funnel(window, ts, step1, ...) and its siblings. */
PG_FUNCTION_INFO_V1(window_funnel_transfn);
Datum
window_funnel_transfn(PG_FUNCTION_ARGS)
{
	return funnel_transition(fcinfo, (FunnelForm) {false, false});
}

/* Transition of window_funnel(window, mode, ts, step1, ...) and its siblings. */
PG_FUNCTION_INFO_V1(window_funnel_mode_transfn);
Datum
window_funnel_mode_transfn(PG_FUNCTION_ARGS)
{
	return funnel_transition(fcinfo, (FunnelForm) {true, false});
}

/* Transition of window_funnel(window, ts, event, steps[]) and its siblings. */
PG_FUNCTION_INFO_V1(window_funnel_event_transfn);
Datum
window_funnel_event_transfn(PG_FUNCTION_ARGS)
{
	return funnel_transition(fcinfo, (FunnelForm) {false, true});
}

/* Transition of window_funnel(window, mode, ts, event, steps[]) and its siblings. */
PG_FUNCTION_INFO_V1(window_funnel_event_mode_transfn);
Datum
window_funnel_event_mode_transfn(PG_FUNCTION_ARGS)
{
	return funnel_transition(fcinfo, (FunnelForm) {true, true});
}

/* Combine two partial states of a group: the rows of both. */
PG_FUNCTION_INFO_V1(window_funnel_combinefn);
Datum
window_funnel_combinefn(PG_FUNCTION_ARGS)
{
	FunnelState *left;
	FunnelState *right;
	Datum		one_side;

	if (cx_combine_one_side(fcinfo, "window_funnel_combinefn", NULL, &one_side))
		CX_RETURN_COMBINE_ONE_SIDE(one_side);
	left = (FunnelState *) PG_GETARG_POINTER(0);
	right = (FunnelState *) PG_GETARG_POINTER(1);
	if (!funnel_params_equal(&left->params, &right->params))
		funnel_params_mismatch(&left->params, &right->params);
	left = funnel_state_merge(left, right);

	/*
	 * right's rows are copied: free it (one allocation, made by deserialize
	 * in the aggregate context) rather than keep it until the group ends, as
	 * a parallel plan's leader merges one partial state per worker.
	 */
	pfree(right);
	PG_RETURN_POINTER(left);
}

/*
 * Evaluate the funnel over a group's rows: by the one pass when it applies
 * (window_funnel in the default mode over packed single-step rows), else
 * exactly.
 */
static void
funnel_evaluate(FunnelState *state, bool want_times, FunnelOutcome *out)
{
	FunnelEvent *events;
	bool		copied;

	if (!want_times && state->packed && state->params.flags == 0)
	{
		funnel_state_sort(state);
		out->level = cx_funnel_fast_level(state->rows, state->count, state->params.window);
		if (out->level >= 0)
			return;
	}
	events = funnel_state_events(state, &copied);
	cx_funnel_evaluate(events, state->count, state->params.nsteps, state->params.window,
					   state->params.flags, want_times, out, &funnel_backend_hooks);
	if (copied)
		pfree(events);
}

/* window_funnel: the furthest step reached, 0 when step 1 never happens. */
PG_FUNCTION_INFO_V1(window_funnel_finalfn);
Datum
window_funnel_finalfn(PG_FUNCTION_ARGS)
{
	FunnelOutcome out;

	if (PG_ARGISNULL(0))
		PG_RETURN_INT32(0);
	funnel_evaluate((FunnelState *) PG_GETARG_POINTER(0), false, &out);
	PG_RETURN_INT32(out.level);
}

Datum
funnel_times_result(const FunnelOutcome *out)
{
	return cx_timestamptz_array(out->times, out->level);
}

/* window_funnel_times: when each step was reached in the chosen chain. */
PG_FUNCTION_INFO_V1(window_funnel_times_finalfn);
Datum
window_funnel_times_finalfn(PG_FUNCTION_ARGS)
{
	FunnelOutcome out;

	if (PG_ARGISNULL(0))
		PG_RETURN_ARRAYTYPE_P(construct_empty_array(TIMESTAMPTZOID));
	funnel_evaluate((FunnelState *) PG_GETARG_POINTER(0), true, &out);
	return funnel_times_result(&out);
}

/*
 * time_to_convert's answer: last minus first step of the chosen chain when
 * it is complete, as timestamp subtraction writes it (hours justified into
 * days).  22008 when a step is at infinity (no finite duration), or, should
 * the span ever overflow, "interval out of range": PostgreSQL 15's
 * timestamp_mi neither refuses infinity with its own words nor checks the
 * subtraction.
 */
Datum
funnel_time_to_convert_result(const FunnelOutcome *out, int nsteps, bool *isnull)
{
	TimestampTz first;
	TimestampTz last;
	int64		span;
	Interval   *result;

	*isnull = out->level < nsteps;
	if (*isnull)
		return (Datum) 0;
	first = out->times[0];
	last = out->times[out->level - 1];
	if (TIMESTAMP_NOT_FINITE(first) || TIMESTAMP_NOT_FINITE(last))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("time_to_convert cannot measure a chain with a step at infinity"),
				 errdetail("The chain's first step is at %s and its last step at %s.",
						   pstrdup(timestamptz_to_str(first)),
						   pstrdup(timestamptz_to_str(last))),
				 errhint("Filter out infinite times, for example with WHERE isfinite(ts).")));
	if (pg_sub_s64_overflow(last, first, &span))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("interval out of range")));
	result = (Interval *) palloc(sizeof(Interval));
	result->time = span;
	result->day = 0;
	result->month = 0;
	return DirectFunctionCall1(interval_justify_hours, IntervalPGetDatum(result));
}

/* time_to_convert: how long the chosen chain took, when it is complete. */
PG_FUNCTION_INFO_V1(time_to_convert_finalfn);
Datum
time_to_convert_finalfn(PG_FUNCTION_ARGS)
{
	FunnelState *state;
	FunnelOutcome out;
	bool		isnull;
	Datum		result;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	state = (FunnelState *) PG_GETARG_POINTER(0);
	funnel_evaluate(state, true, &out);
	result = funnel_time_to_convert_result(&out, state->params.nsteps, &isnull);
	if (isnull)
		PG_RETURN_NULL();
	return result;
}
