/*
 * session.c
 *		Sessionization: the session_id and session_seq window functions and
 *		the session_stats aggregate.
 *
 * Rules (README.md, "Sessions"):
 * - a row starts a new session when the time since the previous row is
 *   strictly greater than the gap (a gap exactly equal stays in the
 *   session, as dbt and duckdb-behavioral do; Google Analytics splits);
 * - optionally also when the session would last longer than max_duration,
 *   when it already has max_events rows, or on a boundary row;
 * - rows at the same instant never split: every rule is decided once, at
 *   the first row of an instant, and a boundary on any row of an instant
 *   applies to the whole instant (their order within it is not known);
 * - a NULL time gets a NULL result and does not touch the session;
 * - the window must be ordered by time ascending: a row earlier than the
 *   previous one is an error (22000) rather than a wrong number.
 * The window functions keep O(1) state per partition and buffer nothing.
 */
#include "cx_journey.h"

#include "catalog/pg_type.h"
#include "common/int.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "port/pg_bitutils.h"
#include "nodes/primnodes.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"
#include "windowapi.h"

#include "row_log.h"

/* Argument positions of session_id / session_seq. */
#define SESS_ARG_TS				0
#define SESS_ARG_GAP			1
#define SESS_ARG_MAX_DURATION	2
#define SESS_ARG_MAX_EVENTS		3
#define SESS_ARG_BOUNDARY		4

/* Most timestamps one session_stats group keeps before it refuses (54000). */
#define SESSION_MAX_ROWS		(64 * 1024 * 1024)

/* A positive interval without months, as microseconds; what names it. */
static int64
session_interval_usec(const Interval *value, const char *what)
{
	int64		usec;

	if (value->month != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("session %s \"%s\" has a months part", what,
						DatumGetCString(DirectFunctionCall1(interval_out, IntervalPGetDatum(value)))),
				 errdetail("A month has no fixed length."),
				 errhint("Give the %s in days or smaller units, for example interval '30 minutes'.", what)));
	if (pg_mul_s64_overflow((int64) value->day, USECS_PER_DAY, &usec) ||
		pg_add_s64_overflow(usec, value->time, &usec))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("session %s is out of range", what)));
	if (usec <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("session %s \"%s\" must be greater than zero", what,
						DatumGetCString(DirectFunctionCall1(interval_out, IntervalPGetDatum(value)))),
				 errhint("Give a positive interval, for example interval '30 minutes'.")));
	return usec;
}

/* Cached conversion of an interval argument that is usually constant. */
typedef struct CachedInterval
{
	bool		known;
	Interval	value;
	int64		usec;
} CachedInterval;

static inline int64
cached_interval_usec(CachedInterval *cache, const Interval *value, const char *what)
{
	if (!cache->known || value->time != cache->value.time ||
		value->day != cache->value.day || value->month != cache->value.month)
	{
		cache->usec = session_interval_usec(value, what);
		cache->value = *value;
		cache->known = true;
	}
	return cache->usec;
}

/* Per-partition state of session_id / session_seq: O(1), nothing buffered. */
typedef struct SessionWindowState
{
	bool		checked;		/* options inspected */
	bool		use_boundary;	/* the boundary argument is not constant false */
	bool		started;		/* a row with a time has been seen */
	int64		prev_ts;
	int64		session_start;
	int64		session_id;
	int64		session_rows;	/* rows in the current session so far */
	CachedInterval gap;
	CachedInterval max_duration;
} SessionWindowState;

/* Is argument argno of the window function call a constant false or NULL? */
static bool
session_arg_is_const_false(FunctionCallInfo fcinfo, int argno)
{
	Node	   *expr = fcinfo->flinfo->fn_expr;
	List	   *args;
	Node	   *arg;

	if (expr == NULL || !IsA(expr, WindowFunc))
		return false;
	args = ((WindowFunc *) expr)->args;
	if (list_length(args) <= argno)
		return true;
	arg = (Node *) list_nth(args, argno);
	return IsA(arg, Const) &&
		(((Const *) arg)->constisnull || !DatumGetBool(((Const *) arg)->constvalue));
}

/* Does any row at the current row's instant carry a true boundary? */
static bool
session_instant_has_boundary(WindowObject winobj, int64 ts)
{
	bool		isnull;
	bool		isout;
	int64		relpos;
	Datum		value;

	value = WinGetFuncArgCurrent(winobj, SESS_ARG_BOUNDARY, &isnull);
	if (!isnull && DatumGetBool(value))
		return true;
	/* look ahead through the rows tied with this one */
	for (relpos = 1;; relpos++)
	{
		Datum		next_ts;

		CHECK_FOR_INTERRUPTS();
		next_ts = WinGetFuncArgInPartition(winobj, SESS_ARG_TS, relpos,
										   WINDOW_SEEK_CURRENT, false, &isnull, &isout);
		if (isout || isnull || DatumGetInt64(next_ts) != ts)
			return false;
		value = WinGetFuncArgInPartition(winobj, SESS_ARG_BOUNDARY, relpos,
										 WINDOW_SEEK_CURRENT, false, &isnull, &isout);
		if (!isnull && DatumGetBool(value))
			return true;
	}
}

/*
 * Advance the partition's session state by the current row.  Returns false
 * for a row without a time (its result is NULL).
 */
static bool
session_window_step(FunctionCallInfo fcinfo, SessionWindowState **statep)
{
	WindowObject winobj = PG_WINDOW_OBJECT();
	SessionWindowState *state;
	bool		isnull;
	Datum		value;
	int64		ts;
	int64		gap;

	state = (SessionWindowState *) WinGetPartitionLocalMemory(winobj, sizeof(SessionWindowState));
	*statep = state;
	/* rows before the current one are never read again */
	WinSetMarkPosition(winobj, WinGetCurrentPosition(winobj));
	if (!state->checked)
	{
		state->use_boundary = PG_NARGS() > SESS_ARG_BOUNDARY &&
			!session_arg_is_const_false(fcinfo, SESS_ARG_BOUNDARY);
		state->checked = true;
	}

	value = WinGetFuncArgCurrent(winobj, SESS_ARG_GAP, &isnull);
	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("session gap must not be NULL"),
				 errhint("Give the inactivity that ends a session, for example interval '30 minutes'.")));
	gap = cached_interval_usec(&state->gap, DatumGetIntervalP(value), "gap");

	value = WinGetFuncArgCurrent(winobj, SESS_ARG_TS, &isnull);
	if (isnull)
		return false;
	ts = DatumGetInt64(value);

	if (!state->started)
	{
		state->started = true;
		state->session_id = 1;
		state->session_start = ts;
		state->session_rows = 1;
		state->prev_ts = ts;
		return true;
	}
	if (ts < state->prev_ts)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("session window is not ordered by time"),
				 errdetail("A row at %s comes after a row at %s.",
						   pstrdup(timestamptz_to_str(ts)), pstrdup(timestamptz_to_str(state->prev_ts))),
				 errhint("Order the window by the time ascending: OVER (PARTITION BY customer ORDER BY ts).")));

	/* every rule is decided at the first row of an instant: ties never split */
	if (ts > state->prev_ts)
	{
		/* differences are taken unsigned: ts >= both, and may be far apart */
		bool		split = (uint64) ts - (uint64) state->prev_ts > (uint64) gap;

		if (!split && PG_NARGS() > SESS_ARG_MAX_DURATION)
		{
			value = WinGetFuncArgCurrent(winobj, SESS_ARG_MAX_DURATION, &isnull);
			if (!isnull)
			{
				int64		max_duration = cached_interval_usec(&state->max_duration,
																DatumGetIntervalP(value),
																"max_duration");

				split = (uint64) ts - (uint64) state->session_start > (uint64) max_duration;
			}
		}
		if (!split && PG_NARGS() > SESS_ARG_MAX_EVENTS)
		{
			value = WinGetFuncArgCurrent(winobj, SESS_ARG_MAX_EVENTS, &isnull);
			if (!isnull)
			{
				int32		max_events = DatumGetInt32(value);

				if (max_events < 1)
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("session max_events must be at least 1, not %d", max_events)));
				split = state->session_rows >= max_events;
			}
		}
		if (!split && state->use_boundary)
			split = session_instant_has_boundary(winobj, ts);
		if (split)
		{
			state->session_id++;
			state->session_start = ts;
			state->session_rows = 0;
		}
	}
	state->session_rows++;
	state->prev_ts = ts;
	return true;
}

/* session_id: the 1-based number of the row's session in its partition. */
PG_FUNCTION_INFO_V1(session_id);
Datum
session_id(PG_FUNCTION_ARGS)
{
	SessionWindowState *state;

	if (!session_window_step(fcinfo, &state))
		PG_RETURN_NULL();
	PG_RETURN_INT64(state->session_id);
}

/* session_seq: the 1-based position of the row inside its session. */
PG_FUNCTION_INFO_V1(session_seq);
Datum
session_seq(PG_FUNCTION_ARGS)
{
	SessionWindowState *state;

	if (!session_window_step(fcinfo, &state))
		PG_RETURN_NULL();
	PG_RETURN_INT64(state->session_rows);
}

/* ------------------------------------------------------------------------
 * session_stats(ts, gap): per-customer session summary
 * ------------------------------------------------------------------------ */

/*
 * Aggregate state: the gap and every timestamp.  Rows reach it through a
 * row log (row_log.h), so the transition function never touches the state
 * after the group's first row; the header never moves once created.  The
 * first timestamps live right after the header, in the same allocation and
 * cache lines (a customer has a few dozen rows or so); a group with more
 * moves them to an array of its own, grown by doubling.
 */
typedef struct SessionStatsState
{
	RowLogOwner owner;			/* must be first */
	MemoryContext cxt;			/* where a grown array is allocated */
	int64	   *ts;				/* inline_ts, or the grown array */
	int64		gap;
	int32		count;
	int32		capacity;
	bool		sorted;
	int64		inline_ts[FLEXIBLE_ARRAY_MEMBER];
} SessionStatsState;

/* Header and inline rows: four cache lines, 26 timestamps. */
#define SESSION_STATE_SIZE		256
#define SESSION_INLINE_ROWS \
	((int32) ((SESSION_STATE_SIZE - offsetof(SessionStatsState, inline_ts)) / sizeof(int64)))

/* Per-call-site data of the transition function. */
typedef struct SessionStatsCache
{
	CachedInterval gap;
	bool		first_known;
	int64		first_gap;		/* the gap of the first row seen */
	bool		gap_varies;		/* some row had another gap: check states */
	int			log_wanted;		/* row_log_wanted() of the first row */
	CxLogSlot  *logs;
} SessionStatsCache;

static void
session_stats_reserve(SessionStatsState *state, int64 extra)
{
	int64		need = (int64) state->count + extra;
	int64		newcap;

	if (need <= state->capacity)
		return;
	if (need > SESSION_MAX_ROWS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("session_stats keeps at most %d rows per group", SESSION_MAX_ROWS),
				 errhint("Narrow the time range, or group by a finer key.")));

	/*
	 * Powers of two from 16 rows on: the allocator rounds a request up to
	 * one anyway, and doubling keeps the copies linear in the rows.
	 */
	newcap = Min(pg_nextpower2_64(Max(need, 16)), SESSION_MAX_ROWS);
	if (state->ts == state->inline_ts)
	{
		int64	   *ts = MemoryContextAlloc(state->cxt, newcap * sizeof(int64));

		memcpy(ts, state->ts, state->count * sizeof(int64));
		state->ts = ts;
	}
	else
		state->ts = repalloc(state->ts, newcap * sizeof(int64));
	state->capacity = (int32) newcap;
}

/*
 * A new state.  Under hashed aggregation (log given) it is carved from the
 * log's state blocks and takes rows through the log; else it is allocated
 * in cxt, or from arena's blocks when given (a log used for memory only).
 * exact_rows >= 0 (a state
 * rebuilt from a partial one, whose size is known) makes the inline area
 * exactly that large: a parallel plan's leader holds several per group.
 */
static SessionStatsState *
session_stats_alloc(MemoryContext cxt, RowLog *log, RowLog *arena, int64 gap,
					int64 exact_rows)
{
	SessionStatsState *state;
	Size		header = offsetof(SessionStatsState, inline_ts);
	Size		size = SESSION_STATE_SIZE;

	if (exact_rows >= 0)
		size = header + Max(exact_rows, 1) * sizeof(int64);
	state = row_log_new_state(cxt, log, arena, size, header);
	state->owner.log = log;
	state->cxt = cxt;
	state->ts = state->inline_ts;
	state->capacity = (int32) ((size - header) / sizeof(int64));
	state->gap = gap;
	state->sorted = true;
	return state;
}

static inline void
session_stats_add(SessionStatsState *state, int64 ts)
{
	if (state->count > 0 && ts < state->ts[state->count - 1])
		state->sorted = false;
	state->ts[state->count++] = ts;
}

/* Buffered rows reach their states; prefetching overlaps the misses. */
static void
session_stats_append_batch(const RowLogEntry *entries, int n)
{
	int			i;

	for (i = 0; i < n; i++)
	{
		SessionStatsState *state = (SessionStatsState *) entries[i].owner;

		if (i + ROW_LOG_PREFETCH_DISTANCE < n)
		{
			/* the header and the next inline rows: the state's first lines */
			const char *ahead = (const char *) entries[i + ROW_LOG_PREFETCH_DISTANCE].owner;

			row_log_prefetch(ahead);
			row_log_prefetch(ahead + 64);
		}
		if (state->count >= state->capacity)
			session_stats_reserve(state, 1);
		session_stats_add(state, entries[i].value);
	}
}

static const RowLogOps session_stats_log_ops = {session_stats_append_batch};

static void
session_stats_check_gap(SessionStatsState *state, int64 gap)
{
	if (state->gap != gap)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("session_stats gap must be the same for every row of a group")));
}

/* Transition of session_stats: log one timestamp; NULLs skipped. */
PG_FUNCTION_INFO_V1(session_stats_transfn);
Datum
session_stats_transfn(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	SessionStatsState *state;
	SessionStatsCache *cache;
	int64		gap;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "session_stats_transfn called in non-aggregate context");
	state = PG_ARGISNULL(0) ? NULL : (SessionStatsState *) PG_GETARG_POINTER(0);
	/* a NULL time skips the row; no state yet stays a NULL state */
	if (PG_ARGISNULL(1))
	{
		if (state == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(state);
	}
	if (PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("session gap must not be NULL"),
				 errhint("Give the inactivity that ends a session, for example interval '30 minutes'.")));
	cache = (SessionStatsCache *) fcinfo->flinfo->fn_extra;
	if (cache == NULL)
	{
		cache = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(SessionStatsCache));
		fcinfo->flinfo->fn_extra = cache;
	}
	gap = cached_interval_usec(&cache->gap, PG_GETARG_INTERVAL_P(2), "gap");
	if (!cache->first_known)
	{
		cache->first_gap = gap;
		cache->first_known = true;
		/* kept for the later rows (see row_log_use) */
		cache->log_wanted = row_log_wanted(fcinfo, aggcxt);
	}
	else if (gap != cache->first_gap)
		cache->gap_varies = true;

	if (!row_log_use(cache->log_wanted, fcinfo, aggcxt))
	{
		/* one group at a time: append directly */
		if (state == NULL)
			state = session_stats_alloc(aggcxt, NULL, NULL, gap, -1);
		else
			session_stats_check_gap(state, gap);
		if (state->count >= state->capacity)
			session_stats_reserve(state, 1);
		session_stats_add(state, PG_GETARG_INT64(1));
	}
	else
	{
		/* scattered groups: through the row buffer, never reading the state */
		RowLog	   *log = row_log_for(&cache->logs, fcinfo->flinfo->fn_mcxt, aggcxt,
									  &session_stats_log_ops);

		if (state == NULL)
			state = session_stats_alloc(aggcxt, log, NULL, gap, -1);
		else if (cache->gap_varies)
			session_stats_check_gap(state, gap);	/* only then read the state */
		row_log_append(log, &state->owner, PG_GETARG_INT64(1));
	}
	PG_RETURN_POINTER(state);
}

/* Combine of session_stats: the timestamps of both partial states. */
PG_FUNCTION_INFO_V1(session_stats_combinefn);
Datum
session_stats_combinefn(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	SessionStatsState *left;
	SessionStatsState *right;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "session_stats_combinefn called in non-aggregate context");
	left = PG_ARGISNULL(0) ? NULL : (SessionStatsState *) PG_GETARG_POINTER(0);
	right = PG_ARGISNULL(1) ? NULL : (SessionStatsState *) PG_GETARG_POINTER(1);
	if (right == NULL)
	{
		if (left == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(left);
	}
	row_log_resolve(&right->owner);

	/*
	 * The first partial state of a group becomes the group's state: it was
	 * made for this call (by deserialize, in the aggregate context), so no
	 * copy is needed.
	 */
	if (left == NULL)
		PG_RETURN_POINTER(right);
	row_log_resolve(&left->owner);
	session_stats_check_gap(left, right->gap);
	if (right->count > 0)
	{
		int32		i;

		session_stats_reserve(left, right->count);
		for (i = 0; i < right->count; i++)
			session_stats_add(left, right->ts[i]);
	}
	PG_RETURN_POINTER(left);
}

/* Serialize session_stats: gap, count, then the timestamps. */
PG_FUNCTION_INFO_V1(session_stats_serialize);
Datum
session_stats_serialize(PG_FUNCTION_ARGS)
{
	SessionStatsState *state = (SessionStatsState *) PG_GETARG_POINTER(0);
	bytea	   *result;
	StringInfoData buf;
	int32		i;

	row_log_resolve(&state->owner);
	result = cx_bytea_writer(12 + (Size) state->count * 8, &buf);
	pq_writeint64(&buf, state->gap);
	pq_writeint32(&buf, state->count);
	for (i = 0; i < state->count; i++)
		pq_writeint64(&buf, (uint64) state->ts[i]);
	Assert(buf.len == buf.maxlen);
	PG_RETURN_BYTEA_P(result);
}

/* Deserialize session_stats, rejecting bytes that are not a state. */
PG_FUNCTION_INFO_V1(session_stats_deserialize);
Datum
session_stats_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	MemoryContext aggcxt;
	StringInfoData buf;
	SessionStatsState *state;
	RowLog	   *arena;
	int64		gap;
	int32		count;
	int32		i;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "session_stats_deserialize called in non-aggregate context");
	cx_bytea_reader(bytes, &buf);
	if (buf.len < 12)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid session_stats state: too short")));
	gap = pq_getmsgint64(&buf);
	count = pq_getmsgint(&buf, 4);
	if (gap <= 0 || count < 0 || count > SESSION_MAX_ROWS ||
		(int64) buf.len - 12 != (int64) count * 8)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid session_stats state: gap or row count does not match the length")));
	/* under hashed aggregation the rebuilt states come from an arena */
	arena = row_log_arena(fcinfo, aggcxt);
	state = session_stats_alloc(aggcxt, NULL, arena, gap, count);
	for (i = 0; i < count; i++)
		session_stats_add(state, pq_getmsgint64(&buf));
	PG_RETURN_POINTER(state);
}

/*
 * An interval of usec (>= 0) microseconds written like a timestamp
 * difference (days and time, as justify_hours does), into *result.
 */
static Datum
session_usec_interval(int64 usec, Interval *result)
{
	result->month = 0;
	result->day = (int32) (usec / USECS_PER_DAY);
	result->time = usec % USECS_PER_DAY;
	return IntervalPGetDatum(result);
}

/* Per-query data of the final function. */
typedef struct SessionStatsFinalCache
{
	TupleDesc	tupdesc;		/* the blessed result descriptor */
	/* avg_events of recent (rows, sessions) pairs: most repeat */
	int64		avg_rows[64];
	int64		avg_sessions[64];
	Datum		avg_value[64];
} SessionStatsFinalCache;

/* rows / sessions as numeric, exactly as avg() would write it; cached. */
static Datum
session_avg_events(FunctionCallInfo fcinfo, SessionStatsFinalCache *cache,
				   int64 rows, int64 sessions)
{
	int			slot = (int) ((rows * 31 + sessions) & 63);
	MemoryContext old;

	if (cache->avg_value[slot] != (Datum) 0 &&
		cache->avg_rows[slot] == rows && cache->avg_sessions[slot] == sessions)
		return cache->avg_value[slot];
	if (cache->avg_value[slot] != (Datum) 0)
		pfree(DatumGetPointer(cache->avg_value[slot]));
	old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
	cache->avg_value[slot] = DirectFunctionCall2(numeric_div,
												 DirectFunctionCall1(int8_numeric, Int64GetDatum(rows)),
												 DirectFunctionCall1(int8_numeric, Int64GetDatum(sessions)));
	MemoryContextSwitchTo(old);
	cache->avg_rows[slot] = rows;
	cache->avg_sessions[slot] = sessions;
	return cache->avg_value[slot];
}

/*
 * Final of session_stats: (sessions, avg_duration, max_duration,
 * avg_events).  A session lasts from its first to its last row, so a
 * one-row session lasts 0.  NULL for a group without a timestamp.
 */
PG_FUNCTION_INFO_V1(session_stats_finalfn);
Datum
session_stats_finalfn(PG_FUNCTION_ARGS)
{
	SessionStatsState *state;
	SessionStatsFinalCache *cache;
	TupleDesc	tupdesc;
	Interval	avg_interval;
	Interval	max_interval;
	Datum		values[4];
	bool		nulls[4] = {false, false, false, false};
	int64		sessions = 1;
	int64		start;
	int64		max_span = 0;
	int64		total_span = 0;
	int64		average;
	int32		i;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	state = (SessionStatsState *) PG_GETARG_POINTER(0);
	row_log_resolve(&state->owner);
	if (state->count == 0)
		PG_RETURN_NULL();
	/* the blessed result descriptor, looked up once per query */
	cache = (SessionStatsFinalCache *) fcinfo->flinfo->fn_extra;
	if (cache == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);

		cache = palloc0(sizeof(SessionStatsFinalCache));
		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "session_stats must return a composite type");
		cache->tupdesc = BlessTupleDesc(tupdesc);
		MemoryContextSwitchTo(old);
		fcinfo->flinfo->fn_extra = cache;
	}
	if (!state->sorted)
	{
		/* in place: the state keeps meaning the same set of rows */
		cx_sort_int64(state->ts, state->count);
		state->sorted = true;
	}
	start = state->ts[0];
	for (i = 1; i <= state->count; i++)
	{
		if (i == state->count ||
			(uint64) state->ts[i] - (uint64) state->ts[i - 1] > (uint64) state->gap)
		{
			int64		span = state->ts[i - 1] - start;

			if (pg_add_s64_overflow(total_span, span, &total_span))
				ereport(ERROR,
						(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
						 errmsg("interval out of range")));
			max_span = Max(max_span, span);
			if (i < state->count)
			{
				sessions++;
				start = state->ts[i];
			}
		}
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	values[0] = Int64GetDatum(sessions);
	/* the average duration rounds to the microsecond, half away from zero */
	average = total_span / sessions + ((total_span % sessions) * 2 >= sessions ? 1 : 0);
	values[1] = session_usec_interval(average, &avg_interval);
	values[2] = session_usec_interval(max_span, &max_interval);
	values[3] = session_avg_events(fcinfo, cache, state->count, sessions);
	/* heap_form_tuple copies every value into the result */
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(cache->tupdesc, values, nulls)));
}
