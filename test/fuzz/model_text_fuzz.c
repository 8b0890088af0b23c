/*
 * model_text_fuzz.c
 *		libFuzzer harness for the journey_model text parser: any bytes either
 *		parse, with every state and count inside its rules, or are rejected
 *		with an error offset inside the input; never a crash or an
 *		out-of-bounds access.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model_text.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct Seen
{
	const char *scratch;
	size_t		size;
	int			k;
} Seen;

static bool
on_header(void *arg, int k, const char *time_text, size_t time_len)
{
	Seen	   *seen = (Seen *) arg;

	if (k < 1 || k > CX_MODEL_MAX_K ||
		(time_text != NULL && (time_len == 0 || time_text < seen->scratch ||
							   time_text + time_len > seen->scratch + seen->size)))
		abort();
	seen->k = k;
	return true;
}

static void
check_state(const Seen *seen, const CxModelState *s)
{
	if (s->len > 255 ||
		(s->len > 0 && (s->label < seen->scratch || s->label + s->len > seen->scratch + seen->size)))
		abort();
}

static bool
on_entry(void *arg, const CxModelState *context, const CxModelState *next,
		 int64_t count, size_t offset)
{
	Seen	   *seen = (Seen *) arg;
	bool		label_seen = false;
	int			j;

	if (count < 1 || offset >= seen->size)
		abort();
	for (j = 0; j < seen->k; j++)
	{
		check_state(seen, &context[j]);
		/* the start only pads the front */
		if (context[j].len == 0 && label_seen)
			abort();
		label_seen |= context[j].len > 0;
	}
	check_state(seen, next);
	return true;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *text = malloc(size ? size : 1);
	char	   *scratch = malloc(size ? size : 1);
	Seen		seen = {scratch, size, 0};
	size_t		offset = 0;
	CxModelParseError err;

	memcpy(text, data, size);
	err = cx_model_parse(text, size, scratch, on_header, on_entry, &seen, &offset);
	if (err != CX_MODEL_OK && offset > size)
		abort();
	if (cx_model_error_text(err) == NULL)
		abort();
	free(text);
	free(scratch);
	return 0;
}
