/*
 * group_log.c
 *		One sequential log of (group, value) rows for all the groups of a
 *		hashed aggregate, sorted by group when first read; see group_log.h.
 */
#include "postgres.h"

#include <sys/mman.h>
#include <unistd.h>

#include "miscadmin.h"
#include "utils/memutils.h"

#include "group_log.h"

/* Chunks of rows grow from 4096 rows (48 kB) to 1M rows (12 MB). */
#define GROUP_LOG_CHUNK_MIN		4096
#define GROUP_LOG_CHUNK_MAX		(1024 * 1024)

/* Buckets of the first pass of a sort: a few streams, all in the cache. */
#define GROUP_LOG_BUCKETS		256

/* Groups one log numbers at most: a reference keeps 30 bits for them. */
#define GROUP_LOG_MAX_GROUPS	((uint32) ((UINT64CONST(1) << GROUP_LOG_GROUP_BITS) - 1))

/* Serial numbers: 8 bits of a reference, 0 never used. */
#define GROUP_LOG_MAX_SERIAL	255

StaticAssertDecl(SIZEOF_DATUM == 8, "group log references need 64-bit Datums");
StaticAssertDecl(GROUP_LOG_GROUP_SHIFT == GROUP_LOG_COUNT_SHIFT + GROUP_LOG_COUNT_BITS &&
				 GROUP_LOG_SERIAL_SHIFT == GROUP_LOG_GROUP_SHIFT + GROUP_LOG_GROUP_BITS &&
				 GROUP_LOG_SERIAL_SHIFT + 8 == 64,
				 "a reference's fields must fill its 64 bits");

typedef struct GroupLogChunk
{
	struct GroupLogChunk *next;
	int32		nrows;
	int64	   *values;
	uint32	   *groups;
} GroupLogChunk;

/*
 * The live logs of this backend (one or two per query), so that a final
 * function can find the log of a reference.  A log leaves the list when its
 * aggregate context is reset or deleted.
 */
static GroupLog *live_logs = NULL;

/* The serial number given last (the next one is the first free after it). */
static uint32 last_serial = 0;

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

/* The aggregate context is being reset: its log is gone. */
static void
group_log_forget(void *arg)
{
	GroupLog   *log = (GroupLog *) arg;
	GroupLog  **link;

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

/*
 * A serial number no live log has, cycling through 1-255 so that a number
 * comes back as late as possible.  A query holds a log per aggregate call
 * and grouping set, far fewer than 255.
 */
static uint32
group_log_free_serial(void)
{
	int			tries;

	for (tries = 0; tries < GROUP_LOG_MAX_SERIAL; tries++)
	{
		GroupLog   *live;

		last_serial = last_serial % GROUP_LOG_MAX_SERIAL + 1;
		for (live = live_logs; live != NULL; live = live->next_live)
		{
			if (live->serial == last_serial)
				break;
		}
		if (live == NULL)
			return last_serial;
	}
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("a session may run at most %d hashed funnel aggregates at once",
					GROUP_LOG_MAX_SERIAL),
			 errhint("Close cursors that are still reading funnel aggregates, or split the query.")));
	return 0;					/* keep the compiler quiet */
}

GroupLog *
group_log_for_slow(CxLogSlot **cache, MemoryContext fn_mcxt,
				   MemoryContext cxt)
{
	CxLogSlot  *slot = cx_log_slot(cache, fn_mcxt, cxt);
	GroupLog   *log;

	if (slot->log != NULL)
		return (GroupLog *) slot->log;
	log = MemoryContextAllocZero(cxt, sizeof(GroupLog));
	log->cxt = cxt;
	log->serial = group_log_free_serial();
	log->next_live = live_logs;
	live_logs = log;
	log->cache = slot;
	cx_log_slot_fill(slot, cxt, log, &log->reset_callback, group_log_forget);
	return log;
}

/*
 * Rows or groups arriving after the log was read.  PostgreSQL reads every
 * input row before it finalizes, serializes or combines any hashed group
 * (and a rescan or a spilled batch resets the context, so it gets a new
 * log); the log relies on that rather than re-sorting.
 */
static void
group_log_check_unread(const GroupLog *log)
{
	if (log->rows != NULL)
		elog(ERROR, "cx_journey: a group log received rows after it was read");
}

Datum
group_log_new_group(GroupLog *log)
{
	group_log_check_unread(log);
	if (log->ngroups >= GROUP_LOG_MAX_GROUPS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("an aggregate of cx_journey takes at most %d groups in one hash table",
						(int) GROUP_LOG_MAX_GROUPS),
				 errhint("Lower work_mem so that the hash aggregation spills to batches, or group in several queries.")));
	return UInt64GetDatum(((uint64) log->serial << GROUP_LOG_SERIAL_SHIFT) |
						  ((uint64) log->ngroups++ << GROUP_LOG_GROUP_SHIFT) | 1);
}

GroupLog *
group_log_of(Datum ref)
{
	GroupLog   *log;

	for (log = live_logs; log != NULL; log = log->next_live)
	{
		if (group_log_owns(log, ref))
			return log;
	}
	elog(ERROR, "cx_journey: aggregate state refers to no live group log");
	return NULL;				/* keep the compiler quiet */
}

/* The filling chunk is full (or there is none): start the next one. */
void
group_log_next_chunk(GroupLog *log)
{
	GroupLogChunk *chunk;
	Size		room;
	Size		bytes;

	group_log_check_unread(log);
	/* chunks double from small, so a GROUP BY of few rows stays small */
	if (log->last_chunk == NULL)
		room = GROUP_LOG_CHUNK_MIN;
	else
	{
		log->last_chunk->nrows = log->used;
		room = Min((Size) log->room * 2, GROUP_LOG_CHUNK_MAX);
	}
	bytes = MAXALIGN(sizeof(GroupLogChunk)) + room * (sizeof(int64) + sizeof(uint32));
	chunk = MemoryContextAlloc(log->cxt, bytes);
	cx_map_pages(chunk, bytes);
	chunk->next = NULL;
	chunk->nrows = 0;
	chunk->values = (int64 *) ((char *) chunk + MAXALIGN(sizeof(GroupLogChunk)));
	chunk->groups = (uint32 *) (chunk->values + room);
	if (log->last_chunk == NULL)
		log->chunks = chunk;
	else
		log->last_chunk->next = chunk;
	log->last_chunk = chunk;
	log->values = chunk->values;
	log->groups = chunk->groups;
	log->used = 0;
	log->room = (int32) room;
	CHECK_FOR_INTERRUPTS();
}

/* The results array: one byte per group. */
static void
group_log_new_results(GroupLog *log)
{
	log->results = MemoryContextAllocHuge(log->cxt, Max(log->ngroups, 1));
}

/* Answer groups from .. to - 1 over the sorted rows. */
static void
group_log_answer(GroupLog *log, uint32 from, uint32 to,
				 int (*evaluate) (int64 *rows, int64 n, void *user))
{
	uint32		g;

	for (g = from; g < to; g++)
	{
		log->results[g] = (int8) evaluate(log->rows + log->offsets[g],
										  log->offsets[g + 1] - log->offsets[g],
										  log->user);
		if ((g & 1023) == 1023)
			CHECK_FOR_INTERRUPTS();
	}
}

/*
 * Put every row in group order, keeping each group's arrival order, and
 * when evaluate is given answer every group on the way.  Two passes, so that neither scatters rows over the whole
 * log: the first splits the rows into at most 256 buckets of consecutive
 * groups (sequential writes into a few streams), the second orders each
 * bucket by group within a scratch area small enough to stay in the cache,
 * and evaluates its groups while their rows are still there.
 */
static void
group_log_sort(GroupLog *log, int (*evaluate) (int64 *rows, int64 n, void *user))
{
	uint32		ngroups = log->ngroups;
	int			shift = 0;
	uint32		nbuckets;
	int64		bucket_start[GROUP_LOG_BUCKETS + 1];
	int64		bucket_next[GROUP_LOG_BUCKETS];
	int64		total = 0;
	int64		largest = 0;
	int64	   *values;			/* the rows, by bucket, then by group */
	uint32	   *groups;
	int64	   *offsets;
	int64	   *scratch;
	int32	   *cursor;
	uint32		b;
	uint32		g;
	GroupLogChunk *chunk;

	if (log->last_chunk != NULL)
		log->last_chunk->nrows = log->used;
	while ((((uint64) ngroups + (UINT64CONST(1) << shift) - 1) >> shift) > GROUP_LOG_BUCKETS)
		shift++;
	nbuckets = (uint32) (((uint64) ngroups + (UINT64CONST(1) << shift) - 1) >> shift);

	/* first pass: count the rows of each bucket, then move them there */
	memset(bucket_start, 0, sizeof(bucket_start));
	for (chunk = log->chunks; chunk != NULL; chunk = chunk->next)
	{
		const uint32 *chunk_groups = chunk->groups;
		int32		i;

		for (i = 0; i < chunk->nrows; i++)
			bucket_start[chunk_groups[i] >> shift]++;
	}
	for (b = 0; b < nbuckets; b++)
	{
		int64		count = bucket_start[b];

		bucket_start[b] = total;
		bucket_next[b] = total;
		total += count;
		largest = Max(largest, count);
	}
	bucket_start[nbuckets] = total;
	values = MemoryContextAllocHuge(log->cxt, Max(total, 1) * sizeof(int64));
	groups = MemoryContextAllocHuge(log->cxt, Max(total, 1) * sizeof(uint32));
	cx_map_pages(values, total * sizeof(int64));
	cx_map_pages(groups, total * sizeof(uint32));
	chunk = log->chunks;
	while (chunk != NULL)
	{
		GroupLogChunk *next = chunk->next;
		const int64 *chunk_values = chunk->values;
		const uint32 *chunk_groups = chunk->groups;
		int32		i;

		for (i = 0; i < chunk->nrows; i++)
		{
			int64		at = bucket_next[chunk_groups[i] >> shift]++;

			values[at] = chunk_values[i];
			groups[at] = chunk_groups[i];
		}
		pfree(chunk);
		chunk = next;
		CHECK_FOR_INTERRUPTS();
	}
	log->chunks = NULL;
	log->last_chunk = NULL;
	log->values = NULL;
	log->groups = NULL;
	log->used = 0;
	log->room = 0;

	/* second pass: each bucket by group, through the scratch area */
	offsets = MemoryContextAllocHuge(log->cxt, ((Size) ngroups + 1) * sizeof(int64));
	offsets[ngroups] = total;
	scratch = MemoryContextAllocHuge(log->cxt, Max(largest, 1) * sizeof(int64));
	cursor = MemoryContextAllocHuge(log->cxt, sizeof(int32) << shift);
	log->rows = values;
	log->offsets = offsets;
	if (evaluate != NULL)
		group_log_new_results(log);
	for (b = 0; b < nbuckets; b++)
	{
		uint32		first = b << shift;
		uint32		count = Min(ngroups - first, (uint32) 1 << shift);
		int64		start = bucket_start[b];
		int64		end = bucket_start[b + 1];
		int32		at = 0;
		int64		i;

		memset(cursor, 0, count * sizeof(int32));
		for (i = start; i < end; i++)
			cursor[groups[i] - first]++;
		for (g = 0; g < count; g++)
		{
			int32		rows = cursor[g];

			offsets[first + g] = start + at;
			cursor[g] = at;
			at += rows;
		}
		for (i = start; i < end; i++)
			scratch[cursor[groups[i] - first]++] = values[i];
		memcpy(values + start, scratch, (end - start) * sizeof(int64));
		/* the next bucket's first offset, so this one's last group ends */
		offsets[first + count] = end;
		if (evaluate != NULL)
			group_log_answer(log, first, first + count, evaluate);
		CHECK_FOR_INTERRUPTS();
	}
	pfree(cursor);
	pfree(scratch);
	pfree(groups);
}

int64 *
group_log_rows(GroupLog *log, uint32 group, int64 *n)
{
	Assert(group < log->ngroups);
	if (log->rows == NULL)
		group_log_sort(log, NULL);
	*n = log->offsets[group + 1] - log->offsets[group];
	return log->rows + log->offsets[group];
}

int
group_log_result(GroupLog *log, uint32 group,
				 int (*evaluate) (int64 *rows, int64 n, void *user))
{
	Assert(group < log->ngroups);
	if (log->rows == NULL)
		group_log_sort(log, evaluate);
	if (log->results == NULL)
	{
		/* sorted for another reader first: answer every group now */
		group_log_new_results(log);
		group_log_answer(log, 0, log->ngroups, evaluate);
	}
	return log->results[group];
}
