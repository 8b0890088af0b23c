/*
 * sequence_eval.c
 *		Evaluate a compiled sequence pattern over a group's visible rows:
 *		the canonical order, then the core matcher (sequence_match.c).
 */
#include "sequence.h"

#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/timestamp.h"

/* The canonical order: time, then the conditions' mask. */
static inline int
seq_row_cmp(const void *a, const void *b)
{
	const SeqRow *x = a;
	const SeqRow *y = b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	if (x->mask != y->mask)
		return x->mask < y->mask ? -1 : 1;
	return 0;
}

/* The same for qsort_interruptible (a sort of millions of rows can be cancelled). */
static int
seq_row_cmp_arg(const void *a, const void *b, void *arg)
{
	(void) arg;
	return seq_row_cmp(a, b);
}

/* Buffers past this many bytes are freed after each group, not kept. */
#define SEQ_KEEP_BYTES		((Size) 4 * 1024 * 1024)

void
seq_evaluate(SeqPatternCache *cache, SeqRow *rows, int64 n, SeqWant want,
			 SeqOutcome *out)
{
	const SeqPattern *pattern = cache->pattern;
	MemoryContext caller = CurrentMemoryContext;
	MemoryContext old;
	int64		i;
	int64		size = 1;
	SeqMatcher *m = NULL;
	SeqMatch	match;
	int64	   *consumed = NULL;
	int64		nconsumed = 0;

	/* whether a chain matches needs no matcher: one pass of its own */
	bool		chain_only = (want == SEQ_WANT_MATCH && pattern->chain_length > 0);

	memset(out, 0, sizeof(*out));
	if (n == 0)
		return;
	/* rows already in order (a sorted plan) cost one pass: the sort checks for it */
	qsort_interruptible(rows, n, sizeof(SeqRow), seq_row_cmp_arg, NULL);
	while (size < n)
		size <<= 1;
	if (!chain_only && size * 8 * pattern->nconsume > (int64) SEQ_MAX_MATCH_BYTES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("a sequence pattern with %d atoms cannot be matched over %lld events",
						pattern->nconsume, (long long) n),
				 errdetail("Matching takes 8 bytes per event and atom (events rounded up to a power of two), at most 1 GB."),
				 errhint("Split the group, or use a pattern with fewer atoms.")));
	if (want == SEQ_WANT_EVENTS)
		consumed = palloc_extended(sizeof(int64) * n, MCXT_ALLOC_HUGE);

	/* the matcher and its input live in the call site's context, reused */
	old = MemoryContextSwitchTo(cache->cxt);
	if (cache->capacity < n)
	{
		int64		cap = cx_grow_capacity(cache->capacity, n, 64, SEQ_MAX_EVENTS);

		if (cache->times != NULL)
		{
			pfree(cache->times);
			pfree(cache->masks);
		}
		cache->times = NULL;
		cache->masks = NULL;
		cache->capacity = 0;
		cache->times = palloc_extended(sizeof(int64) * cap, MCXT_ALLOC_HUGE);
		cache->masks = palloc_extended(sizeof(uint64) * cap, MCXT_ALLOC_HUGE);
		cache->capacity = cap;
	}
	for (i = 0; i < n; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		cache->times[i] = rows[i].ts;
		cache->masks[i] = rows[i].mask;
	}
	if (!chain_only)
	{
		if (cache->matcher == NULL)
			cache->matcher = seq_matcher_create(pattern, &seq_backend_hooks);
		m = cache->matcher;
		seq_matcher_load(m, cache->times, cache->masks, n);
	}
	switch (want)
	{
		case SEQ_WANT_MATCH:
			if (chain_only)
				out->matched = seq_chain_matches(pattern, cache->times, cache->masks, n,
												 &seq_backend_hooks);
			else
				out->matched = seq_find(m, 0, &match, NULL, NULL);
			break;
		case SEQ_WANT_COUNT:
			out->count = seq_count(m);
			out->matched = out->count > 0;
			break;
		case SEQ_WANT_EVENTS:
			out->matched = seq_find(m, 0, &match, consumed, &nconsumed);
			if (seq_matcher_over_limit(m))
			{
				/* the walk's history counts in the same 1 GB as the trees */
				seq_matcher_trim(m);
				MemoryContextSwitchTo(old);
				ereport(ERROR,
						(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
						 errmsg("the events of a sequence pattern with %d atoms cannot be traced over %lld events",
								pattern->nconsume, (long long) n),
						 errdetail("Tracing the chosen match takes 8 bytes per event consumed and pattern state alive, and with the matching at most 1 GB."),
						 errhint("Split the group, use a pattern with fewer atoms, or use sequence_match or sequence_count, which keep no trace.")));
			}
			break;
		case SEQ_WANT_BOUNDS:
			out->matched = seq_find(m, 0, &match, NULL, NULL);
			if (out->matched)
			{
				out->first_ts = cache->times[match.first];
				out->last_ts = cache->times[match.last];
			}
			break;
	}
	MemoryContextSwitchTo(old);

	if (want == SEQ_WANT_EVENTS && out->matched)
	{
		out->nevents = nconsumed;
		out->events = MemoryContextAllocExtended(caller, sizeof(TimestampTz) * Max(nconsumed, 1),
												 MCXT_ALLOC_HUGE);
		for (i = 0; i < nconsumed; i++)
		{
			if ((i & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
			out->events[i] = cache->times[consumed[i]];
		}
	}
	if (consumed != NULL)
		pfree(consumed);

	/* a huge group's buffers are not kept for the next one */
	if (m != NULL && seq_matcher_bytes(m) > SEQ_KEEP_BYTES)
		seq_matcher_trim(m);
	if ((Size) cache->capacity * 16 > SEQ_KEEP_BYTES)
	{
		pfree(cache->times);
		pfree(cache->masks);
		cache->times = NULL;
		cache->masks = NULL;
		cache->capacity = 0;
	}
}

Datum
seq_events_datum(const SeqOutcome *out)
{
	return cx_timestamptz_array(out->events, out->nevents);
}
