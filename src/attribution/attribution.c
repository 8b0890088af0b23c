/*
 * attribution.c
 *		attribution(touches, converted_at, value, model, lookback, half_life,
 *		direct): the credit each touch of a path earns for one conversion.
 *
 * The eligible touches are the path's steps at or before the conversion and
 * at most lookback before it, ordered by time and, at one instant, by label
 * (bytes), whatever order a hand-typed path lists a tie in.  The value is
 * split in integer units at its scale (at least 2) by the exact weights of
 * src/core/attribution_core.c and the largest-remainder method, so the
 * credits of an additive model sum to the value exactly.
 */
#include "cx_journey.h"

#include "common/int.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

#include "attribution_core.h"
#include "milestone_path.h"

/* Most significant digits a value may have at its scale: 10^38 < 2^127. */
#define ATTR_MAX_UNIT_DIGITS 38

/* The arguments of one call, checked. */
typedef struct AttrArgs
{
	AttrModel	model;
	int64		lookback;		/* microseconds */
	int64		half_life;		/* microseconds */
	text	   *direct;			/* NULL when not given */
} AttrArgs;

/* 22023 naming the model text, for each way it can be wrong. */
static void
attr_model_error(AttrParseResult r, const char *text, int len, int bad_weight)
{
	char	   *quoted = cx_quote_literal(text, len);

	switch (r)
	{
		case ATTR_PARSE_WEIGHT_COUNT:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("attribution model \"%s\" needs three weights", quoted),
					 errhint("Write position_based(first,middle,last), for example 'position_based(0.2,0.2,0.6)'.")));
			break;
		case ATTR_PARSE_WEIGHT_SYNTAX:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("weight %d of attribution model \"%s\" is not a decimal number", bad_weight, quoted),
					 errhint("Write each weight as digits with an optional decimal point, for example 0.2 or 60.")));
			break;
		case ATTR_PARSE_WEIGHT_NEGATIVE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("weight %d of attribution model \"%s\" is negative", bad_weight, quoted),
					 errhint("Weights must be zero or more; they are normalised to sum to 1.")));
			break;
		case ATTR_PARSE_WEIGHT_DIGITS:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("weight %d of attribution model \"%s\" has too many digits", bad_weight, quoted),
					 errdetail("A weight has at most %d digits before and %d after the decimal point.",
							   ATTR_WEIGHT_DIGITS, ATTR_WEIGHT_DIGITS),
					 errhint("Weights are normalised to sum to 1, so 20/20/60 and 0.2/0.2/0.6 are the same model.")));
			break;
		case ATTR_PARSE_WEIGHT_ZERO:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("the weights of attribution model \"%s\" are all zero", quoted),
					 errhint("Give at least one weight greater than zero.")));
			break;
		default:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown attribution model: \"%s\"", quoted),
					 errhint("Valid models: %s.", ATTR_MODEL_NAMES)));
	}
}

/* Read and check model, lookback, half_life and direct (arguments 3 to 6). */
static void
attr_read_args(FunctionCallInfo fcinfo, AttrArgs *args)
{
	text	   *model;
	AttrParseResult r;
	int			bad_weight;

	if (PG_ARGISNULL(3))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("attribution model must not be NULL"),
				 errhint("Valid models: %s.", ATTR_MODEL_NAMES)));
	model = PG_GETARG_TEXT_PP(3);
	r = attr_model_parse(VARDATA_ANY(model), VARSIZE_ANY_EXHDR(model),
						 &args->model, &bad_weight);
	if (r != ATTR_PARSE_OK)
		attr_model_error(r, VARDATA_ANY(model), VARSIZE_ANY_EXHDR(model), bad_weight);
	if (PG_ARGISNULL(4))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("attribution lookback must not be NULL"),
				 errhint("Give the lookback in days or smaller units, for example interval '30 days'.")));
	args->lookback = cx_interval_usec(PG_GETARG_INTERVAL_P(4), "attribution lookback", true);
	if (PG_ARGISNULL(5))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("attribution half-life must not be NULL"),
				 errhint("Give the half-life of time_decay, for example interval '7 days'.")));
	args->half_life = cx_interval_usec(PG_GETARG_INTERVAL_P(5), "attribution half-life", false);
	args->direct = PG_ARGISNULL(6) ? NULL : PG_GETARG_TEXT_PP(6);
	if (args->model.kind == ATTR_LAST_NON_DIRECT && args->direct == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("attribution model \"last_non_direct\" needs the label of direct traffic"),
				 errhint("Pass it as direct, for example attribution(p, at, revenue, 'last_non_direct', direct => 'direct').")));
}

/*
 * The value in units of its scale (its decimal digits, at least 2): 100.5
 * is 10050 at scale 2.  22023 for NaN, an infinity or a negative value;
 * 54000 past ATTR_MAX_UNIT_DIGITS digits.
 */
static attr_int128
attr_value_units(Numeric value, int *scale)
{
	char	   *s = DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(value)));
	attr_int128 units = 0;
	int			digits = 0;
	int			frac = -1;		/* digits after the point, -1 before it */
	const char *c;

	if (numeric_is_nan(value) || numeric_is_inf(value))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("attribution value \"%s\" is not a finite number", s),
				 errhint("Give the conversion's value (its revenue, or 1 to count it).")));
	if (s[0] == '-')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("attribution value \"%s\" is negative", cx_quote_literal(s, strlen(s))),
				 errhint("Give zero or more; credit a refund as its own conversion of zero value, or subtract it afterwards.")));
	for (c = s; *c; c++)
	{
		if (*c == '.')
		{
			frac = 0;
			continue;
		}
		if (frac >= 0)
			frac++;
		if (units != 0 || *c != '0')
			digits++;
		/* checked before it can overflow: 38 digits stay below 2^127 */
		if (digits > ATTR_MAX_UNIT_DIGITS)
			break;
		units = units * 10 + (*c - '0');
	}
	if (frac < 0)
		frac = 0;
	/* at least two decimal places (cents) */
	for (; digits <= ATTR_MAX_UNIT_DIGITS && frac < 2; frac++)
	{
		if (units != 0)
			digits++;
		if (digits <= ATTR_MAX_UNIT_DIGITS)
			units *= 10;
	}
	if (digits > ATTR_MAX_UNIT_DIGITS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("attribution value \"%s\" has more than %d digits at its scale",
						cx_quote_literal(s, strlen(s)), ATTR_MAX_UNIT_DIGITS),
				 errdetail("Credits are computed exactly in units of the value's last decimal place."),
				 errhint("Round the value first, for example round(revenue, 2).")));
	*scale = frac;
	pfree(s);
	return units;
}

/* units at scale as a numeric: 10050 at scale 2 is 100.50. */
static Datum
attr_units_numeric(attr_int128 units, int scale)
{
	char	   *buf;
	char	   *p;
	int			i;
	Datum		result;

	if (units <= PG_INT64_MAX)
		return NumericGetDatum(int64_div_fast_to_numeric((int64) units, scale));

	/*
	 * Beyond 64 bits: through the text form, which holds up to 39 digits,
	 * the point and the zeros of a scale that can reach NUMERIC's 16383.
	 */
	buf = palloc(Max(scale, ATTR_MAX_UNIT_DIGITS + 1) + 4);
	p = buf + Max(scale, ATTR_MAX_UNIT_DIGITS + 1) + 4;
	*--p = '\0';
	for (i = 0; units != 0 || i <= scale; i++)
	{
		if (i == scale)
			*--p = '.';
		*--p = (char) ('0' + (int) (units % 10));
		units /= 10;
	}
	Assert(p >= buf);
	result = DirectFunctionCall3(numeric_in, CStringGetDatum(p),
								 ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
	pfree(buf);
	return result;
}

/* One result row: a touch (or NULL for the unattributed row) and its credit. */
static void
attr_put_row(ReturnSetInfo *rsinfo, const PathView *view, int64 step,
			 attr_int128 units, int scale)
{
	Datum		values[3];
	bool		nulls[3] = {false, false, false};

	if (step >= 0)
	{
		uint32		id = path_step_id(view, (uint32) step);

		values[0] = PointerGetDatum(cstring_to_text_with_len(view->labels[id],
															 view->label_lengths[id]));
		values[1] = TimestampTzGetDatum(view->times[step]);
	}
	else
	{
		nulls[0] = nulls[1] = true;
		values[0] = values[1] = (Datum) 0;
	}
	values[2] = attr_units_numeric(units, scale);
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	if (step >= 0)
		pfree(DatumGetPointer(values[0]));
	pfree(DatumGetPointer(values[2]));
}

/* Order two steps of one instant by label (bytes); equal labels keep order. */
static int
attr_tie_cmp(const void *a, const void *b, void *arg)
{
	const PathView *view = arg;
	uint32		x = *(const uint32 *) a;
	uint32		y = *(const uint32 *) b;
	uint32		ix = path_step_id(view, x);
	uint32		iy = path_step_id(view, y);
	int			c = path_label_cmp(view->labels[ix], view->label_lengths[ix],
								   view->labels[iy], view->label_lengths[iy]);

	if (c != 0)
		return c;
	return (x > y) - (x < y);
}

/*
 * The eligible steps of the path, in touch order, into a palloc'd array;
 * returns their number.
 */
static uint32
attr_eligible(const PathView *view, TimestampTz converted_at, int64 lookback,
			  uint32 **steps_out)
{
	uint32		first = view->nsteps;
	uint32		end = 0;
	uint32		n;
	uint32	   *steps;
	uint32		i;

	/*
	 * The steps are in time order (every constructor checks or sorts), so
	 * the eligible ones are one run.  converted_at - at is computed with an
	 * overflow check: it overflows only when it is larger than any
	 * lookback.
	 */
	for (i = 0; i < view->nsteps; i++)
	{
		TimestampTz at = view->times[i];
		int64		age;

		if (at > converted_at)
			break;
		if (first == view->nsteps &&
			!pg_sub_s64_overflow(converted_at, at, &age) && age <= lookback)
			first = i;
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	end = i;
	if (first >= end)
	{
		*steps_out = NULL;
		return 0;
	}
	n = end - first;
	steps = palloc(sizeof(uint32) * n);
	for (i = 0; i < n; i++)
		steps[i] = first + i;
	/* steps of one instant: by label, whatever order the path lists them in */
	for (i = 0; i < n;)
	{
		uint32		j = i + 1;

		while (j < n && view->times[steps[j]] == view->times[steps[i]])
			j++;
		if (j - i > 1)
			qsort_arg(steps + i, j - i, sizeof(uint32), attr_tie_cmp, (void *) view);
		i = j;
	}
	*steps_out = steps;
	return n;
}

/* Every eligible touch with its share of the units (additive models). */
static void
attr_put_split(ReturnSetInfo *rsinfo, const PathView *view, const AttrArgs *args,
			   const uint32 *steps, uint32 n, attr_int128 units, int scale)
{
	attr_int128 *num = palloc(sizeof(attr_int128) * n);
	attr_int128 *credit = palloc(sizeof(attr_int128) * n);
	AttrRemainder *work = palloc(sizeof(AttrRemainder) * n);
	attr_int128 den;
	uint32		i;

	if (args->model.kind == ATTR_TIME_DECAY)
	{
		int64	   *age = palloc(sizeof(int64) * n);
		TimestampTz latest = view->times[steps[n - 1]];

		/* relative to the latest touch, so that the weights never all underflow */
		for (i = 0; i < n; i++)
			age[i] = latest - view->times[steps[i]];
		den = attr_decay_weights(age, n, args->half_life, num);
		pfree(age);
	}
	else
		den = attr_position_weights(&args->model, n, num);
	attr_split(units, num, n, den, credit, work);
	for (i = 0; i < n; i++)
	{
		attr_put_row(rsinfo, view, steps[i], credit[i], scale);
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	pfree(num);
	pfree(credit);
	pfree(work);
}

/*
 * attribution(touches, converted_at, value, model, lookback, half_life,
 * direct): one row per credited touch (touch, touch_at, credit).
 */
PG_FUNCTION_INFO_V1(attribution);
Datum
attribution(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	AttrArgs	args;
	TimestampTz converted_at;
	attr_int128 units;
	int			scale;
	MilestonePath *path;
	PathView	view;
	uint32	   *steps;
	uint32		n;
	uint32		i;

#if PG_VERSION_NUM >= 160000
	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
#else
	SetSingleFuncCall(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
#endif
	attr_read_args(fcinfo, &args);
	/* no conversion (an outer join's NULL side): nothing to credit */
	if (PG_ARGISNULL(1))
		return (Datum) 0;
	converted_at = PG_GETARG_TIMESTAMPTZ(1);
	if (TIMESTAMP_NOT_FINITE(converted_at))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("attribution conversion time must be finite"),
				 errhint("Leave conversions without a time out, or pass NULL for no conversion.")));
	if (PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("attribution value must not be NULL"),
				 errhint("Give 1 to count conversions, or coalesce(revenue, 0).")));
	units = attr_value_units(PG_GETARG_NUMERIC(2), &scale);

	n = 0;
	steps = NULL;
	if (!PG_ARGISNULL(0))
	{
		path = PG_GETARG_PATH(0);
		path_view(path, &view, true);
		path_require_times(&view, "attribution");
		n = attr_eligible(&view, converted_at, args.lookback, &steps);
	}
	/* no eligible touch: reported as unattributed, never dropped */
	if (n == 0)
	{
		attr_put_row(rsinfo, NULL, -1, units, scale);
		return (Datum) 0;
	}

	switch (args.model.kind)
	{
		case ATTR_FIRST_TOUCH:
			attr_put_row(rsinfo, &view, steps[0], units, scale);
			break;
		case ATTR_LAST_TOUCH:
			attr_put_row(rsinfo, &view, steps[n - 1], units, scale);
			break;
		case ATTR_LAST_NON_DIRECT:
			{
				const char *direct = VARDATA_ANY(args.direct);
				int			direct_len = VARSIZE_ANY_EXHDR(args.direct);
				int64		direct_id = path_label_id(&view, direct, direct_len);
				uint32		pick = n - 1;

				/* the latest touch that is not direct; if all are, the latest */
				for (i = n; i-- > 0;)
					if ((int64) path_step_id(&view, steps[i]) != direct_id)
					{
						pick = i;
						break;
					}
				attr_put_row(rsinfo, &view, steps[pick], units, scale);
				break;
			}
		case ATTR_PARTICIPATION:
			{
				/* each distinct label once, at its first eligible touch */
				bool	   *seen = palloc0(sizeof(bool) * view.nlabels);

				for (i = 0; i < n; i++)
				{
					uint32		id = path_step_id(&view, steps[i]);

					if (!seen[id])
					{
						seen[id] = true;
						attr_put_row(rsinfo, &view, steps[i], units, scale);
					}
				}
				pfree(seen);
				break;
			}
		default:
			attr_put_split(rsinfo, &view, &args, steps, n, units, scale);
	}
	pfree(steps);
	return (Datum) 0;
}
