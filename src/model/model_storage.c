/*
 * model_storage.c
 *		The journey_model value: the flat form on disk, the expanded form the
 *		aggregate and || add counts to, and the canonical flattening.
 */
#include "journey_model.h"

#include "common/int.h"
#include "miscadmin.h"
#include "utils/memutils.h"

/* ---------- the flat form ---------- */

void
model_view(const JourneyModel *model, ModelView *view)
{
	const char *p = (const char *) model + MODEL_HEADER_SIZE;
	const char *bytes;
	uint32		i;

	view->k = model->k;
	view->width = model->k + 1;
	view->flags = model->flags;
	view->active_after = model->active_after;
	view->nlabels = model->nlabels;
	view->ntrans = model->ntrans;
	view->counts = (const int64 *) p;
	p += sizeof(int64) * model->ntrans;
	view->ids = (const uint32 *) p;
	p += sizeof(uint32) * (Size) model->ntrans * view->width;
	view->lengths = (const uint8 *) p;
	bytes = p + model->nlabels;
	view->labels = palloc(sizeof(char *) * Max(model->nlabels, 1));
	for (i = 0; i < model->nlabels; i++)
	{
		view->labels[i] = bytes;
		bytes += view->lengths[i];
	}
}

void
model_check_k(int64 k)
{
	if (k < 1 || k > CX_MODEL_MAX_K)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("journey_model order k must be from 1 to %d: %lld",
						CX_MODEL_MAX_K, (long long) k),
				 errhint("Give k = 1 (the next step depends on the last step) up to k = 4 (on the last four).")));
}

/* ---------- the expanded form ---------- */

static Size model_get_flat_size(ExpandedObjectHeader *eohptr);
static void model_flatten_into(ExpandedObjectHeader *eohptr, void *result,
							   Size allocated_size);

static const ExpandedObjectMethods model_methods = {
	model_get_flat_size,
	model_flatten_into
};

ModelExpanded *
model_expanded_new(MemoryContext parent, int k, uint16 flags,
				   TimestampTz active_after)
{
	MemoryContext cxt = AllocSetContextCreate(parent, "journey_model",
											  ALLOCSET_START_SMALL_SIZES);
	ModelExpanded *em = MemoryContextAllocZero(cxt, sizeof(ModelExpanded));

	EOH_init_header(&em->hdr, &model_methods, cxt);
	em->k = k;
	em->flags = flags;
	em->active_after = (flags & MODEL_HAS_ACTIVE_AFTER) ? active_after : 0;
	path_dict_init(&em->dict, cxt, 16);
	em->capacity = 64;
	em->counts = MemoryContextAlloc(cxt, sizeof(ModelCount) * em->capacity);
	em->mask = 127;
	em->slots = MemoryContextAllocZero(cxt, sizeof(uint32) * (em->mask + 1));
	em->map_capacity = 16;
	em->map = MemoryContextAlloc(cxt, sizeof(uint32) * em->map_capacity);
	return em;
}

ModelExpanded *
model_expanded_rw(Datum d)
{
	if (VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(d)))
	{
		ExpandedObjectHeader *eoh = DatumGetEOHP(d);

		if (eoh->eoh_methods == &model_methods)
			return (ModelExpanded *) eoh;
	}
	return NULL;
}

void
model_expanded_changed(ModelExpanded *em)
{
	/*
	 * The cached flat copy lives in the object's context: free it, or a
	 * running window aggregate keeps one per row.
	 */
	if (em->flat != NULL)
	{
		pfree(em->flat);
		em->flat = NULL;
	}
}

static inline uint32
model_key_hash(const uint32 *key, int width)
{
	uint32		h = key[0];
	int			i;

	for (i = 1; i < width; i++)
		h = h * 0x9E3779B1U + key[i];
	/* murmur3's finalizer: every bit of the key reaches the low bits */
	h ^= h >> 16;
	h *= 0x85ebca6bU;
	h ^= h >> 13;
	h *= 0xc2b2ae35U;
	h ^= h >> 16;
	return h;
}

static void
model_rehash(ModelExpanded *em, uint32 nslots)
{
	uint32		i;

	pfree(em->slots);
	em->mask = nslots - 1;
	em->slots = MemoryContextAllocZero(em->hdr.eoh_context,
									   sizeof(uint32) * (Size) nslots);
	for (i = 0; i < em->ntrans; i++)
	{
		uint32		slot = em->counts[i].hash & em->mask;

		while (em->slots[slot] != 0)
			slot = (slot + 1) & em->mask;
		em->slots[slot] = i + 1;
	}
}

/* The direct-index slot of a key (ids below 1 << dense_bits). */
static inline uint32
model_dense_slot(const ModelExpanded *em, const uint32 *full)
{
	uint32		slot = 0;
	int			j;

	for (j = 0; j <= em->k; j++)
		slot = (slot << em->dense_bits) | full[j];
	return slot;
}

/*
 * (Re)build the direct index for the current labels, or drop it when it
 * would pass MODEL_DENSE_MAX_SLOTS.
 */
static void
model_dense_build(ModelExpanded *em)
{
	int			bits = 1;
	uint32		i;

	while ((1U << bits) < em->dict.count + 1)
		bits++;
	if (em->dense != NULL)
		pfree(em->dense);
	em->dense = NULL;
	if ((Size) bits * (em->k + 1) > 16)
		return;
	em->dense_bits = bits;
	em->dense = MemoryContextAllocZero(em->hdr.eoh_context,
									   sizeof(uint32) << (bits * (em->k + 1)));
	for (i = 0; i < em->ntrans; i++)
		em->dense[model_dense_slot(em, em->counts[i].key)] = i + 1;
}

/* Add count to an existing transition's (22003 past int64). */
static inline void
model_count_add(ModelCount *entry, int64 count)
{
	if (unlikely(pg_add_s64_overflow(entry->count, count, &entry->count)))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("journey_model transition count out of range")));
}

void
model_expanded_add_full(ModelExpanded *em, const uint32 *full, int64 count,
						bool *was_new)
{
	uint32		hash;
	uint32		slot;
	ModelCount *entry;

	model_expanded_changed(em);
	if (em->dense != NULL)
	{
		uint32		e = em->dense[model_dense_slot(em, full)];

		if (e != 0)
		{
			entry = &em->counts[e - 1];
			model_count_add(entry, count);
			if (was_new)
				*was_new = false;
			return;
		}
	}
	hash = model_key_hash(full, em->k + 1);
	slot = hash & em->mask;
	while (em->slots[slot] != 0)
	{
		entry = &em->counts[em->slots[slot] - 1];
		/* the unused ids are 0 in every entry: compare a fixed size (inlined) */
		if (entry->hash == hash &&
			memcmp(entry->key, full, sizeof(uint32) * (CX_MODEL_MAX_K + 1)) == 0)
		{
			model_count_add(entry, count);
			if (was_new)
				*was_new = false;
			return;
		}
		slot = (slot + 1) & em->mask;
	}
	/* a new transition */
	if (em->ntrans >= MODEL_MAX_TRANSITIONS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("journey_model has more than %d distinct transitions",
						MODEL_MAX_TRANSITIONS),
				 errhint("Fit a lower order k, group rare labels together (CASE ... ELSE 'other'), or fit one model per segment.")));
	if (em->ntrans >= em->capacity)
	{
		em->capacity *= 2;
		em->counts = repalloc(em->counts, sizeof(ModelCount) * (Size) em->capacity);
	}
	entry = &em->counts[em->ntrans];
	memcpy(entry->key, full, sizeof(entry->key));
	entry->hash = hash;
	entry->count = count;
	em->slots[slot] = ++em->ntrans;
	if (em->dense != NULL)
		em->dense[model_dense_slot(em, full)] = em->ntrans;
	else if (em->ntrans == MODEL_DENSE_FROM)
		model_dense_build(em);
	if ((Size) em->ntrans * 2 > (Size) em->mask + 1)
		model_rehash(em, (em->mask + 1) * 2);
	if (was_new)
		*was_new = true;
}

void
model_expanded_add(ModelExpanded *em, const uint32 *key, int64 count,
				   bool *was_new)
{
	uint32		full[CX_MODEL_MAX_K + 1] = {0};
	int			j;

	for (j = 0; j <= em->k; j++)
		full[j] = key[j];
	model_expanded_add_full(em, full, count, was_new);
}

uint32
model_expanded_label(ModelExpanded *em, const char *label, int len)
{
	uint32		before = em->dict.count;
	uint32		id = path_dict_intern(&em->dict, label, len);

	if (em->dict.count != before)
	{
		model_expanded_changed(em);
		/* a label id past the direct index's width: widen it (or drop it) */
		if (em->dense != NULL && em->dict.count + 1 > (1U << em->dense_bits))
			model_dense_build(em);
		if (em->dict.count > MODEL_MAX_LABELS)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("journey_model has more than %d distinct labels",
							MODEL_MAX_LABELS),
					 errhint("Group rare labels together (CASE ... ELSE 'other') before fitting.")));
	}
	return id + 1;
}

void
model_expanded_add_flat(ModelExpanded *em, const JourneyModel *model)
{
	ModelView	view;
	uint32	   *map;
	uint32		i;
	int			j;

	Assert(model->k == em->k);
	model_view(model, &view);
	map = palloc(sizeof(uint32) * (view.nlabels + 1));
	map[0] = 0;
	for (i = 0; i < view.nlabels; i++)
		map[i + 1] = model_expanded_label(em, view.labels[i], view.lengths[i]);
	for (i = 0; i < view.ntrans; i++)
	{
		uint32		key[CX_MODEL_MAX_K + 1];

		for (j = 0; j < view.width; j++)
			key[j] = map[view.ids[(Size) i * view.width + j]];
		model_expanded_add(em, key, view.counts[i], NULL);
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	pfree(map);
	pfree(view.labels);
}

/* ---------- flattening ---------- */

static int
model_cmp_label(const void *a, const void *b, void *arg)
{
	const PathDict *dict = (const PathDict *) arg;
	uint32		x = *(const uint32 *) a;
	uint32		y = *(const uint32 *) b;

	return path_label_cmp(path_dict_label(dict, x), dict->lengths[x],
						  path_dict_label(dict, y), dict->lengths[y]);
}

/* Order of ModelCounts by their first *(int *) arg ids. */
int
model_cmp_count(const void *a, const void *b, void *arg)
{
	const ModelCount *x = (const ModelCount *) a;
	const ModelCount *y = (const ModelCount *) b;
	int			width = *(const int *) arg;
	int			i;

	for (i = 0; i < width; i++)
		if (x->key[i] != y->key[i])
			return x->key[i] < y->key[i] ? -1 : 1;
	return 0;
}

/* The canonical flat form of an expanded model, in the current context. */
static JourneyModel *
model_build_flat(ModelExpanded *em)
{
	int			width = em->k + 1;
	uint32		nlabels = em->dict.count;
	uint32	   *order = palloc(sizeof(uint32) * Max(nlabels, 1));
	uint32	   *rank = palloc(sizeof(uint32) * (nlabels + 1));
	ModelCount *sorted = palloc(sizeof(ModelCount) * Max(em->ntrans, 1));
	Size		size;
	JourneyModel *model;
	char	   *p;
	int64		total = 0;
	uint32		i;
	int			j;

	/*
	 * The total of all counts must fit int64: then so does every sum the
	 * questions take (a context's total, order 0's total of everything).
	 */
	for (i = 0; i < em->ntrans; i++)
		if (unlikely(pg_add_s64_overflow(total, em->counts[i].count, &total)))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("journey_model total of all transition counts out of range"),
					 errdetail("The counts of a model must add up to at most %lld.",
							   (long long) PG_INT64_MAX)));
	for (i = 0; i < nlabels; i++)
		order[i] = i;
	qsort_arg(order, nlabels, sizeof(uint32), model_cmp_label, &em->dict);
	/* rank: expanded id (dictionary id + 1) -> flat id (sorted position + 1) */
	rank[0] = 0;
	for (i = 0; i < nlabels; i++)
		rank[order[i] + 1] = i + 1;
	for (i = 0; i < em->ntrans; i++)
	{
		for (j = 0; j < width; j++)
			sorted[i].key[j] = rank[em->counts[i].key[j]];
		sorted[i].count = em->counts[i].count;
	}
	qsort_arg(sorted, em->ntrans, sizeof(ModelCount), model_cmp_count, &width);

	size = MODEL_HEADER_SIZE + sizeof(int64) * (Size) em->ntrans +
		sizeof(uint32) * (Size) em->ntrans * width + nlabels + em->dict.used;
	if (!AllocSizeIsValid(size))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("journey_model would take %zu bytes", size)));
	model = palloc0(size);
	SET_VARSIZE(model, size);
	model->version = MODEL_VERSION;
	model->k = (uint8) em->k;
	model->flags = em->flags;
	model->nlabels = nlabels;
	model->ntrans = em->ntrans;
	model->active_after = em->active_after;
	p = (char *) model + MODEL_HEADER_SIZE;
	for (i = 0; i < em->ntrans; i++)
	{
		memcpy(p, &sorted[i].count, sizeof(int64));
		p += sizeof(int64);
	}
	for (i = 0; i < em->ntrans; i++)
	{
		memcpy(p, sorted[i].key, sizeof(uint32) * width);
		p += sizeof(uint32) * width;
	}
	for (i = 0; i < nlabels; i++)
		*p++ = (char) em->dict.lengths[order[i]];
	for (i = 0; i < nlabels; i++)
	{
		memcpy(p, path_dict_label(&em->dict, order[i]), em->dict.lengths[order[i]]);
		p += em->dict.lengths[order[i]];
	}
	Assert(p == (char *) model + size);
	pfree(order);
	pfree(rank);
	pfree(sorted);
	return model;
}

JourneyModel *
model_flatten(ModelExpanded *em)
{
	return model_build_flat(em);
}

static Size
model_get_flat_size(ExpandedObjectHeader *eohptr)
{
	ModelExpanded *em = (ModelExpanded *) eohptr;

	if (em->flat == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(em->hdr.eoh_context);

		em->flat = model_build_flat(em);
		MemoryContextSwitchTo(old);
	}
	return VARSIZE(em->flat);
}

static void
model_flatten_into(ExpandedObjectHeader *eohptr, void *result, Size allocated_size)
{
	ModelExpanded *em = (ModelExpanded *) eohptr;

	Assert(em->flat != NULL && allocated_size == VARSIZE(em->flat));
	memcpy(result, em->flat, allocated_size);
}
