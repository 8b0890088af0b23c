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

int
cx_funnel_fast_level(const int64_t *keys, int32_t n, int64_t window)
{
	/*
	 * start[0] is the current row's own time, so step 1 follows the same
	 * rule as the others.  The last slot absorbs the writes of a row that
	 * matches no step (its lowest set bit is the guard bit); the answer is
	 * then thrown away.
	 */
	int64_t		start[FUNNEL_PACK_MAX_STEPS + 2];
	uint32_t	valid = 1;		/* bit k: start[k] is set */
	uint32_t	not_single = 0; /* some row matched no step or several */
	int32_t		i;
	int			k;

	for (k = 0; k < FUNNEL_PACK_MAX_STEPS + 2; k++)
		start[k] = INT64_MIN;
	/* branch-free: whether a row extends a chain is as good as random */
	for (i = 0; i < n; i++)
	{
		uint32_t	mask = (uint32_t) cx_funnel_key_mask(keys[i]);
		int64_t		now = cx_funnel_key_ts(keys[i]);
		int64_t		previous;
		int64_t		current;
		uint32_t	extends;
		int64_t		take;

		not_single |= (mask & (mask - 1)) | (uint32_t) (mask == 0);
		k = lowest_bit(mask | (1U << FUNNEL_PACK_MAX_STEPS)) + 1;
		start[0] = now;
		previous = start[k - 1];
		/* inclusive window: the chain's first row may be exactly window ago */
		extends = ((valid >> (k - 1)) & 1) &
			(uint32_t) ((uint64_t) now - (uint64_t) previous <= (uint64_t) window);
		/*
		 * rows come in time order, so no start ever decreases: no max().  A
		 * select by mask, since compilers turn "extends ? previous :
		 * start[k]" into a branch that mispredicts.
		 */
		current = start[k];
		take = -(int64_t) extends;
		start[k] = (previous & take) | (current & ~take);
		valid |= extends << k;
	}
	return not_single != 0 ? -1 : highest_bit(valid);
}
