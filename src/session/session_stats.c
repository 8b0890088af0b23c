/*
 * session_stats.c
 *		The session_stats aggregate: per group, the number of sessions, their
 *		average and longest duration and their average number of rows, cut
 *		by the rules of session_id (session_rules.h) with rows in any order.
 *
 * SQL forms: session_stats(gap, ts) and session_stats(gap, ts, max_duration,
 * max_events), for timestamptz and timestamp; the 0.2.0 form
 * session_stats(ts, gap) is a deprecated alias on the same functions (the
 * transition function tells the forms apart by the type of its first
 * argument).
 *
 * The state is one allocation in the aggregate context: the options and
 * the group's timestamps inline after them, the whole grown by doubling.
 * The final function sorts the timestamps and walks them once.  The option
 * reading and that walk (session_read_options, session_summary) are shared
 * with session_stats over a stored path (session_path.c) through
 * session_summary.h, so both give the same answers and errors.
 */
#include "cx_journey.h"

#include "catalog/pg_type.h"
#include "common/int.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"

#include "session_rules.h"
#include "session_summary.h"

/* Most timestamps one session_stats group keeps before it refuses (54000). */
#define SESSION_MAX_ROWS		(64 * 1024 * 1024)

/*
 * Aggregate state.  Declared in SQL as SSPACE = SESSION_STATE_SIZE: the
 * fixed part (32 bytes) and the 28 timestamps a new state holds inline.
 */
typedef struct SessionStatsState
{
	int64		gap;			/* microseconds, > 0 */
	int64		max_duration;	/* microseconds; 0: no cap */
	int32		max_events;		/* 0: no cap */
	int32		count;			/* timestamps held */
	int32		capacity;		/* timestamps that fit in ts */
	bool		sorted;			/* ts is ascending */
	int64		ts[FLEXIBLE_ARRAY_MEMBER];
} SessionStatsState;

/* A new state: four cache lines (an allocator size class), 28 timestamps. */
#define SESSION_STATE_SIZE		256
#define SESSION_HEADER_SIZE		offsetof(SessionStatsState, ts)
#define SESSION_INLINE_ROWS \
	((int32) ((SESSION_STATE_SIZE - SESSION_HEADER_SIZE) / sizeof(int64)))

StaticAssertDecl(offsetof(SessionStatsState, ts) == 32,
				 "the SSPACE of session_stats in the upgrade script counts a 32-byte fixed state");

/* Serialized: gap, max_duration, max_events, count, then the timestamps. */
#define SESSION_SERIAL_HEADER	(8 + 8 + 4 + 4)

/* Per-call-site data of the transition function. */
typedef struct SessionStatsCache
{
	int			gap_arg;		/* argument positions: the 0.3.0 form (gap, ts) */
	int			ts_arg;			/* or the deprecated 0.2.0 form (ts, gap) */
	SessionOptionsCache options;
} SessionStatsCache;

/* A new state for the options, with room for capacity timestamps. */
static SessionStatsState *
session_stats_new(MemoryContext cxt, const SessionOptions *options, int32 capacity)
{
	SessionStatsState *state;

	state = MemoryContextAlloc(cxt, SESSION_HEADER_SIZE + (Size) capacity * sizeof(int64));
	state->gap = options->gap;
	state->max_duration = options->max_duration;
	state->max_events = options->max_events;
	state->count = 0;
	state->capacity = capacity;
	state->sorted = true;
	return state;
}

/* The state, moved if need be, with room for extra more timestamps. */
static SessionStatsState *
session_stats_reserve(SessionStatsState *state, int64 extra)
{
	int64		need = (int64) state->count + extra;
	int64		capacity;

	if (need <= state->capacity)
		return state;
	if (need > SESSION_MAX_ROWS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("session_stats keeps at most %d rows per group", SESSION_MAX_ROWS),
				 errhint("Narrow the time range, or group by a finer key.")));
	/* doubling keeps the copies linear in the rows */
	capacity = cx_grow_capacity(state->capacity, need, SESSION_INLINE_ROWS, SESSION_MAX_ROWS);
	state = repalloc(state, SESSION_HEADER_SIZE + (Size) capacity * sizeof(int64));
	state->capacity = (int32) capacity;
	return state;
}

static inline void
session_stats_add(SessionStatsState *state, int64 ts)
{
	Assert(state->count < state->capacity);
	if (state->count > 0 && ts < state->ts[state->count - 1])
		state->sorted = false;
	state->ts[state->count++] = ts;
}

/* An option of usec microseconds as quoted interval text, or NULL (no cap) when 0. */
static char *
session_option_text(int64 usec, bool zero_is_null)
{
	Interval	value;

	if (usec == 0 && zero_is_null)
		return "NULL";
	return psprintf("\"%s\"",
					DatumGetCString(DirectFunctionCall1(interval_out,
														IntervalPGetDatum(cx_usec_interval(usec, &value)))));
}

/*
 * The rows of a group must share their options: merging differing ones would
 * be meaningless.  The message names the first option that differs and
 * quotes both values (the group's first).
 */
static void
session_stats_check_options(const SessionStatsState *state, const SessionOptions *options)
{
	const char *what;
	char	   *group_value;
	char	   *other_value;

	if (state->gap != options->gap)
	{
		what = "gap";
		group_value = session_option_text(state->gap, false);
		other_value = session_option_text(options->gap, false);
	}
	else if (state->max_duration != options->max_duration)
	{
		what = "max_duration";
		group_value = session_option_text(state->max_duration, true);
		other_value = session_option_text(options->max_duration, true);
	}
	else if (state->max_events != options->max_events)
	{
		what = "max_events";
		group_value = state->max_events == 0 ? "NULL" : psprintf("%d", state->max_events);
		other_value = options->max_events == 0 ? "NULL" : psprintf("%d", options->max_events);
	}
	else
		return;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("session_stats %s differs within a group: %s and %s",
					what, group_value, other_value),
			 errdetail("The gap, max_duration and max_events must be the same for every row of a group."),
			 errhint("Pass constants, or group by the option too.")));
}

/*
 * The options of the current call, checked (22023): shared with
 * session_stats over a path (session_path.c).
 */
void
session_read_options(FunctionCallInfo fcinfo, SessionOptionsCache *cache,
					 int gap_arg, int caps_arg, SessionOptions *options)
{
	if (PG_ARGISNULL(gap_arg))
		session_gap_null_error();
	options->gap = cx_cached_interval_usec(&cache->gap, PG_GETARG_INTERVAL_P(gap_arg),
										   "session gap", false);
	/* the caps: NULL (or an absent argument) means no cap */
	options->max_duration = 0;
	options->max_events = 0;
	if (PG_NARGS() > caps_arg && !PG_ARGISNULL(caps_arg))
		options->max_duration = cx_cached_interval_usec(&cache->max_duration,
														PG_GETARG_INTERVAL_P(caps_arg),
														"session max_duration", false);
	if (PG_NARGS() > caps_arg + 1 && !PG_ARGISNULL(caps_arg + 1))
	{
		options->max_events = PG_GETARG_INT32(caps_arg + 1);
		session_check_max_events(options->max_events);
	}
}

/* Transition of session_stats: remember one timestamp; NULL times skipped. */
PG_FUNCTION_INFO_V1(session_stats_transfn);
Datum
session_stats_transfn(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	SessionStatsState *state;
	SessionStatsCache *cache;
	SessionOptions options;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "session_stats_transfn called in non-aggregate context");
	cache = (SessionStatsCache *) fcinfo->flinfo->fn_extra;
	if (cache == NULL)
	{
		cache = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(SessionStatsCache));
		/* session_stats(gap, ts, ...) or the deprecated session_stats(ts, gap) */
		switch (get_fn_expr_argtype(fcinfo->flinfo, 1))
		{
			case INTERVALOID:
				cache->gap_arg = 1;
				cache->ts_arg = 2;
				break;
			case TIMESTAMPOID:
			case TIMESTAMPTZOID:
				cache->ts_arg = 1;
				cache->gap_arg = 2;
				break;
			default:
				elog(ERROR, "session_stats_transfn: cannot tell the order of its arguments");
		}
		fcinfo->flinfo->fn_extra = cache;
	}
	state = PG_ARGISNULL(0) ? NULL : (SessionStatsState *) PG_GETARG_POINTER(0);
	/* the caps, when given, are arguments 3 and 4 in the 0.3.0 form */
	session_read_options(fcinfo, &cache->options, cache->gap_arg, 3, &options);
	/*
	 * The options are the group's: every row must agree, a row with a NULL
	 * time too (as in window_funnel), so the state exists from the first
	 * row on.  A group with no time keeps an empty state; its summary is
	 * NULL.
	 */
	if (state == NULL)
		state = session_stats_new(aggcxt, &options, SESSION_INLINE_ROWS);
	else
		session_stats_check_options(state, &options);
	/* a NULL time skips the row */
	if (PG_ARGISNULL(cache->ts_arg))
		PG_RETURN_POINTER(state);
	if (state->count >= state->capacity)
		state = session_stats_reserve(state, 1);
	session_stats_add(state, PG_GETARG_INT64(cache->ts_arg));
	PG_RETURN_POINTER(state);
}

/* Combine of session_stats: the timestamps of both partial states. */
PG_FUNCTION_INFO_V1(session_stats_combinefn);
Datum
session_stats_combinefn(PG_FUNCTION_ARGS)
{
	SessionStatsState *left;
	SessionStatsState *right;
	SessionOptions options;
	Datum		one_side;

	if (cx_combine_one_side(fcinfo, "session_stats_combinefn", NULL, &one_side))
		CX_RETURN_COMBINE_ONE_SIDE(one_side);
	left = (SessionStatsState *) PG_GETARG_POINTER(0);
	right = (SessionStatsState *) PG_GETARG_POINTER(1);
	options.gap = right->gap;
	options.max_duration = right->max_duration;
	options.max_events = right->max_events;
	session_stats_check_options(left, &options);
	if (right->count > 0)
	{
		left = session_stats_reserve(left, right->count);
		if (left->count > 0 && right->ts[0] < left->ts[left->count - 1])
			left->sorted = false;
		left->sorted = left->sorted && right->sorted;
		memcpy(left->ts + left->count, right->ts, (Size) right->count * sizeof(int64));
		left->count += right->count;
	}
	/* right's rows are copied: free it (one allocation, made by deserialize) */
	pfree(right);
	PG_RETURN_POINTER(left);
}

/* Serialize session_stats: the options, the count, then the timestamps. */
PG_FUNCTION_INFO_V1(session_stats_serialize);
Datum
session_stats_serialize(PG_FUNCTION_ARGS)
{
	SessionStatsState *state = (SessionStatsState *) PG_GETARG_POINTER(0);
	bytea	   *result;
	StringInfoData buf;
	int32		i;

	result = cx_bytea_writer(SESSION_SERIAL_HEADER + (Size) state->count * 8, &buf);
	pq_writeint64(&buf, state->gap);
	pq_writeint64(&buf, state->max_duration);
	pq_writeint32(&buf, state->max_events);
	pq_writeint32(&buf, state->count);
	for (i = 0; i < state->count; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		pq_writeint64(&buf, state->ts[i]);
	}
	Assert(buf.len == buf.maxlen);
	PG_RETURN_BYTEA_P(result);
}

/* Deserialize session_stats, rejecting bytes that are not a state (22P03). */
PG_FUNCTION_INFO_V1(session_stats_deserialize);
Datum
session_stats_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	StringInfoData buf;
	SessionStatsState *state;
	SessionOptions options;
	int32		count;
	int32		i;

	aggcxt = cx_deserialize_start(fcinfo, "session_stats_deserialize", &buf);
	if (buf.len < SESSION_SERIAL_HEADER)
		cx_bad_state("session_stats", "too short");
	options.gap = pq_getmsgint64(&buf);
	options.max_duration = pq_getmsgint64(&buf);
	options.max_events = (int32) pq_getmsgint(&buf, 4);
	count = (int32) pq_getmsgint(&buf, 4);
	if (options.gap <= 0 || options.max_duration < 0 || options.max_events < 0)
		cx_bad_state("session_stats", "bad gap, max_duration or max_events");
	if (count < 0 || count > SESSION_MAX_ROWS ||
		(int64) buf.len - SESSION_SERIAL_HEADER != (int64) count * 8)
		cx_bad_state("session_stats", "row count does not match the length");
	/* exactly as large as needed: a parallel plan's leader holds several per group */
	state = session_stats_new(aggcxt, &options, Max(count, 1));
	for (i = 0; i < count; i++)
	{
		int64		ts = pq_getmsgint64(&buf);

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (!cx_valid_time(ts))
			cx_bad_state("session_stats", "time out of range");
		session_stats_add(state, ts);
	}
	PG_RETURN_POINTER(state);
}

/*
 * An interval of usec microseconds written like a timestamp difference (days
 * and time, as justify_hours does), into *result.  Exact for every usec: the
 * days of 2^64 microseconds fit an int32 many times over.
 */
static Datum
session_usec_interval(uint64 usec, Interval *result)
{
	result->month = 0;
	result->day = (int32) (usec / USECS_PER_DAY);
	result->time = (int64) (usec % USECS_PER_DAY);
	return IntervalPGetDatum(result);
}

/* rows / sessions as numeric, exactly as avg() would write it; cached. */
static Datum
session_avg_events(FunctionCallInfo fcinfo, SessionSummaryCache *cache,
				   int64 rows, int64 sessions)
{
	int			slot = (int) ((rows * 31 + sessions) & 63);
	Numeric		avg;
	Size		size;

	if (cache->avg_value[slot] != (Datum) 0 &&
		cache->avg_rows[slot] == rows && cache->avg_sessions[slot] == sessions)
		return cache->avg_value[slot];
	/*
	 * Computed in the caller's (short-lived) context: numeric_div's
	 * intermediates must not pile up in fn_mcxt for the query's life.  Only
	 * the kept result is copied there, replacing the slot's old one.
	 */
	avg = DatumGetNumeric(DirectFunctionCall2(numeric_div,
											  DirectFunctionCall1(int8_numeric, Int64GetDatum(rows)),
											  DirectFunctionCall1(int8_numeric, Int64GetDatum(sessions))));
	if (cache->avg_value[slot] != (Datum) 0)
		pfree(DatumGetPointer(cache->avg_value[slot]));
	size = VARSIZE(avg);
	cache->avg_value[slot] = PointerGetDatum(MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, size));
	memcpy(DatumGetPointer(cache->avg_value[slot]), avg, size);
	cache->avg_rows[slot] = rows;
	cache->avg_sessions[slot] = sessions;
	return cache->avg_value[slot];
}

/*
 * The sessions' total duration passed 64 bits.  Sessions do not overlap in
 * time, so the total is at most the time from the group's first to its
 * last row, which fits 64 unsigned bits (about 9.4e18 microseconds from
 * 4714 BC to 294276 AD); the check only guards that reasoning (22008).
 */
static void
session_total_overflow(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
			 errmsg("interval out of range"),
			 errdetail("The total duration of the sessions does not fit in 64 bits.")));
}

/* total / sessions, rounded to the microsecond half up (never overflows). */
static inline uint64
session_total_mean(uint64 total, int64 sessions)
{
	uint64		quotient = total / (uint64) sessions;
	uint64		remainder = total % (uint64) sessions;

	/* remainder < sessions <= 2^26: doubling it cannot overflow */
	return quotient + (remainder * 2 >= (uint64) sessions ? 1 : 0);
}

/*
 * The summary of sorted times: (sessions, avg_duration, longest_duration,
 * avg_events[, max_duration]).  A session lasts from its first to its last
 * row, so a one-row session lasts 0.  The result has 4 attributes in a
 * database still at 0.2.0 (this library serves every installed version) and
 * 5 from 0.3.0 on, the fifth being the deprecated max_duration, equal to
 * longest_duration.
 */
Datum
session_summary(FunctionCallInfo fcinfo, SessionSummaryCache *cache,
				const int64 *ts, int64 count, const SessionOptions *options)
{
	Interval	avg_interval;
	Interval	longest_interval;
	Datum		values[5];
	bool		nulls[5] = {false, false, false, false, false};
	int64		sessions = 1;
	int64		rows;
	int64		start;
	int64		prev;
	uint64		longest = 0;
	uint64		total = 0;
	bool		overflow = false;
	int			natts;
	int64		i;

	Assert(count >= 1);
	/* the blessed result descriptor, looked up once per query */
	if (cache->tupdesc == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
		TupleDesc	tupdesc;

		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "session_stats must return a composite type");
		if (tupdesc->natts < 4 || tupdesc->natts > 5)
			elog(ERROR, "session_summary has %d attributes, expected 4 or 5", tupdesc->natts);
		cache->tupdesc = BlessTupleDesc(tupdesc);
		MemoryContextSwitchTo(old);
	}
	start = prev = ts[0];
	rows = 1;

	/*
	 * Without branches: whether a row starts a session is as good as random,
	 * and a branch on it mispredicted at about every session.
	 */
	for (i = 1; i < count; i++)
	{
		int64		at = ts[i];
		/* every rule is decided at the first row of an instant: ties never split */
		uint64		starts = (at != prev) &
			(session_gap_exceeded(prev, at, options->gap) |
			 session_cap_reached(start, at, rows, options->max_duration, options->max_events));
		/* the span of the session that ends before at, or 0 */
		uint64		ended = session_elapsed(start, prev) & -starts;

		overflow |= pg_add_u64_overflow(total, ended, &total);
		longest = Max(longest, ended);
		sessions += starts;
		start = (int64) (((uint64) at & -starts) | ((uint64) start & (starts - 1)));
		rows = (rows & ((int64) starts - 1)) + 1;
		prev = at;
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	overflow |= pg_add_u64_overflow(total, session_elapsed(start, prev), &total);
	longest = Max(longest, session_elapsed(start, prev));
	if (unlikely(overflow))
		session_total_overflow();
	natts = cache->tupdesc->natts;
	values[0] = Int64GetDatum(sessions);
	values[1] = session_usec_interval(session_total_mean(total, sessions), &avg_interval);
	values[2] = session_usec_interval(longest, &longest_interval);
	values[3] = session_avg_events(fcinfo, cache, count, sessions);
	if (natts > 4)
		values[4] = values[2];	/* max_duration, the deprecated name of longest_duration */
	/* a dropped attribute (once the deprecated column goes) is NULL */
	for (i = 0; i < natts; i++)
		nulls[i] = TupleDescAttr(cache->tupdesc, i)->attisdropped;
	/* heap_form_tuple copies every value into the result */
	return HeapTupleGetDatum(heap_form_tuple(cache->tupdesc, values, nulls));
}

/*
 * Final of session_stats: the summary of the group's times, sorted first.
 * NULL for a group without a time.
 */
PG_FUNCTION_INFO_V1(session_stats_finalfn);
Datum
session_stats_finalfn(PG_FUNCTION_ARGS)
{
	SessionStatsState *state;
	SessionSummaryCache *cache;
	SessionOptions options;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	state = (SessionStatsState *) PG_GETARG_POINTER(0);
	if (state->count == 0)
		PG_RETURN_NULL();
	cache = cx_call_site_cache(fcinfo, sizeof(SessionSummaryCache));
	if (!state->sorted)
	{
		/* in place: the state keeps meaning the same set of rows */
		cx_sort_int64(state->ts, state->count);
		state->sorted = true;
	}
	options.gap = state->gap;
	options.max_duration = state->max_duration;
	options.max_events = state->max_events;
	PG_RETURN_DATUM(session_summary(fcinfo, cache, state->ts, state->count, &options));
}
