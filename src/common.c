/*
 * common.c
 *		Helpers every domain shares: one copy of each.
 */
#include "cx_journey.h"

#include "common/int.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

/* An interval argument as microseconds; what names it in errors (22023). */
int64
cx_interval_usec(const Interval *value, const char *what, bool allow_zero)
{
	int64		usec;

	if (value->month != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s \"%s\" has a months part", what,
						DatumGetCString(DirectFunctionCall1(interval_out, IntervalPGetDatum(value)))),
				 errdetail("A month has no fixed length, so the %s would be ambiguous.", what),
				 errhint("Give the %s in days or smaller units, for example interval '30 days'.", what)));
	if (pg_mul_s64_overflow((int64) value->day, USECS_PER_DAY, &usec) ||
		pg_add_s64_overflow(usec, value->time, &usec))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s \"%s\" is out of range", what,
						DatumGetCString(DirectFunctionCall1(interval_out, IntervalPGetDatum(value)))),
				 errhint("Give a %s of at most a few million years.", what)));
	if (usec < 0 || (usec == 0 && !allow_zero))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s \"%s\" must be %s zero", what,
						DatumGetCString(DirectFunctionCall1(interval_out, IntervalPGetDatum(value))),
						allow_zero ? "zero or more than" : "greater than"),
				 errhint("Give a positive interval, for example interval '30 minutes'.")));
	return usec;
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
