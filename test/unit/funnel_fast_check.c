/*
 * funnel_fast_check.c
 *		Checks cx_funnel_fast_level (src/core/funnel_fast.c) against the
 *		exact evaluation cx_funnel_evaluate (src/core/funnel_core.c) in the
 *		default mode, on random customers: ties and repeated rows, gaps of
 *		exactly the window, times near the ends of the packable range, rows
 *		matching no step or several (where the one pass must decline), and
 *		steps walked in order, so that chains of every length complete
 *		(without ties in half of those, so that the path form takes them).
 *		Then cx_funnel_fast_level_steps over the same customers as a path
 *		would hold them: a label per row, the labels' masks, an instant's
 *		rows shuffled (a path orders them by label), rows matching no step
 *		kept as steps.
 *
 * Usage: funnel_fast_check [cases] [seed].  Prints "N passed, N failed".
 */
#include "funnel_core.h"
#include "funnel_fast.h"

#include <stdio.h>
#include <stdlib.h>

#define MAX_ROWS 40

static void *
test_alloc(size_t size)
{
	return malloc(size);
}

static void
no_interrupts(void)
{
}

/* The next value of a 64-bit xorshift generator. */
static uint64_t
next_random(uint64_t *seed)
{
	*seed ^= *seed << 13;
	*seed ^= *seed >> 7;
	*seed ^= *seed << 17;
	return *seed;
}

static int
compare_int64(const void *a, const void *b)
{
	int64_t		x = *(const int64_t *) a;
	int64_t		y = *(const int64_t *) b;

	return (x > y) - (x < y);
}

int
main(int argc, char **argv)
{
	long		cases = argc > 1 ? atol(argv[1]) : 100000;
	uint64_t	seed = argc > 2 ? strtoull(argv[2], NULL, 10) : 42;
	FunnelHooks hooks = {test_alloc, free, no_interrupts};
	long		passed = 0;
	long		failed = 0;
	long		declined = 0;
	long		straight = 0;
	long		c;

	seed = seed * 2654435761u + 1;
	for (c = 0; c < cases; c++)
	{
		int64_t		keys[MAX_ROWS];
		FunnelEvent events[MAX_ROWS];
		FunnelOutcome out;
		int			nsteps = 1 + (int) (next_random(&seed) % FUNNEL_PACK_MAX_STEPS);
		int			n = (int) (next_random(&seed) % (MAX_ROWS + 1));
		int			shape = (int) (next_random(&seed) % 5);
		/* a small time range gives ties; the window is often a gap exactly */
		int64_t		span = 1 + (int64_t) (next_random(&seed) % 20);
		int64_t		window = (int64_t) (next_random(&seed) % (uint64_t) (span + 2));
		int64_t		base = 0;
		int			single = 1;
		int			fast;
		int			i;

		if (shape == 1)
			base = FUNNEL_PACK_LIMIT - 1 - span;	/* near the top */
		else if (shape == 2)
			base = -FUNNEL_PACK_LIMIT + 1;			/* near the bottom */
		for (i = 0; i < n; i++)
		{
			uint64_t	r = next_random(&seed);
			uint64_t	mask;

			/* shape 4: the steps in order, so that chains complete */
			if (shape == 4)
			{
				mask = UINT64_C(1) << (i % nsteps);
				keys[i] = cx_funnel_pack(base + (span % 2 ? i : i / 3), mask);
				continue;
			}
			if (i > 0 && r % 5 == 0)
			{
				/* a repeat of an earlier row */
				keys[i] = keys[r / 5 % (uint64_t) i];
				continue;
			}
			mask = UINT64_C(1) << (r / 8 % (uint64_t) nsteps);
			/* shape 3: some rows match no step or several */
			if (shape == 3 && r % 7 == 0)
				mask = (r >> 20) & ((UINT64_C(1) << nsteps) - 1);
			keys[i] = cx_funnel_pack(base + (int64_t) (r >> 32) % span, mask);
		}
		qsort(keys, (size_t) n, sizeof(int64_t), compare_int64);
		for (i = 0; i < n; i++)
		{
			events[i].ts = cx_funnel_key_ts(keys[i]);
			events[i].mask = cx_funnel_key_mask(keys[i]);
			if (events[i].mask == 0 || (events[i].mask & (events[i].mask - 1)) != 0)
				single = 0;
		}
		cx_funnel_evaluate(events, (size_t) n, nsteps, window, 0, false, &out, &hooks);
		fast = cx_funnel_fast_level(keys, n, window);
		if (fast == FUNNEL_FAST_DECLINED)
			declined++;
		if (single ? fast == out.level : fast == FUNNEL_FAST_DECLINED)
			passed++;
		else if (failed++ < 5)
		{
			printf("case %ld: %d rows, %d steps, window %lld: one pass %d, exact %d\n",
				   c, n, nsteps, (long long) window, fast, out.level);
			for (i = 0; i < n; i++)
				printf("  ts %lld mask %llx\n", (long long) events[i].ts,
					   (unsigned long long) events[i].mask);
		}

		/*
		 * The same rows as path steps: each a label of its own whose mask is
		 * the row's, or none for some, the rows of an instant shuffled, plus
		 * steps whose label matches no funnel step at a row's time.  Rows
		 * matching no step are steps too, so only "several" makes the path
		 * form decline.
		 */
		{
			int64_t		times[2 * MAX_ROWS];
			uint8_t		ids[2 * MAX_ROWS];
			uint64_t	label_masks[2 * MAX_ROWS];
			int64_t		path_keys[2 * MAX_ROWS];
			FunnelEvent kept[2 * MAX_ROWS];
			int			nkept = 0;
			int			m = 0;
			int			several = 0;
			int			keys_sorted = 1;
			int			ties = 0;
			int			expected;
			int			j;

			for (i = 0; i < n; i++)
			{
				times[m] = events[i].ts;
				/* some rows' labels match no funnel step */
				label_masks[m] = next_random(&seed) % 6 == 0 ? 0 : events[i].mask;
				ids[m] = (uint8_t) m;
				m++;
				if (next_random(&seed) % 8 == 0)
				{
					/* a step that matches no funnel step, at the same time */
					times[m] = events[i].ts;
					label_masks[m] = 0;
					ids[m] = (uint8_t) m;
					m++;
				}
			}
			/* in half the cases, shuffle each instant's steps (swap neighbours of one time) */
			for (j = next_random(&seed) % 2 ? 0 : 2 * m; j < 2 * m; j++)
			{
				int			a = m > 1 ? (int) (next_random(&seed) % (uint64_t) (m - 1)) : 0;

				if (m > 1 && times[a] == times[a + 1])
				{
					uint8_t		t = ids[a];

					ids[a] = ids[a + 1];
					ids[a + 1] = t;
				}
			}
			for (j = 0; j < m; j++)
			{
				uint64_t	mask = label_masks[ids[j]];

				if (mask == 0)
					continue;
				several |= (mask & (mask - 1)) != 0;
				path_keys[nkept] = cx_funnel_pack(times[j], mask);
				if (nkept > 0 && path_keys[nkept] < path_keys[nkept - 1])
					keys_sorted = 0;
				kept[nkept].ts = times[j];
				kept[nkept].mask = mask;
				nkept++;
			}
			cx_funnel_evaluate(kept, (size_t) nkept, nsteps, window, 0, false, &out, &hooks);
			fast = cx_funnel_fast_level_steps(times, ids, label_masks, m, window);
			/* it may take a path with ties for unsorted, never unsorted keys for sorted */
			expected = several ? FUNNEL_FAST_DECLINED :
				!keys_sorted || fast == FUNNEL_FAST_UNSORTED ? FUNNEL_FAST_UNSORTED : out.level;
			if (fast == FUNNEL_FAST_UNSORTED)
				for (j = 1; j < m; j++)
					ties += times[j] == times[j - 1];
			straight += fast >= 0;
			if (fast == expected && (fast != FUNNEL_FAST_UNSORTED || ties > 0))
				passed++;
			else if (failed++ < 5)
				printf("case %ld (path steps): %d steps, %d funnel steps, window %lld: one pass %d, expected %d\n",
					   c, m, nsteps, (long long) window, fast, expected);
		}
	}
	printf("(%ld cases declined to the exact evaluation; %ld path cases answered straight over the steps)\n",
		   declined, straight);
	printf("%ld passed, %ld failed\n", passed, failed);
	return failed == 0 ? 0 : 1;
}
