/*
 * funnel_check.c
 *		Randomized comparison of cx_funnel_evaluate() with a brute-force
 *		enumeration of every chain, in every combination of modes.
 *
 * The modes come from a list of the six mode words, chosen at random (64
 * combinations) and parsed by cx_funnel_mode_parse; the brute force applies
 * the rules of the words themselves, so the parser's shortcuts (strict_once
 * and allow_reentry without strict_order set no flag) are checked too.
 *
 * Usage: funnel_check [cases] [seed].  Prints "N passed, N failed".
 */
#include "funnel_core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Brute
{
	const FunnelEvent *ev;
	int			n;
	int			nsteps;
	int64_t		window;
	bool		order;			/* strict_order */
	bool		dedup;			/* strict_deduplication */
	bool		increase;		/* strict_increase */
	bool		first_entry;
	bool		reentry;		/* allow_reentry (strict_once changes nothing) */
	int			chain[FUNNEL_MAX_STEPS];
	bool		used[64];
	int			best;
	int64_t		best_finish;
	int64_t		best_start;
} Brute;

/*
 * Is b (>= a) within w of a?  A time at -infinity or +infinity (INT64_MIN,
 * INT64_MAX) is 0 from itself and infinitely far from every other time.
 * Finite times here are never far apart, so their difference fits.
 */
static bool
brute_within(int64_t a, int64_t b, int64_t w)
{
	if (a == b)
		return true;
	if (a == INT64_MIN || a == INT64_MAX || b == INT64_MIN || b == INT64_MAX)
		return false;
	return b - a <= w;
}

/*
 * Does adding row c as step k+1 keep the chain valid under the modes?  The
 * rules, straight from their definitions: every row outside the chain whose
 * time is strictly between ts(ek) and ts(c) must be allowed there.
 */
static bool
brute_can_add(Brute *b, int k, int c)
{
	const FunnelEvent *ev = b->ev;
	int64_t		t = ev[c].ts;
	bool		reentry = b->order && b->reentry;
	int			x;

	if (b->used[c] || !((ev[c].mask >> k) & 1))
		return false;
	if (k == 0)
	{
		if (b->first_entry)
		{
			for (x = 0; x < b->n; x++)
				if ((ev[x].mask & 1) && ev[x].ts < t)
					return false;
		}
		return true;
	}
	{
		int64_t		prev = ev[b->chain[k - 1]].ts;
		int64_t		first = ev[b->chain[0]].ts;
		uint64_t	reached = 0;	/* steps 1 .. k */
		int			i;

		for (i = 0; i < k; i++)
			reached |= UINT64_C(1) << i;
		if (t < prev || (b->increase && t == prev))
			return false;
		if (!brute_within(first, t, b->window))
			return false;
		for (x = 0; x < b->n; x++)
		{
			uint64_t	m = ev[x].mask;

			if (b->used[x] || x == c || ev[x].ts <= prev || ev[x].ts >= t)
				continue;
			/* strict_order: x must repeat a step reached, step 1 only with allow_reentry */
			if (b->order && (m & reached & (reentry ? ~UINT64_C(0) : ~UINT64_C(1))) == 0)
				return false;
			/* strict_deduplication: x may match none of steps 1 .. k+1 */
			if (b->dedup &&
				(m & (reached | (UINT64_C(1) << k)) & (reentry ? ~UINT64_C(1) : ~UINT64_C(0))) != 0)
				return false;
		}
	}
	return true;
}

static void
brute_search(Brute *b, int k)
{
	int			c;

	if (k > 0)
	{
		int64_t		finish = b->ev[b->chain[k - 1]].ts;
		int64_t		start = b->ev[b->chain[0]].ts;

		if (k > b->best ||
			(k == b->best && (finish < b->best_finish ||
							  (finish == b->best_finish && start > b->best_start))))
		{
			b->best = k;
			b->best_finish = finish;
			b->best_start = start;
		}
	}
	if (k == b->nsteps)
		return;
	for (c = 0; c < b->n; c++)
	{
		if (!brute_can_add(b, k, c))
			continue;
		b->chain[k] = c;
		b->used[c] = true;
		brute_search(b, k + 1);
		b->used[c] = false;
	}
}

static void *
test_alloc(size_t size)
{
	void	   *p = malloc(size);

	if (p == NULL)
		abort();
	return p;
}

static uint64_t rng_state;

static uint32_t
rng(void)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t) (rng_state >> 33);
}

/* The flags of a mode list holding the words picked by the bits of words. */
static int
parse_words(int words)
{
	static const char *const names[] = {
		"strict_order", "Strict_Deduplication", " strict_increase", "FIRST_ENTRY ",
		"strict_once", "allow_reentry"
	};
	char		list[128] = "";
	int			flags;
	size_t		bad_start;
	size_t		bad_len;
	int			w;

	/* in a rotating order, so that no word is always first */
	for (w = 0; w < 6; w++)
	{
		int			i = (w + words) % 6;

		if ((words >> i) & 1)
		{
			if (list[0] != '\0')
				strcat(list, ",");
			strcat(list, names[i]);
		}
	}
	if (cx_funnel_mode_parse(list, strlen(list), &flags, &bad_start, &bad_len) != 0)
	{
		printf("mode list \"%s\" refused\n", list);
		exit(1);
	}
	return flags;
}

int
main(int argc, char **argv)
{
	int			cases = argc > 1 ? atoi(argv[1]) : 20000;
	FunnelHooks hooks = {test_alloc, free, NULL};
	int			passed = 0;
	int			failed = 0;
	int			i;

	rng_state = argc > 2 ? strtoull(argv[2], NULL, 10) : 42;
	for (i = 0; i < cases; i++)
	{
		FunnelEvent ev[14];
		/* one case in eight is larger: up to 13 rows and 6 steps */
		bool		large = rng() % 8 == 0;
		int			n = 1 + rng() % (large ? 13 : 9);
		int			nsteps = 1 + rng() % (large ? 6 : 4);
		int			words = rng() % 64;
		int			flags;
		int64_t		window = rng() % 8;
		int			span = 2 + rng() % 10;
		/*
		 * One case in four: the earliest time -infinity, the latest
		 * +infinity, the others near 0 or about 100 from an end of the
		 * range, and now and then a window reaching past that end
		 */
		bool		infinite = rng() % 4 == 0;
		int			where = rng() % 3;
		int64_t		base = !infinite || where == 0 ? 0 :
			where == 1 ? INT64_MAX - 100 : INT64_MIN + 100;
		FunnelOutcome out;
		Brute		b;
		int			j;
		bool		ok;

		if (infinite && rng() % 2 == 0)
			window = 200;
		for (j = 0; j < n; j++)
		{
			ev[j].ts = rng() % span;
			if (infinite)
				ev[j].ts = ev[j].ts == 0 ? INT64_MIN :
					ev[j].ts == span - 1 ? INT64_MAX : base + ev[j].ts;
			/* mostly one step per row, sometimes none or several */
			switch (rng() % 6)
			{
				case 0:
					ev[j].mask = 0;
					break;
				case 1:
					ev[j].mask = rng() % (1u << nsteps);
					break;
				default:
					ev[j].mask = 1ull << (rng() % nsteps);
					break;
			}
			/* without strict_order, the aggregate drops rows matching nothing */
			if (ev[j].mask == 0 && !(words & 1) && (rng() & 1))
				ev[j].mask = 1;
		}
		flags = parse_words(words);
		qsort(ev, n, sizeof(FunnelEvent), cx_funnel_event_cmp);
		memset(&b, 0, sizeof(b));
		b.ev = ev;
		b.n = n;
		b.nsteps = nsteps;
		b.window = window;
		b.order = (words & 1) != 0;
		b.dedup = (words & 2) != 0;
		b.increase = (words & 4) != 0;
		b.first_entry = (words & 8) != 0;
		b.reentry = (words & 32) != 0;
		brute_search(&b, 0);
		cx_funnel_evaluate(ev, n, nsteps, window, flags, true, &out, &hooks);
		ok = out.level == b.best;
		if (ok && b.best > 0)
			ok = out.times[0] == b.best_start && out.times[b.best - 1] == b.best_finish;
		if (ok)
			passed++;
		else
		{
			failed++;
			if (failed <= 5)
			{
				printf("case %d: steps %d window %lld words %d flags %d: got %d (%lld..%lld), brute force %d (%lld..%lld)\n",
					   i, nsteps, (long long) window, words, flags, out.level,
					   (long long) (out.level ? out.times[0] : -1),
					   (long long) (out.level ? out.times[out.level - 1] : -1),
					   b.best, (long long) b.best_start, (long long) b.best_finish);
				for (j = 0; j < n; j++)
					printf("  ts %lld mask %llx\n", (long long) ev[j].ts,
						   (unsigned long long) ev[j].mask);
			}
		}
	}
	printf("funnel_check: %d passed, %d failed\n", passed, failed);
	return failed == 0 ? 0 : 1;
}
