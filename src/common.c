/*
 * common.c
 *		Helpers every domain shares: one copy of each.
 */
#include "cx_journey.h"

#include "catalog/pg_type.h"
#include "common/int.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

PG_MODULE_MAGIC;

/* A user literal for an error message, cut at CX_QUOTE_MAX bytes. */
char *
cx_quote_literal(const char *text, size_t len)
{
	size_t		cut;

	if (len <= CX_QUOTE_MAX)
		return pnstrdup(text, len);
	/* cut on a character boundary so the message stays valid text */
	cut = pg_mbcliplen(text, (int) len, CX_QUOTE_MAX);
	return psprintf("%.*s...", (int) cut, text);
}

/* 0A000 for an explicit VARIADIC array given to a conditions list. */
void
cx_refuse_variadic_array(FunctionCallInfo fcinfo, const char *what,
						 const char *hint)
{
	/*
	 * With VARIADIC "any", an explicit VARIADIC array arrives as one array
	 * argument; the conditions are meant to be separate expressions.
	 */
	if (get_fn_expr_variadic(fcinfo->flinfo))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("%s takes its conditions as separate arguments, not as a VARIADIC array",
						what),
				 errhint("%s", hint)));
}

/*
 * The first argument from first on that is not boolean, or -1.  A domain
 * over boolean is boolean: its values are read as booleans.
 */
int
cx_first_non_bool_arg(FunctionCallInfo fcinfo, int first, Oid *type)
{
	int			i;

	for (i = first; i < PG_NARGS(); i++)
	{
		*type = get_fn_expr_argtype(fcinfo->flinfo, i);
		if (!OidIsValid(*type) || getBaseType(*type) != BOOLOID)
			return i - first;
	}
	return -1;
}

/* An interval argument as microseconds; what names it in errors (22023). */
int64
cx_interval_usec(const Interval *value, const char *what, bool allow_zero)
{
	int64		usec;
	int64		days;
	int64		rest;

	if (value->month != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s \"%s\" has a months part", what,
						DatumGetCString(DirectFunctionCall1(interval_out, IntervalPGetDatum(value)))),
				 errdetail("A month has no fixed length, so the %s would be ambiguous.", what),
				 errhint("Give the %s in days or smaller units, for example interval '30 days'.", what)));
	/*
	 * Whole days, then the rest, both of one sign: then neither partial sum
	 * overflows when the total fits ('106751992 days -100000000 seconds' is
	 * within range although its days alone are not).
	 */
	days = (int64) value->day + value->time / USECS_PER_DAY;
	rest = value->time % USECS_PER_DAY;
	if (days > 0 && rest < 0)
	{
		days--;
		rest += USECS_PER_DAY;
	}
	else if (days < 0 && rest > 0)
	{
		days++;
		rest -= USECS_PER_DAY;
	}
	if (pg_mul_s64_overflow(days, USECS_PER_DAY, &usec) ||
		pg_add_s64_overflow(usec, rest, &usec))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s \"%s\" is out of range", what,
						DatumGetCString(DirectFunctionCall1(interval_out, IntervalPGetDatum(value)))),
				 errhint("The %s can be at most about 292,000 years.", what)));
	if (usec < 0 || (usec == 0 && !allow_zero))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s \"%s\" must be %s zero", what,
						DatumGetCString(DirectFunctionCall1(interval_out, IntervalPGetDatum(value))),
						allow_zero ? "zero or more than" : "greater than"),
				 errhint(allow_zero ? "Give zero or a positive interval, for example interval '30 minutes'." :
						 "Give a positive interval, for example interval '30 minutes'.")));
	return usec;
}

/* Microseconds as an interval of days and time, as timestamp_mi writes it. */
Interval *
cx_usec_interval(int64 usec, Interval *result)
{
	result->month = 0;
	result->day = (int32) (usec / USECS_PER_DAY);
	result->time = usec % USECS_PER_DAY;
	return result;
}

/*
 * The next capacity when an array of cap elements must hold need: doubled
 * until it fits, at least min_cap, never above limit (the caller has
 * checked need <= limit).
 */
int64
cx_grow_capacity(int64 cap, int64 need, int64 min_cap, int64 limit)
{
	int64		next = Max(cap, min_cap);

	while (next < need)
		next *= 2;
	return Min(next, limit);
}

/*
 * JSON text that json-c's side malloc'd, as a text datum; serialized is
 * freed even when the copy fails, and NULL (json-c out of memory) is an
 * out-of-memory error naming what was being built.
 */
text *
cx_json_to_text(char *serialized, const char *what)
{
	text	   *result;

	if (serialized == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("out of memory while building %s", what)));
	PG_TRY();
	{
		/* a text datum holds at most 1 GB */
		if (strlen(serialized) > MaxAllocSize - VARHDRSZ)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("%s would be larger than 1 GB, the most a json value holds", what),
					 errhint("Convert a smaller value.")));
		result = cstring_to_text(serialized);
	}
	PG_FINALLY();
	{
		free(serialized);
	}
	PG_END_TRY();
	return result;
}

ArrayType *
cx_names_arg(FunctionCallInfo fcinfo, int argno, const CxNamesRules *rules)
{
	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be NULL", rules->noun),
				 errhint("%s", rules->hint)));
	return PG_GETARG_ARRAYTYPE_P(argno);
}

int
cx_names_elements(ArrayType *array, const CxNamesRules *rules, Datum **elems)
{
	bool	   *nulls;
	int			n;
	int			i;

	if (ARR_NDIM(array) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a one-dimensional text array, not %d-dimensional",
						rules->noun, ARR_NDIM(array))));
	/* counted before deconstructing: a huge array gets the limit's error, not an allocation's */
	n = ArrayGetNItems(ARR_NDIM(array), ARR_DIMS(array));
	if (n < 1 && rules->empty_msg != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s", rules->empty_msg)));
	if (n < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be empty", rules->noun),
				 errhint("%s", rules->hint)));
	if (rules->check_count != NULL)
		rules->check_count(n);
	deconstruct_array(array, TEXTOID, -1, false, TYPALIGN_INT, elems, &nulls, &n);
	for (i = 0; i < n; i++)
	{
		if (nulls[i])
			ereport(ERROR,
					(errcode(rules->null_sqlstate),
					 errmsg("%s %d is NULL", rules->element, i + 1),
					 errhint("%s", rules->null_hint)));
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	pfree(nulls);
	return n;
}

MemoryContext
cx_deserialize_start(FunctionCallInfo fcinfo, const char *fname, StringInfo buf)
{
	MemoryContext aggcxt;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "%s called in non-aggregate context", fname);
	cx_bytea_reader(PG_GETARG_BYTEA_PP(0), buf);
	return aggcxt;
}

void
cx_bad_state(const char *aggregate, const char *fmt,...)
{
	char		what[256];
	va_list		args;

	va_start(args, fmt);
	vsnprintf(what, sizeof(what), fmt, args);
	va_end(args);
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid %s state: %s", aggregate, what)));
}

void
cx_recv_need(StringInfo buf, int64 n, const char *type_name)
{
	int64		left = (int64) buf->len - buf->cursor;

	if (left < n)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary %s: the message ends early", type_name),
				 errdetail_plural("The next part needs %lld byte; %lld left.",
								  "The next part needs %lld bytes; %lld left.",
								  (unsigned long) n, (long long) n, (long long) left)));
}

Datum
cx_timestamptz_array(const int64 *times, int64 n)
{
	Datum	   *elems;
	ArrayType  *result;
	int64		i;

	if (n == 0)
		return PointerGetDatum(construct_empty_array(TIMESTAMPTZOID));
	elems = palloc_extended(sizeof(Datum) * n, MCXT_ALLOC_HUGE);
	for (i = 0; i < n; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		elems[i] = TimestampTzGetDatum(times[i]);
	}
	result = construct_array(elems, (int) n, TIMESTAMPTZOID, sizeof(TimestampTz),
							 FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);
	pfree(elems);
	return PointerGetDatum(result);
}
