/*
 * funnel_opts.h
 *		funnel(): the options of one call checked against its steps (a
 *		"spec"), the evaluation, and the funnel_result it returns.  Shared by
 *		the aggregate (funnel_opts.c) and the path form (funnel_path.c).
 */
#ifndef CX_FUNNEL_OPTS_H
#define CX_FUNNEL_OPTS_H

#include "postgres.h"
#include "fmgr.h"

#include "funnel_core.h"
#include "funnel_options.h"

/*
 * What a group's rows must share besides the window and steps, in a form
 * that survives serialization.  The row masks have one bit per step, then
 * one bit per distinct excluded event name (nevents of them), so a state's
 * FunnelParams.nsteps is nsteps + nevents.
 */
typedef struct FoptSpec
{
	uint64		hash;			/* of the fields below, to compare quickly */
	int32		nsteps;
	int32		nevents;
	int32		flags;
	bool		any_order;
	int32		nexcl;
	FunnelExclusion excl[FUNNEL_MAX_EXCLUSIONS];	/* masks use bits past nsteps */
	int32		breakdown;		/* FunnelBreakdown */
	int32		breakdown_step;
	/* the names rows are matched against: steps, then excluded events */
	int32		nnames;
	int32		name_len[FUNNEL_MAX_STEPS];
	char	   *name[FUNNEL_MAX_STEPS];
} FoptSpec;

/*
 * Parse options (len bytes) for steps (count names), checked against them
 * (22023 for bad options, 54000 past the bit limit); with_prop tells the
 * aggregate form with a property.  The spec is allocated in cxt.
 */
extern FoptSpec *fopt_spec_make(const char *options, int len, int nsteps,
								char *const *step_names, const int *step_lens,
								bool with_prop, const char *form, MemoryContext cxt);

/* Free a spec fopt_spec_make made, with its copies of the names. */
extern void fopt_spec_free(FoptSpec *spec);

/* The options text of argument argno (22023 when NULL): its bytes and length. */
extern void fopt_options_arg(FunctionCallInfo fcinfo, int argno, const char **bytes, int *len);

/* Evaluate funnel() over events sorted by time. */
extern void fopt_evaluate(const FoptSpec *spec, const FunnelEvent *events, size_t n,
						  int64 window, FunnelOutcome *out, bool *excluded);

/*
 * The funnel_result composite for an outcome; breakdown NULL when
 * !has_breakdown.  desc_cache is a per-call-site slot for the tuple
 * descriptor (in fn_mcxt).
 */
extern Datum fopt_result(FunctionCallInfo fcinfo, TupleDesc *desc_cache,
						 const FunnelOutcome *out, bool excluded,
						 bool has_breakdown, const char *breakdown, int breakdown_len);

#endif							/* CX_FUNNEL_OPTS_H */
