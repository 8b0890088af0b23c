/*
 * text_util.h
 *		Small text helpers shared by the backend-independent parsers.
 */
#ifndef CX_TEXT_UTIL_H
#define CX_TEXT_UTIL_H

#include <stdbool.h>

/* The blanks every parser skips: those of C's isspace in the C locale. */
static inline bool
cx_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
		c == '\f' || c == '\v';
}

#endif							/* CX_TEXT_UTIL_H */
