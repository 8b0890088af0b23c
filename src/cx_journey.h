/*
 * cx_journey.h
 *		Declarations shared by the backend files of cx_journey.
 */
#ifndef CX_JOURNEY_H
#define CX_JOURNEY_H

#include "postgres.h"
#include "fmgr.h"
#include "datatype/timestamp.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"

#include "stage_parse.h"

/* A journey_stage is one byte holding its lifecycle rank, passed by value. */
#define DatumGetJourneyStage(d)		((int) DatumGetChar(d))
#define JourneyStageGetDatum(r)		CharGetDatum((char) (r))
#define PG_GETARG_JOURNEY_STAGE(n)	DatumGetJourneyStage(PG_GETARG_DATUM(n))
#define PG_RETURN_JOURNEY_STAGE(r)	return JourneyStageGetDatum(r)

/* How much of a bad literal an error message quotes, in bytes. */
#define CX_QUOTE_MAX 60

/* Quote a user literal for an error message, cut (with "...") when long. */
extern char *cx_quote_literal(const char *text, size_t len);

/* Read a bytea (a serialized aggregate state) with the pq_getmsg functions. */
static inline void
cx_bytea_reader(bytea *bytes, StringInfo buf)
{
	buf->data = VARDATA_ANY(bytes);
	buf->len = VARSIZE_ANY_EXHDR(bytes);
	buf->maxlen = buf->len;
	buf->cursor = 0;
}

/*
 * A new bytea of exactly payload bytes (a serialized aggregate state) and
 * buf set to fill it with the pq_write functions: one allocation per state.
 */
static inline bytea *
cx_bytea_writer(Size payload, StringInfo buf)
{
	bytea	   *result = palloc(VARHDRSZ + payload);

	SET_VARSIZE(result, VARHDRSZ + payload);
	buf->data = VARDATA(result);
	buf->len = 0;
	buf->maxlen = payload;
	buf->cursor = 0;
	return result;
}

/* The call site's cache (fn_extra) of size bytes, made zeroed in fn_mcxt on its first call. */
static inline void *
cx_call_site_cache(FunctionCallInfo fcinfo, Size size)
{
	if (fcinfo->flinfo->fn_extra == NULL)
		fcinfo->flinfo->fn_extra = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, size);
	return fcinfo->flinfo->fn_extra;
}

/*
 * The bytes and length of text argument argno; NULL is 22023 "<what> must
 * not be NULL" with hint (what to pass instead).
 */
static inline void
cx_text_arg(FunctionCallInfo fcinfo, int argno, const char *what, const char *hint,
			const char **bytes, int *len)
{
	text	   *value;

	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be NULL", what),
				 errhint("%s", hint)));
	value = PG_GETARG_TEXT_PP(argno);
	*bytes = VARDATA_ANY(value);
	*len = VARSIZE_ANY_EXHDR(value);
}

/*
 * The start every combine function of ours shares: checks the call
 * context and sets *aggcxt (when not NULL).  Returns true when one side is
 * NULL; *result is then the answer: the other side, or NULL.  A
 * group's first partial state becomes its state without a copy: partial
 * states always come through deserialize, which made them for this call in
 * the aggregate context.  Otherwise both states are left to merge.
 */
static inline bool
cx_combine_one_side(FunctionCallInfo fcinfo, const char *fname,
					MemoryContext *aggcxt, Datum *result)
{
	if (!AggCheckCallContext(fcinfo, aggcxt))
		elog(ERROR, "%s called in non-aggregate context", fname);
	if (!PG_ARGISNULL(0) && !PG_ARGISNULL(1))
		return false;
	*result = PG_ARGISNULL(1) ? PG_GETARG_DATUM(0) : PG_GETARG_DATUM(1);
	return true;
}

/* The answer of a combine function when cx_combine_one_side said so. */
#define CX_RETURN_COMBINE_ONE_SIDE(result) \
	do { \
		if (PG_ARGISNULL(0) && PG_ARGISNULL(1)) \
			PG_RETURN_NULL(); \
		PG_RETURN_DATUM(result); \
	} while (0)

/*
 * Refuse an explicit VARIADIC array given to an aggregate whose conditions
 * are VARIADIC "any" (SQLSTATE 0A000, naming what and with the hint).
 */
extern void cx_refuse_variadic_array(FunctionCallInfo fcinfo, const char *what,
									 const char *hint);

/*
 * The position (0-based, counted from argument first) of the first argument
 * from first on that is not boolean, with its type in *type; -1 if none.
 */
extern int	cx_first_non_bool_arg(FunctionCallInfo fcinfo, int first, Oid *type);

/*
 * How cx_names_arg and cx_names_elements check a text[] argument of names
 * (funnel steps, retention steps, a growth map) and word its errors.
 */
typedef struct CxNamesRules
{
	const char *noun;			/* "funnel steps": "<noun> must not be NULL" */
	const char *element;		/* "funnel step": "<element> 2 is NULL" */
	const char *empty_msg;		/* for no element; NULL: "<noun> must not be empty" */
	const char *hint;			/* how to give the argument (NULL, empty) */
	const char *null_hint;		/* how to fix a NULL element */
	int			null_sqlstate;	/* of a NULL element */
	void		(*check_count) (int n);	/* raises past the limit; or NULL */
} CxNamesRules;

/* Argument argno, detoasted; 22023 when NULL. */
extern struct ArrayType *cx_names_arg(FunctionCallInfo fcinfo, int argno,
									  const CxNamesRules *rules);

/*
 * The elements of a names array, into *elems; returns their number.  22023
 * when it has more than one dimension or none, check_count's error past
 * the limit, null_sqlstate for a NULL element.
 */
extern int	cx_names_elements(struct ArrayType *array, const CxNamesRules *rules,
							  Datum **elems);

/*
 * The mask of the names (n of them, lens[i] bytes at names[i]) equal byte
 * for byte to the len bytes at event: the step match of one row of the
 * event-form aggregates.
 */
static inline uint64
cx_names_mask(const int32 *lens, char *const *names, int n, const char *event, int len)
{
	uint64		mask = 0;
	int			i;

	for (i = 0; i < n; i++)
	{
		if (lens[i] == len && memcmp(names[i], event, len) == 0)
			mask |= UINT64CONST(1) << i;
	}
	return mask;
}

/*
 * What deserialize and receive functions accept of the text and times a
 * value carries, since they come back out as text and timestamptz: text
 * without a zero byte and valid in the database's encoding; a time within
 * timestamptz's range, or +-infinity.
 */
static inline bool
cx_valid_text(const char *bytes, int len)
{
	return memchr(bytes, '\0', len) == NULL && pg_verifymbstr(bytes, len, true);
}

static inline bool
cx_valid_time(int64 ts)
{
	return IS_VALID_TIMESTAMP(ts) || TIMESTAMP_NOT_FINITE(ts);
}

/*
 * Raise 22P03 for a partial state of aggregate that deserialize refuses:
 * "invalid <aggregate> state: <what>", what formatted as by printf.
 */
extern void cx_bad_state(const char *aggregate, const char *fmt,...)
			pg_attribute_printf(2, 3) pg_attribute_noreturn();

/*
 * The start every deserialize function of ours shares: checks the call
 * context (fname names the function), sets buf to read argument 0 and
 * returns the aggregate context.
 */
extern MemoryContext cx_deserialize_start(FunctionCallInfo fcinfo, const char *fname,
										  StringInfo buf);

/*
 * Raise 22P03 ("invalid binary <type_name>: the message ends early") unless
 * buf has n more bytes.  A recv function calls it before pq_getmsg*, which
 * would raise 08P01, a protocol error, for a value that is merely short.
 */
extern void cx_recv_need(StringInfo buf, int64 n, const char *type_name);

/* Sort n 8-byte integers ascending, in place. */
extern void cx_sort_int64(int64 *values, int64 n);

/*
 * An interval argument as microseconds (src/common.c): 22023 when it has a
 * months part, overflows, is negative, or is zero and allow_zero is false.
 * what names the argument in the message ("funnel window", "session gap").
 */
extern int64 cx_interval_usec(const Interval *value, const char *what, bool allow_zero);

/*
 * usec microseconds (>= 0) as timestamp subtraction writes them: days and
 * time, no months, into *result; returns result.
 */
extern Interval *cx_usec_interval(int64 usec, Interval *result);

/*
 * An interval argument that is usually a constant, converted by
 * cx_interval_usec once per distinct value rather than once per row.
 */
typedef struct CxCachedInterval
{
	bool		known;
	Interval	value;
	int64		usec;
} CxCachedInterval;

static inline int64
cx_cached_interval_usec(CxCachedInterval *cache, const Interval *value,
						const char *what, bool allow_zero)
{
	if (!cache->known || value->time != cache->value.time ||
		value->day != cache->value.day || value->month != cache->value.month)
	{
		cache->usec = cx_interval_usec(value, what, allow_zero);
		cache->value = *value;
		cache->known = true;
	}
	return cache->usec;
}

/* malloc'd JSON text as a text datum, freed on every path (src/common.c). */
extern text *cx_json_to_text(char *serialized, const char *what);

/* n times as a timestamptz[] datum ('{}' for none) (src/common.c). */
extern Datum cx_timestamptz_array(const int64 *times, int64 n);

/* Grow-by-doubling capacity for arrays of rows (src/common.c). */
extern int64 cx_grow_capacity(int64 cap, int64 need, int64 min_cap, int64 limit);

/* Raise 22003 unless rank is a valid lifecycle rank. */
extern void cx_check_stage_rank(int64 rank);

#endif							/* CX_JOURNEY_H */
