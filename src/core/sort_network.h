/*
 * sort_network.h
 *		Sorting 2 to 16 int64 values with a fixed network of compare-exchanges
 *		(Batcher's odd-even merge sort), free of PostgreSQL headers so that
 *		test/unit can check it exhaustively.
 *
 * The funnel aggregates sort each customer's rows, a dozen on average.  An
 * insertion sort of a dozen values in random order mispredicts a branch on
 * almost every value; a network does a fixed sequence of min/max steps that
 * compile to conditional moves, so its time does not depend on the order.
 */
#ifndef CX_SORT_NETWORK_H
#define CX_SORT_NETWORK_H

#include <stdint.h>
#include <string.h>

/* Batcher's network for 8 inputs: 19 compare-exchanges. */
static const unsigned char cx_sort_network8[19][2] = {
	{0, 1}, {2, 3}, {4, 5}, {6, 7}, {0, 2}, {1, 3}, {4, 6}, {5, 7}, {1, 2},
	{5, 6}, {0, 4}, {1, 5}, {2, 6}, {3, 7}, {2, 4}, {3, 5}, {1, 2}, {3, 4},
	{5, 6}
};

/* Batcher's network for 16 inputs: 63 compare-exchanges. */
static const unsigned char cx_sort_network16[63][2] = {
	{0, 1}, {2, 3}, {4, 5}, {6, 7}, {8, 9}, {10, 11}, {12, 13}, {14, 15},
	{0, 2}, {1, 3}, {4, 6}, {5, 7}, {8, 10}, {9, 11}, {12, 14}, {13, 15},
	{1, 2}, {5, 6}, {9, 10}, {13, 14}, {0, 4}, {1, 5}, {2, 6}, {3, 7},
	{8, 12}, {9, 13}, {10, 14}, {11, 15}, {2, 4}, {3, 5}, {10, 12}, {11, 13},
	{1, 2}, {3, 4}, {5, 6}, {9, 10}, {11, 12}, {13, 14}, {0, 8}, {1, 9},
	{2, 10}, {3, 11}, {4, 12}, {5, 13}, {6, 14}, {7, 15}, {4, 8}, {5, 9},
	{6, 10}, {7, 11}, {2, 4}, {3, 5}, {6, 8}, {7, 9}, {10, 12}, {11, 13},
	{1, 2}, {3, 4}, {5, 6}, {7, 8}, {9, 10}, {11, 12}, {13, 14}
};

/* The largest count cx_sort_network_int64 takes. */
#define CX_SORT_NETWORK_MAX 16

/*
 * Sort values[0 .. n - 1] ascending, 0 <= n <= CX_SORT_NETWORK_MAX.  The
 * values are copied into a full-width array padded with the largest int64
 * (padding sorts last, and equal values are indistinguishable), sorted
 * there and copied back.
 */
static inline void
cx_sort_network_int64(int64_t *values, int n)
{
	int64_t		lane[CX_SORT_NETWORK_MAX];
	const unsigned char (*pairs)[2];
	int			npairs;
	int			width;
	int			i;

	if (n <= 1)
		return;
	if (n <= 8)
	{
		pairs = cx_sort_network8;
		npairs = 19;
		width = 8;
	}
	else
	{
		pairs = cx_sort_network16;
		npairs = 63;
		width = 16;
	}
	for (i = 0; i < width; i++)
		lane[i] = i < n ? values[i] : INT64_MAX;
	for (i = 0; i < npairs; i++)
	{
		int64_t		a = lane[pairs[i][0]];
		int64_t		b = lane[pairs[i][1]];

		lane[pairs[i][0]] = a < b ? a : b;
		lane[pairs[i][1]] = a < b ? b : a;
	}
	memcpy(values, lane, (size_t) n * sizeof(int64_t));
}

#endif							/* CX_SORT_NETWORK_H */
