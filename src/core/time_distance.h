/*
 * time_distance.h
 *		How far apart two event times are, for the funnel and sequence
 *		matchers (backend-independent).
 *
 * Times are microseconds in int64, as timestamptz stores them.  A finite
 * difference is taken unsigned, since the finite range (4714 BC to 294276
 * AD) spans more than int64 holds.  An infinite time (INT64_MIN for
 * -infinity, INT64_MAX for +infinity) is infinitely far from every other
 * time and 0 from itself, as sessions treat it: no window or time
 * condition bound reaches from a finite time to an infinite one.
 */
#ifndef CX_TIME_DISTANCE_H
#define CX_TIME_DISTANCE_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Whether later (>= earlier) lies within window (>= 0) of earlier.  Written
 * without branches, since whether a row is within reach is as good as
 * random in the loops that ask it (session_summary).
 */
static inline bool
cx_time_within(int64_t earlier, int64_t later, uint64_t window)
{
	/* when later > earlier, only earlier can be -infinity, only later +infinity */
	bool		infinitely_far = (earlier == INT64_MIN) | (later == INT64_MAX);

	return (earlier == later) |
		(!infinitely_far & ((uint64_t) later - (uint64_t) earlier <= window));
}

#endif							/* CX_TIME_DISTANCE_H */
