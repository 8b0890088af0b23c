/*
 * sequence_pattern.h
 *		Backend-independent sequence patterns: the parser, the compiled
 *		automaton and the exact matcher behind sequence_match,
 *		sequence_count, sequence_match_events and sequence_next.
 *
 * A pattern (doc/sequences.md) is compiled to a Thompson NFA whose
 * consuming states test one event ((?N): the event's mask has bit N-1;
 * '.': any event) and whose epsilon moves may skip events ('.*') or carry a
 * time condition (which also lets events lie between).  For each state
 * reached just after consuming an event, the compiler precomputes its
 * closure: the consuming states reachable without consuming, each with
 * "adjacent or not" and the time constraint on (next time - last time), in
 * priority order (alternatives as written, quantifiers greedy).
 *
 * Events are given in canonical order (time, then mask ascending).  The
 * matcher runs one backward pass computing, per consuming state and event,
 * the smallest index at which an accepting continuation can end (range
 * minima over segment trees, O(n * closure * log n)), then forward walks
 * that pick the lexicographically earliest consumed events of the
 * earliest-starting match.  No backtracking, no iteration cap.
 *
 * Nothing here depends on the PostgreSQL backend (unit-tested in
 * test/unit/sequence_check.c, fuzzed in test/fuzz/sequence_pattern_fuzz.c).
 */
#ifndef CX_SEQUENCE_PATTERN_H
#define CX_SEQUENCE_PATTERN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Condition numbers run from 1 to this. */
#define SEQ_MAX_CONDITIONS	64
/* Most NFA states and closure entries of one compiled pattern (54000). */
#define SEQ_MAX_STATES		4096
#define SEQ_MAX_ENTRIES		8192
/* Most time conditions in one pattern (54000). */
#define SEQ_MAX_GATES		64
/* Most bytes of a pattern (54000). */
#define SEQ_MAX_PATTERN		10000
/* Most visible events one group may hold (54000). */
#define SEQ_MAX_EVENTS		(16 * 1024 * 1024)
/* Most bytes a matcher's trees and walk history may take (default limit). */
#define SEQ_MAX_MATCH_BYTES	((size_t) 1024 * 1024 * 1024)
/* Largest repetition count of {n,m}. */
#define SEQ_MAX_REPEAT		1000
/* Most atoms of a pattern sequence_match answers by one pass (SeqPattern.chain_length). */
#define SEQ_CHAIN_MAX		16

/* Memory and interrupt hooks: palloc / CHECK_FOR_INTERRUPTS in the backend. */
typedef struct SeqHooks
{
	void	   *(*alloc) (size_t size);
	void		(*release) (void *ptr);
	void		(*check_interrupts) (void);
} SeqHooks;

/* What went wrong while compiling a pattern. */
typedef enum SeqError
{
	SEQ_OK = 0,
	SEQ_SYNTAX,					/* malformed: position and what was expected */
	SEQ_EMPTY_MATCH,			/* the pattern can match no event at all */
	SEQ_LEADING_GATE,			/* a time condition before any event */
	SEQ_TRAILING_GATE,			/* a time condition with no event after it */
	SEQ_TOO_LARGE				/* past SEQ_MAX_* (54000) */
} SeqError;

typedef struct SeqErrorInfo
{
	SeqError	code;
	int			position;		/* 1-based character position, or 0 */
	char		message[160];	/* what was expected / what is wrong */
	char		hint[160];		/* how to fix it (SEQ_TOO_LARGE), or "" */
} SeqErrorInfo;

/* A closure entry: a consuming state reachable without consuming. */
typedef struct SeqEntry
{
	int			target;			/* consuming state number (0 .. nconsume-1) */
	bool		skip;			/* other events may lie between */
	int64_t		lo;				/* constraint on next time - last time, usec */
	int64_t		hi;
	int			nexcl;			/* values excluded by != (sorted) */
	int			excl;			/* first of them in SeqPattern.excluded */
} SeqEntry;

/* A consuming state: what it tests and the closure after it. */
typedef struct SeqConsume
{
	int			cond;			/* 1..64, or 0 for '.' (any event) */
	bool		accepts;		/* the closure after it reaches the end */
	int			first_entry;	/* its closure entries */
	int			nentries;
} SeqConsume;

/* A compiled pattern, one allocation (free it with hooks->release). */
typedef struct SeqPattern
{
	int			nconsume;
	int			max_cond;		/* largest N of a (?N) in the pattern */
	bool		has_window;
	/*
	 * The conditions every match consumes an event of (bit N-1 for (?N)):
	 * events without one of them cannot match, whatever their times.
	 */
	uint64_t	required;

	/*
	 * A chain, (?N1) .* (?N2) .* ... with between two atoms at most an upper
	 * bound on their times ((?t<D), (?t<=D)) and no window: chain_length
	 * atoms (else 0), chain_cond[j] the bit of atom j's condition and
	 * chain_within[j] the most microseconds from atom j-1's event to atom
	 * j's (INT64_MAX: no bound).  Whether such a pattern matches is found by
	 * one pass over the events (seq_chain_matches).
	 */
	int			chain_length;
	uint64_t	chain_cond[SEQ_CHAIN_MAX];
	int64_t		chain_within[SEQ_CHAIN_MAX];
	int64_t		window;			/* (?w<=D): usec, inclusive */
	int			start_first;	/* the start closure's entries */
	int			start_count;
	int			nentries;
	int			nexcluded;
	SeqConsume *consume;
	SeqEntry   *entries;
	int64_t    *excluded;
} SeqPattern;

/*
 * Compile len bytes of pattern text.  Returns NULL and fills *err on a bad
 * pattern (never crashes or leaks on any input).
 */
extern SeqPattern *seq_compile(const char *text, size_t len,
							   const SeqHooks *hooks, SeqErrorInfo *err);

/* A match: indexes of its first and last consumed events. */
typedef struct SeqMatch
{
	int64_t		first;
	int64_t		last;
} SeqMatch;

/*
 * The matcher over n events (times ascending; ties in mask order): the
 * backward pass runs once in seq_matcher_new, then any number of searches.
 * Transient memory: about 8 * nconsume * (2 * n rounded up to a power of
 * two) bytes, plus 8 * n, plus for a traced search (seq_find with consumed)
 * 8 bytes per walked event and live state (seq_matcher_set_limit).
 */
typedef struct SeqMatcher SeqMatcher;

extern SeqMatcher *seq_matcher_new(const SeqPattern *pattern,
								   const int64_t *times, const uint64_t *masks,
								   int64_t n, const SeqHooks *hooks);
extern void seq_matcher_free(SeqMatcher *m);

/*
 * The same in two steps, so that one matcher serves many groups: create it
 * once per pattern, then load each group's events (the backward pass; its
 * buffers grow as needed and are kept).  seq_matcher_bytes is what the kept
 * buffers take; seq_matcher_trim frees them (the matcher stays usable).
 */
extern SeqMatcher *seq_matcher_create(const SeqPattern *pattern, const SeqHooks *hooks);
extern void seq_matcher_load(SeqMatcher *m, const int64_t *times, const uint64_t *masks,
							 int64_t n);
extern size_t seq_matcher_bytes(const SeqMatcher *m);
extern void seq_matcher_trim(SeqMatcher *m);

/*
 * The most bytes the kept buffers (trees and the history of
 * seq_find with consumed) may take; SEQ_MAX_MATCH_BYTES by default, 0 for
 * no limit.  The history takes 8 bytes per live NFA state per event the
 * walk consumes, in 512 kB blocks.  A search that would pass the limit
 * returns false and seq_matcher_over_limit then returns true (the caller
 * raises the error).
 */
extern void seq_matcher_set_limit(SeqMatcher *m, size_t bytes);
extern bool seq_matcher_over_limit(const SeqMatcher *m);

/*
 * The chosen match among the events from index from on (earliest start,
 * then lexicographically earliest consumed events, the shortest).  Returns
 * false when none.  With consumed (room for the match's length, at most
 * n - from), writes the indexes of the events consumed by (?N) atoms (not
 * by '.') in order, and their number in *nconsumed.
 */
extern bool seq_find(SeqMatcher *m, int64_t from, SeqMatch *match,
					 int64_t *consumed, int64_t *nconsumed);

/* Number of non-overlapping matches (each search after the last's end). */
extern int64_t seq_count(SeqMatcher *m);

/*
 * Whether a chain pattern (chain_length > 0) matches the n events (times
 * ascending; ties in mask order): what seq_find from 0 answers, in one pass
 * and without a matcher.
 */
extern bool seq_chain_matches(const SeqPattern *pattern, const int64_t *times,
							  const uint64_t *masks, int64_t n, const SeqHooks *hooks);

#endif							/* CX_SEQUENCE_PATTERN_H */
