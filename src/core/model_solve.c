/*
 * model_solve.c
 *		The absorbing-chain solver of journey_model (rules in model_solve.h).
 */
#include "model_solve.h"

#include <math.h>

int
cx_chain_solve(const CxChain *chain, uint32_t target, uint32_t removed, bool warm,
			   double *h)
{
	int32_t		s;
	int			sweep;
	double		previous = 0.0;

	if (!warm)
		for (s = 0; s < chain->nstates; s++)
			h[s] = 0.0;
	for (sweep = 1; sweep <= CX_CHAIN_MAX_SWEEPS; sweep++)
	{
		double		moved = 0.0;

		for (s = 0; s < chain->nstates; s++)
		{
			double		sum = 0.0;
			double		self = 0.0;
			double		value;
			int64_t		e;

			for (e = chain->row_start[s]; e < chain->row_start[s + 1]; e++)
			{
				if (chain->label[e] == removed)
					continue;
				if (chain->label[e] == target)
					sum += chain->prob[e];
				else if (chain->dest[e] == s)
					self += chain->prob[e];
				else if (chain->dest[e] >= 0)
					sum += chain->prob[e] * h[chain->dest[e]];
			}
			/*
			 * A self-loop (a label repeated) is solved exactly: h = self * h
			 * + sum.  A state that only loops on itself never ends: 0.
			 */
			value = self < 1.0 ? sum / (1.0 - self) : 0.0;
			if (fabs(value - h[s]) > moved)
				moved = fabs(value - h[s]);
			h[s] = value;
		}
		/*
		 * Sweeps converge geometrically: with r the ratio of the last two
		 * changes, what is left is about moved * r / (1 - r).  Stop when
		 * both the change and that estimate are within the tolerance.
		 */
		if (moved == 0.0)
			return sweep;
		if (moved <= CX_CHAIN_TOLERANCE && previous > 0.0)
		{
			double		r = moved / previous;

			if (r < 1.0 && moved * r / (1.0 - r) <= CX_CHAIN_TOLERANCE)
				return sweep;
		}
		previous = moved;
	}
	return -1;
}
