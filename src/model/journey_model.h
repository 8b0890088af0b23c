/*
 * journey_model.h
 *		The journey_model value: transition counts of an order-k Markov
 *		chain over path labels, flat on disk and expanded while an aggregate
 *		or || adds to it (model_storage.c), and its read-only index for the
 *		questions (model_index.c).
 */
#ifndef CX_JOURNEY_MODEL_H
#define CX_JOURNEY_MODEL_H

#include "cx_journey.h"

#include "utils/expandeddatum.h"

#include "milestone_path.h"
#include "model_solve.h"
#include "model_text.h"

#define MODEL_VERSION		1

/* flags */
#define MODEL_HAS_ACTIVE_AFTER	0x0001

/*
 * Limits (54000 past them): distinct transitions (context, next) - every
 * context has at least one, so this bounds the contexts too, and with it
 * the size (28 bytes a transition at k = 4) - and distinct labels.
 */
#define MODEL_MAX_TRANSITIONS	(2 * 1000 * 1000)
#define MODEL_MAX_LABELS		(100 * 1000)

/* Slots of the expanded model's cache of recently seen labels (a power of 2). */
#define MODEL_RECENT_LABELS		256

/*
 * On-disk value (a varlena, 8-byte aligned, no padding, one canonical form,
 * so equal models are equal bytes):
 *
 *	header (24 bytes)
 *	int64 counts[ntrans]			each >= 1
 *	uint32 ids[ntrans][k + 1]		context (k ids), then the next id
 *	uint8 label_lengths[nlabels]	1..255
 *	label bytes, concatenated
 *
 * Labels are sorted by their bytes and distinct; label i has id i + 1 and
 * id 0 is the start state in a context (padding its front only) and the end
 * state as a next.  Transitions are sorted by their ids and distinct; every
 * label occurs in one.  active_after is 0 without MODEL_HAS_ACTIVE_AFTER.
 */
typedef struct JourneyModel
{
	int32		vl_len_;		/* varlena header */
	uint8		version;
	uint8		k;
	uint16		flags;
	uint32		nlabels;
	uint32		ntrans;
	TimestampTz active_after;
	/* counts, ids, lengths and label bytes follow */
} JourneyModel;

#define MODEL_HEADER_SIZE	((Size) sizeof(JourneyModel))

/* A decoded view of a flat model: pointers into it plus label starts. */
typedef struct ModelView
{
	int			k;
	int			width;			/* k + 1 ids a transition */
	uint16		flags;
	TimestampTz active_after;
	uint32		nlabels;
	uint32		ntrans;
	const int64 *counts;
	const uint32 *ids;
	const uint8 *lengths;
	const char **labels;		/* label id - 1 -> its bytes (palloc'd) */
} ModelView;

extern void model_view(const JourneyModel *model, ModelView *view);

/* A flat model argument: detoasted (and flattened when expanded). */
#define PG_GETARG_MODEL(n)	((JourneyModel *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n)))

/* One transition while counting: k context ids then the next id. */
typedef struct ModelCount
{
	uint32		key[CX_MODEL_MAX_K + 1];
	uint32		hash;			/* of the key, while counting */
	int64		count;
} ModelCount;

/*
 * The expanded form: a hash table of counts and a label dictionary (label
 * id = dictionary id + 1, in order of first appearance until flattened).
 */
typedef struct ModelExpanded
{
	ExpandedObjectHeader hdr;
	int			k;
	uint16		flags;
	TimestampTz active_after;
	PathDict	dict;
	ModelCount *counts;
	uint32		ntrans;
	uint32		capacity;
	uint32	   *slots;			/* index + 1, or 0 for an empty slot */
	uint32		mask;
	/*
	 * A direct index of the transitions (entry + 1 by the key's ids packed
	 * in dense_bits each), while it fits in MODEL_DENSE_MAX_SLOTS: one load
	 * a step instead of a hash probe.  NULL when off.
	 */
	uint32	   *dense;
	int			dense_bits;
	uint32	   *map;			/* a path's label id -> model id (scratch) */
	/* recently seen labels by a cheap hash: model id, or 0 (see model_agg.c) */
	uint32		recent[MODEL_RECENT_LABELS];
	uint32		map_capacity;
	JourneyModel *flat;			/* cached flat form, or NULL */
} ModelExpanded;

/* The direct index: built past this many transitions, while it has at most this many slots. */
#define MODEL_DENSE_FROM		256
#define MODEL_DENSE_MAX_SLOTS	(1 << 16)

/* A new empty expanded model in a new child context of parent. */
extern ModelExpanded *model_expanded_new(MemoryContext parent, int k,
										 uint16 flags, TimestampTz active_after);

/* The expanded model of a datum this call may change, else NULL. */
extern ModelExpanded *model_expanded_rw(Datum d);

/*
 * The counts or labels are about to change: drop (and free) the cached flat
 * form.
 */
extern void model_expanded_changed(ModelExpanded *em);

/* Add count to a transition (key: k context ids, then the next id). */
extern void model_expanded_add(ModelExpanded *em, const uint32 *key, int64 count,
							   bool *was_new);

/* Add every transition of a flat model (same k: the caller checks). */
extern void model_expanded_add_flat(ModelExpanded *em, const JourneyModel *model);

/* The same, key holding CX_MODEL_MAX_K + 1 ids, 0 past the k + 1 used. */
extern void model_expanded_add_full(ModelExpanded *em, const uint32 *full,
									int64 count, bool *was_new);

/* Intern a label; returns its model id (>= 1); 54000 past the limit. */
extern uint32 model_expanded_label(ModelExpanded *em, const char *label, int len);

/* Order of ModelCounts by their first *(int *) arg ids (a qsort_arg comparator). */
extern int	model_cmp_count(const void *a, const void *b, void *arg);

/* The canonical flat form, palloc'd in the current context. */
extern JourneyModel *model_flatten(ModelExpanded *em);

/* 22023 when a k argument is outside 1..4. */
extern void model_check_k(int64 k);

/* ---------- the read-only index of the questions (model_index.c) ---------- */

/*
 * The transitions of one order j (0..k): each order-k context cut to its
 * last j ids, the counts summed.  Contexts are sorted; the entries of
 * context c are first[c] .. first[c + 1] - 1, sorted by next id.
 */
typedef struct ModelOrder
{
	int			j;
	uint32		ncontexts;
	uint32	   *context_ids;	/* ncontexts * j */
	int64	   *totals;			/* per context */
	uint32	   *first;			/* ncontexts + 1 */
	uint32	   *next;			/* per entry */
	int64	   *counts;			/* per entry */
} ModelOrder;

typedef struct ModelIndex
{
	MemoryContext cxt;
	ModelView	view;
	ModelOrder	orders[CX_MODEL_MAX_K + 1];
	/*
	 * The chain of reach_probability and removal_effects (built on the first
	 * solve; row_start NULL before): one state per context of every order,
	 * order j's contexts numbered from state_offset[j].
	 */
	int32		nstates;
	int32		state_offset[CX_MODEL_MAX_K + 2];
	int64	   *row_start;
	int32	   *dest;
	uint32	   *label;
	double	   *prob;
	void	   *solve_space;	/* the solver's workspace, or NULL */
	/* the hitting probabilities of solved_target (0: none yet), and a lower bound */
	uint32		solved_target;
	double	   *h;
	double	   *h_lower;
} ModelIndex;

/* States of the chain past which reach_probability and removal_effects raise 54000. */
#define MODEL_MAX_STATES	(1000 * 1000)

/*
 * A chain too large to solve directly fails (54000) when its sweeps visit
 * more entries than this (a few seconds; statement_timeout and cancel stop
 * it sooner).
 */
#define MODEL_MAX_SOLVE_WORK	4e9

/*
 * removal_effects refuses (54000) a model where labels x the work of its
 * first solve (entries visited by the sweeps, n^3 / 3 for a direct solve)
 * passes this (about 40 s on the benchmark machine).
 */
#define MODEL_MAX_REMOVAL_WORK	3e10

/* removal_effects gives no rows when P(reach target) from the start is below this (2^-900). */
#define MODEL_MIN_REMOVAL_BASE	0x1p-900

/*
 * The index of argument argno for this call site: built once and kept in
 * fn_extra while the argument stays the same value (compared by its TOAST
 * pointer, or its bytes when inline).
 */
extern ModelIndex *model_index_arg(FunctionCallInfo fcinfo, int argno);

/* The id of a label (1..nlabels), or 0 when the model lacks it. */
extern uint32 model_index_label(const ModelIndex *index, const char *label, int len);

/* Find a context of order j; -1 when absent. */
extern int64 model_order_find(const ModelOrder *order, const uint32 *ids);

/*
 * The context (k ids, start-padded) after a path's steps: ids of labels the
 * model lacks are UINT32_MAX (no context contains them).
 */
extern void model_path_context(const ModelIndex *index, MilestonePath *path,
							   uint32 *context);

/*
 * The order and context index to predict from, with back-off (rule in
 * model_index.c); false when even order 0 has no transition, or for the
 * start when the model has no start context.
 */
extern bool model_backoff(const ModelIndex *index, const uint32 *context,
						  int64 min_support, int *order, int64 *ctx);

#endif							/* CX_JOURNEY_MODEL_H */
