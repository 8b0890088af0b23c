/*
 * model_agg.c
 *		journey_model_agg (counting a path's transitions into the expanded
 *		state), its combine function and the || operator.
 */
#include "journey_model.h"

#include "common/int.h"
#include "miscadmin.h"
#include "utils/timestamp.h"

/* The k and active_after of a transition call, checked. */
static void
model_agg_args(FunctionCallInfo fcinfo, int *k, uint16 *flags, TimestampTz *cut)
{
	*k = 1;
	*flags = 0;
	*cut = 0;
	if (PG_NARGS() >= 3)
	{
		if (PG_ARGISNULL(2))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("journey_model_agg order k must not be NULL"),
					 errhint("Give k from 1 to %d, or use journey_model_agg(p) for k = 1.", CX_MODEL_MAX_K)));
		*k = PG_GETARG_INT32(2);
		model_check_k(*k);
	}
	if (PG_NARGS() >= 4)
	{
		if (PG_ARGISNULL(3))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("journey_model_agg active_after must not be NULL"),
					 errhint("Use journey_model_agg(p, k) when every path has ended.")));
		*flags = MODEL_HAS_ACTIVE_AFTER;
		*cut = PG_GETARG_TIMESTAMPTZ(3);
	}
}

/* 22023 unless a state and a row (or two states) agree on k and active_after. */
static void
model_check_same(int k1, uint16 f1, TimestampTz c1, int k2, uint16 f2, TimestampTz c2)
{
	if (k1 != k2)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("journey_model order k differs within a group: %d and %d", k1, k2),
				 errhint("Give one k for the whole group (a constant).")));
	if (f1 != f2 || c1 != c2)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("journey_model_agg active_after differs within a group"),
				 errhint("Give one active_after for the whole group (a constant).")));
}

/* Count one path's transitions (model ids in em->map by path label id). */
static void
model_count_path(ModelExpanded *em, MilestonePath *path, bool active_check)
{
	PathView	view;
	uint32		key[CX_MODEL_MAX_K + 1] = {0};
	const char *label;
	uint32		i;
	int			k = em->k;
	bool		ended = true;

	path_view(path, &view, false);
	if (active_check)
	{
		path_require_times(&view, "journey_model_agg with active_after");
		/* a customer whose last step is after the cut-off is still active */
		if (view.nsteps > 0 && view.times[view.nsteps - 1] > em->active_after)
			ended = false;
	}
	if (view.nlabels > em->map_capacity)
	{
		em->map_capacity = Max(view.nlabels, em->map_capacity * 2);
		em->map = repalloc(em->map, sizeof(uint32) * em->map_capacity);
	}
	label = view.label_bytes;
	for (i = 0; i < view.nlabels; i++)
	{
		int			len = view.label_lengths[i];
		/* a cheap hash of the length and three bytes picks a cache slot */
		uint32		r = ((uint32) len * 31 + (uint8) label[0] * 7 +
						 (uint8) label[len / 2] * 13 + (uint8) label[len - 1]) &
			(MODEL_RECENT_LABELS - 1);
		uint32		id = em->recent[r];

		/*
		 * Most paths repeat the same few labels: a hit in the cache of
		 * recently seen labels (checked byte for byte) saves hashing the
		 * label into the dictionary on every row.
		 */
		if (id == 0 || em->dict.lengths[id - 1] != len ||
			memcmp(path_dict_label(&em->dict, id - 1), label, len) != 0)
		{
			id = model_expanded_label(em, label, len);
			em->recent[r] = id;
		}
		em->map[i] = id;
		label += len;
	}
	if (em->dense != NULL)
	{
		/*
		 * With the direct index, the slot of (context, next) rolls along the
		 * path: shift in the next id, drop the oldest.  The start context is
		 * all zeros, slot 0.
		 */
		int			bits = em->dense_bits;
		uint32		id_mask = (1U << bits) - 1;
		uint32		slot_mask = (1U << (bits * (k + 1))) - 1;
		uint32		slot = 0;
		bool		last = false;

		for (i = 0; !last; i++)
		{
			uint32		e;

			last = (i == view.nsteps);
			if (last && !ended)
				break;
			slot = ((slot << bits) | (last ? 0 : em->map[path_step_id(&view, i)])) & slot_mask;
			e = em->dense[slot];
			if (likely(e != 0))
			{
				if (unlikely(pg_add_s64_overflow(em->counts[e - 1].count, 1, &em->counts[e - 1].count)))
					ereport(ERROR,
							(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
							 errmsg("journey_model transition count out of range")));
				model_expanded_changed(em);
			}
			else
			{
				int			j;

				/* a new transition: its ids from the slot */
				for (j = 0; j <= k; j++)
					key[j] = (slot >> (bits * (k - j))) & id_mask;
				model_expanded_add_full(em, key, 1, NULL);
			}
		}
		return;
	}
	/* key[0..k-1] is the context, start-padded: ^ ^ a for the second step at k = 2 */
	for (i = 0; i < view.nsteps; i++)
	{
		key[k] = em->map[path_step_id(&view, i)];
		model_expanded_add_full(em, key, 1, NULL);
		/* shift the context by one; the ids past k stay 0 */
		key[0] = key[1];
		key[1] = key[2];
		key[2] = key[3];
		key[3] = key[4];
		key[4] = 0;
	}
	if (ended)
	{
		key[k] = 0;
		model_expanded_add_full(em, key, 1, NULL);
	}
}

/*
 * journey_model_agg transition (p [, k [, active_after]]): not strict, so
 * that a group's first row with a path makes the state; a NULL path is
 * skipped.
 */
PG_FUNCTION_INFO_V1(journey_model_agg_transfn);
Datum
journey_model_agg_transfn(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	ModelExpanded *em;
	int			k;
	uint16		flags;
	TimestampTz cut;

	/* its state type is a plain type, so SQL can call it directly: say why not */
	if (!AggCheckCallContext(fcinfo, &aggcxt))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("journey_model_agg_transfn can only be called by the journey_model_agg aggregate"),
				 errhint("Use journey_model_agg(p [, k [, active_after]]) to fit a model.")));
	model_agg_args(fcinfo, &k, &flags, &cut);
	/*
	 * A NULL path is skipped, its k and active_after only checked on their
	 * own: comparing them with the group's would depend on the row order
	 * (a group whose first rows have NULL paths has no state to compare
	 * with yet).
	 */
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	if (PG_ARGISNULL(0))
		em = model_expanded_new(aggcxt, k, flags, cut);
	else
	{
		em = model_expanded_rw(PG_GETARG_DATUM(0));
		if (em == NULL)
		{
			/* a flat state (not made here): expand it once */
			JourneyModel *flat = PG_GETARG_MODEL(0);

			em = model_expanded_new(aggcxt, flat->k, flat->flags, flat->active_after);
			model_expanded_add_flat(em, flat);
		}
		model_check_same(em->k, em->flags, em->active_after, k, flags, cut);
	}
	CHECK_FOR_INTERRUPTS();
	model_count_path(em, (MilestonePath *) PG_DETOAST_DATUM(PG_GETARG_DATUM(1)),
					 (flags & MODEL_HAS_ACTIVE_AFTER) != 0);
	PG_RETURN_DATUM(EOHPGetRWDatum(&em->hdr));
}

/*
 * m1 || m2 and the aggregate's combine function: counts added.  Both need
 * the same k (22023).  In the aggregate the cut-offs must agree as well
 * (22023); || keeps the cut-off only when both models have the same one.
 */
PG_FUNCTION_INFO_V1(journey_model_merge);
Datum
journey_model_merge(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	bool		in_agg = AggCheckCallContext(fcinfo, &aggcxt);
	JourneyModel *right = PG_GETARG_MODEL(1);
	ModelExpanded *em = in_agg ? model_expanded_rw(PG_GETARG_DATUM(0)) : NULL;
	JourneyModel *result;

	if (em == NULL)
	{
		JourneyModel *left = PG_GETARG_MODEL(0);

		if (left->k != right->k)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cannot merge journey_model values of different orders: k = %d and k = %d",
							left->k, right->k),
					 errhint("Only models fitted with the same k add up.")));
		em = model_expanded_new(in_agg ? aggcxt : CurrentMemoryContext,
								left->k, left->flags, left->active_after);
		model_expanded_add_flat(em, left);
	}
	if (in_agg)
		model_check_same(em->k, em->flags, em->active_after,
						 right->k, right->flags, right->active_after);
	else if (em->flags != right->flags || em->active_after != right->active_after)
	{
		em->flags = 0;
		em->active_after = 0;
	}
	model_expanded_add_flat(em, right);
	if (in_agg)
		PG_RETURN_DATUM(EOHPGetRWDatum(&em->hdr));
	result = model_flatten(em);
	DeleteExpandedObject(EOHPGetRWDatum(&em->hdr));
	PG_RETURN_POINTER(result);
}
