/*
 * time_text.c
 *		Times written as text independently of DateStyle (see time_text.h).
 */
#include "time_text.h"

#include "utils/timestamp.h"

void
cx_timestamptz_text(TimestampTz at, int style, char *buf)
{
	struct pg_tm tm;
	fsec_t		fsec;
	int			tz;
	const char *tzn;

	if (TIMESTAMP_NOT_FINITE(at))
		EncodeSpecialTimestamp(at, buf);
	else if (timestamp2tm(at, &tz, &tm, &fsec, &tzn, NULL) == 0)
		EncodeDateTime(&tm, fsec, true, tz, tzn, style, buf);
	else
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
}
