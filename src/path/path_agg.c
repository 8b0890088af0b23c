/*
 * path_agg.c
 *		milestone_path_agg(label, at): one customer's rows, in any order, as
 *		a milestone_path.
 *
 * Rules (documented in README.md):
 * - rows with a NULL label or a NULL time are skipped; no row left: NULL;
 * - steps are ordered by time, and rows at the same instant by label
 *   (bytes), so the result never depends on row order or on how parallel
 *   workers split the rows; repeated rows all stay;
 * - an empty label, one longer than 255 bytes or an infinite time is an
 *   error (22023), and so are more than PATH_MAX_STEPS rows (54000).
 *
 * Memory: hashed aggregation keeps every customer's state at once, and
 * customers' rows arrive interleaved, so a state that grew by moving to a
 * bigger allocation would leave its old one behind, unused (about as much
 * again as the rows).  Instead a group's rows, 12 bytes each (the time and
 * a label number), go into fixed segments that never move, carved from an
 * arena with no per-allocation header: 5 rows per 64-byte segment, each
 * with a 4-byte reference to the one before.  A group's state is a 16-byte
 * head, palloc'd in the aggregate context (see path_agg_create).  Most
 * rows are written into their segments some rows after they arrive
 * (PathAggPending, the one mechanism here that exists for speed alone).  The
 * labels live once per aggregate context, in a dictionary that every group
 * of the call shares (PathAggShared, with the arena); a state points at it,
 * and a state that leaves the call (serialize) carries its own labels.
 */
#include "milestone_path.h"

#include "common/hashfn.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

struct PathAggCache;

/*
 * A reference into the arena: the block number in the high 12 bits, the
 * offset in the block, in 8-byte units, in the low 20 (blocks up to 8 MB).
 */
typedef uint32 PathAggRef;

#define PATH_AGG_OFFSET_BITS	20
#define PATH_AGG_MAX_BLOCKS		4096
#define PATH_AGG_FIRST_BLOCK	1024
#define PATH_AGG_MID_BLOCK		(1024 * 1024)
#define PATH_AGG_BIG_BLOCK		(8 * 1024 * 1024)

/*
 * Rows on their way into their segments.  Under hashed aggregation
 * consecutive rows go to different groups, and a group's last segment has
 * left the cache (and the TLB) since its last row: writing a row there at
 * once stalls on a miss per row.  Instead its place is prefetched when the
 * row arrives and the row written when PATH_AGG_PENDING more rows have been
 * queued, while the executor works on the rows in between: 0.19 to 0.22
 * off the time ratio to the GROUP BY floor, in paired runs
 * (doc/performance.md, "Rows written late").  A row that starts a segment
 * is written at once: the segment was just carved from the arena's end,
 * which is in cache.  Every reader of a state's rows goes through
 * path_agg_rows, which writes the queued rows first.
 */
#define PATH_AGG_PENDING		16

typedef struct PathAggPending
{
	char	   *row;			/* where the row goes */
	TimestampTz at;
	uint32		id;
} PathAggPending;

#if defined(__GNUC__) || defined(__clang__)
#define path_agg_prefetch(p)	__builtin_prefetch((p), 1)
#else
#define path_agg_prefetch(p)	((void) 0)
#endif

/*
 * The labels and the arena of every group of one call site in one
 * aggregate context.  It lives in that context, so it goes when the
 * context is reset (the next group of a sorted aggregation, the next batch
 * of a spilling hash aggregation, a rescan), and with it every state that
 * refers to it; the reset callback then forgets it in the call site's
 * cache.
 */
typedef struct PathAggShared
{
	PathDict	dict;
	MemoryContext cxt;
	char	  **blocks;
	uint32		nblocks;
	uint32		maxblocks;
	Size		block_size;		/* of the last block */
	Size		used;			/* bytes used in the last block */
	MemoryContextCallback on_reset;
	struct PathAggCache *cache;
	/* rows queued, not yet written: the first min(npending, PATH_AGG_PENDING) */
	uint64		npending;
	PathAggPending pending[PATH_AGG_PENDING];
} PathAggShared;

/*
 * A call site's (fn_extra) way to its PathAggShared in each aggregate
 * context it works in: grouping sets give one call site several contexts
 * at once (one per sorted set, one for the hashed sets), used row by row in
 * turn, so one slot would make a new PathAggShared for nearly every group.
 * fn_extra lives in the executor's per-query context, the parent of every
 * aggregate context, so it outlives what it points to.
 */
#define PATH_AGG_CACHE_SLOTS	8

typedef struct PathAggCache
{
	MemoryContext cxt[PATH_AGG_CACHE_SLOTS];
	PathAggShared *shared[PATH_AGG_CACHE_SLOTS];
	int			next;			/* the slot to take when none is free */
} PathAggCache;

/*
 * A group's state.  Row r of the group is row r % PATH_AGG_SEGMENT_ROWS of
 * its (r / PATH_AGG_SEGMENT_ROWS)-th segment; tail is the last segment,
 * which holds row nrows - 1, and each segment's reference leads to the one
 * before.  A row is 12 bytes: the time (8) and the label's number in
 * shared->dict (4), read and written with memcpy.  Together with its first
 * segment, 80 bytes: the declared SSPACE.
 */
typedef struct PathAggState
{
	PathAggShared *shared;
	PathAggRef	tail;			/* the segment the last rows go to */
	uint32		nrows;
} PathAggState;

#define PATH_AGG_ROW_SIZE		12
#define PATH_AGG_SEGMENT_ROWS	5
/* 64 bytes: the rows, then the reference to the segment before */
#define PATH_AGG_SEGMENT_SIZE \
	(PATH_AGG_SEGMENT_ROWS * PATH_AGG_ROW_SIZE + sizeof(PathAggRef))
#define PATH_AGG_PREVIOUS(segment) \
	((segment) + PATH_AGG_SEGMENT_ROWS * PATH_AGG_ROW_SIZE)

StaticAssertDecl(PATH_AGG_SEGMENT_SIZE % 8 == 0, "arena pieces keep 8-byte alignment");

static inline char *
path_agg_ptr(const PathAggShared *shared, PathAggRef ref)
{
	return shared->blocks[ref >> PATH_AGG_OFFSET_BITS] +
		((Size) (ref & ((1 << PATH_AGG_OFFSET_BITS) - 1)) << 3);
}

/* size bytes (a multiple of 8) from the arena; *ref says where */
static char *
path_agg_alloc(PathAggShared *shared, Size size, PathAggRef *ref)
{
	char	   *piece;

	if (shared->nblocks == 0 || shared->used + size > shared->block_size)
	{
		Size		block_size;

		if (shared->nblocks >= PATH_AGG_MAX_BLOCKS)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("milestone_path_agg cannot keep more rows in memory at once"),
					 errhint("Lower work_mem or hash_mem_multiplier, so that hashed aggregation spills to disk.")));
		/* small blocks while a sorted aggregation makes one arena per group */
		if (shared->nblocks < 10)
			block_size = (Size) PATH_AGG_FIRST_BLOCK << shared->nblocks;
		else if (shared->nblocks < 1024)
			block_size = PATH_AGG_MID_BLOCK;
		else
			block_size = PATH_AGG_BIG_BLOCK;
		if (shared->nblocks >= shared->maxblocks)
		{
			shared->maxblocks *= 2;
			shared->blocks = repalloc(shared->blocks, sizeof(char *) * shared->maxblocks);
		}
		shared->blocks[shared->nblocks++] = MemoryContextAlloc(shared->cxt, block_size);
		shared->block_size = block_size;
		shared->used = 0;
	}
	piece = shared->blocks[shared->nblocks - 1] + shared->used;
	*ref = ((PathAggRef) (shared->nblocks - 1) << PATH_AGG_OFFSET_BITS) |
		(PathAggRef) (shared->used >> 3);
	shared->used += size;
	return piece;
}

/* The reset callback: forget the PathAggShared in its call site's cache. */
static void
path_agg_shared_reset(void *arg)
{
	PathAggShared *shared = (PathAggShared *) arg;
	PathAggCache *cache = shared->cache;
	int			i;

	for (i = 0; i < PATH_AGG_CACHE_SLOTS; i++)
	{
		if (cache->shared[i] == shared)
		{
			cache->shared[i] = NULL;
			cache->cxt[i] = NULL;
		}
	}
}

/* A new, empty PathAggShared in cxt. */
static PathAggShared *
path_agg_shared_new(MemoryContext cxt)
{
	PathAggShared *shared = MemoryContextAlloc(cxt, sizeof(PathAggShared));

	path_dict_init(&shared->dict, cxt, 8);
	shared->cxt = cxt;
	shared->maxblocks = 8;
	shared->blocks = MemoryContextAlloc(cxt, sizeof(char *) * shared->maxblocks);
	shared->nblocks = 0;
	shared->block_size = 0;
	shared->used = 0;
	shared->cache = NULL;
	shared->npending = 0;
	return shared;
}

/* The PathAggShared of this call site in aggcxt, made on first use. */
static PathAggShared *
path_agg_shared(FunctionCallInfo fcinfo, MemoryContext aggcxt)
{
	PathAggCache *cache = cx_call_site_cache(fcinfo, sizeof(PathAggCache));
	PathAggShared *shared;
	int			slot = -1;
	int			i;

	for (i = 0; i < PATH_AGG_CACHE_SLOTS; i++)
	{
		if (cache->shared[i] != NULL && cache->cxt[i] == aggcxt)
			return cache->shared[i];
		if (cache->shared[i] == NULL && slot < 0)
			slot = i;
	}
	if (slot < 0)
	{
		/* more contexts than slots: the one replaced stays valid for its states */
		slot = cache->next;
		cache->next = (cache->next + 1) % PATH_AGG_CACHE_SLOTS;
	}
	shared = path_agg_shared_new(aggcxt);
	shared->cache = cache;
	shared->on_reset.func = path_agg_shared_reset;
	shared->on_reset.arg = shared;
	MemoryContextRegisterResetCallback(aggcxt, &shared->on_reset);
	cache->cxt[slot] = aggcxt;
	cache->shared[slot] = shared;
	return shared;
}

/*
 * A new, empty state.  The head is palloc'd in the aggregate context, not
 * carved from the arena: hashed aggregation allocates a new group's key and
 * per-group slots in that context just before the group's first row reaches
 * the transition function, so the head lands beside them, in memory the
 * executor touches for every row of the group anyway.  From the arena it
 * was one more cache miss per row (2.34 -> 1.96 x the GROUP BY floor,
 * doc/performance.md, "milestone_path_agg's group head").
 */
static PathAggState *
path_agg_create(PathAggShared *shared)
{
	PathAggState *state = MemoryContextAlloc(shared->cxt, sizeof(PathAggState));

	state->shared = shared;
	state->tail = 0;
	state->nrows = 0;
	return state;
}

/* Whether row (at, id) may follow row (prev_at, prev_id) in path order. */
static inline bool
path_agg_follows(const PathDict *dict, TimestampTz prev_at, uint32 prev_id,
				 TimestampTz at, uint32 id)
{
	if (prev_at != at)
		return prev_at < at;
	if (prev_id == id)
		return true;
	return path_label_cmp(path_dict_label(dict, prev_id), dict->lengths[prev_id],
						  path_dict_label(dict, id), dict->lengths[id]) <= 0;
}

/* Write a row into its place in a segment. */
static inline void
path_agg_write(char *row, TimestampTz at, uint32 id)
{
	memcpy(row, &at, sizeof(TimestampTz));
	memcpy(row + sizeof(TimestampTz), &id, sizeof(uint32));
}

/* Write the rows queued for shared's states. */
static void
path_agg_write_pending(PathAggShared *shared)
{
	uint64		queued = Min(shared->npending, PATH_AGG_PENDING);
	uint64		i;

	for (i = 0; i < queued; i++)
		path_agg_write(shared->pending[i].row, shared->pending[i].at, shared->pending[i].id);
	shared->npending = 0;
}

/*
 * Append a row (id numbers a label of state->shared->dict): at once when
 * it starts a segment, else queued (see PathAggPending).
 */
static inline void
path_agg_push(PathAggState *state, TimestampTz at, uint32 id)
{
	PathAggShared *shared = state->shared;
	uint32		n = state->nrows;
	PathAggPending *pending;
	char	   *row;

	if (n >= PATH_MAX_STEPS)
		path_check_steps((int64) n + 1);
	state->nrows = n + 1;
	if (n % PATH_AGG_SEGMENT_ROWS == 0)
	{
		/* a new segment, leading back to the last one (none for the first) */
		PathAggRef	ref;

		row = path_agg_alloc(shared, PATH_AGG_SEGMENT_SIZE, &ref);
		memcpy(PATH_AGG_PREVIOUS(row), &state->tail, sizeof(PathAggRef));
		state->tail = ref;
		path_agg_write(row, at, id);
		return;
	}
	row = path_agg_ptr(shared, state->tail) + (n % PATH_AGG_SEGMENT_ROWS) * PATH_AGG_ROW_SIZE;
	path_agg_prefetch(row);
	/* the slot's row, queued PATH_AGG_PENDING rows ago, goes in first */
	pending = &shared->pending[shared->npending % PATH_AGG_PENDING];
	if (shared->npending >= PATH_AGG_PENDING)
		path_agg_write(pending->row, pending->at, pending->id);
	shared->npending++;
	pending->row = row;
	pending->at = at;
	pending->id = id;
}

/*
 * A state's rows, in arrival order, into times[] and ids[] (nrows each):
 * the queued rows of every state of state->shared written first, then
 * segment by segment from the tail back to the first.
 */
static void
path_agg_rows(const PathAggState *state, TimestampTz *times, uint32 *ids)
{
	PathAggRef	ref = state->tail;
	uint32		end = state->nrows;
	uint32		first;
	uint32		segments = 0;
	uint32		r;

	if (end == 0)
		return;
	path_agg_write_pending(state->shared);
	/* the first row of the tail segment */
	first = (end - 1) / PATH_AGG_SEGMENT_ROWS * PATH_AGG_SEGMENT_ROWS;
	for (;;)
	{
		const char *segment = path_agg_ptr(state->shared, ref);

		if ((segments++ & 0x3FFF) == 0)
			CHECK_FOR_INTERRUPTS();
		for (r = first; r < end; r++)
		{
			const char *row = segment + (r - first) * PATH_AGG_ROW_SIZE;

			memcpy(&times[r], row, sizeof(TimestampTz));
			memcpy(&ids[r], row + sizeof(TimestampTz), sizeof(uint32));
		}
		if (first == 0)
			break;
		end = first;
		first -= PATH_AGG_SEGMENT_ROWS;
		memcpy(&ref, PATH_AGG_PREVIOUS(segment), sizeof(PathAggRef));
	}
}

/* milestone_path_agg transition: remember one (label, time) row. */
PG_FUNCTION_INFO_V1(milestone_path_agg_transfn);
Datum
milestone_path_agg_transfn(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	PathAggState *state;
	text	   *label;
	int			len;
	TimestampTz at;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "milestone_path_agg_transfn called in non-aggregate context");
	state = PG_ARGISNULL(0) ? NULL : (PathAggState *) PG_GETARG_POINTER(0);
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		if (state == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(state);
	}
	label = PG_GETARG_TEXT_PP(1);
	len = VARSIZE_ANY_EXHDR(label);
	at = PG_GETARG_TIMESTAMPTZ(2);
	if (len < 1 || len > CX_PATH_LABEL_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("milestone label \"%s\" is %d bytes; a label is 1 to %d bytes",
						cx_quote_literal(VARDATA_ANY(label), len), len,
						CX_PATH_LABEL_MAX),
				 errhint("Pass NULL to skip a row, or shorten the label.")));
	if (TIMESTAMP_NOT_FINITE(at))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("milestone \"%s\" cannot be reached at %s",
						cx_quote_literal(VARDATA_ANY(label), len),
						TIMESTAMP_IS_NOBEGIN(at) ? "-infinity" : "infinity"),
				 errhint("Give each row a finite time, or NULL to skip the row.")));
	if (state == NULL)
		state = path_agg_create(path_agg_shared(fcinfo, aggcxt));
	path_agg_push(state, at, path_dict_intern(&state->shared->dict, VARDATA_ANY(label), len));
	PG_RETURN_POINTER(state);
}

/*
 * A small map from dictionary numbers to a group's own numbers 0, 1, ...
 * in order of first lookup: a group's labels without a table the size of
 * the whole dictionary.
 */
typedef struct PathAggIdMap
{
	uint32		mask;
	uint32		count;
	uint32	   *keys;			/* dictionary number + 1, or 0 for empty */
	uint32	   *values;
	uint32	   *ids;			/* dictionary number of each own number */
	const PathDict *dict;
} PathAggIdMap;

static void
path_agg_idmap_init(PathAggIdMap *map, int64 nrows, const PathDict *dict)
{
	int64		distinct = Min(nrows, (int64) dict->count);
	uint32		nslots = 8;

	while (nslots < distinct * 2)
		nslots *= 2;
	map->mask = nslots - 1;
	map->dict = dict;
	map->count = 0;
	/* one allocation: keys (zeroed), values, ids */
	map->keys = palloc0(sizeof(uint32) * (2 * (Size) nslots + Max(distinct, 1)));
	map->values = map->keys + nslots;
	map->ids = map->values + nslots;
}

static void
path_agg_idmap_free(PathAggIdMap *map)
{
	pfree(map->keys);
}

/* The group's own number of dictionary number id, given on first lookup. */
static inline uint32
path_agg_idmap_get(PathAggIdMap *map, uint32 id)
{
	uint32		slot = murmurhash32(id) & map->mask;

	while (map->keys[slot] != 0)
	{
		if (map->keys[slot] == id + 1)
			return map->values[slot];
		slot = (slot + 1) & map->mask;
	}
	map->keys[slot] = id + 1;
	map->values[slot] = map->count;
	map->ids[map->count] = id;
	return map->count++;
}

/* Append right's rows to left. */
static void
path_agg_merge(PathAggState *left, const PathAggState *right)
{
	const PathDict *from = &right->shared->dict;
	TimestampTz *times;
	uint32	   *ids;
	uint32	   *to = NULL;
	PathAggIdMap map;
	uint32		i;
	uint32		r;

	if (right->nrows == 0)
		return;
	path_check_steps((int64) left->nrows + right->nrows);
	times = palloc(sizeof(TimestampTz) * right->nrows);
	ids = palloc(sizeof(uint32) * right->nrows);
	path_agg_rows(right, times, ids);
	if (left->shared != right->shared)
	{
		/* renumber right's labels into left's dictionary, once per label */
		path_agg_idmap_init(&map, right->nrows, from);
		for (r = 0; r < right->nrows; r++)
			ids[r] = path_agg_idmap_get(&map, ids[r]);
		to = palloc(sizeof(uint32) * Max(map.count, 1));
		for (i = 0; i < map.count; i++)
			to[i] = path_dict_intern(&left->shared->dict,
									 path_dict_label(from, map.ids[i]),
									 from->lengths[map.ids[i]]);
		for (r = 0; r < right->nrows; r++)
			ids[r] = to[ids[r]];
		pfree(to);
		path_agg_idmap_free(&map);
	}
	for (r = 0; r < right->nrows; r++)
	{
		if ((r & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		path_agg_push(left, times[r], ids[r]);
	}
	pfree(times);
	pfree(ids);
}

/* milestone_path_agg combine: merge two partial states. */
PG_FUNCTION_INFO_V1(milestone_path_agg_combinefn);
Datum
milestone_path_agg_combinefn(PG_FUNCTION_ARGS)
{
	PathAggState *left;
	PathAggState *right;

	MemoryContext aggcxt;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "milestone_path_agg_combinefn called in non-aggregate context");
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(PG_GETARG_POINTER(0));
	}
	right = (PathAggState *) PG_GETARG_POINTER(1);
	/*
	 * right may live in a short-lived context (deserialize builds it in the
	 * per-row one), so a missing left becomes a copy in the aggregate
	 * context; left grows in its own arena.
	 */
	if (PG_ARGISNULL(0))
		left = path_agg_create(path_agg_shared(fcinfo, aggcxt));
	else
		left = (PathAggState *) PG_GETARG_POINTER(0);
	path_agg_merge(left, right);
	PG_RETURN_POINTER(left);
}

/*
 * Serialize: label count, each label (1-byte length, bytes), row count,
 * each row (int8 time, int4 label number); the labels are the group's own,
 * numbered by first appearance among the rows, so the bytes stand alone.
 */
PG_FUNCTION_INFO_V1(milestone_path_agg_serialize);
Datum
milestone_path_agg_serialize(PG_FUNCTION_ARGS)
{
	PathAggState *state = (PathAggState *) PG_GETARG_POINTER(0);
	const PathDict *dict = &state->shared->dict;
	uint32		n = state->nrows;
	TimestampTz *times = palloc(sizeof(TimestampTz) * Max(n, 1));
	uint32	   *ids = palloc(sizeof(uint32) * Max(n, 1));
	PathAggIdMap map;
	StringInfoData buf;
	bytea	   *result;
	Size		label_bytes = 0;
	uint32		i;
	uint32		r;

	path_agg_rows(state, times, ids);
	path_agg_idmap_init(&map, n, dict);
	for (r = 0; r < n; r++)
		ids[r] = path_agg_idmap_get(&map, ids[r]);
	for (i = 0; i < map.count; i++)
		label_bytes += dict->lengths[map.ids[i]];
	/* at most 1,000,000 rows and labels of at most 256 bytes: under 1 GB */
	result = cx_bytea_writer(12 + map.count + label_bytes + (Size) n * 12, &buf);
	pq_writeint32(&buf, map.count);
	for (i = 0; i < map.count; i++)
	{
		uint32		id = map.ids[i];

		pq_writeint8(&buf, dict->lengths[id]);
		memcpy(buf.data + buf.len, path_dict_label(dict, id), dict->lengths[id]);
		buf.len += dict->lengths[id];
	}
	pq_writeint64(&buf, n);
	for (r = 0; r < n; r++)
	{
		if ((r & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		pq_writeint64(&buf, times[r]);
		pq_writeint32(&buf, ids[r]);
	}
	Assert(buf.len == buf.maxlen);
	path_agg_idmap_free(&map);
	pfree(times);
	pfree(ids);
	PG_RETURN_BYTEA_P(result);
}

/* Deserialize: the serialized state back, every count, length and id checked. */
PG_FUNCTION_INFO_V1(milestone_path_agg_deserialize);
Datum
milestone_path_agg_deserialize(PG_FUNCTION_ARGS)
{
	StringInfoData buf;
	PathAggShared *shared;
	PathAggState *state;
	int32		nlabels;
	int64		nrows;
	uint32	   *remap;
	int32		i;
	int64		r;

	/*
	 * The state is built in the current (per-row) context, not the
	 * aggregate's: a spilling hash aggregation deserializes rows it then
	 * writes to a later batch, and combine copies what it keeps.
	 */
	(void) cx_deserialize_start(fcinfo, "milestone_path_agg_deserialize", &buf);
	nlabels = pq_getmsgint(&buf, 4);
	if (nlabels < 0 || nlabels > PATH_MAX_STEPS || nlabels * 2 > buf.len - buf.cursor)
		cx_bad_state("milestone_path_agg", "label count %d", nlabels);
	shared = path_agg_shared_new(CurrentMemoryContext);
	remap = palloc(sizeof(uint32) * Max(nlabels, 1));
	for (i = 0; i < nlabels; i++)
	{
		int			len = pq_getmsgbyte(&buf);
		const char *label;

		if (len < 1 || len > buf.len - buf.cursor)
			cx_bad_state("milestone_path_agg", "label %d has length %d", i + 1, len);
		label = pq_getmsgbytes(&buf, len);
		if (!cx_valid_text(label, len))
			cx_bad_state("milestone_path_agg", "label %d is not valid text", i + 1);
		/* interning merges repeated labels, keeping the dictionary distinct */
		remap[i] = path_dict_intern(&shared->dict, label, len);
	}
	nrows = pq_getmsgint64(&buf);
	if (nrows < 0 || nrows > PATH_MAX_STEPS || nrows * 12 != buf.len - buf.cursor)
		cx_bad_state("milestone_path_agg", "row count " INT64_FORMAT " does not match the %d bytes left",
					 nrows, buf.len - buf.cursor);
	state = path_agg_create(shared);
	for (r = 0; r < nrows; r++)
	{
		TimestampTz at = pq_getmsgint64(&buf);
		uint32		id = (uint32) pq_getmsgint(&buf, 4);

		if ((r & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (TIMESTAMP_NOT_FINITE(at) || !IS_VALID_TIMESTAMP(at))
			cx_bad_state("milestone_path_agg", "row " INT64_FORMAT " has an invalid time", r + 1);
		if (id >= (uint32) nlabels)
			cx_bad_state("milestone_path_agg", "row " INT64_FORMAT " names label %u of %d",
						 r + 1, id, nlabels);
		path_agg_push(state, at, remap[id]);
	}
	pfree(remap);
	PG_RETURN_POINTER(state);
}

/* A row in final order: time, then the label's rank among the group's labels. */
typedef struct PathSortRow
{
	TimestampTz at;
	uint32		rank;
	uint32		own;			/* the group's own label number */
} PathSortRow;

#define ST_SORT path_sort_rows
#define ST_ELEMENT_TYPE PathSortRow
#define ST_COMPARE(a, b) \
	((a)->at != (b)->at ? ((a)->at < (b)->at ? -1 : 1) : \
	 ((a)->rank != (b)->rank ? ((a)->rank < (b)->rank ? -1 : 1) : 0))
#define ST_SCOPE static
#define ST_CHECK_FOR_INTERRUPTS
#define ST_DEFINE
#include "lib/sort_template.h"

/* Order two of a group's own label numbers by their labels' bytes. */
static int
path_own_label_cmp(const void *a, const void *b, void *arg)
{
	const PathAggIdMap *map = (const PathAggIdMap *) arg;
	uint32		x = map->ids[*(const uint32 *) a];
	uint32		y = map->ids[*(const uint32 *) b];

	return path_label_cmp(path_dict_label(map->dict, x), map->dict->lengths[x],
						  path_dict_label(map->dict, y), map->dict->lengths[y]);
}

/* milestone_path_agg final: the rows in (time, label) order, as a path. */
PG_FUNCTION_INFO_V1(milestone_path_agg_finalfn);
Datum
milestone_path_agg_finalfn(PG_FUNCTION_ARGS)
{
	PathAggState *state;
	const PathDict *dict;
	PathAggIdMap map;
	uint32	   *ids;
	TimestampTz *times;
	const char **labels;
	uint8	   *lengths;
	uint32		nlabels;
	uint32		i;
	uint32		n;
	uint32		r;
	uint32		previous_id = 0;
	bool		in_order = true;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	state = (PathAggState *) PG_GETARG_POINTER(0);
	n = state->nrows;
	if (n == 0)
		PG_RETURN_NULL();
	dict = &state->shared->dict;
	times = palloc(sizeof(TimestampTz) * (Size) n + sizeof(uint32) * (Size) n);
	ids = (uint32 *) (times + n);
	path_agg_rows(state, times, ids);
	/*
	 * The group's own label numbers, by first appearance in arrival order;
	 * and whether the rows arrived in path order (a sorted plan's), which
	 * spares the sort.
	 */
	path_agg_idmap_init(&map, n, dict);
	for (r = 0; r < n; r++)
	{
		uint32		id = ids[r];

		if ((r & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (r > 0 && in_order)
			in_order = path_agg_follows(dict, times[r - 1], previous_id, times[r], id);
		previous_id = id;
		ids[r] = path_agg_idmap_get(&map, id);
	}
	nlabels = map.count;

	/* rows in path order are numbered canonically already */
	if (!in_order)
	{
		PathSortRow *sorted = palloc(sizeof(PathSortRow) * (Size) n +
									 sizeof(uint32) * 3 * (Size) nlabels);
		uint32	   *order = (uint32 *) (sorted + n);
		uint32	   *rank = order + nlabels;
		uint32	   *canonical = rank + nlabels;

		/* ties in time go by label: rank the group's labels once */
		for (i = 0; i < nlabels; i++)
			order[i] = i;
		qsort_interruptible(order, nlabels, sizeof(uint32), path_own_label_cmp, &map);
		for (i = 0; i < nlabels; i++)
			rank[order[i]] = i;
		for (r = 0; r < n; r++)
		{
			if ((r & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
			sorted[r].at = times[r];
			sorted[r].own = ids[r];
			sorted[r].rank = rank[ids[r]];
		}
		path_sort_rows(sorted, n);

		/* renumber by first appearance in path order: the canonical encoding */
		memset(canonical, 0xFF, sizeof(uint32) * nlabels);
		nlabels = 0;
		for (r = 0; r < n; r++)
		{
			uint32		own = sorted[r].own;

			if ((r & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
			if (canonical[own] == PG_UINT32_MAX)
			{
				canonical[own] = nlabels;
				/* order[] is free now: the dictionary number of each */
				order[nlabels++] = map.ids[own];
			}
			ids[r] = canonical[own];
			times[r] = sorted[r].at;
		}
		memcpy(map.ids, order, sizeof(uint32) * nlabels);
	}

	labels = palloc((sizeof(char *) + 1) * nlabels);
	lengths = (uint8 *) (labels + nlabels);
	for (i = 0; i < nlabels; i++)
	{
		labels[i] = path_dict_label(dict, map.ids[i]);
		lengths[i] = dict->lengths[map.ids[i]];
	}
	PG_RETURN_POINTER(path_assemble(n, times, ids, nlabels, labels, lengths));
}
