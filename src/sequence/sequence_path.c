/*
 * sequence_path.c
 *		The sequence functions over one stored milestone_path:
 *		sequence_match, sequence_count, sequence_match_events,
 *		sequence_next and sequence_previous of a path.
 *
 * Each answers what its aggregate (event form) answers over the rows the
 * path was built from: a step's conditions are the steps[N] its label
 * equals byte for byte (its mask), the steps with a mask are the visible
 * events, and they go, in the canonical order, to the same evaluator
 * (sequence_eval.c).  The arguments are checked before the path is looked
 * at, so a bad pattern is an error whatever the path; a NULL path gives
 * NULL.
 */
#include "sequence.h"

#include "miscadmin.h"
#include "utils/builtins.h"

#include "milestone_path.h"

/* The cache of a call site (fn_extra): the pattern's, and per-path buffers. */
typedef struct SeqPathCache
{
	SeqPatternCache pc;
	uint64	   *label_masks;	/* conditions of each label id */
	int64		label_capacity;
	SeqRow	   *rows;			/* the steps that match a condition */
	int64		row_capacity;
} SeqPathCache;

/*
 * Check the pattern (argument 1) and steps (argument 2), then, unless the
 * path is NULL (returns false), view it and evaluate.
 */
static bool
seq_path_evaluate(FunctionCallInfo fcinfo, const char *fname, SeqWant want,
				  PathView *view, SeqOutcome *out)
{
	SeqPathCache *cache = cx_call_site_cache(fcinfo, sizeof(SeqPathCache));
	const char *bytes;
	int			len;
	const SeqPattern *pattern;
	const uint64 *label_masks;
	uint64		present = 0;
	int64		n = 0;
	uint32		i;

	seq_pattern_arg(fcinfo, 1, &bytes, &len);
	seq_steps_arg(fcinfo, 2, &cache->pc);
	pattern = seq_pattern_get(&cache->pc, fcinfo->flinfo->fn_mcxt, bytes, len,
							  cache->pc.steps.count);
	if (PG_ARGISNULL(0))
		return false;
	path_view(PG_GETARG_PATH(0), view, false);
	path_require_times(view, fname);

	/* each label's conditions, from the dictionary */
	label_masks = path_label_masks(fcinfo, &cache->label_masks, &cache->label_capacity, view,
								   cache->pc.steps.len, cache->pc.steps.name,
								   cache->pc.steps.count);

	/*
	 * Every label occurs in the steps, so the dictionary tells which
	 * conditions the path has: without one every match needs, no rows.
	 */
	for (i = 0; i < view->nlabels; i++)
		present |= label_masks[i];
	if (seq_may_match(pattern, present))
	{
		cache->rows = path_buffer_reserve(fcinfo, cache->rows, &cache->row_capacity,
										  Max(view->nsteps, 1), sizeof(SeqRow));
		n = path_step_rows(view, label_masks, cache->rows, false);
	}
	seq_evaluate(&cache->pc, cache->rows, n, want, out);
	return true;
}

/* sequence_match(p, pattern, steps): whether the path has a match. */
PG_FUNCTION_INFO_V1(milestone_path_sequence_match);
Datum
milestone_path_sequence_match(PG_FUNCTION_ARGS)
{
	PathView	view;
	SeqOutcome	out;

	if (!seq_path_evaluate(fcinfo, "sequence_match", SEQ_WANT_MATCH, &view, &out))
		PG_RETURN_NULL();
	PG_RETURN_BOOL(out.matched);
}

/* sequence_count(p, pattern, steps): the number of non-overlapping matches. */
PG_FUNCTION_INFO_V1(milestone_path_sequence_count);
Datum
milestone_path_sequence_count(PG_FUNCTION_ARGS)
{
	PathView	view;
	SeqOutcome	out;

	if (!seq_path_evaluate(fcinfo, "sequence_count", SEQ_WANT_COUNT, &view, &out))
		PG_RETURN_NULL();
	PG_RETURN_INT64(out.count);
}

/* sequence_match_events(p, pattern, steps): times of the chosen match's (?N) events. */
PG_FUNCTION_INFO_V1(milestone_path_sequence_match_events);
Datum
milestone_path_sequence_match_events(PG_FUNCTION_ARGS)
{
	PathView	view;
	SeqOutcome	out;

	if (!seq_path_evaluate(fcinfo, "sequence_match_events", SEQ_WANT_EVENTS, &view, &out) ||
		!out.matched)
		PG_RETURN_NULL();
	return seq_events_datum(&out);
}

/*
 * The label of the step next to the chosen match: forward, the first
 * instant strictly after its last event; backward, the last instant
 * strictly before its first event.  Among the steps of that instant, the
 * smallest label in bytes.  NULL when nothing matches or no step is there.
 */
static Datum
seq_path_neighbour(FunctionCallInfo fcinfo, bool forward)
{
	PathView	view;
	SeqOutcome	out;
	int64		i;
	int64		at = -1;
	TimestampTz when;
	const char *best = NULL;
	int			best_len = 0;

	if (!seq_path_evaluate(fcinfo, forward ? "sequence_next" : "sequence_previous",
						   SEQ_WANT_BOUNDS, &view, &out) || !out.matched)
		PG_RETURN_NULL();
	/* the path is in time order */
	if (forward)
	{
		for (i = 0; i < view.nsteps; i++)
		{
			if ((i & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
			if (view.times[i] > out.last_ts)
			{
				at = i;
				break;
			}
		}
	}
	else
	{
		for (i = (int64) view.nsteps - 1; i >= 0; i--)
		{
			if ((i & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
			if (view.times[i] < out.first_ts)
			{
				at = i;
				break;
			}
		}
	}
	if (at < 0)
		PG_RETURN_NULL();
	when = view.times[at];
	path_view(PG_GETARG_PATH(0), &view, true);
	for (i = at; i >= 0 && i < view.nsteps && view.times[i] == when; i += forward ? 1 : -1)
	{
		uint32		id = path_step_id(&view, (uint32) i);
		int			len = view.label_lengths[id];

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (best == NULL || path_label_cmp(view.labels[id], len, best, best_len) < 0)
		{
			best = view.labels[id];
			best_len = len;
		}
	}
	PG_RETURN_TEXT_P(cstring_to_text_with_len(best, best_len));
}

/* sequence_next(p, pattern, steps): the step right after the chosen match. */
PG_FUNCTION_INFO_V1(milestone_path_sequence_next);
Datum
milestone_path_sequence_next(PG_FUNCTION_ARGS)
{
	return seq_path_neighbour(fcinfo, true);
}

/* sequence_previous(p, pattern, steps): the step right before the chosen match. */
PG_FUNCTION_INFO_V1(milestone_path_sequence_previous);
Datum
milestone_path_sequence_previous(PG_FUNCTION_ARGS)
{
	return seq_path_neighbour(fcinfo, false);
}
