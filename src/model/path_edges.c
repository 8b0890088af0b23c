/*
 * path_edges.c
 *		path_edges(p, max_steps, start_label): a path's first transitions as
 *		(step, source, target) rows, for flow charts (GROUP BY step, source,
 *		target).  Consecutive repeats stay: path_edges(compact(p)) drops
 *		them, as PostHog Paths does.
 */
#include "milestone_path.h"

#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/tuplestore.h"

/* The largest max_steps. */
#define PATH_EDGES_MAX_STEPS 1000

PG_FUNCTION_INFO_V1(path_edges);
Datum
path_edges(PG_FUNCTION_ARGS)
{
	MilestonePath *path;
	int32		max_steps;
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	PathView	view;
	uint32		from = 0;
	uint32		i;

	/*
	 * Not strict: a NULL start_label means "from the first step".  max_steps
	 * is checked first, so that a NULL path refuses the same values.
	 */
	if (PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("path_edges max_steps must not be NULL"),
				 errhint("Give max_steps from 1 to %d (default 5).", PATH_EDGES_MAX_STEPS)));
	max_steps = PG_GETARG_INT32(1);
	if (max_steps < 1 || max_steps > PATH_EDGES_MAX_STEPS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("path_edges max_steps must be from 1 to %d: %d",
						PATH_EDGES_MAX_STEPS, max_steps),
				 errhint("max_steps is how many transitions to return per path (default 5).")));
	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	if (PG_ARGISNULL(0))
		return (Datum) 0;
	path = (MilestonePath *) PG_DETOAST_DATUM(PG_GETARG_DATUM(0));
	path_view(path, &view, true);
	if (!PG_ARGISNULL(2))
	{
		/* from the start label's first occurrence; none: no rows */
		int64		first = path_next_step(&view, PG_GETARG_TEXT_PP(2), 0);

		if (first < 0)
			return (Datum) 0;
		from = (uint32) first;
	}
	for (i = 0; i < (uint32) max_steps && from + i + 1 < view.nsteps; i++)
	{
		uint32		a = path_step_id(&view, from + i);
		uint32		b = path_step_id(&view, from + i + 1);
		Datum		values[3];
		bool		nulls[3] = {false, false, false};

		values[0] = Int32GetDatum((int32) i + 1);
		values[1] = PointerGetDatum(cstring_to_text_with_len(view.labels[a], view.label_lengths[a]));
		values[2] = PointerGetDatum(cstring_to_text_with_len(view.labels[b], view.label_lengths[b]));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
