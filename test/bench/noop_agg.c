/*
 * noop_agg.c
 *		Benchmark-only: an aggregate that takes the same arguments as
 *		window_funnel and does nothing with them.  Its time is what
 *		PostgreSQL itself spends passing those arguments to any C aggregate,
 *		the floor under which no funnel aggregate can go.  Built and loaded
 *		by test/bench/run into its throwaway cluster only; never installed.
 */
#include "postgres.h"
#include "fmgr.h"

PG_MODULE_MAGIC;

/* Transition that ignores its arguments and keeps a zero bigint state. */
PG_FUNCTION_INFO_V1(bench_noop_transfn);
Datum
bench_noop_transfn(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(PG_ARGISNULL(0) ? 0 : PG_GETARG_INT64(0));
}

/*
 * The least any aggregate with a plain per-group state does: one state of
 * 256 bytes per group in the aggregate context, and every row's time
 * appended to it (doubled when full).  Its ratio to the floor is what a
 * funnel or session_stats state costs before it evaluates anything.
 */
typedef struct BenchPlainState
{
	int32		count;
	int32		capacity;
	int64		times[FLEXIBLE_ARRAY_MEMBER];
} BenchPlainState;

#define BENCH_PLAIN_SIZE 256

PG_FUNCTION_INFO_V1(bench_plain_transfn);
Datum
bench_plain_transfn(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	BenchPlainState *state;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "bench_plain_transfn called in non-aggregate context");
	if (PG_ARGISNULL(0))
	{
		state = MemoryContextAlloc(aggcxt, BENCH_PLAIN_SIZE);
		state->count = 0;
		state->capacity = (BENCH_PLAIN_SIZE - offsetof(BenchPlainState, times)) / sizeof(int64);
	}
	else
		state = (BenchPlainState *) PG_GETARG_POINTER(0);
	if (state->count == state->capacity)
	{
		state = repalloc(state, offsetof(BenchPlainState, times) +
						 2 * (Size) state->capacity * sizeof(int64));
		state->capacity *= 2;
	}
	if (!PG_ARGISNULL(2))
		state->times[state->count++] = PG_GETARG_INT64(2);
	PG_RETURN_POINTER(state);
}

PG_FUNCTION_INFO_V1(bench_plain_finalfn);
Datum
bench_plain_finalfn(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(PG_ARGISNULL(0) ? 0 : ((BenchPlainState *) PG_GETARG_POINTER(0))->count);
}
