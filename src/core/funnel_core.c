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

void
cx_funnel_evaluate(const FunnelEvent *events, size_t n, int nsteps,
				   int64_t window, int flags, bool want_times,
				   FunnelOutcome *out, const FunnelHooks *hooks)
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
	out->level = 0;
	for (k = 0; k <= nsteps; k++)
		valid[k] = false;
	if (want_times)
		times = hooks->alloc(sizeof(int64_t) * (nsteps + 1) * FUNNEL_MAX_STEPS);

	if (first_entry)
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
		 * Chains whose window has closed can never be extended.  The
		 * difference is taken unsigned: now >= start, and the true value may
		 * not fit in int64 for extreme timestamps.
		 */
		for (k = 1; k <= nsteps; k++)
		{
			if (valid[k] && (uint64_t) now - (uint64_t) start[k] > (uint64_t) window)
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

			/* the earliest finish wins; at the same finish, the latest start */
			if (reach > out->level ||
				(reach == out->level && now == best_finish && s > best_start))
			{
				out->level = reach;
				best_finish = now;
				best_start = s;
				if (want_times)
				{
					for (k = 0; k < k0; k++)
						out->times[k] = times[k0][k];
					for (k = k0; k < reach; k++)
						out->times[k] = now;
				}
			}

			for (k = k0 + 1; k <= reach; k++)
			{
				/* under strict_increase a group adds at most one step */
				if (increase && k - k0 > 1)
					continue;
				if ((updated[k] || survives[k]) && s <= start[k])
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
