/*
 * stage_parse.h
 *		Backend-independent parsing of journey_stage literals.
 *
 * Nothing here depends on the PostgreSQL backend, so the parser can be
 * unit-tested and fuzzed on its own (see test/fuzz/).
 */
#ifndef CX_STAGE_PARSE_H
#define CX_STAGE_PARSE_H

#include <stddef.h>

/* Lifecycle ranks: the on-disk byte of a journey_stage. */
#define CX_STAGE_WOOING		1
#define CX_STAGE_SELLING	2
#define CX_STAGE_HONEYMOON	3
#define CX_STAGE_BONDING	4
#define CX_STAGE_LEADERSHIP	5
#define CX_STAGE_MIN		CX_STAGE_WOOING
#define CX_STAGE_MAX		CX_STAGE_LEADERSHIP
#define CX_STAGE_COUNT		5

/* Longest accepted spelling, after trimming; anything longer is invalid. */
#define CX_STAGE_MAX_LITERAL 64

/*
 * Parse a stage literal of len bytes (need not be NUL-terminated).
 * Returns the rank 1..5, or 0 when the text names no stage.
 */
extern int	cx_stage_parse(const char *text, size_t len);

/* Canonical lowercase name of a rank 1..5, or NULL for any other value. */
extern const char *cx_stage_name(int rank);

/*
 * The accepted spellings of a rank, NULL-terminated, in lowercase.  The
 * canonical name comes first.  NULL for an invalid rank.
 */
extern const char *const *cx_stage_aliases(int rank);

/* The hint listing every valid stage, for error reports. */
extern const char *cx_stage_hint(void);

#endif							/* CX_STAGE_PARSE_H */
