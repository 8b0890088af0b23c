/*
 * path_storage.c
 *		The milestone_path value on disk: assembling one, decoding it into a
 *		view, the label dictionary and the step-by-step builder (the layout
 *		is described in milestone_path.h).
 *
 * A path is the ordered list of milestones a customer reached: each step a
 * label (1 to 255 bytes) and, in stored paths, the time it was reached.
 * Paths used as patterns may leave the times out.  Steps are in time order;
 * steps at the same instant keep the order they were given in (the
 * aggregate gives them in label order).
 */
#include "milestone_path.h"

#include "common/hashfn.h"
#include "miscadmin.h"

#include "text_util.h"

/* ---------- storage ---------- */

static int
path_id_width(uint32 nlabels)
{
	if (nlabels <= 256)
		return 1;
	if (nlabels <= 65536)
		return 2;
	return 4;
}

void
path_check_steps(int64 nsteps)
{
	if (nsteps > PATH_MAX_STEPS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("a milestone_path cannot have more than %d steps",
						PATH_MAX_STEPS),
				 errhint("Keep fewer steps per path, for example with compact() or first_reached(), or by filtering the labels first.")));
}

MilestonePath *
path_assemble(uint32 nsteps, const TimestampTz *times, const uint32 *ids,
			  uint32 nlabels, const char *const *labels, const uint8 *lengths)
{
	int			width = path_id_width(nlabels);
	Size		label_bytes = 0;
	Size		size;
	MilestonePath *path;
	char	   *cursor;
	uint32		i;

	path_check_steps(nsteps);
	/* one encoding per value: an empty path never carries the times flag */
	if (nsteps == 0)
		times = NULL;
	for (i = 0; i < nlabels; i++)
		label_bytes += lengths[i];
	size = PATH_HEADER_SIZE + (times ? (Size) nsteps * sizeof(TimestampTz) : 0) +
		(Size) nsteps * width + nlabels + label_bytes;
	path = palloc0(size);
	SET_VARSIZE(path, size);
	path->nsteps = nsteps;
	path->nlabels = nlabels;
	path->flags = times ? PATH_HAS_TIMES : 0;
	path->id_width = width;
	cursor = (char *) path + PATH_HEADER_SIZE;
	if (times)
	{
		memcpy(cursor, times, (Size) nsteps * sizeof(TimestampTz));
		cursor += (Size) nsteps * sizeof(TimestampTz);
	}
	for (i = 0; i < nsteps; i++)
	{
		if (width == 1)
			*cursor = (char) ids[i];
		else if (width == 2)
		{
			uint16		id = (uint16) ids[i];

			memcpy(cursor, &id, 2);
		}
		else
			memcpy(cursor, &ids[i], 4);
		cursor += width;
	}
	memcpy(cursor, lengths, nlabels);
	cursor += nlabels;
	for (i = 0; i < nlabels; i++)
	{
		memcpy(cursor, labels[i], lengths[i]);
		cursor += lengths[i];
	}
	return path;
}

void
path_require_times(const PathView *view, const char *fname)
{
	if (!view->has_times && view->nsteps > 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s needs a milestone_path with times", fname),
				 errdetail("The path is a pattern: its steps have no times."),
				 errhint("Build the path with milestone_path_agg(label, at), or write each step with its time, as in 'visit@2024-01-05 10:00 -> cart@2024-01-05 10:20'.")));
}

void *
path_buffer_reserve(FunctionCallInfo fcinfo, void *buffer, int64 *capacity,
					int64 need, Size size)
{
	if (buffer != NULL && need <= *capacity)
		return buffer;
	*capacity = cx_grow_capacity(buffer != NULL ? *capacity : 0, need, 64, PATH_MAX_STEPS);
	if (buffer != NULL)
		pfree(buffer);
	return MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, (Size) *capacity * size);
}

void
path_view(MilestonePath *path, PathView *view, bool with_labels)
{
	const char *cursor = (const char *) path + PATH_HEADER_SIZE;
	const char *label;
	uint32		i;

	view->nsteps = path->nsteps;
	view->nlabels = path->nlabels;
	view->has_times = (path->flags & PATH_HAS_TIMES) != 0;
	view->id_width = path->id_width;
	view->times = NULL;
	if (view->has_times)
	{
		view->times = (const TimestampTz *) cursor;
		cursor += (Size) view->nsteps * sizeof(TimestampTz);
	}
	view->ids = (const uint8 *) cursor;
	cursor += (Size) view->nsteps * view->id_width;
	view->label_lengths = (const uint8 *) cursor;
	label = cursor + view->nlabels;
	view->label_bytes = label;
	view->labels = NULL;
	if (!with_labels)
		return;
	if (view->nlabels <= PATH_VIEW_INLINE_LABELS)
		view->labels = view->label_space;
	else
		view->labels = palloc(sizeof(char *) * view->nlabels);
	for (i = 0; i < view->nlabels; i++)
	{
		view->labels[i] = label;
		label += view->label_lengths[i];
	}
}

int64
path_label_id(const PathView *view, const char *label, int len)
{
	const char *candidate = view->label_bytes;
	uint32		i;

	for (i = 0; i < view->nlabels; i++)
	{
		if (view->label_lengths[i] == len && memcmp(candidate, label, len) == 0)
			return i;
		candidate += view->label_lengths[i];
	}
	return -1;
}

const uint64 *
path_label_masks(FunctionCallInfo fcinfo, uint64 **masks, int64 *capacity,
				 const PathView *view, const int32 *lens, char *const *names, int n)
{
	const char *bytes = view->label_bytes;
	CxTextKey	name_keys[FUNNEL_MAX_STEPS];
	uint64	   *out;
	uint32		id;
	int			i;

	Assert(n <= FUNNEL_MAX_STEPS);
	for (i = 0; i < n; i++)
		name_keys[i] = cx_text_key(names[i], lens[i]);
	out = *masks = path_buffer_reserve(fcinfo, *masks, capacity, Max(view->nlabels, 1),
									   sizeof(uint64));
	for (id = 0; id < view->nlabels; id++)
	{
		int			len = view->label_lengths[id];
		CxTextKey	key = cx_text_key(bytes, len);
		uint64		mask = 0;

		if ((id & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();

		/*
		 * Keys and lengths compared without a branch per name: a branch on
		 * whether a label's length equals a name's mispredicts about once a
		 * label, which cost more than all the compares (doc/performance.md).
		 */
		for (i = 0; i < n; i++)
			mask |= (uint64) ((key.lo == name_keys[i].lo) & (key.hi == name_keys[i].hi) &
							  (len == lens[i])) << i;
		/* the key holds a long label's first 16 bytes: compare the rest */
		if (len > 16 && mask != 0)
		{
			for (i = 0; i < n; i++)
				if (((mask >> i) & 1) && memcmp(bytes + 16, names[i] + 16, len - 16) != 0)
					mask &= ~(UINT64CONST(1) << i);
		}
		out[id] = mask;
		bytes += len;
	}
	return out;
}

int64
path_step_rows(const PathView *view, const uint64 *masks, FunnelEvent *rows, bool keep_all)
{
	/* locals: the stores to rows could otherwise alias the view's fields */
	const TimestampTz *times = view->times;
	const uint8 *ids = view->ids;
	uint32		nsteps = view->nsteps;
	int64		n = 0;
	uint32		i;

	for (i = 0; i < nsteps; i++)
	{
		uint64		mask;

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		mask = masks[view->id_width == 1 ? ids[i] : path_step_id(view, i)];
		/* branch-free: whether a step matches is as good as random */
		rows[n].ts = times[i];
		rows[n].mask = mask;
		n += (mask != 0) | keep_all;
	}
	return n;
}

int64
path_next_step(const PathView *view, const text *label, int64 from)
{
	int64		id = path_label_id(view, VARDATA_ANY(label), VARSIZE_ANY_EXHDR(label));
	int64		i;

	if (id < 0)
		return -1;
	for (i = from; i < view->nsteps; i++)
		if (path_step_id(view, (uint32) i) == (uint32) id)
			return i;
	return -1;
}

/* ---------- the label dictionary ---------- */

static void
path_dict_rehash(PathDict *dict, uint32 nslots)
{
	uint32		probes = 0;
	uint32		i;

	dict->slots = MemoryContextAllocZero(dict->cxt, sizeof(uint32) * nslots);
	dict->mask = nslots - 1;
	for (i = 0; i < dict->count; i++)
	{
		uint32		slot = dict->hashes[i] & dict->mask;

		while (dict->slots[slot] != 0)
		{
			slot = (slot + 1) & dict->mask;
			/* as in path_dict_intern: long runs stay cancellable */
			if ((++probes & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
		}
		dict->slots[slot] = i + 1;
	}
}

void
path_dict_init(PathDict *dict, MemoryContext cxt, uint32 expected)
{
	uint32		nslots = 2;

	/* room for expected labels with the hash table at most half full */
	while (nslots < expected * 2)
		nslots *= 2;
	dict->cxt = cxt;
	dict->count = 0;
	dict->capacity = Max(expected, 1);
	dict->offsets = MemoryContextAlloc(cxt, sizeof(uint32) * dict->capacity);
	dict->lengths = MemoryContextAlloc(cxt, dict->capacity);
	dict->hashes = MemoryContextAlloc(cxt, sizeof(uint32) * dict->capacity);
	dict->size = (Size) dict->capacity * 16;
	dict->bytes = MemoryContextAlloc(cxt, dict->size);
	dict->used = 0;
	dict->slots = NULL;
	path_dict_rehash(dict, nslots);
}

void
path_dict_free(PathDict *dict)
{
	pfree(dict->offsets);
	pfree(dict->lengths);
	pfree(dict->hashes);
	pfree(dict->bytes);
	pfree(dict->slots);
	dict->offsets = NULL;
	dict->lengths = NULL;
	dict->hashes = NULL;
	dict->bytes = NULL;
	dict->slots = NULL;
	dict->count = 0;
}

uint32
path_dict_intern(PathDict *dict, const char *label, int len)
{
	uint32		hash = hash_bytes((const unsigned char *) label, len);
	uint32		slot = hash & dict->mask;
	uint32		probes = 0;
	uint32		id;

	Assert(len >= 1 && len <= CX_PATH_LABEL_MAX);
	while (dict->slots[slot] != 0)
	{
		id = dict->slots[slot] - 1;
		if (dict->hashes[id] == hash && dict->lengths[id] == len &&
			memcmp(path_dict_label(dict, id), label, len) == 0)
			return id;
		slot = (slot + 1) & dict->mask;
		/*
		 * Labels crafted to collide make long runs, each label's insertion
		 * walking all of them: stay cancellable within one insertion.
		 */
		if ((++probes & 0x3FF) == 0)
			CHECK_FOR_INTERRUPTS();
	}

	/* a new label */
	if (dict->count >= dict->capacity)
	{
		dict->capacity *= 2;
		dict->offsets = repalloc(dict->offsets, sizeof(uint32) * dict->capacity);
		dict->lengths = repalloc(dict->lengths, dict->capacity);
		dict->hashes = repalloc(dict->hashes, sizeof(uint32) * dict->capacity);
	}
	if (dict->used + len > dict->size)
	{
		dict->size = Max(dict->size * 2, dict->used + len);
		dict->bytes = repalloc(dict->bytes, dict->size);
	}
	id = dict->count++;
	memcpy(dict->bytes + dict->used, label, len);
	dict->offsets[id] = (uint32) dict->used;
	dict->lengths[id] = (uint8) len;
	dict->hashes[id] = hash;
	dict->used += len;
	dict->slots[slot] = id + 1;
	/* keep the table at most half full */
	if ((Size) dict->count * 2 > (Size) dict->mask + 1)
	{
		pfree(dict->slots);
		path_dict_rehash(dict, (dict->mask + 1) * 2);
	}
	return id;
}

/* ---------- building a path step by step ---------- */

void
path_builder_init(PathBuilder *builder, bool has_times)
{
	path_dict_init(&builder->dict, CurrentMemoryContext, 8);
	builder->nsteps = 0;
	builder->capacity = 16;
	builder->ids = palloc(sizeof(uint32) * builder->capacity);
	builder->times = has_times ? palloc(sizeof(TimestampTz) * builder->capacity) : NULL;
}

void
path_builder_add(PathBuilder *builder, const char *label, int len, TimestampTz at)
{
	if (builder->nsteps >= builder->capacity)
	{
		path_check_steps((int64) builder->nsteps + 1);
		builder->capacity *= 2;
		builder->ids = repalloc(builder->ids, sizeof(uint32) * builder->capacity);
		if (builder->times != NULL)
			builder->times = repalloc(builder->times,
									  sizeof(TimestampTz) * builder->capacity);
	}
	builder->ids[builder->nsteps] = path_dict_intern(&builder->dict, label, len);
	if (builder->times != NULL)
		builder->times[builder->nsteps] = at;
	builder->nsteps++;
}

MilestonePath *
path_builder_finish(PathBuilder *builder)
{
	PathDict   *dict = &builder->dict;
	const char **labels = palloc(sizeof(char *) * Max(dict->count, 1));
	uint32		i;

	for (i = 0; i < dict->count; i++)
		labels[i] = path_dict_label(dict, i);
	return path_assemble(builder->nsteps, builder->times, builder->ids,
						 dict->count, labels, dict->lengths);
}
