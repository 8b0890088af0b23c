/*
 * funnel_args.h
 *		The window, mode and steps arguments of the funnel aggregates,
 *		checked for every row and cached per call site (fn_extra).
 */
#ifndef CX_FUNNEL_ARGS_H
#define CX_FUNNEL_ARGS_H

#include "postgres.h"
#include "fmgr.h"
#include "datatype/timestamp.h"

#include "funnel_state.h"

/*
 * The forms of the transition functions: with_mode, a mode argument
 * follows the window; by_event, the steps are an event text and an array
 * of step events, else boolean conditions.
 */
typedef struct FunnelForm
{
	bool		with_mode;
	bool		by_event;
} FunnelForm;

/* Argument numbers of a form: 0 is the state. */
#define FUNNEL_WINDOW_ARG			1
#define FUNNEL_MODE_ARG				2
#define FUNNEL_TIME_ARG(form)		((form).with_mode ? 3 : 2)
#define FUNNEL_FIRST_STEP_ARG(form) (FUNNEL_TIME_ARG(form) + 1)
#define FUNNEL_STEPS_ARG(form)		(FUNNEL_TIME_ARG(form) + 2)

/*
 * A text[] argument of step names kept per call site: the array's bytes as
 * last checked, and a copy of each name.
 */
typedef struct StepsArg
{
	char	   *bytes;			/* NULL before the first array */
	int			size;
	int			count;
	int			len[FUNNEL_MAX_STEPS];
	char	   *name[FUNNEL_MAX_STEPS];
} StepsArg;

/*
 * Argument argno checked by rules (whose check_count keeps it within
 * FUNNEL_MAX_STEPS) into *steps, parsed only when its bytes differ from
 * the last array's; returns true when it was parsed anew.
 */
extern bool funnel_steps_arg(FunctionCallInfo fcinfo, int argno,
							 const struct CxNamesRules *rules, StepsArg *steps);

/* The call site's cache: the arguments of the last row, checked. */
typedef struct FunnelArgs
{
	FunnelParams params;		/* of the last row checked */
	/* window, mode and steps are constants of the query: checked once */
	bool		constant;
	bool		site_checked;	/* the checks of the call itself are done */
	CxCachedInterval window;	/* the window argument last checked */
	char	   *mode_text;		/* the mode argument last parsed */
	int			mode_len;
	StepsArg	steps;			/* event form: the steps array last parsed */
} FunnelArgs;

/*
 * The call site's arguments with this row's window, mode and steps checked
 * into params (22023 / 54000 for bad ones).  Costs one pointer test when
 * they are constants of the query, a few byte compares otherwise.
 */
extern FunnelArgs *funnel_row_args(FunctionCallInfo fcinfo, FunnelForm form);

/*
 * The same checks for a funnel function over a stored path (funnel_path.c),
 * whose arguments are the aggregate's with the path in place of the state:
 * FUNNEL_WINDOW_ARG the window, FUNNEL_MODE_ARG the mode when with_mode,
 * steps_arg the steps array.  args is the caller's, zeroed before the first
 * call and kept in fn_extra.  Each call compares its arguments with the
 * last call's bytes (a few compares).  Returns true when the steps were parsed anew
 * (args->steps changed).
 */
extern bool funnel_call_args(FunctionCallInfo fcinfo, FunnelArgs *args,
							 bool with_mode, int steps_arg);

/*
 * Is an aggregate's argument argno (1 = its first input) the same for every
 * row: a constant or a parameter of the statement (asked of the Aggref; the
 * transition function's own expression holds only placeholders)?
 */
extern bool funnel_arg_constant(FunctionCallInfo fcinfo, int argno);

/* Most conditions of retention: one bit of its int8 state each. */
#define RETENTION_MAX_CONDITIONS 63

/* Raise retention's error for n conditions unless 1 <= n <= 63. */
extern void retention_check_count(int n);

#endif							/* CX_FUNNEL_ARGS_H */
