/*
 * funnel_mode_fuzz.c
 *		libFuzzer harness for the funnel mode-list parser: any bytes either
 *		parse to known flags or are rejected with a bad word that lies
 *		inside the input; never a crash.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "funnel_mode.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *copy = malloc(size ? size : 1);
	int			flags = -1;
	size_t		bad_start = 0;
	size_t		bad_len = 0;

	memcpy(copy, data, size);
	if (cx_funnel_mode_parse(copy, size, &flags, &bad_start, &bad_len) == 0)
	{
		if ((flags & ~FUNNEL_ALL_MODES) != 0)
			abort();
	}
	else if (bad_start > size || bad_len > size - bad_start)
		abort();
	free(copy);
	return 0;
}
