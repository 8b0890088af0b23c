/*
 * row_log.c
 *		A sequential log of (state, value) rows shared by the groups of an
 *		aggregate; see row_log.h.
 */
#include "postgres.h"

#include "miscadmin.h"
#include "utils/memutils.h"

#include "row_log.h"

#if defined(__x86_64__) && defined(__SSE2__)
#include <emmintrin.h>
#define ROW_LOG_STREAM_STORES 1
#endif

/* Entries per chunk: 16 bytes each, 128 kB chunks. */
#define ROW_LOG_CHUNK	8192

typedef struct RowLogEntry
{
	RowLogOwner *owner;
	int64		value;
} RowLogEntry;

typedef struct RowLogChunk
{
	struct RowLogChunk *next;
	int32		used;
	RowLogEntry entries[ROW_LOG_CHUNK];
} RowLogChunk;

typedef struct RowLog
{
	MemoryContext cxt;			/* the aggregate context it lives in */
	const RowLogOps *ops;
	RowLogChunk *head;
	RowLogChunk *tail;
	int64		count;			/* entries not yet resolved */
	RowLogCache *cache;			/* the cache entry to unlink on reset */
	MemoryContextCallback reset_callback;
} RowLog;

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
	log = MemoryContextAllocZero(cxt, sizeof(RowLog));
	log->cxt = cxt;
	log->ops = ops;
	log->cache = free_entry;
	log->reset_callback.func = row_log_forget;
	log->reset_callback.arg = log;
	MemoryContextRegisterResetCallback(cxt, &log->reset_callback);
	free_entry->log = log;
	return log;
}

void
row_log_append(RowLog *log, RowLogOwner *owner, int64 value)
{
	RowLogChunk *chunk = log->tail;

	if (chunk == NULL || chunk->used == ROW_LOG_CHUNK)
	{
		chunk = MemoryContextAlloc(log->cxt, sizeof(RowLogChunk));
		chunk->next = NULL;
		chunk->used = 0;
		if (log->tail)
			log->tail->next = chunk;
		else
			log->head = chunk;
		log->tail = chunk;
	}
#ifdef ROW_LOG_STREAM_STORES

	/*
	 * Streaming stores: the log is not read again until it is resolved, so
	 * writing it around the cache keeps the cache for the hash table of
	 * the aggregation itself.
	 */
	_mm_stream_si64((long long *) &chunk->entries[chunk->used].owner, (long long) (intptr_t) owner);
	_mm_stream_si64((long long *) &chunk->entries[chunk->used].value, (long long) value);
#else
	chunk->entries[chunk->used].owner = owner;
	chunk->entries[chunk->used].value = value;
#endif
	chunk->used++;
	log->count++;
}

/* Prefetch for writing, where the compiler offers it. */
#if defined(__GNUC__) || defined(__clang__)
#define row_log_prefetch(addr) __builtin_prefetch((addr), 1, 3)
#else
#define row_log_prefetch(addr) ((void) 0)
#endif

/* How far ahead the passes prefetch the owner they will touch. */
#define ROW_LOG_PREFETCH_DISTANCE 8

void
row_log_resolve(RowLogOwner *owner)
{
	RowLog	   *log = owner->log;
	RowLogChunk *chunk;
	RowLogOwner **owners;
	int64		nowners = 0;
	int64		capacity;
	int64	   *values;
	int64		offset;
	int64		i;

	if (log == NULL || log->count == 0)
		return;
#ifdef ROW_LOG_STREAM_STORES
	/* make the streaming stores visible before reading them back */
	_mm_sfence();
#endif

	/* pass 1: rows per owner, and the list of owners in first-row order */
	capacity = 1024;
	owners = MemoryContextAlloc(log->cxt, capacity * sizeof(RowLogOwner *));
	for (chunk = log->head; chunk != NULL; chunk = chunk->next)
	{
		for (i = 0; i < chunk->used; i++)
		{
			RowLogOwner *o = chunk->entries[i].owner;

			if (i + ROW_LOG_PREFETCH_DISTANCE < chunk->used)
				row_log_prefetch(chunk->entries[i + ROW_LOG_PREFETCH_DISTANCE].owner);
			if (o->pending++ == 0)
			{
				if (nowners == capacity)
				{
					capacity *= 2;
					owners = repalloc_huge(owners, capacity * sizeof(RowLogOwner *));
				}
				owners[nowners++] = o;
			}
		}
		CHECK_FOR_INTERRUPTS();
	}

	/* every owner's slice of one array */
	values = MemoryContextAllocHuge(log->cxt, log->count * sizeof(int64));
	offset = 0;
	for (i = 0; i < nowners; i++)
	{
		owners[i]->slice = values + offset;
		offset += owners[i]->pending;
		owners[i]->pending = 0;
	}

	/* pass 2: every value into its owner's slice, in arrival order */
	for (chunk = log->head; chunk != NULL;)
	{
		RowLogChunk *next = chunk->next;

		for (i = 0; i < chunk->used; i++)
		{
			RowLogOwner *o = chunk->entries[i].owner;

			if (i + ROW_LOG_PREFETCH_DISTANCE < chunk->used)
				row_log_prefetch(chunk->entries[i + ROW_LOG_PREFETCH_DISTANCE].owner);
			o->slice[o->pending++] = chunk->entries[i].value;
		}
		pfree(chunk);
		chunk = next;
		CHECK_FOR_INTERRUPTS();
	}
	log->head = log->tail = NULL;
	log->count = 0;

	/* each owner takes its rows */
	for (i = 0; i < nowners; i++)
	{
		RowLogOwner *o = owners[i];
		int64		n = o->pending;

		o->pending = 0;
		log->ops->attach(o, o->slice, n);
		o->slice = NULL;
	}
	pfree(owners);
}
