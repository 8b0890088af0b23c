/*
 * group_log.h
 *		The rows of all the groups of a hashed aggregate in one sequential
 *		log, each group's transition state being only a reference to its
 *		number in the log.
 *
 * Why: on a large GROUP BY each group's state is a cold cache line, and
 * every row that touches it costs a cache miss; worse, the states' memory
 * pushes PostgreSQL's own hash table out of the cache, so its lookups miss
 * more too.  With a group log the transition function writes (group, value)
 * at the end of two arrays, which only ever touches the same few lines, and
 * reads no state at all.  The rows are put in group order (a counting sort,
 * stable, so each group keeps its arrival order) the first time a state is
 * read: by a final, serialize or combine function, once all the input has
 * been read.  (Writing each row to one of many per-bucket arrays instead
 * was measured slower: the scan then touches hundreds of lines at once.)
 * The log, its rows and its group numbers live in the aggregate memory
 * context and are forgotten when that context is reset.
 *
 * A reference is a Datum with its lowest bit set (a pointer to a real state
 * never has it), holding from the top: the log's serial number (8 bits,
 * unique among the backend's live logs, so that a final function, which
 * cannot see the transition function's cache, finds the log), the group
 * number (30 bits), and a count of the rows the caller kept for the group
 * (25 bits).  PostgreSQL stores the Datum the transition function returns
 * in the group's entry of its hash table, which it touches on every row
 * anyway; so the caller can bound a group's rows, as a real state does,
 * without a cache line of its own per group.
 */
#ifndef CX_GROUP_LOG_H
#define CX_GROUP_LOG_H

#include "postgres.h"
#include "fmgr.h"

typedef struct GroupLog GroupLog;

/*
 * A call site's logs, one per aggregate context (one per plan, or one per
 * context of grouping sets), kept from the transition function's fn_extra
 * data; group logs and row logs (row_log.h) both use them.
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
 * usual case: one context per call site), else NULL: the inline fast path
 * of group_log_for and row_log_for.
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
 * The log's fields are here only so that group_log_append can be inlined;
 * use the functions.
 */
struct GroupLog
{
	MemoryContext cxt;			/* the aggregate context it lives in */
	uint32		serial;			/* in every reference it hands out, 1-255 */
	uint32		ngroups;		/* groups numbered so far */
	/* rows not yet sorted: chunks, the last one filling */
	int64	   *values;			/* the filling chunk's arrays */
	uint32	   *groups;
	int32		used;			/* rows in the filling chunk */
	int32		room;			/* rows the filling chunk holds */
	struct GroupLogChunk *chunks;	/* oldest first */
	struct GroupLogChunk *last_chunk;
	/*
	 * Rows sorted by group, made when the log is first read (no row comes
	 * after that): group g's are rows[offsets[g] .. offsets[g + 1]).
	 */
	int64	   *rows;
	int64	   *offsets;
	int8	   *results;		/* per group, from group_log_result, or NULL */
	void	   *user;			/* the caller's data about the log */
	CxLogSlot  *cache;			/* the slot to free on reset */
	MemoryContextCallback reset_callback;
	struct GroupLog *next_live; /* the backend's list of live logs */
};

/* Does this state Datum refer to a group of a log (else: a real state)? */
#define GROUP_LOG_IS_REF(d)		((DatumGetUInt64(d) & 1) != 0)

/* Fields of a reference: count (bits 1-25), group (26-55), serial (56-63). */
#define GROUP_LOG_COUNT_SHIFT	1
#define GROUP_LOG_COUNT_BITS	25
#define GROUP_LOG_GROUP_SHIFT	26
#define GROUP_LOG_GROUP_BITS	30
#define GROUP_LOG_SERIAL_SHIFT	56

/* The group number of a reference. */
#define GROUP_LOG_GROUP(d) \
	((uint32) ((DatumGetUInt64(d) >> GROUP_LOG_GROUP_SHIFT) & \
			   ((UINT64CONST(1) << GROUP_LOG_GROUP_BITS) - 1)))

/* The rows counted in a reference, and the largest count it holds. */
#define GROUP_LOG_COUNT(d) \
	((uint32) ((DatumGetUInt64(d) >> GROUP_LOG_COUNT_SHIFT) & \
			   ((UINT64CONST(1) << GROUP_LOG_COUNT_BITS) - 1)))
#define GROUP_LOG_MAX_COUNT		((UINT64CONST(1) << GROUP_LOG_COUNT_BITS) - 1)

/* The same reference with one more row counted (count < GROUP_LOG_MAX_COUNT). */
#define GROUP_LOG_COUNT_ONE_MORE(d) \
	UInt64GetDatum(DatumGetUInt64(d) + (UINT64CONST(1) << GROUP_LOG_COUNT_SHIFT))

extern GroupLog *group_log_for_slow(CxLogSlot **cache, MemoryContext fn_mcxt,
									MemoryContext cxt);

/*
 * The log of a call site in aggregate context cxt, found through the call
 * site's cache pointer (kept in the transition function's fn_extra data);
 * created, with user NULL, on first use.
 */
static inline GroupLog *
group_log_for(CxLogSlot **cache, MemoryContext fn_mcxt, MemoryContext cxt)
{
	GroupLog   *log = (GroupLog *) cx_log_slot_first(cache, cxt);

	return likely(log != NULL) ? log : group_log_for_slow(cache, fn_mcxt, cxt);
}

/* A reference to a new, empty group of the log. */
extern Datum group_log_new_group(GroupLog *log);

/* Does ref belong to log? */
static inline bool
group_log_owns(const GroupLog *log, Datum ref)
{
	return (uint32) (DatumGetUInt64(ref) >> GROUP_LOG_SERIAL_SHIFT) == log->serial &&
		GROUP_LOG_GROUP(ref) < log->ngroups;
}

/*
 * The live log that ref belongs to, for a function without the transition
 * function's cache; raises an internal error when there is none.
 */
extern GroupLog *group_log_of(Datum ref);

extern void group_log_next_chunk(GroupLog *log);

/* Log one row (value) of group. */
static inline void
group_log_append(GroupLog *log, uint32 group, int64 value)
{
	if (unlikely(log->used == log->room))
		group_log_next_chunk(log);
	log->values[log->used] = value;
	log->groups[log->used] = group;
	log->used++;
}

/*
 * The rows of group, in arrival order unless the caller reordered them,
 * with their number in *n.  The first read sorts the log by group; no row
 * may come after it.  The array belongs to the log: callers may reorder its
 * rows in place but not resize it.
 */
extern int64 *group_log_rows(GroupLog *log, uint32 group, int64 *n);

/*
 * The answer evaluate gives for the rows of group: the first call sorts the
 * log (unless a read did) and evaluates every group on the way, while its
 * rows are in the cache, keeping one byte per group (evaluate answers
 * -128 .. 127; it may reorder the rows it is given).  A final function then
 * reads a byte instead of the group's rows.  One log, one evaluate function.
 */
extern int	group_log_result(GroupLog *log, uint32 group,
							 int (*evaluate) (int64 *rows, int64 n, void *user));

/*
 * Map the pages of a new memory area in one system call, when the whole area
 * will be written (no effect where the kernel does not offer it).
 */
extern void cx_map_pages(void *area, Size size);

#endif							/* CX_GROUP_LOG_H */
