/*
 * model_solve.h
 *		Backend-independent absorbing-chain solver of journey_model:
 *		the probability that a Markov chain reaches a target label before
 *		it ends.
 *
 * States are numbered 0..nstates-1; the transitions of state s are the
 * entries row_start[s] .. row_start[s + 1] - 1, each with a probability, a
 * next label and a destination: a state, CX_CHAIN_END (absorbed: the path
 * ends).  An entry whose label is the target is absorbed too, with
 * value 1.  The hitting probabilities h are the least non-negative solution of
 *
 *		h[s] = sum over entries e of s: prob[e] * (1 if label[e] is the target,
 *											   else h[dest[e]] if dest[e] is a state,
 *											   else 0)
 *
 * found by Gauss-Seidel sweeps from h = 0 (monotone, so they converge to
 * the least solution, the true probability even when some states never
 * end), with each state's self-loop solved exactly.  They stop when no
 * value moved by more than the tolerance in the last sweep and the error
 * left, estimated from the geometric rate of the last two sweeps (change *
 * r / (1 - r)), is within it too.  An entry whose label
 * is the removed label counts as an end (a removal effect).
 */
#ifndef CX_MODEL_SOLVE_H
#define CX_MODEL_SOLVE_H

#include <stdbool.h>
#include <stdint.h>

#define CX_CHAIN_END	(-1)

/* The tolerance and the most sweeps of a solve. */
#define CX_CHAIN_TOLERANCE	1e-12
#define CX_CHAIN_MAX_SWEEPS 100000

typedef struct CxChain
{
	int32_t		nstates;
	const int64_t *row_start;	/* nstates + 1 */
	const int32_t *dest;		/* per entry */
	const uint32_t *label;		/* per entry: the next label's id */
	const double *prob;			/* per entry */
} CxChain;

/*
 * Solve into h (nstates values) for a target label id.  removed is a label
 * id whose entries end the chain, or UINT32_MAX for none.  With warm, h
 * already holds the solution without the removal, an upper bound from which
 * the sweeps descend to the same answer (removing a label only takes
 * probability away); else h starts at 0.  Returns the sweeps used, or -1
 * when CX_CHAIN_MAX_SWEEPS did not reach the tolerance.
 */
extern int	cx_chain_solve(const CxChain *chain, uint32_t target, uint32_t removed,
						   bool warm, double *h);

#endif							/* CX_MODEL_SOLVE_H */
