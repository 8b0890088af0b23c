/*
 * stage_timeline.c
 *		The stage_timeline aggregate, its value type and accessors.
 *
 * The stage_timeline_agg(stage, at) aggregate (stage_timeline before
 * 0.3.0, still a deprecated alias) gathers one customer's stage changes, in
 * any input order, and returns a compact stage_timeline value: the ordered
 * list of (start, stage) segments.  Accessors answer from it: the current
 * and furthest stage, the number of regressions, the stage at a moment, when
 * a stage was first reached (reached_at), and the time spent in a stage up
 * to a moment.  The C symbols keep their 0.1.0 names (stage_timeline_*,
 * stage_timeline_entered_at): the catalogs of older installs name them.
 *
 * Rules (documented in README.md):
 * - rows with a NULL stage or a NULL time are skipped;
 * - changes are ordered by time; several changes at the same instant cannot
 *   be ordered, so only the furthest stage of that instant is kept;
 * - equal consecutive stages merge into one segment (a repeated "selling"
 *   is not a change);
 * - a segment lasts until the next one starts; the last lasts until the
 *   moment an accessor is asked about.
 */
#include "cx_journey.h"

#include "common/int.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

#include "time_text.h"

/* Most stage changes one aggregate keeps before it refuses (54000). */
#define TIMELINE_MAX_CHANGES	(50 * 1000 * 1000)

/*
 * Room for the first changes of a group: a group costs sizeof(TimelineState)
 * (16 bytes) plus 4 changes of 16 bytes, 80 bytes, the SSPACE the upgrade
 * script declares; the array then grows by doubling.
 */
#define TIMELINE_FIRST_CHANGES	4

/* Bytes of one change in the serialized aggregate state and binary form. */
#define TIMELINE_SERIAL_ENTRY	(8 + 1)

/*
 * On-disk value: a varlena with the segment count, then the start times
 * (8-byte aligned right after the 8-byte header), then one byte per segment
 * for the stage.
 */
typedef struct StageTimeline
{
	int32		vl_len_;		/* varlena header */
	int32		count;			/* number of segments, >= 1 */
	TimestampTz starts[FLEXIBLE_ARRAY_MEMBER];
	/* uint8 stages[count] follows starts[count] */
} StageTimeline;

#define TIMELINE_STAGES(t)	((uint8 *) &(t)->starts[(t)->count])
#define TIMELINE_SIZE(n)	(offsetof(StageTimeline, starts) + \
							 (Size) (n) * (sizeof(TimestampTz) + 1))
#define PG_GETARG_TIMELINE(n) ((StageTimeline *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n)))

/* One gathered change. */
typedef struct TimelineChange
{
	TimestampTz at;
	int32		stage;
} TimelineChange;

/* Aggregate state: the changes seen so far, unsorted. */
typedef struct TimelineState
{
	int32		count;
	int32		capacity;
	TimelineChange *changes;
} TimelineState;

static void
timeline_check_finite(TimestampTz at)
{
	if (TIMESTAMP_NOT_FINITE(at))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a stage change cannot happen at %s",
						TIMESTAMP_IS_NOBEGIN(at) ? "-infinity" : "infinity"),
				 errhint("Give each stage change a finite time, or NULL to skip the row.")));
}

/*
 * A time read from bytes (binary input or a serialized state): 22P03 unless
 * it is finite and within PostgreSQL's timestamp range, since a value
 * holding any other time could not be written as text or dumped.  what
 * names the input ("binary stage_timeline"), n the 1-based change.
 */
static void
timeline_check_received_time(TimestampTz at, const char *what, int32 n)
{
	if (TIMESTAMP_NOT_FINITE(at) || !IS_VALID_TIMESTAMP(at))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid %s: change %d has the time " INT64_FORMAT,
						what, n, at),
				 errdetail("A stage change needs a finite time within PostgreSQL's timestamp range (microseconds since 2000-01-01 00:00 UTC, from " INT64_FORMAT " to " INT64_FORMAT ").",
						   MIN_TIMESTAMP, END_TIMESTAMP - 1)));
}

static void
timeline_reserve(TimelineState *state, MemoryContext cxt, int64 extra)
{
	int64		need = (int64) state->count + extra;
	int32		newcap;

	if (need <= state->capacity)
		return;
	if (need > TIMELINE_MAX_CHANGES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("stage_timeline accepts at most %d stage changes per group",
						TIMELINE_MAX_CHANGES),
				 errhint("Group by a finer key, or keep only the rows where the stage changes.")));
	newcap = (int32) cx_grow_capacity(state->capacity, need, TIMELINE_FIRST_CHANGES,
									  TIMELINE_MAX_CHANGES);
	if (state->changes == NULL)
		state->changes = MemoryContextAlloc(cxt, newcap * sizeof(TimelineChange));
	else
		state->changes = repalloc(state->changes, newcap * sizeof(TimelineChange));
	state->capacity = newcap;
}

static TimelineState *
timeline_state_new(MemoryContext cxt)
{
	return MemoryContextAllocZero(cxt, sizeof(TimelineState));
}

static int
timeline_change_cmp(const void *a, const void *b, void *arg)
{
	const TimelineChange *x = a;
	const TimelineChange *y = b;

	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return (x->stage > y->stage) - (x->stage < y->stage);
}

/*
 * Sort changes and build the timeline value: ties keep the furthest stage,
 * equal consecutive stages merge.  Returns NULL for no changes.
 */
static StageTimeline *
timeline_build(TimelineChange *changes, int32 count)
{
	StageTimeline *result;
	TimestampTz *starts;
	uint8	   *stages;
	int32		n = 0;
	int32		i;

	if (count == 0)
		return NULL;
	qsort_interruptible(changes, count, sizeof(TimelineChange), timeline_change_cmp, NULL);

	/* compact in place: keep the last (furthest) change of each instant */
	for (i = 0; i < count; i++)
	{
		CHECK_FOR_INTERRUPTS();
		if (i + 1 < count && changes[i + 1].at == changes[i].at)
			continue;
		if (n > 0 && changes[n - 1].stage == changes[i].stage)
			continue;
		changes[n++] = changes[i];
	}

	result = palloc0(TIMELINE_SIZE(n));
	SET_VARSIZE(result, TIMELINE_SIZE(n));
	result->count = n;
	starts = result->starts;
	stages = TIMELINE_STAGES(result);
	for (i = 0; i < n; i++)
	{
		starts[i] = changes[i].at;
		stages[i] = (uint8) changes[i].stage;
	}
	return result;
}

/* Transition: remember one (stage, at) row; NULLs are skipped. */
PG_FUNCTION_INFO_V1(stage_timeline_transfn);
Datum
stage_timeline_transfn(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	TimelineState *state;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "stage_timeline_transfn called in non-aggregate context");
	state = PG_ARGISNULL(0) ? NULL : (TimelineState *) PG_GETARG_POINTER(0);
	if (state == NULL)
		state = timeline_state_new(aggcxt);
	if (!PG_ARGISNULL(1) && !PG_ARGISNULL(2))
	{
		TimestampTz at = PG_GETARG_TIMESTAMPTZ(2);

		timeline_check_finite(at);
		if (state->count >= state->capacity)
			timeline_reserve(state, aggcxt, 1);
		state->changes[state->count].at = at;
		state->changes[state->count].stage = PG_GETARG_JOURNEY_STAGE(1);
		state->count++;
	}
	PG_RETURN_POINTER(state);
}

/* Combine: append the second partial state's changes to the first. */
PG_FUNCTION_INFO_V1(stage_timeline_combinefn);
Datum
stage_timeline_combinefn(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	TimelineState *left;
	TimelineState *right;
	Datum		one_side;

	if (cx_combine_one_side(fcinfo, "stage_timeline_combinefn", &aggcxt, &one_side))
		CX_RETURN_COMBINE_ONE_SIDE(one_side);
	left = (TimelineState *) PG_GETARG_POINTER(0);
	right = (TimelineState *) PG_GETARG_POINTER(1);
	if (right->count > 0)
	{
		timeline_reserve(left, aggcxt, right->count);
		memcpy(left->changes + left->count, right->changes,
			   right->count * sizeof(TimelineChange));
		left->count += right->count;
	}
	/* right's changes are copied: free it (deserialize's two allocations) */
	if (right->changes != NULL)
		pfree(right->changes);
	pfree(right);
	PG_RETURN_POINTER(left);
}

/* Serialize the partial state: count, then (int64 time, byte stage) pairs. */
PG_FUNCTION_INFO_V1(stage_timeline_serialize);
Datum
stage_timeline_serialize(PG_FUNCTION_ARGS)
{
	TimelineState *state = (TimelineState *) PG_GETARG_POINTER(0);
	StringInfoData buf;
	bytea	   *result;
	int32		i;

	result = cx_bytea_writer(4 + (Size) state->count * TIMELINE_SERIAL_ENTRY, &buf);
	pq_writeint32(&buf, state->count);
	for (i = 0; i < state->count; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		pq_writeint64(&buf, state->changes[i].at);
		pq_writeint8(&buf, state->changes[i].stage);
	}
	Assert(buf.len == buf.maxlen);
	PG_RETURN_BYTEA_P(result);
}

/* Deserialize a partial state, rejecting bytes that are not one. */
PG_FUNCTION_INFO_V1(stage_timeline_deserialize);
Datum
stage_timeline_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	TimelineState *state;
	StringInfoData buf;
	int32		count;
	int32		i;

	aggcxt = cx_deserialize_start(fcinfo, "stage_timeline_deserialize", &buf);
	if (buf.len < 4)
		cx_bad_state("stage_timeline", "%d bytes is too short", buf.len);
	count = pq_getmsgint(&buf, 4);
	if (count < 0 || count > TIMELINE_MAX_CHANGES ||
		(int64) buf.len != 4 + (int64) count * TIMELINE_SERIAL_ENTRY)
		cx_bad_state("stage_timeline", "%d changes do not fit in %d bytes", count, buf.len);
	state = timeline_state_new(aggcxt);
	timeline_reserve(state, aggcxt, count);
	for (i = 0; i < count; i++)
	{
		TimestampTz at = pq_getmsgint64(&buf);
		int			stage = pq_getmsgbyte(&buf);

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		timeline_check_received_time(at, "stage_timeline state", i + 1);
		if (stage < CX_STAGE_MIN || stage > CX_STAGE_MAX)
			cx_bad_state("stage_timeline", "change %d has the stage rank %d, not one of %d to %d",
						 i + 1, stage, CX_STAGE_MIN, CX_STAGE_MAX);
		state->changes[i].at = at;
		state->changes[i].stage = stage;
	}
	state->count = count;
	PG_RETURN_POINTER(state);
}

/* Final: the timeline of the gathered changes, NULL when there were none. */
PG_FUNCTION_INFO_V1(stage_timeline_finalfn);
Datum
stage_timeline_finalfn(PG_FUNCTION_ARGS)
{
	TimelineState *state;
	TimelineChange *copy;
	StageTimeline *result;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	state = (TimelineState *) PG_GETARG_POINTER(0);
	if (state->count == 0)
		PG_RETURN_NULL();
	/* sort a copy: the final function may be called again on this state */
	copy = palloc(state->count * sizeof(TimelineChange));
	memcpy(copy, state->changes, state->count * sizeof(TimelineChange));
	result = timeline_build(copy, state->count);
	pfree(copy);
	PG_RETURN_POINTER(result);
}

/*
 * Text input: "stage@time -> stage@time ...".  The changes may be given in
 * any order; the value is stored in canonical form (the same rules as the
 * aggregate), so output then input gives the same value back.
 */
PG_FUNCTION_INFO_V1(stage_timeline_in);
Datum
stage_timeline_in(PG_FUNCTION_ARGS)
{
	char	   *text = PG_GETARG_CSTRING(0);
	char	   *copy = pstrdup(text);
	char	   *cursor = copy;
	TimelineState state = {0, 0, NULL};
	StageTimeline *result;

	for (;;)
	{
		char	   *arrow = strstr(cursor, "->");
		char	   *at_sign;
		int			stage;
		TimestampTz at;

		if (arrow != NULL)
			*arrow = '\0';
		at_sign = strchr(cursor, '@');
		if (at_sign == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type %s: \"%s\"",
							"stage_timeline", cx_quote_literal(text, strlen(text))),
					 errdetail("Expected stage@time at character %d.",
							   (int) (cursor - copy) + 1),
					 errhint("Write changes as stage@time separated by \"->\", for example: wooing@2024-01-01 -> selling@2024-02-01.")));
		*at_sign = '\0';
		stage = cx_stage_parse(cursor, strlen(cursor));
		if (stage == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type %s: \"%s\"",
							"stage_timeline", cx_quote_literal(text, strlen(text))),
					 errdetail("\"%s\" at character %d is not a journey stage.",
							   cx_quote_literal(cursor, strlen(cursor)),
							   (int) (cursor - copy) + 1),
					 errhint("%s", cx_stage_hint())));
		at = DatumGetTimestampTz(DirectFunctionCall3(timestamptz_in,
													 CStringGetDatum(at_sign + 1),
													 ObjectIdGetDatum(InvalidOid),
													 Int32GetDatum(-1)));
		timeline_check_finite(at);
		timeline_reserve(&state, CurrentMemoryContext, 1);
		state.changes[state.count].at = at;
		state.changes[state.count].stage = stage;
		state.count++;
		if (arrow == NULL)
			break;
		cursor = arrow + 2;
	}
	result = timeline_build(state.changes, state.count);
	PG_RETURN_POINTER(result);
}

/*
 * Text output: "stage@time -> stage@time ..." in time order.  Times are
 * written in ISO style whatever DateStyle says, in the session's time zone,
 * so the text reads back the same under any DateStyle (and is what 0.2.0
 * wrote under the default DateStyle).
 */
PG_FUNCTION_INFO_V1(stage_timeline_out);
Datum
stage_timeline_out(PG_FUNCTION_ARGS)
{
	StageTimeline *t = PG_GETARG_TIMELINE(0);
	uint8	   *stages = TIMELINE_STAGES(t);
	StringInfoData buf;
	char		ts[MAXDATELEN + 1];
	int32		i;

	initStringInfo(&buf);
	for (i = 0; i < t->count; i++)
	{
		CHECK_FOR_INTERRUPTS();
		cx_timestamptz_text(t->starts[i], USE_ISO_DATES, ts);
		if (i > 0)
			appendStringInfoString(&buf, " -> ");
		appendStringInfo(&buf, "%s@%s", cx_stage_name(stages[i]), ts);
	}
	PG_RETURN_CSTRING(buf.data);
}

/* Binary output: count, then (int64 start, byte stage) per segment. */
PG_FUNCTION_INFO_V1(stage_timeline_send);
Datum
stage_timeline_send(PG_FUNCTION_ARGS)
{
	StageTimeline *t = PG_GETARG_TIMELINE(0);
	uint8	   *stages = TIMELINE_STAGES(t);
	StringInfoData buf;
	bytea	   *result;
	int32		i;

	result = cx_bytea_writer(4 + (Size) t->count * TIMELINE_SERIAL_ENTRY, &buf);
	pq_writeint32(&buf, t->count);
	for (i = 0; i < t->count; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		pq_writeint64(&buf, t->starts[i]);
		pq_writeint8(&buf, stages[i]);
	}
	Assert(buf.len == buf.maxlen);
	PG_RETURN_BYTEA_P(result);
}

/*
 * Binary input: validates that the segments are in strictly increasing time,
 * have valid stages and that no two consecutive ones repeat a stage, so a
 * received value is exactly a value the aggregate could have built.
 */
PG_FUNCTION_INFO_V1(stage_timeline_recv);
Datum
stage_timeline_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int32		count;
	StageTimeline *result;
	uint8	   *stages;
	int32		i;

	cx_recv_need(buf, 4, "stage_timeline");
	count = pq_getmsgint(buf, 4);
	if (count < 1 || count > TIMELINE_MAX_CHANGES ||
		(int64) (buf->len - buf->cursor) != (int64) count * TIMELINE_SERIAL_ENTRY)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary stage_timeline: %d segments do not match %d remaining bytes",
						count, buf->len - buf->cursor)));
	result = palloc0(TIMELINE_SIZE(count));
	SET_VARSIZE(result, TIMELINE_SIZE(count));
	result->count = count;
	stages = TIMELINE_STAGES(result);
	for (i = 0; i < count; i++)
	{
		TimestampTz at = pq_getmsgint64(buf);
		int			stage = pq_getmsgbyte(buf);

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		timeline_check_received_time(at, "binary stage_timeline", i + 1);
		if (stage < CX_STAGE_MIN || stage > CX_STAGE_MAX ||
			(i > 0 && (at <= result->starts[i - 1] || stage == stages[i - 1])))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("invalid binary stage_timeline: segment %d is out of order, repeats a stage or has no valid stage",
							i + 1)));
		result->starts[i] = at;
		stages[i] = (uint8) stage;
	}
	PG_RETURN_POINTER(result);
}

/* The stage the customer is in after the last change. */
PG_FUNCTION_INFO_V1(stage_timeline_current);
Datum
stage_timeline_current(PG_FUNCTION_ARGS)
{
	StageTimeline *t = PG_GETARG_TIMELINE(0);

	PG_RETURN_JOURNEY_STAGE(TIMELINE_STAGES(t)[t->count - 1]);
}

/* The furthest stage the customer ever reached. */
PG_FUNCTION_INFO_V1(stage_timeline_furthest);
Datum
stage_timeline_furthest(PG_FUNCTION_ARGS)
{
	StageTimeline *t = PG_GETARG_TIMELINE(0);
	uint8	   *stages = TIMELINE_STAGES(t);
	int			best = 0;
	int32		i;

	for (i = 0; i < t->count; i++)
		best = Max(best, stages[i]);
	PG_RETURN_JOURNEY_STAGE(best);
}

/* How many changes moved the customer to an earlier stage. */
PG_FUNCTION_INFO_V1(stage_timeline_regressions);
Datum
stage_timeline_regressions(PG_FUNCTION_ARGS)
{
	StageTimeline *t = PG_GETARG_TIMELINE(0);
	uint8	   *stages = TIMELINE_STAGES(t);
	int32		count = 0;
	int32		i;

	for (i = 1; i < t->count; i++)
		if (stages[i] < stages[i - 1])
			count++;
	PG_RETURN_INT32(count);
}

/* How many changes of stage the timeline holds (segments - 1). */
PG_FUNCTION_INFO_V1(stage_timeline_changes);
Datum
stage_timeline_changes(PG_FUNCTION_ARGS)
{
	StageTimeline *t = PG_GETARG_TIMELINE(0);

	PG_RETURN_INT32(t->count - 1);
}

/* The stage in force at a moment; NULL before the first change. */
PG_FUNCTION_INFO_V1(stage_timeline_stage_at);
Datum
stage_timeline_stage_at(PG_FUNCTION_ARGS)
{
	StageTimeline *t = PG_GETARG_TIMELINE(0);
	TimestampTz at = PG_GETARG_TIMESTAMPTZ(1);
	int32		lo = 0;
	int32		hi = t->count;

	/* binary search for the last segment starting at or before 'at' */
	while (lo < hi)
	{
		int32		mid = lo + (hi - lo) / 2;

		if (t->starts[mid] <= at)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		PG_RETURN_NULL();
	PG_RETURN_JOURNEY_STAGE(TIMELINE_STAGES(t)[lo - 1]);
}

/*
 * reached_at(timeline, stage) (and its deprecated alias entered_at): when the
 * customer first entered a stage; NULL if never.
 */
PG_FUNCTION_INFO_V1(stage_timeline_entered_at);
Datum
stage_timeline_entered_at(PG_FUNCTION_ARGS)
{
	StageTimeline *t = PG_GETARG_TIMELINE(0);
	int			stage = PG_GETARG_JOURNEY_STAGE(1);
	uint8	   *stages = TIMELINE_STAGES(t);
	int32		i;

	for (i = 0; i < t->count; i++)
		if (stages[i] == stage)
			PG_RETURN_TIMESTAMPTZ(t->starts[i]);
	PG_RETURN_NULL();
}

/*
 * Time spent in a stage up to 'until': each segment of that stage counts
 * from its start to the next segment's start, or to 'until' for the last
 * one; parts after 'until' do not count.  Written like a timestamp
 * difference (days and hours, no months).
 */
PG_FUNCTION_INFO_V1(stage_timeline_time_in_stage);
Datum
stage_timeline_time_in_stage(PG_FUNCTION_ARGS)
{
	StageTimeline *t = PG_GETARG_TIMELINE(0);
	int			stage = PG_GETARG_JOURNEY_STAGE(1);
	TimestampTz until = PG_GETARG_TIMESTAMPTZ(2);
	uint8	   *stages = TIMELINE_STAGES(t);
	int64		total = 0;
	int64		span;
	Interval   *result;
	int32		i;

	if (TIMESTAMP_NOT_FINITE(until))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("time_in_stage needs a finite \"until\" time"),
				 errhint("Pass now() or the end of the reporting period.")));
	for (i = 0; i < t->count; i++)
	{
		TimestampTz start = t->starts[i];
		TimestampTz end = (i + 1 < t->count) ? t->starts[i + 1] : until;

		if (start >= until)
			break;
		if (stages[i] != stage)
			continue;
		if (end > until)
			end = until;
		if (pg_sub_s64_overflow(end, start, &span) ||
			pg_add_s64_overflow(total, span, &total))
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("interval out of range")));
	}
	result = palloc0(sizeof(Interval));
	result->time = total;
	return DirectFunctionCall1(interval_justify_hours, IntervalPGetDatum(result));
}
