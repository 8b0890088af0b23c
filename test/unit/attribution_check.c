/*
 * attribution_check.c
 *		Checks src/core/attribution_core.c: model names and custom weights
 *		from a table of spellings; the weights of linear and position_based
 *		against the stated rules (first f/S, last l/S, middles m/(S (n-2)),
 *		cross-multiplied exactly); time_decay's weights; and attr_split on
 *		random cases against a direct reference (units * num computed in one
 *		product where it fits, the leftover units handed out by repeatedly
 *		taking the largest remainder, earliest first).
 *
 * Usage: attribution_check [cases] [seed].  Prints "N passed, N failed".
 */
#include "attribution_core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long passed;
static long failed;

static void
check(int ok, const char *what, long detail)
{
	if (ok)
		passed++;
	else if (failed++ < 20)
		printf("FAILED: %s (%ld)\n", what, detail);
}

static uint64_t
next_random(uint64_t *seed)
{
	*seed ^= *seed << 13;
	*seed ^= *seed >> 7;
	*seed ^= *seed << 17;
	return *seed;
}

typedef struct ParseCase
{
	const char *text;
	AttrParseResult result;
	AttrModelKind kind;
	int64_t		first,
				middle,
				last;
	int			bad_weight;
} ParseCase;

static const ParseCase parse_cases[] = {
	{"linear", ATTR_PARSE_OK, ATTR_LINEAR, 2, 1, 2, 0},
	{"  First_Touch ", ATTR_PARSE_OK, ATTR_FIRST_TOUCH, 2, 1, 2, 0},
	{"last_touch", ATTR_PARSE_OK, ATTR_LAST_TOUCH, 2, 1, 2, 0},
	{"last_non_direct", ATTR_PARSE_OK, ATTR_LAST_NON_DIRECT, 2, 1, 2, 0},
	{"time_decay", ATTR_PARSE_OK, ATTR_TIME_DECAY, 2, 1, 2, 0},
	{"participation", ATTR_PARSE_OK, ATTR_PARTICIPATION, 2, 1, 2, 0},
	{"position_based", ATTR_PARSE_OK, ATTR_POSITION_BASED, 2, 1, 2, 0},
	{"position_based(0.2,0.2,0.6)", ATTR_PARSE_OK, ATTR_POSITION_BASED, 1, 1, 3, 0},
	{"position_based ( 60 , 20 , 20 )", ATTR_PARSE_OK, ATTR_POSITION_BASED, 3, 1, 1, 0},
	{"position_based(.5,0,1.)", ATTR_PARSE_OK, ATTR_POSITION_BASED, 1, 0, 2, 0},
	{"position_based(0.000001,999999.999999,0)", ATTR_PARSE_OK, ATTR_POSITION_BASED, 1, 999999999999, 0, 0},
	{"position_based(-0,0,+1)", ATTR_PARSE_OK, ATTR_POSITION_BASED, 0, 0, 1, 0},
	{"position_based(00000001.1000000,1,1)", ATTR_PARSE_OK, ATTR_POSITION_BASED, 11, 10, 10, 0},
	{"", ATTR_PARSE_UNKNOWN, 0, 0, 0, 0, 0},
	{"lineaR2", ATTR_PARSE_UNKNOWN, 0, 0, 0, 0, 0},
	{"linear(1,1,1)", ATTR_PARSE_UNKNOWN, 0, 0, 0, 0, 0},
	{"position_based(1,1,1", ATTR_PARSE_UNKNOWN, 0, 0, 0, 0, 0},
	{"position_based(1,1,1) x", ATTR_PARSE_UNKNOWN, 0, 0, 0, 0, 0},
	{"position_based()", ATTR_PARSE_WEIGHT_COUNT, 0, 0, 0, 0, 0},
	{"position_based(1,2)", ATTR_PARSE_WEIGHT_COUNT, 0, 0, 0, 0, 0},
	{"position_based(1,2,3,4)", ATTR_PARSE_WEIGHT_COUNT, 0, 0, 0, 0, 0},
	{"position_based(1,x,3)", ATTR_PARSE_WEIGHT_SYNTAX, 0, 0, 0, 0, 2},
	{"position_based(1,,3)", ATTR_PARSE_WEIGHT_SYNTAX, 0, 0, 0, 0, 2},
	{"position_based(1,2,1e3)", ATTR_PARSE_WEIGHT_SYNTAX, 0, 0, 0, 0, 3},
	{"position_based(1,-2,3)", ATTR_PARSE_WEIGHT_NEGATIVE, 0, 0, 0, 0, 2},
	{"position_based(0,0,0.0)", ATTR_PARSE_WEIGHT_ZERO, 0, 0, 0, 0, 0},
	{"position_based(1000000,1,1)", ATTR_PARSE_WEIGHT_DIGITS, 0, 0, 0, 0, 1},
	{"position_based(1,0.0000001,1)", ATTR_PARSE_WEIGHT_DIGITS, 0, 0, 0, 0, 2},
};

static void
check_parse(void)
{
	size_t		i;

	for (i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++)
	{
		const ParseCase *c = &parse_cases[i];
		AttrModel	m;
		int			bad = -1;
		AttrParseResult r = attr_model_parse(c->text, strlen(c->text), &m, &bad);
		int			ok = r == c->result && bad == c->bad_weight;

		if (ok && r == ATTR_PARSE_OK)
			ok = m.kind == c->kind && m.first == c->first &&
				m.middle == c->middle && m.last == c->last;
		check(ok, c->text, (long) r);
	}
}

/* position_based and linear weights against the rules, exactly. */
static void
check_weights(uint64_t *seed, long cases)
{
	static attr_int128 num[200];
	long		c;

	for (c = 0; c < cases; c++)
	{
		AttrModel	m;
		uint32_t	n = 1 + next_random(seed) % 199;
		attr_int128 den;
		attr_int128 sum = 0;
		attr_int128 S;
		uint32_t	i;
		int			ok = 1;

		m.kind = (c % 3 == 0) ? ATTR_LINEAR : ATTR_POSITION_BASED;
		m.first = next_random(seed) % 1000000000000LL;
		m.middle = next_random(seed) % 1000000000000LL;
		m.last = next_random(seed) % 1000000000000LL;
		if (c % 7 == 0)
			m.first = 0;
		if (c % 11 == 0)
			m.middle = 0;
		if (m.first + m.middle + m.last == 0)
			m.last = 1;
		S = (attr_int128) m.first + m.middle + m.last;
		den = attr_position_weights(&m, n, num);
		for (i = 0; i < n; i++)
			sum += num[i];
		ok = sum == den && den > 0;
		if (m.kind == ATTR_LINEAR || n == 1)
			for (i = 0; i < n; i++)
				ok = ok && num[i] * n == den;
		else if (n == 2 && m.first + m.last > 0)
			ok = ok && num[0] * (m.first + m.last) == den * m.first &&
				num[1] * (m.first + m.last) == den * m.last;
		else if (n == 2)
			ok = ok && num[0] == num[1];
		else
		{
			ok = ok && num[0] * S == den * m.first && num[n - 1] * S == den * m.last;
			for (i = 1; i < n - 1; i++)
				ok = ok && num[i] * S * (n - 2) == den * m.middle;
		}
		check(ok, "position weights", c);
	}
}

static void
check_decay(void)
{
	int64_t		age[4] = {0, 7, 14, 7 * 60};
	attr_int128 num[4];
	attr_int128 den = attr_decay_weights(age, 4, 7, num);
	attr_int128 one = (attr_int128) 1 << 52;

	check(num[0] == one && num[1] == one / 2 && num[2] == one / 4 && num[3] == 0 &&
		  den == one + one / 2 + one / 4, "decay weights", 0);
}

/* The reference split: one product per touch, leftovers by repeated maximum. */
static void
reference_split(attr_int128 units, const attr_int128 *num, uint32_t n,
				attr_int128 den, attr_int128 *credit)
{
	static attr_int128 rem[200];
	static int	taken[200];
	attr_int128 left = units;
	uint32_t	i;

	for (i = 0; i < n; i++)
	{
		credit[i] = units * num[i] / den;
		rem[i] = units * num[i] - credit[i] * den;
		taken[i] = 0;
		left -= credit[i];
	}
	while (left-- > 0)
	{
		int			best = -1;

		for (i = 0; i < n; i++)
			if (!taken[i] && (best < 0 || rem[i] > rem[best]))
				best = (int) i;
		taken[best] = 1;
		credit[best]++;
	}
}

static void
check_split(uint64_t *seed, long cases)
{
	static attr_int128 num[200];
	static attr_int128 credit[200];
	static attr_int128 expect[200];
	static AttrRemainder work[200];
	long		c;

	for (c = 0; c < cases; c++)
	{
		uint32_t	n = 1 + next_random(seed) % (c % 2 ? 8 : 199);
		attr_int128 units;
		attr_int128 den = 0;
		attr_int128 sum = 0;
		uint32_t	i;
		int			ok = 1;
		int			shape = (int) (c % 4);

		/* units below 2^62 and weights below 2^60: one product fits */
		units = (attr_int128) (next_random(seed) >> (2 + next_random(seed) % 62));
		for (i = 0; i < n; i++)
		{
			if (shape == 0)
				num[i] = 1;		/* linear: many equal remainders */
			else if (shape == 1)
				num[i] = next_random(seed) % 5;	/* zeros and ties */
			else
				num[i] = (attr_int128) (next_random(seed) >> (4 + next_random(seed) % 60));
			den += num[i];
		}
		if (den == 0)
		{
			num[0] = 1;
			den = 1;
		}
		attr_split(units, num, n, den, credit, work);
		reference_split(units, num, n, den, expect);
		for (i = 0; i < n; i++)
		{
			ok = ok && credit[i] == expect[i] && credit[i] >= 0;
			sum += credit[i];
		}
		check(ok && sum == units, "split", c);
	}
}

/* The largest units and denominators the function takes: the sum holds. */
static void
check_split_extremes(void)
{
	static attr_int128 num[1000];
	static attr_int128 credit[1000];
	static AttrRemainder work[1000];
	AttrModel	m = {ATTR_POSITION_BASED, 999999999999LL, 999999999998LL, 999999999997LL};
	attr_int128 units = ((attr_int128) 1 << 126) + 12345;
	attr_int128 sum = 0;
	attr_int128 den;
	uint32_t	i;

	den = attr_position_weights(&m, 1000, num);
	attr_split(units, num, 1000, den, credit, work);
	for (i = 0; i < 1000; i++)
		sum += credit[i];
	check(sum == units, "split at the extremes", 0);
}

int
main(int argc, char **argv)
{
	long		cases = argc > 1 ? atol(argv[1]) : 100000;
	uint64_t	seed = argc > 2 ? strtoull(argv[2], NULL, 10) : 42;

	seed = seed * 2654435761u + 1;
	check_parse();
	check_weights(&seed, cases / 10);
	check_decay();
	check_split(&seed, cases);
	check_split_extremes();
	printf("%ld passed, %ld failed\n", passed, failed);
	return failed != 0;
}
