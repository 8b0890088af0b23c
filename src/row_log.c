/*
 * row_log.c
 *		A small buffer of (state, value) rows shared by the groups of an
 *		aggregate, flushed to their states in batches; see row_log.h.
 */
#include "postgres.h"

#include "miscadmin.h"
#include "nodes/execnodes.h"
#include "utils/memutils.h"

#include "row_log.h"

/* Rows buffered before a flush: 16 bytes each, 256 kB, cache-sized. */
#define ROW_LOG_BUFFER	16384

struct RowLog
{
	MemoryContext cxt;			/* the aggregate context it lives in */
	const RowLogOps *ops;
	int			count;			/* rows buffered */
	RowLogCache *cache;			/* the cache entry to clear on reset */
	MemoryContextCallback reset_callback;
	RowLogEntry entries[ROW_LOG_BUFFER];
};

/* Per-call-site list of live logs, one per aggregate context. */
struct RowLogCache
{
	RowLog	   *log;
	RowLogCache *next;
};

/* The aggregate context is being reset: its log is gone. */
static void
row_log_forget(void *arg)
{
	RowLog	   *log = (RowLog *) arg;

	log->cache->log = NULL;
}

RowLog *
row_log_for(RowLogCache **cache, MemoryContext fn_mcxt, MemoryContext cxt,
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

static void
row_log_flush(RowLog *log)
{
	int			n = log->count;

	/* set first: should an owner raise an error, the rows are not replayed */
	log->count = 0;
	if (n > 0)
		log->ops->append_batch(log->entries, n);
	CHECK_FOR_INTERRUPTS();
}

void
row_log_append(RowLog *log, RowLogOwner *owner, int64 value)
{
	if (log->count == ROW_LOG_BUFFER)
		row_log_flush(log);
	log->entries[log->count].owner = owner;
	log->entries[log->count].value = value;
	log->count++;
}

void
row_log_resolve(RowLogOwner *owner)
{
	if (owner->log != NULL && owner->log->count > 0)
		row_log_flush(owner->log);
}
