/*
 * funnel_fast.c
 *		The one-pass level of the default mode over sorted packed rows.
 *
 * start[k] is the latest start of a chain that reached step k; a later
 * start is always at least as good, since it leaves more of the window.
 * With one step per row this is exact: keys of one instant sort in step
 * order, so a tie may fill consecutive steps, as the rules allow.
 */
#include "funnel_fast.h"

/* Lowest and highest set bit of a non-zero word. */
#if defined(__GNUC__) || defined(__clang__)
#define lowest_bit(x)	__builtin_ctz(x)
#define highest_bit(x)	(31 - __builtin_clz(x))
#else
static int
lowest_bit(uint32_t x)
{
	int			k = 0;

	while (!(x & 1))
	{
		x >>= 1;
		k++;
	}
	return k;
}

static int
highest_bit(uint32_t x)
{
	int			k = -1;

	while (x)
	{
		x >>= 1;
		k++;
	}
	return k;
}
#endif

/*
 * Start slots of the one pass: start[k] for k in 1..FUNNEL_PACK_MAX_STEPS,
 * start[0] the current row's own time (so step 1 follows the same rule as
 * the others) and a last slot that absorbs the writes of a row matching no
 * step (its lowest set bit is then the guard bit).
 */
#define START_SLOTS (FUNNEL_PACK_MAX_STEPS + 2)
#define GUARD_BIT	(1U << FUNNEL_PACK_MAX_STEPS)

/*
 * One row of the one pass, at time now, matching the steps of mask (one,
 * or none: the guard slot).  Rows come in time order, so no start ever
 * decreases: no max().  Written without branches, since whether a row
 * extends a chain is as good as random; the select is by mask, since
 * compilers turn "extends ? previous : start[k]" into a branch.
 */
static inline void
fast_row(int64_t *start, uint32_t *valid, int64_t now, uint32_t mask, int64_t window)
{
	int			k = lowest_bit(mask | GUARD_BIT) + 1;
	int64_t		previous;
	int64_t		take;
	uint32_t	extends;

	start[0] = now;
	previous = start[k - 1];
	/* inclusive window: the chain's first row may be exactly window ago */
	extends = ((*valid >> (k - 1)) & 1) &
		(uint32_t) ((uint64_t) now - (uint64_t) previous <= (uint64_t) window);
	take = -(int64_t) extends;
	start[k] = (previous & take) | (start[k] & ~take);
	*valid |= extends << k;
}

int
cx_funnel_fast_level(const int64_t *keys, int32_t n, int64_t window)
{
	int64_t		start[START_SLOTS];
	uint32_t	valid = 1;		/* bit k: start[k] is set */
	uint32_t	not_single = 0; /* some row matched no step or several */
	int32_t		i;
	int			k;

	for (k = 0; k < START_SLOTS; k++)
		start[k] = INT64_MIN;
	for (i = 0; i < n; i++)
	{
		uint32_t	mask = (uint32_t) cx_funnel_key_mask(keys[i]);

		not_single |= (mask & (mask - 1)) | (uint32_t) (mask == 0);
		fast_row(start, &valid, cx_funnel_key_ts(keys[i]), mask, window);
	}
	return not_single != 0 ? FUNNEL_FAST_DECLINED : highest_bit(valid);
}

int
cx_funnel_fast_level_steps(const int64_t *times, const uint8_t *ids,
						   const uint64_t *label_masks, int32_t n, int64_t window)
{
	int64_t		start[START_SLOTS];
	uint32_t	valid = 1;
	uint32_t	several = 0;	/* some step matched several funnel steps */
	uint32_t	tied = 0;		/* two steps share an instant */
	int64_t		before = INT64_MIN;	/* the time of the step before */
	int32_t		i;
	int			k;

	for (k = 0; k < START_SLOTS; k++)
		start[k] = INT64_MIN;
	for (i = 0; i < n; i++)
	{
		uint32_t	mask = (uint32_t) label_masks[ids[i]];
		int64_t		now = times[i];

		several |= mask & (mask - 1);
		tied |= (uint32_t) (now == before) & (uint32_t) (i > 0);
		before = now;
		fast_row(start, &valid, now, mask, window);
	}
	if (several != 0)
		return FUNNEL_FAST_DECLINED;

	/*
	 * Sorted keys would put an instant's lower mask first, where a path puts
	 * its steps by label: a path with ties goes through its keys.  (Rare;
	 * telling the ties that matter apart cost more than it saved.)
	 */
	if (tied != 0)
		return FUNNEL_FAST_UNSORTED;
	/* steps matching no funnel step set only the guard slot's bit, above the levels */
	return highest_bit(valid & ((GUARD_BIT << 1) - 1));
}
