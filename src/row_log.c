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

/*
 * The live logs of this backend, so that a final function (which has no
 * access to the transition function's cache) can find the log holding a
 * state.  A log leaves the list when its aggregate context is reset or
 * deleted; there are one or two per query.
 */
static RowLog *live_logs = NULL;

/* The aggregate context is being reset: its log is gone. */
static void
row_log_forget(void *arg)
{
	RowLog	   *log = (RowLog *) arg;
	RowLog	  **link;

	log->cache->log = NULL;
	for (link = &live_logs; *link != NULL; link = &(*link)->next_live)
	{
		if (*link == log)
		{
			*link = log->next_live;
			break;
		}
	}
}

RowLog *
row_log_for_slow(RowLogCache **cache, MemoryContext fn_mcxt,
				 MemoryContext cxt, const RowLogOps *ops)
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
	/* an arena (no append_batch) takes no rows: no buffer for them */
	log = MemoryContextAlloc(cxt, ops->append_batch != NULL ?
							 sizeof(RowLog) : offsetof(RowLog, entries));
	log->cxt = cxt;
	log->ops = ops;
	log->count = 0;
	log->slab_next = NULL;
	log->slab_end = NULL;
	log->slab_block = 0;
	log->state_size = 0;
	log->blocks = NULL;
	log->nblocks = 0;
	log->maxblocks = 0;
	log->block_order = NULL;
	log->block_order_n = 0;
	log->nstates = 0;
	log->results = NULL;
	log->results_size = 0;
	log->results_valid = false;
	log->carves_bytes = false;
	log->next_live = live_logs;
	live_logs = log;
	log->cache = free_entry;
	log->reset_callback.func = row_log_forget;
	log->reset_callback.arg = log;
	MemoryContextRegisterResetCallback(cxt, &log->reset_callback);
	free_entry->log = log;
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

/* size bytes (a multiple of the line) from the log's blocks. */
static char *
row_log_carve(RowLog *log, Size size)
{
	char	   *memory;

	if (log->slab_next == NULL || (Size) (log->slab_end - log->slab_next) < size)
	{
		char	   *block;

		/* blocks double from small, so a GROUP BY of few groups stays small */
		log->slab_block = Min(Max(log->slab_block * 2, ROW_LOG_SLAB_MIN), ROW_LOG_SLAB_MAX);
		while (log->slab_block < size)
			log->slab_block *= 2;
		block = MemoryContextAlloc(log->cxt, log->slab_block + ROW_LOG_LINE);
		row_log_prefault(block, log->slab_block + ROW_LOG_LINE);
		log->slab_next = (char *) TYPEALIGN(ROW_LOG_LINE, block);
		log->slab_end = log->slab_next + log->slab_block;
		if (log->nblocks == log->maxblocks)
		{
			log->maxblocks = Max(16, log->maxblocks * 2);
			log->blocks = log->blocks == NULL ?
				MemoryContextAlloc(log->cxt, log->maxblocks * sizeof(RowLogBlock)) :
				repalloc(log->blocks, log->maxblocks * sizeof(RowLogBlock));
		}
		log->blocks[log->nblocks].start = log->slab_next;
		log->blocks[log->nblocks].nstates = 0;
		log->blocks[log->nblocks].first = log->nstates;
		log->nblocks++;
	}
	memory = log->slab_next;
	log->slab_next += size;
	return memory;
}

void *
row_log_alloc_state(RowLog *log, Size size, Size header)
{
	char	   *state;

	size = TYPEALIGN(ROW_LOG_LINE, size);
	Assert(size <= ROW_LOG_SLAB_MIN / 4);
	/* one kind of state per log: its states form arrays of equal strides */
	Assert((log->state_size == 0 && !log->carves_bytes) || log->state_size == size);
	log->state_size = size;
	log->results_valid = false;
	state = row_log_carve(log, size);
	log->blocks[log->nblocks - 1].nstates++;
	log->nstates++;
	memset(state, 0, header);
	return state;
}

void *
row_log_new_state(MemoryContext cxt, RowLog *log, RowLog *arena, Size size,
				  Size header)
{
	void	   *state;

	if (log != NULL)
		return row_log_alloc_state(log, size, header);
	if (arena != NULL && size <= ROW_LOG_ARENA_MAX)
		state = row_log_alloc_bytes(arena, size);
	else
		state = MemoryContextAlloc(cxt, size);
	memset(state, 0, header);
	return state;
}

/* An arena takes no rows and answers nothing: no operations. */
static const RowLogOps row_log_arena_ops = {NULL, NULL};

RowLog *
row_log_arena(FunctionCallInfo fcinfo, MemoryContext aggcxt)
{
	if (!ROW_LOG_USE(row_log_wanted(fcinfo, aggcxt)))
		return NULL;
	/* fn_extra holds the head of this call site's list of arenas */
	return row_log_for((RowLogCache **) &fcinfo->flinfo->fn_extra,
					   fcinfo->flinfo->fn_mcxt, aggcxt, &row_log_arena_ops);
}

void *
row_log_alloc_bytes(RowLog *log, Size size)
{
	/* never mixed with states: their positions are computed from strides */
	Assert(log->state_size == 0);
	log->carves_bytes = true;
	return row_log_carve(log, TYPEALIGN(ROW_LOG_LINE, size));
}


void
row_log_flush(RowLog *log)
{
	int			n = log->count;

	/* set first: should an owner raise an error, the rows are not replayed */
	log->count = 0;
	if (n > 0)
	{
		log->results_valid = false;
		log->ops->append_batch(log->entries, n);
	}
	CHECK_FOR_INTERRUPTS();
}

/* Order block numbers by their blocks' addresses (arg: the blocks). */
static int
row_log_block_cmp(const void *a, const void *b, void *arg)
{
	const RowLogBlock *blocks = (const RowLogBlock *) arg;
	const char *x = blocks[*(const int *) a].start;
	const char *y = blocks[*(const int *) b].start;

	return (x > y) - (x < y);
}

/* The position of state among the log's states, or -1 if not one of them. */
static int32
row_log_state_index(RowLog *log, const char *state)
{
	const RowLogBlock *block;
	Size		offset;
	int			lo = 0;
	int			hi;

	if (log->nblocks == 0)
		return -1;
	if (log->block_order_n != log->nblocks)
	{
		/* the blocks by address, for a binary search (new blocks came) */
		int			i;

		if (log->block_order != NULL)
			pfree(log->block_order);
		log->block_order = MemoryContextAlloc(log->cxt, log->nblocks * sizeof(int));
		for (i = 0; i < log->nblocks; i++)
			log->block_order[i] = i;
		qsort_arg(log->block_order, log->nblocks, sizeof(int), row_log_block_cmp,
				  log->blocks);
		log->block_order_n = log->nblocks;
	}
	/* the last block starting at or before state */
	hi = log->nblocks - 1;
	if (state < log->blocks[log->block_order[0]].start)
		return -1;
	while (lo < hi)
	{
		int			mid = (lo + hi + 1) / 2;

		if (log->blocks[log->block_order[mid]].start <= state)
			lo = mid;
		else
			hi = mid - 1;
	}
	block = &log->blocks[log->block_order[lo]];
	offset = state - block->start;
	if (offset >= (Size) block->nstates * log->state_size ||
		offset % log->state_size != 0)
		return -1;
	return block->first + (int32) (offset / log->state_size);
}

/* Evaluate every state of the log in memory order (see row_log_result). */
static void
row_log_compute_results(RowLog *log)
{
	int			i;

	if (log->results_size < log->nstates)
	{
		if (log->results != NULL)
			pfree(log->results);
		log->results = MemoryContextAlloc(log->cxt, log->nstates);
		log->results_size = log->nstates;
	}
	for (i = 0; i < log->nblocks; i++)
	{
		const RowLogBlock *block = &log->blocks[i];
		int32		j;

		for (j = 0; j < block->nstates; j++)
		{
			log->results[block->first + j] =
				(int8) log->ops->evaluate(block->start + (Size) j * log->state_size);
			if ((j & 1023) == 1023)
				CHECK_FOR_INTERRUPTS();
		}
	}
	log->results_valid = true;
}

bool
row_log_result(MemoryContext cxt, const RowLogOps *ops, const void *state,
			   int *result)
{
	RowLog	   *log;
	int32		index = -1;

	if (ops->evaluate == NULL)
		return false;
	for (log = live_logs; log != NULL; log = log->next_live)
	{
		if (log->cxt == cxt && log->ops == ops &&
			(index = row_log_state_index(log, state)) >= 0)
			break;
	}
	if (log == NULL)
		return false;
	if (log->count > 0)
		row_log_flush(log);
	if (!log->results_valid)
		row_log_compute_results(log);
	if (log->results[index] < 0)
		return false;
	*result = log->results[index];
	return true;
}

void
row_log_invalidate(RowLogOwner *owner)
{
	if (owner->log != NULL)
		owner->log->results_valid = false;
}
