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
 * serialize or combine), the whole log is distributed to its states in one
 * tight loop whose cache misses the CPU can overlap.  The log lives in the aggregate memory context, and is
 * forgotten when that context is reset.
 */
#ifndef CX_ROW_LOG_H
#define CX_ROW_LOG_H

#include "postgres.h"

struct RowLog;

/* First member of every state that takes rows through a log. */
typedef struct RowLogOwner
{
	struct RowLog *log;			/* log that may hold rows of this state */
} RowLogOwner;

/* How a kind of state receives its logged rows. */
typedef struct RowLogOps
{
	/* take one value, growing the state as needed */
	void		(*append) (RowLogOwner *owner, int64 value);
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
