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
