/*
 * path_json_fuzz.c
 *		libFuzzer harness for the milestone_path JSON reader: any bytes are
 *		either rejected with a message or read as steps, and then the steps
 *		written as JSON read back as the very same steps; never a crash.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "path_json.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_STEPS 512

typedef struct Steps
{
	size_t		count;
	int			timed;			/* -1 unknown, else whether steps have times */
	int			mixed;
	char	   *label[MAX_STEPS];
	size_t		label_len[MAX_STEPS];
	char	   *at[MAX_STEPS];
} Steps;

/* Keep one step; false when the harness does not keep it (too many, too long). */
static bool
collect(Steps *steps, const char *label, size_t label_len, const char *at)
{
	if (steps->count == MAX_STEPS || label_len > 255)
		return false;
	if (steps->timed < 0)
		steps->timed = (at != NULL);
	else if (steps->timed != (at != NULL))
		steps->mixed = 1;
	steps->label[steps->count] = malloc(label_len ? label_len : 1);
	memcpy(steps->label[steps->count], label, label_len);
	steps->label_len[steps->count] = label_len;
	steps->at[steps->count] = at ? strdup(at) : NULL;
	steps->count++;
	return true;
}

/*
 * Read JSON text into steps, as the backend does: open, each element, free.
 * Returns the reader's status (0, 1 with a message, 3), or 2 when the
 * harness stopped keeping steps.
 */
static int
read_steps(const char *text, size_t len, Steps *steps, char *error, size_t error_size)
{
	CxPathJson *doc;
	size_t		n;
	size_t		i;
	int			status = cx_path_json_open(text, len, &doc, &n, error, error_size);

	if ((status == 0) != (doc != NULL))
		abort();
	for (i = 0; status == 0 && i < n; i++)
	{
		const char *label;
		size_t		label_len;
		const char *at;

		status = cx_path_json_step(doc, i, &label, &label_len, &at, error, error_size);
		if (status == 0 && !collect(steps, label, label_len, at))
			status = 2;
	}
	cx_path_json_free(doc);
	return status;
}

static void
free_steps(Steps *steps)
{
	size_t		i;

	for (i = 0; i < steps->count; i++)
	{
		free(steps->label[i]);
		free(steps->at[i]);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* the reader wants the text followed by a NUL */
	char	   *copy = malloc(size + 1);
	Steps	   *first = calloc(1, sizeof(Steps));
	Steps	   *second = calloc(1, sizeof(Steps));
	char		error[256];
	int			status;

	memcpy(copy, data, size);
	copy[size] = '\0';
	first->timed = second->timed = -1;
	error[0] = '\0';
	status = read_steps(copy, size, first, error, sizeof(error));
	if (status < 0 || status > 3 || (status == 1 && error[0] == '\0'))
		abort();
	if (status == 0 && !first->mixed)
	{
		const char *labels[MAX_STEPS];
		uint8_t		lengths[MAX_STEPS];
		size_t		i;
		char	   *json;

		for (i = 0; i < first->count; i++)
		{
			labels[i] = first->label[i];
			lengths[i] = (uint8_t) first->label_len[i];
		}
		json = cx_path_json_build(first->count, labels, lengths,
								  first->timed == 1 ? (const char *const *) first->at : NULL);
		if (json == NULL)
			abort();
		if (read_steps(json, strlen(json), second, error, sizeof(error)) != 0 ||
			second->count != first->count)
			abort();
		for (i = 0; i < first->count; i++)
		{
			if (second->label_len[i] != first->label_len[i] ||
				memcmp(second->label[i], first->label[i], first->label_len[i]) != 0 ||
				(first->at[i] == NULL) != (second->at[i] == NULL) ||
				(first->at[i] && strcmp(first->at[i], second->at[i]) != 0))
				abort();
		}
		free(json);
	}
	free_steps(first);
	free_steps(second);
	free(first);
	free(second);
	free(copy);
	return 0;
}
