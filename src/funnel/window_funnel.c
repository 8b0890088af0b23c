/*
 * window_funnel.c
 *		The per-customer funnel aggregates: window_funnel,
 *		window_funnel_times and time_to_convert.
 *
 * All three share one transition state: the (time, matched-steps mask) of
 * every row that matches a step (every row at all under strict_order, where
 * a row matching nothing still breaks a chain), kept in a flat array in the
 * aggregate context and grown by doubling, so a row costs no allocation.
 * Under hashed aggregation with arguments that are constants of the query,
 * a group's state is instead a reference into one log of the rows of all
 * groups (group_log.h), which the transition function appends to without
 * touching any memory of the group.  The final functions sort the rows by
 * time if they did not arrive sorted and run the exact evaluation of
 * funnel_core.c.  Because PostgreSQL shares one
 * transition state between aggregates with the same inputs, a query asking
 * for window_funnel and time_to_convert of the same steps gathers rows once.
 */
#include "cx_journey.h"

#include "catalog/pg_type.h"
#include "common/int.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "nodes/pg_list.h"
#include "nodes/primnodes.h"
#include "port/pg_bitutils.h"
#include "access/hash.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "funnel_core.h"
#include "funnel_mode.h"
#include "group_log.h"
#include "row_log.h"

/* Most rows one group may keep before the aggregate refuses (54000). */
#define FUNNEL_MAX_ROWS		(16 * 1024 * 1024)

/*
 * Rows are kept as packed 8-byte keys, time * 256 + mask, when the funnel
 * has at most 8 steps and the time is within +-2^55 microseconds of 2000
 * (years 858 to 3141): half the memory of a (time, mask) pair, and keys sort
 * by time then mask as plain integers.  Otherwise (or once a row falls
 * outside that range) the state holds wide FunnelEvent pairs.
 */
#define FUNNEL_PACK_MAX_STEPS	8
#define FUNNEL_PACK_LIMIT		(INT64CONST(1) << 55)

/* Per-query cache kept in fn_extra: argument checks and the parsed mode. */
typedef struct FunnelCallCache
{
	bool		args_checked;
	int32		nsteps;
	char	   *mode_text;		/* the mode argument last parsed */
	int			mode_len;
	int			mode_flags;
	Interval	window_value;	/* the window argument last checked */
	int64		window_usec;
	bool		window_known;
	/* event form: the steps array last parsed, and its labels */
	char	   *steps_bytes;
	int			steps_size;
	uint32		steps_hash;
	int			label_len[FUNNEL_MAX_STEPS];
	char	   *label[FUNNEL_MAX_STEPS];
	/*
	 * settled: the window, mode and steps arguments are constants of the
	 * query (or parameters), checked on the first row; later rows skip the
	 * checks and use settled_window and settled_flags.
	 */
	bool		settled;
	int64		settled_window;
	int			settled_flags;
	bool		site_known;		/* the next two are set (first row) */
	bool		args_constant;	/* window, mode and steps are constants */
	int			log_wanted;		/* row_log_wanted() of the first row */
	CxLogSlot  *logs;			/* the group logs of this call site */
} FunnelCallCache;

/*
 * What every group of a group log shares: under hashed aggregation with
 * constant window, mode and steps (at most FUNNEL_PACK_MAX_STEPS), a
 * group's state is a reference into the log of its call site (see
 * group_log.h) and its rows are logged as packed keys; a row outside the
 * packable range is logged as two values, FUNNEL_WIDE_MARK(mask) then its
 * time.
 */
typedef struct FunnelLogParams
{
	int64		window;
	uint32		steps_hash;
	uint8		nsteps;
	uint8		flags;
	bool		has_wide;		/* some row was logged as a marked pair */
} FunnelLogParams;

static void
funnel_check_interrupts(void)
{
	CHECK_FOR_INTERRUPTS();
}

static void *
funnel_palloc(size_t size)
{
	return palloc(size);
}

static const FunnelHooks backend_hooks = {funnel_palloc, pfree, funnel_check_interrupts};

/* The row order of funnel_core.h, for qsort_interruptible. */
static int
funnel_event_cmp(const void *a, const void *b, void *arg)
{
	return cx_funnel_event_cmp(a, b);
}

/* A funnel window as microseconds: no months, not negative, not NULL. */
static int64
funnel_window_usec(const Interval *window)
{
	int64		usec;

	if (window->month != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel window \"%s\" has a months part",
						DatumGetCString(DirectFunctionCall1(interval_out,
															IntervalPGetDatum(window)))),
				 errdetail("A month has no fixed length, so the window would be ambiguous."),
				 errhint("Give the window in days or smaller units, for example interval '30 days'.")));
	if (pg_mul_s64_overflow((int64) window->day, USECS_PER_DAY, &usec) ||
		pg_add_s64_overflow(usec, window->time, &usec))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel window is out of range")));
	if (usec < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel window \"%s\" is negative",
						DatumGetCString(DirectFunctionCall1(interval_out,
															IntervalPGetDatum(window)))),
				 errhint("Give a window of zero or more, for example interval '7 days'.")));
	return usec;
}

static FunnelCallCache *
funnel_call_cache(FunctionCallInfo fcinfo, int first_step)
{
	FunnelCallCache *cache = (FunnelCallCache *) fcinfo->flinfo->fn_extra;

	if (cache == NULL)
	{
		cache = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(FunnelCallCache));
		fcinfo->flinfo->fn_extra = cache;
	}
	if (!cache->args_checked)
	{
		int			nsteps = PG_NARGS() - first_step;
		Oid			type;
		int			bad;

		cx_refuse_variadic_array(fcinfo, "a funnel",
								 "List the conditions, for example kind = 'visit', kind = 'purchase', or give the steps as event names: window_funnel(window, ts, kind, ARRAY['visit', 'purchase']).");
		if (nsteps < 1)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("a funnel needs at least one step")));
		if (nsteps > FUNNEL_MAX_STEPS)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("a funnel has at most %d steps, this one has %d",
							FUNNEL_MAX_STEPS, nsteps)));
		bad = cx_first_non_bool_arg(fcinfo, first_step, &type);
		if (bad >= 0)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("funnel step %d must be a boolean condition, not type %s",
							bad + 1, OidIsValid(type) ? format_type_be(type) : "unknown"),
					 errhint("Write each step as a condition, for example kind = 'purchase'.")));
		cache->nsteps = nsteps;
		cache->args_checked = true;
	}
	return cache;
}

/* The window of this row, checked; the usual constant costs one compare. */
static int64
funnel_row_window(FunctionCallInfo fcinfo, FunnelCallCache *cache)
{
	Interval   *window;

	if (PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel window must not be NULL"),
				 errhint("Give a window such as interval '7 days'.")));
	window = PG_GETARG_INTERVAL_P(1);
	if (!cache->window_known ||
		window->time != cache->window_value.time ||
		window->day != cache->window_value.day ||
		window->month != cache->window_value.month)
	{
		cache->window_usec = funnel_window_usec(window);
		cache->window_value = *window;
		cache->window_known = true;
	}
	return cache->window_usec;
}

/* The mode flags of this row; parsed once per distinct mode text. */
static int
funnel_row_mode(FunctionCallInfo fcinfo, FunnelCallCache *cache)
{
	text	   *mode;
	char	   *bytes;
	int			len;
	int			flags;
	size_t		bad_start;
	size_t		bad_len;

	if (PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel mode must not be NULL"),
				 errhint("Pass '' for no mode, or a comma-separated list of: %s.",
						 FUNNEL_MODE_WORDS)));
	/* compare bytes, not pointers: a freed datum's address can come back */
	mode = PG_GETARG_TEXT_PP(2);
	bytes = VARDATA_ANY(mode);
	len = VARSIZE_ANY_EXHDR(mode);
	if (cache->mode_text != NULL && len == cache->mode_len &&
		memcmp(bytes, cache->mode_text, len) == 0)
		return cache->mode_flags;
	if (cx_funnel_mode_parse(bytes, len, &flags, &bad_start, &bad_len) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown funnel mode \"%s\"",
						cx_quote_literal(bytes + bad_start, bad_len)),
				 errdetail("The mode list was \"%s\".", cx_quote_literal(bytes, len)),
				 errhint("Valid modes, comma-separated: %s.", FUNNEL_MODE_WORDS)));
	if (cache->mode_text != NULL)
		pfree(cache->mode_text);
	cache->mode_text = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, len + 1);
	memcpy(cache->mode_text, bytes, len);
	cache->mode_len = len;
	cache->mode_flags = flags;
	return flags;
}

/*
 * Transition state, when a group's state is not a reference into a group
 * log.  The first rows live right after the header, in the same allocation
 * (most customers keep a dozen rows or so); a group with more moves them to
 * an array of its own whose size doubles as it grows.
 */
typedef struct FunnelState
{
	MemoryContext cxt;			/* where a grown array is allocated */
	int64	   *entries;		/* inline_entries, or the grown array */
	int64		window;			/* microseconds */
	int32		count;			/* rows kept */
	int32		capacity;		/* rows entries has room for */
	uint32		steps_hash;		/* event form: hash of the steps array */
	uint8		nsteps;
	uint8		flags;
	bool		packed;			/* entries are packed keys, else FunnelEvents */
	bool		sorted;			/* entries are in non-decreasing order */
	int64		inline_entries[FLEXIBLE_ARRAY_MEMBER];
} FunnelState;

#define FUNNEL_ENTRY_SIZE(packed) ((packed) ? sizeof(int64) : sizeof(FunnelEvent))

/* Header and inline rows: three cache lines, 19 packed rows. */
#define FUNNEL_STATE_SIZE		192
#define FUNNEL_INLINE_BYTES		(FUNNEL_STATE_SIZE - offsetof(FunnelState, inline_entries))

StaticAssertDecl(FUNNEL_MAX_STEPS <= PG_UINT8_MAX && FUNNEL_ALL_MODES <= PG_UINT8_MAX,
				 "nsteps and flags must fit in the state's bytes");
StaticAssertDecl(FUNNEL_MAX_ROWS <= GROUP_LOG_MAX_COUNT,
				 "a group log reference must count up to the row limit");
StaticAssertDecl(FUNNEL_INLINE_BYTES >= 8 * sizeof(int64),
				 "the state must hold a few rows inline");

/*
 * -2^55 itself is left out, so that no key is below PG_INT64_MIN + 256: the
 * group logs' markers of wide rows.
 */
static inline bool
funnel_packable(int64 ts)
{
	return ts > -FUNNEL_PACK_LIMIT && ts < FUNNEL_PACK_LIMIT;
}

#define FUNNEL_WIDE_MARK(mask)		(PG_INT64_MIN + (int64) (mask))
#define FUNNEL_IS_WIDE_MARK(key)	((key) < PG_INT64_MIN + 256)

static inline int64
funnel_pack(int64 ts, uint64 mask)
{
	return ts * 256 + (int64) mask;
}

static inline int64
funnel_unpack_ts(int64 key)
{
	/* exact division: key - mask is a multiple of 256 */
	return (key - (key & 0xFF)) / 256;
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

/* Move the rows to a new array of newcap entries of the current format. */
static void
funnel_state_regrow(FunnelState *state, int64 newcap)
{
	Size		entry = FUNNEL_ENTRY_SIZE(state->packed);

	if (state->entries == state->inline_entries)
	{
		int64	   *entries = MemoryContextAlloc(state->cxt, newcap * entry);

		memcpy(entries, state->entries, state->count * entry);
		state->entries = entries;
	}
	else
		state->entries = repalloc(state->entries, newcap * entry);
	state->capacity = (int32) newcap;
}

/* Make room for extra more rows. */
static FunnelState *
funnel_state_reserve(FunnelState *state, int64 extra)
{
	int64		need = (int64) state->count + extra;
	int64		newcap;

	if (need <= state->capacity)
		return state;
	funnel_check_limit(need);

	/*
	 * Powers of two from 16 rows on: the allocator rounds a request up to
	 * one anyway, and doubling keeps the copies linear in the rows.
	 */
	newcap = Min(pg_nextpower2_64(Max(need, 16)), FUNNEL_MAX_ROWS);
	funnel_state_regrow(state, newcap);
	return state;
}

/*
 * A new state, allocated in cxt, or from arena's blocks when given (the
 * states rebuilt by deserialize under hashed aggregation).  exact_rows >= 0
 * (a state rebuilt from a partial one, whose size is known) makes the
 * inline area exactly that large: a parallel plan's leader holds several
 * per group.
 */
static FunnelState *
funnel_state_alloc(MemoryContext cxt, RowLog *arena, int nsteps,
				   int flags, int64 window, bool packed, int64 exact_rows)
{
	FunnelState *state;
	Size		header = offsetof(FunnelState, inline_entries);
	Size		size = FUNNEL_STATE_SIZE;

	if (exact_rows >= 0)
	{
		funnel_check_limit(exact_rows);
		size = header + Max(exact_rows, 1) * FUNNEL_ENTRY_SIZE(packed);
	}
	state = row_log_new_state(cxt, NULL, arena, size, header);
	state->cxt = cxt;
	state->entries = state->inline_entries;
	state->capacity = (int32) ((size - header) / FUNNEL_ENTRY_SIZE(packed));
	state->nsteps = nsteps;
	state->flags = flags;
	state->window = window;
	state->packed = packed;
	state->sorted = true;
	return state;
}

/* Turn a packed state wide (a row outside the packable range came). */
static FunnelState *
funnel_state_widen(FunnelState *state, MemoryContext cxt, int64 extra)
{
	int64		capacity = Max((int64) state->count + extra, 16);
	FunnelEvent *events;
	int32		i;

	funnel_check_limit(capacity);
	events = MemoryContextAlloc(state->cxt, capacity * sizeof(FunnelEvent));
	for (i = 0; i < state->count; i++)
	{
		events[i].ts = funnel_unpack_ts(state->entries[i]);
		events[i].mask = (uint64) (state->entries[i] & 0xFF);
	}
	if (state->entries != state->inline_entries)
		pfree(state->entries);
	state->entries = (int64 *) events;
	state->capacity = (int32) capacity;
	state->packed = false;
	return state;
}

/* What orders entry i: its key (packed) or its time (wide). */
static inline int64
funnel_entry_order(const FunnelState *state, int32 i)
{
	return state->packed ? state->entries[i] : ((FunnelEvent *) state->entries)[i].ts;
}

/* Append one row. */
static inline FunnelState *
funnel_state_append(FunnelState *state, MemoryContext cxt, int64 ts, uint64 mask)
{
	if (state->packed && !funnel_packable(ts))
		funnel_state_widen(state, cxt, 1);
	if (state->count >= state->capacity)
		funnel_state_reserve(state, 1);
	if (state->packed)
	{
		int64		key = funnel_pack(ts, mask);

		/* the previous entry shares the new one's cache line, mostly */
		if (state->count > 0 && key < state->entries[state->count - 1])
			state->sorted = false;
		state->entries[state->count++] = key;
	}
	else
	{
		FunnelEvent *events = (FunnelEvent *) state->entries;

		if (state->count > 0 && ts < events[state->count - 1].ts)
			state->sorted = false;
		events[state->count].ts = ts;
		events[state->count].mask = mask;
		state->count++;
	}
	return state;
}

/*
 * The furthest step of the default mode over sorted packed keys, in one
 * pass: start[k] is the latest start of a chain that reached step k, and a
 * later start is always at least as good (it leaves more of the window).
 * Exact when every row matches one step: keys sort by time then mask, so
 * rows of the same instant come in step order and may fill consecutive
 * steps, as the rules allow.  A row matching several steps needs the
 * matching of funnel_core.c inside its instant: returns -1 then.
 */
static int
funnel_fast_level(const int64 *keys, int32 n, int64 window)
{
	/*
	 * start[0] is the current row's own time, so that step 1 follows the
	 * same rule as the others (a chain "reaches step 0" at every row, and
	 * its start is that row).  Index FUNNEL_PACK_MAX_STEPS + 1 absorbs the
	 * writes of a row matching no step (its lowest set bit is the guard
	 * bit), whose answer is thrown away below.
	 */
	int64		start[FUNNEL_PACK_MAX_STEPS + 2];
	uint32		valid = 1;		/* bit k: start[k] is set */
	uint32		not_single = 0; /* a row matched no step or several */
	int32		i;
	int			k;

	for (k = 0; k < lengthof(start); k++)
		start[k] = PG_INT64_MIN;
	/*
	 * Branch-free on purpose: whether a row extends a chain is as good as
	 * random, and a mispredicted branch per row cost more than the rest.
	 */
	for (i = 0; i < n; i++)
	{
		uint32		mask = (uint32) (keys[i] & 0xFF);
		int64		now = funnel_unpack_ts(keys[i]);
		int64		previous;
		int64		current;
		uint32		extends;

		not_single |= (mask & (mask - 1)) | (uint32) (mask == 0);
		k = pg_rightmost_one_pos32(mask | (1U << FUNNEL_PACK_MAX_STEPS)) + 1;
		start[0] = now;
		previous = start[k - 1];
		current = start[k];
		/* inclusive window: the chain's first row may be exactly window ago */
		extends = ((valid >> (k - 1)) & 1) &
			(uint32) ((uint64) now - (uint64) previous <= (uint64) window);
		/*
		 * No max() needed: rows come in time order, so start[0] never
		 * decreases, nor (by induction) does any start[k] fed from it.
		 */
		start[k] = extends ? previous : current;
		valid |= extends << k;
	}
	return not_single != 0 ? -1 : pg_leftmost_one_pos32(valid);
}

/* Sort a packed state's rows in place if they did not come sorted. */
static void
funnel_sort_packed(FunnelState *state)
{
	if (!state->sorted)
	{
		cx_sort_int64(state->entries, state->count);
		state->sorted = true;
	}
}

/*
 * window_funnel's level by the one pass, when it applies (the default mode
 * over packed single-step rows), else -1: the general evaluation is needed.
 */
static int
funnel_fast_answer(FunnelState *state)
{
	if (!state->packed || state->flags != 0)
		return -1;
	funnel_sort_packed(state);
	return funnel_fast_level(state->entries, state->count, state->window);
}

/* Does a logged group hold a marked pair (a row outside the packed range)? */
static bool
funnel_group_has_wide(const FunnelLogParams *params, const int64 *rows, int64 n)
{
	int64		i;

	if (!params->has_wide)
		return false;
	for (i = 0; i < n; i++)
		if (FUNNEL_IS_WIDE_MARK(rows[i]))
			return true;
	return false;
}

/*
 * The same for the rows of a logged group (the group logs' evaluate hook,
 * which answers all of a log's groups at once): the rows may be reordered.
 */
static int
funnel_group_evaluate(int64 *rows, int64 n, void *user)
{
	const FunnelLogParams *params = (const FunnelLogParams *) user;

	/* marked pairs must not be sorted apart: the general path reads them */
	if (params->flags != 0 || n > FUNNEL_MAX_ROWS ||
		funnel_group_has_wide(params, rows, n))
		return -1;
	cx_sort_int64(rows, n);
	return funnel_fast_level(rows, (int32) n, params->window);
}

/*
 * The rows of a logged group as a state to read (final, serialize), in the
 * current memory context: a header over the packed rows where they lie in
 * the log, or, for a group holding marked pairs, a wide copy.
 */
static FunnelState *
funnel_group_state(Datum ref)
{
	GroupLog   *log = group_log_of(ref);
	const FunnelLogParams *params = (const FunnelLogParams *) log->user;
	FunnelState *state;
	int64	   *rows;
	int64		n;
	int64		i;

	rows = group_log_rows(log, GROUP_LOG_GROUP(ref), &n);
	funnel_check_limit(n);
	if (!funnel_group_has_wide(params, rows, n))
	{
		state = palloc0(offsetof(FunnelState, inline_entries));
		state->cxt = CurrentMemoryContext;
		state->entries = rows;
		state->count = (int32) n;
		state->capacity = (int32) n;
		state->packed = true;
		state->sorted = false;
	}
	else
	{
		MemoryContext cxt = CurrentMemoryContext;

		state = funnel_state_alloc(cxt, NULL, params->nsteps, params->flags,
								   params->window, true, -1);
		for (i = 0; i < n; i++)
		{
			if (FUNNEL_IS_WIDE_MARK(rows[i]))
			{
				/* a marked pair: the mask, then the time */
				state = funnel_state_append(state, cxt, rows[i + 1],
											(uint64) (rows[i] - PG_INT64_MIN));
				i++;
			}
			else
				state = funnel_state_append(state, cxt, funnel_unpack_ts(rows[i]),
											(uint64) (rows[i] & 0xFF));
		}
	}
	state->nsteps = params->nsteps;
	state->flags = params->flags;
	state->window = params->window;
	state->steps_hash = params->steps_hash;
	return state;
}

/* A state argument as a state: a reference into a group log, or a real one. */
static inline FunnelState *
funnel_state_arg(FunctionCallInfo fcinfo, int argno)
{
	Datum		d = PG_GETARG_DATUM(argno);

	if (GROUP_LOG_IS_REF(d))
		return funnel_group_state(d);
	return (FunnelState *) DatumGetPointer(d);
}


static void
funnel_check_same(FunnelState *state, int nsteps, int flags, int64 window)
{
	if (state->nsteps != nsteps || state->flags != flags || state->window != window)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel window, mode and steps must be the same for every row of a group"),
				 errhint("Pass constants, or values that depend only on the GROUP BY key.")));
}

/*
 * Event form: the steps array of this row, parsed once per distinct array
 * into the labels to compare each row's event with.
 */
static void
funnel_row_steps(FunctionCallInfo fcinfo, FunnelCallCache *cache, int argno)
{
	ArrayType  *steps;
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	int			i;

	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel steps must not be NULL"),
				 errhint("Give the event of each step, for example ARRAY['visit', 'cart', 'purchase'].")));
	steps = PG_GETARG_ARRAYTYPE_P(argno);
	/* compare bytes, not pointers: a freed datum's address can come back */
	if (cache->steps_bytes != NULL && VARSIZE(steps) == cache->steps_size &&
		memcmp(steps, cache->steps_bytes, cache->steps_size) == 0)
		return;
	if (ARR_NDIM(steps) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel steps must be a one-dimensional text array")));
	deconstruct_array(steps, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
	if (n < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a funnel needs at least one step")));
	if (n > FUNNEL_MAX_STEPS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("a funnel has at most %d steps, this one has %d",
						FUNNEL_MAX_STEPS, n)));
	for (i = 0; i < n; i++)
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("funnel step %d is NULL", i + 1),
					 errhint("Give the event of every step.")));
	if (cache->steps_bytes != NULL)
	{
		pfree(cache->steps_bytes);
		for (i = 0; i < cache->nsteps; i++)
			pfree(cache->label[i]);
	}
	cache->steps_size = VARSIZE(steps);
	cache->steps_bytes = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, cache->steps_size);
	memcpy(cache->steps_bytes, steps, cache->steps_size);
	cache->steps_hash = hash_bytes((const unsigned char *) steps, cache->steps_size);
	for (i = 0; i < n; i++)
	{
		text	   *label = DatumGetTextPP(elems[i]);

		cache->label_len[i] = VARSIZE_ANY_EXHDR(label);
		cache->label[i] = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, cache->label_len[i] + 1);
		memcpy(cache->label[i], VARDATA_ANY(label), cache->label_len[i]);
	}
	cache->nsteps = n;
	cache->args_checked = true;
}

/* A reference to a new group of the call site's log in aggcxt. */
static Datum
funnel_new_group(FunctionCallInfo fcinfo, FunnelCallCache *cache,
				 MemoryContext aggcxt, int64 window, int flags, uint32 steps_hash)
{
	GroupLog   *log = group_log_for(&cache->logs, fcinfo->flinfo->fn_mcxt, aggcxt);

	if (log->user == NULL)
	{
		FunnelLogParams *params = MemoryContextAllocZero(aggcxt, sizeof(FunnelLogParams));

		params->window = window;
		params->flags = (uint8) flags;
		params->nsteps = (uint8) cache->nsteps;
		params->steps_hash = steps_hash;
		log->user = params;
	}
	return group_log_new_group(log);
}

/*
 * Is transition argument argno (1 = the aggregate's first input) the same
 * for every row of the query: a constant, or a parameter of the statement?
 * The transition function's own expression cannot tell (PostgreSQL gives it
 * placeholders), so this asks the aggregate call, whose arguments are
 * constants once the planner has folded them.
 */
static bool
funnel_arg_constant(FunctionCallInfo fcinfo, int argno)
{
	Aggref	   *aggref = AggGetAggref(fcinfo);
	Node	   *arg;

	if (aggref == NULL || argno < 1 || argno > list_length(aggref->args))
		return false;
	arg = (Node *) ((TargetEntry *) list_nth(aggref->args, argno - 1))->expr;
	return IsA(arg, Const) ||
		(IsA(arg, Param) && ((Param *) arg)->paramkind == PARAM_EXTERN);
}

/*
 * Shared transition.  with_mode: a mode argument follows the window.
 * by_event: the steps are an event text and an array of step events (one
 * byte-wise comparison each), else boolean conditions.
 */
static Datum
funnel_transition(FunctionCallInfo fcinfo, bool with_mode, bool by_event)
{
	int			ts_arg = with_mode ? 3 : 2;
	int			first_step = ts_arg + 1;
	MemoryContext aggcxt;
	FunnelCallCache *cache;
	FunnelState *state;
	Datum		state_datum;
	int64		window;
	int			flags;
	uint64		mask = 0;
	int			i;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "window_funnel transition function called in non-aggregate context");
	cache = (FunnelCallCache *) fcinfo->flinfo->fn_extra;
	if (cache != NULL && cache->settled)
	{
		window = cache->settled_window;
		flags = cache->settled_flags;
	}
	else
	{
		if (by_event)
		{
			if (cache == NULL)
			{
				cache = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(FunnelCallCache));
				fcinfo->flinfo->fn_extra = cache;
			}
			funnel_row_steps(fcinfo, cache, first_step + 1);
		}
		else
			cache = funnel_call_cache(fcinfo, first_step);
		window = funnel_row_window(fcinfo, cache);
		flags = with_mode ? funnel_row_mode(fcinfo, cache) : 0;
		if (!cache->site_known)
		{
			/* what holds for every row of the call site, asked once */
			cache->args_constant = funnel_arg_constant(fcinfo, 1) &&
				(!with_mode || funnel_arg_constant(fcinfo, 2)) &&
				(!by_event || funnel_arg_constant(fcinfo, first_step + 1));
			cache->log_wanted = row_log_wanted(fcinfo, aggcxt);
			cache->site_known = true;
		}
		/* arguments fixed for the whole query need no check on later rows */
		if (cache->args_constant)
		{
			cache->settled_window = window;
			cache->settled_flags = flags;
			cache->settled = true;
		}
	}
	/*
	 * Under hashed aggregation, when every group shares the arguments and
	 * its rows fit packed keys, a group's state is a reference into the call
	 * site's group log.
	 */
	if (!PG_ARGISNULL(0))
		state_datum = PG_GETARG_DATUM(0);
	else if (cache->args_constant && cache->nsteps <= FUNNEL_PACK_MAX_STEPS &&
			 row_log_use(cache->log_wanted, fcinfo, aggcxt))
		state_datum = funnel_new_group(fcinfo, cache, aggcxt, window, flags,
									   by_event ? cache->steps_hash : 0);
	else
	{
		state = funnel_state_alloc(aggcxt, NULL, cache->nsteps, flags, window,
								   cache->nsteps <= FUNNEL_PACK_MAX_STEPS, -1);
		state->steps_hash = by_event ? cache->steps_hash : 0;
		state_datum = PointerGetDatum(state);
	}

	/* a NULL time skips the row */
	if (PG_ARGISNULL(ts_arg))
		PG_RETURN_DATUM(state_datum);
	if (by_event)
	{
		/* a NULL event matches no step */
		if (!PG_ARGISNULL(first_step))
		{
			text	   *event = PG_GETARG_TEXT_PP(first_step);
			int			len = VARSIZE_ANY_EXHDR(event);
			const char *bytes = VARDATA_ANY(event);

			for (i = 0; i < cache->nsteps; i++)
			{
				if (cache->label_len[i] == len &&
					memcmp(cache->label[i], bytes, len) == 0)
					mask |= UINT64CONST(1) << i;
			}
		}
	}
	else
	{
		/* a NULL condition counts as false */
		for (i = 0; i < cache->nsteps; i++)
		{
			if (!PG_ARGISNULL(first_step + i) && PG_GETARG_BOOL(first_step + i))
				mask |= UINT64CONST(1) << i;
		}
	}

	/* rows matching no step only matter to strict_order */
	if (mask != 0 || (flags & FUNNEL_STRICT_ORDER))
	{
		int64		ts = PG_GETARG_TIMESTAMPTZ(ts_arg);

		if (GROUP_LOG_IS_REF(state_datum))
		{
			/* logged: the group's memory is not touched (see group_log.h) */
			GroupLog   *log = group_log_for(&cache->logs, fcinfo->flinfo->fn_mcxt,
											aggcxt);
			uint32		group = GROUP_LOG_GROUP(state_datum);

			if (unlikely(!group_log_owns(log, state_datum)))
				log = group_log_of(state_datum);
			/* the reference counts the group's rows: the same limit applies */
			if (unlikely(GROUP_LOG_COUNT(state_datum) >= FUNNEL_MAX_ROWS))
				funnel_check_limit((int64) FUNNEL_MAX_ROWS + 1);
			state_datum = GROUP_LOG_COUNT_ONE_MORE(state_datum);
			if (likely(funnel_packable(ts)))
				group_log_append(log, group, funnel_pack(ts, mask));
			else
			{
				((FunnelLogParams *) log->user)->has_wide = true;
				group_log_append(log, group, FUNNEL_WIDE_MARK(mask));
				group_log_append(log, group, ts);
			}
		}
		else
		{
			uint32		steps_hash = by_event ? cache->steps_hash : 0;

			state = (FunnelState *) DatumGetPointer(state_datum);
			if (state->window != window || state->flags != flags ||
				state->steps_hash != steps_hash || state->nsteps != cache->nsteps)
				funnel_check_same(state, -1, flags, window);
			state = funnel_state_append(state, aggcxt, ts, mask);
		}
	}
	PG_RETURN_DATUM(state_datum);
}

/* Transition of window_funnel(window, ts, step1, ...) and its siblings. */
PG_FUNCTION_INFO_V1(window_funnel_transfn);
Datum
window_funnel_transfn(PG_FUNCTION_ARGS)
{
	return funnel_transition(fcinfo, false, false);
}

/* Transition of window_funnel(window, mode, ts, step1, ...) and its siblings. */
PG_FUNCTION_INFO_V1(window_funnel_mode_transfn);
Datum
window_funnel_mode_transfn(PG_FUNCTION_ARGS)
{
	return funnel_transition(fcinfo, true, false);
}

/* Transition of window_funnel(window, ts, event, steps[]) and its siblings. */
PG_FUNCTION_INFO_V1(window_funnel_event_transfn);
Datum
window_funnel_event_transfn(PG_FUNCTION_ARGS)
{
	return funnel_transition(fcinfo, false, true);
}

/* Transition of window_funnel(window, mode, ts, event, steps[]) and its siblings. */
PG_FUNCTION_INFO_V1(window_funnel_event_mode_transfn);
Datum
window_funnel_event_mode_transfn(PG_FUNCTION_ARGS)
{
	return funnel_transition(fcinfo, true, true);
}

/* Combine two partial funnel states: the rows of both. */
PG_FUNCTION_INFO_V1(window_funnel_combinefn);
Datum
window_funnel_combinefn(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	FunnelState *left;
	FunnelState *right;
	int32		i;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "window_funnel_combinefn called in non-aggregate context");
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	/*
	 * Combine's inputs are states made by deserialize and by combine itself,
	 * never by the transition function: no group log reference reaches here.
	 */
	if (GROUP_LOG_IS_REF(PG_GETARG_DATUM(1)) ||
		(!PG_ARGISNULL(0) && GROUP_LOG_IS_REF(PG_GETARG_DATUM(0))))
		elog(ERROR, "window_funnel_combinefn: a group log reference cannot be combined");
	right = (FunnelState *) PG_GETARG_POINTER(1);
	left = PG_ARGISNULL(0) ? NULL : (FunnelState *) PG_GETARG_POINTER(0);

	/*
	 * The first partial state of a group becomes the group's state: it was
	 * made for this call (by deserialize, in the aggregate context), so no
	 * copy is needed.
	 */
	if (left == NULL)
		PG_RETURN_POINTER(right);
	else if (left->steps_hash != right->steps_hash)
		funnel_check_same(left, -1, right->flags, right->window);
	else
		funnel_check_same(left, right->nsteps, right->flags, right->window);
	if (right->count == 0)
		PG_RETURN_POINTER(left);
	if (left->packed && !right->packed)
		left = funnel_state_widen(left, aggcxt, right->count);
	left = funnel_state_reserve(left, right->count);
	if (left->packed == right->packed)
	{
		Size		entry = FUNNEL_ENTRY_SIZE(left->packed);
		char	   *dst = (char *) left->entries + (Size) left->count * entry;

		if (!right->sorted ||
			(left->count > 0 &&
			 funnel_entry_order(right, 0) < funnel_entry_order(left, left->count - 1)))
			left->sorted = false;
		memcpy(dst, right->entries, (Size) right->count * entry);
		left->count += right->count;
	}
	else
	{
		/* a wide left state takes packed rows one by one */
		for (i = 0; i < right->count; i++)
			left = funnel_state_append(left, aggcxt, funnel_unpack_ts(right->entries[i]),
									   (uint64) (right->entries[i] & 0xFF));
	}
	PG_RETURN_POINTER(left);
}

/*
 * Serialize a partial state: nsteps, flags, window, packed, count, the
 * steps hash (event form), then the
 * entries as 8-byte integers in network order (a packed key, or a time and
 * a mask).
 */
PG_FUNCTION_INFO_V1(window_funnel_serialize);
Datum
window_funnel_serialize(PG_FUNCTION_ARGS)
{
	FunnelState *state = funnel_state_arg(fcinfo, 0);
	int64		words;
	bytea	   *result;
	StringInfoData buf;
	int64		i;

	words = (int64) state->count * (state->packed ? 1 : 2);
	result = cx_bytea_writer(25 + words * 8, &buf);
	pq_writeint32(&buf, state->nsteps);
	pq_writeint32(&buf, state->flags);
	pq_writeint64(&buf, state->window);
	pq_writeint8(&buf, state->packed ? 1 : 0);
	pq_writeint32(&buf, state->count);
	pq_writeint32(&buf, state->steps_hash);
	for (i = 0; i < words; i++)
		pq_writeint64(&buf, (uint64) state->entries[i]);
	Assert(buf.len == buf.maxlen);
	PG_RETURN_BYTEA_P(result);
}

static void
funnel_bad_state(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid window_funnel state: %s", what)));
}

/* Deserialize a partial state, rejecting bytes that are not one. */
PG_FUNCTION_INFO_V1(window_funnel_deserialize);
Datum
window_funnel_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	MemoryContext aggcxt;
	StringInfoData buf;
	FunnelState *state;
	int32		nsteps;
	int32		flags;
	int64		window;
	int			packed;
	int32		count;
	uint32		steps_hash;
	uint64		max_mask;
	RowLog	   *arena;
	int32		i;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "window_funnel_deserialize called in non-aggregate context");
	cx_bytea_reader(bytes, &buf);
	if (buf.len < 25)
		funnel_bad_state("too short");
	nsteps = pq_getmsgint(&buf, 4);
	flags = pq_getmsgint(&buf, 4);
	window = pq_getmsgint64(&buf);
	packed = pq_getmsgbyte(&buf);
	count = pq_getmsgint(&buf, 4);
	steps_hash = (uint32) pq_getmsgint(&buf, 4);
	if (nsteps < 1 || nsteps > FUNNEL_MAX_STEPS)
		funnel_bad_state("step count out of range");
	if ((flags & ~FUNNEL_ALL_MODES) != 0)
		funnel_bad_state("unknown mode flags");
	if (window < 0)
		funnel_bad_state("negative window");
	if (packed != 0 && (packed != 1 || nsteps > FUNNEL_PACK_MAX_STEPS))
		funnel_bad_state("bad row format");
	if (count < 0 || count > FUNNEL_MAX_ROWS ||
		(int64) buf.len - 25 != (int64) count * (packed ? 8 : 16))
		funnel_bad_state("row count does not match the length");
	max_mask = nsteps == 64 ? PG_UINT64_MAX : (UINT64CONST(1) << nsteps) - 1;
	/* under hashed aggregation the rebuilt states come from an arena */
	arena = row_log_arena(fcinfo, aggcxt);
	state = funnel_state_alloc(aggcxt, arena, nsteps, flags, window, packed != 0, count);
	if (packed)
	{
		/* the keys as they come, checked; sortedness tracked as we go */
		for (i = 0; i < count; i++)
		{
			int64		key = pq_getmsgint64(&buf);
			uint64		mask = (uint64) (key & 0xFF);

			if ((mask & ~max_mask) != 0)
				funnel_bad_state("a row matches a step past the last");
			if (mask == 0 && !(flags & FUNNEL_STRICT_ORDER))
				funnel_bad_state("a row matches no step");
			if (i > 0 && key < state->entries[i - 1])
				state->sorted = false;
			state->entries[i] = key;
		}
		state->count = count;
		PG_RETURN_POINTER(state);
	}
	state->steps_hash = steps_hash;
	for (i = 0; i < count; i++)
	{
		int64		ts;
		uint64		mask;

		if (packed)
		{
			int64		key = pq_getmsgint64(&buf);

			ts = funnel_unpack_ts(key);
			mask = (uint64) (key & 0xFF);
		}
		else
		{
			ts = pq_getmsgint64(&buf);
			mask = (uint64) pq_getmsgint64(&buf);
		}
		if ((mask & ~max_mask) != 0)
			funnel_bad_state("a row matches a step past the last");
		if (mask == 0 && !(flags & FUNNEL_STRICT_ORDER))
			funnel_bad_state("a row matches no step");
		state = funnel_state_append(state, aggcxt, ts, mask);
	}
	PG_RETURN_POINTER(state);
}

/*
 * The state's rows as FunnelEvents in time order.  Sorting in place keeps
 * the state meaning the same (a multiset of rows), so a shared or
 * re-finalized state stays valid.
 */
static FunnelEvent *
funnel_sorted_events(FunnelState *state)
{
	FunnelEvent *events;
	int32		i;

	if (!state->packed)
	{
		events = (FunnelEvent *) state->entries;
		if (!state->sorted)
		{
			qsort_interruptible(events, state->count, sizeof(FunnelEvent),
								funnel_event_cmp, NULL);
			state->sorted = true;
		}
		return events;
	}
	funnel_sort_packed(state);
	events = palloc(Max(state->count, 1) * sizeof(FunnelEvent));
	for (i = 0; i < state->count; i++)
	{
		events[i].ts = funnel_unpack_ts(state->entries[i]);
		events[i].mask = (uint64) (state->entries[i] & 0xFF);
	}
	return events;
}

/* Sort the state's rows if needed and evaluate the funnel. */
static void
funnel_evaluate_state(FunnelState *state, bool want_times, FunnelOutcome *out)
{
	FunnelEvent *events;

	if (!want_times && (out->level = funnel_fast_answer(state)) >= 0)
		return;
	events = funnel_sorted_events(state);

	cx_funnel_evaluate(events, state->count, state->nsteps, state->window,
					   state->flags, want_times, out, &backend_hooks);
	if (state->packed)
		pfree(events);
}

/* window_funnel: the furthest step reached, 0 when step 1 never happens. */
PG_FUNCTION_INFO_V1(window_funnel_finalfn);
Datum
window_funnel_finalfn(PG_FUNCTION_ARGS)
{
	FunnelOutcome out;
	Datum		state = PG_GETARG_DATUM(0);

	if (PG_ARGISNULL(0))
		PG_RETURN_INT32(0);
	if (GROUP_LOG_IS_REF(state))
	{
		/* a logged group: its answer comes with all the others' */
		GroupLog   *log = group_log_of(state);
		int			level;

		if (((const FunnelLogParams *) log->user)->flags == 0 &&
			(level = group_log_result(log, GROUP_LOG_GROUP(state),
									  funnel_group_evaluate)) >= 0)
			PG_RETURN_INT32(level);
	}
	funnel_evaluate_state(funnel_state_arg(fcinfo, 0), false, &out);
	PG_RETURN_INT32(out.level);
}

/* window_funnel_times: when each step was reached in the chosen chain. */
PG_FUNCTION_INFO_V1(window_funnel_times_finalfn);
Datum
window_funnel_times_finalfn(PG_FUNCTION_ARGS)
{
	FunnelOutcome out;
	Datum	   *elems;
	int			i;

	if (PG_ARGISNULL(0))
		PG_RETURN_ARRAYTYPE_P(construct_empty_array(TIMESTAMPTZOID));
	funnel_evaluate_state(funnel_state_arg(fcinfo, 0), true, &out);
	if (out.level == 0)
		PG_RETURN_ARRAYTYPE_P(construct_empty_array(TIMESTAMPTZOID));
	elems = palloc(out.level * sizeof(Datum));
	for (i = 0; i < out.level; i++)
		elems[i] = TimestampTzGetDatum(out.times[i]);
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, out.level, TIMESTAMPTZOID,
										  sizeof(TimestampTz), FLOAT8PASSBYVAL,
										  TYPALIGN_DOUBLE));
}

/* time_to_convert: last minus first step of the chosen chain, if complete. */
PG_FUNCTION_INFO_V1(time_to_convert_finalfn);
Datum
time_to_convert_finalfn(PG_FUNCTION_ARGS)
{
	FunnelState *state;
	FunnelOutcome out;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	state = funnel_state_arg(fcinfo, 0);
	funnel_evaluate_state(state, true, &out);
	if (out.level < state->nsteps)
		PG_RETURN_NULL();
	return DirectFunctionCall2(timestamp_mi,
							   TimestampTzGetDatum(out.times[out.level - 1]),
							   TimestampTzGetDatum(out.times[0]));
}
