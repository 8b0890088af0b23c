/*
 * funnel_state.h
 *		The transition state of window_funnel, window_funnel_times and
 *		time_to_convert: the rows of one GROUP BY group.
 *
 * A state is one allocation in the aggregate context: a header, then the
 * group's rows, each a (time, matched-steps mask).  The first
 * FUNNEL_INLINE_ROWS rows fit in the first allocation; past that the whole
 * state is reallocated, doubling, and the transition function returns the
 * new pointer.  Rows are packed 8-byte keys (funnel_fast.h) while the funnel
 * has at most FUNNEL_PACK_MAX_STEPS steps and every time is packable, else
 * FunnelEvent pairs ("wide" rows).
 */
#ifndef CX_FUNNEL_STATE_H
#define CX_FUNNEL_STATE_H

#include "postgres.h"

#include "funnel_core.h"
#include "funnel_fast.h"

/* Most rows one group may keep before the aggregate refuses (54000). */
#define FUNNEL_MAX_ROWS			(16 * 1024 * 1024)

/*
 * What every row of a group must share: the window, the mode and the
 * steps.  steps_hash identifies the event form's steps array (0 for
 * conditions, whose count is fixed by the call).
 */
typedef struct FunnelParams
{
	int64		window;			/* microseconds, >= 0 */
	uint64		steps_hash;
	int32		nsteps;			/* 1 .. FUNNEL_MAX_STEPS */
	int32		flags;			/* mode flags (funnel_mode.h) */
} FunnelParams;

/* What a row's append reads comes first, next to the first rows. */
typedef struct FunnelState
{
	int32		count;			/* rows kept */
	int32		capacity;		/* rows the allocation has room for */
	bool		packed;			/* rows are packed keys, else FunnelEvents */
	bool		sorted;			/* rows are known to be in order */
	FunnelParams params;
	int64		rows[FLEXIBLE_ARRAY_MEMBER];	/* or FunnelEvent[] if !packed */
} FunnelState;

/*
 * The size of a new state: the header and FUNNEL_INLINE_ROWS packed rows
 * (most customers keep a dozen rows or so).  The aggregates declare it as
 * SSPACE: sql/cx_journey--0.2.0--0.3.0.sql must match it, and
 * sql/funnel_defects.sql checks the catalog.
 */
#define FUNNEL_INLINE_ROWS		27
#define FUNNEL_STATE_SPACE		256

StaticAssertDecl(offsetof(FunnelState, rows) + FUNNEL_INLINE_ROWS * sizeof(int64) == FUNNEL_STATE_SPACE,
				 "FUNNEL_STATE_SPACE must be the header plus the inline rows");

/* Do a state's parameters and a row's (or another state's) agree? */
static inline bool
funnel_params_equal(const FunnelParams *a, const FunnelParams *b)
{
	return a->window == b->window && a->steps_hash == b->steps_hash &&
		a->nsteps == b->nsteps && a->flags == b->flags;
}

/*
 * Raise 22023: a group's rows (or partial states) disagree on the window,
 * mode or steps; the message names the first that differs and quotes both.
 */
extern void funnel_params_mismatch(const FunnelParams *group, const FunnelParams *other);

/* A new, empty state in cxt. */
extern FunnelState *funnel_state_new(MemoryContext cxt, const FunnelParams *params);

/* The state, grown (or made wide, for a time ts) to take one more row. */
extern FunnelState *funnel_state_make_room(FunnelState *state, int64 ts);

/* Append one row; returns the state, which may have moved. */
static inline FunnelState *
funnel_state_append(FunnelState *state, int64 ts, uint64 mask)
{
	if (unlikely(state->count >= state->capacity ||
				 (state->packed && !cx_funnel_packable(ts))))
		state = funnel_state_make_room(state, ts);

	/* rows that arrive in order (a sorted plan) spare the final sort */
	if (state->packed)
	{
		int64		key = cx_funnel_pack(ts, mask);

		if (state->count > 0 && key < state->rows[state->count - 1])
			state->sorted = false;
		state->rows[state->count++] = key;
	}
	else
	{
		FunnelEvent *events = (FunnelEvent *) state->rows;
		FunnelEvent row = {ts, mask};

		/* in funnel_state_sort's order: time, then mask */
		if (state->count > 0 && cx_funnel_event_cmp(&row, &events[state->count - 1]) < 0)
			state->sorted = false;
		events[state->count++] = row;
	}
	return state;
}

/*
 * Add the rows of right to left (same parameters, checked by the caller);
 * returns left, which may have moved.
 */
extern FunnelState *funnel_state_merge(FunnelState *left, const FunnelState *right);

/* Sort the rows in place, by time then mask (a state stays a multiset). */
extern void funnel_state_sort(FunnelState *state);

/*
 * The rows as FunnelEvents sorted by time: the state's own array when wide,
 * else a palloc'd copy (*copied set).
 */
extern FunnelEvent *funnel_state_events(FunnelState *state, bool *copied);

#endif							/* CX_FUNNEL_STATE_H */
