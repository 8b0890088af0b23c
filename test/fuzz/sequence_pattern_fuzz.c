/*
 * sequence_pattern_fuzz.c
 *		libFuzzer harness for the sequence pattern compiler and matcher:
 *		any bytes either compile, and then the matcher runs over a few
 *		events derived from the input without fault, or are rejected with
 *		an error code and a position inside the input (or 0); never a crash,
 *		a leak or an out-of-bounds access.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sequence_pattern.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void *
xalloc(size_t size)
{
	void	   *p = malloc(size ? size : 1);

	if (!p)
		abort();
	return p;
}

static const SeqHooks hooks = {xalloc, free, NULL};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	SeqErrorInfo err;
	SeqPattern *pat = seq_compile((const char *) data, size, &hooks, &err);
	int64_t		times[32];
	uint64_t	masks[32];
	int64_t		consumed[32];
	int64_t		nconsumed;
	int			n = 0;
	int			i;
	SeqMatch	match;
	bool		found;
	SeqMatcher *m;

	if (pat == NULL)
	{
		if (err.code == SEQ_OK || err.position < 0 || (size_t) err.position > size + 1)
			abort();
		return 0;
	}
	if (err.code != SEQ_OK || pat->nconsume < 1)
		abort();
	/* events from the input's bytes: nondecreasing times, any masks */
	for (i = 0; i < (int) size && n < 32; i += 2)
	{
		times[n] = (n ? times[n - 1] : 0) + (data[i] % 4) * 1000000;
		masks[n] = (uint64_t) 1 << (data[i] % 64) | (uint64_t) (i + 1 < (int) size ? data[i + 1] : 1);
		n++;
	}
	/* the canonical order: equal times by mask */
	for (i = 1; i < n; i++)
	{
		int			j = i;

		while (j > 0 && times[j - 1] == times[j] && masks[j - 1] > masks[j])
		{
			uint64_t	t = masks[j];

			masks[j] = masks[j - 1];
			masks[j - 1] = t;
			j--;
		}
	}
	m = seq_matcher_new(pat, times, masks, n, &hooks);
	found = seq_find(m, 0, &match, consumed, &nconsumed);
	/* a chain's one pass answers as the matcher does */
	if (pat->chain_length > 0 && seq_chain_matches(pat, times, masks, n, &hooks) != found)
		abort();
	if (found)
	{
		if (match.first < 0 || match.last < match.first || match.last >= n || nconsumed > n)
			abort();
		for (i = 0; i < nconsumed; i++)
			if (consumed[i] < match.first || consumed[i] > match.last ||
				(i > 0 && consumed[i] <= consumed[i - 1]))
				abort();
	}
	(void) seq_count(m);
	seq_matcher_free(m);
	free(pat);
	return 0;
}
