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
#include "utils/memutils.h"

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

/*
 * The least a batching design without backend-global state does: every
 * row's time appended to one sequential array per aggregate context and
 * call site (reached through fn_extra, forgotten when the context is reset),
 * a group state of 8 bytes naming its group, and at the first final call
 * one counting sort that makes each group's rows contiguous.  Against
 * bench_plain it shows what random appends into per-group states cost.
 */
typedef struct BenchBatch
{
	MemoryContext cxt;
	int64		nrows;
	int64		capacity;
	uint32	   *group_of;		/* per row */
	int64	   *times;			/* per row */
	uint32		ngroups;
	uint32		group_capacity;
	uint32	   *counts;			/* rows per group */
	uint32	   *ends;			/* after the sort: end of each group's rows */
	int64	   *sorted;			/* the rows, group by group */
	int64		sorted_rows;	/* rows the sort covered */
	void	  **site;			/* the fn_extra slot naming this batch */
	MemoryContextCallback on_reset;
} BenchBatch;

typedef struct BenchBatchGroup
{
	BenchBatch *batch;
	uint32		group;
} BenchBatchGroup;

static void
bench_batch_forget(void *arg)
{
	BenchBatch *batch = arg;

	if (*batch->site == batch)
		*batch->site = NULL;
}

PG_FUNCTION_INFO_V1(bench_batch_transfn);
Datum
bench_batch_transfn(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	BenchBatchGroup *group;
	BenchBatch *batch;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "bench_batch_transfn called in non-aggregate context");
	if (PG_ARGISNULL(0))
	{
		batch = fcinfo->flinfo->fn_extra;
		if (batch == NULL || batch->cxt != aggcxt)
		{
			batch = MemoryContextAllocZero(aggcxt, sizeof(BenchBatch));
			batch->cxt = aggcxt;
			batch->capacity = 1024;
			batch->group_of = MemoryContextAlloc(aggcxt, batch->capacity * sizeof(uint32));
			batch->times = MemoryContextAlloc(aggcxt, batch->capacity * sizeof(int64));
			batch->group_capacity = 1024;
			batch->counts = MemoryContextAllocZero(aggcxt, batch->group_capacity * sizeof(uint32));
			batch->site = &fcinfo->flinfo->fn_extra;
			batch->on_reset.func = bench_batch_forget;
			batch->on_reset.arg = batch;
			MemoryContextRegisterResetCallback(aggcxt, &batch->on_reset);
			fcinfo->flinfo->fn_extra = batch;
		}
		if (batch->ngroups == batch->group_capacity)
		{
			batch->counts = repalloc_huge(batch->counts, 2 * (Size) batch->group_capacity * sizeof(uint32));
			memset(batch->counts + batch->group_capacity, 0, batch->group_capacity * sizeof(uint32));
			batch->group_capacity *= 2;
		}
		group = MemoryContextAlloc(aggcxt, sizeof(BenchBatchGroup));
		group->batch = batch;
		group->group = batch->ngroups++;
	}
	else
		group = (BenchBatchGroup *) PG_GETARG_POINTER(0);
	batch = group->batch;
	if (PG_ARGISNULL(2))
		PG_RETURN_POINTER(group);
	if (batch->nrows == batch->capacity)
	{
		batch->group_of = repalloc_huge(batch->group_of, 2 * batch->capacity * sizeof(uint32));
		batch->times = repalloc_huge(batch->times, 2 * batch->capacity * sizeof(int64));
		batch->capacity *= 2;
	}
	batch->group_of[batch->nrows] = group->group;
	batch->times[batch->nrows++] = PG_GETARG_INT64(2);
	batch->counts[group->group]++;
	PG_RETURN_POINTER(group);
}

PG_FUNCTION_INFO_V1(bench_batch_finalfn);
Datum
bench_batch_finalfn(PG_FUNCTION_ARGS)
{
	BenchBatchGroup *group;
	BenchBatch *batch;
	int64		i;
	int64		sum = 0;

	if (PG_ARGISNULL(0))
		PG_RETURN_INT64(0);
	group = (BenchBatchGroup *) PG_GETARG_POINTER(0);
	batch = group->batch;
	if (batch->sorted_rows != batch->nrows || batch->sorted == NULL)
	{
		int64		position = 0;

		if (batch->sorted != NULL)
		{
			pfree(batch->sorted);
			pfree(batch->ends);
		}
		batch->ends = MemoryContextAlloc(batch->cxt, (batch->ngroups + 1) * sizeof(uint32));
		for (i = 0; i < batch->ngroups; i++)
		{
			batch->ends[i] = position;
			position += batch->counts[i];
		}
		batch->sorted = MemoryContextAllocHuge(batch->cxt, Max(batch->nrows, 1) * sizeof(int64));
		for (i = 0; i < batch->nrows; i++)
			batch->sorted[batch->ends[batch->group_of[i]]++] = batch->times[i];
		batch->sorted_rows = batch->nrows;
	}
	/* read the group's rows, as an evaluation would */
	for (i = batch->ends[group->group] - batch->counts[group->group]; i < batch->ends[group->group]; i++)
		sum += batch->sorted[i] & 1;
	/* the bit never set in practice, but the compiler cannot drop the reads */
	PG_RETURN_INT64(batch->counts[group->group] + (sum & (INT64CONST(1) << 62)));
}
