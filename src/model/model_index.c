/*
 * model_index.c
 *		The read-only index of a journey_model for the questions: per order
 *		0..k, its contexts and their next labels (the order-k counts cut to
 *		shorter contexts and summed), cached per call site.
 */
#include "journey_model.h"

#include "miscadmin.h"
#include "utils/memutils.h"

/* The cache of a call site (fn_extra): the index and the key it was built for. */
typedef struct ModelIndexCache
{
	MemoryContext cxt;			/* child of fn_mcxt, reset on a new model */
	ModelIndex *index;
	char	   *key;			/* the TOAST pointer, or the inline bytes */
	Size		key_len;
} ModelIndexCache;

/* Order j of the index: each transition's context cut to its last j ids. */
static void
model_build_order(ModelIndex *index, int j)
{
	const ModelView *view = &index->view;
	ModelOrder *order = &index->orders[j];
	uint32		n = view->ntrans;
	ModelCount *rows = palloc(sizeof(ModelCount) * Max(n, 1));
	uint32		nrows = 0;
	uint32		t,
				c;
	int			width = j + 1;
	int			i;

	for (t = 0; t < n; t++)
	{
		const uint32 *ids = view->ids + (Size) t * view->width;

		/*
		 * Order 0 ("any context") leaves out the start state's transitions,
		 * (^, ..., ^) -> x: they are first steps, not what follows a step,
		 * and would inflate the labels that begin paths.  (Its context is
		 * all zeros and sorts first.)
		 */
		if (j == 0)
		{
			for (i = 0; i < view->k && ids[i] == 0; i++)
				;
			if (i == view->k)
				continue;
		}
		for (i = 0; i < j; i++)
			rows[nrows].key[i] = ids[view->k - j + i];
		rows[nrows].key[j] = ids[view->k];
		rows[nrows].count = view->counts[t];
		nrows++;
	}
	n = nrows;
	nrows = 0;
	/* order k is sorted and distinct already */
	if (j < view->k && n > 0)
	{
		qsort_arg(rows, n, sizeof(ModelCount), model_cmp_count, &width);
		for (t = 0; t < n; t++)
		{
			if (nrows > 0 && model_cmp_count(&rows[nrows - 1], &rows[t], &width) == 0)
				rows[nrows - 1].count += rows[t].count;
			else
				rows[nrows++] = rows[t];
		}
	}
	else
		nrows = n;

	order->j = j;
	order->next = palloc(sizeof(uint32) * Max(nrows, 1));
	order->counts = palloc(sizeof(int64) * Max(nrows, 1));
	order->context_ids = palloc(sizeof(uint32) * Max((Size) nrows * j, 1));
	order->totals = palloc(sizeof(int64) * Max(nrows, 1));
	order->first = palloc(sizeof(uint32) * (nrows + 1));
	c = 0;
	for (t = 0; t < nrows; t++)
	{
		if (t == 0 || memcmp(rows[t].key, rows[t - 1].key, sizeof(uint32) * j) != 0)
		{
			memcpy(order->context_ids + (Size) c * j, rows[t].key, sizeof(uint32) * j);
			order->first[c] = t;
			order->totals[c] = 0;
			c++;
		}
		order->next[t] = rows[t].key[j];
		order->counts[t] = rows[t].count;
		order->totals[c - 1] += rows[t].count;
	}
	order->first[c] = nrows;
	order->ncontexts = c;
	pfree(rows);
}

static ModelIndex *
model_build_index(const JourneyModel *model, MemoryContext cxt)
{
	MemoryContext old = MemoryContextSwitchTo(cxt);
	JourneyModel *copy = palloc(VARSIZE(model));
	ModelIndex *index = palloc0(sizeof(ModelIndex));
	int			j;

	/* the view points into a copy that lives as long as the index */
	memcpy(copy, model, VARSIZE(model));
	index->cxt = cxt;
	model_view(copy, &index->view);
	for (j = 0; j <= index->view.k; j++)
	{
		CHECK_FOR_INTERRUPTS();
		model_build_order(index, j);
	}
	MemoryContextSwitchTo(old);
	return index;
}

ModelIndex *
model_index_arg(FunctionCallInfo fcinfo, int argno)
{
	ModelIndexCache *cache = (ModelIndexCache *) fcinfo->flinfo->fn_extra;
	struct varlena *raw = (struct varlena *) DatumGetPointer(PG_GETARG_DATUM(argno));
	JourneyModel *flat = NULL;
	Size		key_len;

	if (cache == NULL)
	{
		cache = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(ModelIndexCache));
		cache->cxt = AllocSetContextCreate(fcinfo->flinfo->fn_mcxt, "journey_model index",
										   ALLOCSET_DEFAULT_SIZES);
		fcinfo->flinfo->fn_extra = cache;
	}
	/*
	 * The same stored model has the same TOAST pointer (18 bytes); an inline
	 * value is compared by its bytes.  An expanded value (straight from the
	 * aggregate, say in a scalar subquery) is compared by its flat bytes:
	 * its address may hold another model later in the query, and the
	 * expanded object keeps its flat form, so this costs a copy, not a sort.
	 */
	if (VARATT_IS_EXTERNAL_EXPANDED(raw))
	{
		flat = PG_GETARG_MODEL(argno);
		raw = (struct varlena *) flat;
	}
	if (VARATT_IS_EXTERNAL(raw))
		key_len = VARSIZE_EXTERNAL(raw);
	else
		key_len = VARSIZE_ANY(raw);
	if (cache->index != NULL && cache->key_len == key_len &&
		memcmp(cache->key, raw, key_len) == 0)
	{
		if (flat != NULL)
			pfree(flat);
		return cache->index;
	}

	MemoryContextReset(cache->cxt);
	cache->index = NULL;
	cache->key = NULL;
	cache->key_len = 0;
	if (flat == NULL)
		flat = PG_GETARG_MODEL(argno);
	cache->index = model_build_index(flat, cache->cxt);
	cache->key = MemoryContextAlloc(cache->cxt, key_len);
	memcpy(cache->key, raw, key_len);
	cache->key_len = key_len;
	if ((Pointer) flat != DatumGetPointer(PG_GETARG_DATUM(argno)))
		pfree(flat);
	return cache->index;
}

uint32
model_index_label(const ModelIndex *index, const char *label, int len)
{
	int64		lo = 0,
				hi = (int64) index->view.nlabels - 1;

	while (lo <= hi)
	{
		int64		mid = (lo + hi) / 2;
		int			c = path_label_cmp(index->view.labels[mid], index->view.lengths[mid],
									   label, len);

		if (c == 0)
			return (uint32) mid + 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return 0;
}

int64
model_order_find(const ModelOrder *order, const uint32 *ids)
{
	int64		lo = 0,
				hi = (int64) order->ncontexts - 1;
	int			j = order->j;

	if (j == 0)
		return order->ncontexts > 0 ? 0 : -1;
	while (lo <= hi)
	{
		int64		mid = (lo + hi) / 2;
		const uint32 *c = order->context_ids + (Size) mid * j;
		int			i,
					cmp = 0;

		for (i = 0; i < j && cmp == 0; i++)
			cmp = c[i] < ids[i] ? -1 : c[i] > ids[i] ? 1 : 0;
		if (cmp == 0)
			return mid;
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

void
model_path_context(const ModelIndex *index, MilestonePath *path, uint32 *context)
{
	PathView	view;
	int			k = index->view.k;
	int			i;

	path_view(path, &view, true);
	for (i = 0; i < k; i++)
	{
		int64		step = (int64) view.nsteps - k + i;

		if (step < 0)
			context[i] = 0;		/* the start pads the front */
		else
		{
			uint32		id = path_step_id(&view, (uint32) step);
			uint32		model_id = model_index_label(index, view.labels[id],
													 view.label_lengths[id]);

			context[i] = model_id == 0 ? PG_UINT32_MAX : model_id;
		}
	}
	if (view.labels != view.label_space)
		pfree(view.labels);
}

/*
 * Back-off: the longest suffix of the context (order j from k down to 1)
 * whose transitions total at least min_support, else order 0 (every
 * transition of the model but the start state's, see model_build_order)
 * whatever its total.  An empty path's context is the start state, and it
 * predicts first steps: those of the longest start context the model has,
 * however rarely seen, since order 0 leaves them out; nothing (false) when
 * the model has none, which only a model typed by hand can lack.
 */
bool
model_backoff(const ModelIndex *index, const uint32 *context, int64 min_support,
			  int *order, int64 *ctx)
{
	int			k = index->view.k;
	int			j;

	for (j = k; j >= 1; j--)
	{
		int64		c = model_order_find(&index->orders[j], context + (k - j));

		if (c >= 0 && index->orders[j].totals[c] >= min_support)
		{
			*order = j;
			*ctx = c;
			return true;
		}
	}
	if (context[k - 1] == 0)
	{
		for (j = k; j >= 1; j--)
		{
			int64		c = model_order_find(&index->orders[j], context + (k - j));

			if (c >= 0)
			{
				*order = j;
				*ctx = c;
				return true;
			}
		}
		return false;
	}
	*order = 0;
	*ctx = 0;
	return index->orders[0].ncontexts > 0;
}
