/*
 * sequence.h
 *		Declarations shared by the SQL-facing files of the sequence
 *		patterns (issue 16): sequence_match, sequence_count,
 *		sequence_match_events, sequence_next and sequence_previous, over
 *		raw rows (aggregates) and over stored paths.
 */
#ifndef CX_SEQUENCE_H
#define CX_SEQUENCE_H

#include "cx_journey.h"

#include "funnel_args.h"
#include "funnel_core.h"
#include "sequence_pattern.h"

/*
 * One visible event: its time and the conditions it satisfies (bit N-1),
 * the funnel's row, so that a path's steps fill both alike (path_step_rows).
 */
typedef FunnelEvent SeqRow;

/*
 * Whether rows satisfying the conditions present (bit N-1) can match: every
 * condition each match consumes (SeqPattern.required) is among them.  The
 * callers skip building, sorting and matching rows when not, since most
 * customers lack some rare step.
 */
static inline bool
seq_may_match(const SeqPattern *pattern, uint64 present)
{
	return (pattern->required & ~present) == 0;
}

/* The palloc / CHECK_FOR_INTERRUPTS hooks of the core matcher. */
extern const SeqHooks seq_backend_hooks;

/*
 * A call site's pattern (fn_extra): the text last compiled and its
 * compiled form, both in fn_mcxt; and the steps array of the event form.
 */
typedef struct SeqPatternCache
{
	MemoryContext cxt;			/* where all of this lives */
	char	   *text;			/* NULL before the first pattern */
	int			len;
	SeqPattern *pattern;
	SeqMatcher *matcher;		/* of pattern, reused group after group */
	int64	   *times;			/* the matcher's input, grown by doubling */
	uint64	   *masks;
	int64		capacity;
	StepsArg	steps;			/* event form: the steps last parsed */
	uint64		steps_hash;		/* a hash of the steps' names */
} SeqPatternCache;

/*
 * The pattern bytes (not NULL: 22023), compiled once per distinct text
 * into cache (22023 for a bad pattern, 54000 past a limit), and checked
 * against nconds conditions (22023 for a condition number past them).
 */
extern const SeqPattern *seq_pattern_get(SeqPatternCache *cache, MemoryContext cxt,
										 const char *bytes, int len, int nconds);

/* 54000 past SEQ_MAX_CONDITIONS conditions or steps. */
extern void seq_check_count(int n);

/* The pattern argument argno: 22023 when NULL; its bytes and length. */
extern void seq_pattern_arg(FunctionCallInfo fcinfo, int argno, const char **bytes,
							int *len);

/*
 * The steps argument argno of the event form, into cache->steps (parsed once
 * per distinct array; 22023 NULL / empty, 22004 NULL element, 54000 past 64)
 * and cache->steps_hash.  Returns true when parsed anew.
 */
extern bool seq_steps_arg(FunctionCallInfo fcinfo, int argno, SeqPatternCache *cache);

/* The mask of an event label against the cached steps. */
extern uint64 seq_label_mask(const SeqPatternCache *cache, const char *bytes, int len);

/* 54000 when a group would hold more than SEQ_MAX_EVENTS rows. */
extern void seq_check_rows(int64 n, const char *fname);

/* What an evaluation computes. */
typedef enum SeqWant
{
	SEQ_WANT_MATCH,				/* matched */
	SEQ_WANT_COUNT,				/* count */
	SEQ_WANT_EVENTS,			/* matched, events */
	SEQ_WANT_BOUNDS				/* matched, first_ts, last_ts */
} SeqWant;

typedef struct SeqOutcome
{
	bool		matched;
	int64		count;
	int64		nevents;
	TimestampTz *events;		/* SEQ_WANT_EVENTS: times of the (?N) events */
	TimestampTz first_ts;		/* SEQ_WANT_BOUNDS */
	TimestampTz last_ts;
} SeqOutcome;

/*
 * Evaluate the cache's pattern (seq_pattern_get first) over n visible rows
 * (any order; sorted in place into the canonical order: time, then mask),
 * with the cache's matcher and buffers.
 */
extern void seq_evaluate(SeqPatternCache *cache, SeqRow *rows, int64 n,
						 SeqWant want, SeqOutcome *out);

/* The timestamptz[] of an outcome's events. */
extern Datum seq_events_datum(const SeqOutcome *out);

#endif							/* CX_SEQUENCE_H */
