/*
 * journey_stage.c
 *		The journey_stage type: I/O, comparison, casts and navigation.
 *
 * A journey_stage is one byte holding the lifecycle rank (1 = wooing ..
 * 5 = leadership), so every comparison is an integer comparison and the
 * sort order is the lifecycle order.
 */
#include "cx_journey.h"

#include "access/hash.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

void
cx_check_stage_rank(int64 rank)
{
	if (rank < CX_STAGE_MIN || rank > CX_STAGE_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("journey_stage rank %lld is out of range",
						(long long) rank),
				 errhint("Ranks run from 1 (wooing) to 5 (leadership).")));
}

/* Text input: a stage name or alias, case-insensitive, blanks trimmed. */
PG_FUNCTION_INFO_V1(journey_stage_in);
Datum
journey_stage_in(PG_FUNCTION_ARGS)
{
	char	   *text = PG_GETARG_CSTRING(0);
	size_t		len = strlen(text);
	int			rank = cx_stage_parse(text, len);

	if (rank == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type %s: \"%s\"",
						"journey_stage", cx_quote_literal(text, len)),
				 errhint("%s", cx_stage_hint())));
	PG_RETURN_JOURNEY_STAGE(rank);
}

/* Text output: the canonical lowercase name. */
PG_FUNCTION_INFO_V1(journey_stage_out);
Datum
journey_stage_out(PG_FUNCTION_ARGS)
{
	int			rank = PG_GETARG_JOURNEY_STAGE(0);
	const char *name = cx_stage_name(rank);

	if (name == NULL)
		elog(ERROR, "corrupt journey_stage value %d", rank);
	PG_RETURN_CSTRING(pstrdup(name));
}

/* Binary input: one byte, the rank. */
PG_FUNCTION_INFO_V1(journey_stage_recv);
Datum
journey_stage_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			rank;

	cx_recv_need(buf, 1, "journey_stage");
	rank = pq_getmsgbyte(buf);

	if (rank < CX_STAGE_MIN || rank > CX_STAGE_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary journey_stage: byte %d is not a stage rank",
						rank),
				 errdetail("A binary journey_stage is one byte from 1 (wooing) to 5 (leadership).")));
	PG_RETURN_JOURNEY_STAGE(rank);
}

/* Binary output: one byte, the rank. */
PG_FUNCTION_INFO_V1(journey_stage_send);
Datum
journey_stage_send(PG_FUNCTION_ARGS)
{
	int			rank = PG_GETARG_JOURNEY_STAGE(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, rank);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

#define STAGE_CMP_FUNC(name, op) \
PG_FUNCTION_INFO_V1(name); \
Datum \
name(PG_FUNCTION_ARGS) \
{ \
	PG_RETURN_BOOL(PG_GETARG_JOURNEY_STAGE(0) op PG_GETARG_JOURNEY_STAGE(1)); \
}

/* Comparison operators: lifecycle order. */
STAGE_CMP_FUNC(journey_stage_eq, ==)
STAGE_CMP_FUNC(journey_stage_ne, !=)
STAGE_CMP_FUNC(journey_stage_lt, <)
STAGE_CMP_FUNC(journey_stage_le, <=)
STAGE_CMP_FUNC(journey_stage_gt, >)
STAGE_CMP_FUNC(journey_stage_ge, >=)

/* Three-way comparison for the btree operator class. */
PG_FUNCTION_INFO_V1(journey_stage_cmp);
Datum
journey_stage_cmp(PG_FUNCTION_ARGS)
{
	int			a = PG_GETARG_JOURNEY_STAGE(0);
	int			b = PG_GETARG_JOURNEY_STAGE(1);

	PG_RETURN_INT32((a > b) - (a < b));
}

/* Hash of a stage, for the hash operator class. */
PG_FUNCTION_INFO_V1(journey_stage_hash);
Datum
journey_stage_hash(PG_FUNCTION_ARGS)
{
	return hash_uint32((uint32) PG_GETARG_JOURNEY_STAGE(0));
}

/* Seeded 64-bit hash of a stage, for the hash operator class. */
PG_FUNCTION_INFO_V1(journey_stage_hash_extended);
Datum
journey_stage_hash_extended(PG_FUNCTION_ARGS)
{
	return hash_uint32_extended((uint32) PG_GETARG_JOURNEY_STAGE(0),
								PG_GETARG_INT64(1));
}

/* The earlier of two stages (transition function of min). */
PG_FUNCTION_INFO_V1(journey_stage_smaller);
Datum
journey_stage_smaller(PG_FUNCTION_ARGS)
{
	int			a = PG_GETARG_JOURNEY_STAGE(0);
	int			b = PG_GETARG_JOURNEY_STAGE(1);

	PG_RETURN_JOURNEY_STAGE(a < b ? a : b);
}

/* The later of two stages (transition function of max). */
PG_FUNCTION_INFO_V1(journey_stage_larger);
Datum
journey_stage_larger(PG_FUNCTION_ARGS)
{
	int			a = PG_GETARG_JOURNEY_STAGE(0);
	int			b = PG_GETARG_JOURNEY_STAGE(1);

	PG_RETURN_JOURNEY_STAGE(a > b ? a : b);
}

/* Lifecycle rank of a stage, 1 (wooing) to 5 (leadership). */
PG_FUNCTION_INFO_V1(journey_stage_rank);
Datum
journey_stage_rank(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(PG_GETARG_JOURNEY_STAGE(0));
}

/* Cast int -> journey_stage: the stage of a rank, error outside 1..5. */
PG_FUNCTION_INFO_V1(journey_stage_from_int);
Datum
journey_stage_from_int(PG_FUNCTION_ARGS)
{
	int32		rank = PG_GETARG_INT32(0);

	cx_check_stage_rank(rank);
	PG_RETURN_JOURNEY_STAGE(rank);
}

/* The next stage in the lifecycle, NULL after leadership. */
PG_FUNCTION_INFO_V1(journey_stage_next);
Datum
journey_stage_next(PG_FUNCTION_ARGS)
{
	int			rank = PG_GETARG_JOURNEY_STAGE(0);

	if (rank >= CX_STAGE_MAX)
		PG_RETURN_NULL();
	PG_RETURN_JOURNEY_STAGE(rank + 1);
}

/* The previous stage in the lifecycle, NULL before wooing. */
PG_FUNCTION_INFO_V1(journey_stage_prev);
Datum
journey_stage_prev(PG_FUNCTION_ARGS)
{
	int			rank = PG_GETARG_JOURNEY_STAGE(0);

	if (rank <= CX_STAGE_MIN)
		PG_RETURN_NULL();
	PG_RETURN_JOURNEY_STAGE(rank - 1);
}

/* Every accepted spelling of a stage, canonical name first. */
static ArrayType *
stage_alias_array(int rank)
{
	const char *const *aliases = cx_stage_aliases(rank);
	Datum		elems[8];
	int			n = 0;

	while (aliases[n] != NULL && n < (int) lengthof(elems))
	{
		elems[n] = CStringGetTextDatum(aliases[n]);
		n++;
	}
	return construct_array(elems, n, TEXTOID, -1, false, TYPALIGN_INT);
}

/* Set-returning: (rank, stage, aliases) for every stage, in order. */
PG_FUNCTION_INFO_V1(journey_stages);
Datum
journey_stages(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext oldcontext;
		TupleDesc	tupdesc;

		funcctx = SRF_FIRSTCALL_INIT();
		oldcontext = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "journey_stages must be called in a context that accepts a record");
		funcctx->tuple_desc = BlessTupleDesc(tupdesc);
		funcctx->max_calls = CX_STAGE_COUNT;
		MemoryContextSwitchTo(oldcontext);
	}
	funcctx = SRF_PERCALL_SETUP();
	if (funcctx->call_cntr < funcctx->max_calls)
	{
		int			rank = (int) funcctx->call_cntr + 1;
		Datum		values[3];
		bool		nulls[3] = {false, false, false};
		HeapTuple	tuple;

		values[0] = Int32GetDatum(rank);
		values[1] = JourneyStageGetDatum(rank);
		values[2] = PointerGetDatum(stage_alias_array(rank));
		tuple = heap_form_tuple(funcctx->tuple_desc, values, nulls);
		SRF_RETURN_NEXT(funcctx, HeapTupleGetDatum(tuple));
	}
	SRF_RETURN_DONE(funcctx);
}
