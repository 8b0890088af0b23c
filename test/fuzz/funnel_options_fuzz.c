/*
 * funnel_options_fuzz.c
 *		libFuzzer harness for the funnel() options parser: any bytes either
 *		parse to known flags and exclusions whose names lie in the names
 *		buffer, or are rejected with a token inside the input; never a crash.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "funnel_options.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *copy = malloc(size ? size : 1);
	char	   *names = malloc(size ? size : 1);
	FunnelOptions opts;
	FunnelOptionsFailure fail;
	int			x;

	memcpy(copy, data, size);
	if (cx_funnel_options_parse(copy, size, names, &opts, &fail) == 0)
	{
		size_t		used = 0;

		if ((opts.flags & ~FUNNEL_ALL_MODES) != 0 || opts.nexcl > FUNNEL_MAX_EXCLUSIONS)
			abort();
		for (x = 0; x < opts.nexcl; x++)
		{
			if (opts.excl[x].name_off != used || opts.excl[x].name_len == 0 ||
				opts.excl[x].from < 1 || opts.excl[x].to < 1)
				abort();
			used += opts.excl[x].name_len;
		}
		if (used > size)
			abort();
	}
	else if (fail.start > size || fail.len > size - fail.start)
		abort();
	free(copy);
	free(names);
	return 0;
}
