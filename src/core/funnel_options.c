/*
 * funnel_options.c
 *		Backend-independent parsing and checking of funnel() options.
 *
 * Grammar (doc/reference.md, "Funnel options"): items separated by commas
 * outside double quotes, each one of
 *   a window_funnel mode word | any_order
 *   | exclude EVENT between I and J | breakdown first_touch | last_touch | step N
 * EVENT is a bare word (no blank, comma or double quote) or a double-quoted
 * name in which "" stands for one double quote.
 */
#include "funnel_options.h"
#include "text_util.h"

#include <string.h>

/* One token of an item: a bare word or a quoted name. */
typedef struct Token
{
	size_t		start;			/* in the text, quotes included */
	size_t		len;
	bool		quoted;
	bool		present;		/* false at the end of the item */
} Token;

typedef struct Parser
{
	const char *text;
	size_t		len;
	size_t		pos;
	char	   *names;
	size_t		names_len;
	FunnelOptionsFailure *fail;
} Parser;

static int
fail_at(Parser *p, FunnelOptionsError code, size_t start, size_t len, const char *expected)
{
	p->fail->code = code;
	p->fail->start = start;
	p->fail->len = len;
	p->fail->expected = expected;
	return -1;
}

/* Case-insensitive comparison of a bare token with a lowercase word. */
static bool
token_is(const Parser *p, const Token *t, const char *word)
{
	return t->present && !t->quoted && cx_word_equals(p->text + t->start, t->len, word);
}

/* The next token of the current item; -1 on an unterminated quote. */
static int
next_token(Parser *p, Token *t)
{
	while (p->pos < p->len && cx_is_space(p->text[p->pos]))
		p->pos++;
	t->start = p->pos;
	t->len = 0;
	t->quoted = false;
	t->present = false;
	if (p->pos >= p->len || p->text[p->pos] == ',')
		return 0;
	t->present = true;
	if (p->text[p->pos] == '"')
	{
		t->quoted = true;
		p->pos++;
		for (;;)
		{
			if (p->pos >= p->len)
				return fail_at(p, FOPT_UNTERMINATED, t->start, p->len - t->start, NULL);
			if (p->text[p->pos] == '"')
			{
				if (p->pos + 1 < p->len && p->text[p->pos + 1] == '"')
					p->pos += 2;
				else
				{
					p->pos++;
					break;
				}
			}
			else
				p->pos++;
		}
	}
	else
	{
		while (p->pos < p->len && p->text[p->pos] != ',' && p->text[p->pos] != '"' &&
			   !cx_is_space(p->text[p->pos]))
			p->pos++;
	}
	t->len = p->pos - t->start;
	return 0;
}

/* A token that must be there and be the given word. */
static int
expect_word(Parser *p, const char *word, const char *expected)
{
	Token		t;

	if (next_token(p, &t) < 0)
		return -1;
	if (!token_is(p, &t, word))
		return fail_at(p, FOPT_EXPECTED, t.start, t.len, expected);
	return 0;
}

/* A step number 1 .. 9999 (the range against the steps is checked later). */
static int
expect_number(Parser *p, int *value, const char *expected)
{
	Token		t;
	size_t		i;
	int			v = 0;

	if (next_token(p, &t) < 0)
		return -1;
	if (!t.present)
		return fail_at(p, FOPT_EXPECTED, t.start, 0, expected);
	if (t.quoted || t.len == 0 || t.len > 4)
		return fail_at(p, FOPT_BAD_NUMBER, t.start, t.len, NULL);
	for (i = 0; i < t.len; i++)
	{
		char		c = p->text[t.start + i];

		if (c < '0' || c > '9')
			return fail_at(p, FOPT_BAD_NUMBER, t.start, t.len, NULL);
		v = v * 10 + (c - '0');
	}
	if (v < 1)
		return fail_at(p, FOPT_BAD_NUMBER, t.start, t.len, NULL);
	*value = v;
	return 0;
}

/* The item must end here. */
static int
expect_end(Parser *p)
{
	Token		t;

	if (next_token(p, &t) < 0)
		return -1;
	if (t.present)
		return fail_at(p, FOPT_EXPECTED, t.start, t.len, "a comma or the end of the options");
	return 0;
}

/* exclude EVENT between I and J */
static int
parse_exclusion(Parser *p, FunnelOptions *opts, const Token *word)
{
	Token		ev;
	FunnelExclusionOpt *x;
	size_t		i;

	if (next_token(p, &ev) < 0)
		return -1;
	if (!ev.present)
		return fail_at(p, FOPT_EXPECTED, ev.start, 0, "an event name after exclude");
	if (opts->nexcl >= FUNNEL_MAX_EXCLUSIONS)
		return fail_at(p, FOPT_TOO_MANY, word->start, p->pos - word->start, NULL);
	x = &opts->excl[opts->nexcl];
	x->name_off = p->names_len;
	if (ev.quoted)
	{
		/* between the quotes, "" is one quote */
		for (i = ev.start + 1; i < ev.start + ev.len - 1; i++)
		{
			p->names[p->names_len++] = p->text[i];
			if (p->text[i] == '"')
				i++;
		}
	}
	else
	{
		memcpy(p->names + p->names_len, p->text + ev.start, ev.len);
		p->names_len += ev.len;
	}
	x->name_len = p->names_len - x->name_off;
	if (x->name_len == 0)
		return fail_at(p, FOPT_EMPTY_NAME, ev.start, ev.len, NULL);
	if (expect_word(p, "between", "between after the event name") < 0 ||
		expect_number(p, &x->from, "a step number after between") < 0 ||
		expect_word(p, "and", "and after the first step number") < 0 ||
		expect_number(p, &x->to, "a step number after and") < 0)
		return -1;
	opts->nexcl++;
	return expect_end(p);
}

/* breakdown first_touch | last_touch | step N */
static int
parse_breakdown(Parser *p, FunnelOptions *opts, const Token *word)
{
	Token		how;

	if (opts->breakdown != FUNNEL_BREAKDOWN_NONE)
		return fail_at(p, FOPT_TWO_BREAKDOWNS, word->start, word->len, NULL);
	if (next_token(p, &how) < 0)
		return -1;
	if (token_is(p, &how, "first_touch"))
		opts->breakdown = FUNNEL_BREAKDOWN_FIRST_TOUCH;
	else if (token_is(p, &how, "last_touch"))
		opts->breakdown = FUNNEL_BREAKDOWN_LAST_TOUCH;
	else if (token_is(p, &how, "step"))
	{
		if (expect_number(p, &opts->breakdown_step, "a step number after breakdown step") < 0)
			return -1;
		opts->breakdown = FUNNEL_BREAKDOWN_STEP;
	}
	else
		return fail_at(p, FOPT_EXPECTED, how.start, how.len,
					   "first_touch, last_touch or step N after breakdown");
	return expect_end(p);
}

int
cx_funnel_options_parse(const char *text, size_t len, char *names,
						FunnelOptions *opts, FunnelOptionsFailure *fail)
{
	Parser		p;
	size_t		i;

	memset(opts, 0, sizeof(*opts));
	memset(fail, 0, sizeof(*fail));
	p.text = text;
	p.len = len;
	p.pos = 0;
	p.names = names;
	p.names_len = 0;
	p.fail = fail;

	/* an empty or blank list means no option */
	for (i = 0; i < len && cx_is_space(text[i]); i++)
		;
	if (i == len)
		return 0;

	for (;;)
	{
		Token		word;
		int			flags;
		size_t		bad_start;
		size_t		bad_len;

		if (next_token(&p, &word) < 0)
			return -1;
		if (!word.present || word.quoted)
			return fail_at(&p, FOPT_UNKNOWN_WORD, word.start, word.len, NULL);
		if (token_is(&p, &word, "any_order"))
		{
			opts->any_order = true;
			if (expect_end(&p) < 0)
				return -1;
		}
		else if (token_is(&p, &word, "exclude"))
		{
			if (parse_exclusion(&p, opts, &word) < 0)
				return -1;
		}
		else if (token_is(&p, &word, "breakdown"))
		{
			if (parse_breakdown(&p, opts, &word) < 0)
				return -1;
		}
		else if (cx_funnel_mode_parse(text + word.start, word.len, &flags,
									  &bad_start, &bad_len) == 0)
		{
			/* allow_reentry is kept until the end: strict_order may follow */
			if (token_is(&p, &word, "allow_reentry"))
				flags = FUNNEL_ALLOW_REENTRY;
			opts->flags |= flags;
			if (expect_end(&p) < 0)
				return -1;
		}
		else
			return fail_at(&p, FOPT_UNKNOWN_WORD, word.start, word.len, NULL);
		if (p.pos >= len)
			break;
		p.pos++;				/* the comma */
	}
	/* as in the mode list: allow_reentry alone changes nothing */
	if ((opts->flags & FUNNEL_STRICT_ORDER) == 0)
		opts->flags &= ~FUNNEL_ALLOW_REENTRY;
	return 0;
}

FunnelOptionsProblem
cx_funnel_options_check(const FunnelOptions *opts, const char *names_buf, int nsteps,
						const char *const *step_names, const int *step_lens, int *which)
{
	int			x;

	*which = -1;
	if (opts->any_order && opts->flags != 0)
		return FOPT_ANY_ORDER_MODE;
	for (x = 0; x < opts->nexcl; x++)
	{
		const FunnelExclusionOpt *e = &opts->excl[x];
		int			s;

		*which = x;
		if (e->from >= e->to)
			return FOPT_STEP_ORDER;
		if (e->to > nsteps)
			return FOPT_STEP_RANGE;
		/* an excluded event that is a step of its own range could never be told apart */
		for (s = e->from; s <= e->to; s++)
		{
			if ((size_t) step_lens[s - 1] == e->name_len &&
				memcmp(step_names[s - 1], names_buf + e->name_off, e->name_len) == 0)
				return FOPT_EVENT_IS_STEP;
		}
		if (opts->any_order && (e->from != 1 || e->to != nsteps))
			return FOPT_ANY_ORDER_RANGE;
	}
	*which = -1;
	if (opts->breakdown == FUNNEL_BREAKDOWN_STEP && opts->breakdown_step > nsteps)
		return FOPT_BREAKDOWN_RANGE;
	return FOPT_FINE;
}
