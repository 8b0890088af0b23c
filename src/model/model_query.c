/*
 * model_query.c
 *		The questions a journey_model answers: predict_next,
 *		reach_probability, removal_effects, journey_transitions.
 *
 * Contexts.  The context of a step is the k labels before it, padded at
 * the front with the start state ^ (at k = 2 the first step follows
 * (^, ^), the second (^, a)), so "the path began with a" is a context of
 * its own.  Back-off (model_index.c, model_backoff): a question about a
 * path uses the longest suffix of its context, from k labels down to 1,
 * that the model saw at least min_support times (counting every
 * transition out of it), else order 0: every transition of the model but
 * the start state's (first steps are not what follows a step).
 *
 * The chain of reach_probability and removal_effects has one state per
 * context of every order 1..k (and order 0).  After a transition to label
 * x, the next state is the longest suffix of (context, x), at most k
 * labels, that the model saw as a context; the end state and the target
 * absorb.  Hitting probabilities are solved by model_solve.c (directly for
 * small chains, by sweeps with a tolerance for large ones).
 */
#include "journey_model.h"

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/tuplestore.h"

/* predict_next's and reach_probability's default min_support. */
#define MODEL_DEFAULT_MIN_SUPPORT 5

static int64
model_min_support_arg(FunctionCallInfo fcinfo, int argno)
{
	int64		min_support = PG_NARGS() > argno ? PG_GETARG_INT64(argno)
		: MODEL_DEFAULT_MIN_SUPPORT;

	if (min_support < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("min_support must be at least 1: " INT64_FORMAT, min_support),
				 errhint("min_support is how many transitions a context needs to be used without backing off (default %d).",
						 MODEL_DEFAULT_MIN_SUPPORT)));
	return min_support;
}

/* A label id as text: NULL for the end state. */
static void
model_label_datum(const ModelView *view, uint32 id, Datum *value, bool *isnull)
{
	if (id == 0)
	{
		*isnull = true;
		*value = (Datum) 0;
	}
	else
	{
		*isnull = false;
		*value = PointerGetDatum(cstring_to_text_with_len(view->labels[id - 1],
														  view->lengths[id - 1]));
	}
}

/* Whether entry a ranks before entry b: support desc, then label asc, the end last. */
static inline bool
model_ranks_before(int64 count_a, uint32 id_a, int64 count_b, uint32 id_b)
{
	if (count_a != count_b)
		return count_a > count_b;
	if (id_a == 0 || id_b == 0)
		return id_b == 0 && id_a != 0;
	return id_a < id_b;
}

/*
 * predict_next(m, p, n, min_support): the n most likely next labels after
 * p's context (with back-off), most likely first; the end is a NULL label.
 */
PG_FUNCTION_INFO_V1(predict_next);
Datum
predict_next(PG_FUNCTION_ARGS)
{
	ModelIndex *index = model_index_arg(fcinfo, 0);
	MilestonePath *path = (MilestonePath *) PG_DETOAST_DATUM(PG_GETARG_DATUM(1));
	int32		n = PG_GETARG_INT32(2);
	int64		min_support = model_min_support_arg(fcinfo, 3);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	uint32		context[CX_MODEL_MAX_K];
	uint32		top[64];
	int			ntop = 0;
	int			order;
	int64		ctx;
	const ModelOrder *o;
	uint32		e;
	int			i;

	if (n < 0 || n > 64)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("predict_next n must be from 0 to 64: %d", n),
				 errhint("n is how many candidates to return (default 3).")));
	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	model_path_context(index, path, context);
	if (n == 0 || !model_backoff(index, context, min_support, &order, &ctx))
		return (Datum) 0;
	o = &index->orders[order];
	/* keep the n best entries, best first (n is small: insertion) */
	for (e = o->first[ctx]; e < o->first[ctx + 1]; e++)
	{
		int			at = ntop;

		while (at > 0 && model_ranks_before(o->counts[e], o->next[e],
											o->counts[top[at - 1]], o->next[top[at - 1]]))
			at--;
		if (at >= n)
			continue;
		if (ntop < n)
			ntop++;
		memmove(top + at + 1, top + at, sizeof(uint32) * (ntop - 1 - at));
		top[at] = e;
	}
	for (i = 0; i < ntop; i++)
	{
		Datum		values[3];
		bool		nulls[3] = {false, false, false};

		model_label_datum(&index->view, o->next[top[i]], &values[0], &nulls[0]);
		values[1] = Float8GetDatum((double) o->counts[top[i]] / (double) o->totals[ctx]);
		values[2] = Int64GetDatum(o->counts[top[i]]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/* ---------- the chain ---------- */

/* The state after context ids (length j) then label x: its number. */
static int32
model_next_state(const ModelIndex *index, const uint32 *ids, int j, uint32 x)
{
	uint32		seq[CX_MODEL_MAX_K + 1];
	int			k = index->view.k;
	int			len = Min(j + 1, k);
	int			m;

	memcpy(seq, ids + (j + 1 - len), sizeof(uint32) * (len - 1));
	seq[len - 1] = x;
	/* the longest suffix of at most k labels the model saw as a context */
	for (m = len; m >= 0; m--)
	{
		int64		c = model_order_find(&index->orders[m], seq + (len - m));

		if (c >= 0)
			return index->state_offset[m] + (int32) c;
	}
	return CX_CHAIN_END;
}

static void
model_build_chain(ModelIndex *index)
{
	MemoryContext old = MemoryContextSwitchTo(index->cxt);
	int			k = index->view.k;
	int64		nentries = 0;
	int64	   *row_start;
	int64		e;
	int32		s = 0;
	int			j;

	for (j = 0; j <= k; j++)
	{
		index->state_offset[j] = s;
		s += index->orders[j].ncontexts;
		nentries += index->orders[j].first[index->orders[j].ncontexts];
		if (s > MODEL_MAX_STATES)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("journey_model has more than %d states to solve", MODEL_MAX_STATES),
					 errhint("Use a model of a lower order k or with fewer labels.")));
	}
	index->state_offset[k + 1] = s;
	index->nstates = s;
	row_start = palloc(sizeof(int64) * (s + 1));
	index->dest = palloc(sizeof(int32) * Max(nentries, 1));
	index->label = palloc(sizeof(uint32) * Max(nentries, 1));
	index->prob = palloc(sizeof(double) * Max(nentries, 1));
	index->h = palloc(sizeof(double) * Max(s, 1));
	index->h_lower = palloc(sizeof(double) * Max(s, 1));
	e = 0;
	s = 0;
	for (j = 0; j <= k; j++)
	{
		const ModelOrder *o = &index->orders[j];
		uint32		c;

		for (c = 0; c < o->ncontexts; c++)
		{
			uint32		t;

			CHECK_FOR_INTERRUPTS();
			row_start[s++] = e;
			for (t = o->first[c]; t < o->first[c + 1]; t++)
			{
				index->label[e] = o->next[t];
				index->prob[e] = (double) o->counts[t] / (double) o->totals[c];
				index->dest[e] = o->next[t] == 0 ? CX_CHAIN_END :
					model_next_state(index, o->context_ids + (Size) c * j, j, o->next[t]);
				e++;
			}
		}
	}
	row_start[s] = e;
	/* set last: an interrupted build leaves no half-built chain behind */
	index->row_start = row_start;
	MemoryContextSwitchTo(old);
}

/* The solver's interrupt callback: a cancel or statement_timeout stops a long solve. */
static void
model_solve_interrupt(void *arg)
{
	(void) arg;
	CHECK_FOR_INTERRUPTS();
}

/*
 * Solve for a target into h and its lower bound (warm: both hold the
 * solution without removed), within the tolerance at every state for focus
 * -1, else at state focus relative to focus_scale (0: to the value itself);
 * returns the work.
 */
static double
model_solve(ModelIndex *index, uint32 target, uint32 removed, bool warm, int32 focus,
			double focus_scale, double *h, double *lower)
{
	double		work;
	CxChain		chain;

	Assert(index->row_start != NULL);
	chain.nstates = index->nstates;
	chain.row_start = index->row_start;
	chain.dest = index->dest;
	chain.label = index->label;
	chain.prob = index->prob;
	chain.interrupt = model_solve_interrupt;
	chain.interrupt_arg = NULL;
	if (index->solve_space == NULL)
		index->solve_space = MemoryContextAllocHuge(index->cxt,
													Max(cx_chain_workspace_size(&chain), 8));
	work = cx_chain_solve(&chain, target, removed, warm, focus, focus_scale, h, lower,
						  index->solve_space,
						  MODEL_MAX_SOLVE_WORK);
	if (work < 0)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("journey_model chain of %d states mixes too slowly to be solved",
						index->nstates),
				 errdetail("Chains in which more than %d states reach the target are solved by sweeps that bound the answer within %g; on this one the bounds stayed apart, held there by rounding or still apart after %.0f steps.",
						   CX_CHAIN_DIRECT_MAX, CX_CHAIN_TOLERANCE, (double) MODEL_MAX_SOLVE_WORK),
				 errhint("Paths that loop for very long converge slowly; use compact(p) to collapse repeats, a lower k, or fewer labels (CASE ... ELSE 'other').")));
	return work;
}

/* The model id of a target argument; 0 when unknown (probability 0). */
static uint32
model_target_arg(const ModelIndex *index, FunctionCallInfo fcinfo, int argno)
{
	text	   *target = PG_GETARG_TEXT_PP(argno);
	int			len = VARSIZE_ANY_EXHDR(target);

	if (len < 1 || len > CX_PATH_LABEL_MAX)
		return 0;
	return model_index_label(index, VARDATA_ANY(target), len);
}

/*
 * reach_probability(m, p, target, min_support): the probability that a
 * later step of a customer in p's state (with back-off) is target, before
 * the path ends; 0 for a label the model lacks.
 */
PG_FUNCTION_INFO_V1(reach_probability);
Datum
reach_probability(PG_FUNCTION_ARGS)
{
	ModelIndex *index = model_index_arg(fcinfo, 0);
	MilestonePath *path = (MilestonePath *) PG_DETOAST_DATUM(PG_GETARG_DATUM(1));
	uint32		target = model_target_arg(index, fcinfo, 2);
	int64		min_support = model_min_support_arg(fcinfo, 3);
	uint32		context[CX_MODEL_MAX_K];
	int			order;
	int64		ctx;

	if (target == 0)
		PG_RETURN_FLOAT8(0.0);
	model_path_context(index, path, context);
	if (!model_backoff(index, context, min_support, &order, &ctx))
		PG_RETURN_FLOAT8(0.0);
	if (index->row_start == NULL)
		model_build_chain(index);
	if (index->solved_target != target)
	{
		/* h is overwritten: a solve that fails leaves no target cached */
		index->solved_target = 0;
		/* every state: the paths of later calls start from other contexts */
		model_solve(index, target, PG_UINT32_MAX, false, -1, 0.0, index->h, index->h_lower);
		index->solved_target = target;
	}
	PG_RETURN_FLOAT8(index->h[index->state_offset[order] + ctx]);
}

/*
 * removal_effects(m, target): per label other than target, the share of
 * P(reach target from the start) lost when every transition into the
 * label ends the path instead; no rows when that probability is 0.
 */
PG_FUNCTION_INFO_V1(removal_effects);
Datum
removal_effects(PG_FUNCTION_ARGS)
{
	ModelIndex *index = model_index_arg(fcinfo, 0);
	uint32		target = model_target_arg(index, fcinfo, 1);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	uint32		context[CX_MODEL_MAX_K] = {0};
	double	   *effects;
	double	   *h;
	double	   *lower;
	double	   *base_h;
	double	   *base_lower;
	double		work;
	double		base,
				sum = 0.0;
	int			order;
	int64		ctx;
	int32		start;
	uint32		id;

	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	if (target == 0 || !model_backoff(index, context, 1, &order, &ctx))
		return (Datum) 0;
	if (index->row_start == NULL)
		model_build_chain(index);
	start = index->state_offset[order] + (int32) ctx;
	h = palloc(sizeof(double) * Max(index->nstates, 1));
	lower = palloc(sizeof(double) * Max(index->nstates, 1));
	base_h = palloc(sizeof(double) * Max(index->nstates, 1));
	base_lower = palloc(sizeof(double) * Max(index->nstates, 1));
	/* relative to their own values: each effect is a ratio of two of them */
	work = model_solve(index, target, PG_UINT32_MAX, false, start, 0.0, base_h, base_lower);
	base = base_h[start];
	/*
	 * Below about 1e-270 the solver's rounding bounds, relative ones, no
	 * longer hold (subnormal products): so small a probability counts as 0.
	 */
	if (base < MODEL_MIN_REMOVAL_BASE)
		return (Datum) 0;
	/*
	 * One more solve per label: refuse the models where that would take
	 * minutes (the work of the first solve times the labels, a number that
	 * depends on the model only, so the same model always passes or fails).
	 */
	if (work * (double) index->view.nlabels > MODEL_MAX_REMOVAL_WORK)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("removal_effects of this journey_model would take %.0f steps, more than %.0f",
						work * (double) index->view.nlabels, (double) MODEL_MAX_REMOVAL_WORK),
				 errdetail("It solves the chain once per label: %u labels, %d states, %lld transitions over all orders, %.0f steps for the first solve.",
						   index->view.nlabels, index->nstates,
						   (long long) index->row_start[index->nstates], work),
				 errhint("Fit the model with a lower k, or group rare labels together (CASE ... ELSE 'other').")));
	effects = palloc0(sizeof(double) * (index->view.nlabels + 1));
	for (id = 1; id <= index->view.nlabels; id++)
	{
		if (id == target)
			continue;
		CHECK_FOR_INTERRUPTS();
		memcpy(h, base_h, sizeof(double) * index->nstates);
		memcpy(lower, base_lower, sizeof(double) * index->nstates);
		model_solve(index, target, id, true, start, base, h, lower);
		/* removing a label never raises the probability; clamp rounding */
		effects[id] = Max(0.0, (base - h[start]) / base);
		sum += effects[id];
	}
	for (id = 1; id <= index->view.nlabels; id++)
	{
		Datum		values[3];
		bool		nulls[3] = {false, false, false};

		if (id == target)
			continue;
		model_label_datum(&index->view, id, &values[0], &nulls[0]);
		values[1] = Float8GetDatum(effects[id]);
		values[2] = Float8GetDatum(sum > 0.0 ? effects[id] / sum : 0.0);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/*
 * journey_transitions(m): every transition as (context text[], next,
 * transitions, probability); the start is a NULL context element and the
 * end a NULL next.
 */
PG_FUNCTION_INFO_V1(journey_transitions);
Datum
journey_transitions(PG_FUNCTION_ARGS)
{
	JourneyModel *model = PG_GETARG_MODEL(0);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	ModelView	view;
	Datum	   *elems;
	bool	   *elem_nulls;
	int64		total = 0;
	uint32		t,
				first = 0;
	int			j;

	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	model_view(model, &view);
	elems = palloc(sizeof(Datum) * view.k);
	elem_nulls = palloc(sizeof(bool) * view.k);
	for (t = 0; t < view.ntrans; t++)
	{
		const uint32 *ids = view.ids + (Size) t * view.width;
		Datum		values[4];
		bool		nulls[4] = {false, false, false, false};
		int			dims[1] = {view.k};
		int			lbs[1] = {1};
		uint32		u;

		CHECK_FOR_INTERRUPTS();
		/* the context's total: its transitions are consecutive */
		if (t == first)
		{
			total = 0;
			for (u = t; u < view.ntrans &&
				 memcmp(view.ids + (Size) u * view.width, ids, sizeof(uint32) * view.k) == 0; u++)
				total += view.counts[u];
			first = u;
		}
		for (j = 0; j < view.k; j++)
			model_label_datum(&view, ids[j], &elems[j], &elem_nulls[j]);
		values[0] = PointerGetDatum(construct_md_array(elems, elem_nulls, 1, dims, lbs,
													   TEXTOID, -1, false, TYPALIGN_INT));
		model_label_datum(&view, ids[view.k], &values[1], &nulls[1]);
		values[2] = Int64GetDatum(view.counts[t]);
		values[3] = Float8GetDatum((double) view.counts[t] / (double) total);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
