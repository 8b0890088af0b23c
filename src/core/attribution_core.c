/*
 * attribution_core.c
 *		Backend-independent parts of attribution(): model names, exact
 *		integer weights and the largest-remainder split (rules in
 *		attribution_core.h).
 */
#include "attribution_core.h"
#include "text_util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct AttrModelName
{
	const char *name;
	AttrModelKind kind;
} AttrModelName;

static const AttrModelName model_names[] = {
	{"first_touch", ATTR_FIRST_TOUCH},
	{"last_touch", ATTR_LAST_TOUCH},
	{"last_non_direct", ATTR_LAST_NON_DIRECT},
	{"linear", ATTR_LINEAR},
	{"position_based", ATTR_POSITION_BASED},
	{"time_decay", ATTR_TIME_DECAY},
	{"participation", ATTR_PARTICIPATION},
};

/* Trim blanks from both ends of [*start, *end). */
static void
trim(const char *text, size_t *start, size_t *end)
{
	while (*start < *end && cx_is_space(text[*start]))
		(*start)++;
	while (*end > *start && cx_is_space(text[*end - 1]))
		(*end)--;
}

/*
 * One weight: [+|-] digits [. digits], at least one digit, as an integer
 * in millionths (ATTR_WEIGHT_DIGITS = 6 on each side of the point).
 */
static AttrParseResult
parse_weight(const char *text, size_t len, int64_t *weight)
{
	size_t		pos = 0;
	int			negative = 0;
	int64_t		whole = 0;
	int64_t		frac = 0;
	int			whole_digits = 0;
	int			frac_digits = 0;
	int			digits = 0;
	int			i;

	if (pos < len && (text[pos] == '+' || text[pos] == '-'))
		negative = text[pos++] == '-';
	for (; pos < len && text[pos] >= '0' && text[pos] <= '9'; pos++)
	{
		digits++;
		if (whole_digits == 0 && text[pos] == '0')
			continue;			/* leading zeros */
		if (++whole_digits > ATTR_WEIGHT_DIGITS)
			return ATTR_PARSE_WEIGHT_DIGITS;
		whole = whole * 10 + (text[pos] - '0');
	}
	if (pos < len && text[pos] == '.')
	{
		size_t		first = ++pos;
		size_t		last;

		while (pos < len && text[pos] >= '0' && text[pos] <= '9')
			pos++;
		digits += (int) (pos - first);
		/* trailing zeros add no precision */
		last = pos;
		while (last > first && text[last - 1] == '0')
			last--;
		if (last - first > ATTR_WEIGHT_DIGITS)
			return ATTR_PARSE_WEIGHT_DIGITS;
		for (; first < last; first++, frac_digits++)
			frac = frac * 10 + (text[first] - '0');
	}
	if (digits == 0 || pos != len)
		return ATTR_PARSE_WEIGHT_SYNTAX;
	for (i = frac_digits; i < ATTR_WEIGHT_DIGITS; i++)
		frac *= 10;
	*weight = whole * 1000000 + frac;
	if (negative && *weight != 0)
		return ATTR_PARSE_WEIGHT_NEGATIVE;
	return ATTR_PARSE_OK;
}

static int64_t
gcd64(int64_t a, int64_t b)
{
	while (b != 0)
	{
		int64_t		t = a % b;

		a = b;
		b = t;
	}
	return a;
}

AttrParseResult
attr_model_parse(const char *text, size_t len, AttrModel *model, int *bad_weight)
{
	size_t		start = 0;
	size_t		end = len;
	size_t		name_end;
	size_t		w;
	int64_t		weights[3];
	int			count = 0;
	size_t		pos;
	int64_t		g;

	*bad_weight = 0;
	model->first = 2;
	model->middle = 1;
	model->last = 2;
	trim(text, &start, &end);
	name_end = start;
	while (name_end < end && text[name_end] != '(')
		name_end++;
	{
		size_t		s = start;
		size_t		e = name_end;

		trim(text, &s, &e);
		for (w = 0; w < sizeof(model_names) / sizeof(model_names[0]); w++)
			if (cx_word_equals(text + s, e - s, model_names[w].name))
				break;
	}
	if (w == sizeof(model_names) / sizeof(model_names[0]))
		return ATTR_PARSE_UNKNOWN;
	model->kind = model_names[w].kind;
	if (name_end == end)
		return ATTR_PARSE_OK;

	/* custom weights: position_based(first, middle, last) */
	if (model->kind != ATTR_POSITION_BASED || text[end - 1] != ')')
		return ATTR_PARSE_UNKNOWN;
	pos = name_end + 1;
	end--;
	for (;;)
	{
		size_t		s = pos;
		size_t		e;
		AttrParseResult r;
		int64_t		value = 0;

		while (pos < end && text[pos] != ',')
			pos++;
		e = pos;
		trim(text, &s, &e);
		count++;
		if (count <= 3)
		{
			r = parse_weight(text + s, e - s, &value);
			if (r != ATTR_PARSE_OK)
			{
				/* a wrong count is the first thing to say, when it is wrong */
				size_t		p;
				int			commas = 0;

				for (p = name_end + 1; p < end; p++)
					commas += text[p] == ',';
				if (commas != 2)
					return ATTR_PARSE_WEIGHT_COUNT;
				*bad_weight = count;
				return r;
			}
			weights[count - 1] = value;
		}
		if (pos == end)
			break;
		pos++;
	}
	if (count != 3)
		return ATTR_PARSE_WEIGHT_COUNT;
	if (weights[0] == 0 && weights[1] == 0 && weights[2] == 0)
		return ATTR_PARSE_WEIGHT_ZERO;
	/* smallest equal integers: 0.2, 0.2, 0.6 is 1, 1, 3 */
	g = gcd64(gcd64(weights[0], weights[1]), weights[2]);
	model->first = weights[0] / g;
	model->middle = weights[1] / g;
	model->last = weights[2] / g;
	return ATTR_PARSE_OK;
}

attr_int128
attr_position_weights(const AttrModel *model, uint32_t n, attr_int128 *num)
{
	uint32_t	i;

	if (model->kind == ATTR_LINEAR || n == 1)
	{
		for (i = 0; i < n; i++)
			num[i] = 1;
		return n;
	}
	if (n == 2)
	{
		/* first / (first + last) and last / (first + last), as Adobe does */
		if (model->first + model->last == 0)
		{
			/* only a middle weight: two touches have no middle, so halves */
			num[0] = num[1] = 1;
			return 2;
		}
		num[0] = model->first;
		num[1] = model->last;
		return (attr_int128) model->first + model->last;
	}
	/* first f/S, last l/S, each middle m/(S (n-2)): over S (n-2) */
	num[0] = (attr_int128) model->first * (n - 2);
	for (i = 1; i < n - 1; i++)
		num[i] = model->middle;
	num[n - 1] = (attr_int128) model->last * (n - 2);
	return ((attr_int128) model->first + model->middle + model->last) * (n - 2);
}

attr_int128
attr_decay_weights(const int64_t *age, uint32_t n, int64_t half_life,
				   attr_int128 *num)
{
	attr_int128 den = 0;
	uint32_t	i;

	for (i = 0; i < n; i++)
	{
		double		halvings = (double) age[i] / (double) half_life;

		/* below 2^-53 the weight rounds to zero in 52 bits anyway */
		if (halvings >= 60.0)
			num[i] = 0;
		else
			num[i] = (attr_int128) llround(ldexp(exp2(-halvings), 52));
		den += num[i];
	}
	return den;
}

/* Larger remainder first; equal ones by earlier touch. */
static int
remainder_cmp(const void *a, const void *b)
{
	const AttrRemainder *x = a;
	const AttrRemainder *y = b;

	if (x->rem != y->rem)
		return x->rem > y->rem ? -1 : 1;
	return (x->index > y->index) - (x->index < y->index);
}

void
attr_split(attr_int128 units, const attr_int128 *num, uint32_t n,
		   attr_int128 den, attr_int128 *credit, AttrRemainder *work)
{
	attr_int128 q = units / den;
	attr_int128 r = units % den;
	attr_int128 left = units;
	uint32_t	i;

	/* units * num = (q den + r) num: floor = q num + (r num) / den */
	for (i = 0; i < n; i++)
	{
		attr_int128 rn = r * num[i];

		credit[i] = q * num[i] + rn / den;
		work[i].rem = rn % den;
		work[i].index = i;
		left -= credit[i];
	}
	/* the remainders sum to left * den, each below den: left < n */
	if (left > 0)
	{
		qsort(work, n, sizeof(AttrRemainder), remainder_cmp);
		for (i = 0; i < (uint32_t) left; i++)
			credit[work[i].index]++;
	}
}
