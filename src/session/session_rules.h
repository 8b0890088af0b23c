/*
 * session_rules.h
 *		The rules that end a session, shared by the window functions
 *		(session_window.c) and the session_stats aggregate (session_stats.c),
 *		so that both cut the same rows into the same sessions.
 *
 * Rules (doc/reference.md, "Sessions"):
 * - a row starts a new session when the time since the previous row is
 *   strictly greater than the gap (a gap exactly equal stays in the
 *   session, as dbt and duckdb-behavioral do; Google Analytics splits);
 * - optionally also when the session would last longer than max_duration,
 *   or when it already has max_events rows (NULL: no cap);
 * - rows at the same instant never split: every rule is decided once, at
 *   the first row of an instant;
 * - an infinite time is infinitely far from every other time: a row at
 *   -infinity or +infinity shares a session only with rows at the same
 *   infinity.
 *
 * Times are int64 microseconds, timestamp and timestamptz alike.  Two valid
 * times can be further apart than the largest int64 (4713 BC to 294276 AD
 * is about 9.4e18 microseconds), so every difference of times is taken as
 * an exact unsigned 64-bit number, never as a signed one that overflows.
 */
#ifndef CX_SESSION_RULES_H
#define CX_SESSION_RULES_H

#include "cx_journey.h"

#include "datatype/timestamp.h"
#include "time_distance.h"

/* The time from earlier to later (later >= earlier), exact. */
static inline uint64
session_elapsed(int64 earlier, int64 later)
{
	Assert(later >= earlier);
	/* in two's complement the unsigned difference is exact when later >= earlier */
	return (uint64) later - (uint64) earlier;
}

/*
 * Is a row at ts further than gap from the row before, at prev (prev <=
 * ts)?  Never for a tie.
 */
static inline bool
session_gap_exceeded(int64 prev, int64 ts, int64 gap)
{
	Assert(prev <= ts);
	return !cx_time_within(prev, ts, (uint64) gap);
}

/*
 * Would a row at ts, the first of its instant and within the gap, break a
 * cap of the session that began at start (<= ts) and holds rows rows?
 * max_duration 0 and max_events 0 mean no cap.  Without branches, for
 * session_summary's loop; when the row is not within the gap, as after a
 * session that starts at -infinity (which holds only -infinity), the
 * answer does not matter.
 */
static inline bool
session_cap_reached(int64 start, int64 ts, int64 rows, int64 max_duration, int32 max_events)
{
	return ((max_duration > 0) & (session_elapsed(start, ts) > (uint64) max_duration)) |
		((max_events > 0) & (rows >= max_events));
}

/* A NULL gap is a mistake, not "no gap": 22023. */
static inline void
session_gap_null_error(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("session gap must not be NULL"),
			 errhint("Give the inactivity that ends a session, for example interval '30 minutes'.")));
}

/* max_events must be at least 1 (22023). */
static inline void
session_check_max_events(int32 max_events)
{
	if (max_events < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("session max_events must be at least 1, not %d", max_events),
				 errhint("Give the most rows a session may have, or NULL for no cap.")));
}

#endif							/* CX_SESSION_RULES_H */
