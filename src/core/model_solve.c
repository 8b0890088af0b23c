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

size_t
cx_chain_workspace_size(const CxChain *chain)
{
	size_t		n = (size_t) chain->nstates;
	size_t		entries = (size_t) chain->row_start[chain->nstates];

	if (n > CX_CHAIN_DIRECT_MAX)
		return 0;
	/*
	 * the matrix with its two right-hand columns (target, exit), the
	 * pivots, reverse-graph starts, reverse edges, row numbers, a queue
	 */
	return sizeof(double) * n * (n + 3) + sizeof(int64_t) * (n + 1) +
		sizeof(int32_t) * (entries + 2 * n) + 8;
}

double
cx_chain_solve_direct(const CxChain *chain, uint32_t target, uint32_t removed,
					  double *h, void *workspace)
{
	int32_t		n = chain->nstates;
	int64_t		entries = chain->row_start[n];
	double	   *a = (double *) workspace;
	double	   *pivot = a + (size_t) n * (n + 2);
	int64_t    *rev_start = (int64_t *) (pivot + n);
	int32_t    *rev = (int32_t *) (rev_start + n + 1);
	int32_t    *row = rev + entries;
	int32_t    *queue = row + n;
	int32_t		head = 0,
				tail = 0,
				m = 0,
				s,
				i,
				r,
				j;
	int64_t		e;
	size_t		w;

	/* the reverse graph of the edges between states */
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

	/*
	 * The states from which the target can be reached: h is 0 elsewhere,
	 * and on these the system is non-singular.  row[s] is -1 until reached.
	 */
	for (s = 0; s < n; s++)
	{
		row[s] = -1;
		for (e = chain->row_start[s]; e < chain->row_start[s + 1]; e++)
			if (chain->label[e] == target && target != removed)
			{
				row[s] = 0;
				queue[tail++] = s;
				break;
			}
	}
	while (head < tail)
	{
		int32_t		t = queue[head++];

		for (e = rev_start[t]; e < rev_start[t + 1]; e++)
			if (row[rev[e]] < 0)
			{
				row[rev[e]] = 0;
				queue[tail++] = rev[e];
			}
	}
	for (s = 0; s < n; s++)
		if (row[s] >= 0)
			row[s] = m++;

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
cx_chain_solve_sweeps(const CxChain *chain, uint32_t target, uint32_t removed, bool warm,
					  double *h, double max_work)
{
	int32_t		s;
	double		work = 0.0;
	double		entries = (double) chain->row_start[chain->nstates];
	double		sweeps = 0.0;
	/* the changes the rate is measured from (see below); moved < 0: none yet */
	double		anchor_moved = -1.0;
	double		anchor_sweep = 0.0;
	double		base_moved = -1.0;
	double		base_sweep = 0.0;
	double		rate = -1.0;	/* unknown until two sweeps have moved */
	double		previous = 0.0; /* the last sweep's change */
	bool		at_rounding;

	if (!warm)
		for (s = 0; s < chain->nstates; s++)
			h[s] = 0.0;
	for (;;)
	{
		double		moved = 0.0;
		double		largest = 0.0;

		if (chain->interrupt)
			chain->interrupt(chain->interrupt_arg);
		if (work + entries > max_work && work > 0.0)
			return -1;
		work += entries;
		for (s = 0; s < chain->nstates; s++)
		{
			double		sum = 0.0;
			double		leave = 0.0;
			double		value;
			int64_t		e;

			for (e = chain->row_start[s]; e < chain->row_start[s + 1]; e++)
			{
				if (chain->label[e] != removed && chain->label[e] == target)
					sum += chain->prob[e];
				else if (chain->label[e] != removed && chain->dest[e] == s)
					continue;
				else if (chain->label[e] != removed && chain->dest[e] >= 0)
					sum += chain->prob[e] * h[chain->dest[e]];
				leave += chain->prob[e];
			}

			/*
			 * A self-loop (a label repeated) is solved exactly: h = sum /
			 * (the probability of leaving), that probability summed from the
			 * other moves rather than taken as 1 - the loop's, which loses
			 * them when the loop is near 1.  A state that only loops on
			 * itself never ends: 0.
			 */
			value = leave > 0.0 ? sum / leave : 0.0;
			if (fabs(value - h[s]) > moved)
				moved = fabs(value - h[s]);
			if (value > largest)
				largest = value;
			h[s] = value;
		}
		sweeps += 1.0;

		/*
		 * Sweeps converge geometrically: with r the rate of the last sweeps,
		 * what is left is about moved * r / (1 - r).  Stop when both the
		 * change and that estimate are within the tolerance.
		 *
		 * r is the slower of two measures: the last two changes' ratio, and
		 * the mean rate over the sweeps since the change was at least 100
		 * times larger (base; before such a fall, since the first sweep).
		 * The mean is needed near the rounding of h, where two changes
		 * differ by an ulp, a percent of them, while on a slowly mixing
		 * chain r differs from 1 by 1e-5: their ratio alone said "fast" and
		 * stopped 100 times too early.  The ratio is needed after a fast
		 * part of the chain has settled, when the mean still counts its fall
		 * while a slow part creeps.  Changes at the rounding of h measure
		 * nothing but a fall of 100 times or more: the rate stays the one
		 * measured before them.
		 */
		if (moved == 0.0)
			return work;
		at_rounding = moved <= 2.0 * DBL_EPSILON * largest;
		if (!at_rounding && (anchor_moved < 0.0 || moved <= anchor_moved / 100.0))
		{
			if (anchor_moved >= 0.0)
			{
				base_moved = anchor_moved;
				base_sweep = anchor_sweep;
			}
			anchor_moved = moved;
			anchor_sweep = sweeps;
		}
		{
			double		ref_moved = base_moved > 0.0 ? base_moved : anchor_moved;
			double		ref_sweep = base_moved > 0.0 ? base_sweep : anchor_sweep;

			if (!at_rounding)
			{
				rate = sweeps > ref_sweep ?
					pow(moved / ref_moved, 1.0 / (sweeps - ref_sweep)) : -1.0;
				if (previous > 0.0 && moved / previous > rate)
					rate = moved / previous;
			}
			else if (sweeps > ref_sweep && moved * 100.0 <= ref_moved)
				rate = pow(moved / ref_moved, 1.0 / (sweeps - ref_sweep));
		}
		previous = moved;

		/*
		 * Not on the sweep whose change has just fallen 100-fold: a fast
		 * part settling says nothing yet of the parts still moving.
		 */
		if (moved <= CX_CHAIN_TOLERANCE && sweeps > anchor_sweep)
		{
			if (rate >= 0.0 && rate < 1.0 && moved * rate / (1.0 - rate) <= CX_CHAIN_TOLERANCE)
				return work;

			/*
			 * More sweeps cannot get closer than the rounding of h.  Reached
			 * before any rate could be measured, the sweeps converged at
			 * once.  Else a chain small enough is solved directly instead
			 * (-1); a larger one keeps this answer, off by about moved * r /
			 * (1 - r).
			 */
			if (at_rounding)
				return rate >= 0.0 && chain->nstates <= CX_CHAIN_DIRECT_MAX ? -1.0 : work;
		}
	}
}

double
cx_chain_solve(const CxChain *chain, uint32_t target, uint32_t removed, bool warm,
			   double *h, void *workspace, double max_work)
{
	int32_t		n = chain->nstates;
	double		direct_cost = (double) n * n * n / 3.0;
	double		work;

	if (n <= CX_CHAIN_DIRECT_SMALL)
		return cx_chain_solve_direct(chain, target, removed, h, workspace);
	if (n > CX_CHAIN_DIRECT_MAX)
		return cx_chain_solve_sweeps(chain, target, removed, warm, h, max_work);
	/* sweep while cheaper than a direct solve, then solve directly */
	work = cx_chain_solve_sweeps(chain, target, removed, warm, h, direct_cost);
	if (work >= 0)
		return work;
	return direct_cost + cx_chain_solve_direct(chain, target, removed, h, workspace);
}
