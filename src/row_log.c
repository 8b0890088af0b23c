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



/* The aggregate context is being reset: its log is gone. */
static void
row_log_forget(void *arg)
{
	RowLog	   *log = (RowLog *) arg;

	log->cache->log = NULL;
}

RowLog *
row_log_for_slow(RowLogCache **cache, MemoryContext fn_mcxt, MemoryContext cxt,
			const RowLogOps *ops)
{
	RowLogCache *entry;
	RowLogCache *free_entry = NULL;
	RowLog	   *log;

	for (entry = *cache; entry != NULL; entry = entry->next)
	{
		if (entry->log != NULL && entry->log->cxt == cxt)
			return entry->log;
		if (entry->log == NULL && free_entry == NULL)
			free_entry = entry;
	}
	if (free_entry == NULL)
	{
		free_entry = MemoryContextAllocZero(fn_mcxt, sizeof(RowLogCache));
		free_entry->next = *cache;
		*cache = free_entry;
	}
	log = MemoryContextAlloc(cxt, sizeof(RowLog));
	log->cxt = cxt;
	log->ops = ops;
	log->count = 0;
	log->slab_next = NULL;
	log->slab_end = NULL;
	log->slab_block = 0;
	log->cache = free_entry;
	log->reset_callback.func = row_log_forget;
	log->reset_callback.arg = log;
	MemoryContextRegisterResetCallback(cxt, &log->reset_callback);
	free_entry->log = log;
	return log;
}

bool
row_log_wanted(FunctionCallInfo fcinfo)
{
	return fcinfo->context != NULL && IsA(fcinfo->context, AggState) &&
		(((AggState *) fcinfo->context)->aggstrategy == AGG_HASHED ||
		 ((AggState *) fcinfo->context)->aggstrategy == AGG_MIXED);
}


/*
 * Map the pages of a new block in one system call.  A block is filled from
 * start to end, so every page will be written; taking the page faults one
 * at a time costs several times more (on virtual machines, ten times).  A
 * kernel without MADV_POPULATE_WRITE (before Linux 5.14) refuses the advice
 * and the pages fault in as usual: nothing else depends on it.
 */
static void
row_log_prefault(char *block, Size size)
{
#ifdef MADV_POPULATE_WRITE
	static uintptr_t page_size = 0;
	uintptr_t	start;
	uintptr_t	end;

	if (page_size == 0)
	{
		long		ps = sysconf(_SC_PAGESIZE);

		page_size = ps > 0 ? (uintptr_t) ps : 4096;
	}
	start = ((uintptr_t) block + page_size - 1) & ~(page_size - 1);
	end = ((uintptr_t) block + size) & ~(page_size - 1);
	if (end > start)
		(void) madvise((void *) start, end - start, MADV_POPULATE_WRITE);
#endif
}

void *
row_log_alloc_state(RowLog *log, Size size, Size header)
{
	char	   *state;

	size = TYPEALIGN(ROW_LOG_LINE, size);
	Assert(size <= ROW_LOG_SLAB_MIN / 4);
	if (log->slab_next == NULL || (Size) (log->slab_end - log->slab_next) < size)
	{
		char	   *block;

		/* blocks double from small, so a GROUP BY of few groups stays small */
		log->slab_block = Min(Max(log->slab_block * 2, ROW_LOG_SLAB_MIN), ROW_LOG_SLAB_MAX);
		block = MemoryContextAlloc(log->cxt, log->slab_block + ROW_LOG_LINE);
		row_log_prefault(block, log->slab_block + ROW_LOG_LINE);
		log->slab_next = (char *) TYPEALIGN(ROW_LOG_LINE, block);
		log->slab_end = log->slab_next + log->slab_block;
	}
	state = log->slab_next;
	log->slab_next += size;
	memset(state, 0, header);
	return state;
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
