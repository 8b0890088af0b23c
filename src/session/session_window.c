/*
 * session_window.c
 *		The session_id and session_seq window functions.
 *
 * The rules are in session_rules.h; on top of them a boundary row starts a
 * new session, and a boundary on any row of an instant applies to the whole
 * instant (the order of tied rows is not known), as do a gap or a cap that
 * vary by row: the instant breaks when any of its rows' own options break
 * it.  A NULL time gets a NULL result and does not touch the session.  The
 * window must be ordered by time ascending: a row earlier than the previous
 * one is an error (22000) rather than a wrong number.  O(1) state per
 * partition; the window keeps the rows of one instant for the lookahead
 * when a boundary is given or an option is not a constant.
 */
#include "cx_journey.h"

#include "miscadmin.h"
#include "nodes/primnodes.h"
#include "utils/timestamp.h"
#include "windowapi.h"

#include "session_rules.h"

/* Argument positions of session_id / session_seq. */
#define SESS_ARG_TS				0
#define SESS_ARG_GAP			1
#define SESS_ARG_MAX_DURATION	2
#define SESS_ARG_MAX_EVENTS		3
#define SESS_ARG_BOUNDARY		4

/* Per-partition state of session_id / session_seq: O(1), nothing buffered. */
typedef struct SessionWindowState
{
	bool		checked;		/* options inspected */
	bool		use_boundary;	/* the boundary argument is not constant false */
	bool		options_vary;	/* gap or a cap is not a constant of the query */
	int64		prev_ts;
	int64		session_start;
	int64		session_id;
	int64		session_rows;	/* rows in the current session so far */
	CxCachedInterval gap;
	CxCachedInterval max_duration;
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

/* Is argument argno of the window function call absent or a constant? */
static bool
session_arg_is_const(FunctionCallInfo fcinfo, int argno)
{
	Node	   *expr = fcinfo->flinfo->fn_expr;
	List	   *args;

	if (expr == NULL || !IsA(expr, WindowFunc))
		return false;
	args = ((WindowFunc *) expr)->args;
	return list_length(args) <= argno || IsA(list_nth(args, argno), Const);
}

/*
 * The row relpos rows after the current one, in the lookahead over the
 * current row's instant ts: 1 when it is at ts, 0 when its time is NULL (it
 * does not touch the session, and a window ordered by another expression
 * may put it between tied rows), -1 past the instant or the partition.
 */
static int
session_tied_row(WindowObject winobj, int64 relpos, int64 ts)
{
	bool		isnull;
	bool		isout;
	Datum		next_ts;

	next_ts = WinGetFuncArgInPartition(winobj, SESS_ARG_TS, relpos, WINDOW_SEEK_CURRENT,
									   false, &isnull, &isout);
	if (isout)
		return -1;
	if (isnull)
		return 0;
	return DatumGetInt64(next_ts) == ts ? 1 : -1;
}

/* Argument argno of the row relpos rows after the current one (0: the current row). */
static Datum
session_arg_at(WindowObject winobj, int argno, int64 relpos, bool *isnull)
{
	bool		isout;

	if (relpos == 0)
		return WinGetFuncArgCurrent(winobj, argno, isnull);
	return WinGetFuncArgInPartition(winobj, argno, relpos, WINDOW_SEEK_CURRENT, false,
									isnull, &isout);
}

/*
 * The gap and the caps of the row relpos rows after the current one, checked
 * (a NULL gap is an error; a NULL or absent cap is no cap, given as 0).  Read
 * on every row, so that a bad option is refused whatever the rows are, as
 * session_stats does; the intervals' conversions are cached while they stay
 * the same.
 */
static void
session_window_options(FunctionCallInfo fcinfo, WindowObject winobj,
					   SessionWindowState *state, int64 relpos,
					   int64 *gap, int64 *max_duration, int32 *max_events)
{
	bool		isnull;
	Datum		value;

	value = session_arg_at(winobj, SESS_ARG_GAP, relpos, &isnull);
	if (isnull)
		session_gap_null_error();
	*gap = cx_cached_interval_usec(&state->gap, DatumGetIntervalP(value),
								   "session gap", false);
	*max_duration = 0;
	*max_events = 0;
	if (PG_NARGS() > SESS_ARG_MAX_DURATION)
	{
		value = session_arg_at(winobj, SESS_ARG_MAX_DURATION, relpos, &isnull);
		if (!isnull)
			*max_duration = cx_cached_interval_usec(&state->max_duration, DatumGetIntervalP(value),
												"session max_duration", false);
	}
	if (PG_NARGS() > SESS_ARG_MAX_EVENTS)
	{
		value = session_arg_at(winobj, SESS_ARG_MAX_EVENTS, relpos, &isnull);
		if (!isnull)
		{
			*max_events = DatumGetInt32(value);
			session_check_max_events(*max_events);
		}
	}
}

/* Do the gap or the caps break the session before a row at ts? */
static bool
session_rules_break(const SessionWindowState *state, int64 ts, int64 gap,
					int64 max_duration, int32 max_events)
{
	return session_gap_exceeded(state->prev_ts, ts, gap) ||
		session_cap_reached(state->session_start, ts, state->session_rows,
							max_duration, max_events);
}

/*
 * Does the session break at the current row's instant (ts)?  By the gap or
 * a cap (the current row's own are given; when they vary by row, any row of
 * the instant breaks it with its own), or by a true boundary on any row of
 * the instant.
 */
static bool
session_instant_breaks(FunctionCallInfo fcinfo, WindowObject winobj,
					   SessionWindowState *state, int64 ts, int64 gap,
					   int64 max_duration, int32 max_events)
{
	int64		relpos;
	bool		isnull;
	Datum		value;

	if (session_rules_break(state, ts, gap, max_duration, max_events))
		return true;
	if (state->use_boundary)
	{
		value = WinGetFuncArgCurrent(winobj, SESS_ARG_BOUNDARY, &isnull);
		if (!isnull && DatumGetBool(value))
			return true;
	}
	if (!state->options_vary && !state->use_boundary)
		return false;
	/* look ahead through the rows tied with this one */
	for (relpos = 1;; relpos++)
	{
		int			tied;

		CHECK_FOR_INTERRUPTS();
		tied = session_tied_row(winobj, relpos, ts);
		if (tied < 0)
			return false;
		if (tied == 0)
			continue;
		if (state->options_vary)
		{
			session_window_options(fcinfo, winobj, state, relpos, &gap, &max_duration,
								   &max_events);
			if (session_rules_break(state, ts, gap, max_duration, max_events))
				return true;
		}
		if (state->use_boundary)
		{
			value = session_arg_at(winobj, SESS_ARG_BOUNDARY, relpos, &isnull);
			if (!isnull && DatumGetBool(value))
				return true;
		}
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
	int64		max_duration;
	int32		max_events;

	state = (SessionWindowState *) WinGetPartitionLocalMemory(winobj, sizeof(SessionWindowState));
	*statep = state;
	/* rows before the current one are never read again */
	WinSetMarkPosition(winobj, WinGetCurrentPosition(winobj));
	if (!state->checked)
	{
		state->use_boundary = PG_NARGS() > SESS_ARG_BOUNDARY &&
			!session_arg_is_const_false(fcinfo, SESS_ARG_BOUNDARY);
		state->options_vary = !session_arg_is_const(fcinfo, SESS_ARG_GAP) ||
			!session_arg_is_const(fcinfo, SESS_ARG_MAX_DURATION) ||
			!session_arg_is_const(fcinfo, SESS_ARG_MAX_EVENTS);
		state->checked = true;
	}

	/* before any short-circuit: a NULL time or a partition's first row */
	session_window_options(fcinfo, winobj, state, 0, &gap, &max_duration, &max_events);

	value = WinGetFuncArgCurrent(winobj, SESS_ARG_TS, &isnull);
	if (isnull)
		return false;
	ts = DatumGetInt64(value);

	/* session_id is 0 until the partition's first row with a time */
	if (state->session_id == 0)
	{
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

	/*
	 * Every rule is decided at the first row of an instant, for all its rows:
	 * ties never split, and the answer does not depend on their order.
	 */
	if (ts > state->prev_ts &&
		session_instant_breaks(fcinfo, winobj, state, ts, gap, max_duration, max_events))
	{
		state->session_id++;
		state->session_start = ts;
		state->session_rows = 0;
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
