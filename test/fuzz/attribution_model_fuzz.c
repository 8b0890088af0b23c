/*
 * attribution_model_fuzz.c
 *		libFuzzer harness for the attribution model-name parser: any bytes
 *		either parse to a known model with non-negative weights below 10^12,
 *		not all zero, or are rejected with a weight number of 0 to 3; never a
 *		crash.  A parsed model's weights then split a value taken from the
 *		input over 1 to 9 touches, and the credits must sum to it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "attribution_core.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *copy = malloc(size ? size : 1);
	AttrModel	model;
	int			bad_weight = -1;
	AttrParseResult r;

	memcpy(copy, data, size);
	r = attr_model_parse(copy, size, &model, &bad_weight);
	if (r == ATTR_PARSE_OK)
	{
		const int64_t limit = 1000000000000LL;
		attr_int128 num[9];
		attr_int128 credit[9];
		AttrRemainder work[9];
		attr_int128 units = 0;
		attr_int128 sum = 0;
		uint32_t	n;
		size_t		i;

		if (model.kind > ATTR_PARTICIPATION || bad_weight != 0 ||
			model.first < 0 || model.middle < 0 || model.last < 0 ||
			model.first >= limit || model.middle >= limit || model.last >= limit ||
			model.first + model.middle + model.last == 0)
			abort();
		for (i = 0; i < size && i < 15; i++)
			units = units * 256 + data[i];
		for (n = 1; n <= 9; n++)
		{
			attr_int128 den = attr_position_weights(&model, n, num);
			uint32_t	k;

			if (den <= 0)
				abort();
			attr_split(units, num, n, den, credit, work);
			sum = 0;
			for (k = 0; k < n; k++)
			{
				if (credit[k] < 0)
					abort();
				sum += credit[k];
			}
			if (sum != units)
				abort();
		}
	}
	else if (bad_weight < 0 || bad_weight > 3)
		abort();
	free(copy);
	return 0;
}
