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
 * effect).  Two methods:
 *
 * - Direct, for chains of at most CX_CHAIN_DIRECT_SMALL states: h is 0 for
 *   the states from which no path reaches the target (found on the reverse
 *   graph); the others are solved by state reduction without subtraction
 *   (Grassmann, Taksar and Heyman): each pivot, the chance of leaving a
 *   state, is a sum of the moves out of it, never 1 minus its self-loop,
 *   so the answer is exact up to rounding whatever the chain's stiffness
 *   (a self-loop of probability 1 - 1e-17 keeps its exits).
 * - Gauss-Seidel sweeps from h = 0 (or from a warm upper bound), monotone,
 *   so they converge to the least solution even when some states never end,
 *   each state's self-loop solved exactly.  They stop when no value moved by
 *   more than CX_CHAIN_TOLERANCE in the last sweep and the error left,
 *   estimated as change * r / (1 - r) with r the geometric rate measured
 *   over the sweeps since the change was 100 times larger, is within it
 *   too.  When the changes reach the rounding of h first (a slowly mixing
 *   chain), more sweeps cannot help: a chain of at most CX_CHAIN_DIRECT_MAX
 *   states is solved directly instead, a larger one keeps the sweeps'
 *   answer, short by about 2e-16 / (1 - r) (up to about 2e-11 for the
 *   slowest chains the work limit lets finish).  A
 *   chain of at most CX_CHAIN_DIRECT_MAX states whose sweeps have not
 *   converged after the work of a direct solve (n^3 / 3) is solved directly
 *   too; a larger one fails past max_work.
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

/* The tolerance of the sweeps (an estimate: see above). */
#define CX_CHAIN_TOLERANCE	1e-12

/* Chains solved directly at once, and at most (a dense matrix of n^2 doubles: 32 MB). */
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
 * Solve into h (nstates values) for a target label id.  removed is a label
 * id whose entries end the chain, or UINT32_MAX for none.  With warm, h
 * already holds the solution without the removal, an upper bound from which
 * the sweeps descend to the same answer (removing a label only takes
 * probability away); else h starts at 0.  Returns the work done (entries
 * visited by the sweeps, plus n^3 / 3 for a direct solve), or -1 when the
 * sweeps of a chain too large to solve directly passed max_work.
 */
extern double cx_chain_solve(const CxChain *chain, uint32_t target, uint32_t removed,
							 bool warm, double *h, void *workspace, double max_work);

/*
 * The two methods alone (for the unit checks); the same contract, but the
 * sweeps also return -1 when a chain of at most CX_CHAIN_DIRECT_MAX states
 * reaches the rounding of h before the tolerance (solve it directly).
 */
extern double cx_chain_solve_sweeps(const CxChain *chain, uint32_t target, uint32_t removed,
									bool warm, double *h, double max_work);
extern double cx_chain_solve_direct(const CxChain *chain, uint32_t target, uint32_t removed,
									double *h, void *workspace);

#endif							/* CX_MODEL_SOLVE_H */
