/*
 * row_log.h
 *		A small buffer of (state, value) rows shared by all the groups of an
 *		aggregate, flushed to the groups' own arrays in batches.
 *
 * Why: on a large GROUP BY each group's state is a cold cache line, and
 * appending a row to it from the transition function costs a full cache
 * miss per row: the executor does nothing else meanwhile.  Instead the
 * transition function appends (state pointer, 8-byte value) to one buffer,
 * written sequentially and small enough to stay in the cache, and never
 * reads the state.  When the buffer is full, or when any state is about to
 * be read (final, serialize or combine), the buffered rows are handed to
 * their states by a tight loop that prefetches the states a few rows
 * ahead, so the CPU overlaps their cache misses.  The buffer lives in the
 * aggregate memory context and is forgotten when that context is reset.
 *
 * The log also hands out the states themselves (row_log_new_state):
 * fixed-size, cache-line aligned, carved from blocks whose pages are mapped
 * in one system call, so a group costs neither a chunk header nor a page
 * fault of its own, and a state's header and first rows share the lines a
 * flush prefetches.
 *
 * session_stats uses it, and its arena for the states deserialize rebuilds.
 */
#ifndef CX_ROW_LOG_H
#define CX_ROW_LOG_H

#include "postgres.h"
#include "fmgr.h"


/*
 * A call site's logs, one per aggregate context (one per plan, or one per
 * context of grouping sets), kept from the transition function's fn_extra
 * data.
 */
typedef struct CxLogSlot
{
	void	   *log;			/* NULL: free (its context was reset) */
	MemoryContext cxt;
	struct CxLogSlot *next;
} CxLogSlot;

/*
 * The slot of aggregate context cxt in a call site's list, or a free one
 * (log NULL) to fill, added to the list in fn_mcxt when none is free.
 */
extern CxLogSlot *cx_log_slot(CxLogSlot **list, MemoryContext fn_mcxt,
							  MemoryContext cxt);

/*
 * The log of aggregate context cxt when it is in the list's first slot (the
 * usual case: one context per call site), else NULL.
 */
static inline void *
cx_log_slot_first(CxLogSlot *const *list, MemoryContext cxt)
{
	return *list != NULL && (*list)->log != NULL && (*list)->cxt == cxt ?
		(*list)->log : NULL;
}

/*
 * Fill a free slot with a new log of aggregate context cxt, and register
 * forget(log) (which must empty the slot) to run when cxt is reset.
 */
extern void cx_log_slot_fill(CxLogSlot *slot, MemoryContext cxt, void *log,
							 MemoryContextCallback *callback,
							 MemoryContextCallbackFunction forget);

/*
 * Map the pages of a new memory area in one system call, when the whole area
 * will be written (no effect where the kernel does not offer it).
 */
extern void cx_map_pages(void *area, Size size);

typedef struct RowLog RowLog;

/* First member of every state that takes rows through a log. */
typedef struct RowLogOwner
{
	struct RowLog *log;			/* log that may hold rows of this state */
} RowLogOwner;

/* One buffered row. */
typedef struct RowLogEntry
{
	RowLogOwner *owner;
	int64		value;
} RowLogEntry;

/* Prefetch for writing, where the compiler offers it. */
#if defined(__GNUC__) || defined(__clang__)
#define row_log_prefetch(addr) __builtin_prefetch((addr), 1, 3)
#else
#define row_log_prefetch(addr) ((void) 0)

#endif

/* How far ahead a batch loop prefetches the owner it will touch. */
#define ROW_LOG_PREFETCH_DISTANCE 16

/* How a kind of state receives its buffered rows. */
typedef struct RowLogOps
{
	/*
	 * Give each of n rows to its owner, in order, growing owners as needed.
	 * The loop should prefetch entries[i + ROW_LOG_PREFETCH_DISTANCE].owner.
	 */
	void		(*append_batch) (const RowLogEntry *entries, int n);
} RowLogOps;

/* Rows buffered before a flush: 16 bytes each, 256 kB, cache-sized. */
#define ROW_LOG_BUFFER	16384

/*
 * The log of one call site in one aggregate context.  Its fields are here
 * only so that the per-row calls below can be inlined; use the functions.
 */
struct RowLog
{
	MemoryContext cxt;			/* the aggregate context it lives in */
	const RowLogOps *ops;
	int			count;			/* rows buffered */
	CxLogSlot  *cache;			/* the slot to free on reset */
	MemoryContextCallback reset_callback;
	char	   *slab_next;		/* free space of the current state block */
	char	   *slab_end;
	Size		slab_block;		/* size of the last block taken */
	RowLogEntry entries[ROW_LOG_BUFFER];
};

extern struct RowLog *row_log_for_slow(CxLogSlot **cache, MemoryContext fn_mcxt,
									   MemoryContext cxt, const RowLogOps *ops);

/*
 * The log of the aggregate context cxt, found through a per-call-site cache
 * pointer (kept in the transition function's fn_extra data).  The first
 * entry is the usual answer (one aggregate context per call site, except
 * with grouping sets).
 */
static inline struct RowLog *
row_log_for(CxLogSlot **cache, MemoryContext fn_mcxt, MemoryContext cxt,
			const RowLogOps *ops)
{
	struct RowLog *log = (struct RowLog *) cx_log_slot_first(cache, cxt);

	return likely(log != NULL) ? log : row_log_for_slow(cache, fn_mcxt, cxt, ops);
}

/*
 * Is the buffer worth it for this call, in aggregate context aggcxt?  Only
 * under hashed aggregation, where consecutive rows belong to scattered
 * groups; sorted and plain aggregation (and window aggregates) touch one
 * group at a time, in a context reset between groups.  ROW_LOG_YES and
 * ROW_LOG_NO hold for every call of the call site (callers may keep them);
 * the _THIS_CALL answers only for this one (a node mixing hashed and sorted
 * grouping sets: the answer depends on the set).  Test with ROW_LOG_USE.
 */
#define ROW_LOG_NO				0
#define ROW_LOG_YES				1
#define ROW_LOG_NO_THIS_CALL	2
#define ROW_LOG_YES_THIS_CALL	3
#define ROW_LOG_USE(answer)		(((answer) & 1) != 0)
#define ROW_LOG_FIXED(answer)	((answer) < ROW_LOG_NO_THIS_CALL)
extern int	row_log_wanted(FunctionCallInfo fcinfo, MemoryContext aggcxt);

/*
 * Does this call use the log, given first_answer, the row_log_wanted() a
 * call site kept from its first row?  Asks again only when that answer was
 * for one call.
 */
static inline bool
row_log_use(int first_answer, FunctionCallInfo fcinfo, MemoryContext aggcxt)
{
	if (ROW_LOG_FIXED(first_answer))
		return ROW_LOG_USE(first_answer);
	return ROW_LOG_USE(row_log_wanted(fcinfo, aggcxt));
}

/*
 * The arena (a log used only for memory, see row_log_new_state) of a function that
 * rebuilds states, such as a deserialize function, in aggregate context
 * aggcxt; NULL unless under hashed aggregation.  Kept in the function's
 * fn_extra, which must serve nothing else.
 */
extern struct RowLog *row_log_arena(FunctionCallInfo fcinfo, MemoryContext aggcxt);

/* Largest memory row_log_new_state takes from an arena. */
#define ROW_LOG_ARENA_MAX	4096

/*
 * Memory for a new state of size bytes, its first header bytes zeroed (the
 * rest is left as it is: writing it would only cost time).  With log given,
 * a state of the log (it then takes rows through it); else, with arena
 * given and size at most ROW_LOG_ARENA_MAX, memory of the arena; else an
 * allocation in cxt.  The first two come from blocks the log keeps in its
 * aggregate context: no chunk header, no rounding to a power of two, and
 * each starts on a cache line, so a group's header and its first rows share
 * the lines a flush prefetches.  They are never freed one by one (the
 * context reset frees them all), so they must not be pfree'd or
 * repalloc'd, nor given to GetMemoryChunkContext.
 */
extern void *row_log_new_state(MemoryContext cxt, struct RowLog *log,
							   struct RowLog *arena, Size size, Size header);

/* Hand every buffered row to its owner and empty the buffer. */
extern void row_log_flush(struct RowLog *log);

/* Buffer one row of owner (may flush the buffer). */
static inline void
row_log_append(struct RowLog *log, RowLogOwner *owner, int64 value)
{
	if (log->count == ROW_LOG_BUFFER)
		row_log_flush(log);
	log->entries[log->count].owner = owner;
	log->entries[log->count].value = value;
	log->count++;
}

/* Hand every buffered row to its owner (no-op when nothing is buffered). */
static inline void
row_log_resolve(RowLogOwner *owner)
{
	if (owner->log != NULL && owner->log->count > 0)
		row_log_flush(owner->log);
}


#endif							/* CX_ROW_LOG_H */
