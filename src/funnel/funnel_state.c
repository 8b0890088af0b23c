/*
 * funnel_state.c
 *		The rows of one funnel group: creation, growth, merging, sorting,
 *		and the serialize / deserialize functions of partial aggregation.
 */
#include "cx_journey.h"

#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "funnel_state.h"

#define FUNNEL_HEADER_SIZE		offsetof(FunnelState, rows)
#define FUNNEL_ROW_SIZE(packed) ((packed) ? sizeof(int64) : sizeof(FunnelEvent))

/*
 * Bytes of a serialized state before its rows: nsteps 4, flags 4, window 8,
 * packed 1, count 4, steps hash 8.
 */
#define FUNNEL_SERIAL_HEADER	(4 + 4 + 8 + 1 + 4 + 8)

/* A window of usec microseconds as interval text (days and time). */
static char *
funnel_window_text(int64 usec)
{
	Interval	window;

	return DatumGetCString(DirectFunctionCall1(interval_out,
											   IntervalPGetDatum(cx_usec_interval(usec, &window))));
}

/* Mode flags as the words that set them, comma-separated ("" for none). */
static char *
funnel_mode_text(int flags)
{
	static const struct
	{
		int			flag;
		const char *word;
	}			words[] = {
		{FUNNEL_STRICT_ORDER, "strict_order"},
		{FUNNEL_STRICT_DEDUPLICATION, "strict_deduplication"},
		{FUNNEL_STRICT_INCREASE, "strict_increase"},
		{FUNNEL_FIRST_ENTRY, "first_entry"},
		{FUNNEL_ALLOW_REENTRY, "allow_reentry"},
	};
	StringInfoData buf;
	size_t		i;

	initStringInfo(&buf);
	for (i = 0; i < lengthof(words); i++)
	{
		if (flags & words[i].flag)
			appendStringInfo(&buf, "%s%s", buf.len > 0 ? ", " : "", words[i].word);
	}
	return buf.data;
}

void
funnel_params_mismatch(const FunnelParams *group, const FunnelParams *other)
{
	const char *hint = "Pass constants, or values that depend only on the GROUP BY key.";
	const char *detail = "The window, mode and steps must be the same for every row of a group.";

	if (group->window != other->window)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel window differs within a group: \"%s\" and \"%s\"",
						funnel_window_text(group->window), funnel_window_text(other->window)),
				 errdetail("%s", detail),
				 errhint("%s", hint)));
	if (group->flags != other->flags)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel mode differs within a group: \"%s\" and \"%s\"",
						funnel_mode_text(group->flags), funnel_mode_text(other->flags)),
				 errdetail("%s Modes are compared by what they change (strict_once, and allow_reentry without strict_order, change nothing).",
						   detail),
				 errhint("%s", hint)));
	if (group->nsteps != other->nsteps)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel step count differs within a group: %d and %d",
						group->nsteps, other->nsteps),
				 errdetail("%s", detail),
				 errhint("%s", hint)));
	/* only a hash of the event names is kept, so the names cannot be quoted */
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("funnel steps differ within a group"),
			 errdetail("Both lists have %d steps, with different event names. %s",
					   group->nsteps, detail),
			 errhint("%s", hint)));
}

static void
funnel_check_limit(int64 need)
{
	if (need > FUNNEL_MAX_ROWS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("a funnel keeps at most %d matching rows per group", FUNNEL_MAX_ROWS),
				 errdetail("Only rows that match a step are kept (all rows under strict_order)."),
				 errhint("Narrow the time range, or filter the rows with a WHERE clause on the step conditions.")));
}

/* A state of capacity rows of the given format, header set, no rows. */
static FunnelState *
funnel_state_alloc(MemoryContext cxt, const FunnelParams *params, bool packed,
				   int64 capacity)
{
	FunnelState *state;

	funnel_check_limit(capacity);
	state = MemoryContextAlloc(cxt, FUNNEL_HEADER_SIZE + capacity * FUNNEL_ROW_SIZE(packed));
	state->params = *params;
	state->count = 0;
	state->capacity = (int32) capacity;
	state->packed = packed;
	state->sorted = true;
	return state;
}

FunnelState *
funnel_state_new(MemoryContext cxt, const FunnelParams *params)
{
	bool		packed = params->nsteps <= FUNNEL_PACK_MAX_STEPS;

	/* a wide state holds half as many rows in the same space */
	return funnel_state_alloc(cxt, params, packed,
							  packed ? FUNNEL_INLINE_ROWS : FUNNEL_INLINE_ROWS / 2);
}

/*
 * Room for extra more rows, made wide first when wide is set: the state
 * reallocated (it may move) to a capacity doubled as needed.
 */
static FunnelState *
funnel_state_grow(FunnelState *state, int64 extra, bool wide)
{
	int64		need = (int64) state->count + extra;
	bool		packed = state->packed && !wide;
	int64		capacity = state->capacity;

	if (need <= capacity && packed == state->packed)
		return state;
	funnel_check_limit(need);
	capacity = cx_grow_capacity(capacity, need, FUNNEL_INLINE_ROWS, FUNNEL_MAX_ROWS);
	state = repalloc(state, FUNNEL_HEADER_SIZE + capacity * FUNNEL_ROW_SIZE(packed));
	state->capacity = (int32) capacity;
	if (packed != state->packed)
	{
		FunnelEvent *events = (FunnelEvent *) state->rows;
		int32		i;

		/* from the end: wide row i covers packed rows 2i and 2i + 1, read */
		for (i = state->count - 1; i >= 0; i--)
		{
			int64		key = state->rows[i];

			if ((i & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();

			events[i].ts = cx_funnel_key_ts(key);
			events[i].mask = cx_funnel_key_mask(key);
		}
		state->packed = false;
	}
	return state;
}

FunnelState *
funnel_state_make_room(FunnelState *state, int64 ts)
{
	return funnel_state_grow(state, 1, state->packed && !cx_funnel_packable(ts));
}

/*
 * Does row i of a sort before row j of b (both packed or both wide), in
 * funnel_state_sort's order: the key, or the time then the mask?
 */
static inline bool
funnel_row_before(const FunnelState *a, int32 i, const FunnelState *b, int32 j)
{
	if (a->packed)
		return a->rows[i] < b->rows[j];
	return cx_funnel_event_cmp(&((const FunnelEvent *) a->rows)[i],
							   &((const FunnelEvent *) b->rows)[j]) < 0;
}

FunnelState *
funnel_state_merge(FunnelState *left, const FunnelState *right)
{
	int32		i;

	if (right->count == 0)
		return left;
	left = funnel_state_grow(left, right->count, !right->packed);
	if (left->packed == right->packed)
	{
		Size		row = FUNNEL_ROW_SIZE(left->packed);

		if (!right->sorted ||
			(left->count > 0 && funnel_row_before(right, 0, left, left->count - 1)))
			left->sorted = false;
		memcpy((char *) left->rows + (Size) left->count * row, right->rows,
			   (Size) right->count * row);
		left->count += right->count;
		return left;
	}
	/* a wide left state takes packed rows one by one */
	for (i = 0; i < right->count; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		left = funnel_state_append(left, cx_funnel_key_ts(right->rows[i]),
								   cx_funnel_key_mask(right->rows[i]));
	}
	return left;
}

/* The row order of funnel_core.h, for qsort_interruptible. */
static int
funnel_event_cmp(const void *a, const void *b, void *arg)
{
	return cx_funnel_event_cmp(a, b);
}

void
funnel_state_sort(FunnelState *state)
{
	if (state->sorted)
		return;
	if (state->packed)
		cx_sort_int64(state->rows, state->count);
	else
		qsort_interruptible(state->rows, state->count, sizeof(FunnelEvent),
							funnel_event_cmp, NULL);
	state->sorted = true;
}

FunnelEvent *
funnel_state_events(FunnelState *state, bool *copied)
{
	FunnelEvent *events;
	int32		i;

	funnel_state_sort(state);
	*copied = state->packed;
	if (!state->packed)
		return (FunnelEvent *) state->rows;
	events = palloc(Max(state->count, 1) * sizeof(FunnelEvent));
	for (i = 0; i < state->count; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		events[i].ts = cx_funnel_key_ts(state->rows[i]);
		events[i].mask = cx_funnel_key_mask(state->rows[i]);
	}
	return events;
}

/*
 * Serialize a partial state: nsteps, flags, window, packed, count, steps
 * hash, then the rows as 8-byte integers in network order (a packed key,
 * or a time and a mask).
 */
PG_FUNCTION_INFO_V1(window_funnel_serialize);
Datum
window_funnel_serialize(PG_FUNCTION_ARGS)
{
	FunnelState *state = (FunnelState *) PG_GETARG_POINTER(0);
	int64		words = (int64) state->count * (state->packed ? 1 : 2);
	bytea	   *result;
	StringInfoData buf;
	int64		i;

	result = cx_bytea_writer(FUNNEL_SERIAL_HEADER + words * 8, &buf);
	pq_writeint32(&buf, state->params.nsteps);
	pq_writeint32(&buf, state->params.flags);
	pq_writeint64(&buf, state->params.window);
	pq_writeint8(&buf, state->packed ? 1 : 0);
	pq_writeint32(&buf, state->count);
	pq_writeint64(&buf, state->params.steps_hash);
	for (i = 0; i < words; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		pq_writeint64(&buf, (uint64) state->rows[i]);
	}
	Assert(buf.len == buf.maxlen);
	PG_RETURN_BYTEA_P(result);
}

/* Deserialize a partial state, rejecting bytes that are not one. */
PG_FUNCTION_INFO_V1(window_funnel_deserialize);
Datum
window_funnel_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	StringInfoData buf;
	FunnelParams params;
	FunnelState *state;
	int			packed;
	int32		count;
	uint64		max_mask;
	int32		i;

	aggcxt = cx_deserialize_start(fcinfo, "window_funnel_deserialize", &buf);
	if (buf.len < FUNNEL_SERIAL_HEADER)
		cx_bad_state("window_funnel", "too short");
	params.nsteps = (int32) pq_getmsgint(&buf, 4);
	params.flags = (int32) pq_getmsgint(&buf, 4);
	params.window = pq_getmsgint64(&buf);
	packed = pq_getmsgbyte(&buf);
	count = (int32) pq_getmsgint(&buf, 4);
	params.steps_hash = (uint64) pq_getmsgint64(&buf);
	if (params.nsteps < 1 || params.nsteps > FUNNEL_MAX_STEPS)
		cx_bad_state("window_funnel", "step count out of range");
	if ((params.flags & ~FUNNEL_ALL_MODES) != 0)
		cx_bad_state("window_funnel", "unknown mode flags");
	/* the mode parser drops allow_reentry unless strict_order is given */
	if ((params.flags & FUNNEL_ALLOW_REENTRY) && !(params.flags & FUNNEL_STRICT_ORDER))
		cx_bad_state("window_funnel", "allow_reentry without strict_order");
	/* 0 for the conditions form, odd for the event form (funnel_args.c) */
	if (params.steps_hash != 0 && (params.steps_hash & 1) == 0)
		cx_bad_state("window_funnel", "steps hash of neither form");
	if (params.window < 0)
		cx_bad_state("window_funnel", "negative window");
	if (packed != 0 && (packed != 1 || params.nsteps > FUNNEL_PACK_MAX_STEPS))
		cx_bad_state("window_funnel", "bad row format");
	if (count < 0 || count > FUNNEL_MAX_ROWS ||
		(int64) buf.len - FUNNEL_SERIAL_HEADER != (int64) count * (packed ? 8 : 16))
		cx_bad_state("window_funnel", "row count does not match the length");
	max_mask = params.nsteps == 64 ? PG_UINT64_MAX : (UINT64CONST(1) << params.nsteps) - 1;

	/* exactly the rows it holds: the leader of a parallel plan keeps several */
	state = funnel_state_alloc(aggcxt, &params, packed != 0, Max(count, 1));
	for (i = 0; i < count; i++)
	{
		int64		ts;
		uint64		mask;

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (packed)
		{
			int64		key = pq_getmsgint64(&buf);

			ts = cx_funnel_key_ts(key);
			mask = cx_funnel_key_mask(key);
		}
		else
		{
			ts = pq_getmsgint64(&buf);
			mask = (uint64) pq_getmsgint64(&buf);
		}
		if ((mask & ~max_mask) != 0)
			cx_bad_state("window_funnel", "a row matches a step past the last");
		if (mask == 0 && !(params.flags & FUNNEL_STRICT_ORDER))
			cx_bad_state("window_funnel", "a row matches no step");
		if (packed && !cx_funnel_packable(ts))
			cx_bad_state("window_funnel", "a packed row's time is out of range");
		/* what a timestamptz can hold: a valid time or +-infinity */
		if (!cx_valid_time(ts))
			cx_bad_state("window_funnel", "a row's time is out of range");
		/* the state has room for every row: no reallocation happens */
		state = funnel_state_append(state, ts, mask);
	}
	Assert(buf.cursor == buf.len);
	PG_RETURN_POINTER(state);
}
