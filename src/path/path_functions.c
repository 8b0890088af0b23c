/*
 * path_functions.c
 *		The SQL functions that read one milestone_path: length, milestones,
 *		nth_milestone, last_milestone, reached_at and time_between.
 *
 * The C symbols keep their 0.2.0 names (milestone_path_milestone_at for
 * nth_milestone and its deprecated alias milestone_at): the catalogs of older
 * installs name them.
 */
#include "milestone_path.h"

#include "catalog/pg_type_d.h"
#include "common/int.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

/* length(p): the number of steps. */
PG_FUNCTION_INFO_V1(milestone_path_length);
Datum
milestone_path_length(PG_FUNCTION_ARGS)
{
	MilestonePath *path = PG_GETARG_PATH(0);

	PG_RETURN_INT32((int32) path->nsteps);
}

static text *
path_label_text(const PathView *view, uint32 step)
{
	uint32		id = path_step_id(view, step);

	return cstring_to_text_with_len(view->labels[id], view->label_lengths[id]);
}

/* milestones(p): the labels of the steps, in order, as text[]. */
PG_FUNCTION_INFO_V1(milestone_path_milestones);
Datum
milestone_path_milestones(PG_FUNCTION_ARGS)
{
	MilestonePath *path = PG_GETARG_PATH(0);
	PathView	view;
	Datum	   *labels;
	uint32		i;

	path_view(path, &view, true);
	labels = palloc(sizeof(Datum) * Max(view.nsteps, 1));
	for (i = 0; i < view.nsteps; i++)
	{
		CHECK_FOR_INTERRUPTS();
		labels[i] = PointerGetDatum(path_label_text(&view, i));
	}
	PG_RETURN_ARRAYTYPE_P(construct_array(labels, (int) view.nsteps, TEXTOID,
										  -1, false, TYPALIGN_INT));
}

/*
 * nth_milestone(p, n) (and its deprecated alias milestone_at): the label of
 * step n (1-based; negative counts from the end).
 */
PG_FUNCTION_INFO_V1(milestone_path_milestone_at);
Datum
milestone_path_milestone_at(PG_FUNCTION_ARGS)
{
	MilestonePath *path = PG_GETARG_PATH(0);
	int32		n = PG_GETARG_INT32(1);
	int64		step;
	PathView	view;

	step = n > 0 ? (int64) n - 1 : (int64) path->nsteps + n;
	if (n == 0 || step < 0 || step >= path->nsteps)
		PG_RETURN_NULL();
	path_view(path, &view, true);
	PG_RETURN_TEXT_P(path_label_text(&view, (uint32) step));
}

/* last_milestone(p): the label of the last step; NULL for an empty path. */
PG_FUNCTION_INFO_V1(milestone_path_last_milestone);
Datum
milestone_path_last_milestone(PG_FUNCTION_ARGS)
{
	MilestonePath *path = PG_GETARG_PATH(0);
	PathView	view;

	if (path->nsteps == 0)
		PG_RETURN_NULL();
	path_view(path, &view, true);
	PG_RETURN_TEXT_P(path_label_text(&view, path->nsteps - 1));
}

/* reached_at(p, label): when the label was first reached; NULL if never. */
PG_FUNCTION_INFO_V1(milestone_path_reached_at);
Datum
milestone_path_reached_at(PG_FUNCTION_ARGS)
{
	MilestonePath *path = PG_GETARG_PATH(0);
	text	   *label = PG_GETARG_TEXT_PP(1);
	PathView	view;
	int64		step;

	if (!(path->flags & PATH_HAS_TIMES))
		PG_RETURN_NULL();
	path_view(path, &view, false);
	step = path_next_step(&view, label, 0);
	if (step < 0)
		PG_RETURN_NULL();
	PG_RETURN_TIMESTAMPTZ(view.times[step]);
}

/*
 * time_between(p, from_label, to_label): from the first 'from' step to the
 * first 'to' step after it (a later step, so time_between(p, 'buy', 'buy')
 * is the time to the second purchase).  NULL when either is missing.
 */
PG_FUNCTION_INFO_V1(milestone_path_time_between);
Datum
milestone_path_time_between(PG_FUNCTION_ARGS)
{
	MilestonePath *path = PG_GETARG_PATH(0);
	text	   *from_label = PG_GETARG_TEXT_PP(1);
	text	   *to_label = PG_GETARG_TEXT_PP(2);
	PathView	view;
	int64		from_step;
	int64		to_step;

	if (!(path->flags & PATH_HAS_TIMES))
		PG_RETURN_NULL();
	path_view(path, &view, false);
	from_step = path_next_step(&view, from_label, 0);
	if (from_step < 0)
		PG_RETURN_NULL();
	to_step = path_next_step(&view, to_label, from_step + 1);
	if (to_step < 0)
		PG_RETURN_NULL();
	/*
	 * The same interval as to_time - from_time in SQL, but for a span past
	 * the interval's range (4713 BC to 294276 AD), which PostgreSQL 15's
	 * subtraction wraps around silently: 22008, as later releases give.
	 */
	{
		int64		span;

		if (pg_sub_s64_overflow(view.times[to_step], view.times[from_step], &span))
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("interval out of range"),
					 errdetail("The time between the two steps is more than an interval can hold.")));
	}
	return DirectFunctionCall2(timestamp_mi,
							   TimestampTzGetDatum(view.times[to_step]),
							   TimestampTzGetDatum(view.times[from_step]));
}
