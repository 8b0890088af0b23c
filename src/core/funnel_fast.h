/*
 * funnel_fast.h
 *		Packed funnel rows and the one-pass level of the default mode, free
 *		of PostgreSQL headers so that test/unit can check them against
 *		cx_funnel_evaluate (funnel_core.h).
 *
 * A packed row is one 8-byte key, time * 256 + mask, for a funnel of at
 * most FUNNEL_PACK_MAX_STEPS steps and a time within FUNNEL_PACK_LIMIT of
 * the epoch (microseconds from 2000: years 858 to 3141).  Keys sort as
 * plain integers by time, then by mask.
 */
#ifndef CX_FUNNEL_FAST_H
#define CX_FUNNEL_FAST_H

#include <stdbool.h>
#include <stdint.h>

#define FUNNEL_PACK_MAX_STEPS	8
#define FUNNEL_PACK_LIMIT		(INT64_C(1) << 55)

/* Can a row at time ts be packed?  (-2^55 is left out: symmetry only.) */
static inline bool
cx_funnel_packable(int64_t ts)
{
	return ts > -FUNNEL_PACK_LIMIT && ts < FUNNEL_PACK_LIMIT;
}

/* The key of a row: ts must be packable, mask below 256. */
static inline int64_t
cx_funnel_pack(int64_t ts, uint64_t mask)
{
	return ts * 256 + (int64_t) mask;
}

/* The time of a key (exact division: key - mask is a multiple of 256). */
static inline int64_t
cx_funnel_key_ts(int64_t key)
{
	return (key - (key & 0xFF)) / 256;
}

/* The steps mask of a key. */
static inline uint64_t
cx_funnel_key_mask(int64_t key)
{
	return (uint64_t) (key & 0xFF);
}

/* What the one pass answers when it cannot give the level. */
#define FUNNEL_FAST_DECLINED	(-1)	/* evaluate with cx_funnel_evaluate */
#define FUNNEL_FAST_UNSORTED	(-2)	/* sort the rows' keys first */

/*
 * The furthest step the default mode (no mode flags) reaches over n keys
 * sorted ascending, with an inclusive window (>= 0) in microseconds; or
 * FUNNEL_FAST_DECLINED when some row matches no step or several steps,
 * which needs the general evaluation (cx_funnel_evaluate).
 */
extern int	cx_funnel_fast_level(const int64_t *keys, int32_t n, int64_t window);

/*
 * The same straight over a path's n steps, without packing them: step i at
 * times[i] (ascending, every one packable) matches the funnel steps of
 * label_masks[ids[i]], or none (a step that matches no funnel step is not a
 * row).  FUNNEL_FAST_DECLINED when a step matches several funnel steps;
 * FUNNEL_FAST_UNSORTED when two steps share an instant, whose order the one
 * pass needs by mask, as their sorted keys have it (a path orders them by
 * label).
 * Its loop has no interrupt check: n is at most a path's 1,000,000 steps.
 */
extern int	cx_funnel_fast_level_steps(const int64_t *times, const uint8_t *ids,
									   const uint64_t *label_masks, int32_t n,
									   int64_t window);

#endif							/* CX_FUNNEL_FAST_H */
