/*
 * row_log.h
 *		A sequential log of (state, value) rows shared by all the groups of an
 *		aggregate, resolved into the groups' own arrays when a group is read.
 *
 * Why: on a large GROUP BY each group's state is a cold cache line, and
 * appending a row to it costs a cache miss per row.  The transition
 * function instead appends (state pointer, 8-byte value) to one log, which
 * is written sequentially (with streaming stores where the CPU has them,
 * so it does not push the aggregation's own hash table out of the cache)
 * and never reads the state.  The first time any state is read (final,
 * serialize or combine), the whole log is distributed by a counting sort:
 * one pass counts each state's rows, one pass copies every value into one
 * array where each state's rows are contiguous, and each state adopts its
 * slice.  Both passes prefetch the states they are about to touch, so the
 * CPU overlaps their cache misses.  The log lives in the aggregate memory
 * context, and is forgotten when that context is reset.
 */
#ifndef CX_ROW_LOG_H
#define CX_ROW_LOG_H

#include "postgres.h"

struct RowLog;

/* First member of every state that takes rows through a log. */
typedef struct RowLogOwner
{
	struct RowLog *log;			/* log that may hold rows of this state */
	int64		pending;		/* used while resolving */
	int64	   *slice;			/* used while resolving */
} RowLogOwner;

/* How a kind of state receives its logged rows. */
typedef struct RowLogOps
{
	/*
	 * Take the n values of the state, in arrival order, in an array that
	 * stays valid as long as the aggregate context: the state may adopt it
	 * (and must copy it before growing it) or copy the values.
	 */
	void		(*attach) (RowLogOwner *owner, int64 *values, int64 n);
} RowLogOps;

typedef struct RowLogCache RowLogCache;

/*
 * The log of the aggregate context cxt, found through a per-call-site cache
 * pointer (kept in the transition function's fn_extra data).
 */
extern struct RowLog *row_log_for(RowLogCache **cache, MemoryContext fn_mcxt,
								  MemoryContext cxt, const RowLogOps *ops);

/* Append one row of owner. */
extern void row_log_append(struct RowLog *log, RowLogOwner *owner, int64 value);

/* Distribute every logged row to its owner (no-op when nothing is logged). */
extern void row_log_resolve(RowLogOwner *owner);

#endif							/* CX_ROW_LOG_H */
