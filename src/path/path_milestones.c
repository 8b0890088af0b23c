/*
 * path_milestones.c
 *		The growth map: a business's milestones numbered 1, 2, 3 ... in a
 *		text[] (visit, newsletter, cart, purchase, ...), and where one
 *		customer's path stands on it: milestone_status and milestone_level.
 *
 * The map is checked and sorted once per call site (cached in fn_extra,
 * compared by bytes with the last map seen); each path's label dictionary
 * is then matched against it once (a binary search per distinct label),
 * and milestone_status reads the first times in one pass over the steps,
 * in place.  Nothing is allocated per step.
 *
 * Neither function is declared STRICT, so that a NULL growth map raises
 * 22023 like the other bad maps; a NULL path gives NULL (no rows), after
 * the map is checked.
 */
#include "milestone_path.h"

#include "catalog/pg_type_d.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

/* One entry of the map: its label and 0-based position. */
typedef struct GrowthMapEntry
{
	const char *label;
	int			len;
	int32		pos;
} GrowthMapEntry;

/* The call site's map, checked: entries by position and sorted by label. */
typedef struct GrowthMap
{
	MemoryContext cxt;			/* holds everything below; NULL before the first map */
	char	   *array_bytes;	/* the map argument last checked */
	Size		array_size;
	int32		n;
	GrowthMapEntry *by_pos;
	GrowthMapEntry *by_label;	/* sorted as path labels compare (bytes) */
} GrowthMap;

static int
growth_entry_cmp(const void *a, const void *b, void *arg)
{
	const GrowthMapEntry *x = (const GrowthMapEntry *) a;
	const GrowthMapEntry *y = (const GrowthMapEntry *) b;
	int			c = path_label_cmp(x->label, x->len, y->label, y->len);

	if (c != 0)
		return c;
	return (x->pos > y->pos) - (x->pos < y->pos);
}

/*
 * The map argument at argno, checked (22023) and cached in *map: not NULL,
 * one-dimensional, not empty, no NULL element, each label one a path can
 * hold (1 to 255 bytes, as milestone_path_agg demands), no label twice.
 */
/* Most milestones a map may have: as many as a path may have steps. */
#define GROWTH_MAP_MAX_ENTRIES PATH_MAX_STEPS

/* Raise 54000 for a map of more than GROWTH_MAP_MAX_ENTRIES labels. */
static void
growth_map_check_count(int n)
{
	if (n > GROWTH_MAP_MAX_ENTRIES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("growth_map has %d milestones, more than the limit of %d", n,
						GROWTH_MAP_MAX_ENTRIES),
				 errhint("A growth map numbers a business's milestones; keep it to the ones you report on.")));
}

static const CxNamesRules growth_map_rules = {
	.noun = "growth_map",.element = "growth_map element",
	.hint = "Give the milestones in order, for example ARRAY['visit', 'newsletter', 'cart', 'purchase'].",
	.null_hint = "Give a label for every milestone.",
	.null_sqlstate = ERRCODE_INVALID_PARAMETER_VALUE,
	.check_count = growth_map_check_count,
};

static void
growth_map_read(FunctionCallInfo fcinfo, GrowthMap *map, int argno)
{
	ArrayType  *array;
	Datum	   *elems;
	int			n;
	int			i;
	int32		dup_first = -1;
	int32		dup_second = -1;

	array = cx_names_arg(fcinfo, argno, &growth_map_rules);
	/* the same map as last time (a constant of the query): checked already */
	if (map->array_bytes != NULL && VARSIZE(array) == map->array_size &&
		memcmp(array, map->array_bytes, map->array_size) == 0)
		return;
	n = cx_names_elements(array, &growth_map_rules, &elems);
	for (i = 0; i < n; i++)
	{
		text	   *label;
		int			len;

		label = DatumGetTextPP(elems[i]);
		len = VARSIZE_ANY_EXHDR(label);
		if (len < 1 || len > CX_PATH_LABEL_MAX)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("growth_map label \"%s\" is %d bytes; a label is 1 to %d bytes",
							cx_quote_literal(VARDATA_ANY(label), len), len, CX_PATH_LABEL_MAX),
					 errdetail("At growth_map element %d.", i + 1),
					 errhint("A path cannot hold such a label, so no customer could reach it.")));
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	/* a new map: replace the old one */
	if (map->cxt == NULL)
		map->cxt = AllocSetContextCreate(fcinfo->flinfo->fn_mcxt, "growth map",
										 ALLOCSET_SMALL_SIZES);
	else
		MemoryContextReset(map->cxt);
	map->array_bytes = NULL;
	map->n = n;
	map->by_pos = MemoryContextAlloc(map->cxt, sizeof(GrowthMapEntry) * n);
	map->by_label = MemoryContextAlloc(map->cxt, sizeof(GrowthMapEntry) * n);
	for (i = 0; i < n; i++)
	{
		text	   *label = DatumGetTextPP(elems[i]);
		int			len = VARSIZE_ANY_EXHDR(label);
		char	   *copy = MemoryContextAlloc(map->cxt, len);

		memcpy(copy, VARDATA_ANY(label), len);
		map->by_pos[i].label = copy;
		map->by_pos[i].len = len;
		map->by_pos[i].pos = i;
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	memcpy(map->by_label, map->by_pos, sizeof(GrowthMapEntry) * n);
	qsort_interruptible(map->by_label, n, sizeof(GrowthMapEntry), growth_entry_cmp, NULL);
	/* equal labels are adjacent, by position: report the earliest repeat */
	for (i = 1; i < n; i++)
	{
		const GrowthMapEntry *a = &map->by_label[i - 1];
		const GrowthMapEntry *b = &map->by_label[i];

		if (path_label_cmp(a->label, a->len, b->label, b->len) == 0 &&
			(dup_second < 0 || b->pos < dup_second))
		{
			dup_first = a->pos;
			dup_second = b->pos;
		}
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	if (dup_second >= 0)
	{
		const GrowthMapEntry *d = &map->by_pos[dup_second];
		char	   *quoted = cx_quote_literal(d->label, d->len);

		/* the bad map must not stay cached as if checked */
		MemoryContextReset(map->cxt);
		map->n = 0;
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("growth_map label \"%s\" appears more than once", quoted),
				 errdetail("At growth_map elements %d and %d.", dup_first + 1, dup_second + 1),
				 errhint("Give each milestone once: its position is its number.")));
	}
	map->array_bytes = MemoryContextAlloc(map->cxt, VARSIZE(array));
	memcpy(map->array_bytes, array, VARSIZE(array));
	map->array_size = VARSIZE(array);
}

/* The call site's map, read and checked from argument argno. */
static GrowthMap *
growth_map_get(FunctionCallInfo fcinfo, int argno)
{
	GrowthMap  *map = cx_call_site_cache(fcinfo, sizeof(GrowthMap));

	growth_map_read(fcinfo, map, argno);
	return map;
}

/* The 0-based map position of a label, or -1 when the map lacks it. */
static int32
growth_map_find(const GrowthMap *map, const char *label, int len)
{
	int32		lo = 0;
	int32		hi = map->n - 1;

	while (lo <= hi)
	{
		int32		mid = lo + (hi - lo) / 2;
		const GrowthMapEntry *e = &map->by_label[mid];
		int			c = path_label_cmp(e->label, e->len, label, len);

		if (c == 0)
			return e->pos;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

/*
 * Match the path's label dictionary against the map: pos[id] = the map
 * position of label id, or -1.  Returns how many of its labels the map has.
 */
static uint32
growth_map_match(const GrowthMap *map, const PathView *view, int32 *pos)
{
	const char *label = view->label_bytes;
	uint32		found = 0;
	uint32		id;

	for (id = 0; id < view->nlabels; id++)
	{
		int			len = view->label_lengths[id];

		pos[id] = growth_map_find(map, label, len);
		if (pos[id] >= 0)
			found++;
		label += len;
		if ((id & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	return found;
}

/*
 * milestone_status(p, growth_map): one row per map entry, in map order:
 * (milestone, label, reached, reached_at).
 */
PG_FUNCTION_INFO_V1(milestone_status);
Datum
milestone_status(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	GrowthMap  *map = growth_map_get(fcinfo, 1);
	MilestonePath *path;
	PathView	view;
	int32	   *label_pos;
	int64	   *first_step;		/* per map position: the first step, or -1 */
	bool	   *reached;
	uint32		remaining;
	int32		i;

	/*
	 * The caller's expected descriptor: building one from the catalog per
	 * call would leave it in the query's memory until the query ends.
	 */
#if PG_VERSION_NUM >= 160000
	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
#else
	SetSingleFuncCall(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
#endif
	/* a NULL path: no rows */
	if (PG_ARGISNULL(0))
		return (Datum) 0;
	path = PG_GETARG_PATH(0);
	path_view(path, &view, false);
	label_pos = palloc(sizeof(int32) * Max(view.nlabels, 1));
	first_step = palloc(sizeof(int64) * map->n);
	reached = palloc0(sizeof(bool) * map->n);
	for (i = 0; i < map->n; i++)
		first_step[i] = -1;
	remaining = growth_map_match(map, &view, label_pos);
	/* a pattern path reaches its labels too, only without times */
	for (i = 0; i < (int32) view.nlabels; i++)
		if (label_pos[i] >= 0)
			reached[label_pos[i]] = true;
	/* the first time of each map label: one pass, until all are seen */
	if (view.has_times)
	{
		uint32		step;

		for (step = 0; step < view.nsteps && remaining > 0; step++)
		{
			int32		p = label_pos[path_step_id(&view, step)];

			if (p >= 0 && first_step[p] < 0)
			{
				first_step[p] = step;
				remaining--;
			}
			if ((step & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
		}
	}
	for (i = 0; i < map->n; i++)
	{
		Datum		values[4];
		bool		nulls[4] = {false, false, false, false};

		values[0] = Int32GetDatum(i + 1);
		values[1] = PointerGetDatum(cstring_to_text_with_len(map->by_pos[i].label,
															 map->by_pos[i].len));
		values[2] = BoolGetDatum(reached[i]);
		if (first_step[i] >= 0)
			values[3] = TimestampTzGetDatum(view.times[first_step[i]]);
		else
		{
			values[3] = (Datum) 0;
			nulls[3] = true;
		}
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		pfree(DatumGetPointer(values[1]));
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	return (Datum) 0;
}

/*
 * milestone_level(p, growth_map): the highest milestone number whose label
 * p contains (with or without times); 0 if none.
 */
PG_FUNCTION_INFO_V1(milestone_level);
Datum
milestone_level(PG_FUNCTION_ARGS)
{
	GrowthMap  *map = growth_map_get(fcinfo, 1);
	MilestonePath *path;
	PathView	view;
	int32	   *label_pos;
	int32		level = 0;
	uint32		id;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	path = PG_GETARG_PATH(0);
	path_view(path, &view, false);
	/* every label of the dictionary occurs in p: no pass over the steps */
	label_pos = palloc(sizeof(int32) * Max(view.nlabels, 1));
	growth_map_match(map, &view, label_pos);
	for (id = 0; id < view.nlabels; id++)
		level = Max(level, label_pos[id] + 1);
	PG_RETURN_INT32(level);
}
