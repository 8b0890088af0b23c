/*
 * funnel_core.c
 *		Backend-independent evaluation of a window funnel.
 *
 * Definitions (doc/reference.md, "window_funnel"):
 *
 * A chain is a list of distinct rows e1 .. ek where ei matches step i, the
 * times do not decrease (strictly increase under strict_increase) and
 * ts(ek) - ts(e1) <= window.  The result is the largest k of any chain.
 * Rows at the same instant have no known order among themselves, so they may
 * fill consecutive steps in whatever order suits the chain, but each row
 * fills at most one step (that is ClickHouse's strict_once, here always).
 *
 * The modes add rules about the rows "between ej and ej+1": the rows whose
 * time is strictly between ts(ej) and ts(ej+1).  Such rows are never in the
 * chain, and a row at the same instant as a chain row is never between
 * anything, so a tie never decides the answer:
 * - strict_order: every row between ej and ej+1 matches one of the steps
 *   2 .. j (a repeat of a step already reached, other than the first).  A row
 *   matching no step, only step 1, or only later steps breaks the chain
 *   (a d b c, a c b and a b a c reach 1, 1 and 2; a a b b c c reaches 3);
 * - allow_reentry (only with strict_order): rows matching step 1 are also
 *   allowed between ej and ej+1 (a b a c reaches 3);
 * - strict_deduplication: no row between ej and ej+1 matches any of the
 *   steps 1 .. j+1, steps 2 .. j+1 under strict_order with allow_reentry
 *   (step-1 rows are re-entries there, not repeats): a repeat of any step
 *   already reached ends the chain, and a chain may not skip an earlier row
 *   of its next step (a b b c reaches 2, a b c b d reaches 3);
 * - first_entry: e1 is at the time of the customer's first step-1 row.
 *
 * Algorithm: rows are processed by groups of equal time.  For every step k
 * we keep the chain reaching k that started latest among the chains that can
 * still be extended.  Whether a chain at step k can take a later row depends
 * only on k, its start (the window) and the rows after its last time, which
 * must all have been allowed between ek and ek+1: once the group of ek is
 * past, that is the same condition for every chain at step k.  So a later
 * start dominates, and a chain at step k that does not advance in a group
 * lives on only if every row of the group is allowed between ek and ek+1.
 * Within a group, the steps a chain can add are found by a bipartite matching
 * of steps to the group's rows (one row, one step); the common group of one
 * row needs no matching.  The cost is O(rows * steps) for groups of one row.
 */
#include "funnel_core.h"

#include <string.h>

#include "time_distance.h"

int
cx_funnel_event_cmp(const void *a, const void *b)
{
	const FunnelEvent *x = a;
	const FunnelEvent *y = b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	if (x->mask != y->mask)
		return x->mask < y->mask ? -1 : 1;
	return 0;
}

/* Scratch space for matching steps to the rows of one group. */
typedef struct GroupMatch
{
	const FunnelHooks *hooks;
	size_t		capacity;		/* allocated row types */
	size_t		ntypes;			/* distinct non-zero masks in the group */
	uint64_t   *type_mask;
	int		   *type_cap;		/* rows of that mask, at most nsteps */
	int		   *type_used;
	bool	   *type_seen;
	int			assigned[FUNNEL_MAX_STEPS];	/* row type of each step, -1 none */
	int			first_step;		/* steps first_step .. are being matched */
	int			nsteps;
} GroupMatch;

static void
group_match_reserve(GroupMatch *gm, size_t need)
{
	if (need <= gm->capacity)
		return;
	if (gm->capacity > 0)
	{
		gm->hooks->release(gm->type_mask);
		gm->hooks->release(gm->type_cap);
		gm->hooks->release(gm->type_used);
		gm->hooks->release(gm->type_seen);
	}
	gm->capacity = need < 16 ? 16 : need;
	gm->type_mask = gm->hooks->alloc(gm->capacity * sizeof(uint64_t));
	gm->type_cap = gm->hooks->alloc(gm->capacity * sizeof(int));
	gm->type_used = gm->hooks->alloc(gm->capacity * sizeof(int));
	gm->type_seen = gm->hooks->alloc(gm->capacity * sizeof(bool));
}

/* Collapse the group's rows into distinct masks with their counts. */
static void
group_match_load(GroupMatch *gm, const FunnelEvent *rows, size_t m, int nsteps)
{
	size_t		i;

	group_match_reserve(gm, m);
	gm->ntypes = 0;
	gm->nsteps = nsteps;
	for (i = 0; i < m; i++)
	{
		size_t		t;

		if (rows[i].mask == 0)
			continue;
		/* rows are sorted by mask within a group, so equal masks are adjacent */
		t = gm->ntypes;
		if (t > 0 && gm->type_mask[t - 1] == rows[i].mask)
		{
			if (gm->type_cap[t - 1] < nsteps)
				gm->type_cap[t - 1]++;
			continue;
		}
		gm->type_mask[t] = rows[i].mask;
		gm->type_cap[t] = 1;
		gm->ntypes++;
	}
}

/* Find a row type for step j, moving other steps if needed (Kuhn). */
static bool
group_match_augment(GroupMatch *gm, int j)
{
	size_t		t;

	for (t = 0; t < gm->ntypes; t++)
	{
		int			j2;

		if (((gm->type_mask[t] >> j) & 1) == 0 || gm->type_seen[t])
			continue;
		gm->type_seen[t] = true;
		if (gm->type_used[t] < gm->type_cap[t])
		{
			gm->type_used[t]++;
			gm->assigned[j] = (int) t;
			return true;
		}
		/* every row of this type is taken: try to move one of its steps */
		for (j2 = gm->first_step; j2 < gm->nsteps; j2++)
		{
			if (j2 == j || gm->assigned[j2] != (int) t)
				continue;
			gm->assigned[j2] = -1;
			if (group_match_augment(gm, j2))
			{
				gm->assigned[j] = (int) t;
				return true;
			}
			gm->assigned[j2] = (int) t;
		}
	}
	return false;
}

/*
 * The furthest step a chain that has reached step k0 (0: a new chain) can
 * reach using distinct rows of the loaded group, one per step.
 */
static int
group_match_reach(GroupMatch *gm, int k0)
{
	int			j;

	memset(gm->type_used, 0, gm->ntypes * sizeof(int));
	gm->first_step = k0;
	for (j = k0; j < gm->nsteps; j++)
		gm->assigned[j] = -1;
	for (j = k0; j < gm->nsteps; j++)
	{
		memset(gm->type_seen, 0, gm->ntypes * sizeof(bool));
		if (!group_match_augment(gm, j))
			return j;
	}
	return gm->nsteps;
}

/*
 * How many of the steps distinct rows of the loaded group fill, one row per
 * step, in any order (any_order): a maximum matching from scratch.
 */
static int
group_match_count(GroupMatch *gm)
{
	int			level = 0;
	int			j;

	memset(gm->type_used, 0, gm->ntypes * sizeof(int));
	gm->first_step = 0;
	for (j = 0; j < gm->nsteps; j++)
		gm->assigned[j] = -1;
	for (j = 0; j < gm->nsteps; j++)
	{
		memset(gm->type_seen, 0, gm->ntypes * sizeof(bool));
		if (group_match_augment(gm, j))
			level++;
	}
	return level;
}

/*
 * The smallest step k such that a chain at step k may have this row between
 * ek and ek+1 under strict_order: k must reach a step the row matches, other
 * than step 1 unless allow_reentry.  nsteps + 1 when no k may.
 */
static int
order_min_step(uint64_t mask, bool reentry, int nsteps)
{
	int			p = 0;

	if (!reentry)
		mask &= ~(uint64_t) 1;
	if (mask == 0)
		return nsteps + 1;
	/* the lowest matched step is step p + 1, allowed from k = p + 1 on */
	while (((mask >> p) & 1) == 0)
		p++;
	return p + 1;
}

/*
 * What cx_funnel_evaluate_excluding adds to one run of the evaluation: the
 * chains all start at anchor (as under first_entry), the exclusions apply,
 * and the best chain is kept across runs.
 */
typedef struct ExclusionRun
{
	/*
	 * clean_only: no anchor and no exclusion rules, but chains start only at
	 * "clean" instants, whose window holds no excluded event after them (no
	 * chain from there can be excluded)
	 */
	bool		clean_only;
	int64_t		anchor;
	const FunnelExclusion *excl;
	int			nexcl;			/* exclusions applied (0 when clean_only) */
	int			nnext;			/* exclusions of next[] */
	/* next[x][i]: time of the first row >= i (absolute) with exclusion x's event */
	const int64_t *const *next;
	const bool *const *has_next;
	size_t		base;			/* absolute index of events[0] */
	int64_t		best_finish;
	int64_t		best_start;
} ExclusionRun;

static void funnel_run(const FunnelEvent *events, size_t n, int nsteps,
					   int64_t window, int flags, bool want_times,
					   FunnelOutcome *out, const FunnelHooks *hooks,
					   ExclusionRun *run);

void
cx_funnel_evaluate(const FunnelEvent *events, size_t n, int nsteps,
				   int64_t window, int flags, bool want_times,
				   FunnelOutcome *out, const FunnelHooks *hooks)
{
	out->level = 0;
	funnel_run(events, n, nsteps, window, flags, want_times, out, hooks, NULL);
}

/*
 * Does exclusion x's next excluded event after the group ending at gend lie
 * within window of from (at most from + window)?
 */
static inline bool
run_next_within(const ExclusionRun *run, int x, size_t gend, int64_t from, int64_t window)
{
	size_t		at = run->base + gend;

	return run->has_next[x][at] && cx_time_within(from, run->next[x][at], (uint64_t) window);
}

/*
 * Can the chain reaching step k in this group from step k0 still be
 * extended?  Not when an excluded event of the group is strictly between
 * its step i (earlier group) and its future step j (k < j).
 */
static bool
run_dead(const ExclusionRun *run, uint64_t group_union, int k0, int k)
{
	int			x;

	for (x = 0; x < run->nexcl; x++)
	{
		const FunnelExclusion *e = &run->excl[x];

		if (e->from <= k0 && k < e->to && (group_union & e->mask) != 0)
			return true;
	}
	return false;
}

/*
 * Is the chain reaching step k in the group [gstart, gend) at time now from
 * a chain at step k0 (< k) excluded?  (a) an excluded event in the group is
 * strictly after the chain's step i (i <= k0, an earlier group) and strictly
 * before its step j (k < j: a later group); (b) the chain stops at k < j and
 * an excluded event lies after now, up to and including start + window.
 */
static bool
run_excluded(const ExclusionRun *run, uint64_t group_union, size_t gend,
			 int k0, int k, int64_t start, int64_t window)
{
	int			x;

	/* (a) is run_dead's test: from <= k0 < k already puts k past from */
	if (run_dead(run, group_union, k0, k))
		return true;
	for (x = 0; x < run->nexcl; x++)
	{
		const FunnelExclusion *e = &run->excl[x];

		if (k >= e->from && k < e->to && run_next_within(run, x, gend, start, window))
			return true;
	}
	return false;
}

/*
 * Is the instant now, whose group ends at gend, clean: no excluded event
 * strictly after it within its window?
 */
static bool
run_clean_start(const ExclusionRun *run, size_t gend, int64_t now, int64_t window)
{
	int			x;

	for (x = 0; x < run->nnext; x++)
	{
		if (run_next_within(run, x, gend, now, window))
			return false;
	}
	return true;
}

static void
funnel_run(const FunnelEvent *events, size_t n, int nsteps,
		   int64_t window, int flags, bool want_times,
		   FunnelOutcome *out, const FunnelHooks *hooks, ExclusionRun *run)
{
	/* valid[k]: the latest-starting extendable chain that reached step k */
	bool		valid[FUNNEL_MAX_STEPS + 1];
	int64_t		start[FUNNEL_MAX_STEPS + 1];
	bool		survives[FUNNEL_MAX_STEPS + 1];
	bool		updated[FUNNEL_MAX_STEPS + 1];
	int64_t    (*times)[FUNNEL_MAX_STEPS] = NULL;
	bool		strict_order = (flags & FUNNEL_STRICT_ORDER) != 0;
	bool		dedup = (flags & FUNNEL_STRICT_DEDUPLICATION) != 0;
	bool		increase = (flags & FUNNEL_STRICT_INCREASE) != 0;
	bool		first_entry = (flags & FUNNEL_FIRST_ENTRY) != 0;
	bool		reentry = strict_order && (flags & FUNNEL_ALLOW_REENTRY) != 0;
	/* step-1 rows are re-entries, not repeats, under allow_reentry */
	uint64_t	dedup_skip = reentry ? 1 : 0;
	bool		have_first = false;
	int64_t		first_time = 0;
	int64_t		best_finish = 0;
	int64_t		best_start = 0;
	GroupMatch	gm;
	size_t		g;
	size_t		groups = 0;
	int			k;

	memset(&gm, 0, sizeof(gm));
	gm.hooks = hooks;
	if (run)
	{
		best_finish = run->best_finish;
		best_start = run->best_start;
	}
	for (k = 0; k <= nsteps; k++)
		valid[k] = false;
	if (want_times)
		times = hooks->alloc(sizeof(int64_t) * (nsteps + 1) * FUNNEL_MAX_STEPS);

	if (run && !run->clean_only)
	{
		/* every chain of this run starts at the anchor */
		first_entry = true;
		have_first = true;
		first_time = run->anchor;
	}
	else if (first_entry)
	{
		/* the window is anchored at the first step-1 row, as Mixpanel does */
		for (g = 0; g < n; g++)
		{
			if ((g & 0xFFFF) == 0 && hooks->check_interrupts)
				hooks->check_interrupts();
			if (events[g].mask & 1)
			{
				have_first = true;
				first_time = events[g].ts;
				break;
			}
		}
		if (!have_first)
			goto done;
	}

	for (g = 0; g < n;)
	{
		int64_t		now = events[g].ts;
		uint64_t	group_union = events[g].mask;
		size_t		end = g + 1;
		size_t		m;
		bool		matched_loaded = false;
		int			k0;
		int			order_from = 1;

		while (end < n && events[end].ts == now)
			group_union |= events[end++].mask;
		m = end - g;
		/* an anchored run ends with its window */
		if (run && !run->clean_only && !cx_time_within(run->anchor, now, (uint64_t) window))
			break;
		if (strict_order)
		{
			size_t		i;

			/*
			 * Under strict_order, chains at steps >= order_from may have
			 * every row of the group between their last row and their next.
			 */
			for (i = g; i < end && order_from <= nsteps; i++)
			{
				int			from = order_min_step(events[i].mask, reentry, nsteps);

				if (from > order_from)
					order_from = from;
			}
		}
		if ((++groups & 1023) == 0 && hooks->check_interrupts)
			hooks->check_interrupts();

		/*
		 * Chains whose window has closed can never be extended
		 * (time_distance.h: exact, and an infinite time is out of every
		 * finite one's window).
		 */
		for (k = 1; k <= nsteps; k++)
		{
			if (valid[k] && !cx_time_within(start[k], now, (uint64_t) window))
				valid[k] = false;
			/*
			 * A chain at step k that does not advance in this group has all
			 * of the group's rows between ek and ek+1: it survives only if
			 * the modes allow each of them there.  Under strict_deduplication
			 * none may match steps 1 .. k+1 (bit k: step k+1).
			 */
			survives[k] = valid[k];
			if (strict_order && k < order_from)
				survives[k] = false;
			if (dedup && k < nsteps)
			{
				uint64_t	repeats = (UINT64_C(2) << k) - 1;

				if (group_union & repeats & ~dedup_skip)
					survives[k] = false;
			}
			/* an excluded event after step i ends the chains short of step j */
			if (run && survives[k] && run_dead(run, group_union, k, k))
				survives[k] = false;
			updated[k] = false;
		}

		/*
		 * Candidates in descending step order, updating in place: a
		 * candidate only writes steps above its own, which later (lower)
		 * candidates never read.
		 */
		for (k0 = nsteps - 1; k0 >= 0; k0--)
		{
			int64_t		s;
			int			reach;

			if (k0 == 0)
			{
				if ((group_union & 1) == 0 || (first_entry && now != first_time))
					continue;
				if (run && run->clean_only && !run_clean_start(run, end, now, window))
					continue;
				s = now;
			}
			else
			{
				if (!valid[k0])
					continue;
				s = start[k0];
			}

			if (increase || m == 1)
				reach = k0 + (int) ((group_union >> k0) & 1);
			else
			{
				if (!matched_loaded)
				{
					group_match_load(&gm, events + g, m, nsteps);
					matched_loaded = true;
				}
				reach = group_match_reach(&gm, k0);
			}
			if (reach == k0)
				continue;

			/*
			 * The earliest finish wins; at the same finish, the latest start.
			 * With exclusions, the furthest level of this candidate whose
			 * chain is not excluded counts.
			 */
			{
				int			level = reach;

				while (run && level > k0 &&
					   run_excluded(run, group_union, end, k0, level, s, window))
					level--;
				if (level > k0 &&
					(level > out->level ||
					 (level == out->level &&
					  (now < best_finish || (now == best_finish && s > best_start)))))
				{
					out->level = level;
					best_finish = now;
					best_start = s;
					if (want_times)
					{
						for (k = 0; k < k0; k++)
							out->times[k] = times[k0][k];
						for (k = k0; k < level; k++)
							out->times[k] = now;
					}
				}
			}

			for (k = k0 + 1; k <= reach; k++)
			{
				/* under strict_increase a group adds at most one step */
				if (increase && k - k0 > 1)
					continue;
				if ((updated[k] || survives[k]) && s <= start[k])
					continue;
				if (run && run_dead(run, group_union, k0, k))
					continue;
				if (want_times)
				{
					if (k0 > 0)
						memcpy(times[k], times[k0], sizeof(int64_t) * k0);
					for (int i = k0; i < k; i++)
						times[k][i] = now;
				}
				valid[k] = true;
				start[k] = s;
				updated[k] = true;
			}
		}

		for (k = 1; k <= nsteps; k++)
			if (!updated[k] && !survives[k])
				valid[k] = false;
		g = end;
	}

done:
	if (run)
	{
		run->best_finish = best_finish;
		run->best_start = best_start;
	}
	if (gm.capacity > 0)
	{
		hooks->release(gm.type_mask);
		hooks->release(gm.type_cap);
		hooks->release(gm.type_used);
		hooks->release(gm.type_seen);
	}
	if (times)
		hooks->release(times);
}

/*
 * For each exclusion, the time of the first row at or after each index
 * whose mask has the exclusion's event (has[x][i] false when none).
 */
static void
exclusion_next_times(const FunnelEvent *events, size_t n, const FunnelExclusion *excl,
					 int nexcl, int64_t **next, bool **has, const FunnelHooks *hooks)
{
	int			x;

	for (x = 0; x < nexcl; x++)
	{
		size_t		i = n;

		next[x] = hooks->alloc(sizeof(int64_t) * (n + 1));
		has[x] = hooks->alloc(sizeof(bool) * (n + 1));
		next[x][n] = 0;
		has[x][n] = false;
		while (i-- > 0)
		{
			if (events[i].mask & excl[x].mask)
			{
				next[x][i] = events[i].ts;
				has[x][i] = true;
			}
			else
			{
				next[x][i] = next[x][i + 1];
				has[x][i] = has[x][i + 1];
			}
		}
	}
}

/*
 * The largest number of distinct steps rows[0 .. m) can fill, one row per
 * step, with the row count of each step used (times: the rows' times, in
 * time order, when times is not NULL).  rows[0] is kept in the answer when
 * it matches a step: a maximum matching can always be changed to use it.
 */
static int
any_order_match(GroupMatch *gm, const FunnelEvent *rows, size_t m, int nsteps,
				int64_t *times, int8_t *step_row)
{
	uint64_t	steps_mask = nsteps == 64 ? ~UINT64_C(0) : (UINT64_C(1) << nsteps) - 1;
	size_t		i;
	size_t		t;
	int			j;
	int			level;

	group_match_reserve(gm, m);
	gm->ntypes = 0;
	gm->nsteps = nsteps;
	for (i = 0; i < m; i++)
	{
		uint64_t	mask = rows[i].mask & steps_mask;

		if (mask == 0)
			continue;
		for (t = 0; t < gm->ntypes; t++)
			if (gm->type_mask[t] == mask)
				break;
		if (t == gm->ntypes)
		{
			gm->type_mask[t] = mask;
			gm->type_cap[t] = 0;
			gm->ntypes++;
		}
		if (gm->type_cap[t] < nsteps)
			gm->type_cap[t]++;
	}
	level = group_match_count(gm);
	/* keep rows[0]: its type is type 0; move one of its steps onto it */
	if (gm->ntypes > 0 && gm->type_used[0] == 0)
	{
		for (j = 0; j < nsteps; j++)
		{
			if ((gm->type_mask[0] >> j) & 1)
			{
				/* matched, or the matching would not be maximum */
				gm->type_used[gm->assigned[j]]--;
				gm->assigned[j] = 0;
				gm->type_used[0]++;
				break;
			}
		}
	}
	if (times)
	{
		int			k = 0;
		int			row_type[FUNNEL_MAX_STEPS];
		bool		row_taken[FUNNEL_MAX_STEPS];

		/* the earliest rows of each type: rows are in time order */
		for (t = 0; t < gm->ntypes; t++)
			gm->type_cap[t] = gm->type_used[t];
		for (i = 0; i < m && k < level; i++)
		{
			uint64_t	mask = rows[i].mask & steps_mask;

			if (mask == 0)
				continue;
			for (t = 0; t < gm->ntypes; t++)
				if (gm->type_mask[t] == mask)
					break;
			if (gm->type_cap[t] > 0)
			{
				gm->type_cap[t]--;
				row_type[k] = (int) t;
				row_taken[k] = false;
				times[k++] = rows[i].ts;
			}
		}

		/*
		 * Each step's row: the steps a row type fills take its chosen rows
		 * in step order, the lower step the earlier row (rows of one type
		 * are interchangeable, so this only fixes one answer).
		 */
		for (j = 0; j < nsteps; j++)
		{
			step_row[j] = -1;
			if (gm->assigned[j] < 0)
				continue;
			for (k = 0; k < level; k++)
			{
				if (!row_taken[k] && row_type[k] == gm->assigned[j])
				{
					row_taken[k] = true;
					step_row[j] = (int8_t) k;
					break;
				}
			}
		}
	}
	return level;
}

/*
 * The rows [lo, hi) of a sliding window, counted by mask (masks restricted
 * to the steps; rows matching no step left out), so that each window of
 * any_order costs a matching over its few distinct masks, not a pass over
 * its rows.
 */
typedef struct SlideCounts
{
	size_t		lo;
	size_t		hi;
	size_t		ntypes;
	uint64_t   *mask;			/* room for one type per row */
	int64_t    *count;
} SlideCounts;

static void
slide_add(SlideCounts *sc, uint64_t mask, int64_t delta)
{
	size_t		t;

	if (mask == 0)
		return;
	for (t = 0; t < sc->ntypes; t++)
	{
		if (sc->mask[t] == mask)
		{
			sc->count[t] += delta;
			return;
		}
	}
	sc->mask[t] = mask;
	sc->count[t] = delta;
	sc->ntypes++;
}

/* Move the window to [lo, hi) (both never decrease). */
static void
slide_to(SlideCounts *sc, const FunnelEvent *events, uint64_t steps_mask, size_t lo, size_t hi)
{
	if (hi < lo)
		hi = lo;
	while (sc->hi < hi)
		slide_add(sc, events[sc->hi++].mask & steps_mask, 1);
	while (sc->lo < lo)
	{
		if (sc->lo < sc->hi)
			slide_add(sc, events[sc->lo].mask & steps_mask, -1);
		sc->lo++;
	}
	if (sc->hi < sc->lo)
		sc->hi = sc->lo;
}

/* The most distinct steps the counted rows fill, one row per step. */
static int
slide_level(GroupMatch *gm, const SlideCounts *sc, int nsteps)
{
	size_t		t;

	gm->ntypes = 0;
	gm->nsteps = nsteps;
	for (t = 0; t < sc->ntypes; t++)
	{
		if (sc->count[t] <= 0)
			continue;
		gm->type_mask[gm->ntypes] = sc->mask[t];
		gm->type_cap[gm->ntypes] = sc->count[t] < nsteps ? (int) sc->count[t] : nsteps;
		gm->ntypes++;
	}
	return group_match_count(gm);
}

/*
 * any_order: over every window starting at a row matching a step, the rows
 * of [s, s + window].  Exclusions span all steps: with an excluded event at
 * e, the first after s, within the window, the only chains from s that are
 * not excluded are complete ones within [s, e].
 */
static void
any_order_evaluate(const FunnelEvent *events, size_t n, int nsteps, int64_t window,
				   const FunnelExclusion *excl, int nexcl, bool want_times,
				   FunnelOutcome *out, int *all_level, const FunnelHooks *hooks)
{
	uint64_t	steps_mask = nsteps == 64 ? ~UINT64_C(0) : (UINT64_C(1) << nsteps) - 1;
	uint64_t	excl_mask = 0;
	GroupMatch	gm;
	size_t		g;
	size_t		end = 0;
	size_t		next_excl = 0;	/* first excluded-event row after the start */
	bool		started = false;
	int64_t		last_start = 0;
	int			x;

	SlideCounts whole;			/* the window [g, end) */
	SlideCounts clean;			/* [g, stop): up to the first excluded event */

	memset(&gm, 0, sizeof(gm));
	gm.hooks = hooks;
	for (x = 0; x < nexcl; x++)
		excl_mask |= excl[x].mask;
	out->level = 0;
	memset(out->step_row, -1, sizeof(out->step_row));
	*all_level = 0;
	if (n == 0)
		return;
	group_match_reserve(&gm, n);
	memset(&whole, 0, sizeof(whole));
	memset(&clean, 0, sizeof(clean));
	whole.mask = hooks->alloc(n * sizeof(uint64_t));
	whole.count = hooks->alloc(n * sizeof(int64_t));
	clean.mask = hooks->alloc(n * sizeof(uint64_t));
	clean.count = hooks->alloc(n * sizeof(int64_t));
	for (g = 0; g < n; g++)
	{
		int64_t		s = events[g].ts;
		size_t		stop;
		int			level;

		/* every start: a window may hold many rows */
		if (hooks->check_interrupts)
			hooks->check_interrupts();
		/* windows start at the first row of each instant that matches a step */
		if ((events[g].mask & steps_mask) == 0 || (started && s == last_start))
			continue;
		started = true;
		last_start = s;
		if (end < g)
			end = g;
		while (end < n && cx_time_within(s, events[end].ts, (uint64_t) window))
			end++;
		if (next_excl < g)
			next_excl = g;
		while (next_excl < n && (events[next_excl].ts <= s || (events[next_excl].mask & excl_mask) == 0))
			next_excl++;
		slide_to(&whole, events, steps_mask, g, end);
		level = slide_level(&gm, &whole, nsteps);
		if (level > *all_level)
			*all_level = level;
		stop = end;
		if (nexcl > 0 && next_excl < end)
		{
			/* rows up to and including the excluded event's instant */
			stop = next_excl;
			while (stop < n && events[stop].ts == events[next_excl].ts)
				stop++;
			slide_to(&clean, events, steps_mask, g, stop);
			level = slide_level(&gm, &clean, nsteps);
			if (level < nsteps)
				continue;
		}
		/* the first window with the most steps wins */
		if (level > out->level)
		{
			out->level = any_order_match(&gm, events + g, stop - g, nsteps,
										 want_times ? out->times : NULL, out->step_row);
		}
	}
	hooks->release(whole.mask);
	hooks->release(whole.count);
	hooks->release(clean.mask);
	hooks->release(clean.count);
	if (gm.capacity > 0)
	{
		hooks->release(gm.type_mask);
		hooks->release(gm.type_cap);
		hooks->release(gm.type_used);
		hooks->release(gm.type_seen);
	}
}

void
cx_funnel_evaluate_excluding(const FunnelEvent *events, size_t n, int nsteps,
							 int64_t window, int flags, bool any_order,
							 const FunnelExclusion *excl, int nexcl,
							 bool want_times, FunnelOutcome *out,
							 bool *excluded, const FunnelHooks *hooks)
{
	int64_t    *next[64];
	bool	   *has[64];
	FunnelOutcome all;
	ExclusionRun run;
	int			x;
	size_t		g;

	*excluded = false;
	if (any_order)
	{
		any_order_evaluate(events, n, nsteps, window, excl, nexcl, want_times, out,
						   &all.level, hooks);
	}
	else
	{
		uint64_t	excl_mask = 0;
		uint64_t	seen = 0;

		out->level = 0;
		for (x = 0; x < nexcl; x++)
			excl_mask |= excl[x].mask;
		for (g = 0; g < n && (seen & excl_mask) == 0; g++)
			seen |= events[g].mask;
		/* no excluded event among the rows: window_funnel's chains, once */
		if ((seen & excl_mask) == 0)
		{
			funnel_run(events, n, nsteps, window, flags, want_times, out, hooks, NULL);
			return;
		}
		/* how far the chains go, excluded or not */
		all.level = 0;
		funnel_run(events, n, nsteps, window, flags, false, &all, hooks, NULL);
		if (nexcl > 64)
			nexcl = 64;
		exclusion_next_times(events, n, excl, nexcl, next, has, hooks);
		memset(&run, 0, sizeof(run));
		run.excl = excl;
		run.nexcl = nexcl;
		run.next = (const int64_t *const *) next;
		run.has_next = (const bool *const *) has;
		run.nnext = nexcl;
		/*
		 * One anchored run per start whose window holds an excluded event
		 * (the first step-1 instant only under first_entry); the chains
		 * from every other start cannot be excluded: one run takes them all.
		 */
		for (g = 0; g < n;)
		{
			size_t		end = g;
			bool		step1 = false;

			while (end < n && events[end].ts == events[g].ts)
				step1 |= (events[end++].mask & 1) != 0;
			if (step1)
			{
				run.base = 0;
				if (!run_clean_start(&run, end, events[g].ts, window))
				{
					/* each run may be short: check between runs too */
					if (hooks->check_interrupts)
						hooks->check_interrupts();
					run.anchor = events[g].ts;
					run.base = g;
					funnel_run(events + g, n - g, nsteps, window, flags, want_times,
							   out, hooks, &run);
				}
				if (flags & FUNNEL_FIRST_ENTRY)
					break;
			}
			g = end;
		}
		run.clean_only = true;
		run.nexcl = 0;
		run.base = 0;
		funnel_run(events, n, nsteps, window, flags, want_times, out, hooks, &run);
		for (x = 0; x < nexcl; x++)
		{
			hooks->release(next[x]);
			hooks->release(has[x]);
		}
	}
	/* excluded: for some exclusion, chains reach step i, none of them kept */
	for (x = 0; x < nexcl; x++)
	{
		if (out->level < excl[x].from && excl[x].from <= all.level)
			*excluded = true;
	}
}
