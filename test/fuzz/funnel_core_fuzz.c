/*
 * funnel_core_fuzz.c
 *		libFuzzer harness for the funnel evaluation: the bytes become a
 *		funnel (steps, window, modes) and up to 64 events; the evaluation
 *		must not crash, must return a level within 0 .. steps, and a chain
 *		whose times are non-decreasing, within the window, each time one of
 *		a row matching that step, and every row strictly between two
 *		consecutive chain times allowed there by the modes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "funnel_core.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void *
fuzz_alloc(size_t size)
{
	void	   *p = malloc(size);

	if (p == NULL)
		abort();
	return p;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FunnelHooks hooks = {fuzz_alloc, free, NULL};
	FunnelEvent *events;
	FunnelOutcome out;
	size_t		n;
	size_t		i;
	int			nsteps;
	int			flags;
	int64_t		window;
	int			k;

	if (size < 3)
		return 0;
	nsteps = 1 + data[0] % FUNNEL_MAX_STEPS;
	flags = data[1] & FUNNEL_ALL_MODES;
	window = data[2];
	data += 3;
	size -= 3;
	n = size / 3;
	if (n > 64)
		n = 64;
	events = fuzz_alloc((n ? n : 1) * sizeof(FunnelEvent));
	for (i = 0; i < n; i++)
	{
		events[i].ts = data[3 * i] % 16;
		/* two bytes of mask bits, spread over the steps */
		events[i].mask = ((uint64_t) data[3 * i + 1] | ((uint64_t) data[3 * i + 2] << 8));
		events[i].mask = (events[i].mask << (data[3 * i] >> 4)) &
			(nsteps == 64 ? UINT64_MAX : ((UINT64_C(1) << nsteps) - 1));
	}
	qsort(events, n, sizeof(FunnelEvent), cx_funnel_event_cmp);
	cx_funnel_evaluate(events, n, nsteps, window, flags, true, &out, &hooks);
	if (out.level < 0 || out.level > nsteps)
		abort();
	for (k = 0; k < out.level; k++)
	{
		int			found = 0;

		if (k > 0 && out.times[k] < out.times[k - 1])
			abort();
		if (k > 0 && (flags & FUNNEL_STRICT_INCREASE) && out.times[k] == out.times[k - 1])
			abort();
		if (out.times[k] - out.times[0] > window)
			abort();
		for (i = 0; i < n; i++)
			if (events[i].ts == out.times[k] && ((events[i].mask >> k) & 1))
				found = 1;
		if (!found)
			abort();
		if (k == 0 && (flags & FUNNEL_FIRST_ENTRY))
		{
			/* e1 is at the time of the first step-1 row */
			for (i = 0; i < n; i++)
				if ((events[i].mask & 1) && events[i].ts < out.times[0])
					abort();
		}
		if (k > 0)
		{
			bool		reentry = (flags & FUNNEL_STRICT_ORDER) && (flags & FUNNEL_ALLOW_REENTRY);
			uint64_t	reached = k == 64 ? UINT64_MAX : (UINT64_C(1) << k) - 1;
			uint64_t	order_ok = reached & (reentry ? UINT64_MAX : ~UINT64_C(1));
			uint64_t	repeats = (reached | (UINT64_C(1) << k)) & (reentry ? ~UINT64_C(1) : UINT64_MAX);

			for (i = 0; i < n; i++)
			{
				if (events[i].ts <= out.times[k - 1] || events[i].ts >= out.times[k])
					continue;
				if ((flags & FUNNEL_STRICT_ORDER) && (events[i].mask & order_ok) == 0)
					abort();
				if ((flags & FUNNEL_STRICT_DEDUPLICATION) && (events[i].mask & repeats) != 0)
					abort();
			}
		}
	}
	free(events);
	return 0;
}
