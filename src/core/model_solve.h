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
 * An entry whose label is the removed label counts as an end (a removal
 * effect).  h is 0 on the states from which no path reaches the target
 * (found on the reverse graph); the method goes by the number m of the
 * others, the ones solved, so that a small problem beside many unrelated
 * states is still solved directly.  Two methods:
 *
 * - Direct, for m at most CX_CHAIN_DIRECT_SMALL: the m states are solved
 *   by state reduction without subtraction
 *   (Grassmann, Taksar and Heyman): each pivot, the chance of leaving a
 *   state, is a sum of the moves out of it, never 1 minus its self-loop,
 *   so the answer is exact up to rounding whatever the chain's stiffness
 *   (a self-loop of probability 1 - 1e-17 keeps its exits).
 * - Gauss-Seidel sweeps, for larger m, alternately forward and backward
 *   over the states, of two bounds at once on the m states: one climbs
 *   from 0 and one descends from 1 (or a warm start), each value moved
 *   outward by a bound on its rounding and never back, so that they stay
 *   bounds of the exact solution for the chain's probabilities, each
 *   state's self-loop solved exactly.  They stop when the two are within
 *   CX_CHAIN_TOLERANCE at every state, or at the one state the caller
 *   needs (its focus) within CX_CHAIN_TOLERANCE times a scale, and h is the
 *   upper one: a bound on the error, not an estimate.  When no value moves
 *   by more than its rounding while they are still apart (a chain that
 *   mixes slowly), or the sweeps have done the work of a direct solve
 *   (m^3 / 3), a chain of m at most CX_CHAIN_DIRECT_MAX is solved
 *   directly; a larger one keeps h when the gap is within CX_CHAIN_STALLED
 *   (times the scale), and fails (-1) otherwise, as it does past max_work.
 *
 * The caller's interrupt callback (may be NULL) is called once a sweep and
 * once a pivot row, so a backend can honour a cancel or statement_timeout;
 * it may not return (a longjmp), so the solver allocates nothing: the caller
 * passes a workspace of cx_chain_workspace_size bytes.
 */
#ifndef CX_MODEL_SOLVE_H
#define CX_MODEL_SOLVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CX_CHAIN_END	(-1)

/* The sweeps' bound on the error of each value (see above). */
#define CX_CHAIN_TOLERANCE	1e-12
/* ... when the rounding stops them first, on a chain too large to solve directly */
#define CX_CHAIN_STALLED	1e-9

/*
 * Reaching states m solved directly at once, and at most (a dense matrix of
 * m^2 doubles: 32 MB).
 */
#define CX_CHAIN_DIRECT_SMALL	256
#define CX_CHAIN_DIRECT_MAX		2000

typedef struct CxChain
{
	int32_t		nstates;
	const int64_t *row_start;	/* nstates + 1 */
	const int32_t *dest;		/* per entry */
	const uint32_t *label;		/* per entry: the next label's id */
	const double *prob;			/* per entry */
	void		(*interrupt) (void *arg);	/* or NULL */
	void	   *interrupt_arg;
} CxChain;

/* Bytes of workspace cx_chain_solve needs for this chain. */
extern size_t cx_chain_workspace_size(const CxChain *chain);

/*
 * Solve into h (nstates values) for a target label id, and into lower a
 * lower bound (h itself after a direct solve).  removed is a label id whose
 * entries end the chain, or UINT32_MAX for none.  With warm, h and lower
 * already hold this solver's answer and bound without the removal, which
 * the sweeps start from.  focus is the state whose value the caller needs,
 * the others being bounds only, or -1 for every state; the sweeps bound its
 * error by CX_CHAIN_TOLERANCE times focus_scale, or for 0 times the value
 * itself.  Returns the work done (entries visited, plus m^3 / 3 for a
 * direct solve of m states), or -1 when the sweeps of a chain too large to
 * solve directly passed max_work or could not close the gap.
 */
extern double cx_chain_solve(const CxChain *chain, uint32_t target, uint32_t removed,
							 bool warm, int32_t focus, double focus_scale, double *h,
							 double *lower, void *workspace, double max_work);

/*
 * The two methods alone (for the unit checks); the same contract, but the
 * direct solve returns -1 for m past CX_CHAIN_DIRECT_MAX (its workspace
 * holds no more).
 */
extern double cx_chain_solve_sweeps(const CxChain *chain, uint32_t target, uint32_t removed,
									bool warm, int32_t focus, double focus_scale, double *h,
									double *lower, void *workspace, double max_work);
extern double cx_chain_solve_direct(const CxChain *chain, uint32_t target, uint32_t removed,
									double *h, void *workspace);

#endif							/* CX_MODEL_SOLVE_H */
