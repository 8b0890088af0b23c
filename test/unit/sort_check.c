/*
 * sort_check.c
 *		Checks cx_sort_network_int64 (src/sort_network.h): every 0/1 input of
 *		every length up to the network's width (by the 0-1 principle a
 *		network that sorts all of those sorts everything), then random inputs
 *		with repeats and extreme values against qsort.
 *
 * Usage: sort_check [cases] [seed].  Prints "N passed, N failed".
 */
#include "sort_network.h"

#include <stdio.h>
#include <stdlib.h>

static int
compare_int64(const void *a, const void *b)
{
	int64_t		x = *(const int64_t *) a;
	int64_t		y = *(const int64_t *) b;

	return (x > y) - (x < y);
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

int
main(int argc, char **argv)
{
	long		cases = argc > 1 ? atol(argv[1]) : 100000;
	uint64_t	seed = argc > 2 ? strtoull(argv[2], NULL, 10) : 42;
	long		passed = 0;
	long		failed = 0;
	int			n;
	long		c;

	seed = seed * 2654435761u + 1;
	for (n = 0; n <= CX_SORT_NETWORK_MAX; n++)
	{
		uint32_t	bits;

		for (bits = 0; bits < (1U << n); bits++)
		{
			int64_t		v[CX_SORT_NETWORK_MAX];
			int			ones = 0;
			int			i;
			int			ok = 1;

			for (i = 0; i < n; i++)
			{
				v[i] = (bits >> i) & 1;
				ones += (int) v[i];
			}
			cx_sort_network_int64(v, n);
			for (i = 0; i < n; i++)
				ok &= v[i] == (i >= n - ones);
			if (ok)
				passed++;
			else if (failed++ < 5)
				printf("0/1 input %#x of length %d comes out unsorted\n", bits, n);
		}
	}
	for (c = 0; c < cases; c++)
	{
		int64_t		v[CX_SORT_NETWORK_MAX];
		int64_t		expected[CX_SORT_NETWORK_MAX];
		int			range = 1 + (int) (next_random(&seed) % 8);
		int			i;

		n = (int) (next_random(&seed) % (CX_SORT_NETWORK_MAX + 1));
		for (i = 0; i < n; i++)
		{
			uint64_t	r = next_random(&seed);

			/* few distinct values (repeats), or anything, or the extremes */
			if (range < 4)
				v[i] = (int64_t) (r % (uint64_t) range) - 1;
			else if (range < 7)
				v[i] = (int64_t) r;
			else
				v[i] = (r & 1) ? INT64_MAX : INT64_MIN;
			expected[i] = v[i];
		}
		qsort(expected, (size_t) n, sizeof(int64_t), compare_int64);
		cx_sort_network_int64(v, n);
		if (n == 0 || memcmp(v, expected, (size_t) n * sizeof(int64_t)) == 0)
			passed++;
		else if (failed++ < 5)
			printf("random case %ld (length %d) differs from qsort\n", c, n);
	}
	printf("%ld passed, %ld failed\n", passed, failed);
	return failed == 0 ? 0 : 1;
}
