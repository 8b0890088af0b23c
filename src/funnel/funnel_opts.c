/*
 * funnel_opts.c
 *		funnel(window, ts, event, steps[, options[, prop]]): the aggregate
 *		returning funnel_result, with exclusions, any_order and breakdown;
 *		and the spec, evaluation and result shared with the path form.
 *
 * One row's way: the window and steps are checked by window_funnel's code
 * (funnel_args.c), the options parsed once per distinct text into a spec
 * (kept by the call site: the group's state points to it), the row's event
 * compared with the steps and excluded events into a mask, and (time, mask)
 * appended to window_funnel's row state (funnel_state.c).  With prop, only
 * the property values the breakdown may use are kept: the first and last
 * (first/last touch), or those of rows matching step N (step N).  The
 * final function evaluates by cx_funnel_evaluate_excluding (funnel_core.c).
 */
#include "cx_journey.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "nodes/primnodes.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "funnel_args.h"
#include "funnel_opts.h"
#include "funnel_state.h"
#include "milestone_path.h"
#include "window_funnel.h"

/* Arguments of the aggregate: window, ts, event, steps as window_funnel's. */
#define FOPT_OPTIONS_ARG	5
#define FOPT_PROP_ARG		6

/* ---------- the spec ---------- */

/* The spec's fields as bytes: what is hashed and serialized. */
static void
fopt_spec_write(const FoptSpec *spec, StringInfo buf)
{
	int			x;
	int			e;

	pq_sendint32(buf, spec->nsteps);
	pq_sendint32(buf, spec->nevents);
	pq_sendint32(buf, spec->flags);
	pq_sendbyte(buf, spec->any_order ? 1 : 0);
	pq_sendint32(buf, spec->nexcl);
	for (x = 0; x < spec->nexcl; x++)
	{
		/* the event's bit, as its index among the events */
		pq_sendint32(buf, pg_rightmost_one_pos64(spec->excl[x].mask) - spec->nsteps);
		pq_sendint32(buf, spec->excl[x].from);
		pq_sendint32(buf, spec->excl[x].to);
	}
	pq_sendint32(buf, spec->breakdown);
	pq_sendint32(buf, spec->breakdown_step);
	for (e = 0; e < spec->nevents; e++)
	{
		pq_sendint32(buf, spec->name_len[spec->nsteps + e]);
		pq_sendbytes(buf, spec->name[spec->nsteps + e], spec->name_len[spec->nsteps + e]);
	}
}

static void
fopt_spec_hash(FoptSpec *spec)
{
	StringInfoData buf;

	initStringInfo(&buf);
	fopt_spec_write(spec, &buf);
	spec->hash = hash_bytes_extended((const unsigned char *) buf.data, buf.len, 0);
	pfree(buf.data);
}

/* The quoted exclusion x of the options, for messages. */
static char *
fopt_exclusion_text(const FunnelOptions *opts, const char *names, int x)
{
	const FunnelExclusionOpt *e = &opts->excl[x];

	return psprintf("exclude %s between %d and %d",
					cx_quote_literal(names + e->name_off, e->name_len), e->from, e->to);
}

/* Raise the parser's failure as 22023 (54000 past the exclusion limit). */
static void
fopt_parse_error(const char *options, int len, const FunnelOptionsFailure *fail)
{
	const char *list = cx_quote_literal(options, len);
	const char *token = cx_quote_literal(options + fail->start, fail->len);
	const char *hint = "Valid options, comma-separated: " FUNNEL_OPTION_WORDS ".";

	switch (fail->code)
	{
		case FOPT_UNKNOWN_WORD:
			if (fail->len == 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("funnel options \"%s\" have an empty item", list),
						 errdetail("Two commas meet, or the list starts or ends with a comma."),
						 errhint("%s", hint)));
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown funnel option \"%s\"", token),
					 errdetail("The options were \"%s\".", list),
					 errhint("%s", hint)));
			break;
		case FOPT_EXPECTED:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("funnel options \"%s\": expected %s, found \"%s\"",
							list, fail->expected, token),
					 errhint("%s", hint)));
			break;
		case FOPT_BAD_NUMBER:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("funnel option step number \"%s\" is not a step number", token),
					 errdetail("The options were \"%s\".", list),
					 errhint("Steps are numbered from 1, as in exclude refund between 2 and 3.")));
			break;
		case FOPT_UNTERMINATED:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("funnel options \"%s\" have an unterminated quoted name", list),
					 errhint("End the name with a double quote; write \"\" for a double quote inside it.")));
			break;
		case FOPT_TOO_MANY:
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("a funnel takes at most %d exclusions", FUNNEL_MAX_EXCLUSIONS),
					 errdetail("The options were \"%s\".", list)));
			break;
		case FOPT_TWO_BREAKDOWNS:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("funnel options \"%s\" give breakdown twice", list),
					 errhint("Give one of breakdown first_touch, breakdown last_touch, breakdown step N.")));
			break;
		case FOPT_EMPTY_NAME:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("funnel options \"%s\" exclude an empty event name", list)));
			break;
		case FOPT_OK:
			break;
	}
	elog(ERROR, "unexpected funnel options failure %d", (int) fail->code);
}

void
fopt_options_arg(FunctionCallInfo fcinfo, int argno, const char **bytes, int *len)
{
	cx_text_arg(fcinfo, argno, "funnel options",
				"Pass '' for no option, or a comma-separated list of: " FUNNEL_OPTION_WORDS ".",
				bytes, len);
}

FoptSpec *
fopt_spec_make(const char *options, int len, int nsteps, char *const *step_names,
			   const int *step_lens, bool with_prop, const char *form, MemoryContext cxt)
{
	char	   *names = palloc(len + 1);
	FunnelOptions opts;
	FunnelOptionsFailure fail;
	FunnelOptionsProblem problem;
	FoptSpec   *spec;
	int			which;
	int			x;
	int			i;

	if (cx_funnel_options_parse(options, len, names, &opts, &fail) != 0)
		fopt_parse_error(options, len, &fail);
	problem = cx_funnel_options_check(&opts, names, nsteps,
									  (const char *const *) step_names, step_lens, &which);
	switch (problem)
	{
		case FOPT_FINE:
			break;
		case FOPT_STEP_ORDER:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("funnel exclusion \"%s\" must end after it starts",
							fopt_exclusion_text(&opts, names, which)),
					 errhint("Write exclude EVENT between I and J with I < J.")));
			break;
		case FOPT_STEP_RANGE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("funnel exclusion \"%s\" names a step past the last (%d)",
							fopt_exclusion_text(&opts, names, which), nsteps),
					 errhint("Steps are numbered 1 to %d.", nsteps)));
			break;
		case FOPT_EVENT_IS_STEP:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("funnel exclusion \"%s\" excludes a step of its own range",
							fopt_exclusion_text(&opts, names, which)),
					 errdetail("An excluded event may not be one of the steps it lies between.")));
			break;
		case FOPT_ANY_ORDER_RANGE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("funnel exclusion \"%s\" does not span every step, as any_order needs",
							fopt_exclusion_text(&opts, names, which)),
					 errhint("With any_order, write exclude EVENT between 1 and %d.", nsteps)));
			break;
		case FOPT_ANY_ORDER_MODE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("funnel option any_order takes no window_funnel mode"),
					 errdetail("The options were \"%s\".", cx_quote_literal(options, len)),
					 errhint("Drop the mode words, or drop any_order.")));
			break;
		case FOPT_BREAKDOWN_RANGE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("funnel option breakdown step %d is past the last step (%d)",
							opts.breakdown_step, nsteps)));
			break;
	}
	if (opts.breakdown != FUNNEL_BREAKDOWN_NONE && !with_prop)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel option breakdown needs a property"),
				 errdetail("%s has no property argument.", form),
				 errhint("Use funnel(window, ts, event, steps, options, prop) over the raw rows.")));
	if (opts.breakdown == FUNNEL_BREAKDOWN_NONE && with_prop)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel with a property needs a breakdown option"),
				 errhint("Add breakdown first_touch, breakdown last_touch or breakdown step N to the options.")));

	spec = MemoryContextAllocZero(cxt, sizeof(FoptSpec));
	spec->nsteps = nsteps;
	spec->flags = opts.flags;
	spec->any_order = opts.any_order;
	spec->breakdown = opts.breakdown;
	spec->breakdown_step = opts.breakdown_step;
	/* copies: the caller's names go when its steps argument changes */
	for (i = 0; i < nsteps; i++)
	{
		spec->name[i] = MemoryContextAlloc(cxt, step_lens[i] + 1);
		memcpy(spec->name[i], step_names[i], step_lens[i]);
		spec->name[i][step_lens[i]] = '\0';
		spec->name_len[i] = step_lens[i];
	}
	/* one bit per distinct excluded event name, after the steps */
	for (x = 0; x < opts.nexcl; x++)
	{
		const char *ev = names + opts.excl[x].name_off;
		int			evlen = (int) opts.excl[x].name_len;
		int			e;

		for (e = nsteps; e < nsteps + spec->nevents; e++)
			if (spec->name_len[e] == evlen && memcmp(spec->name[e], ev, evlen) == 0)
				break;
		if (e == nsteps + spec->nevents)
		{
			if (e >= FUNNEL_MAX_STEPS)
				ereport(ERROR,
						(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
						 errmsg("a funnel has at most %d steps and excluded events together",
								FUNNEL_MAX_STEPS)));
			spec->name[e] = MemoryContextAlloc(cxt, evlen + 1);
			memcpy(spec->name[e], ev, evlen);
			spec->name_len[e] = evlen;
			spec->nevents++;
		}
		spec->excl[x].mask = UINT64CONST(1) << e;
		spec->excl[x].from = opts.excl[x].from;
		spec->excl[x].to = opts.excl[x].to;
	}
	spec->nexcl = opts.nexcl;
	spec->nnames = nsteps + spec->nevents;
	fopt_spec_hash(spec);
	pfree(names);
	return spec;
}

void
fopt_spec_free(FoptSpec *spec)
{
	int			e;

	for (e = 0; e < spec->nnames; e++)
		pfree(spec->name[e]);
	pfree(spec);
}

/* ---------- the specs of one call site ---------- */

/*
 * Specs a call site has made, by their source bytes: the options text and
 * steps hash (transition), or the serialized spec (deserialize).  States
 * point to specs, so none is freed before the call site; and one is made
 * per distinct source, so options that vary between groups cost memory by
 * the number of distinct texts, not by the number of groups or rows.
 */
typedef struct FoptCacheItem
{
	struct FoptCacheItem *next;
	uint64		seed;			/* steps hash, or 0 */
	int			len;
	char	   *bytes;
	FoptSpec   *spec;
} FoptCacheItem;

typedef struct FoptCacheEntry
{
	uint64		hash;			/* the key */
	FoptCacheItem *items;		/* those of this hash */
} FoptCacheEntry;

/* The item kept for (seed, bytes), or NULL; *hash gets the key for adding. */
static FoptCacheItem *
fopt_cache_find(HTAB **cache, MemoryContext cxt, uint64 seed, const char *bytes, int len,
				uint64 *hash)
{
	FoptCacheEntry *entry;
	FoptCacheItem *item;

	if (*cache == NULL)
	{
		HASHCTL		ctl;

		memset(&ctl, 0, sizeof(ctl));
		ctl.keysize = sizeof(uint64);
		ctl.entrysize = sizeof(FoptCacheEntry);
		ctl.hcxt = cxt;
		*cache = hash_create("funnel option specs", 8, &ctl,
							 HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	}
	*hash = hash_bytes_extended((const unsigned char *) bytes, len, seed);
	entry = hash_search(*cache, hash, HASH_FIND, NULL);
	if (entry == NULL)
		return NULL;
	for (item = entry->items; item != NULL; item = item->next)
	{
		if (item->seed == seed && item->len == len && memcmp(item->bytes, bytes, len) == 0)
			return item;
	}
	return NULL;
}

/* Keep spec (allocated in cxt) for (seed, bytes). */
static FoptCacheItem *
fopt_cache_add(HTAB *cache, MemoryContext cxt, uint64 hash, uint64 seed, const char *bytes,
			   int len, FoptSpec *spec)
{
	bool		found;
	FoptCacheEntry *entry = hash_search(cache, &hash, HASH_ENTER, &found);
	FoptCacheItem *item = MemoryContextAlloc(cxt, sizeof(FoptCacheItem));

	if (!found)
		entry->items = NULL;
	item->seed = seed;
	item->len = len;
	item->bytes = MemoryContextAlloc(cxt, len + 1);
	memcpy(item->bytes, bytes, len);
	item->bytes[len] = '\0';
	item->spec = spec;
	item->next = entry->items;
	entry->items = item;
	return item;
}

/* ---------- evaluation and result ---------- */

void
fopt_evaluate(const FoptSpec *spec, const FunnelEvent *events, size_t n, int64 window,
			  FunnelOutcome *out, bool *excluded)
{
	cx_funnel_evaluate_excluding(events, n, spec->nsteps, window, spec->flags,
								 spec->any_order, spec->excl, spec->nexcl, true, out,
								 excluded, &funnel_backend_hooks);
}

Datum
fopt_result(FunctionCallInfo fcinfo, TupleDesc *desc_cache, const FunnelOutcome *out,
			bool excluded, bool has_breakdown, const char *breakdown, int breakdown_len)
{
	Datum		values[4];
	bool		nulls[4] = {false, false, false, false};

	if (*desc_cache == NULL)
	{
		TupleDesc	desc;
		MemoryContext old;

		if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "funnel must return the composite funnel_result");
		old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
		*desc_cache = BlessTupleDesc(CreateTupleDescCopy(desc));
		MemoryContextSwitchTo(old);
	}
	values[1] = BoolGetDatum(excluded);
	if (excluded)
	{
		nulls[0] = true;
		nulls[2] = true;
	}
	else
	{
		values[0] = Int32GetDatum(out->level);
		values[2] = funnel_times_result(out);
	}
	if (has_breakdown)
		values[3] = PointerGetDatum(cstring_to_text_with_len(breakdown, breakdown_len));
	else
		nulls[3] = true;
	return HeapTupleGetDatum(heap_form_tuple(*desc_cache, values, nulls));
}

/* ---------- the aggregate ---------- */

/* The call site's cache: window_funnel's checked arguments, then ours. */
typedef struct FoptArgs
{
	FunnelArgs	base;			/* first: funnel_row_args uses it in place */
	const char *options;		/* the options text last used (kept in specs) */
	int			options_len;
	uint64		steps_hash;		/* of the steps it was checked against */
	FoptSpec   *spec;			/* its spec */
	HTAB	   *specs;			/* every spec made here: states point to them */
	/* the options are a constant of the query: parsed once */
	bool		options_constant;
	bool		options_site_checked;
} FoptArgs;

/* A kept property value: its time and bytes. */
typedef struct FoptValue
{
	bool		known;
	int64		ts;
	int32		len;
	int32		capacity;
	char	   *bytes;
} FoptValue;

/* The state of one group. */
typedef struct FoptState
{
	FunnelState *rows;
	const FoptSpec *spec;
	FoptValue	first;			/* breakdown first_touch */
	FoptValue	last;			/* breakdown last_touch */
	/* breakdown step N: (int64 ts, int32 len, bytes) of step-N rows */
	char	   *step_buf;
	int64		step_len;
	int64		step_capacity;
} FoptState;

/* Most bytes of breakdown step N values one group keeps (54000 past it). */
#define FOPT_MAX_STEP_BYTES		((int64) MaxAllocSize / 2)

static void
fopt_value_set(MemoryContext cxt, FoptValue *v, int64 ts, const char *bytes, int len)
{
	if (v->capacity < len)
	{
		if (v->bytes)
			pfree(v->bytes);
		v->capacity = Max(len, 32);
		v->bytes = MemoryContextAlloc(cxt, v->capacity);
	}
	memcpy(v->bytes, bytes, len);
	v->len = len;
	v->ts = ts;
	v->known = true;
}

/*
 * Keep (ts, bytes) in v when it comes before v's value: earlier (first) or
 * later (last) in time, the smaller in bytes at the same time.
 */
static void
fopt_value_offer(MemoryContext cxt, FoptValue *v, bool first, int64 ts,
				 const char *bytes, int len)
{
	if (v->known)
	{
		if (ts != v->ts)
		{
			if (first ? ts > v->ts : ts < v->ts)
				return;
		}
		else if (path_label_cmp(bytes, len, v->bytes, v->len) >= 0)
			return;
	}
	fopt_value_set(cxt, v, ts, bytes, len);
}

/* Room for need bytes of step values in the state (54000 past the limit). */
static void
fopt_step_reserve(MemoryContext cxt, FoptState *state, int64 need)
{
	if (need > state->step_capacity)
	{
		int64		cap;

		if (need > FOPT_MAX_STEP_BYTES)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("funnel breakdown step values of one group take more than %lld bytes",
							(long long) FOPT_MAX_STEP_BYTES)));
		cap = cx_grow_capacity(state->step_capacity, need, 256, FOPT_MAX_STEP_BYTES);
		if (state->step_buf == NULL)
			state->step_buf = MemoryContextAlloc(cxt, cap);
		else
			state->step_buf = repalloc(state->step_buf, cap);
		state->step_capacity = cap;
	}
}

/* Append one (time, value) entry to the state's step values. */
static void
fopt_step_append(MemoryContext cxt, FoptState *state, int64 ts, const char *bytes, int32 len)
{
	int64		need = state->step_len + (int64) sizeof(int64) + sizeof(int32) + len;

	fopt_step_reserve(cxt, state, need);
	memcpy(state->step_buf + state->step_len, &ts, sizeof(int64));
	memcpy(state->step_buf + state->step_len + sizeof(int64), &len, sizeof(int32));
	memcpy(state->step_buf + state->step_len + sizeof(int64) + sizeof(int32), bytes, len);
	state->step_len = need;
}

static void
fopt_options_mismatch(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("funnel options differ within a group"),
			 errdetail("The options must mean the same for every row of a group."),
			 errhint("Pass constants, or values that depend only on the GROUP BY key.")));
}

/*
 * Raise 22023 for two rows (or states) of a group that disagree: on the
 * window, mode or steps first, counted as the steps given (a state's
 * FunnelParams count the excluded events too), then on the other options.
 */
static void
fopt_group_mismatch(const FoptSpec *spec_a, const FunnelParams *a,
					const FoptSpec *spec_b, const FunnelParams *b)
{
	FunnelParams pa = *a;
	FunnelParams pb = *b;

	pa.nsteps = spec_a->nsteps;
	pb.nsteps = spec_b->nsteps;
	if (!funnel_params_equal(&pa, &pb))
		funnel_params_mismatch(&pa, &pb);
	fopt_options_mismatch();
}

/* The row's options into args->spec; parsed once per distinct text and steps. */
static void
fopt_row_options(FunctionCallInfo fcinfo, FoptArgs *args, bool with_prop)
{
	const char *bytes = "";
	int			len = 0;
	FoptCacheItem *item;
	FoptSpec   *spec;
	uint64		hash;

	/* constants of the query (window, steps and options) were checked on the first row */
	if (likely(args->options_constant && args->base.constant && args->spec != NULL))
		return;
	if (PG_NARGS() > FOPT_OPTIONS_ARG)
		fopt_options_arg(fcinfo, FOPT_OPTIONS_ARG, &bytes, &len);
	if (args->spec != NULL && args->steps_hash == args->base.params.steps_hash &&
		len == args->options_len && memcmp(bytes, args->options, len) == 0)
		return;
	/* a text seen before (groups with varying options interleave): its spec */
	item = fopt_cache_find(&args->specs, fcinfo->flinfo->fn_mcxt,
						   args->base.params.steps_hash, bytes, len, &hash);
	if (item == NULL)
	{
		spec = fopt_spec_make(bytes, len, args->base.steps.count, args->base.steps.name,
							  args->base.steps.len, with_prop, "This form of funnel",
							  fcinfo->flinfo->fn_mcxt);
		item = fopt_cache_add(args->specs, fcinfo->flinfo->fn_mcxt, hash,
							  args->base.params.steps_hash, bytes, len, spec);
	}
	else
		spec = item->spec;
	args->options = item->bytes;
	args->spec = spec;
	args->options_len = len;
	args->steps_hash = args->base.params.steps_hash;
	if (!args->options_site_checked)
	{
		/* the options argument is the aggregate's fifth, when given */
		args->options_constant = PG_NARGS() <= FOPT_OPTIONS_ARG ||
			funnel_arg_constant(fcinfo, FOPT_OPTIONS_ARG);
		args->options_site_checked = true;
	}
}

/* The transition of every form: one row into its group's state. */
PG_FUNCTION_INFO_V1(funnel_options_transfn);
Datum
funnel_options_transfn(PG_FUNCTION_ARGS)
{
	const FunnelForm form = {false, true};
	bool		with_prop = PG_NARGS() > FOPT_PROP_ARG;
	MemoryContext aggcxt;
	FoptArgs   *args;
	FoptState  *state;
	FunnelParams params;
	const FoptSpec *spec;
	uint64		mask = 0;
	int64		ts;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "funnel transition function called in non-aggregate context");
	/* made large enough for the FoptArgs that funnel_row_args fills in place */
	(void) cx_call_site_cache(fcinfo, sizeof(FoptArgs));
	args = (FoptArgs *) funnel_row_args(fcinfo, form);
	fopt_row_options(fcinfo, args, with_prop);
	spec = args->spec;
	params = args->base.params;
	params.nsteps = spec->nnames;
	params.flags = spec->flags;

	if (PG_ARGISNULL(0))
	{
		state = MemoryContextAllocZero(aggcxt, sizeof(FoptState));
		state->rows = funnel_state_new(aggcxt, &params);
		state->spec = spec;
	}
	else
	{
		state = (FoptState *) PG_GETARG_POINTER(0);
		/*
		 * Every row, even one that matches nothing, agrees with its group;
		 * constants of the query need no check (and spare the row a cache
		 * miss on the state).
		 */
		if (!(args->base.constant && args->options_constant))
		{
			if ((state->spec != spec && state->spec->hash != spec->hash) ||
				!funnel_params_equal(&state->rows->params, &params))
				fopt_group_mismatch(state->spec, &state->rows->params, spec, &params);
		}
	}

	/* a NULL time skips the row */
	if (PG_ARGISNULL(2))
		PG_RETURN_POINTER(state);
	ts = PG_GETARG_TIMESTAMPTZ(2);
	if (!PG_ARGISNULL(3))
	{
		text	   *event = PG_GETARG_TEXT_PP(3);

		mask = cx_names_mask(spec->name_len, spec->name, spec->nnames,
							 VARDATA_ANY(event), VARSIZE_ANY_EXHDR(event));
	}
	if (mask != 0 || (spec->flags & FUNNEL_STRICT_ORDER))
		state->rows = funnel_state_append(state->rows, ts, mask);

	if (with_prop && !PG_ARGISNULL(FOPT_PROP_ARG))
	{
		text	   *prop = PG_GETARG_TEXT_PP(FOPT_PROP_ARG);
		const char *bytes = VARDATA_ANY(prop);
		int			len = VARSIZE_ANY_EXHDR(prop);

		switch (spec->breakdown)
		{
			case FUNNEL_BREAKDOWN_FIRST_TOUCH:
				fopt_value_offer(aggcxt, &state->first, true, ts, bytes, len);
				break;
			case FUNNEL_BREAKDOWN_LAST_TOUCH:
				fopt_value_offer(aggcxt, &state->last, false, ts, bytes, len);
				break;
			case FUNNEL_BREAKDOWN_STEP:
				if ((mask >> (spec->breakdown_step - 1)) & 1)
					fopt_step_append(aggcxt, state, ts, bytes, len);
				break;
			default:
				break;
		}
	}
	PG_RETURN_POINTER(state);
}

/*
 * The breakdown value of a step-N chain row at time ts: the smallest of the
 * kept values at that instant (false when none).
 */
static bool
fopt_step_value(const FoptState *state, int64 ts, const char **bytes, int *len)
{
	int64		pos = 0;
	int64		entry = 0;
	bool		found = false;

	while (pos < state->step_len)
	{
		int64		t;
		int32		l;
		const char *b;

		/* by entries: a byte offset rarely lands on a multiple */
		if ((entry++ & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		memcpy(&t, state->step_buf + pos, sizeof(int64));
		memcpy(&l, state->step_buf + pos + sizeof(int64), sizeof(int32));
		b = state->step_buf + pos + sizeof(int64) + sizeof(int32);
		if (t == ts && (!found || path_label_cmp(b, l, *bytes, *len) < 0))
		{
			*bytes = b;
			*len = l;
			found = true;
		}
		pos += sizeof(int64) + sizeof(int32) + l;
	}
	return found;
}

/* funnel: the group's funnel_result. */
PG_FUNCTION_INFO_V1(funnel_options_finalfn);
Datum
funnel_options_finalfn(PG_FUNCTION_ARGS)
{
	TupleDesc  *desc_cache;
	FoptState  *state;
	FunnelOutcome out;
	FunnelEvent *events;
	bool		copied;
	bool		excluded;
	const char *bd = NULL;
	int			bd_len = 0;
	bool		has_bd = false;

	desc_cache = cx_call_site_cache(fcinfo, sizeof(TupleDesc));
	if (PG_ARGISNULL(0))
	{
		out.level = 0;
		return fopt_result(fcinfo, desc_cache, &out, false, false, NULL, 0);
	}
	state = (FoptState *) PG_GETARG_POINTER(0);
	events = funnel_state_events(state->rows, &copied);
	fopt_evaluate(state->spec, events, state->rows->count, state->rows->params.window,
				  &out, &excluded);
	if (copied)
		pfree(events);
	switch (state->spec->breakdown)
	{
		case FUNNEL_BREAKDOWN_FIRST_TOUCH:
			has_bd = state->first.known;
			bd = state->first.bytes;
			bd_len = state->first.len;
			break;
		case FUNNEL_BREAKDOWN_LAST_TOUCH:
			has_bd = state->last.known;
			bd = state->last.bytes;
			bd_len = state->last.len;
			break;
		case FUNNEL_BREAKDOWN_STEP:
			if (excluded)
				break;
			if (state->spec->any_order)
			{
				/* step_at is in time order: step N's row is found apart */
				int			k = out.step_row[state->spec->breakdown_step - 1];

				if (k >= 0)
					has_bd = fopt_step_value(state, out.times[k], &bd, &bd_len);
			}
			else if (out.level >= state->spec->breakdown_step)
				has_bd = fopt_step_value(state, out.times[state->spec->breakdown_step - 1],
										 &bd, &bd_len);
			break;
		default:
			break;
	}
	return fopt_result(fcinfo, desc_cache, &out, excluded, has_bd, bd, bd_len);
}

/* Combine two partial states of a group: the rows and values of both. */
PG_FUNCTION_INFO_V1(funnel_options_combinefn);
Datum
funnel_options_combinefn(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	FoptState  *left;
	FoptState  *right;
	Datum		one_side;

	if (cx_combine_one_side(fcinfo, "funnel_options_combinefn", &aggcxt, &one_side))
		CX_RETURN_COMBINE_ONE_SIDE(one_side);
	left = (FoptState *) PG_GETARG_POINTER(0);
	right = (FoptState *) PG_GETARG_POINTER(1);
	if (left->spec->hash != right->spec->hash ||
		!funnel_params_equal(&left->rows->params, &right->rows->params))
		fopt_group_mismatch(left->spec, &left->rows->params, right->spec, &right->rows->params);
	left->rows = funnel_state_merge(left->rows, right->rows);
	if (right->first.known)
		fopt_value_offer(aggcxt, &left->first, true, right->first.ts,
						 right->first.bytes, right->first.len);
	if (right->last.known)
		fopt_value_offer(aggcxt, &left->last, false, right->last.ts,
						 right->last.bytes, right->last.len);
	if (right->step_len > 0)
	{
		/* the entries do not depend on where they sit: copied as they are */
		fopt_step_reserve(aggcxt, left, left->step_len + right->step_len);
		memcpy(left->step_buf + left->step_len, right->step_buf, right->step_len);
		left->step_len += right->step_len;
	}
	PG_RETURN_POINTER(left);
}

/* ---------- serialize / deserialize ---------- */

static void
fopt_value_write(StringInfo buf, const FoptValue *v)
{
	pq_sendbyte(buf, v->known ? 1 : 0);
	if (v->known)
	{
		pq_sendint64(buf, v->ts);
		pq_sendint32(buf, v->len);
		pq_sendbytes(buf, v->bytes, v->len);
	}
}

/*
 * Serialize: the spec (with the step count and excluded names), the
 * window, the steps hash, the rows as (time, mask) pairs, the kept values.
 */
PG_FUNCTION_INFO_V1(funnel_options_serialize);
Datum
funnel_options_serialize(PG_FUNCTION_ARGS)
{
	FoptState  *state = (FoptState *) PG_GETARG_POINTER(0);
	FunnelEvent *events;
	bool		copied;
	StringInfoData buf;
	int32		i;

	pq_begintypsend(&buf);
	fopt_spec_write(state->spec, &buf);
	pq_sendint64(&buf, state->rows->params.window);
	pq_sendint64(&buf, (int64) state->rows->params.steps_hash);
	events = funnel_state_events(state->rows, &copied);
	pq_sendint32(&buf, state->rows->count);
	for (i = 0; i < state->rows->count; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		pq_sendint64(&buf, events[i].ts);
		pq_sendint64(&buf, (int64) events[i].mask);
	}
	if (copied)
		pfree(events);
	fopt_value_write(&buf, &state->first);
	fopt_value_write(&buf, &state->last);
	pq_sendint64(&buf, state->step_len);
	if (state->step_len > 0)
		pq_sendbytes(&buf, state->step_buf, state->step_len);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

static int32
fopt_get_int32(StringInfo buf)
{
	if (buf->len - buf->cursor < 4)
		cx_bad_state("funnel", "too short");
	return (int32) pq_getmsgint(buf, 4);
}

static int64
fopt_get_int64(StringInfo buf)
{
	if (buf->len - buf->cursor < 8)
		cx_bad_state("funnel", "too short");
	return pq_getmsgint64(buf);
}

static const char *
fopt_get_bytes(StringInfo buf, int64 len)
{
	if (len < 0 || buf->len - buf->cursor < len)
		cx_bad_state("funnel", "too short");
	return pq_getmsgbytes(buf, (int) len);
}

/* 22P03 unless the bytes are text a state may carry (cx_valid_text). */
static void
fopt_check_text(const char *bytes, int len, const char *what)
{
	if (!cx_valid_text(bytes, len))
		cx_bad_state("funnel", "%s is not valid text", what);
}

/* 22P03 unless the time is one a state may carry (cx_valid_time). */
static void
fopt_check_time(int64 ts, const char *what)
{
	if (!cx_valid_time(ts))
		cx_bad_state("funnel", "%s is out of range", what);
}

static void
fopt_value_read(StringInfo buf, MemoryContext cxt, FoptValue *v)
{
	int			known;

	if (buf->len - buf->cursor < 1)
		cx_bad_state("funnel", "too short");
	known = pq_getmsgbyte(buf);
	if (known == 0)
		return;
	if (known != 1)
		cx_bad_state("funnel", "bad value flag");
	{
		int64		ts = fopt_get_int64(buf);
		int32		len = fopt_get_int32(buf);
		const char *bytes;

		if (len < 0 || len > (int32) MaxAllocSize - 1)
			cx_bad_state("funnel", "bad value length");
		bytes = fopt_get_bytes(buf, len);
		fopt_check_time(ts, "a breakdown value's time");
		fopt_check_text(bytes, len, "a breakdown value");
		fopt_value_set(cxt, v, ts, bytes, len);
	}
}

/* Deserialize a partial state, rejecting bytes that are not one. */
PG_FUNCTION_INFO_V1(funnel_options_deserialize);
Datum
funnel_options_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	StringInfoData buf;
	FoptSpec   *spec;
	FoptSpec   *kept;
	FoptCacheItem *item;
	uint64		hash;
	int			spec_start;
	FoptState  *state;
	FunnelParams params;
	int32		count;
	uint64		max_mask;
	int64		step_len;
	int			x;
	int			e;
	int32		i;

	aggcxt = cx_deserialize_start(fcinfo, "funnel_options_deserialize", &buf);

	/* the spec: each field within its range */
	spec_start = buf.cursor;
	spec = palloc0(sizeof(FoptSpec));
	spec->nsteps = fopt_get_int32(&buf);
	spec->nevents = fopt_get_int32(&buf);
	spec->flags = fopt_get_int32(&buf);
	if (spec->nsteps < 1 || spec->nsteps > FUNNEL_MAX_STEPS || spec->nevents < 0 ||
		spec->nevents > FUNNEL_MAX_STEPS - spec->nsteps ||
		spec->nevents > FUNNEL_MAX_EXCLUSIONS)
		cx_bad_state("funnel", "step or event count out of range");
	if ((spec->flags & ~FUNNEL_ALL_MODES) != 0 ||
		((spec->flags & FUNNEL_ALLOW_REENTRY) && !(spec->flags & FUNNEL_STRICT_ORDER)))
		cx_bad_state("funnel", "bad mode flags");
	if (buf.len - buf.cursor < 1)
		cx_bad_state("funnel", "too short");
	x = pq_getmsgbyte(&buf);
	if (x != 0 && x != 1)
		cx_bad_state("funnel", "bad any_order flag");
	spec->any_order = x == 1;
	if (spec->any_order && spec->flags != 0)
		cx_bad_state("funnel", "any_order with a mode");
	spec->nexcl = fopt_get_int32(&buf);
	if (spec->nexcl < 0 || spec->nexcl > FUNNEL_MAX_EXCLUSIONS ||
		(spec->nexcl == 0) != (spec->nevents == 0))
		cx_bad_state("funnel", "exclusion count out of range");
	for (x = 0; x < spec->nexcl; x++)
	{
		int32		ev = fopt_get_int32(&buf);

		spec->excl[x].from = fopt_get_int32(&buf);
		spec->excl[x].to = fopt_get_int32(&buf);
		if (ev < 0 || ev >= spec->nevents || spec->excl[x].from < 1 ||
			spec->excl[x].from >= spec->excl[x].to || spec->excl[x].to > spec->nsteps ||
			(spec->any_order && (spec->excl[x].from != 1 || spec->excl[x].to != spec->nsteps)))
			cx_bad_state("funnel", "bad exclusion");
		spec->excl[x].mask = UINT64CONST(1) << (spec->nsteps + ev);
	}
	spec->breakdown = fopt_get_int32(&buf);
	spec->breakdown_step = fopt_get_int32(&buf);
	if (spec->breakdown < FUNNEL_BREAKDOWN_NONE || spec->breakdown > FUNNEL_BREAKDOWN_STEP ||
		(spec->breakdown == FUNNEL_BREAKDOWN_STEP) !=
		(spec->breakdown_step >= 1 && spec->breakdown_step <= spec->nsteps) ||
		(spec->breakdown != FUNNEL_BREAKDOWN_STEP && spec->breakdown_step != 0))
		cx_bad_state("funnel", "bad breakdown");
	for (e = 0; e < spec->nevents; e++)
	{
		int32		len = fopt_get_int32(&buf);

		if (len <= 0 || len > buf.len)
			cx_bad_state("funnel", "bad event name length");
		spec->name_len[spec->nsteps + e] = len;
		spec->name[spec->nsteps + e] = (char *) fopt_get_bytes(&buf, len);
		fopt_check_text(spec->name[spec->nsteps + e], len, "an excluded event");
	}
	spec->nnames = spec->nsteps + spec->nevents;
	fopt_spec_hash(spec);

	/*
	 * One spec per distinct serialized spec for the call site: states point
	 * to it, and partial states of many groups share a few specs.
	 */
	item = fopt_cache_find((HTAB **) &fcinfo->flinfo->fn_extra, fcinfo->flinfo->fn_mcxt, 0,
						   buf.data + spec_start, buf.cursor - spec_start, &hash);
	if (item == NULL)
	{
		FoptSpec   *keep = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(FoptSpec));

		*keep = *spec;
		for (e = spec->nsteps; e < spec->nnames; e++)
		{
			keep->name[e] = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, spec->name_len[e]);
			memcpy(keep->name[e], spec->name[e], spec->name_len[e]);
		}
		item = fopt_cache_add((HTAB *) fcinfo->flinfo->fn_extra, fcinfo->flinfo->fn_mcxt, hash,
							  0, buf.data + spec_start, buf.cursor - spec_start, keep);
	}
	pfree(spec);
	kept = item->spec;

	params.window = fopt_get_int64(&buf);
	params.steps_hash = (uint64) fopt_get_int64(&buf);
	params.nsteps = kept->nnames;
	params.flags = kept->flags;
	if (params.window < 0)
		cx_bad_state("funnel", "negative window");
	if ((params.steps_hash & 1) == 0)
		cx_bad_state("funnel", "steps hash of no event form");
	count = fopt_get_int32(&buf);
	if (count < 0 || count > FUNNEL_MAX_ROWS || (int64) (buf.len - buf.cursor) < (int64) count * 16)
		cx_bad_state("funnel", "row count does not match the length");
	max_mask = params.nsteps == 64 ? PG_UINT64_MAX : (UINT64CONST(1) << params.nsteps) - 1;

	state = MemoryContextAllocZero(aggcxt, sizeof(FoptState));
	state->spec = kept;
	state->rows = funnel_state_new(aggcxt, &params);
	for (i = 0; i < count; i++)
	{
		int64		ts = pq_getmsgint64(&buf);
		uint64		mask = (uint64) pq_getmsgint64(&buf);

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if ((mask & ~max_mask) != 0)
			cx_bad_state("funnel", "a row matches a step past the last");
		if (mask == 0 && !(params.flags & FUNNEL_STRICT_ORDER))
			cx_bad_state("funnel", "a row matches no step");
		fopt_check_time(ts, "a row's time");
		state->rows = funnel_state_append(state->rows, ts, mask);
	}
	fopt_value_read(&buf, aggcxt, &state->first);
	fopt_value_read(&buf, aggcxt, &state->last);
	if ((state->first.known && state->spec->breakdown != FUNNEL_BREAKDOWN_FIRST_TOUCH) ||
		(state->last.known && state->spec->breakdown != FUNNEL_BREAKDOWN_LAST_TOUCH))
		cx_bad_state("funnel", "a value the breakdown does not use");
	step_len = fopt_get_int64(&buf);
	if (step_len < 0 || step_len != buf.len - buf.cursor ||
		(step_len > 0 && state->spec->breakdown != FUNNEL_BREAKDOWN_STEP))
		cx_bad_state("funnel", "bad step values length");
	{
		/* every entry whole */
		const char *data = fopt_get_bytes(&buf, step_len);
		int64		pos = 0;
		int64		entry = 0;

		while (pos < step_len)
		{
			int32		l;

			if ((entry++ & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();

			if (step_len - pos < (int64) (sizeof(int64) + sizeof(int32)))
				cx_bad_state("funnel", "truncated step value");
			memcpy(&l, data + pos + sizeof(int64), sizeof(int32));
			if (l < 0 || l > step_len - pos - (int64) (sizeof(int64) + sizeof(int32)))
				cx_bad_state("funnel", "bad step value length");
			{
				int64		at;

				memcpy(&at, data + pos, sizeof(int64));
				fopt_check_time(at, "a breakdown value's time");
			}
			fopt_check_text(data + pos + sizeof(int64) + sizeof(int32), l, "a breakdown value");
			pos += sizeof(int64) + sizeof(int32) + l;
		}
		if (step_len > 0)
		{
			state->step_buf = MemoryContextAlloc(aggcxt, step_len);
			memcpy(state->step_buf, data, step_len);
			state->step_len = step_len;
			state->step_capacity = step_len;
		}
	}
	PG_RETURN_POINTER(state);
}
