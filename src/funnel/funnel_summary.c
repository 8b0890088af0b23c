/*
 * funnel_summary.c
 *		funnel_summary: a report of funnel_result values across customers,
 *		with the per-step times needed for exact medians and percentiles;
 *		its text and binary I/O, its aggregate funnel_summary_agg and the
 *		report functions funnel_summary_table and funnel_histogram.
 *
 * The state is the type itself (not internal), so that Citus can combine
 * partial states through their text form.  A flat value holds the excluded
 * count, the customers by reached level 0 .. L, then for each level r >= 2
 * the step times of its customers as r - 1 offsets from step 1 each
 * (microseconds, non-decreasing).  Offsets suffice for any step pair.
 *
 * Binary form (send/recv), the text form's content in network byte order,
 * the same under every setting: the version (1 byte), excluded (int8), the
 * last level L (int4), the counts of levels 0 .. L (int8 each), then for
 * each level r = 2 .. L its customers' r - 1 offsets (int8 microseconds).
 *
 * Growing without copying: the transition function works on an expanded
 * object (utils/expandeddatum.h) in a memory context under the aggregate
 * context and returns its read/write pointer, which stays the same from row
 * to row; nodeAgg keeps such a value without copying it, so each row costs
 * an append, not a copy of the state.  The flat form is made only when the
 * value leaves the aggregate (output, a parallel worker's result).
 */
#include "cx_journey.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "common/int.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/expandeddatum.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"
#include "utils/typcache.h"

#include "funnel_core.h"
#include "window_funnel.h"

/* The flat form. */
typedef struct FunnelSummaryFlat
{
	int32		vl_len_;
	int32		nlevels;		/* L: counts has L + 1 elements */
	int64		excluded;
	/* counts[0 .. L], then for r = 2 .. L: counts[r] * (r - 1) offsets */
	int64		data[FLEXIBLE_ARRAY_MEMBER];
} FunnelSummaryFlat;

#define FS_FLAT_HEADER		offsetof(FunnelSummaryFlat, data)
/* Most step offsets one summary holds: its flat form must fit in 1 GB. */
#define FS_MAX_VALUES		((int64) (MaxAllocSize - FS_FLAT_HEADER) / (int64) sizeof(int64) - (FUNNEL_MAX_STEPS + 1))

/* The expanded form, in its own memory context. */
typedef struct FunnelSummaryExpanded
{
	ExpandedObjectHeader hdr;
	int32		nlevels;
	int64		excluded;
	int64		values;			/* offsets held, all levels */
	int64		counts[FUNNEL_MAX_STEPS + 1];
	int64	   *offs[FUNNEL_MAX_STEPS + 1];
	int64		cap[FUNNEL_MAX_STEPS + 1];	/* offsets offs[r] has room for */
} FunnelSummaryExpanded;

/* A read-only view of either form. */
typedef struct FunnelSummaryView
{
	int32		nlevels;
	int64		excluded;
	const int64 *counts;
	const int64 *offs[FUNNEL_MAX_STEPS + 1];
} FunnelSummaryView;

/* The header and counts of a flat value of size bytes; the offsets follow. */
static void
fs_flat_header(FunnelSummaryFlat *flat, Size size, int nlevels, int64 excluded,
			   const int64 *counts)
{
	memset(flat, 0, FS_FLAT_HEADER);
	SET_VARSIZE(flat, size);
	flat->nlevels = nlevels;
	flat->excluded = excluded;
	memcpy(flat->data, counts, (nlevels + 1) * sizeof(int64));
}

static Size fs_get_flat_size(ExpandedObjectHeader *eohptr);
static void fs_flatten_into(ExpandedObjectHeader *eohptr, void *result, Size allocated_size);

static const ExpandedObjectMethods fs_methods = {fs_get_flat_size, fs_flatten_into};

static Size
fs_get_flat_size(ExpandedObjectHeader *eohptr)
{
	FunnelSummaryExpanded *s = (FunnelSummaryExpanded *) eohptr;

	return FS_FLAT_HEADER + ((Size) s->nlevels + 1 + (Size) s->values) * sizeof(int64);
}

static void
fs_flatten_into(ExpandedObjectHeader *eohptr, void *result, Size allocated_size)
{
	FunnelSummaryExpanded *s = (FunnelSummaryExpanded *) eohptr;
	FunnelSummaryFlat *flat = (FunnelSummaryFlat *) result;
	int64	   *p = flat->data;
	int			r;

	Assert(allocated_size == fs_get_flat_size(eohptr));
	fs_flat_header(flat, allocated_size, s->nlevels, s->excluded, s->counts);
	p += s->nlevels + 1;
	for (r = 2; r <= s->nlevels; r++)
	{
		Size		n = (Size) s->counts[r] * (r - 1);

		if (n > 0)
			memcpy(p, s->offs[r], n * sizeof(int64));
		p += n;
	}
}

/* A new empty expanded summary under parent. */
static FunnelSummaryExpanded *
fs_new(MemoryContext parent)
{
	MemoryContext cxt = AllocSetContextCreate(parent, "funnel_summary",
											  ALLOCSET_SMALL_SIZES);
	FunnelSummaryExpanded *s = MemoryContextAllocZero(cxt, sizeof(FunnelSummaryExpanded));

	EOH_init_header(&s->hdr, &fs_methods, cxt);
	return s;
}

/* The view of a summary datum, flat or expanded. */
static void
fs_view(Datum d, FunnelSummaryView *v)
{
	int			r;

	memset(v, 0, sizeof(*v));
	if (VARATT_IS_EXTERNAL_EXPANDED(DatumGetPointer(d)))
	{
		FunnelSummaryExpanded *s = (FunnelSummaryExpanded *) DatumGetEOHP(d);

		if (s->hdr.eoh_methods != &fs_methods)
			elog(ERROR, "expanded value is not a funnel_summary");
		v->nlevels = s->nlevels;
		v->excluded = s->excluded;
		v->counts = s->counts;
		for (r = 2; r <= s->nlevels; r++)
			v->offs[r] = s->offs[r];
	}
	else
	{
		FunnelSummaryFlat *flat = (FunnelSummaryFlat *) PG_DETOAST_DATUM(d);
		const int64 *p = flat->data;

		v->nlevels = flat->nlevels;
		v->excluded = flat->excluded;
		v->counts = p;
		p += flat->nlevels + 1;
		for (r = 2; r <= flat->nlevels; r++)
		{
			v->offs[r] = p;
			p += v->counts[r] * (r - 1);
		}
	}
}

/* Room for extra more customers at level r. */
static void
fs_reserve(FunnelSummaryExpanded *s, int r, int64 extra)
{
	int64		need = (s->counts[r] + extra) * (r - 1);

	if (s->values + extra * (r - 1) > FS_MAX_VALUES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("a funnel_summary holds at most %lld step times", (long long) FS_MAX_VALUES),
				 errhint("Summarize fewer customers per group, for example by entry week.")));
	if (need <= s->cap[r])
		return;
	s->cap[r] = cx_grow_capacity(s->cap[r], need, 64, FS_MAX_VALUES);
	if (s->offs[r] == NULL)
		s->offs[r] = MemoryContextAlloc(s->hdr.eoh_context, s->cap[r] * sizeof(int64));
	else
		s->offs[r] = repalloc_huge(s->offs[r], s->cap[r] * sizeof(int64));
}

/* The customers of a summary, excluded ones included; false past int64. */
static bool
fs_total(int64 excluded, const int64 *counts, int nlevels, int64 *total)
{
	int			r;

	*total = excluded;
	for (r = 0; r <= nlevels; r++)
		if (pg_add_s64_overflow(*total, counts[r], total))
			return false;
	return true;
}

/* Add the customers of view v to s. */
static void
fs_merge(FunnelSummaryExpanded *s, const FunnelSummaryView *v)
{
	int64		a;
	int64		b;
	int			r;

	/* every count, and so every sum of counts, stays within int64 */
	if (!fs_total(s->excluded, s->counts, s->nlevels, &a) ||
		!fs_total(v->excluded, v->counts, v->nlevels, &b) ||
		pg_add_s64_overflow(a, b, &a))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("a funnel_summary counts at most %lld customers", (long long) PG_INT64_MAX)));
	s->excluded += v->excluded;
	for (r = 0; r <= v->nlevels; r++)
	{
		if (r >= 2 && v->counts[r] > 0)
		{
			int64		n = v->counts[r] * (r - 1);

			fs_reserve(s, r, v->counts[r]);
			memcpy(s->offs[r] + s->counts[r] * (r - 1), v->offs[r], n * sizeof(int64));
			s->values += n;
		}
		s->counts[r] += v->counts[r];
	}
	if (v->nlevels > s->nlevels)
		s->nlevels = v->nlevels;
}

/*
 * The transition value as a read/write expanded summary of ours in the
 * aggregate context: the value itself when it is one, else an expanded copy.
 */
static FunnelSummaryExpanded *
fs_state(FunctionCallInfo fcinfo, int argno, MemoryContext aggcxt)
{
	FunnelSummaryExpanded *s;
	FunnelSummaryView v;
	Datum		d;

	if (PG_ARGISNULL(argno))
		return fs_new(aggcxt);
	d = PG_GETARG_DATUM(argno);
	if (VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(d)))
	{
		s = (FunnelSummaryExpanded *) DatumGetEOHP(d);
		if (s->hdr.eoh_methods == &fs_methods &&
			MemoryContextGetParent(s->hdr.eoh_context) == aggcxt)
			return s;
	}
	s = fs_new(aggcxt);
	fs_view(d, &v);
	fs_merge(s, &v);
	return s;
}

/* The funnel_result tuple descriptor, cached per call site. */
typedef struct FsResultCache
{
	Oid			typid;
	int32		typmod;
	TupleDesc	desc;
} FsResultCache;

/* funnel_summary_agg's transition: one customer's funnel_result. */
PG_FUNCTION_INFO_V1(funnel_summary_transfn);
Datum
funnel_summary_transfn(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	FunnelSummaryExpanded *s;
	HeapTupleHeader rec;
	HeapTupleData tuple;
	FsResultCache *cache;
	Datum		values[4];
	bool		nulls[4];
	int32		reached;
	ArrayType  *times;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "funnel_summary_transfn called in non-aggregate context");
	s = fs_state(fcinfo, 0, aggcxt);
	if (PG_ARGISNULL(1))
		return EOHPGetRWDatum(&s->hdr);

	rec = PG_GETARG_HEAPTUPLEHEADER(1);
	cache = cx_call_site_cache(fcinfo, sizeof(FsResultCache));
	if (cache->desc == NULL || cache->typid != HeapTupleHeaderGetTypeId(rec) ||
		cache->typmod != HeapTupleHeaderGetTypMod(rec))
	{
		TupleDesc	desc = lookup_rowtype_tupdesc(HeapTupleHeaderGetTypeId(rec),
												  HeapTupleHeaderGetTypMod(rec));
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);

		if (cache->desc != NULL)
			FreeTupleDesc(cache->desc);
		cache->desc = CreateTupleDescCopy(desc);
		cache->typid = HeapTupleHeaderGetTypeId(rec);
		cache->typmod = HeapTupleHeaderGetTypMod(rec);
		MemoryContextSwitchTo(old);
		ReleaseTupleDesc(desc);
	}
	tuple.t_len = HeapTupleHeaderGetDatumLength(rec);
	ItemPointerSetInvalid(&tuple.t_self);
	tuple.t_tableOid = InvalidOid;
	tuple.t_data = rec;
	heap_deform_tuple(&tuple, cache->desc, values, nulls);

	/* excluded customers are counted apart, whatever else they carry */
	if (!nulls[1] && DatumGetBool(values[1]))
	{
		s->excluded++;
		return EOHPGetRWDatum(&s->hdr);
	}
	/* no answer (a NULL reached): skipped */
	if (nulls[0])
		return EOHPGetRWDatum(&s->hdr);
	reached = DatumGetInt32(values[0]);
	if (reached < 0 || reached > FUNNEL_MAX_STEPS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel_result reached %d is outside 0 .. %d", reached, FUNNEL_MAX_STEPS)));
	/* step_at matches reached at every level, as funnel() writes it */
	if (nulls[2])
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel_result reached %d without step times", reached),
				 errhint("step_at holds one time per step reached ('{}' for 0).")));
	times = DatumGetArrayTypeP(values[2]);
	{
		int			have = ARR_NDIM(times) == 0 ? 0 : ARR_DIMS(times)[0];

		if (ARR_NDIM(times) > 1 || ARR_HASNULL(times) || ARR_ELEMTYPE(times) != TIMESTAMPTZOID ||
			have != reached)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("funnel_result reached %d needs %d step times without NULLs",
							reached, reached),
					 errhint("step_at holds one time per step reached ('{}' for 0).")));
	}
	if (reached >= 2)
	{
		const int64 *t;
		int64	   *dst;
		int			k;

		t = (const int64 *) ARR_DATA_PTR(times);
		fs_reserve(s, reached, 1);
		dst = s->offs[reached] + s->counts[reached] * (reached - 1);
		for (k = 1; k < reached; k++)
		{
			if (TIMESTAMP_NOT_FINITE(t[0]) || TIMESTAMP_NOT_FINITE(t[k]))
				ereport(ERROR,
						(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
						 errmsg("funnel_summary_agg cannot measure a chain with a step at infinity"),
						 errhint("Filter out infinite times, for example with WHERE isfinite(ts).")));
			if (t[k] < t[k - 1])
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("funnel_result step times must not decrease"),
						 errdetail("Step %d is at %s, before step %d at %s.", k + 1,
								   pstrdup(timestamptz_to_str(t[k])), k,
								   pstrdup(timestamptz_to_str(t[k - 1])))));
			/* 4713 BC to 294276 AD is past int64 microseconds */
			if (pg_sub_s64_overflow(t[k], t[0], &dst[k - 1]))
				ereport(ERROR,
						(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
						 errmsg("funnel_summary_agg cannot measure the time from %s to %s",
								pstrdup(timestamptz_to_str(t[0])),
								pstrdup(timestamptz_to_str(t[k]))),
						 errdetail("Step times from step 1 must fit an interval (about 292,000 years)."),
						 errhint("Filter out times far in the past or future.")));
		}
		s->values += reached - 1;
	}
	s->counts[reached]++;
	if (reached > s->nlevels)
		s->nlevels = reached;
	return EOHPGetRWDatum(&s->hdr);
}

/* funnel_summary_agg's combine: the customers of both. */
PG_FUNCTION_INFO_V1(funnel_summary_combinefn);
Datum
funnel_summary_combinefn(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	FunnelSummaryExpanded *s;
	FunnelSummaryView v;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "funnel_summary_combinefn called in non-aggregate context");
	if (PG_ARGISNULL(0) && PG_ARGISNULL(1))
		PG_RETURN_NULL();
	s = fs_state(fcinfo, 0, aggcxt);
	if (!PG_ARGISNULL(1))
	{
		fs_view(PG_GETARG_DATUM(1), &v);
		fs_merge(s, &v);
	}
	return EOHPGetRWDatum(&s->hdr);
}

/* ---------- text and binary I/O ---------- */

/* The version of both forms: "v1" in the text, the first byte in binary. */
#define FS_VERSION			1
/* The binary form's fixed part: version (1), excluded (8), last level (4). */
#define FS_BINARY_HEADER	13

/*
 * The rules of a valid summary, one function each, shared by the text and
 * the binary input so that both accept exactly the same values.  Each
 * returns NULL when the rule holds, else what is wrong (a DETAIL sentence
 * without its period); the caller reports it with its own SQLSTATE.
 */

/* Levels 0 .. L, with L at most the steps of a funnel. */
static const char *
fs_levels_rule(int64 last)
{
	if (last < 0)
		return psprintf("The last level is " INT64_FORMAT, last);
	if (last > FUNNEL_MAX_STEPS)
		return psprintf("Level " INT64_FORMAT " is past the %d steps of a funnel",
						last, FUNNEL_MAX_STEPS);
	return NULL;
}

/*
 * Counts are not negative; their sum fits in int64, since the reports add
 * them up; their step offsets fit in one value (1 GB).
 */
static const char *
fs_counts_rule(int64 excluded, const int64 *counts, int nlevels)
{
	int64		total;
	int64		values = 0;
	int			r;

	if (excluded < 0)
		return psprintf("The excluded count is " INT64_FORMAT, excluded);
	for (r = 0; r <= nlevels; r++)
		if (counts[r] < 0)
			return psprintf("The count of level %d is " INT64_FORMAT, r, counts[r]);
	if (!fs_total(excluded, counts, nlevels, &total))
		return psprintf("The counts add up past " INT64_FORMAT, PG_INT64_MAX);
	for (r = 2; r <= nlevels; r++)
	{
		if (counts[r] > (FS_MAX_VALUES - values) / (r - 1))
			return psprintf("The counts of levels up to %d need more than " INT64_FORMAT " step offsets",
							r, (int64) FS_MAX_VALUES);
		values += counts[r] * (r - 1);
	}
	return NULL;
}

/*
 * Offset i of level r (o[i]): a time from step 1, so not negative, and a
 * customer's offsets (r - 1 of them) do not decrease, as their steps do not.
 */
static const char *
fs_offset_rule(const int64 *o, int64 i, int r)
{
	if (o[i] < 0)
		return psprintf("Step offset " INT64_FORMAT " is negative", o[i]);
	if (i % (r - 1) != 0 && o[i] < o[i - 1])
		return "Step offsets of a customer decrease";
	return NULL;
}

/* Order of two customers' offsets at one level (width offsets each). */
static int
fs_customer_cmp(const void *a, const void *b, void *arg)
{
	const int64 *x = (const int64 *) a;
	const int64 *y = (const int64 *) b;
	int			width = *(const int *) arg;
	int			i;

	for (i = 0; i < width; i++)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return 0;
}

/*
 * The offsets of level r, customer after customer in ascending order: the
 * form the text and binary outputs write, so that equal summaries (the same
 * customers, gathered in another order by another plan) write the same
 * bytes.  The value's own array when already in order, else a sorted copy.
 */
static const int64 *
fs_level_sorted(const FunnelSummaryView *v, int r)
{
	int			width = r - 1;
	int64		n = v->counts[r];
	const int64 *o = v->offs[r];
	int64	   *copy;
	int64		i;

	for (i = 1; i < n; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (fs_customer_cmp(o + (i - 1) * width, o + i * width, &width) > 0)
			break;
	}
	if (i >= n)
		return o;
	/* at most FS_MAX_VALUES offsets: under 1 GB */
	copy = palloc(sizeof(int64) * width * n);
	memcpy(copy, o, sizeof(int64) * width * n);
	qsort_interruptible(copy, n, sizeof(int64) * width, fs_customer_cmp, &width);
	return copy;
}

/* Text: v1;excluded=E;counts=c0,..,cL;2=o,..;3=o,.. (integers only). */
PG_FUNCTION_INFO_V1(funnel_summary_out);
Datum
funnel_summary_out(PG_FUNCTION_ARGS)
{
	FunnelSummaryView v;
	StringInfoData buf;
	int			r;
	int64		i;

	fs_view(PG_GETARG_DATUM(0), &v);
	initStringInfo(&buf);
	appendStringInfo(&buf, "v%d;excluded=" INT64_FORMAT ";counts=", FS_VERSION, v.excluded);
	for (r = 0; r <= v.nlevels; r++)
		appendStringInfo(&buf, r ? "," INT64_FORMAT : INT64_FORMAT, v.counts[r]);
	for (r = 2; r <= v.nlevels; r++)
	{
		int64		n = v.counts[r] * (r - 1);
		const int64 *o = fs_level_sorted(&v, r);

		appendStringInfo(&buf, ";%d=", r);
		for (i = 0; i < n; i++)
		{
			if ((i & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
			appendStringInfo(&buf, i ? "," INT64_FORMAT : INT64_FORMAT, o[i]);
		}
		/* a sorted copy goes at once: array_out writes many values in one context */
		if (o != v.offs[r])
			pfree((void *) o);
	}
	PG_RETURN_CSTRING(buf.data);
}

/* Parser state of funnel_summary_in. */
typedef struct FsParse
{
	const char *text;
	const char *p;
} FsParse;

static void
fs_syntax(const FsParse *ps, const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type funnel_summary: \"%s\"",
					cx_quote_literal(ps->text, strlen(ps->text))),
			 errdetail("%s at character %d.", what, (int) (ps->p - ps->text) + 1),
			 errhint("Use the text funnel_summary_agg writes: v1;excluded=E;counts=c0,...,cL;2=offsets;...")));
}

static void
fs_expect(FsParse *ps, const char *lit)
{
	size_t		n = strlen(lit);

	if (strncmp(ps->p, lit, n) != 0)
		fs_syntax(ps, psprintf("Expected \"%s\"", lit));
	ps->p += n;
}

/* A non-negative decimal integer that fits in int64. */
static int64
fs_number(FsParse *ps)
{
	uint64		v = 0;
	const char *start = ps->p;

	while (*ps->p >= '0' && *ps->p <= '9')
	{
		v = v * 10 + (uint64) (*ps->p - '0');
		if (v > (uint64) PG_INT64_MAX)
			fs_syntax(ps, "Number out of range");
		ps->p++;
	}
	if (ps->p == start || ps->p - start > 19)
		fs_syntax(ps, "Expected a non-negative integer");
	return (int64) v;
}

PG_FUNCTION_INFO_V1(funnel_summary_in);
Datum
funnel_summary_in(PG_FUNCTION_ARGS)
{
	char	   *text = PG_GETARG_CSTRING(0);
	FsParse		ps = {text, text};
	FunnelSummaryExpanded *s = fs_new(CurrentMemoryContext);
	const char *why;
	Size		size;
	void	   *flat;
	int			r;

	fs_expect(&ps, "v" CppAsString2(FS_VERSION) ";excluded=");
	s->excluded = fs_number(&ps);
	fs_expect(&ps, ";counts=");
	for (r = 0;; r++)
	{
		if ((why = fs_levels_rule(r)) != NULL)
			fs_syntax(&ps, why);
		s->counts[r] = fs_number(&ps);
		if (*ps.p != ',')
			break;
		ps.p++;
	}
	s->nlevels = r;
	if ((why = fs_counts_rule(s->excluded, s->counts, s->nlevels)) != NULL)
		fs_syntax(&ps, why);
	for (r = 2; r <= s->nlevels; r++)
	{
		int64		n = s->counts[r] * (r - 1);
		int64		i;
		int64	   *o;

		fs_expect(&ps, psprintf(";%d=", r));
		/* n offsets take at least 2n - 1 characters: check before reserving */
		if (n > 0 && (int64) strlen(ps.p) < 2 * n - 1)
			fs_syntax(&ps, psprintf("Level %d needs " INT64_FORMAT " offsets, more than the rest of the text holds", r, n));
		if (n > 0)
			fs_reserve(s, r, s->counts[r]);
		o = s->offs[r];
		for (i = 0; i < n; i++)
		{
			if ((i & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
			if (i > 0)
				fs_expect(&ps, ",");
			o[i] = fs_number(&ps);
			if ((why = fs_offset_rule(o, i, r)) != NULL)
				fs_syntax(&ps, why);
		}
		s->values += n;
	}
	if (*ps.p != '\0')
		fs_syntax(&ps, "Unexpected text");
	size = fs_get_flat_size(&s->hdr);
	flat = palloc(size);
	fs_flatten_into(&s->hdr, flat, size);
	DeleteExpandedObject(EOHPGetRWDatum(&s->hdr));
	PG_RETURN_POINTER(flat);
}

/* Binary output of funnel_summary (the format in the file header). */
PG_FUNCTION_INFO_V1(funnel_summary_send);
Datum
funnel_summary_send(PG_FUNCTION_ARGS)
{
	FunnelSummaryView v;
	StringInfoData buf;
	bytea	   *result;
	int64		values = 0;
	int			r;
	int64		i;

	fs_view(PG_GETARG_DATUM(0), &v);
	for (r = 2; r <= v.nlevels; r++)
		values += v.counts[r] * (r - 1);
	result = cx_bytea_writer(FS_BINARY_HEADER + ((Size) v.nlevels + 1 + (Size) values) * sizeof(int64),
							 &buf);
	pq_writeint8(&buf, FS_VERSION);
	pq_writeint64(&buf, v.excluded);
	pq_writeint32(&buf, v.nlevels);
	for (r = 0; r <= v.nlevels; r++)
		pq_writeint64(&buf, v.counts[r]);
	for (r = 2; r <= v.nlevels; r++)
	{
		int64		n = v.counts[r] * (r - 1);
		const int64 *o = fs_level_sorted(&v, r);

		for (i = 0; i < n; i++)
		{
			if ((i & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
			pq_writeint64(&buf, o[i]);
		}
		if (o != v.offs[r])
			pfree((void *) o);
	}
	Assert(buf.len == buf.maxlen);
	PG_RETURN_BYTEA_P(result);
}

/* A received value refused (22P03): what is wrong and where. */
static void
fs_recv_error(StringInfo buf, const char *what)
{
	char	   *msg = pstrdup(what);

	/* the rules read as DETAIL sentences; a message starts in lower case */
	msg[0] = pg_ascii_tolower((unsigned char) msg[0]);
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid binary funnel_summary: %s", msg),
			 errdetail("Found after byte %d of the %d bytes received.", buf->cursor, buf->len),
			 errhint("Send what funnel_summary_send writes: version 1 (1 byte), excluded (int8), the last level L (int4), the counts of levels 0 to L (int8 each), the step offsets of levels 2 to L (int8 each).")));
}

/* n more bytes must follow, for what (the reader would raise 08P01). */
static void
fs_recv_need(StringInfo buf, int64 n, const char *what)
{
	if (buf->len - buf->cursor < n)
		fs_recv_error(buf, psprintf("It ends before %s", what));
}

/* Binary input: the send format, every byte checked by the rules above. */
PG_FUNCTION_INFO_V1(funnel_summary_recv);
Datum
funnel_summary_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int64		counts[FUNNEL_MAX_STEPS + 1];
	int64		excluded;
	int32		last;
	int64		values = 0;
	int64		left;
	const char *why;
	FunnelSummaryFlat *flat;
	Size		size;
	int64	   *o;
	int			version;
	int			r;
	int64		i;

	fs_recv_need(buf, 1, "its version byte");
	version = pq_getmsgbyte(buf);
	if (version != FS_VERSION)
		fs_recv_error(buf, psprintf("Version %d; this server reads version %d", version, FS_VERSION));
	fs_recv_need(buf, 12, "the excluded count and the last level");
	excluded = pq_getmsgint64(buf);
	last = (int32) pq_getmsgint(buf, 4);
	if ((why = fs_levels_rule(last)) != NULL)
		fs_recv_error(buf, why);
	fs_recv_need(buf, ((int64) last + 1) * 8, psprintf("the counts of levels 0 to %d", last));
	for (r = 0; r <= last; r++)
		counts[r] = pq_getmsgint64(buf);
	if ((why = fs_counts_rule(excluded, counts, last)) != NULL)
		fs_recv_error(buf, why);
	/* the counts rule keeps this sum within FS_MAX_VALUES */
	for (r = 2; r <= last; r++)
		values += counts[r] * (r - 1);
	/* check the length before allocating */
	left = buf->len - buf->cursor;
	if (left < values * 8)
		fs_recv_error(buf, psprintf("The step offsets the counts call for take " INT64_FORMAT " bytes, but " INT64_FORMAT " follow",
									values * 8, left));
	if (left > values * 8)
		fs_recv_error(buf, psprintf("Extra bytes (" INT64_FORMAT ") follow the last step offset",
									left - values * 8));
	size = FS_FLAT_HEADER + ((Size) last + 1 + (Size) values) * sizeof(int64);
	flat = palloc(size);
	fs_flat_header(flat, size, last, excluded, counts);
	o = flat->data + last + 1;
	for (r = 2; r <= last; r++)
	{
		int64		n = counts[r] * (r - 1);

		for (i = 0; i < n; i++)
		{
			if ((i & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
			o[i] = pq_getmsgint64(buf);
			if ((why = fs_offset_rule(o, i, r)) != NULL)
				fs_recv_error(buf, psprintf("%s (level %d, customer " INT64_FORMAT ")",
											why, r, i / (r - 1) + 1));
		}
		o += n;
	}
	Assert(buf->cursor == buf->len);
	PG_RETURN_POINTER(flat);
}

/* ---------- reports ---------- */

/* An interval of usec microseconds as timestamp subtraction writes it. */
static Interval *
fs_interval(int64 usec)
{
	return cx_usec_interval(usec, palloc(sizeof(Interval)));
}

/*
 * percentile_cont(p) of sorted values, as PostgreSQL computes it over the
 * intervals of timestamp subtraction (interval_lerp of the two neighbours).
 */
static Datum
fs_percentile(const int64 *sorted, int64 n, double p)
{
	double		pos = p * (n - 1);
	int64		lo = (int64) floor(pos);
	int64		hi = (int64) ceil(pos);
	Datum		a = IntervalPGetDatum(fs_interval(sorted[lo]));

	if (hi == lo)
		return a;
	return DirectFunctionCall2(interval_pl,
							   DirectFunctionCall2(interval_mul,
												   DirectFunctionCall2(interval_mi,
																	   IntervalPGetDatum(fs_interval(sorted[hi])),
																	   a),
												   Float8GetDatum(pos - lo)),
							   a);
}

/*
 * avg() of the intervals, as PostgreSQL computes it: the sum over the count
 * (interval_div of the day and time sums).  Past what avg() can sum (more
 * than 2^31 days, or a time sum past int64), where it raises an error, the
 * exact mean in microseconds instead: each value split as q * n + r, so
 * that neither sum overflows (sum of q <= the largest value, sum of r < n^2).
 */
static Datum
fs_average(const int64 *values, int64 n)
{
	int64		days = 0;
	int64		time = 0;
	int64		quot = 0;
	int64		rem = 0;
	bool		fits = true;
	int64		i;

	for (i = 0; i < n; i++)
	{
		int64		v = values[i];

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		/* at most ~1.07e8 days each, ~1.3e8 values: no overflow */
		days += v / USECS_PER_DAY;
		if (fits && pg_add_s64_overflow(time, v % USECS_PER_DAY, &time))
			fits = false;
		quot += v / n;
		rem += v % n;
	}
	if (fits && days <= PG_INT32_MAX)
	{
		Interval	sum;

		sum.time = time;
		sum.day = (int32) days;
		sum.month = 0;
		return DirectFunctionCall2(interval_div, IntervalPGetDatum(&sum),
								   Float8GetDatum((double) n));
	}
	return IntervalPGetDatum(fs_interval(quot + (rem + n / 2) / n));
}

/*
 * The durations from step from to step to (1-based, from < to) of every
 * customer reaching to, into a palloc'd array; returns their number.
 */
static int64
fs_durations(const FunnelSummaryView *v, int from, int to, int64 **out)
{
	int64		n = 0;
	int64	   *d;
	int			r;

	for (r = to; r <= v->nlevels; r++)
		n += v->counts[r];
	d = palloc(Max(n, 1) * sizeof(int64));
	n = 0;
	for (r = to; r <= v->nlevels; r++)
	{
		int64		c;

		for (c = 0; c < v->counts[r]; c++)
		{
			const int64 *o = v->offs[r] + c * (r - 1);
			int64		a = from == 1 ? 0 : o[from - 2];

			if ((c & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
			d[n++] = o[to - 2] - a;
		}
	}
	*out = d;
	return n;
}

/*
 * funnel_summary_table(s, labels): one row per step with customers,
 * percentages and the times from the previous step and from step 1.
 */
PG_FUNCTION_INFO_V1(funnel_summary_table);
Datum
funnel_summary_table(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	FunnelSummaryView v;
	Datum	   *labels = NULL;
	bool	   *label_nulls = NULL;
	int			nlabels = -1;
	int			nrows;
	int64		first = 0;
	int64		previous = 0;
	int			k;

	InitMaterializedSRF(fcinfo, 0);
	if (PG_ARGISNULL(0))
		return (Datum) 0;
	fs_view(PG_GETARG_DATUM(0), &v);
	if (!PG_ARGISNULL(1))
	{
		ArrayType  *a = PG_GETARG_ARRAYTYPE_P(1);

		if (ARR_NDIM(a) > 1)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("funnel_summary_table labels must be a one-dimensional array")));
		deconstruct_array(a, TEXTOID, -1, false, TYPALIGN_INT, &labels, &label_nulls, &nlabels);
		if (nlabels < v.nlevels)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("funnel_summary_table has %d labels, but customers reached step %d",
							nlabels, v.nlevels),
					 errhint("Give one label per step of the funnel.")));
	}
	nrows = nlabels >= 0 ? nlabels : v.nlevels;
	for (k = 1; k <= nrows; k++)
	{
		Datum		values[9];
		bool		nulls[9] = {false};
		int64		customers = 0;
		int			r;
		bool		isnull;

		for (r = k; r <= v.nlevels; r++)
			customers += v.counts[r];
		if (k == 1)
			first = previous = customers;
		values[0] = Int32GetDatum(k);
		if (labels && !label_nulls[k - 1])
			values[1] = labels[k - 1];
		else
			values[1] = CStringGetTextDatum(psprintf("step %d", k));
		values[2] = Int64GetDatum(customers);
		values[3] = funnel_percent(customers, first, &isnull);
		nulls[3] = isnull;
		values[4] = funnel_percent(customers, previous, &isnull);
		nulls[4] = isnull;
		if (k == 1 || customers == 0)
		{
			nulls[5] = nulls[6] = nulls[7] = nulls[8] = true;
		}
		else
		{
			int64	   *d;
			int64		n = fs_durations(&v, k - 1, k, &d);

			values[5] = fs_average(d, n);
			cx_sort_int64(d, n);
			values[6] = fs_percentile(d, n, 0.5);
			values[7] = fs_percentile(d, n, 0.9);
			pfree(d);
			n = fs_durations(&v, 1, k, &d);
			cx_sort_int64(d, n);
			values[8] = fs_percentile(d, n, 0.5);
			pfree(d);
		}
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		previous = customers;
	}
	return (Datum) 0;
}

/* Most bins of funnel_histogram. */
#define FS_MAX_BINS 1000

/*
 * funnel_histogram(s, from_step, to_step, bins): the time-to-convert
 * histogram of the customers who reached to_step.
 */
PG_FUNCTION_INFO_V1(funnel_histogram);
Datum
funnel_histogram(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	FunnelSummaryView v;
	int			from;
	int			to;
	int64		bins;
	int64	   *d;
	int64	   *counts;
	int64		n;
	int64		lo;
	int64		hi;
	int64		width;
	int64		i;

	InitMaterializedSRF(fcinfo, 0);
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel_histogram steps must not be NULL")));
	from = PG_GETARG_INT32(1);
	to = PG_GETARG_INT32(2);
	if (from < 1 || to <= from || to > FUNNEL_MAX_STEPS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel_histogram from step %d to step %d is out of range", from, to),
				 errhint("Give 1 <= from_step < to_step <= %d.", FUNNEL_MAX_STEPS)));
	if (!PG_ARGISNULL(3) && (PG_GETARG_INT32(3) < 1 || PG_GETARG_INT32(3) > FS_MAX_BINS))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel_histogram bins %d is out of range", PG_GETARG_INT32(3)),
				 errhint("Give 1 to %d bins, or NULL for clamp(ceil(cbrt(n)), 1, 60).", FS_MAX_BINS)));
	if (PG_ARGISNULL(0))
		return (Datum) 0;
	fs_view(PG_GETARG_DATUM(0), &v);
	if (to > v.nlevels)
		return (Datum) 0;
	n = fs_durations(&v, from, to, &d);
	if (n == 0)
		return (Datum) 0;
	if (PG_ARGISNULL(3))
	{
		/* ceil(cbrt(n)) exactly: the smallest b with b^3 >= n, at most 60 */
		bins = 1;
		while (bins < 60 && bins * bins * bins < n)
			bins++;
	}
	else
		bins = PG_GETARG_INT32(3);
	lo = hi = d[0];
	for (i = 1; i < n; i++)
	{
		lo = Min(lo, d[i]);
		hi = Max(hi, d[i]);
	}
	/*
	 * The range over the bins, rounded up to whole seconds; 60 s when flat.
	 * Offsets are >= 0, so hi - lo fits; the rounding is done by dividing
	 * first, since adding before dividing overflows for ranges near the
	 * int64 limit.  The last bin's end must be an interval too.
	 */
	if (hi == lo)
		width = 60 * USECS_PER_SEC;
	else
	{
		int64		per = bins * USECS_PER_SEC;
		int64		range = hi - lo;

		width = range / per + (range % per != 0 ? 1 : 0);
	}
	{
		int64		span;
		int64		end;

		/* whole seconds (none when the flat case set the width already) */
		if ((hi != lo && pg_mul_s64_overflow(width, USECS_PER_SEC, &width)) ||
			pg_mul_s64_overflow(width, bins, &span) || pg_add_s64_overflow(lo, span, &end))
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("funnel_histogram bins of steps %d to %d end past the interval range",
							from, to),
					 errdetail("The times run from %s to %s microseconds, in %lld bins of whole seconds.",
							   psprintf(INT64_FORMAT, lo), psprintf(INT64_FORMAT, hi),
							   (long long) bins),
					 errhint("Filter out the customers with the longest times.")));
	}
	counts = palloc0(bins * sizeof(int64));
	for (i = 0; i < n; i++)
	{
		int64		b = (d[i] - lo) / width;

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		/* 0 <= d[i] - lo and 0 < width, so b >= 0; clamped all the same */
		counts[Max(0, Min(b, bins - 1))]++;
	}
	for (i = 0; i < bins; i++)
	{
		Datum		values[3];
		bool		nulls[3] = {false, false, false};

		values[0] = IntervalPGetDatum(fs_interval(lo + i * width));
		values[1] = IntervalPGetDatum(fs_interval(lo + (i + 1) * width));
		values[2] = Int64GetDatum(counts[i]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
