/*
 * session_path.c
 *		session_stats over a stored milestone_path: the summary the
 *		session_stats aggregate gives for the path's times, with the same
 *		options, rules and errors (session_summary.h, session_rules.h).
 *
 * SQL forms: session_stats(p, gap) and session_stats(p, gap, max_duration,
 * max_events): the path first, then the aggregate's other arguments in the
 * aggregate's order.  A path's times are already in time order, so they are
 * read in place, without a copy or a sort.
 *
 * The functions are not declared STRICT: as in the aggregate, a NULL cap
 * means no cap and a NULL gap is an error.  A NULL path gives NULL, after
 * the options are checked (the aggregate checks them on every row too).
 */
#include "milestone_path.h"

#include "session_summary.h"

/* Per-call-site data: the options' caches and the result's. */
typedef struct SessionPathCache
{
	SessionOptionsCache options;
	SessionSummaryCache summary;
} SessionPathCache;

/* session_stats(p, gap [, max_duration, max_events]): the aggregate's summary of p's times. */
PG_FUNCTION_INFO_V1(milestone_path_session_stats);
Datum
milestone_path_session_stats(PG_FUNCTION_ARGS)
{
	SessionPathCache *cache = cx_call_site_cache(fcinfo, sizeof(SessionPathCache));
	SessionOptions options;
	MilestonePath *path;
	PathView	view;

	session_read_options(fcinfo, &cache->options, 1, 2, &options);
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	path = PG_GETARG_PATH(0);
	/* no step, no time: the aggregate's answer for a group without a time */
	if (path->nsteps == 0)
		PG_RETURN_NULL();
	path_view(path, &view, false);
	path_require_times(&view, "session_stats");
	PG_RETURN_DATUM(session_summary(fcinfo, &cache->summary, view.times, view.nsteps, &options));
}
