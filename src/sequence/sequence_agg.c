/*
 * sequence_agg.c
 *		The sequence aggregates over raw rows: sequence_match,
 *		sequence_count and sequence_match_events (conditions form and event
 *		form), sequence_next and sequence_previous (event form).
 *
 * A group's state keeps its pattern (every row must bring the same one),
 * its number of conditions (or the hash of its steps array) and its rows.
 * The match functions keep only the visible rows (those that satisfy some
 * condition), as (time, mask): 16 bytes a row.  sequence_next and
 * sequence_previous answer with any row's label, so they keep every row with
 * a non-NULL event and its label: 32 bytes a row (16 of time and mask, 16
 * of SeqLabel with its padding) plus the label.  Rows with
 * a NULL time are skipped.  The final functions sort the rows into the
 * canonical order and run the matcher (sequence_eval.c).
 */
#include "sequence.h"

#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "nodes/primnodes.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/timestamp.h"
#include "utils/memutils.h"

#include "milestone_path.h"

/* Where a row's label lives in a keep_all state's label bytes. */
typedef struct SeqLabel
{
	int64		offset;
	int32		len;
} SeqLabel;

/*
 * A group's state: one allocation holding the header and the first
 * SEQ_INLINE_ROWS rows (most customers have a few dozen rows or fewer);
 * past them the rows move to an array of their own, doubling.
 */
#define SEQ_INLINE_ROWS 10

typedef struct SeqState
{
	int64		count;
	int64		capacity;
	SeqRow	   *rows;			/* inline_rows, or an array of its own */
	SeqLabel   *labels;			/* keep_all: one per row, room for capacity */
	char	   *label_bytes;	/* keep_all: the labels, concatenated */
	int64		label_used;
	int64		label_size;
	int32		nconds;			/* conditions, or elements of the steps array */
	bool		by_event;
	bool		keep_all;		/* sequence_next / sequence_previous */
	uint64		steps_hash;		/* event form: hash of the steps array */
	int32		pattern_len;
	/* the call site's copy when the pattern is a constant, else the group's */
	const char *pattern;
	SeqRow		inline_rows[SEQ_INLINE_ROWS];
} SeqState;

/* The state's size, declared as SSPACE in sql/cx_journey--0.2.0--0.3.0.sql. */
#define SEQ_STATE_SPACE 256
StaticAssertDecl(sizeof(SeqState) <= SEQ_STATE_SPACE,
				 "SEQ_STATE_SPACE must hold the state with its inline rows");

/* Most label bytes one sequence_next group keeps (54000 past it). */
#define SEQ_MAX_LABEL_BYTES ((int64) 512 * 1024 * 1024)

/* The call site's cache of the transition or final function. */
typedef struct SeqAggCache
{
	SeqPatternCache pc;
	bool		checked;		/* the call's own checks are done */
	bool		pattern_constant;
	bool		steps_constant;
} SeqAggCache;

/*
 * A new state.  pattern is kept as given when shared (a constant pattern:
 * the call site's copy lives as long as the query), else copied.
 */
static SeqState *
seq_state_new(MemoryContext cxt, const char *pattern, int len, bool shared,
			  int nconds, bool by_event, bool keep_all, uint64 steps_hash)
{
	SeqState   *state = MemoryContextAllocZero(cxt, sizeof(SeqState));

	if (shared)
		state->pattern = pattern;
	else
	{
		char	   *copy = MemoryContextAlloc(cxt, len + 1);

		memcpy(copy, pattern, len);
		state->pattern = copy;
	}
	state->pattern_len = len;
	state->nconds = nconds;
	state->by_event = by_event;
	state->keep_all = keep_all;
	state->steps_hash = steps_hash;
	state->rows = state->inline_rows;
	state->capacity = SEQ_INLINE_ROWS;
	if (keep_all)
		state->labels = MemoryContextAlloc(cxt, sizeof(SeqLabel) * SEQ_INLINE_ROWS);
	return state;
}

/*
 * The name of the aggregate being computed, for errors: the transition,
 * combine and deserialize functions are shared by several aggregates.
 */
static const char *
seq_agg_name(FunctionCallInfo fcinfo, bool keep_all)
{
	Aggref	   *aggref = AggGetAggref(fcinfo);
	char	   *name = aggref != NULL ? get_func_name(aggref->aggfnoid) : NULL;

	if (name != NULL)
		return name;
	return keep_all ? "sequence_next" : "sequence_match";
}

/* Room for need rows (and their labels) in a state, grown by doubling. */
static void
seq_state_reserve(MemoryContext cxt, SeqState *state, int64 need, FunctionCallInfo fcinfo)
{
	int64		cap;

	if (need <= state->capacity)
		return;
	/* the name is looked up only for the error */
	if (need > SEQ_MAX_EVENTS)
		seq_check_rows(need, seq_agg_name(fcinfo, state->keep_all));
	cap = cx_grow_capacity(state->capacity, need, 8, SEQ_MAX_EVENTS);
	if (state->rows == state->inline_rows)
	{
		SeqRow	   *rows = MemoryContextAllocExtended(cxt, sizeof(SeqRow) * cap, MCXT_ALLOC_HUGE);

		memcpy(rows, state->inline_rows, sizeof(SeqRow) * state->count);
		state->rows = rows;
	}
	else
		state->rows = repalloc_huge(state->rows, sizeof(SeqRow) * cap);
	if (state->keep_all)
		state->labels = repalloc_huge(state->labels, sizeof(SeqLabel) * cap);
	state->capacity = cap;
}

static void
seq_state_add_label(MemoryContext cxt, SeqState *state, const char *bytes, int len)
{
	if (state->label_used + len > state->label_size)
	{
		int64		size;

		if (state->label_used + len > SEQ_MAX_LABEL_BYTES)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("sequence_next keeps at most 512 MB of event labels per group"),
					 errhint("Split the group, for example by month.")));
		size = cx_grow_capacity(state->label_size, state->label_used + len, 256,
								SEQ_MAX_LABEL_BYTES);
		if (state->label_bytes == NULL)
			state->label_bytes = MemoryContextAllocExtended(cxt, size, MCXT_ALLOC_HUGE);
		else
			state->label_bytes = repalloc_huge(state->label_bytes, size);
		state->label_size = size;
	}
	state->labels[state->count].offset = state->label_used;
	state->labels[state->count].len = len;
	if (len > 0)
		memcpy(state->label_bytes + state->label_used, bytes, len);
	state->label_used += len;
}

/* 22023 unless a row or partial state agrees with the group on the pattern and steps. */
static void
seq_state_check(const SeqState *state, const char *pattern, int len,
				   int nconds, uint64 steps_hash)
{
	if (state->pattern_len != len || memcmp(state->pattern, pattern, len) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sequence pattern must be the same for every row of a group"),
				 errdetail("The group started with \"%s\", a row has \"%s\".",
						   cx_quote_literal(state->pattern, state->pattern_len),
						   cx_quote_literal(pattern, len)),
				 errhint("Pass the pattern as a constant, or group by it.")));
	if (state->nconds != nconds || state->steps_hash != steps_hash)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sequence steps must be the same for every row of a group"),
				 errhint("Pass the steps as a constant array.")));
}

/*
 * The transition of every form: by_event, the row has (event, steps[])
 * after the time, else boolean conditions; keep_all, every row with an
 * event is kept with its label (sequence_next / sequence_previous).
 */
static Datum
seq_transition(FunctionCallInfo fcinfo, bool by_event, bool keep_all)
{
	const char *fname = keep_all ? "sequence_next" : "sequence_match";
	MemoryContext aggcxt;
	SeqAggCache *cache;
	SeqState   *state;
	const char *pattern;
	int			len;
	int			nconds;
	uint64		mask = 0;
	int			i;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "%s transition function called in non-aggregate context", fname);
	cache = cx_call_site_cache(fcinfo, sizeof(SeqAggCache));
	if (!cache->checked)
	{
		if (!by_event)
		{
			Oid			type;
			int			bad;

			cx_refuse_variadic_array(fcinfo, "a sequence pattern",
									 "List the conditions, for example kind = 'visit', kind = 'purchase', or give the steps as event names: sequence_match(pattern, ts, kind, ARRAY['visit', 'purchase']).");
			nconds = PG_NARGS() - 3;
			if (nconds < 1)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("a sequence pattern needs at least one condition")));
			seq_check_count(nconds);
			bad = cx_first_non_bool_arg(fcinfo, 3, &type);
			if (bad >= 0)
				ereport(ERROR,
						(errcode(ERRCODE_DATATYPE_MISMATCH),
						 errmsg("sequence condition %d must be a boolean condition, not type %s",
								bad + 1, OidIsValid(type) ? format_type_be(type) : "unknown"),
						 errhint("Write each condition as a boolean, for example kind = 'purchase'.")));
		}
		/* asked of the aggregate call: the transition's own arguments are placeholders */
		cache->pattern_constant = funnel_arg_constant(fcinfo, 1);
		cache->steps_constant = by_event && funnel_arg_constant(fcinfo, 4);
		cache->checked = true;
	}
	if (!PG_ARGISNULL(0) && cache->pattern_constant && (!by_event || cache->steps_constant))
	{
		/* constant pattern and steps: checked on the group's first row */
		state = (SeqState *) PG_GETARG_POINTER(0);
		nconds = state->nconds;
	}
	else
	{
		seq_pattern_arg(fcinfo, 1, &pattern, &len);
		if (by_event)
		{
			seq_steps_arg(fcinfo, 4, &cache->pc);
			nconds = cache->pc.steps.count;
		}
		else
			nconds = PG_NARGS() - 3;

		if (PG_ARGISNULL(0))
		{
			/*
			 * Compiled on a group's first row only (a bad pattern fails
			 * there), and only when its text differs from the last compiled.
			 */
			seq_pattern_get(&cache->pc, fcinfo->flinfo->fn_mcxt, pattern, len, nconds);
			state = seq_state_new(aggcxt, cache->pattern_constant ? cache->pc.text : pattern,
								  len, cache->pattern_constant, nconds, by_event, keep_all,
								  cache->pc.steps_hash);
		}
		else
		{
			state = (SeqState *) PG_GETARG_POINTER(0);
			/*
			 * Every row, even one that is skipped, agrees with its group: the
			 * text is compared with the group's, which was compiled on its
			 * first row, so groups with different patterns interleaved (a
			 * hashed aggregate) compile nothing per row.
			 */
			seq_state_check(state, pattern, len, nconds, cache->pc.steps_hash);
		}
	}

	/* a NULL time skips the row */
	if (PG_ARGISNULL(2))
		PG_RETURN_POINTER(state);
	if (by_event)
	{
		text	   *event;

		/* a NULL event is no step: it matches nothing and is not kept */
		if (PG_ARGISNULL(3))
			PG_RETURN_POINTER(state);
		event = PG_GETARG_TEXT_PP(3);
		mask = seq_label_mask(&cache->pc, VARDATA_ANY(event), VARSIZE_ANY_EXHDR(event));
		if (mask == 0 && !keep_all)
			PG_RETURN_POINTER(state);
		seq_state_reserve(aggcxt, state, state->count + 1, fcinfo);
		if (keep_all)
			seq_state_add_label(aggcxt, state, VARDATA_ANY(event), VARSIZE_ANY_EXHDR(event));
	}
	else
	{
		/* a NULL condition is false; a row matching none is invisible */
		for (i = 0; i < nconds; i++)
		{
			if (!PG_ARGISNULL(3 + i) && PG_GETARG_BOOL(3 + i))
				mask |= UINT64CONST(1) << i;
		}
		if (mask == 0)
			PG_RETURN_POINTER(state);
		seq_state_reserve(aggcxt, state, state->count + 1, fcinfo);
	}
	state->rows[state->count].ts = PG_GETARG_TIMESTAMPTZ(2);
	state->rows[state->count].mask = mask;
	state->count++;
	PG_RETURN_POINTER(state);
}

/* Transition of sequence_match/count/match_events(pattern, ts, cond1, ...). */
PG_FUNCTION_INFO_V1(sequence_transfn);
Datum
sequence_transfn(PG_FUNCTION_ARGS)
{
	return seq_transition(fcinfo, false, false);
}

/* Transition of sequence_match/count/match_events(pattern, ts, event, steps). */
PG_FUNCTION_INFO_V1(sequence_event_transfn);
Datum
sequence_event_transfn(PG_FUNCTION_ARGS)
{
	return seq_transition(fcinfo, true, false);
}

/* Transition of sequence_next/previous(pattern, ts, event, steps): every row. */
PG_FUNCTION_INFO_V1(sequence_next_transfn);
Datum
sequence_next_transfn(PG_FUNCTION_ARGS)
{
	return seq_transition(fcinfo, true, true);
}

/* Combine two partial states of a group: the rows of both. */
PG_FUNCTION_INFO_V1(sequence_combinefn);
Datum
sequence_combinefn(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	SeqState   *left;
	SeqState   *right;
	Datum		one_side;
	int64		i;

	if (cx_combine_one_side(fcinfo, "sequence_combinefn", &aggcxt, &one_side))
		CX_RETURN_COMBINE_ONE_SIDE(one_side);
	left = (SeqState *) PG_GETARG_POINTER(0);
	right = (SeqState *) PG_GETARG_POINTER(1);
	if (left->keep_all != right->keep_all || left->by_event != right->by_event)
		elog(ERROR, "sequence_combinefn: states of different aggregates");
	seq_state_check(left, right->pattern, right->pattern_len, right->nconds,
					right->steps_hash);
	seq_state_reserve(aggcxt, left, left->count + right->count, fcinfo);
	for (i = 0; i < right->count; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		left->rows[left->count] = right->rows[i];
		if (left->keep_all)
			seq_state_add_label(aggcxt, left, right->label_bytes + right->labels[i].offset,
								right->labels[i].len);
		left->count++;
	}
	PG_RETURN_POINTER(left);
}

#define SEQ_STATE_VERSION 1
#define SEQ_FLAG_BY_EVENT 1
#define SEQ_FLAG_KEEP_ALL 2

/*
 * Partial state to bytes: version, flags, nconds, steps_hash, the pattern
 * (length, bytes), the row count, each row's time and mask, and with
 * keep_all each row's label (length, bytes).
 */
PG_FUNCTION_INFO_V1(sequence_serialize);
Datum
sequence_serialize(PG_FUNCTION_ARGS)
{
	SeqState   *state;
	StringInfoData buf;
	Size		size;
	bytea	   *result;
	int64		i;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "sequence_serialize called in non-aggregate context");
	state = (SeqState *) PG_GETARG_POINTER(0);
	size = 2 + 4 + 8 + 4 + state->pattern_len + 8 + (Size) state->count * 16;
	if (state->keep_all)
		size += (Size) state->count * 4 + state->label_used;
	result = cx_bytea_writer(size, &buf);
	/* pq_write*: the bytea has exactly size bytes, no room to grow */
	pq_writeint8(&buf, SEQ_STATE_VERSION);
	pq_writeint8(&buf, (state->by_event ? SEQ_FLAG_BY_EVENT : 0) |
				 (state->keep_all ? SEQ_FLAG_KEEP_ALL : 0));
	pq_writeint32(&buf, state->nconds);
	pq_writeint64(&buf, state->steps_hash);
	pq_writeint32(&buf, state->pattern_len);
	memcpy(buf.data + buf.len, state->pattern, state->pattern_len);
	buf.len += state->pattern_len;
	pq_writeint64(&buf, state->count);
	for (i = 0; i < state->count; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		pq_writeint64(&buf, state->rows[i].ts);
		pq_writeint64(&buf, state->rows[i].mask);
	}
	if (state->keep_all)
		for (i = 0; i < state->count; i++)
		{
			if ((i & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
			pq_writeint32(&buf, state->labels[i].len);
			memcpy(buf.data + buf.len, state->label_bytes + state->labels[i].offset,
				   state->labels[i].len);
			buf.len += state->labels[i].len;
		}
	Assert((Size) buf.len == size);
	PG_RETURN_BYTEA_P(result);
}

/* Bytes to a partial state, every byte checked (22P03 for bad ones). */
PG_FUNCTION_INFO_V1(sequence_deserialize);
Datum
sequence_deserialize(PG_FUNCTION_ARGS)
{
	const char *agg = "sequence";
	MemoryContext aggcxt;
	StringInfoData buf;
	SeqState   *state;
	int			version,
				flags;
	int32		nconds,
				pattern_len;
	const char *pattern;
	uint64		steps_hash;
	int64		count,
				i;

	aggcxt = cx_deserialize_start(fcinfo, "sequence_deserialize", &buf);
	if (buf.len < 2 + 4 + 8 + 4)
		cx_bad_state(agg, "%d bytes is too short", buf.len);
	version = pq_getmsgbyte(&buf);
	if (version != SEQ_STATE_VERSION)
		cx_bad_state(agg, "unknown version %d", version);
	flags = pq_getmsgbyte(&buf);
	if (flags & ~(SEQ_FLAG_BY_EVENT | SEQ_FLAG_KEEP_ALL) ||
		((flags & SEQ_FLAG_KEEP_ALL) && !(flags & SEQ_FLAG_BY_EVENT)))
		cx_bad_state(agg, "invalid flags %d", flags);
	nconds = pq_getmsgint(&buf, 4);
	if (nconds < 1 || nconds > SEQ_MAX_CONDITIONS)
		cx_bad_state(agg, "%d conditions", nconds);
	steps_hash = pq_getmsgint64(&buf);
	if (!(flags & SEQ_FLAG_BY_EVENT) && steps_hash != 0)
		cx_bad_state(agg, "a steps hash without steps");
	pattern_len = pq_getmsgint(&buf, 4);
	if (pattern_len < 0 || pattern_len > SEQ_MAX_PATTERN ||
		pattern_len > buf.len - buf.cursor)
		cx_bad_state(agg, "pattern of %d bytes", pattern_len);
	pattern = pq_getmsgbytes(&buf, pattern_len);
	/* the pattern is quoted in errors, so it must be text like a label */
	if (!cx_valid_text(pattern, pattern_len))
		cx_bad_state(agg, "its pattern is not text in the database's encoding");
	state = seq_state_new(aggcxt, pattern, pattern_len, false, nconds,
						  (flags & SEQ_FLAG_BY_EVENT) != 0,
						  (flags & SEQ_FLAG_KEEP_ALL) != 0, steps_hash);
	if (buf.len - buf.cursor < 8)
		cx_bad_state(agg, "no row count");
	count = pq_getmsgint64(&buf);
	if (count < 0 || count > SEQ_MAX_EVENTS ||
		count > (buf.len - buf.cursor) / (state->keep_all ? 20 : 16))
		cx_bad_state(agg, "%lld rows in %d bytes", (long long) count, buf.len - buf.cursor);
	seq_state_reserve(aggcxt, state, Max(count, 1), fcinfo);
	for (i = 0; i < count; i++)
	{
		int64		ts = pq_getmsgint64(&buf);
		uint64		mask = (uint64) pq_getmsgint64(&buf);

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();

		if (nconds < 64 && (mask >> nconds) != 0)
			cx_bad_state(agg, "row %lld matches condition past %d", (long long) i, nconds);
		if (mask == 0 && !state->keep_all)
			cx_bad_state(agg, "row %lld matches no condition", (long long) i);
		/* a time no timestamptz can hold would be returned as one */
		if (!cx_valid_time(ts))
			cx_bad_state(agg, "row %lld has a time out of range", (long long) i);
		state->rows[i].ts = ts;
		state->rows[i].mask = mask;
	}
	if (state->keep_all)
		for (i = 0; i < count; i++)
		{
			int32		len;
			const char *label;

			if ((i & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
			if (buf.len - buf.cursor < 4)
				cx_bad_state(agg, "row %lld has no label", (long long) i);
			len = pq_getmsgint(&buf, 4);
			if (len < 0 || len > buf.len - buf.cursor)
				cx_bad_state(agg, "label of %d bytes", len);
			label = pq_getmsgbytes(&buf, len);
			/* sequence_next returns the label as text */
			if (!cx_valid_text(label, len))
				cx_bad_state(agg, "the label of row %lld is not text in the database's encoding",
							 (long long) i);
			state->count = i;
			seq_state_add_label(aggcxt, state, label, len);
		}
	if (buf.cursor != buf.len)
		cx_bad_state(agg, "%d bytes left over", buf.len - buf.cursor);
	state->count = count;
	PG_RETURN_POINTER(state);
}

/*
 * Evaluate a group: its pattern compiled (cached by the final function's
 * call site), its visible rows in canonical order.
 */
static void
seq_final_evaluate(FunctionCallInfo fcinfo, SeqState *state, SeqWant want, SeqOutcome *out)
{
	SeqAggCache *cache = cx_call_site_cache(fcinfo, sizeof(SeqAggCache));
	const SeqPattern *pattern;
	SeqRow	   *rows = state->rows;
	int64		n = state->count;
	uint64		present = 0;
	int64		i;

	pattern = seq_pattern_get(&cache->pc, fcinfo->flinfo->fn_mcxt, state->pattern,
							  state->pattern_len, state->nconds);
	for (i = 0; i < state->count; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		present |= state->rows[i].mask;
	}
	if (!seq_may_match(pattern, present))
		n = 0;
	else if (state->keep_all)
	{
		/* the visible rows only, in a copy (the labels stay with the state's order) */
		rows = palloc_extended(sizeof(SeqRow) * Max(n, 1), MCXT_ALLOC_HUGE);
		n = 0;
		for (i = 0; i < state->count; i++)
		{
			if ((i & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
			if (state->rows[i].mask != 0)
				rows[n++] = state->rows[i];
		}
	}
	seq_evaluate(&cache->pc, rows, n, want, out);
	if (rows != state->rows)
		pfree(rows);
}

/* sequence_match: whether the group's rows have a match. */
PG_FUNCTION_INFO_V1(sequence_match_finalfn);
Datum
sequence_match_finalfn(PG_FUNCTION_ARGS)
{
	SeqOutcome	out;

	if (PG_ARGISNULL(0))
		PG_RETURN_BOOL(false);
	seq_final_evaluate(fcinfo, (SeqState *) PG_GETARG_POINTER(0), SEQ_WANT_MATCH, &out);
	PG_RETURN_BOOL(out.matched);
}

/* sequence_count: the number of non-overlapping matches. */
PG_FUNCTION_INFO_V1(sequence_count_finalfn);
Datum
sequence_count_finalfn(PG_FUNCTION_ARGS)
{
	SeqOutcome	out;

	if (PG_ARGISNULL(0))
		PG_RETURN_INT64(0);
	seq_final_evaluate(fcinfo, (SeqState *) PG_GETARG_POINTER(0), SEQ_WANT_COUNT, &out);
	PG_RETURN_INT64(out.count);
}

/* sequence_match_events: the times of the chosen match's (?N) events, or NULL. */
PG_FUNCTION_INFO_V1(sequence_match_events_finalfn);
Datum
sequence_match_events_finalfn(PG_FUNCTION_ARGS)
{
	SeqOutcome	out;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	seq_final_evaluate(fcinfo, (SeqState *) PG_GETARG_POINTER(0), SEQ_WANT_EVENTS, &out);
	if (!out.matched)
		PG_RETURN_NULL();
	return seq_events_datum(&out);
}

/*
 * The label of the row next to the chosen match (forward: at the first
 * instant strictly after its last event; backward: at the last instant
 * strictly before its first event), the smallest in bytes at that instant;
 * NULL when nothing matches or no row is there.
 */
static Datum
seq_agg_neighbour(FunctionCallInfo fcinfo, bool forward)
{
	SeqState   *state;
	SeqOutcome	out;
	int64		i;
	int64		best = -1;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	state = (SeqState *) PG_GETARG_POINTER(0);
	seq_final_evaluate(fcinfo, state, SEQ_WANT_BOUNDS, &out);
	if (!out.matched)
		PG_RETURN_NULL();
	for (i = 0; i < state->count; i++)
	{
		int64		ts = state->rows[i].ts;
		const SeqLabel *l = &state->labels[i];

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (forward ? ts <= out.last_ts : ts >= out.first_ts)
			continue;
		if (best >= 0)
		{
			int64		bts = state->rows[best].ts;
			const SeqLabel *b = &state->labels[best];

			if (forward ? ts > bts : ts < bts)
				continue;
			if (ts == bts &&
				path_label_cmp(state->label_bytes + l->offset, l->len,
									 state->label_bytes + b->offset, b->len) >= 0)
				continue;
		}
		best = i;
	}
	if (best < 0)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text_with_len(state->label_bytes + state->labels[best].offset,
											  state->labels[best].len));
}

/* sequence_next: the event right after the chosen match. */
PG_FUNCTION_INFO_V1(sequence_next_finalfn);
Datum
sequence_next_finalfn(PG_FUNCTION_ARGS)
{
	return seq_agg_neighbour(fcinfo, true);
}

/* sequence_previous: the event right before the chosen match. */
PG_FUNCTION_INFO_V1(sequence_previous_finalfn);
Datum
sequence_previous_finalfn(PG_FUNCTION_ARGS)
{
	return seq_agg_neighbour(fcinfo, false);
}
