/*
 * row_log.c
 *		A small buffer of (state, value) rows shared by the groups of an
 *		aggregate, flushed to their states in batches; see row_log.h.
 */
#include "postgres.h"

#include <sys/mman.h>
#include <unistd.h>

#include "miscadmin.h"
#include "nodes/execnodes.h"
#include "utils/memutils.h"

#include "row_log.h"

/* States are carved from blocks of 16 kB growing to 1 MB, cache-line aligned. */
#define ROW_LOG_SLAB_MIN	(16 * 1024)
#define ROW_LOG_SLAB_MAX	(1024 * 1024)
#define ROW_LOG_LINE		64

void
cx_map_pages(void *area, Size size)
{
#ifdef MADV_POPULATE_WRITE
	static uintptr_t page_size = 0;
	uintptr_t	start;
	uintptr_t	end;

	/*
	 * Taking the page faults of an area written from start to end one at a
	 * time costs several times more (on virtual machines, ten times) than
	 * mapping them in one call.  A kernel without MADV_POPULATE_WRITE
	 * (before Linux 5.14) refuses the advice and the pages fault in as
	 * usual.
	 */
	if (page_size == 0)
	{
		long		ps = sysconf(_SC_PAGESIZE);

		page_size = ps > 0 ? (uintptr_t) ps : 4096;
	}
	start = ((uintptr_t) area + page_size - 1) & ~(page_size - 1);
	end = ((uintptr_t) area + size) & ~(page_size - 1);
	if (end > start)
		(void) madvise((void *) start, end - start, MADV_POPULATE_WRITE);
#endif
}

CxLogSlot *
cx_log_slot(CxLogSlot **list, MemoryContext fn_mcxt, MemoryContext cxt)
{
	CxLogSlot  *slot;
	CxLogSlot  *free_slot = NULL;

	for (slot = *list; slot != NULL; slot = slot->next)
	{
		if (slot->log != NULL && slot->cxt == cxt)
			return slot;
		if (slot->log == NULL && free_slot == NULL)
			free_slot = slot;
	}
	if (free_slot == NULL)
	{
		free_slot = MemoryContextAllocZero(fn_mcxt, sizeof(CxLogSlot));
		free_slot->next = *list;
		*list = free_slot;
	}
	return free_slot;
}

void
cx_log_slot_fill(CxLogSlot *slot, MemoryContext cxt, void *log,
				 MemoryContextCallback *callback,
				 MemoryContextCallbackFunction forget)
{
	callback->func = forget;
	callback->arg = log;
	MemoryContextRegisterResetCallback(cxt, callback);
	slot->log = log;
	slot->cxt = cxt;
}

/* The aggregate context is being reset: its log is gone. */
static void
row_log_forget(void *arg)
{
	((RowLog *) arg)->cache->log = NULL;
}

RowLog *
row_log_for_slow(CxLogSlot **cache, MemoryContext fn_mcxt,
				 MemoryContext cxt, const RowLogOps *ops)
{
	CxLogSlot  *slot = cx_log_slot(cache, fn_mcxt, cxt);
	RowLog	   *log;

	if (slot->log != NULL)
		return (RowLog *) slot->log;
	/* an arena (no append_batch) takes no rows: no buffer for them */
	log = MemoryContextAlloc(cxt, ops->append_batch != NULL ?
							 sizeof(RowLog) : offsetof(RowLog, entries));
	log->cxt = cxt;
	log->ops = ops;
	log->count = 0;
	log->slab_next = NULL;
	log->slab_end = NULL;
	log->slab_block = 0;
	log->cache = slot;
	cx_log_slot_fill(slot, cxt, log, &log->reset_callback, row_log_forget);
	return log;
}

int
row_log_wanted(FunctionCallInfo fcinfo, MemoryContext aggcxt)
{
	AggState   *aggstate;

	if (fcinfo->context == NULL || !IsA(fcinfo->context, AggState))
		return ROW_LOG_NO;
	aggstate = (AggState *) fcinfo->context;
	if (aggstate->aggstrategy == AGG_HASHED)
		return ROW_LOG_YES;
	if (aggstate->aggstrategy != AGG_MIXED)
		return ROW_LOG_NO;
	/* hashed and sorted grouping sets in one node: only the hashed ones */
	return aggstate->hashcontext != NULL &&
		aggcxt == aggstate->hashcontext->ecxt_per_tuple_memory ?
		ROW_LOG_YES_THIS_CALL : ROW_LOG_NO_THIS_CALL;
}

/* size bytes from the log's blocks, starting on a cache line. */
static char *
row_log_carve(RowLog *log, Size size)
{
	char	   *memory;

	size = TYPEALIGN(ROW_LOG_LINE, size);
	if (log->slab_next == NULL || (Size) (log->slab_end - log->slab_next) < size)
	{
		char	   *block;

		/* blocks double from small, so a GROUP BY of few groups stays small */
		log->slab_block = Min(Max(log->slab_block * 2, ROW_LOG_SLAB_MIN), ROW_LOG_SLAB_MAX);
		while (log->slab_block < size)
			log->slab_block *= 2;
		block = MemoryContextAlloc(log->cxt, log->slab_block + ROW_LOG_LINE);
		/* a block is filled from start to end: every page will be written */
		cx_map_pages(block, log->slab_block + ROW_LOG_LINE);
		log->slab_next = (char *) TYPEALIGN(ROW_LOG_LINE, block);
		log->slab_end = log->slab_next + log->slab_block;
	}
	memory = log->slab_next;
	log->slab_next += size;
	return memory;
}

void *
row_log_new_state(MemoryContext cxt, RowLog *log, RowLog *arena, Size size,
				  Size header)
{
	char	   *state;

	Assert(log == NULL || size <= ROW_LOG_SLAB_MIN / 4);
	if (log != NULL)
		state = row_log_carve(log, size);
	else if (arena != NULL && size <= ROW_LOG_ARENA_MAX)
		state = row_log_carve(arena, size);
	else
		state = MemoryContextAlloc(cxt, size);
	memset(state, 0, header);
	return state;
}

/* An arena takes no rows: no operations. */
static const RowLogOps row_log_arena_ops = {NULL};

RowLog *
row_log_arena(FunctionCallInfo fcinfo, MemoryContext aggcxt)
{
	if (!ROW_LOG_USE(row_log_wanted(fcinfo, aggcxt)))
		return NULL;
	/* fn_extra holds the head of this call site's list of arenas */
	return row_log_for((CxLogSlot **) &fcinfo->flinfo->fn_extra,
					   fcinfo->flinfo->fn_mcxt, aggcxt, &row_log_arena_ops);
}

void
row_log_flush(RowLog *log)
{
	int			n = log->count;

	/* set first: should an owner raise an error, the rows are not replayed */
	log->count = 0;
	if (n > 0)
		log->ops->append_batch(log->entries, n);
	CHECK_FOR_INTERRUPTS();
}
