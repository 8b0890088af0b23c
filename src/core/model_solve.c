/*
 * model_solve.c
 *		The absorbing-chain solver of journey_model (rules in model_solve.h).
 */
#include "model_solve.h"

#include <float.h>
#include <math.h>
#include <string.h>

/* Whether an entry is an edge to another state of the chain (not an end, the target or a removal). */
static inline bool
cx_chain_edge(const CxChain *chain, int64_t e, uint32_t target, uint32_t removed)
{
	return chain->label[e] != removed && chain->label[e] != target && chain->dest[e] >= 0;
}

/*
 * The workspace, carved in this order: the reverse graph's starts, the
 * direct solve's matrix (with its two right-hand columns) and pivots, sized
 * for CX_CHAIN_DIRECT_MAX states at most (only the states that reach the
 * target go into it), then the reverse edges, the reached and affected
 * marks and a queue.
 */
typedef struct CxChainSpace
{
	int64_t    *rev_start;		/* nstates + 1 */
	double	   *a;				/* direct_max * (direct_max + 2) */
	double	   *pivot;			/* direct_max */
	int32_t    *rev;			/* entries */
	int32_t    *reach;			/* nstates */
	int32_t    *affected;		/* nstates */
	int32_t    *queue;			/* nstates */
	int32_t		direct_max;		/* the most states the matrix holds */
} CxChainSpace;

static void
cx_chain_space(const CxChain *chain, void *workspace, CxChainSpace *space)
{
	int32_t		n = chain->nstates;
	int32_t		dm = n < CX_CHAIN_DIRECT_MAX ? n : CX_CHAIN_DIRECT_MAX;

	space->direct_max = dm;
	space->rev_start = (int64_t *) workspace;
	space->a = (double *) (space->rev_start + n + 1);
	space->pivot = space->a + (size_t) dm * (dm + 2);
	space->rev = (int32_t *) (space->pivot + dm);
	space->reach = space->rev + chain->row_start[n];
	space->affected = space->reach + n;
	space->queue = space->affected + n;
}

size_t
cx_chain_workspace_size(const CxChain *chain)
{
	size_t		n = (size_t) chain->nstates;
	size_t		dm = n < CX_CHAIN_DIRECT_MAX ? n : CX_CHAIN_DIRECT_MAX;
	size_t		entries = (size_t) chain->row_start[chain->nstates];

	return sizeof(int64_t) * (n + 1) + sizeof(double) * dm * (dm + 3) +
		sizeof(int32_t) * (entries + 3 * n) + 8;
}

/*
 * The states with a move on label, and those with a path to one, on the
 * reverse graph of edges between states: mark[s] = 0 for them, -1 for the
 * others.  queue is scratch.
 */
static void
cx_chain_mark_upstream(const CxChain *chain, uint32_t label, const int64_t *rev_start,
					   const int32_t *rev, int32_t *queue, int32_t *mark)
{
	int32_t		n = chain->nstates;
	int32_t		head = 0,
				tail = 0,
				s;
	int64_t		e;

	for (s = 0; s < n; s++)
	{
		mark[s] = -1;
		for (e = chain->row_start[s]; e < chain->row_start[s + 1]; e++)
			if (chain->label[e] == label)
			{
				mark[s] = 0;
				queue[tail++] = s;
				break;
			}
	}
	while (head < tail)
	{
		int32_t		t = queue[head++];

		for (e = rev_start[t]; e < rev_start[t + 1]; e++)
			if (mark[rev[e]] < 0)
			{
				mark[rev[e]] = 0;
				queue[tail++] = rev[e];
			}
	}
}

/*
 * Build the reverse graph of the edges between states into rev_start and
 * rev, and mark the states from which a path reaches the target: reach[s]
 * = 0 for them, -1 for the others, whose h is 0.
 */
static void
cx_chain_reach(const CxChain *chain, uint32_t target, uint32_t removed,
			   int64_t *rev_start, int32_t *rev, int32_t *queue, int32_t *reach)
{
	int32_t		n = chain->nstates;
	int32_t		s;
	int64_t		e;

	memset(rev_start, 0, sizeof(int64_t) * (n + 1));
	for (s = 0; s < n; s++)
		for (e = chain->row_start[s]; e < chain->row_start[s + 1]; e++)
			if (cx_chain_edge(chain, e, target, removed))
				rev_start[chain->dest[e] + 1]++;
	for (s = 0; s < n; s++)
		rev_start[s + 1] += rev_start[s];
	for (s = 0; s < n; s++)
		for (e = chain->row_start[s]; e < chain->row_start[s + 1]; e++)
			if (cx_chain_edge(chain, e, target, removed))
				rev[rev_start[chain->dest[e]]++] = s;
	/* (each start moved to the next one's: shift back) */
	for (s = n; s > 0; s--)
		rev_start[s] = rev_start[s - 1];
	rev_start[0] = 0;

	if (target == removed)
	{
		/* a removed target is never reached */
		for (s = 0; s < n; s++)
			reach[s] = -1;
		return;
	}
	cx_chain_mark_upstream(chain, target, rev_start, rev, queue, reach);
}

/*
 * Carve the workspace into space and mark in space->reach the states from
 * which the target can be reached; returns how many there are (m), by
 * which a solve chooses its method.  Both methods start from this.
 */
static int32_t
cx_chain_prepare(const CxChain *chain, uint32_t target, uint32_t removed, void *workspace,
				 CxChainSpace *space)
{
	int32_t		m = 0,
				s;

	cx_chain_space(chain, workspace, space);
	cx_chain_reach(chain, target, removed, space->rev_start, space->rev, space->queue,
				   space->reach);
	for (s = 0; s < chain->nstates; s++)
		if (space->reach[s] >= 0)
			m++;
	return m;
}

/*
 * The direct solve of the m states that reach the target, prepared in
 * space; it numbers them in space->reach, so it is the last use of it.
 */
static double
cx_chain_direct_prepared(const CxChain *chain, uint32_t target, uint32_t removed,
						 CxChainSpace *space, int32_t m, double *h)
{
	int32_t		n = chain->nstates;
	int64_t		entries = chain->row_start[n];
	double	   *a = space->a;
	double	   *pivot = space->pivot;
	int32_t    *row = space->reach;
	int32_t		s,
				i,
				r,
				j;
	int64_t		e;
	size_t		w;

	/* the workspace holds the matrix of CX_CHAIN_DIRECT_MAX states at most */
	if (m > space->direct_max)
		return -1;

	/*
	 * h is 0 on the states that cannot reach the target, and on the others
	 * the system is non-singular: they are the rows, in state order.
	 */
	r = 0;
	for (s = 0; s < n; s++)
		if (row[s] >= 0)
			row[s] = r++;

	/*
	 * Over the reached states, row-major: the probabilities of moving to
	 * each other reached state, then in column m of reaching the target and
	 * in column m + 1 of leaving for good (the end, a removed label, or a
	 * state that cannot reach the target).  Self-loops are left out: they
	 * only delay the next move.
	 */
	w = (size_t) m + 2;
	memset(a, 0, sizeof(double) * (size_t) m * w);
	for (s = 0; s < n; s++)
	{
		double	   *ar;

		if (row[s] < 0)
			continue;
		ar = a + (size_t) row[s] * w;
		for (e = chain->row_start[s]; e < chain->row_start[s + 1]; e++)
		{
			if (chain->label[e] == removed)
				ar[m + 1] += chain->prob[e];
			else if (chain->label[e] == target)
				ar[m] += chain->prob[e];
			else if (chain->dest[e] >= 0 && row[chain->dest[e]] >= 0)
			{
				if (chain->dest[e] != s)
					ar[row[chain->dest[e]]] += chain->prob[e];
			}
			else
				ar[m + 1] += chain->prob[e];
		}
	}

	/*
	 * State reduction without subtraction (Grassmann, Taksar and Heyman):
	 * state i is taken out of the chain by sending each move into it on to
	 * where i moves next, in proportion.  The pivot, the probability of
	 * leaving i for anywhere else, is a sum of what i moves to, never 1
	 * minus its self-loop, so a chain that stays in a state with probability
	 * 1 - 1e-17 keeps its few exits exactly (Gaussian elimination computed 1
	 * - p there and lost them).
	 */
	for (i = 0; i < m; i++)
	{
		double	   *ai = a + (size_t) i * w;
		double		d = ai[m] + ai[m + 1];

		if (chain->interrupt)
			chain->interrupt(chain->interrupt_arg);
		for (j = i + 1; j < m; j++)
			d += ai[j];
		pivot[i] = d;
		if (d == 0.0)
			continue;			/* cannot happen on reached states; x = 0 */
		for (r = i + 1; r < m; r++)
		{
			double	   *ar = a + (size_t) r * w;
			double		f = ar[i] / d;

			if (f == 0.0)
				continue;
			ar[i] = 0.0;
			for (j = i + 1; j < m + 2; j++)
				if (j != r)
					ar[j] += f * ai[j];
		}
	}
	/* back substitution, every term non-negative: x[i] into column m */
	for (i = m - 1; i >= 0; i--)
	{
		double	   *ai = a + (size_t) i * w;
		double		sum = ai[m];

		for (j = i + 1; j < m; j++)
			sum += ai[j] * a[(size_t) j * w + m];
		ai[m] = pivot[i] != 0.0 ? sum / pivot[i] : 0.0;
	}
	for (s = 0; s < n; s++)
	{
		double		x = row[s] < 0 ? 0.0 : a[(size_t) row[s] * w + m];

		/* a probability: clamp the rounding */
		h[s] = x < 0.0 ? 0.0 : x > 1.0 ? 1.0 : x;
	}
	return (double) m * m * m / 3.0 + (double) entries;
}

double
cx_chain_solve_direct(const CxChain *chain, uint32_t target, uint32_t removed,
					  double *h, void *workspace)
{
	CxChainSpace space;
	int32_t		m = cx_chain_prepare(chain, target, removed, workspace, &space);

	return cx_chain_direct_prepared(chain, target, removed, &space, m, h);
}

/*
 * One Gauss-Seidel sweep of one bound over the states that reach the
 * target, in place, from the first state to the last or (backward) the
 * other way; upper says which bound x is.  Returns the largest change of a
 * value relative to the value.
 *
 * A state's value is sum / leave: the probability of the target among the
 * moves out of it, a self-loop (a label repeated) solved exactly by leaving
 * it out, the probability of leaving summed from the other moves rather
 * than taken as 1 - the loop's, which loses them when the loop is near 1.
 * A state that only loops on itself never ends: 0.
 *
 * The value is computed with rounding, and on a chain that mixes slowly
 * the rounding of every sweep adds up (a ring of 3,000 states, each leaving
 * it once in 10^8, came out 2e-10 off); so it is moved outward by a bound
 * on its relative rounding error, (k + 4) ulps for a row of k entries (k
 * products and sums in each of sum and leave, one quotient, the move
 * itself), and a bound never moves back.  Then, by induction over the
 * updates, the upper bound stays at or above the exact solution for the
 * chain's probabilities and the lower one at or below it, since the exact
 * update is monotone.
 */
static double
cx_chain_sweep(const CxChain *chain, uint32_t target, uint32_t removed,
			   const int32_t *reach, double *x, bool upper, bool backward)
{
	double		moved = 0.0;
	int32_t		i;

	for (i = 0; i < chain->nstates; i++)
	{
		int32_t		s = backward ? chain->nstates - 1 - i : i;
		int64_t		first = chain->row_start[s];
		int64_t		last = chain->row_start[s + 1];
		double		sum = 0.0;
		double		leave = 0.0;
		double		slack;
		double		value;
		int64_t		e;

		if (reach[s] < 0)
			continue;
		for (e = first; e < last; e++)
		{
			/* a removed label's move is an end */
			if (chain->label[e] == removed)
				;
			else if (chain->label[e] == target)
				sum += chain->prob[e];
			else if (chain->dest[e] == s)
				continue;
			else if (chain->dest[e] >= 0)
				sum += chain->prob[e] * x[chain->dest[e]];
			leave += chain->prob[e];
		}
		value = leave > 0.0 ? sum / leave : 0.0;
		slack = (double) (last - first + 4) * DBL_EPSILON;
		/* outward, within [0, 1], and never back */
		if (upper)
			value = fmin(fmin(value * (1.0 + slack), 1.0), x[s]);
		else
			value = fmax(value * (1.0 - slack), x[s]);
		if (value != x[s])
			moved = fmax(moved, fabs(value - x[s]) / value);
		x[s] = value;
	}
	return moved;
}

/* The sweeps over the m states that reach the target, prepared in space. */
static double
cx_chain_sweeps_prepared(const CxChain *chain, uint32_t target, uint32_t removed,
						 CxChainSpace *space, int32_t m, bool warm, int32_t focus,
						 double focus_scale, double *h, double *lower, double max_work)
{
	int32_t		n = chain->nstates;
	int64_t		entries = chain->row_start[n];
	const int32_t *reach = space->reach;
	double		work = (double) entries;
	double		sweep_work = 0.0;	/* the transitions a sweep of both bounds visits */
	double		gaps[2] = {2.0, 2.0};	/* the gaps one and two sweeps back */
	bool		backward = true;
	int32_t		s;

	/*
	 * h descends from an upper bound and lower climbs from a lower bound,
	 * both monotone, to the one solution on the states that reach the
	 * target (a path to the target from each of them makes it unique);
	 * every other state is 0.  Cold, the bounds are 1 and 0.  Warm, h and
	 * lower hold the bounds without the removal: h stays an upper bound
	 * (removing a label only takes probability away), and lower one on the
	 * states with no path to the removed label, whose h it cannot change.
	 */
	/* the states whose h a removal can change */
	if (warm)
		cx_chain_mark_upstream(chain, removed, space->rev_start, space->rev, space->queue,
							   space->affected);
	for (s = 0; s < n; s++)
	{
		if (reach[s] < 0)
		{
			h[s] = lower[s] = 0.0;
			continue;
		}
		sweep_work += 2.0 * (double) (chain->row_start[s + 1] - chain->row_start[s]);
		if (!warm)
		{
			h[s] = 1.0;
			lower[s] = 0.0;
		}
		else if (space->affected[s] == 0)
			lower[s] = 0.0;
	}
	for (;;)
	{
		double		moved;
		double		gap = 0.0;
		double		scale = 1.0;
		bool		may_keep;		/* a gap too wide for the tolerance may be kept */

		if (chain->interrupt)
			chain->interrupt(chain->interrupt_arg);
		/* (only the states that reach the target are swept: the others count for nothing) */
		if (work + sweep_work > max_work && work > (double) entries)
			return -1;
		work += sweep_work;

		/*
		 * A sweep carries a value along a path in one pass only where the
		 * path runs against the sweep's order; alternating the order
		 * carries it both ways (removal_effects over 1,000 labels: 4 s to
		 * 0.5 s).
		 */
		backward = !backward;
		moved = cx_chain_sweep(chain, target, removed, reach, h, true, backward);
		moved = fmax(moved, cx_chain_sweep(chain, target, removed, reach, lower, false, backward));

		/*
		 * Every state within an absolute tolerance; or the focus within one
		 * relative to focus_scale or, for 0, to its own value (a ratio of
		 * two small probabilities needs them both to a few digits).
		 */
		if (focus >= 0)
		{
			gap = h[focus] - lower[focus];
			scale = focus_scale > 0.0 ? focus_scale : lower[focus];
		}
		else
			for (s = 0; s < n; s++)
				gap = fmax(gap, h[s] - lower[s]);
		if (gap <= CX_CHAIN_TOLERANCE * scale)
			return work;

		/*
		 * No value moves by more than its rounding and the bounds are still
		 * apart (a chain that mixes so slowly that the rounding of a sweep
		 * outweighs its progress): more sweeps cannot close the gap.  A
		 * chain small enough is solved directly instead; a larger one keeps
		 * h if the gap is within CX_CHAIN_STALLED (relative as above).
		 */
		may_keep = m > CX_CHAIN_DIRECT_MAX && gap <= CX_CHAIN_STALLED * scale;
		if (moved <= 4.0 * DBL_EPSILON)
			return may_keep ? work : -1;

		/*
		 * Past the direct solve, a gap within CX_CHAIN_STALLED that two
		 * sweeps (one each way: one alone may barely touch the state with
		 * the largest gap) shrink by less than 1 % would take hundreds of
		 * sweeps more to reach the tolerance, if the rounding lets it: h is
		 * kept.
		 */
		if (may_keep && gap > 0.99 * gaps[1])
			return work;
		gaps[1] = gaps[0];
		gaps[0] = gap;
	}
}

double
cx_chain_solve_sweeps(const CxChain *chain, uint32_t target, uint32_t removed, bool warm,
					  int32_t focus, double focus_scale, double *h, double *lower,
					  void *workspace, double max_work)
{
	CxChainSpace space;
	int32_t		m = cx_chain_prepare(chain, target, removed, workspace, &space);

	return cx_chain_sweeps_prepared(chain, target, removed, &space, m, warm, focus, focus_scale,
									h, lower, max_work);
}

double
cx_chain_solve(const CxChain *chain, uint32_t target, uint32_t removed, bool warm,
			   int32_t focus, double focus_scale, double *h, double *lower, void *workspace,
			   double max_work)
{
	CxChainSpace space;
	double		direct_cost;
	double		work = 0.0;

	/*
	 * The method goes by the states that reach the target, not by all of
	 * them: a small problem beside thousands of unrelated states is still
	 * solved directly.
	 */
	int32_t		m = cx_chain_prepare(chain, target, removed, workspace, &space);

	if (m > CX_CHAIN_DIRECT_MAX)
		return cx_chain_sweeps_prepared(chain, target, removed, &space, m, warm, focus,
										focus_scale, h, lower, max_work);
	/* sweep while cheaper than a direct solve, then solve directly */
	direct_cost = (double) m * m * m / 3.0;
	if (m > CX_CHAIN_DIRECT_SMALL)
	{
		work = cx_chain_sweeps_prepared(chain, target, removed, &space, m, warm, focus,
										focus_scale, h, lower, direct_cost);
		if (work >= 0)
			return work;
		work = direct_cost;
	}
	work += cx_chain_direct_prepared(chain, target, removed, &space, m, h);
	/* exact up to rounding: both bounds */
	memcpy(lower, h, sizeof(double) * chain->nstates);
	return work;
}
