/*
 * funnel_path.c
 *		The funnel analyses over one stored milestone_path: window_funnel,
 *		window_funnel_times, time_to_convert and retention of a path.
 *
 * Each function answers exactly what its aggregate answers over the rows
 * the path was built from (event form, a step matching a row when its
 * label equals the row's event byte for byte).  The rules are not written
 * twice: the path's steps become the aggregate's (time, matched-steps mask)
 * rows and go to the same evaluator (funnel_core.c, and the one pass of
 * funnel_fast.c where the aggregate takes it), and the window, mode and
 * steps are checked by the aggregate's own code (funnel_args.c).
 *
 * One call's way: the masks of the path's labels are computed once per
 * path from its label dictionary (a label's mask: the steps whose name it
 * equals), then each step's row is its time and its label's mask, read in
 * place.  The masks and rows live in buffers of the call site (fn_extra)
 * that grow by doubling, so a call allocates nothing per step.
 */
#include "cx_journey.h"

#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "funnel_args.h"
#include "funnel_core.h"
#include "funnel_fast.h"
#include "funnel_opts.h"
#include "milestone_path.h"
#include "window_funnel.h"

/* The cache of a call site (fn_extra): its checked arguments and buffers. */
typedef struct PathFunnelCache
{
	FunnelArgs	args;			/* window, mode and steps (funnel functions) */
	/* retention's own steps argument, checked once per distinct array */
	StepsArg	retention_steps;
	/* per-path buffers, grown by doubling */
	uint64	   *label_masks;	/* mask of each label id */
	int64		label_capacity;
	FunnelEvent *rows;			/* the rows of the exact evaluation */
	int64		row_capacity;
	int64	   *keys;			/* packed rows of the one pass */
	int64		key_capacity;
	/* funnel(p, window, steps, options): the options last checked */
	FoptSpec   *fopt_spec;
	char	   *fopt_options;
	int			fopt_options_len;
	TupleDesc	fopt_desc;
} PathFunnelCache;

/*
 * The path of argument 0, viewed, for a function that needs its times
 * (22023 for a pattern).  The caller has checked that it is not NULL.
 */
static void
path_funnel_view(FunctionCallInfo fcinfo, const char *fname, PathView *view)
{
	path_view(PG_GETARG_PATH(0), view, false);
	path_require_times(view, fname);
}

/*
 * The packed keys of the steps that match a funnel step, in path order, into
 * keys (room for every step); returns their number and sets *sorted when
 * they are in key order.  Every time must be packable.
 */
static int64
path_fast_keys(const PathView *view, const uint64 *masks, int64 *keys, bool *sorted)
{
	/* locals: the stores to keys could otherwise alias the view's fields */
	const TimestampTz *times = view->times;
	const uint8 *ids = view->ids;
	uint32		nsteps = view->nsteps;
	int64		previous = PG_INT64_MIN;
	bool		in_order = true;
	int64		n = 0;
	uint32		i;

	for (i = 0; i < nsteps; i++)
	{
		uint64		mask;
		int64		key;

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		mask = masks[view->id_width == 1 ? ids[i] : path_step_id(view, i)];
		key = cx_funnel_pack(times[i], mask);
		/* branch-free: whether a step matches is as good as random */
		keys[n] = key;
		in_order &= (mask == 0) | (key >= previous);
		previous = mask != 0 ? key : previous;
		n += mask != 0;
	}
	*sorted = in_order;
	return n;
}

/*
 * A funnel function's arguments checked (and cached), then the funnel of
 * the path evaluated into *out and the number of steps set in *nsteps.
 * Returns false for a NULL path (the answer is NULL).  The arguments are
 * checked first, so that a bad one is an error whatever the path.
 */
static bool
path_funnel_evaluate(FunctionCallInfo fcinfo, bool with_mode, bool want_times,
					 const char *fname, FunnelOutcome *out, int *nsteps)
{
	int			steps_arg = with_mode ? 3 : 2;
	PathFunnelCache *cache = cx_call_site_cache(fcinfo, sizeof(PathFunnelCache));
	const FunnelParams *params = &cache->args.params;
	PathView	view;
	const uint64 *masks;
	bool		strict_order;
	int64		n;

	if (!PG_ARGISNULL(0))
		path_prefetch(PG_GETARG_DATUM(0));
	(void) funnel_call_args(fcinfo, &cache->args, with_mode, steps_arg);
	*nsteps = params->nsteps;
	if (PG_ARGISNULL(0))
		return false;
	path_funnel_view(fcinfo, fname, &view);
	masks = path_label_masks(fcinfo, &cache->label_masks, &cache->label_capacity, &view,
							 cache->args.steps.len, cache->args.steps.name, params->nsteps);
	strict_order = (params->flags & FUNNEL_STRICT_ORDER) != 0;

	/*
	 * The one pass, where the aggregate takes it: window_funnel without
	 * modes, at most FUNNEL_PACK_MAX_STEPS steps, every kept row's time
	 * packable.  A path orders an instant's steps by label, the one pass
	 * needs them by mask: sort when the keys are out of order.  Kept
	 * because it is the aggregate's own route for this case (the same
	 * rule, funnel_fast.c's fast_row, not a second one), and the common
	 * query takes it; run straight over the steps, without the keys, it
	 * measured 0.95 of the time through keys (doc/performance.md).
	 */
	if (!want_times && params->flags == 0 && params->nsteps <= FUNNEL_PACK_MAX_STEPS &&
		(view.nsteps == 0 ||
		 (cx_funnel_packable(view.times[0]) &&
		  cx_funnel_packable(view.times[view.nsteps - 1]))))
	{
		int			level = FUNNEL_FAST_UNSORTED;

		/*
		 * The path is in time order: its first and last times bound all.
		 * Straight over its steps when their ids are bytes (up to 256
		 * labels); through sorted keys when an instant's steps are out of
		 * step order, or the ids are wider.
		 */
		if (view.id_width == 1)
			level = cx_funnel_fast_level_steps(view.times, view.ids, masks,
											   (int32) view.nsteps, params->window);
		if (level == FUNNEL_FAST_UNSORTED)
		{
			bool		sorted;

			cache->keys = path_buffer_reserve(fcinfo, cache->keys, &cache->key_capacity,
											  Max(view.nsteps, 1), sizeof(int64));
			n = path_fast_keys(&view, masks, cache->keys, &sorted);
			if (!sorted)
				cx_sort_int64(cache->keys, n);
			level = cx_funnel_fast_level(cache->keys, (int32) n, params->window);
		}
		out->level = level;
		if (level >= 0)
			return true;
	}

	/*
	 * The exact evaluation.  Rows matching no step change nothing but under
	 * strict_order, where they break chains: the aggregate keeps them only
	 * then, and so do we.
	 */
	cache->rows = path_buffer_reserve(fcinfo, cache->rows, &cache->row_capacity,
									  Max(view.nsteps, 1), sizeof(FunnelEvent));
	n = path_step_rows(&view, masks, cache->rows, strict_order);
	/* the steps are in time order; the evaluator takes ties in any order */
	cx_funnel_evaluate(cache->rows, (size_t) n, params->nsteps, params->window,
					   params->flags, want_times, out, &funnel_backend_hooks);
	return true;
}

/* window_funnel over a path, with or without the mode argument. */
static Datum
path_window_funnel(FunctionCallInfo fcinfo, bool with_mode)
{
	FunnelOutcome out;
	int			nsteps;

	if (!path_funnel_evaluate(fcinfo, with_mode, false, "window_funnel", &out, &nsteps))
		PG_RETURN_NULL();
	PG_RETURN_INT32(out.level);
}

/* window_funnel_times over a path, with or without the mode argument. */
static Datum
path_window_funnel_times(FunctionCallInfo fcinfo, bool with_mode)
{
	FunnelOutcome out;
	int			nsteps;

	if (!path_funnel_evaluate(fcinfo, with_mode, true, "window_funnel_times", &out, &nsteps))
		PG_RETURN_NULL();
	return funnel_times_result(&out);
}

/* time_to_convert over a path, with or without the mode argument. */
static Datum
path_time_to_convert(FunctionCallInfo fcinfo, bool with_mode)
{
	FunnelOutcome out;
	int			nsteps;
	bool		isnull;
	Datum		result;

	if (!path_funnel_evaluate(fcinfo, with_mode, true, "time_to_convert", &out, &nsteps))
		PG_RETURN_NULL();
	result = funnel_time_to_convert_result(&out, nsteps, &isnull);
	if (isnull)
		PG_RETURN_NULL();
	return result;
}

/*
 * The SQL entry points.  Each serves both forms: (p, window, steps) and
 * (p, window, mode, steps), told apart by the number of arguments.
 */

/* window_funnel(p, window, [mode,] steps): the furthest step the path reached. */
PG_FUNCTION_INFO_V1(milestone_path_window_funnel);
Datum
milestone_path_window_funnel(PG_FUNCTION_ARGS)
{
	return path_window_funnel(fcinfo, PG_NARGS() == 4);
}

/* window_funnel_times(p, window, [mode,] steps): when each step was reached. */
PG_FUNCTION_INFO_V1(milestone_path_window_funnel_times);
Datum
milestone_path_window_funnel_times(PG_FUNCTION_ARGS)
{
	return path_window_funnel_times(fcinfo, PG_NARGS() == 4);
}

/* time_to_convert(p, window, [mode,] steps): how long the complete chain took. */
PG_FUNCTION_INFO_V1(milestone_path_time_to_convert);
Datum
milestone_path_time_to_convert(PG_FUNCTION_ARGS)
{
	return path_time_to_convert(fcinfo, PG_NARGS() == 4);
}

/*
 * retention's steps (argument 1), parsed once per distinct array into the
 * cache's step names, with the errors of the funnel's steps argument in
 * retention's words and retention's own limit of 63 conditions.
 */
static const CxNamesRules retention_steps_rules = {
	.noun = "retention steps",.element = "retention step",
	.hint = "Give the event of each step, for example ARRAY['signup', 'purchase'].",
	.null_hint = "Give the event of every step.",
	.null_sqlstate = ERRCODE_NULL_VALUE_NOT_ALLOWED,
	.check_count = retention_check_count,
};

/*
 * retention(p, steps): element 1 says steps[1] occurs in the path, element
 * i that steps[1] and steps[i] both occur, as the aggregate retention(kind
 * = steps[1], kind = steps[2], ...) over the path's rows.  Time order plays
 * no part, so a path without times (a pattern) works too.
 */
PG_FUNCTION_INFO_V1(milestone_path_retention);
Datum
milestone_path_retention(PG_FUNCTION_ARGS)
{
	PathFunnelCache *cache = cx_call_site_cache(fcinfo, sizeof(PathFunnelCache));
	MilestonePath *path;
	PathView	view;
	const uint64 *masks;
	uint64		seen = 0;
	bool		first;
	Datum	   *elems;
	uint32		i;
	int			k;

	(void) funnel_steps_arg(fcinfo, 1, &retention_steps_rules, &cache->retention_steps);
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	path = PG_GETARG_PATH(0);
	path_view(path, &view, false);
	masks = path_label_masks(fcinfo, &cache->label_masks, &cache->label_capacity, &view,
							 cache->retention_steps.len, cache->retention_steps.name,
							 cache->retention_steps.count);
	/* every label of the dictionary occurs in the path (milestone_path.h) */
	for (i = 0; i < view.nlabels; i++)
		seen |= masks[i];
	first = (seen & 1) != 0;
	elems = palloc(cache->retention_steps.count * sizeof(Datum));
	for (k = 0; k < cache->retention_steps.count; k++)
		elems[k] = BoolGetDatum(first && ((seen >> k) & 1));
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, cache->retention_steps.count, BOOLOID,
										  1, true, TYPALIGN_CHAR));
}

/*
 * funnel(p, window, steps, options): funnel_result over a path, as the
 * aggregate funnel(window, ts, event, steps, options) over the path's rows.
 * The names matched are the steps and the excluded events (bits past the
 * steps), so the path's label masks carry both.
 */
PG_FUNCTION_INFO_V1(milestone_path_funnel);
Datum
milestone_path_funnel(PG_FUNCTION_ARGS)
{
	PathFunnelCache *cache = cx_call_site_cache(fcinfo, sizeof(PathFunnelCache));
	const FunnelParams *params = &cache->args.params;
	FoptSpec   *spec = cache->fopt_spec;
	const char *bytes;
	int			len;
	PathView	view;
	const uint64 *masks;
	FunnelOutcome out;
	bool		excluded;
	bool		steps_new;
	int64		n;

	steps_new = funnel_call_args(fcinfo, &cache->args, false, 2);
	fopt_options_arg(fcinfo, 3, &bytes, &len);
	if (steps_new || spec == NULL || len != cache->fopt_options_len ||
		memcmp(bytes, cache->fopt_options, len) != 0)
	{
		MemoryContext cxt = fcinfo->flinfo->fn_mcxt;

		if (spec != NULL)
		{
			fopt_spec_free(spec);
			pfree(cache->fopt_options);
			cache->fopt_spec = NULL;
		}
		spec = fopt_spec_make(bytes, len, params->nsteps, cache->args.steps.name,
							  cache->args.steps.len, false,
							  "funnel over a milestone_path", cxt);
		cache->fopt_options = MemoryContextAlloc(cxt, len + 1);
		memcpy(cache->fopt_options, bytes, len);
		cache->fopt_options_len = len;
		cache->fopt_spec = spec;
	}
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	path_funnel_view(fcinfo, "funnel", &view);
	masks = path_label_masks(fcinfo, &cache->label_masks, &cache->label_capacity, &view,
							 spec->name_len, spec->name, spec->nnames);
	cache->rows = path_buffer_reserve(fcinfo, cache->rows, &cache->row_capacity,
									  Max(view.nsteps, 1), sizeof(FunnelEvent));
	n = path_step_rows(&view, masks, cache->rows, (spec->flags & FUNNEL_STRICT_ORDER) != 0);
	fopt_evaluate(spec, cache->rows, (size_t) n, params->window, &out, &excluded);
	return fopt_result(fcinfo, &cache->fopt_desc, &out, excluded, false, NULL, 0);
}
