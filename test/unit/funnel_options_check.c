/*
 * funnel_options_check.c
 *		Randomized comparison of cx_funnel_evaluate_excluding() with a
 *		brute-force enumeration of every chain (exclusions, any_order, every
 *		combination of modes), and fixed cases of the options parser.
 *
 * The chain rules of the modes are those of funnel_check.c; the exclusion
 * rules are applied to each whole chain, straight from their definitions
 * (doc/reference.md, "funnel"):
 * - a chain reaching step j is excluded by (E, i, j) when an E row lies
 *   strictly between its steps i and j;
 * - a chain reaching i but not j is excluded when an E row lies strictly
 *   after its step i, up to and including its start plus the window;
 * - the customer is excluded when, for some exclusion, a chain reaches its
 *   step i and every such chain is excluded; else the furthest chain that is
 *   not excluded counts (earliest finish, then latest start).
 *
 * Usage: funnel_options_check [cases] [seed].  Prints "N passed, N failed".
 */
#include "funnel_core.h"
#include "funnel_options.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Brute
{
	const FunnelEvent *ev;
	int			n;
	int			nsteps;
	int64_t		window;
	bool		order;
	bool		dedup;
	bool		increase;
	bool		first_entry;
	bool		reentry;
	const FunnelExclusion *excl;
	int			nexcl;
	int			chain[FUNNEL_MAX_STEPS];
	bool		used[64];
	int			all;			/* furthest chain */
	int			best;			/* furthest chain not excluded */
	int64_t		best_finish;
	int64_t		best_start;
} Brute;

/* funnel_check.c's rule: may row c be step k+1 of the chain? */
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
		uint64_t	reached = 0;
		int			i;

		for (i = 0; i < k; i++)
			reached |= UINT64_C(1) << i;
		if (t < prev || (b->increase && t == prev))
			return false;
		if (t - first > b->window)
			return false;
		for (x = 0; x < b->n; x++)
		{
			uint64_t	m = ev[x].mask & (((uint64_t) 1 << b->nsteps) - 1);

			if (b->used[x] || x == c || ev[x].ts <= prev || ev[x].ts >= t)
				continue;
			if (b->order && (m & reached & (reentry ? ~UINT64_C(0) : ~UINT64_C(1))) == 0)
				return false;
			if (b->dedup &&
				(m & (reached | (UINT64_C(1) << k)) & (reentry ? ~UINT64_C(1) : ~UINT64_C(0))) != 0)
				return false;
		}
	}
	return true;
}

/* Is the chain of k rows excluded? */
static bool
brute_chain_excluded(const Brute *b, const int *rows, int k, int64_t first, int64_t last,
					 bool any_order)
{
	int			x;
	int			r;

	for (x = 0; x < b->nexcl; x++)
	{
		const FunnelExclusion *e = &b->excl[x];
		int64_t		lo;
		int64_t		hi;
		bool		closed;

		if (any_order)
		{
			/* the range is all steps: from the first row to the last */
			lo = first;
			hi = k == b->nsteps ? last : first + b->window;
			closed = k < b->nsteps;
		}
		else
		{
			if (k < e->from)
				continue;
			lo = b->ev[rows[e->from - 1]].ts;
			closed = k < e->to;
			hi = closed ? first + b->window : b->ev[rows[e->to - 1]].ts;
		}
		for (r = 0; r < b->n; r++)
		{
			int64_t		t = b->ev[r].ts;

			if ((b->ev[r].mask & e->mask) && t > lo && (closed ? t <= hi : t < hi))
				return true;
		}
	}
	return false;
}

static void
brute_note(Brute *b, int k, int64_t start, int64_t finish, bool excluded)
{
	if (k > b->all)
		b->all = k;
	if (excluded)
		return;
	if (k > b->best ||
		(k == b->best && (finish < b->best_finish ||
						  (finish == b->best_finish && start > b->best_start))))
	{
		b->best = k;
		b->best_finish = finish;
		b->best_start = start;
	}
}

static void
brute_search(Brute *b, int k)
{
	int			c;

	if (k > 0)
	{
		int64_t		finish = b->ev[b->chain[k - 1]].ts;
		int64_t		start = b->ev[b->chain[0]].ts;

		brute_note(b, k, start, finish,
				   brute_chain_excluded(b, b->chain, k, start, finish, false));
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

/* any_order: every step filled by an unused row or left empty. */
static void
brute_any_order(Brute *b, int step, int filled)
{
	int			c;

	if (step == b->nsteps)
	{
		int64_t		first = INT64_MAX;
		int64_t		last = INT64_MIN;
		int			rows[FUNNEL_MAX_STEPS];
		int			k = 0;

		for (c = 0; c < b->n; c++)
		{
			if (!b->used[c])
				continue;
			rows[k++] = c;
			if (b->ev[c].ts < first)
				first = b->ev[c].ts;
			if (b->ev[c].ts > last)
				last = b->ev[c].ts;
		}
		if (filled == 0 || last - first > b->window)
			return;
		if (filled > b->all)
			b->all = filled;
		if (!brute_chain_excluded(b, rows, filled, first, last, true) && filled > b->best)
			b->best = filled;
		return;
	}
	brute_any_order(b, step + 1, filled);
	for (c = 0; c < b->n; c++)
	{
		if (b->used[c] || !((b->ev[c].mask >> step) & 1))
			continue;
		b->used[c] = true;
		brute_any_order(b, step + 1, filled + 1);
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

/* Fixed cases of the parser: 0 when each gives what it should. */
static int
check_parser(void)
{
	static const struct
	{
		const char *text;
		int			ok;
		int			flags;
		int			nexcl;
		int			breakdown;
		const char *first_name;
	}			cases[] = {
		{"", 1, 0, 0, 0, NULL},
		{"  ", 1, 0, 0, 0, NULL},
		{"strict_order, allow_reentry", 1, FUNNEL_STRICT_ORDER | FUNNEL_ALLOW_REENTRY, 0, 0, NULL},
		{"allow_reentry", 1, 0, 0, 0, NULL},
		{"allow_reentry,STRICT_ORDER", 1, FUNNEL_STRICT_ORDER | FUNNEL_ALLOW_REENTRY, 0, 0, NULL},
		{"Exclude refund Between 2 AND 3", 1, 0, 1, 0, "refund"},
		{"exclude \"a, \"\"b\"\" c\" between 1 and 2, breakdown step 2", 1, 0, 1, FUNNEL_BREAKDOWN_STEP, "a, \"b\" c"},
		{"any_order, breakdown first_touch", 1, 0, 0, FUNNEL_BREAKDOWN_FIRST_TOUCH, NULL},
		{"breakdown last_touch", 1, 0, 0, FUNNEL_BREAKDOWN_LAST_TOUCH, NULL},
		{"strict", 0, 0, 0, 0, NULL},
		{"strict_order,", 0, 0, 0, 0, NULL},
		{"exclude refund between 2", 0, 0, 0, 0, NULL},
		{"exclude refund between 0 and 2", 0, 0, 0, 0, NULL},
		{"exclude \"refund between 1 and 2", 0, 0, 0, 0, NULL},
		{"exclude \"\" between 1 and 2", 0, 0, 0, 0, NULL},
		{"breakdown step", 0, 0, 0, 0, NULL},
		{"breakdown first_touch, breakdown last_touch", 0, 0, 0, 0, NULL},
		{"any_order extra", 0, 0, 0, 0, NULL},
		{"\"strict_order\"", 0, 0, 0, 0, NULL},
	};
	int			bad = 0;
	size_t		i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		char		names[256];
		FunnelOptions opts;
		FunnelOptionsFailure fail;
		int			rc = cx_funnel_options_parse(cases[i].text, strlen(cases[i].text), names,
												 &opts, &fail);
		bool		ok = (rc == 0) == (cases[i].ok != 0);

		if (ok && rc == 0)
		{
			ok = opts.flags == cases[i].flags && opts.nexcl == cases[i].nexcl &&
				(int) opts.breakdown == cases[i].breakdown;
			if (ok && cases[i].first_name)
				ok = opts.excl[0].name_len == strlen(cases[i].first_name) &&
					memcmp(names + opts.excl[0].name_off, cases[i].first_name,
						   opts.excl[0].name_len) == 0;
		}
		if (ok && rc != 0)
			ok = fail.start <= strlen(cases[i].text) &&
				fail.len <= strlen(cases[i].text) - fail.start;
		if (!ok)
		{
			printf("parser case \"%s\" wrong (rc %d)\n", cases[i].text, rc);
			bad++;
		}
	}
	return bad;
}

int
main(int argc, char **argv)
{
	int			cases = argc > 1 ? atoi(argv[1]) : 20000;
	FunnelHooks hooks = {test_alloc, free, NULL};
	int			passed = 0;
	int			failed = check_parser();
	int			n_excluded = 0;
	int			n_shortened = 0;
	int			n_any_order = 0;
	int			i;

	rng_state = argc > 2 ? strtoull(argv[2], NULL, 10) : 42;
	for (i = 0; i < cases; i++)
	{
		FunnelEvent ev[14];
		FunnelExclusion excl[3];
		bool		large = rng() % 8 == 0;
		bool		any_order = rng() % 4 == 0;
		int			n = 1 + rng() % (large ? 12 : 9);
		int			nsteps = 2 + rng() % (large ? 4 : 3);
		int			words = any_order ? 0 : rng() % 64;
		int			nexcl = rng() % 4;
		int			flags = 0;
		int64_t		window = rng() % 8;
		int			span = 2 + rng() % 10;
		FunnelOutcome out;
		bool		excluded;
		Brute		b;
		int			j;
		int			x;
		bool		ok;

		if (any_order && nexcl > 1)
			nexcl = 1;
		for (x = 0; x < nexcl; x++)
		{
			excl[x].mask = UINT64_C(1) << (nsteps + x);
			if (any_order)
			{
				excl[x].from = 1;
				excl[x].to = nsteps;
			}
			else
			{
				excl[x].from = 1 + rng() % (nsteps - 1);
				excl[x].to = excl[x].from + 1 + rng() % (nsteps - excl[x].from);
			}
		}
		for (j = 0; j < n; j++)
		{
			ev[j].ts = rng() % span;
			switch (rng() % 7)
			{
				case 0:
					ev[j].mask = 0;
					break;
				case 1:
					ev[j].mask = rng() % (1u << nsteps);
					break;
				case 2:
				case 3:
					if (nexcl > 0)
					{
						/* an excluded event, sometimes also a step outside its range */
						x = rng() % nexcl;
						ev[j].mask = excl[x].mask;
						if (rng() % 3 == 0)
						{
							int			s = rng() % nsteps;

							if (s + 1 < excl[x].from || s + 1 > excl[x].to)
								ev[j].mask |= UINT64_C(1) << s;
						}
						break;
					}
					/* FALLTHROUGH */
				default:
					ev[j].mask = 1ull << (rng() % nsteps);
					break;
			}
			if (ev[j].mask == 0 && !(words & 1) && (rng() & 1))
				ev[j].mask = 1;
		}
		if (words)
		{
			static const char *const names[] = {
				"strict_order", "strict_deduplication", "strict_increase", "first_entry",
				"strict_once", "allow_reentry"
			};
			char		list[160] = "";
			char		nbuf[160];
			FunnelOptions opts;
			FunnelOptionsFailure fail;

			for (j = 0; j < 6; j++)
			{
				if ((words >> j) & 1)
				{
					if (list[0] != '\0')
						strcat(list, ", ");
					strcat(list, names[j]);
				}
			}
			if (cx_funnel_options_parse(list, strlen(list), nbuf, &opts, &fail) != 0)
			{
				printf("options \"%s\" refused\n", list);
				return 1;
			}
			flags = opts.flags;
		}
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
		b.excl = excl;
		b.nexcl = nexcl;
		if (any_order)
			brute_any_order(&b, 0, 0);
		else
			brute_search(&b, 0);
		cx_funnel_evaluate_excluding(ev, n, nsteps, window, flags, any_order, excl, nexcl,
									 true, &out, &excluded, &hooks);
		{
			bool		want_excluded = false;

			for (x = 0; x < nexcl; x++)
				if (b.best < excl[x].from && excl[x].from <= b.all)
					want_excluded = true;
			ok = out.level == b.best && excluded == want_excluded;
		}
		if (ok && !any_order && b.best > 0)
			ok = out.times[0] == b.best_start && out.times[b.best - 1] == b.best_finish;
		if (ok && any_order && out.level > 0)
			ok = out.times[out.level - 1] - out.times[0] <= window;
		n_excluded += excluded;
		n_shortened += !excluded && b.best < b.all;
		n_any_order += any_order;
		if (ok)
			passed++;
		else
		{
			failed++;
			if (failed <= 5)
			{
				printf("case %d: steps %d window %lld words %d any_order %d: got %d%s (%lld..%lld), brute force %d%s (%lld..%lld), all %d\n",
					   i, nsteps, (long long) window, words, any_order, out.level,
					   excluded ? " excluded" : "",
					   (long long) (out.level ? out.times[0] : -1),
					   (long long) (out.level ? out.times[out.level - 1] : -1),
					   b.best, "", (long long) b.best_start, (long long) b.best_finish, b.all);
				for (x = 0; x < nexcl; x++)
					printf("  exclude %llx between %d and %d\n",
						   (unsigned long long) excl[x].mask, excl[x].from, excl[x].to);
				for (j = 0; j < n; j++)
					printf("  ts %lld mask %llx\n", (long long) ev[j].ts,
						   (unsigned long long) ev[j].mask);
			}
		}
	}
	/* the cases must exercise the rules: say how many did */
	printf("(%d excluded customers, %d shortened by an exclusion, %d any_order)\n",
		   n_excluded, n_shortened, n_any_order);
	printf("funnel_options_check: %d passed, %d failed\n", passed, failed);
	return failed == 0 ? 0 : 1;
}
