/*
 * time_text.h
 *		Times written as text the same way under every DateStyle, for the
 *		text forms of our types (a dump must restore under any DateStyle).
 */
#ifndef CX_TIME_TEXT_H
#define CX_TIME_TEXT_H

#include "postgres.h"
#include "datatype/timestamp.h"
#include "utils/datetime.h"

/*
 * Write a timestamptz into buf (MAXDATELEN + 1 bytes) in the session's time
 * zone, in the given DateStyle style whatever DateStyle says: USE_ISO_DATES
 * for text output ("2024-01-05 10:00:00+00", what timestamptz_out writes
 * under the default ISO style), USE_XSD_DATES for JSON.  22008 when the
 * time is out of range.
 */
extern void cx_timestamptz_text(TimestampTz at, int style, char *buf);

#endif							/* CX_TIME_TEXT_H */
