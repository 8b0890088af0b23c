/*
 * int64_sort.c
 *		Sorting the 8-byte rows the aggregates keep (timestamps, packed keys).
 */
#include "cx_journey.h"
#include "sort_network.h"

static int
int64_cmp(const void *a, const void *b, void *arg)
{
	int64		x = *(const int64 *) a;
	int64		y = *(const int64 *) b;

	return (x > y) - (x < y);
}

void
cx_sort_int64(int64 *values, int64 n)
{
	int64		i;

	if (n <= CX_SORT_NETWORK_MAX)
	{
		/* the usual customer: a dozen rows, sorted without branches */
		cx_sort_network_int64(values, (int) n);
		return;
	}
	if (n > 32)
	{
		/* interruptible: a customer may have millions of rows */
		qsort_interruptible(values, n, sizeof(int64), int64_cmp, NULL);
		return;
	}
	/* insertion sort: a few dozen rows */
	for (i = 1; i < n; i++)
	{
		int64		key = values[i];
		int64		j = i - 1;

		while (j >= 0 && values[j] > key)
		{
			values[j + 1] = values[j];
			j--;
		}
		values[j + 1] = key;
	}
}
