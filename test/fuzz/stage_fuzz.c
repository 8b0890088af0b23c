/*
 * stage_fuzz.c
 *		libFuzzer harness for the journey_stage literal parser: any bytes
 *		either parse to a rank 1..5 whose canonical name parses back to the
 *		same rank, or are rejected; never a crash or an out-of-bounds read.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stage_parse.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* an exact-size copy, so reading past the end is caught */
	char	   *copy = malloc(size ? size : 1);
	int			rank;

	memcpy(copy, data, size);
	rank = cx_stage_parse(copy, size);
	if (rank != 0)
	{
		const char *name = cx_stage_name(rank);

		if (rank < CX_STAGE_MIN || rank > CX_STAGE_MAX || name == NULL ||
			cx_stage_parse(name, strlen(name)) != rank)
			abort();
	}
	free(copy);
	return 0;
}
