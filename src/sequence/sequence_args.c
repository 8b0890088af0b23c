/*
 * sequence_args.c
 *		The pattern and steps arguments of the sequence functions: checked,
 *		compiled once per distinct value per call site, and their errors.
 */
#include "sequence.h"

#include "common/hashfn.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/memutils.h"

static void *
seq_alloc(size_t size)
{
	return MemoryContextAllocHuge(CurrentMemoryContext, size);
}

static void
seq_check_interrupts(void)
{
	CHECK_FOR_INTERRUPTS();
}

const SeqHooks seq_backend_hooks = {seq_alloc, pfree, seq_check_interrupts};

/* Raise the error of a pattern that does not compile. */
static void
seq_pattern_error(const char *bytes, int len, const SeqErrorInfo *err)
{
	char	   *quoted = cx_quote_literal(bytes, len);

	switch (err->code)
	{
		case SEQ_SYNTAX:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid sequence pattern \"%s\"", quoted),
					 errdetail("At character %d: %s.", err->position, err->message),
					 errhint("A pattern is made of (?N), '.', '.*', time conditions such as (?t<=3600), groups, | and the quantifiers * + ? {n,m}.")));
			break;
		case SEQ_EMPTY_MATCH:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("sequence pattern \"%s\" can match zero events", quoted),
					 errdetail("Every match must consume at least one event; patterns such as (?1)*, .* or (?2)? can consume none."),
					 errhint("Use + instead of *, or add an event every match must consume.")));
			break;
		case SEQ_LEADING_GATE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("sequence pattern \"%s\" has a time condition before any event", quoted),
					 errdetail("A time condition measures from the last event consumed before it."),
					 errhint("Put an event first, for example (?1)(?t<=3600)(?2); a window over the whole match is (?w<=D) at the start.")));
			break;
		case SEQ_TRAILING_GATE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("sequence pattern \"%s\" has a time condition after the last event", quoted),
					 errdetail("A time condition measures to the next event consumed after it, and a match can end right after this one."),
					 errhint("Put an event after the time condition, or remove it.")));
			break;
		default:
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("sequence pattern \"%s\" is too large", quoted),
					 errdetail("%c%s%s.", pg_toupper((unsigned char) err->message[0]), err->message + 1,
							   err->position > 0 ? psprintf(" (at character %d)", err->position) : ""),
					 errhint("%s", err->hint[0] ? err->hint : "Write a smaller pattern.")));
	}
}

const SeqPattern *
seq_pattern_get(SeqPatternCache *cache, MemoryContext cxt, const char *bytes,
				int len, int nconds)
{
	if (cache->text == NULL || len != cache->len || memcmp(cache->text, bytes, len) != 0)
	{
		SeqErrorInfo err;
		SeqPattern *pattern;
		MemoryContext old;

		old = MemoryContextSwitchTo(cxt);
		pattern = seq_compile(bytes, len, &seq_backend_hooks, &err);
		MemoryContextSwitchTo(old);
		if (pattern == NULL)
			seq_pattern_error(bytes, len, &err);
		if (cache->text != NULL)
		{
			if (cache->matcher != NULL)
				seq_matcher_free(cache->matcher);
			cache->matcher = NULL;
			pfree(cache->text);
			pfree(cache->pattern);
		}
		cache->cxt = cxt;
		cache->text = MemoryContextAlloc(cxt, len + 1);
		memcpy(cache->text, bytes, len);
		cache->len = len;
		cache->pattern = pattern;
	}
	if (cache->pattern->max_cond > nconds)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sequence pattern \"%s\" uses condition (?%d), but only %d %s given",
						cx_quote_literal(bytes, len), cache->pattern->max_cond, nconds,
						nconds == 1 ? "condition is" : "conditions are"),
				 errhint("(?N) refers to the N-th condition (or the N-th element of the steps array).")));
	return cache->pattern;
}

void
seq_pattern_arg(FunctionCallInfo fcinfo, int argno, const char **bytes, int *len)
{
	cx_text_arg(fcinfo, argno, "sequence pattern",
				"Give a pattern such as '(?1).*(?t<=3600)(?2)'.", bytes, len);
}

void
seq_check_count(int n)
{
	if (n > SEQ_MAX_CONDITIONS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("a sequence pattern takes at most %d conditions, this call has %d",
						SEQ_MAX_CONDITIONS, n),
				 errhint("Combine conditions into one (a condition may be any boolean expression), or ask several patterns.")));
}

static const CxNamesRules seq_steps_rules = {
	.noun = "sequence steps",.element = "sequence step",
	.empty_msg = NULL,
	.hint = "Give the event each (?N) stands for, for example ARRAY['visit', 'cart', 'purchase'].",
	.null_hint = "Give the event of every step.",
	.null_sqlstate = ERRCODE_NULL_VALUE_NOT_ALLOWED,
	.check_count = seq_check_count,
};

bool
seq_steps_arg(FunctionCallInfo fcinfo, int argno, SeqPatternCache *cache)
{
	StepsArg   *steps = &cache->steps;
	uint64		hash = 0;
	int			i;

	if (!funnel_steps_arg(fcinfo, argno, &seq_steps_rules, steps))
		return false;
	for (i = 0; i < steps->count; i++)
	{
		hash = hash_bytes_uint32_extended((uint32) steps->len[i], hash);
		hash = hash_bytes_extended((const unsigned char *) steps->name[i],
								   steps->len[i], hash);
	}
	cache->steps_hash = hash;
	return true;
}

uint64
seq_label_mask(const SeqPatternCache *cache, const char *bytes, int len)
{
	const StepsArg *steps = &cache->steps;

	return cx_names_mask(steps->len, steps->name, steps->count, bytes, len);
}

void
seq_check_rows(int64 n, const char *fname)
{
	if (n > SEQ_MAX_EVENTS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s keeps at most %d rows per group", fname, SEQ_MAX_EVENTS),
				 errhint("Split the group, for example by month, or filter out rows no condition can match.")));
}
