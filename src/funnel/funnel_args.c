/*
 * funnel_args.c
 *		Checks of the funnel aggregates' window, mode and steps arguments,
 *		with a per-call-site cache so that a row whose arguments equal the
 *		previous row's costs a compare, and constants of the query nothing.
 */
#include "cx_journey.h"

#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "nodes/primnodes.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "funnel_args.h"

/* Raise the funnel's limit error unless n <= FUNNEL_MAX_STEPS (54000). */
static void
funnel_check_count(int n)
{
	if (n > FUNNEL_MAX_STEPS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("a funnel has at most %d steps, this one has %d",
						FUNNEL_MAX_STEPS, n)));
}

/*
 * Checks of the call itself, made on its first row: the conditions are
 * separate boolean arguments, 1 to FUNNEL_MAX_STEPS of them.
 */
static void
funnel_check_conditions(FunctionCallInfo fcinfo, FunnelArgs *args, int first_step)
{
	int			nsteps = PG_NARGS() - first_step;
	Oid			type;
	int			bad;

	cx_refuse_variadic_array(fcinfo, "a funnel",
							 "List the conditions, for example kind = 'visit', kind = 'purchase', or give the steps as event names: window_funnel(window, ts, kind, ARRAY['visit', 'purchase']).");
	if (nsteps < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a funnel needs at least one step")));
	funnel_check_count(nsteps);
	bad = cx_first_non_bool_arg(fcinfo, first_step, &type);
	if (bad >= 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("funnel step %d must be a boolean condition, not type %s",
						bad + 1, OidIsValid(type) ? format_type_be(type) : "unknown"),
				 errhint("Write each step as a condition, for example kind = 'purchase'.")));
	args->params.nsteps = nsteps;
	args->params.steps_hash = 0;
}

/* The row's window into params.window; checked once per distinct value. */
static void
funnel_row_window(FunctionCallInfo fcinfo, FunnelArgs *args)
{
	Interval   *window;

	if (PG_ARGISNULL(FUNNEL_WINDOW_ARG))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel window must not be NULL"),
				 errhint("Give a window such as interval '7 days'.")));
	window = PG_GETARG_INTERVAL_P(FUNNEL_WINDOW_ARG);
	args->params.window = cx_cached_interval_usec(&args->window, window,
										"funnel window", true);
}

/* The row's mode into params.flags; parsed once per distinct text. */
static void
funnel_row_mode(FunctionCallInfo fcinfo, FunnelArgs *args)
{
	const char *bytes;
	int			len;
	int			flags;
	size_t		bad_start;
	size_t		bad_len;

	cx_text_arg(fcinfo, FUNNEL_MODE_ARG, "funnel mode",
				"Pass '' for no mode, or a comma-separated list of: " FUNNEL_MODE_WORDS ".",
				&bytes, &len);
	/* compare bytes, not pointers: a freed datum's address can come back */
	if (args->mode_text != NULL && len == args->mode_len &&
		memcmp(bytes, args->mode_text, len) == 0)
		return;
	if (cx_funnel_mode_parse(bytes, len, &flags, &bad_start, &bad_len) != 0)
	{
		if (bad_len == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("funnel mode list \"%s\" has an empty word",
							cx_quote_literal(bytes, len)),
					 errdetail("Two commas meet, or the list starts or ends with a comma."),
					 errhint("Valid modes, comma-separated: %s.", FUNNEL_MODE_WORDS)));
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown funnel mode \"%s\"",
						cx_quote_literal(bytes + bad_start, bad_len)),
				 errdetail("The mode list was \"%s\".", cx_quote_literal(bytes, len)),
				 errhint("Valid modes, comma-separated: %s.", FUNNEL_MODE_WORDS)));
	}
	if (args->mode_text != NULL)
		pfree(args->mode_text);
	args->mode_text = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, len + 1);
	memcpy(args->mode_text, bytes, len);
	args->mode_len = len;
	args->params.flags = flags;
}

/*
 * The steps array of the event form: the aggregate's, and the path
 * functions', whose empty array names the argument.
 */
static const CxNamesRules funnel_steps_rules[2] = {
	{.noun = "funnel steps",.element = "funnel step",
		.empty_msg = "a funnel needs at least one step",
		.hint = "Give the event of each step, for example ARRAY['visit', 'cart', 'purchase'].",
		.null_hint = "Give the event of every step.",
		.null_sqlstate = ERRCODE_NULL_VALUE_NOT_ALLOWED,
	.check_count = funnel_check_count},
	{.noun = "funnel steps",.element = "funnel step",
		.empty_msg = NULL,
		.hint = "Give the event of each step, for example ARRAY['visit', 'cart', 'purchase'].",
		.null_hint = "Give the event of every step.",
		.null_sqlstate = ERRCODE_NULL_VALUE_NOT_ALLOWED,
	.check_count = funnel_check_count},
};

bool
funnel_steps_arg(FunctionCallInfo fcinfo, int argno, const CxNamesRules *rules,
				 StepsArg *steps)
{
	MemoryContext cxt = fcinfo->flinfo->fn_mcxt;
	ArrayType  *array = cx_names_arg(fcinfo, argno, rules);
	Datum	   *elems;
	int			n;
	int			i;

	if (steps->bytes != NULL && VARSIZE(array) == steps->size &&
		memcmp(array, steps->bytes, steps->size) == 0)
		return false;
	n = cx_names_elements(array, rules, &elems);
	Assert(n <= FUNNEL_MAX_STEPS);
	/* the previous array's names go with it */
	if (steps->bytes != NULL)
	{
		pfree(steps->bytes);
		for (i = 0; i < steps->count; i++)
			pfree(steps->name[i]);
	}
	steps->size = VARSIZE(array);
	steps->bytes = MemoryContextAlloc(cxt, steps->size);
	memcpy(steps->bytes, array, steps->size);
	for (i = 0; i < n; i++)
	{
		text	   *name = DatumGetTextPP(elems[i]);

		steps->len[i] = VARSIZE_ANY_EXHDR(name);
		steps->name[i] = MemoryContextAlloc(cxt, steps->len[i] + 1);
		memcpy(steps->name[i], VARDATA_ANY(name), steps->len[i]);
	}
	steps->count = n;
	return true;
}

/*
 * Event form: the row's steps array, parsed once per distinct array into
 * the labels each row's event is compared with, and params.nsteps and
 * params.steps_hash (a hash of the labels, so that states made in other
 * processes can be compared).  path_form words an empty array as the path
 * functions do.  Returns true when the array was parsed anew.
 */
static bool
funnel_row_steps(FunctionCallInfo fcinfo, FunnelArgs *args, int argno, bool path_form)
{
	StepsArg   *steps = &args->steps;
	StringInfoData labels;
	int			i;

	if (!funnel_steps_arg(fcinfo, argno, &funnel_steps_rules[path_form ? 1 : 0], steps))
		return false;
	initStringInfo(&labels);
	for (i = 0; i < steps->count; i++)
	{
		int32		len = steps->len[i];

		appendBinaryStringInfo(&labels, (const char *) &len, sizeof(len));
		appendBinaryStringInfo(&labels, steps->name[i], len);
	}
	args->params.nsteps = steps->count;
	/* odd, so never 0: the conditions form's value */
	args->params.steps_hash = hash_bytes_extended((const unsigned char *) labels.data,
												  labels.len, 0) | 1;
	pfree(labels.data);
	return true;
}

/*
 * Is argument argno (1 = the aggregate's first input) the same for every
 * row: a constant, or a parameter of the statement?  The transition
 * function's own expression holds only placeholders, so this asks the
 * aggregate call, whose arguments the planner has folded.
 */
bool
funnel_arg_constant(FunctionCallInfo fcinfo, int argno)
{
	Aggref	   *aggref = AggGetAggref(fcinfo);
	Node	   *arg;

	if (aggref == NULL || argno < 1 || argno > list_length(aggref->args))
		return false;
	arg = (Node *) ((TargetEntry *) list_nth(aggref->args, argno - 1))->expr;
	return IsA(arg, Const) ||
		(IsA(arg, Param) && ((Param *) arg)->paramkind == PARAM_EXTERN);
}

FunnelArgs *
funnel_row_args(FunctionCallInfo fcinfo, FunnelForm form)
{
	FunnelArgs *args = (FunnelArgs *) fcinfo->flinfo->fn_extra;

	/* constants of the query were checked on the first row */
	if (likely(args != NULL && args->constant))
		return args;
	if (args == NULL)
	{
		args = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(FunnelArgs));
		fcinfo->flinfo->fn_extra = args;
	}
	if (!args->site_checked && !form.by_event)
		funnel_check_conditions(fcinfo, args, FUNNEL_FIRST_STEP_ARG(form));
	funnel_row_window(fcinfo, args);
	if (form.with_mode)
		funnel_row_mode(fcinfo, args);
	if (form.by_event)
		funnel_row_steps(fcinfo, args, FUNNEL_STEPS_ARG(form), false);
	if (!args->site_checked)
	{
		args->constant = funnel_arg_constant(fcinfo, FUNNEL_WINDOW_ARG) &&
			(!form.with_mode || funnel_arg_constant(fcinfo, FUNNEL_MODE_ARG)) &&
			(!form.by_event || funnel_arg_constant(fcinfo, FUNNEL_STEPS_ARG(form)));
		args->site_checked = true;
	}
	return args;
}

bool
funnel_call_args(FunctionCallInfo fcinfo, FunnelArgs *args, bool with_mode,
				 int steps_arg)
{
	/*
	 * Compared on every call, never trusted as constant: PL/pgSQL keeps a
	 * simple expression's FmgrInfo for the whole transaction while its
	 * variables (which get_fn_expr_arg_stable calls stable) change.
	 */
	funnel_row_window(fcinfo, args);
	if (with_mode)
		funnel_row_mode(fcinfo, args);
	return funnel_row_steps(fcinfo, args, steps_arg, true);
}

void
retention_check_count(int n)
{
	if (n < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("retention needs at least one condition")));
	if (n > RETENTION_MAX_CONDITIONS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("retention takes at most %d conditions, not %d",
						RETENTION_MAX_CONDITIONS, n)));
}
