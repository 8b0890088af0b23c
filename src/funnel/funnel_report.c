/*
 * funnel_report.c
 *		Across-customer funnel reports: funnel_counts, retention,
 *		retention_counts, funnel_table and funnel_json.
 *
 * The counting aggregates keep an ordinary bigint[] state (no "internal"),
 * so they run in parallel plans and on distributed systems; their combine
 * function adds arrays element by element.
 */
#include "cx_journey.h"

#include "catalog/pg_type.h"
#include "common/int.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/numeric.h"

#include "funnel_args.h"
#include "json_build.h"
#include "window_funnel.h"

/* Most steps a funnel_counts array may have. */
#define FUNNEL_COUNTS_MAX_STEPS 1000

/* Check that an array is a one-dimensional bigint[] without NULLs; its length. */
static int
counts_array_length(ArrayType *array, const char *what)
{
	if (ARR_ELEMTYPE(array) != INT8OID)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("%s must be a bigint array", what)));
	if (ARR_NDIM(array) == 0)
		return 0;
	if (ARR_NDIM(array) != 1 || ARR_LBOUND(array)[0] != 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a one-dimensional array starting at 1", what)));
	if (ARR_HASNULL(array) && array_contains_nulls(array))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s must not contain NULL elements", what)));
	return ARR_DIMS(array)[0];
}

/* A zeroed bigint[] of n elements in the given context. */
static ArrayType *
counts_array_new(MemoryContext cxt, int n)
{
	MemoryContext old = MemoryContextSwitchTo(cxt);
	Datum	   *zeros = palloc0(n * sizeof(Datum));
	ArrayType  *result;
	int			i;

	for (i = 0; i < n; i++)
		zeros[i] = Int64GetDatum(0);
	result = construct_array(zeros, n, INT8OID, sizeof(int64), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);
	pfree(zeros);
	MemoryContextSwitchTo(old);
	return result;
}

/*
 * The state array to update: in an aggregate the state belongs to us and is
 * updated in place; called directly, work on a copy of the argument.
 */
static ArrayType *
counts_state(FunctionCallInfo fcinfo, int argno, int n, const char *agg)
{
	MemoryContext aggcxt;
	bool		in_agg = AggCheckCallContext(fcinfo, &aggcxt) != 0;
	ArrayType  *state;

	if (PG_ARGISNULL(argno))
		return counts_array_new(in_agg ? aggcxt : CurrentMemoryContext, n);
	state = in_agg ? PG_GETARG_ARRAYTYPE_P(argno) : PG_GETARG_ARRAYTYPE_P_COPY(argno);
	if (counts_array_length(state, "the state") != n)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s needs the same number of steps in every row", agg),
				 errdetail("One row has %d, an earlier one had %d.", n,
						   counts_array_length(state, "the state"))));
	return state;
}

/*
 * Add n to one count, 22003 past bigint: only a state passed to the support
 * functions by hand can hold counts that large.
 */
static void
count_add(int64 *count, int64 n)
{
	if (pg_add_s64_overflow(*count, n, count))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("customer count out of range for bigint")));
}

/* Transition of funnel_counts: add one customer of a given level. */
PG_FUNCTION_INFO_V1(funnel_counts_transfn);
Datum
funnel_counts_transfn(PG_FUNCTION_ARGS)
{
	int32		level;
	int32		steps;
	ArrayType  *state;
	int64	   *counts;
	int			k;

	if (PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel_counts needs the number of steps, not NULL")));
	steps = PG_GETARG_INT32(2);
	if (steps < 1 || steps > FUNNEL_COUNTS_MAX_STEPS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel_counts steps must be between 1 and %d, not %d",
						FUNNEL_COUNTS_MAX_STEPS, steps)));
	if (PG_ARGISNULL(1))
	{
		/* a customer without a level is not counted */
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	level = PG_GETARG_INT32(1);
	if (level < 0 || level > steps)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel level %d is outside 0 .. %d", level, steps),
				 errhint("Pass the result of window_funnel and its number of steps.")));
	state = counts_state(fcinfo, 0, steps, "funnel_counts");
	counts = (int64 *) ARR_DATA_PTR(state);
	/* element k counts customers whose level is at least k (cumulative) */
	for (k = 0; k < level; k++)
		count_add(&counts[k], 1);
	PG_RETURN_ARRAYTYPE_P(state);
}

/* Combine of the counting aggregates: element-wise sum of two arrays. */
PG_FUNCTION_INFO_V1(counts_array_add);
Datum
counts_array_add(PG_FUNCTION_ARGS)
{
	ArrayType  *right = PG_GETARG_ARRAYTYPE_P(1);
	int			n = counts_array_length(right, "a partial count");
	ArrayType  *left = counts_state(fcinfo, 0, n, "a funnel count");
	int64	   *l = (int64 *) ARR_DATA_PTR(left);
	int64	   *r = (int64 *) ARR_DATA_PTR(right);
	int			i;

	for (i = 0; i < n; i++)
		count_add(&l[i], r[i]);
	PG_RETURN_ARRAYTYPE_P(left);
}

/* Transition of retention_counts: add one customer's retention array. */
PG_FUNCTION_INFO_V1(retention_counts_transfn);
Datum
retention_counts_transfn(PG_FUNCTION_ARGS)
{
	ArrayType  *flags;
	ArrayType  *state;
	int64	   *counts;
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	int			i;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	flags = PG_GETARG_ARRAYTYPE_P(1);
	if (ARR_NDIM(flags) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("retention_counts takes a one-dimensional boolean array")));
	deconstruct_array(flags, BOOLOID, 1, true, TYPALIGN_CHAR, &elems, &nulls, &n);
	if (n < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("retention_counts takes a non-empty boolean array")));
	state = counts_state(fcinfo, 0, n, "retention_counts");
	counts = (int64 *) ARR_DATA_PTR(state);
	for (i = 0; i < n; i++)
		if (!nulls[i] && DatumGetBool(elems[i]))
			count_add(&counts[i], 1);
	PG_RETURN_ARRAYTYPE_P(state);
}

/* Check once per query that every condition argument is boolean. */
static int
retention_conditions(FunctionCallInfo fcinfo, int first)
{
	int			n = PG_NARGS() - first;

	if (fcinfo->flinfo->fn_extra == NULL)
	{
		Oid			type;
		int			bad;

		cx_refuse_variadic_array(fcinfo, "retention",
								 "List the conditions, for example retention(kind = 'signup', kind = 'purchase').");
		retention_check_count(n);
		bad = cx_first_non_bool_arg(fcinfo, first, &type);
		if (bad >= 0)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("retention condition %d must be boolean, not type %s",
							bad + 1, OidIsValid(type) ? format_type_be(type) : "unknown")));
		fcinfo->flinfo->fn_extra = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, 1);
	}
	return n;
}

/* Transition of retention: remember which conditions were ever true. */
PG_FUNCTION_INFO_V1(retention_transfn);
Datum
retention_transfn(PG_FUNCTION_ARGS)
{
	int64		seen = PG_ARGISNULL(0) ? 0 : PG_GETARG_INT64(0);
	int			n = retention_conditions(fcinfo, 1);
	int			i;

	for (i = 0; i < n; i++)
		if (!PG_ARGISNULL(1 + i) && PG_GETARG_BOOL(1 + i))
			seen |= INT64CONST(1) << i;
	PG_RETURN_INT64(seen);
}

/* Final of retention: r1 = cond1 seen; ri = cond1 and condi both seen. */
PG_FUNCTION_INFO_V1(retention_finalfn);
Datum
retention_finalfn(PG_FUNCTION_ARGS)
{
	int64		seen = PG_ARGISNULL(0) ? 0 : PG_GETARG_INT64(0);
	int			n = PG_NARGS() - 1;
	bool		first = (seen & 1) != 0;
	Datum	   *elems;
	int			i;

	/* the aggregate has checked its count; a direct call gets the same errors */
	retention_check_count(n);
	elems = palloc(n * sizeof(Datum));
	for (i = 0; i < n; i++)
		elems[i] = BoolGetDatum(first && ((seen >> i) & 1));
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, n, BOOLOID, 1, true, TYPALIGN_CHAR));
}

/* One row of a funnel report. */
typedef struct FunnelReportRow
{
	int			step;
	char	   *label;
	int64		customers;
	Datum		pct_first;
	bool		pct_first_null;
	Datum		pct_previous;
	bool		pct_previous_null;
} FunnelReportRow;

/* round(100 * part / whole, 2) as numeric; NULL when whole is 0. */
Datum
funnel_percent(int64 part, int64 whole, bool *isnull)
{
	Datum		ratio;

	*isnull = (whole == 0);
	if (*isnull)
		return (Datum) 0;
	ratio = DirectFunctionCall2(numeric_div,
								DirectFunctionCall2(numeric_mul,
													DirectFunctionCall1(int8_numeric, Int64GetDatum(part)),
													DirectFunctionCall1(int8_numeric, Int64GetDatum(100))),
								DirectFunctionCall1(int8_numeric, Int64GetDatum(whole)));
	return DirectFunctionCall2(numeric_round, ratio, Int32GetDatum(2));
}

/* Build the report rows of funnel_table and funnel_json. */
static FunnelReportRow *
funnel_report_rows(FunctionCallInfo fcinfo, int *nrows)
{
	ArrayType  *counts_array = PG_GETARG_ARRAYTYPE_P(0);
	int			n = counts_array_length(counts_array, "the counts");
	int64	   *counts = n > 0 ? (int64 *) ARR_DATA_PTR(counts_array) : NULL;
	Datum	   *labels = NULL;
	bool	   *label_nulls = NULL;
	int			nlabels = 0;
	FunnelReportRow *rows;
	int			k;

	if (!PG_ARGISNULL(1))
	{
		ArrayType  *label_array = PG_GETARG_ARRAYTYPE_P(1);

		if (ARR_NDIM(label_array) > 1)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("funnel labels must be a one-dimensional text array")));
		deconstruct_array(label_array, TEXTOID, -1, false, TYPALIGN_INT,
						  &labels, &label_nulls, &nlabels);
		if (nlabels != n)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%d funnel labels given for %d steps", nlabels, n),
					 errhint("Give one label per step, or NULL for \"step 1\", \"step 2\", ...")));
	}
	rows = palloc0(Max(n, 1) * sizeof(FunnelReportRow));
	for (k = 0; k < n; k++)
	{
		if (counts[k] < 0 || (k > 0 && counts[k] > counts[k - 1]))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("funnel counts must be non-negative and must not grow from one step to the next"),
					 errdetail("Step %d has %lld customers.", k + 1, (long long) counts[k]),
					 errhint("Pass the result of funnel_counts (cumulative counts).")));
		rows[k].step = k + 1;
		rows[k].label = (labels != NULL && !label_nulls[k]) ?
			TextDatumGetCString(labels[k]) : psprintf("step %d", k + 1);
		rows[k].customers = counts[k];
		rows[k].pct_first = funnel_percent(counts[k], counts[0], &rows[k].pct_first_null);
		rows[k].pct_previous = funnel_percent(counts[k], k == 0 ? counts[0] : counts[k - 1],
											  &rows[k].pct_previous_null);
	}
	*nrows = n;
	return rows;
}

/* funnel_table: one row per step, ready for a BI funnel chart. */
PG_FUNCTION_INFO_V1(funnel_table);
Datum
funnel_table(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;
	FunnelReportRow *rows;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext oldcontext;
		TupleDesc	tupdesc;
		int			nrows;

		funcctx = SRF_FIRSTCALL_INIT();
		oldcontext = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "funnel_table must be called in a context that accepts a record");
		funcctx->tuple_desc = BlessTupleDesc(tupdesc);
		/* NULL counts (no customers at all): no rows */
		if (PG_ARGISNULL(0))
			nrows = 0;
		else
			funcctx->user_fctx = funnel_report_rows(fcinfo, &nrows);
		funcctx->max_calls = nrows;
		MemoryContextSwitchTo(oldcontext);
	}
	funcctx = SRF_PERCALL_SETUP();
	rows = (FunnelReportRow *) funcctx->user_fctx;
	if (funcctx->call_cntr < funcctx->max_calls)
	{
		FunnelReportRow *row = &rows[funcctx->call_cntr];
		Datum		values[5];
		bool		nulls[5] = {false, false, false, false, false};

		values[0] = Int32GetDatum(row->step);
		values[1] = CStringGetTextDatum(row->label);
		values[2] = Int64GetDatum(row->customers);
		values[3] = row->pct_first;
		nulls[3] = row->pct_first_null;
		values[4] = row->pct_previous;
		nulls[4] = row->pct_previous_null;
		SRF_RETURN_NEXT(funcctx, HeapTupleGetDatum(heap_form_tuple(funcctx->tuple_desc, values, nulls)));
	}
	SRF_RETURN_DONE(funcctx);
}

/* funnel_json: the funnel report as a JSON array of step objects. */
PG_FUNCTION_INFO_V1(funnel_json);
Datum
funnel_json(PG_FUNCTION_ARGS)
{
	int			nrows;
	FunnelReportRow *rows;
	int			size;
	const char **labels;
	int64_t    *customers;
	const char **first_text;
	const char **previous_text;
	char	   *serialized;
	int			k;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	rows = funnel_report_rows(fcinfo, &nrows);
	size = Max(nrows, 1);
	labels = palloc0(size * sizeof(char *));
	customers = palloc0(size * sizeof(int64_t));
	first_text = palloc0(size * sizeof(char *));
	previous_text = palloc0(size * sizeof(char *));

	for (k = 0; k < nrows; k++)
	{
		labels[k] = rows[k].label;
		customers[k] = rows[k].customers;
		if (!rows[k].pct_first_null)
			first_text[k] = DatumGetCString(DirectFunctionCall1(numeric_out, rows[k].pct_first));
		if (!rows[k].pct_previous_null)
			previous_text[k] = DatumGetCString(DirectFunctionCall1(numeric_out, rows[k].pct_previous));
	}
	serialized = cx_funnel_json_build(nrows, labels, customers, first_text, previous_text);
	PG_RETURN_TEXT_P(cx_json_to_text(serialized, "the funnel JSON"));
}
