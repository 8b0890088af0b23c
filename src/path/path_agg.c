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
 */
#include "milestone_path.h"

#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

/* One kept row: its time and the state's dictionary id of its label. */
typedef struct PathAggRow
{
	TimestampTz at;
	uint32		id;
} PathAggRow;

typedef struct PathAggState
{
	PathDict	dict;
	int64		nrows;
	int64		capacity;
	PathAggRow *rows;
} PathAggState;

/* A row in final order: time, then the label's rank among the labels. */
typedef struct PathSortRow
{
	TimestampTz at;
	uint32		rank;
	uint32		id;
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

/*
 * A group starts with room for one row and one label, growing by doubling:
 * under hashed aggregation most groups are small, and each costs only
 * sizeof(PathAggState) (104 bytes on 64-bit machines) plus its first arrays
 * (4 + 1 + 4 bytes of label index, 16 of label bytes, 8 of hash slots and
 * 16 for the row): 153 bytes, the SSPACE the upgrade script declares.
 */
#define PATH_AGG_FIRST_ROWS 1

static PathAggState *
path_agg_create(MemoryContext aggcxt)
{
	PathAggState *state = MemoryContextAlloc(aggcxt, sizeof(PathAggState));

	path_dict_init(&state->dict, aggcxt, 1);
	state->nrows = 0;
	state->capacity = PATH_AGG_FIRST_ROWS;
	state->rows = MemoryContextAlloc(aggcxt, sizeof(PathAggRow) * state->capacity);
	return state;
}

static void
path_agg_reserve(PathAggState *state, int64 extra)
{
	int64		need = state->nrows + extra;

	path_check_steps(need);
	if (need <= state->capacity)
		return;
	state->capacity = cx_grow_capacity(state->capacity, need, PATH_AGG_FIRST_ROWS,
										 PATH_MAX_STEPS);
	state->rows = repalloc_huge(state->rows, sizeof(PathAggRow) * state->capacity);
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
		state = path_agg_create(aggcxt);
	if (state->nrows >= state->capacity)
		path_agg_reserve(state, 1);
	state->rows[state->nrows].at = at;
	state->rows[state->nrows].id = path_dict_intern(&state->dict, VARDATA_ANY(label), len);
	state->nrows++;
	PG_RETURN_POINTER(state);
}

/* Append right's rows to left, renumbering right's labels into left's dictionary. */
static void
path_agg_merge(PathAggState *left, const PathAggState *right)
{
	uint32	   *remap;
	uint32		i;
	int64		r;

	path_agg_reserve(left, right->nrows);
	remap = palloc(sizeof(uint32) * Max(right->dict.count, 1));
	for (i = 0; i < right->dict.count; i++)
		remap[i] = path_dict_intern(&left->dict, path_dict_label(&right->dict, i),
									right->dict.lengths[i]);
	for (r = 0; r < right->nrows; r++)
	{
		if ((r & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		left->rows[left->nrows].at = right->rows[r].at;
		left->rows[left->nrows].id = remap[right->rows[r].id];
		left->nrows++;
	}
	pfree(remap);
}

/* milestone_path_agg combine: merge two partial states. */
PG_FUNCTION_INFO_V1(milestone_path_agg_combinefn);
Datum
milestone_path_agg_combinefn(PG_FUNCTION_ARGS)
{
	PathAggState *left;
	PathAggState *right;
	Datum		one_side;

	if (cx_combine_one_side(fcinfo, "milestone_path_agg_combinefn", NULL, &one_side))
		CX_RETURN_COMBINE_ONE_SIDE(one_side);
	left = (PathAggState *) PG_GETARG_POINTER(0);
	right = (PathAggState *) PG_GETARG_POINTER(1);
	/* the dictionary and the row array grow in their own (aggregate) context */
	path_agg_merge(left, right);
	/* right's rows and labels are copied: free it */
	path_dict_free(&right->dict);
	pfree(right->rows);
	pfree(right);
	PG_RETURN_POINTER(left);
}

/*
 * Serialize: label count, each label (1-byte length, bytes), row count,
 * each row (int8 time, int4 label number).
 */
PG_FUNCTION_INFO_V1(milestone_path_agg_serialize);
Datum
milestone_path_agg_serialize(PG_FUNCTION_ARGS)
{
	PathAggState *state = (PathAggState *) PG_GETARG_POINTER(0);
	StringInfoData buf;
	bytea	   *result;
	uint32		i;
	int64		r;

	/* at most 1,000,000 rows and labels of at most 256 bytes: under 1 GB */
	result = cx_bytea_writer(12 + state->dict.count + state->dict.used +
							 (Size) state->nrows * 12, &buf);
	pq_writeint32(&buf, state->dict.count);
	for (i = 0; i < state->dict.count; i++)
	{
		pq_writeint8(&buf, state->dict.lengths[i]);
		memcpy(buf.data + buf.len, path_dict_label(&state->dict, i),
			   state->dict.lengths[i]);
		buf.len += state->dict.lengths[i];
	}
	pq_writeint64(&buf, state->nrows);
	for (r = 0; r < state->nrows; r++)
	{
		if ((r & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		pq_writeint64(&buf, state->rows[r].at);
		pq_writeint32(&buf, state->rows[r].id);
	}
	Assert(buf.len == buf.maxlen);
	PG_RETURN_BYTEA_P(result);
}

static void
path_agg_corrupt(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid milestone_path_agg state"),
			 errdetail("%s", detail)));
}

/* Deserialize: the serialized state back, every count, length and id checked. */
PG_FUNCTION_INFO_V1(milestone_path_agg_deserialize);
Datum
milestone_path_agg_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	MemoryContext aggcxt;
	StringInfoData buf;
	PathAggState *state;
	int32		nlabels;
	int64		nrows;
	uint32	   *remap;
	int32		i;
	int64		r;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "milestone_path_agg_deserialize called in non-aggregate context");
	cx_bytea_reader(bytes, &buf);
	nlabels = pq_getmsgint(&buf, 4);
	if (nlabels < 0 || nlabels > PATH_MAX_STEPS || nlabels * 2 > buf.len - buf.cursor)
		path_agg_corrupt(psprintf("label count %d", nlabels));
	state = path_agg_create(aggcxt);
	remap = palloc(sizeof(uint32) * Max(nlabels, 1));
	for (i = 0; i < nlabels; i++)
	{
		int			len = pq_getmsgbyte(&buf);
		const char *label;

		if (len < 1 || len > buf.len - buf.cursor)
			path_agg_corrupt(psprintf("label %d has length %d", i + 1, len));
		label = pq_getmsgbytes(&buf, len);
		if (memchr(label, '\0', len) != NULL || !pg_verifymbstr(label, len, true))
			path_agg_corrupt(psprintf("label %d is not valid text", i + 1));
		/* re-interning merges repeated labels, keeping the dictionary distinct */
		remap[i] = path_dict_intern(&state->dict, label, len);
	}
	nrows = pq_getmsgint64(&buf);
	if (nrows < 0 || nrows > PATH_MAX_STEPS || nrows * 12 != buf.len - buf.cursor)
		path_agg_corrupt(psprintf("row count " INT64_FORMAT " does not match the %d bytes left",
								  nrows, buf.len - buf.cursor));
	path_agg_reserve(state, nrows);
	for (r = 0; r < nrows; r++)
	{
		TimestampTz at = pq_getmsgint64(&buf);
		uint32		id = (uint32) pq_getmsgint(&buf, 4);

		if ((r & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (TIMESTAMP_NOT_FINITE(at) || !IS_VALID_TIMESTAMP(at))
			path_agg_corrupt(psprintf("row " INT64_FORMAT " has an invalid time", r + 1));
		if (id >= (uint32) nlabels)
			path_agg_corrupt(psprintf("row " INT64_FORMAT " names label %u of %d",
									  r + 1, id, nlabels));
		state->rows[r].at = at;
		state->rows[r].id = remap[id];
	}
	state->nrows = nrows;
	pfree(remap);
	PG_RETURN_POINTER(state);
}

/* Order two dictionary ids by their labels' bytes. */
static int
path_label_id_cmp(const void *a, const void *b, void *arg)
{
	const PathDict *dict = (const PathDict *) arg;
	uint32		x = *(const uint32 *) a;
	uint32		y = *(const uint32 *) b;

	return path_label_cmp(path_dict_label(dict, x), dict->lengths[x],
						  path_dict_label(dict, y), dict->lengths[y]);
}

/* milestone_path_agg final: the rows in (time, label) order, as a path. */
PG_FUNCTION_INFO_V1(milestone_path_agg_finalfn);
Datum
milestone_path_agg_finalfn(PG_FUNCTION_ARGS)
{
	PathAggState *state;
	PathDict   *dict;
	uint32	   *order;
	uint32	   *rank;
	PathSortRow *sorted;
	uint32	   *canonical;
	uint32	   *ids;
	TimestampTz *times;
	const char **labels;
	uint8	   *lengths;
	uint32		nlabels = 0;
	uint32		i;
	int64		r;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	state = (PathAggState *) PG_GETARG_POINTER(0);
	if (state->nrows == 0)
		PG_RETURN_NULL();
	dict = &state->dict;

	/* ties in time go by label: rank the labels once, then sort by (time, rank) */
	order = palloc(sizeof(uint32) * dict->count);
	rank = palloc(sizeof(uint32) * dict->count);
	for (i = 0; i < dict->count; i++)
		order[i] = i;
	qsort_interruptible(order, dict->count, sizeof(uint32), path_label_id_cmp, dict);
	for (i = 0; i < dict->count; i++)
		rank[order[i]] = i;

	sorted = palloc_extended(sizeof(PathSortRow) * state->nrows, MCXT_ALLOC_HUGE);
	for (r = 0; r < state->nrows; r++)
	{
		if ((r & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		sorted[r].at = state->rows[r].at;
		sorted[r].id = state->rows[r].id;
		sorted[r].rank = rank[state->rows[r].id];
	}
	path_sort_rows(sorted, state->nrows);

	/* renumber the labels by first appearance: the canonical encoding */
	canonical = palloc(sizeof(uint32) * dict->count);
	memset(canonical, 0xFF, sizeof(uint32) * dict->count);
	labels = palloc(sizeof(char *) * dict->count);
	lengths = palloc(dict->count);
	ids = palloc_extended(sizeof(uint32) * state->nrows, MCXT_ALLOC_HUGE);
	times = palloc_extended(sizeof(TimestampTz) * state->nrows, MCXT_ALLOC_HUGE);
	for (r = 0; r < state->nrows; r++)
	{
		uint32		id = sorted[r].id;

		if ((r & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (canonical[id] == PG_UINT32_MAX)
		{
			canonical[id] = nlabels;
			labels[nlabels] = path_dict_label(dict, id);
			lengths[nlabels] = dict->lengths[id];
			nlabels++;
		}
		ids[r] = canonical[id];
		times[r] = sorted[r].at;
	}
	PG_RETURN_POINTER(path_assemble((uint32) state->nrows, times, ids, nlabels,
									labels, lengths));
}
