/*
 * attribution_core.h
 *		Backend-independent parts of attribution(): the model names, the
 *		weights of the additive models as exact integers, and the split of a
 *		conversion's value in units by the largest-remainder method.
 *
 * Every additive model is a list of non-negative integer weights num[i]
 * with den = their sum: touch i is owed units * num[i] / den.  Linear and
 * position-based weights are exact rationals (the middle share of
 * position_based is split over n - 2 touches through the common
 * denominator); time_decay's float weights are quantized to integers
 * relative to the latest touch (2^52 for it), so the split is exact for
 * them too and never depends on the platform's float rounding beyond
 * exp2().
 */
#ifndef CX_ATTRIBUTION_CORE_H
#define CX_ATTRIBUTION_CORE_H

#include <stddef.h>
#include <stdint.h>

/*
 * 128-bit integers aligned to 8 bytes only, as palloc gives (PostgreSQL's
 * int128 does the same): the compiler's 16-byte assumption would crash on
 * aligned loads.
 */
typedef __int128 attr_int128 __attribute__((aligned(8)));

typedef enum AttrModelKind
{
	ATTR_FIRST_TOUCH,
	ATTR_LAST_TOUCH,
	ATTR_LAST_NON_DIRECT,
	ATTR_LINEAR,
	ATTR_POSITION_BASED,
	ATTR_TIME_DECAY,
	ATTR_PARTICIPATION
} AttrModelKind;

/*
 * A parsed model.  For position_based, the weights of the first, middle
 * and last touches as integers at one common decimal scale (40/20/40 is
 * 2, 1, 2); not all zero.
 */
typedef struct AttrModel
{
	AttrModelKind kind;
	int64_t		first;
	int64_t		middle;
	int64_t		last;
} AttrModel;

/* The valid model names, for error hints. */
#define ATTR_MODEL_NAMES "first_touch, last_touch, last_non_direct, linear, position_based, position_based(first,middle,last), time_decay, participation"

/*
 * A custom weight has at most this many digits before the decimal point
 * and after it: the weights then stay below 10^12 at their common scale,
 * which keeps every product of the split within 128 bits.
 */
#define ATTR_WEIGHT_DIGITS 6

typedef enum AttrParseResult
{
	ATTR_PARSE_OK,
	ATTR_PARSE_UNKNOWN,			/* not a model name */
	ATTR_PARSE_WEIGHT_COUNT,	/* position_based(...) without three weights */
	ATTR_PARSE_WEIGHT_SYNTAX,	/* a weight that is not a decimal number */
	ATTR_PARSE_WEIGHT_NEGATIVE, /* a weight below zero */
	ATTR_PARSE_WEIGHT_DIGITS,	/* more than ATTR_WEIGHT_DIGITS digits */
	ATTR_PARSE_WEIGHT_ZERO		/* all three weights zero */
} AttrParseResult;

/*
 * Parse a model name of len bytes (need not be NUL-terminated): one of
 * ATTR_MODEL_NAMES, case-insensitive, blanks around the name, the
 * parentheses and each weight ignored.  Weights are plain decimals
 * (digits with an optional fraction: 60, 0.2, .5).  On failure *bad_weight
 * is the 1-based weight at fault (0 when none).
 */
extern AttrParseResult attr_model_parse(const char *text, size_t len,
										AttrModel *model, int *bad_weight);

/*
 * The weights of n touches in order under linear or position_based
 * (1 <= n <= ATTR_MAX_TOUCHES): fills num[0..n-1] and returns their sum
 * (> 0).
 */
extern attr_int128 attr_position_weights(const AttrModel *model, uint32_t n,
										 attr_int128 *num);

/*
 * The time_decay weights of n >= 1 touches: age[i] >= 0 is how much
 * earlier than the latest touch touch i is (microseconds), half_life > 0.
 * num[i] = round(2^52 * 2^(-age[i] / half_life)); returns their sum (> 0,
 * as the latest touch has age 0).
 */
extern attr_int128 attr_decay_weights(const int64_t *age, uint32_t n,
									  int64_t half_life, attr_int128 *num);

/*
 * Most touches one split takes (a path holds at most 1,000,000 steps): it
 * keeps den * num below 2^127 in attr_split.
 */
#define ATTR_MAX_TOUCHES (1 << 20)

/* Workspace entry of attr_split (one per touch). */
typedef struct AttrRemainder
{
	attr_int128 rem;
	uint32_t	index;
} AttrRemainder;

/*
 * Split units (0 <= units < 2^127) over n touches by weights num / den
 * (den = sum of num > 0, den * max(num) < 2^127, which the two weight
 * functions guarantee for n <= ATTR_MAX_TOUCHES): credit[i] is
 * floor(units * num[i] / den), plus one unit for each of the largest
 * remainders until the credits sum to units; equal remainders go to the
 * earlier touch.  work holds n entries.
 */
extern void attr_split(attr_int128 units, const attr_int128 *num, uint32_t n,
					   attr_int128 den, attr_int128 *credit, AttrRemainder *work);

#endif							/* CX_ATTRIBUTION_CORE_H */
