/*
 * noop_attribution.c
 *		Benchmark-only: a set-returning function with attribution()'s
 *		arguments and result that returns the same rows with a zero credit:
 *		it reads the path in place, finds the eligible touches (the run of
 *		steps within the lookback) and returns them all, or only the last
 *		for last_touch, without ordering ties, weighing or rounding.  Its
 *		time is the floor of test/bench/attribution.sh.  Built and loaded by
 *		the benchmark into its throwaway cluster only; never installed.
 */
#include "postgres.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

#include "milestone_path.h"

PG_MODULE_MAGIC;

PG_FUNCTION_INFO_V1(bench_noop_attribution);
Datum
bench_noop_attribution(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	MilestonePath *path;
	const char *cursor;
	const TimestampTz *times;
	const uint8 *ids;
	const uint8 *lengths;
	const char *labels[256];
	const char *label;
	TimestampTz converted_at;
	Interval   *lookback;
	int64		lookback_usec;
	text	   *model;
	bool		last_only;
	uint32		i;
	uint32		first;
	uint32		end;
	Datum		zero;

#if PG_VERSION_NUM >= 160000
	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
#else
	SetSingleFuncCall(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
#endif
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		return (Datum) 0;
	path = (MilestonePath *) PG_DETOAST_DATUM(PG_GETARG_DATUM(0));
	converted_at = PG_GETARG_TIMESTAMPTZ(1);
	model = PG_GETARG_TEXT_PP(3);
	last_only = VARSIZE_ANY_EXHDR(model) == 10 && memcmp(VARDATA_ANY(model), "last_touch", 10) == 0;
	lookback = PG_GETARG_INTERVAL_P(4);
	lookback_usec = lookback->day * USECS_PER_DAY + lookback->time;
	/* the benchmark's paths have times and 1-byte label ids */
	if (!(path->flags & PATH_HAS_TIMES) || path->id_width != 1)
		elog(ERROR, "bench_noop_attribution needs a path with times and at most 256 labels");
	cursor = (const char *) path + PATH_HEADER_SIZE;
	times = (const TimestampTz *) cursor;
	ids = (const uint8 *) (cursor + (Size) path->nsteps * sizeof(TimestampTz));
	lengths = ids + path->nsteps;
	label = (const char *) (lengths + path->nlabels);
	for (i = 0; i < path->nlabels; i++)
	{
		labels[i] = label;
		label += lengths[i];
	}
	first = path->nsteps;
	for (i = 0; i < path->nsteps && times[i] <= converted_at; i++)
		if (first == path->nsteps && converted_at - times[i] <= lookback_usec)
			first = i;
	end = i;
	if (last_only && first < end)
		first = end - 1;
	zero = NumericGetDatum(int64_div_fast_to_numeric(0, 2));
	for (i = first; i < end; i++)
	{
		Datum		values[3];
		bool		nulls[3] = {false, false, false};

		values[0] = PointerGetDatum(cstring_to_text_with_len(labels[ids[i]], lengths[ids[i]]));
		values[1] = TimestampTzGetDatum(times[i]);
		values[2] = zero;
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		pfree(DatumGetPointer(values[0]));
	}
	return (Datum) 0;
}
