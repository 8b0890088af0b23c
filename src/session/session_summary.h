/*
 * session_summary.h
 *		What the session_stats aggregate (session_stats.c) and session_stats
 *		over a stored path (session_path.c) share, so that both read the same
 *		options with the same errors and cut the same times into the same
 *		session_summary: the options, and the summary of sorted times.
 */
#ifndef CX_SESSION_SUMMARY_H
#define CX_SESSION_SUMMARY_H

#include "cx_journey.h"

#include "access/tupdesc.h"

/* The gap and caps of a session_stats call, in microseconds. */
typedef struct SessionOptions
{
	int64		gap;			/* > 0 */
	int64		max_duration;	/* 0: no cap */
	int32		max_events;		/* 0: no cap */
} SessionOptions;

/* A call site's interval options, converted once per distinct value. */
typedef struct SessionOptionsCache
{
	CxCachedInterval gap;
	CxCachedInterval max_duration;
} SessionOptionsCache;

/*
 * Read and check (22023) the options: the gap at argument gap_arg, the caps
 * max_duration and max_events at caps_arg and caps_arg + 1 when the call has
 * them.  A NULL gap is an error; a NULL cap means no cap.
 */
extern void session_read_options(FunctionCallInfo fcinfo, SessionOptionsCache *cache,
								 int gap_arg, int caps_arg, SessionOptions *options);

/*
 * A call site's result data: the blessed session_summary descriptor and the
 * avg_events of recent (rows, sessions) pairs.  Zeroed, in fn_mcxt.
 */
typedef struct SessionSummaryCache
{
	TupleDesc	tupdesc;		/* NULL until the first summary */
	int64		avg_rows[64];
	int64		avg_sessions[64];
	Datum		avg_value[64];
} SessionSummaryCache;

/*
 * The session_summary of count >= 1 times in ascending order (ties
 * adjacent), cut into sessions by options (session_rules.h).
 */
extern Datum session_summary(FunctionCallInfo fcinfo, SessionSummaryCache *cache,
							 const int64 *ts, int64 count,
							 const SessionOptions *options);

#endif							/* CX_SESSION_SUMMARY_H */
