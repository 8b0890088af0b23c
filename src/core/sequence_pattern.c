/*
 * sequence_pattern.c
 *		Parse a sequence pattern and compile it to a Thompson NFA with
 *		precomputed closures (see sequence_pattern.h).
 *
 * Grammar (white space allowed between tokens):
 *
 *		pattern := [ '(?w' ('<=' | '<') duration ')' ] alt
 *		alt     := seq { '|' seq }
 *		seq     := { item }
 *		item    := '.*' | '(?t' op duration ')' | atom [ quantifier ]
 *		atom    := '(?' N ')' | '.' | '(' alt ')'
 *		quantifier := '*' | '+' | '?' | '{' n '}' | '{' n ',' '}' | '{' n ',' m '}'
 *		op      := '<' | '<=' | '>' | '>=' | '==' | '!='
 *		duration := seconds (digits, optional fraction) | quoted interval
 */
#include "sequence_pattern.h"

#include <stdio.h>
#include <string.h>

#include "text_util.h"

/* AST node kinds */
enum
{
	N_COND, N_ANY, N_SKIP, N_GATE, N_CAT, N_ALT, N_REP
};

typedef struct Node
{
	int			kind;
	int			cond;			/* N_COND: 1..64 */
	int			gate;			/* N_GATE: gate number */
	int			min;			/* N_REP */
	int			max;			/* N_REP: -1 = unbounded */
	int			first;			/* first child (N_CAT, N_ALT, N_REP), or -1 */
	int			next;			/* next sibling, or -1 */
} Node;

/* NFA state kinds */
enum
{
	S_CONSUME, S_SPLIT, S_EPS, S_GATE, S_SKIP, S_ACCEPT
};

typedef struct State
{
	int			kind;
	int			cond;			/* S_CONSUME: 1..64 or 0 for any */
	int			gate;			/* S_GATE */
	int			out;
	int			out2;			/* S_SPLIT: the lower-priority branch */
	int			consume_no;		/* S_CONSUME: its number */
} State;

typedef struct Gate
{
	int			op;				/* one of the OP_* */
	int64_t		value;
} Gate;

enum
{
	OP_LT, OP_LE, OP_GT, OP_GE, OP_EQ, OP_NE
};

#define MAX_DEPTH 100
#define MAX_VISITS (1 << 20)

typedef struct Parser
{
	const char *text;
	size_t		len;
	size_t		pos;
	int			depth;
	SeqErrorInfo *err;
	Node	   *nodes;
	int			nnodes;
	int			cap_nodes;
	Gate		gates[SEQ_MAX_GATES];
	int			ngates;
	int			max_cond;
	/* compilation */
	State	   *states;
	int			nstates;
	int			nconsume;
} Parser;

static void
set_error(Parser *p, SeqError code, size_t pos, const char *fmt, const char *arg)
{
	if (p->err->code != SEQ_OK)
		return;
	p->err->hint[0] = '\0';
	p->err->code = code;
	p->err->position = (int) pos + 1;
	snprintf(p->err->message, sizeof(p->err->message), fmt, arg ? arg : "");
}

/* How to fix the error just set (shown as its HINT). */
static void
set_hint(Parser *p, const char *hint)
{
	/* the first error is the one reported: keep its hint */
	if (p->err->hint[0] != '\0')
		return;
	snprintf(p->err->hint, sizeof(p->err->hint), "%s", hint);
}

static void
skip_space(Parser *p)
{
	while (p->pos < p->len && (p->text[p->pos] == ' ' || p->text[p->pos] == '\t' ||
							   p->text[p->pos] == '\n' || p->text[p->pos] == '\r'))
		p->pos++;
}

static bool
looking_at(Parser *p, const char *s)
{
	size_t		n = strlen(s);

	return p->len - p->pos >= n && memcmp(p->text + p->pos, s, n) == 0;
}

static int
new_node(Parser *p, int kind)
{
	Node	   *n;

	if (p->nnodes >= p->cap_nodes)
	{
		set_error(p, SEQ_TOO_LARGE, p->pos, "the pattern has too many elements", NULL);
		set_hint(p, "Write a shorter pattern.");
		return -1;
	}
	n = &p->nodes[p->nnodes];
	memset(n, 0, sizeof(Node));
	n->kind = kind;
	n->first = -1;
	n->next = -1;
	return p->nnodes++;
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Largest duration, in seconds: about 3000 years. */
#define MAX_SECONDS 100000000000LL
#define MAX_USEC	(MAX_SECONDS * 1000000)

/*
 * A decimal number with an optional fraction of at most 6 digits, read
 * exactly: *whole and *micro (millionths).  Returns 0 when there is none,
 * 1 when read, -1 after an error: durations are exact integers of
 * microseconds, so a 7th decimal (which would be rounded, and make
 * (?t>0.0000005) between events 1 us apart false) is refused.
 */
static int
scan_number(Parser *p, size_t end, size_t *pos, int64_t *whole, int64_t *micro)
{
	const char *s = p->text;
	size_t		start = *pos;
	int64_t		v = 0;
	int64_t		f = 0;
	int			digits = 0;

	while (*pos < end && is_digit(s[*pos]))
	{
		/* saturate: anything past MAX_USEC is refused by the caller */
		if (v <= MAX_USEC)
			v = v * 10 + (s[*pos] - '0');
		(*pos)++;
	}
	if (*pos < end && s[*pos] == '.' && *pos + 1 < end && is_digit(s[*pos + 1]))
	{
		(*pos)++;
		while (*pos < end && is_digit(s[*pos]))
		{
			if (++digits > 6)
			{
				set_error(p, SEQ_SYNTAX, *pos, "at most 6 decimals: a duration is a whole number of microseconds", NULL);
				return -1;
			}
			f = f * 10 + (s[*pos] - '0');
			(*pos)++;
		}
		for (; digits < 6; digits++)
			f *= 10;
	}
	*whole = v;
	*micro = f;
	return *pos > start ? 1 : 0;
}

/*
 * whole.micro units of per microseconds each, added to *total; false when
 * past MAX_USEC or not a whole number of microseconds (an error is set).
 */
static bool
add_duration(Parser *p, size_t at, int64_t whole, int64_t micro, int64_t per, int64_t *total)
{
	int64_t		part;

	if (whole > MAX_USEC / per)
	{
		set_error(p, SEQ_SYNTAX, at, "the duration is out of range (at most 10^11 seconds)", NULL);
		return false;
	}
	/* micro < 10^6 and per <= 6.048 * 10^11: no overflow */
	if (micro * per % 1000000 != 0)
	{
		set_error(p, SEQ_SYNTAX, at, "the duration is not a whole number of microseconds", NULL);
		return false;
	}
	part = whole * per + micro * per / 1000000;
	if (part > MAX_USEC - *total)
	{
		set_error(p, SEQ_SYNTAX, at, "the duration is out of range (at most 10^11 seconds)", NULL);
		return false;
	}
	*total += part;
	return true;
}


static const struct
{
	const char *name;
	int64_t		usec;
} units[] = {
	{"microseconds", 1}, {"microsecond", 1}, {"usec", 1}, {"us", 1},
	{"milliseconds", 1000}, {"millisecond", 1000}, {"msec", 1000}, {"ms", 1000},
	{"seconds", 1000000}, {"second", 1000000}, {"secs", 1000000}, {"sec", 1000000}, {"s", 1000000},
	{"minutes", 60000000}, {"minute", 60000000}, {"mins", 60000000}, {"min", 60000000}, {"m", 60000000},
	{"hours", 3600000000LL}, {"hour", 3600000000LL}, {"hrs", 3600000000LL}, {"hr", 3600000000LL},
	{"h", 3600000000LL},
	{"days", 86400000000LL}, {"day", 86400000000LL}, {"d", 86400000000LL},
	{"weeks", 604800000000LL}, {"week", 604800000000LL}, {"w", 604800000000LL},
};

/* Microseconds of a day: units from it up combine with hh:mm:ss. */
#define DAY_USEC			86400000000LL

/*
 * The bit of a unit's field (microseconds 1 ... weeks 64), for the rule
 * that an interval names each unit once, as PostgreSQL's does: '1 day 1
 * day' is refused, '1 week 1 day' is 8 days.  Seconds with a fraction also
 * take the milliseconds and microseconds, as in PostgreSQL ('1.5 s 1 ms'
 * is refused, '1 s 1.5 ms' is 1.0015 seconds).
 */
static int
unit_fields(int64_t per, int64_t micro)
{
	static const int64_t field_usec[] = {
		1, 1000, 1000000, 60000000, 3600000000LL, 86400000000LL, 604800000000LL
	};
	int			f;

	for (f = 0; field_usec[f] != per; f++)
		;
	if (per == 1000000 && micro != 0)
		return 7;				/* seconds, milliseconds and microseconds */
	return 1 << f;
}

/* Microseconds of the unit named by len bytes at word, or 0 for none. */
static int64_t
unit_usec(const char *word, size_t len)
{
	size_t		u;

	for (u = 0; u < sizeof(units) / sizeof(units[0]); u++)
		if (cx_word_equals(word, len, units[u].name))
			return units[u].usec;
	return 0;
}

/* Whether text[from, to) holds a decimal point (a number with decimals). */
static bool
has_point(const Parser *p, size_t from, size_t to)
{
	return memchr(p->text + from, '.', to - from) != NULL;
}

/*
 * A part written as PostgreSQL writes the time of an interval: hh:mm or
 * hh:mm:ss, the seconds with up to 6 decimals ('01:30', '1 day 02:00:00.5').
 * Called with q on the ':' after the hours (hstart: where they begin); adds
 * the part to *total.  Hours and minutes are whole numbers: PostgreSQL reads
 * '01:30.5' as minutes and seconds, a reading too easy to mistake, so it is
 * refused rather than read either way.
 */
static bool
parse_clock(Parser *p, size_t end, size_t hstart, size_t *q, int64_t hours,
			int64_t *total)
{
	int64_t		minutes,
				micro,
				seconds = 0,
				seconds_micro = 0;
	size_t		field;

	if (has_point(p, hstart, *q))
	{
		set_error(p, SEQ_SYNTAX, hstart, "the hours of hh:mm:ss are a whole number", NULL);
		return false;
	}
	field = ++(*q);				/* past the ':' */
	if (scan_number(p, end, q, &minutes, &micro) <= 0 || minutes > 59 || has_point(p, field, *q))
	{
		/* (set_error keeps the first error, a bad number's) */
		set_error(p, SEQ_SYNTAX, field, "expected whole minutes 00 to 59 after ':' (for example '01:30:00'; seconds with decimals go third: '00:01:30.5')", NULL);
		return false;
	}
	if (*q < end && p->text[*q] == ':')
	{
		field = ++(*q);
		if (scan_number(p, end, q, &seconds, &seconds_micro) <= 0 || seconds > 59)
		{
			set_error(p, SEQ_SYNTAX, field, "expected seconds 00 to 59 after ':' (for example '01:30:00')", NULL);
			return false;
		}
	}
	return add_duration(p, hstart, hours, 0, 3600000000LL, total) &&
		add_duration(p, hstart, minutes, 0, 60000000, total) &&
		add_duration(p, hstart, seconds, seconds_micro, 1000000, total);
}

/*
 * A quoted interval: "number unit" parts ('1 hour 30 minutes') and at most
 * one hh:mm[:ss] part ('01:30:00', '1 day 02:00'), or one number alone,
 * which is seconds ('90').  Parts are separated by blanks.  Months and
 * years have no fixed length and are refused.  What PostgreSQL would read
 * otherwise is refused, never read another way: a number without a unit
 * beside other parts (PostgreSQL takes '1 02:00' as a day), or a time part
 * twice ('01:00 30 minutes'), or a unit twice ('1 day 1 day', unit_fields),
 * or a fraction of a day or week after hh:mm ('01:00 0.5 day').
 */
static bool
parse_quoted(Parser *p, int64_t *usec)
{
	size_t		open = p->pos;
	size_t		end;
	size_t		q;
	int64_t		total = 0;
	int			parts = 0;
	bool		had_clock = false;	/* an hh:mm part */
	bool		had_small = false;	/* a unit under a day */
	size_t		bare = 0;		/* where the first number without a unit starts (0: none) */
	int			fields = 0;		/* the unit fields named (unit_fields) */

	p->pos++;					/* the opening quote */
	end = p->pos;
	while (end < p->len && p->text[end] != '\'')
		end++;
	if (end >= p->len)
	{
		set_error(p, SEQ_SYNTAX, open, "unterminated quoted interval: expected a closing '", NULL);
		return false;
	}
	q = p->pos;
	for (;;)
	{
		int64_t		whole,
					micro;
		size_t		nstart;
		size_t		ustart;
		size_t		ulen;
		int64_t		per = 1000000;
		int			got;

		while (q < end && p->text[q] == ' ')
			q++;
		if (q >= end)
			break;
		nstart = q;
		if ((got = scan_number(p, end, &q, &whole, &micro)) < 0)
			return false;
		if (got == 0)
		{
			set_error(p, SEQ_SYNTAX, q, "expected a number in the interval (for example '1 hour 30 minutes')", NULL);
			return false;
		}
		if (q < end && p->text[q] == ':')
		{
			if (had_clock || had_small)
			{
				set_error(p, SEQ_SYNTAX, nstart, "hh:mm:ss beside another time part: give hours, minutes and seconds once", NULL);
				return false;
			}
			if (!parse_clock(p, end, nstart, &q, whole, &total))
				return false;
			had_clock = true;
		}
		else
		{
			size_t		number_end = q;

			while (q < end && p->text[q] == ' ')
				q++;
			ustart = q;
			while (q < end && ((p->text[q] >= 'a' && p->text[q] <= 'z') ||
							   (p->text[q] >= 'A' && p->text[q] <= 'Z')))
				q++;
			ulen = q - ustart;
			if (ulen == 0)
			{
				/* the blanks after it separate it from the next part */
				q = number_end;
				/* (never 0: the opening quote is before it) */
				if (bare == 0)
					bare = nstart;
			}
			else if ((per = unit_usec(p->text + ustart, ulen)) == 0)
			{
				set_error(p, SEQ_SYNTAX, ustart,
						  "expected a unit of fixed length (microseconds, milliseconds, seconds, minutes, hours, days or weeks)", NULL);
				return false;
			}
			else if (per < DAY_USEC)
			{
				if (had_clock)
				{
					set_error(p, SEQ_SYNTAX, nstart, "a time unit beside hh:mm:ss: give hours, minutes and seconds once", NULL);
					return false;
				}
				had_small = true;
			}
			else if (micro != 0 && had_clock)
			{
				/*
				 * PostgreSQL reads an interval's parts right to left, and the
				 * hh:mm:ss read after it replaces the part under a day of a
				 * fraction of a day or week ('01:00 0.5 day' is 01:00 to it)
				 */
				set_error(p, SEQ_SYNTAX, nstart, "a fraction of a day or week after hh:mm:ss, whose part under a day PostgreSQL drops: give it first ('0.5 day 01:00') or in hours", NULL);
				return false;
			}
			if (ulen > 0 && (fields & unit_fields(per, micro)) != 0)
			{
				set_error(p, SEQ_SYNTAX, ustart, "a unit named twice in the interval: give each unit once ('2 days', not '1 day 1 day'; a fraction of a second takes its milliseconds and microseconds)", NULL);
				return false;
			}
			if (ulen > 0)
				fields |= unit_fields(per, micro);
			if (!add_duration(p, nstart, whole, micro, per, &total))
				return false;
		}
		parts++;
		/* a part ends at a blank or the closing quote */
		if (q < end && p->text[q] != ' ')
		{
			set_error(p, SEQ_SYNTAX, q, "expected a blank between the parts of the interval (for example '1 day 02:00:00')", NULL);
			return false;
		}
	}
	if (parts == 0)
	{
		set_error(p, SEQ_SYNTAX, open + 1, "expected an interval inside the quotes", NULL);
		return false;
	}
	if (bare > 0 && parts > 1)
	{
		set_error(p, SEQ_SYNTAX, bare, "a number without a unit is seconds only alone ('90'); beside other parts give its unit ('1 day 02:00')", NULL);
		return false;
	}
	p->pos = end + 1;
	*usec = total;
	return true;
}

/* A duration: seconds or a quoted interval, into *usec. */
static bool
parse_duration(Parser *p, int64_t *usec)
{
	int64_t		whole,
				micro;
	size_t		start;
	int			got;

	skip_space(p);
	if (p->pos < p->len && p->text[p->pos] == '\'')
		return parse_quoted(p, usec);
	start = p->pos;
	if ((got = scan_number(p, p->len, &p->pos, &whole, &micro)) < 0)
		return false;
	if (got == 0)
	{
		set_error(p, SEQ_SYNTAX, p->pos,
				  "expected a duration: a number of seconds or a quoted interval such as '1 hour'", NULL);
		return false;
	}
	*usec = 0;
	return add_duration(p, start, whole, micro, 1000000, usec);
}

static bool
expect_close(Parser *p, const char *what)
{
	skip_space(p);
	if (p->pos >= p->len || p->text[p->pos] != ')')
	{
		set_error(p, SEQ_SYNTAX, p->pos, "expected ')' to close %s", what);
		return false;
	}
	p->pos++;
	return true;
}

/* An unsigned decimal at most limit, into *value. */
static bool
parse_count(Parser *p, int limit, int *value)
{
	long		v = 0;
	size_t		start = p->pos;

	while (p->pos < p->len && is_digit(p->text[p->pos]))
	{
		v = v * 10 + (p->text[p->pos] - '0');
		if (v > limit)
			v = (long) limit + 1;
		p->pos++;
	}
	if (p->pos == start)
		return false;
	*value = (int) v;
	return true;
}

static int	parse_alt(Parser *p);

/* A time condition "(?t" op duration ")", the "(?t" already read. */
static int
parse_gate(Parser *p, size_t at)
{
	int			op;
	int			node;

	skip_space(p);
	if (looking_at(p, "<="))
		op = OP_LE, p->pos += 2;
	else if (looking_at(p, ">="))
		op = OP_GE, p->pos += 2;
	else if (looking_at(p, "=="))
		op = OP_EQ, p->pos += 2;
	else if (looking_at(p, "!="))
		op = OP_NE, p->pos += 2;
	else if (looking_at(p, "<"))
		op = OP_LT, p->pos += 1;
	else if (looking_at(p, ">"))
		op = OP_GT, p->pos += 1;
	else
	{
		set_error(p, SEQ_SYNTAX, p->pos,
				  "expected a comparison after (?t: one of < <= > >= == !=", NULL);
		return -1;
	}
	if (p->ngates >= SEQ_MAX_GATES)
	{
		set_error(p, SEQ_TOO_LARGE, at, "the pattern has more than 64 time conditions", NULL);
		set_hint(p, "Use at most 64 time conditions; one window (?w<=D) at the start bounds the whole match.");
		return -1;
	}
	p->gates[p->ngates].op = op;
	if (!parse_duration(p, &p->gates[p->ngates].value))
		return -1;
	if (!expect_close(p, "the time condition"))
		return -1;
	node = new_node(p, N_GATE);
	if (node < 0)
		return -1;
	p->nodes[node].gate = p->ngates++;
	return node;
}

/* A quantifier, if any, applied to node (an atom or group). */
static int
parse_quantifier(Parser *p, int node)
{
	int			min,
				max;
	size_t		at;
	int			rep;

	skip_space(p);
	if (p->pos >= p->len)
		return node;
	at = p->pos;
	switch (p->text[p->pos])
	{
		case '*':
			min = 0, max = -1, p->pos++;
			break;
		case '+':
			min = 1, max = -1, p->pos++;
			break;
		case '?':
			min = 0, max = 1, p->pos++;
			break;
		case '{':
			p->pos++;
			skip_space(p);
			if (!parse_count(p, SEQ_MAX_REPEAT, &min))
			{
				set_error(p, SEQ_SYNTAX, p->pos, "expected a number after '{'", NULL);
				return -1;
			}
			skip_space(p);
			max = min;
			if (p->pos < p->len && p->text[p->pos] == ',')
			{
				p->pos++;
				skip_space(p);
				if (p->pos < p->len && is_digit(p->text[p->pos]))
				{
					parse_count(p, SEQ_MAX_REPEAT, &max);
					skip_space(p);
				}
				else
					max = -1;
			}
			if (p->pos >= p->len || p->text[p->pos] != '}')
			{
				set_error(p, SEQ_SYNTAX, p->pos, "expected '}' or ',' in a repetition {n,m}", NULL);
				return -1;
			}
			p->pos++;
			if (min > SEQ_MAX_REPEAT || max > SEQ_MAX_REPEAT)
			{
				set_error(p, SEQ_TOO_LARGE, at, "a repetition count is larger than 1000", NULL);
				set_hint(p, "Use counts of at most 1000, or .* with a time condition for long runs.");
				return -1;
			}
			if (max >= 0 && max < min)
			{
				set_error(p, SEQ_SYNTAX, at, "in a repetition {n,m}, m must not be less than n", NULL);
				return -1;
			}
			break;
		default:
			return node;
	}
	rep = new_node(p, N_REP);
	if (rep < 0)
		return -1;
	p->nodes[rep].min = min;
	p->nodes[rep].max = max;
	p->nodes[rep].first = node;
	skip_space(p);
	if (p->pos < p->len && (p->text[p->pos] == '*' || p->text[p->pos] == '+' ||
							p->text[p->pos] == '?' || p->text[p->pos] == '{'))
	{
		set_error(p, SEQ_SYNTAX, p->pos,
				  "a quantifier cannot follow another quantifier: put the first in a group", NULL);
		return -1;
	}
	return rep;
}

/* One item, or -2 at the end of a sequence, -1 on error. */
static int
parse_item(Parser *p)
{
	size_t		at;
	int			node;
	char		c;

	skip_space(p);
	if (p->pos >= p->len)
		return -2;
	at = p->pos;
	c = p->text[p->pos];
	if (c == '|' || c == ')')
		return -2;
	if (c == '.')
	{
		if (p->pos + 1 < p->len && p->text[p->pos + 1] == '*')
		{
			p->pos += 2;
			node = new_node(p, N_SKIP);
			skip_space(p);
			if (node >= 0 && p->pos < p->len &&
				(p->text[p->pos] == '*' || p->text[p->pos] == '+' ||
				 p->text[p->pos] == '?' || p->text[p->pos] == '{'))
			{
				set_error(p, SEQ_SYNTAX, p->pos, "'.*' cannot be repeated: it already skips any number of events", NULL);
				return -1;
			}
			return node;
		}
		p->pos++;
		node = new_node(p, N_ANY);
		if (node < 0)
			return -1;
		return parse_quantifier(p, node);
	}
	if (c == '(')
	{
		if (p->pos + 1 < p->len && p->text[p->pos + 1] == '?')
		{
			p->pos += 2;
			skip_space(p);
			if (p->pos < p->len && p->text[p->pos] == 't')
			{
				p->pos++;
				node = parse_gate(p, at);
				if (node < 0)
					return -1;
				skip_space(p);
				if (p->pos < p->len &&
					(p->text[p->pos] == '*' || p->text[p->pos] == '+' ||
					 p->text[p->pos] == '?' || p->text[p->pos] == '{'))
				{
					set_error(p, SEQ_SYNTAX, p->pos, "a time condition cannot be repeated", NULL);
					return -1;
				}
				return node;
			}
			if (p->pos < p->len && p->text[p->pos] == 'w')
			{
				set_error(p, SEQ_SYNTAX, at, "a window (?w<=D) is allowed only at the start of the pattern", NULL);
				return -1;
			}
			if (p->pos < p->len && is_digit(p->text[p->pos]))
			{
				int			n = 0;
				size_t		nat = p->pos;

				parse_count(p, 1000, &n);
				if (n < 1 || n > SEQ_MAX_CONDITIONS)
				{
					set_error(p, SEQ_SYNTAX, nat, "a condition number runs from 1 to 64", NULL);
					return -1;
				}
				if (!expect_close(p, "the condition (?N)"))
					return -1;
				node = new_node(p, N_COND);
				if (node < 0)
					return -1;
				p->nodes[node].cond = n;
				if (n > p->max_cond)
					p->max_cond = n;
				return parse_quantifier(p, node);
			}
			set_error(p, SEQ_SYNTAX, p->pos,
					  "expected a condition number (?N), a time condition (?t op D) or a window (?w<=D) after '(?'", NULL);
			return -1;
		}
		p->pos++;
		if (++p->depth > MAX_DEPTH)
		{
			set_error(p, SEQ_TOO_LARGE, at, "groups are nested more than 100 deep", NULL);
			set_hint(p, "Remove redundant parentheses.");
			return -1;
		}
		node = parse_alt(p);
		p->depth--;
		if (node < 0)
			return -1;
		if (p->pos >= p->len || p->text[p->pos] != ')')
		{
			set_error(p, SEQ_SYNTAX, p->pos, "expected ')' to close the group opened at position %s", NULL);
			if (p->err->code == SEQ_SYNTAX)
				snprintf(p->err->message, sizeof(p->err->message),
						 "expected ')' to close the group opened at position %d", (int) at + 1);
			return -1;
		}
		p->pos++;
		return parse_quantifier(p, node);
	}
	if (c == '*' || c == '+' || c == '?' || c == '{')
		set_error(p, SEQ_SYNTAX, at, "a quantifier must follow (?N), '.' or a group", NULL);
	else
		set_error(p, SEQ_SYNTAX, at, "expected (?N), '.', '.*', (?t op D), '(', '|' or ')'", NULL);
	return -1;
}

/* A sequence of items: an N_CAT node (maybe with no child). */
static int
parse_seq(Parser *p)
{
	int			cat = new_node(p, N_CAT);
	int			last = -1;

	if (cat < 0)
		return -1;
	for (;;)
	{
		int			item = parse_item(p);

		if (item == -2)
			break;
		if (item < 0)
			return -1;
		if (last < 0)
			p->nodes[cat].first = item;
		else
			p->nodes[last].next = item;
		last = item;
	}
	return cat;
}

static int
parse_alt(Parser *p)
{
	int			alt = new_node(p, N_ALT);
	int			last = -1;

	if (alt < 0)
		return -1;
	for (;;)
	{
		int			seq = parse_seq(p);

		if (seq < 0)
			return -1;
		if (last < 0)
			p->nodes[alt].first = seq;
		else
			p->nodes[last].next = seq;
		last = seq;
		skip_space(p);
		if (p->pos < p->len && p->text[p->pos] == '|')
		{
			p->pos++;
			continue;
		}
		return alt;
	}
}

/* ---- compilation to an NFA ---- */

static int
new_state(Parser *p, int kind, int out)
{
	State	   *s;

	if (p->nstates >= SEQ_MAX_STATES)
	{
		set_error(p, SEQ_TOO_LARGE, 0, "the pattern expands to more than 4096 states (nested + or {n,m} copy their sub-pattern)", NULL);
		set_hint(p, "Use smaller repetition counts or fewer nested + and {n,m}: each copies its sub-pattern.");
		p->err->position = 0;
		return -1;
	}
	s = &p->states[p->nstates];
	memset(s, 0, sizeof(State));
	s->kind = kind;
	s->out = out;
	s->out2 = -1;
	s->consume_no = -1;
	return p->nstates++;
}

/* The start state of node's automaton, continuing to next; -1 on error. */
static int
compile_node(Parser *p, int node, int next)
{
	Node	   *n = &p->nodes[node];
	int			s;

	switch (n->kind)
	{
		case N_COND:
		case N_ANY:
			s = new_state(p, S_CONSUME, next);
			if (s >= 0)
			{
				p->states[s].cond = n->kind == N_COND ? n->cond : 0;
				p->states[s].consume_no = p->nconsume++;
			}
			return s;
		case N_SKIP:
			return new_state(p, S_SKIP, next);
		case N_GATE:
			s = new_state(p, S_GATE, next);
			if (s >= 0)
				p->states[s].gate = n->gate;
			return s;
		case N_CAT:
			{
				int			kids[256];
				int			nk = 0;
				int			c;
				int			cur = next;

				/* children in reverse: walk them into a small stack, in chunks */
				for (c = n->first; c >= 0; c = p->nodes[c].next)
					nk++;
				if (nk == 0)
					return new_state(p, S_EPS, next);
				while (nk > 0)
				{
					/* compile the last min(nk, 256) children not yet done */
					int			skipn = nk > 256 ? nk - 256 : 0;
					int			k = 0;
					int			got = 0;

					for (c = n->first; c >= 0; c = p->nodes[c].next, k++)
					{
						if (k >= skipn && k < nk)
							kids[got++] = c;
					}
					while (got > 0)
					{
						cur = compile_node(p, kids[--got], cur);
						if (cur < 0)
							return -1;
					}
					nk = skipn;
				}
				return cur;
			}
		case N_ALT:
			{
				int			c;
				int			count = 0;
				int			idx;

				for (c = n->first; c >= 0; c = p->nodes[c].next)
					count++;
				if (count == 1)
					return compile_node(p, n->first, next);

				/*
				 * split(alt1, split(alt2, ... altN)): built from the last
				 * alternative back, so that the first written has priority.
				 */
				s = -1;
				for (idx = count - 1; idx >= 0; idx--)
				{
					int			k = 0;
					int			start;

					for (c = n->first; k < idx; c = p->nodes[c].next)
						k++;
					start = compile_node(p, c, next);
					if (start < 0)
						return -1;
					if (s < 0)
						s = start;
					else
					{
						int			sp = new_state(p, S_SPLIT, start);

						if (sp < 0)
							return -1;
						p->states[sp].out2 = s;
						s = sp;
					}
				}
				return s;
			}
		case N_REP:
			{
				int			cur = next;
				int			k;

				if (n->max < 0)
				{
					/* greedy loop: split(body -> split, next) */
					int			sp = new_state(p, S_SPLIT, -1);
					int			body;

					if (sp < 0)
						return -1;
					body = compile_node(p, n->first, sp);
					if (body < 0)
						return -1;
					p->states[sp].out = body;
					p->states[sp].out2 = next;
					cur = sp;
				}
				else
				{
					for (k = 0; k < n->max - n->min; k++)
					{
						int			body = compile_node(p, n->first, cur);
						int			sp;

						if (body < 0)
							return -1;
						sp = new_state(p, S_SPLIT, body);
						if (sp < 0)
							return -1;
						p->states[sp].out2 = next;
						cur = sp;
					}
				}
				for (k = 0; k < n->min; k++)
				{
					cur = compile_node(p, n->first, cur);
					if (cur < 0)
						return -1;
				}
				if (cur == next)
					return new_state(p, S_EPS, next);	/* {0} or {0,0} */
				return cur;
			}
	}
	return -1;
}

/* ---- closures ---- */

typedef struct Visit
{
	uint64_t	gates;
	int			state;
	int			skip;
	uint32_t	stamp;
} Visit;

typedef struct Closure
{
	Parser	   *p;
	Visit	   *table;
	uint32_t	mask;
	uint32_t	stamp;
	long		visits;			/* in all closures */
	long		local_visits;	/* in this closure: below the table size */
	SeqEntry   *entries;
	int			nentries;
	int			cap_entries;
	int64_t    *excluded;
	int			nexcluded;
	int			cap_excluded;
	bool		accepts;
	bool		is_start;
	int			first;			/* first entry of the current closure */
} Closure;

/* True when (state, skip, gates) is new in this closure (and marks it). */
static bool
visit_new(Closure *c, int state, int skip, uint64_t gates)
{
	uint64_t	h = (uint64_t) state * 0x9E3779B97F4A7C15ULL ^ gates * 0xC2B2AE3D27D4EB4FULL ^ (uint64_t) skip;
	uint32_t	i = (uint32_t) (h ^ (h >> 29)) & c->mask;

	for (;;)
	{
		Visit	   *v = &c->table[i];

		if (v->stamp != c->stamp)
		{
			v->stamp = c->stamp;
			v->state = state;
			v->skip = skip;
			v->gates = gates;
			return true;
		}
		if (v->state == state && v->skip == skip && v->gates == gates)
			return false;
		i = (i + 1) & c->mask;
	}
}

/* Add the entry for consuming state cs reached with (skip, gates). */
static bool
add_entry(Closure *c, int cs, int skip, uint64_t gates)
{
	Parser	   *p = c->p;
	SeqEntry	e;
	int			g;
	int			k;
	int64_t		excl[SEQ_MAX_GATES];
	int			nexcl = 0;

	e.target = p->states[cs].consume_no;
	e.skip = skip != 0;
	e.lo = 0;
	e.hi = INT64_MAX;
	for (g = 0; g < p->ngates; g++)
	{
		int64_t		v;

		if (!(gates & ((uint64_t) 1 << g)))
			continue;
		v = p->gates[g].value;
		switch (p->gates[g].op)
		{
			case OP_LT:
				if (v - 1 < e.hi)
					e.hi = v - 1;
				break;
			case OP_LE:
				if (v < e.hi)
					e.hi = v;
				break;
			case OP_GT:
				if (v + 1 > e.lo)
					e.lo = v + 1;
				break;
			case OP_GE:
				if (v > e.lo)
					e.lo = v;
				break;
			case OP_EQ:
				if (v > e.lo)
					e.lo = v;
				if (v < e.hi)
					e.hi = v;
				break;
			case OP_NE:
				{
					/* insert sorted, without duplicates */
					int			at = 0;

					while (at < nexcl && excl[at] < v)
						at++;
					if (at < nexcl && excl[at] == v)
						break;
					memmove(excl + at + 1, excl + at, (nexcl - at) * sizeof(int64_t));
					excl[at] = v;
					nexcl++;
				}
				break;
		}
	}
	if (e.lo > e.hi)
		return true;			/* no time difference satisfies it: dead */
	/* drop exclusions outside [lo, hi] */
	{
		int			w = 0;

		for (k = 0; k < nexcl; k++)
			if (excl[k] >= e.lo && excl[k] <= e.hi)
				excl[w++] = excl[k];
		nexcl = w;
	}
	/* the same consuming state with the same constraint: already there */
	for (k = c->first; k < c->nentries; k++)
	{
		SeqEntry   *o = &c->entries[k];

		if (o->target == e.target && o->skip == e.skip && o->lo == e.lo &&
			o->hi == e.hi && o->nexcl == nexcl &&
			(nexcl == 0 || memcmp(c->excluded + o->excl, excl, nexcl * sizeof(int64_t)) == 0))
			return true;
	}
	if (c->nentries >= SEQ_MAX_ENTRIES || c->nexcluded + nexcl > c->cap_excluded)
	{
		set_error(p, SEQ_TOO_LARGE, 0, "the pattern has too many alternative continuations (more than 8192)", NULL);
		set_hint(p, "Use fewer optional steps in a row ((.?){n} continues in up to n ways after each step), or .* with a time condition.");
		p->err->position = 0;
		return false;
	}
	e.nexcl = nexcl;
	e.excl = c->nexcluded;
	memcpy(c->excluded + c->nexcluded, excl, nexcl * sizeof(int64_t));
	c->nexcluded += nexcl;
	c->entries[c->nentries++] = e;
	return true;
}

/* Depth-first, in priority order, from state s without consuming. */
static bool
closure_walk(Closure *c, int s, int skip, uint64_t gates)
{
	Parser	   *p = c->p;

	for (;;)
	{
		State	   *st = &p->states[s];

		if (!visit_new(c, s, skip, gates))
			return true;
		if (++c->visits > MAX_VISITS || ++c->local_visits > (long) (c->mask / 2))
		{
			set_error(p, SEQ_TOO_LARGE, 0, "the pattern's time conditions combine in too many ways", NULL);
			set_hint(p, "Use fewer alternatives between time conditions: each set of conditions passed is kept apart.");
			p->err->position = 0;
			return false;
		}
		switch (st->kind)
		{
			case S_CONSUME:
				return add_entry(c, s, skip, gates);
			case S_ACCEPT:
				if (gates != 0)
				{
					set_error(p, SEQ_TRAILING_GATE, 0, "", NULL);
					return false;
				}
				c->accepts = true;
				return true;
			case S_SPLIT:
				if (!closure_walk(c, st->out, skip, gates))
					return false;
				s = st->out2;
				break;
			case S_EPS:
				s = st->out;
				break;
			case S_SKIP:
				skip = 1;
				s = st->out;
				break;
			case S_GATE:
				if (c->is_start)
				{
					set_error(p, SEQ_LEADING_GATE, 0, "", NULL);
					return false;
				}
				gates |= (uint64_t) 1 << st->gate;
				skip = 1;		/* events may lie between around a time condition */
				s = st->out;
				break;
		}
	}
}

static void
closure_of(Closure *c, int s, bool is_start)
{
	c->stamp++;
	c->local_visits = 0;
	c->first = c->nentries;
	c->accepts = false;
	c->is_start = is_start;
	closure_walk(c, s, 0, 0);
}

/*
 * Whether the end is reachable from the start through consuming states none
 * of which tests condition cond, time conditions and the window ignored
 * (they only remove matches).  seen and stack have room for nconsume.
 */
static bool
accepts_without(const SeqPattern *pat, int cond, bool *seen, int *stack)
{
	int			top = 0;
	int			k;

	memset(seen, 0, sizeof(bool) * pat->nconsume);
	for (k = 0; k < pat->start_count; k++)
	{
		int			t = pat->entries[pat->start_first + k].target;

		if (!seen[t] && pat->consume[t].cond != cond)
		{
			seen[t] = true;
			stack[top++] = t;
		}
	}
	while (top > 0)
	{
		const SeqConsume *sc = &pat->consume[stack[--top]];

		if (sc->accepts)
			return true;
		for (k = 0; k < sc->nentries; k++)
		{
			int			t = pat->entries[sc->first_entry + k].target;

			if (!seen[t] && pat->consume[t].cond != cond)
			{
				seen[t] = true;
				stack[top++] = t;
			}
		}
	}
	return false;
}

/*
 * Set the pattern's chain (SeqPattern.chain_length) when it is one.  The
 * test is on the compiled automaton, not the text, so anything that
 * compiles to this shape is a chain (((?1).*){3}(?2), (?t>=0) between
 * atoms): from the start, one (?N) after another, each but the last with a
 * single closure entry that lets events lie between and bounds the time
 * only from above, the last accepting with no entry.  Anything else
 * (adjacent atoms, '.', alternatives, open repetitions, a lower bound above
 * 0, !=, a window) leaves 0.
 */
static void
find_chain(SeqPattern *pat)
{
	int			length = 0;
	int			c;
	int64_t		within = INT64_MAX;

	if (pat->has_window || pat->start_count != 1)
		return;
	c = pat->entries[pat->start_first].target;
	for (;;)
	{
		const SeqConsume *sc = &pat->consume[c];
		const SeqEntry *e;

		if (sc->cond == 0 || length == SEQ_CHAIN_MAX)
			return;
		pat->chain_cond[length] = UINT64_C(1) << (sc->cond - 1);
		pat->chain_within[length] = within;
		length++;
		if (sc->accepts)
		{
			if (sc->nentries != 0)
				return;
			break;
		}
		if (sc->nentries != 1)
			return;
		e = &pat->entries[sc->first_entry];
		/*
		 * lo == 0 also means hi >= 0: an entry whose bounds cross was
		 * dropped when the closure was built.
		 */
		if (!e->skip || e->lo != 0 || e->nexcl != 0)
			return;
		within = e->hi;
		c = e->target;
	}
	pat->chain_length = length;
}

/* The conditions every match of a compiled pattern consumes (SeqPattern.required). */
static uint64_t
required_conditions(const SeqPattern *pat, const SeqHooks *hooks)
{
	bool	   *seen = hooks->alloc(sizeof(bool) * (pat->nconsume + 1));
	int		   *stack = hooks->alloc(sizeof(int) * (pat->nconsume + 1));
	uint64_t	tested = 0;
	uint64_t	required = 0;
	int			i;

	for (i = 0; i < pat->nconsume; i++)
	{
		int			cond = pat->consume[i].cond;
		uint64_t	bit;

		if (cond == 0)
			continue;			/* '.' takes any event */
		bit = UINT64_C(1) << (cond - 1);
		if (tested & bit)
			continue;
		tested |= bit;
		if (!accepts_without(pat, cond, seen, stack))
			required |= bit;
	}
	hooks->release(stack);
	hooks->release(seen);
	return required;
}

SeqPattern *
seq_compile(const char *text, size_t len, const SeqHooks *hooks, SeqErrorInfo *err)
{
	Parser		p;
	Closure		c;
	int			root;
	int			accept;
	int			start;
	SeqPattern *pat = NULL;
	int			i;
	size_t		size;
	char	   *mem;
	SeqConsume *consume = NULL;
	int		   *consume_state = NULL;

	memset(err, 0, sizeof(*err));
	memset(&p, 0, sizeof(p));
	memset(&c, 0, sizeof(c));
	p.text = text;
	p.len = len;
	p.err = err;
	if (len > SEQ_MAX_PATTERN)
	{
		set_error(&p, SEQ_TOO_LARGE, 0, "the pattern is longer than 10000 bytes", NULL);
		set_hint(&p, "Write a shorter pattern, for example with {n} instead of a repeated atom.");
		return NULL;
	}
	p.cap_nodes = (int) len * 2 + 8;
	p.nodes = hooks->alloc(sizeof(Node) * p.cap_nodes);

	/* the optional window */
	{
		bool		has_window = false;
		int64_t		window = 0;

		skip_space(&p);
		if (looking_at(&p, "(?w"))
		{
			size_t		at = p.pos;

			p.pos += 3;
			skip_space(&p);
			if (looking_at(&p, "<="))
				p.pos += 2;
			else if (looking_at(&p, "<"))
			{
				p.pos += 1;
				window = -1;
			}
			else
			{
				set_error(&p, SEQ_SYNTAX, p.pos, "expected <= or < after (?w", NULL);
				goto fail;
			}
			{
				int64_t		d;

				if (!parse_duration(&p, &d))
					goto fail;
				window += d;
			}
			if (!expect_close(&p, "the window"))
				goto fail;
			if (window < 0)
			{
				set_error(&p, SEQ_SYNTAX, at, "the window (?w<0) admits no match", NULL);
				goto fail;
			}
			has_window = true;
		}
		root = parse_alt(&p);
		if (root < 0)
			goto fail;
		if (p.pos < p.len)
		{
			set_error(&p, SEQ_SYNTAX, p.pos, "unbalanced ')': no group is open here", NULL);
			goto fail;
		}

		p.states = hooks->alloc(sizeof(State) * SEQ_MAX_STATES);
		accept = new_state(&p, S_ACCEPT, -1);
		start = compile_node(&p, root, accept);
		if (start < 0)
			goto fail;

		/* closures: the start's, then each consuming state's */
		c.p = &p;
		c.mask = (1u << 16) - 1;
		c.table = hooks->alloc(sizeof(Visit) * (c.mask + 1));
		memset(c.table, 0, sizeof(Visit) * (c.mask + 1));
		c.entries = hooks->alloc(sizeof(SeqEntry) * SEQ_MAX_ENTRIES);
		c.cap_excluded = SEQ_MAX_ENTRIES * 2;
		c.excluded = hooks->alloc(sizeof(int64_t) * c.cap_excluded);
		consume = hooks->alloc(sizeof(SeqConsume) * (p.nconsume + 1));
		consume_state = hooks->alloc(sizeof(int) * (p.nconsume + 1));
		for (i = 0; i < p.nstates; i++)
			if (p.states[i].kind == S_CONSUME)
				consume_state[p.states[i].consume_no] = i;

		closure_of(&c, start, true);
		if (err->code != SEQ_OK)
			goto fail;
		if (c.accepts)
		{
			set_error(&p, SEQ_EMPTY_MATCH, 0, "", NULL);
			goto fail;
		}
		{
			int			start_first = c.first;
			int			start_count = c.nentries - c.first;

			for (i = 0; i < p.nconsume; i++)
			{
				closure_of(&c, p.states[consume_state[i]].out, false);
				if (err->code != SEQ_OK)
					goto fail;
				consume[i].cond = p.states[consume_state[i]].cond;
				consume[i].accepts = c.accepts;
				consume[i].first_entry = c.first;
				consume[i].nentries = c.nentries - c.first;
			}

			/* one allocation for the result */
			size = sizeof(SeqPattern) + sizeof(SeqConsume) * (p.nconsume + 1) +
				sizeof(SeqEntry) * (c.nentries + 1) + sizeof(int64_t) * (c.nexcluded + 1);
			mem = hooks->alloc(size);
			pat = (SeqPattern *) mem;
			memset(pat, 0, sizeof(SeqPattern));
			pat->nconsume = p.nconsume;
			pat->max_cond = p.max_cond;
			pat->has_window = has_window;
			pat->window = window;
			pat->start_first = start_first;
			pat->start_count = start_count;
			pat->nentries = c.nentries;
			pat->nexcluded = c.nexcluded;
			pat->consume = (SeqConsume *) (mem + sizeof(SeqPattern));
			pat->entries = (SeqEntry *) ((char *) pat->consume + sizeof(SeqConsume) * (p.nconsume + 1));
			pat->excluded = (int64_t *) ((char *) pat->entries + sizeof(SeqEntry) * (c.nentries + 1));
			memcpy(pat->consume, consume, sizeof(SeqConsume) * p.nconsume);
			memcpy(pat->entries, c.entries, sizeof(SeqEntry) * c.nentries);
			if (c.nexcluded > 0)
				memcpy(pat->excluded, c.excluded, sizeof(int64_t) * c.nexcluded);
			pat->required = required_conditions(pat, hooks);
			find_chain(pat);
		}
	}

fail:
	if (err->code == SEQ_LEADING_GATE)
		snprintf(err->message, sizeof(err->message),
				 "a time condition must follow an event: it measures from the last consumed event");
	else if (err->code == SEQ_TRAILING_GATE)
		snprintf(err->message, sizeof(err->message),
				 "a time condition must be followed by an event: it measures to the next consumed event");
	else if (err->code == SEQ_EMPTY_MATCH)
		snprintf(err->message, sizeof(err->message),
				 "the pattern can match without consuming any event");
	if (err->code == SEQ_LEADING_GATE || err->code == SEQ_TRAILING_GATE ||
		err->code == SEQ_EMPTY_MATCH)
		err->position = 0;
	if (consume_state)
		hooks->release(consume_state);
	if (consume)
		hooks->release(consume);
	if (c.excluded)
		hooks->release(c.excluded);
	if (c.entries)
		hooks->release(c.entries);
	if (c.table)
		hooks->release(c.table);
	if (p.states)
		hooks->release(p.states);
	if (p.nodes)
		hooks->release(p.nodes);
	if (err->code != SEQ_OK && pat)
	{
		hooks->release(pat);
		pat = NULL;
	}
	return pat;
}
