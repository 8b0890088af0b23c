/*
 * path_text_fuzz.c
 *		libFuzzer harness for the milestone_path literal parser: any bytes
 *		either parse, and then the steps written back with the label writer
 *		parse to the very same steps, or are rejected with an error offset
 *		inside the input; never a crash or an out-of-bounds access.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "path_parse.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_STEPS 512

typedef struct Steps
{
	size_t		input_len;
	size_t		count;
	char	   *label[MAX_STEPS];
	size_t		label_len[MAX_STEPS];
	char	   *time[MAX_STEPS];
	size_t		time_len[MAX_STEPS];
} Steps;

static char *
copy_bytes(const char *bytes, size_t len)
{
	char	   *copy = malloc(len ? len : 1);

	memcpy(copy, bytes, len);
	return copy;
}

static bool
collect(void *arg, const char *label, size_t label_len, size_t label_offset,
		const char *time_text, size_t time_len, size_t time_offset)
{
	Steps	   *steps = (Steps *) arg;

	if (label_len < 1 || label_len > CX_PATH_LABEL_MAX ||
		label_offset >= steps->input_len ||
		(time_text != NULL && (time_len == 0 || time_offset + time_len > steps->input_len)))
		abort();
	if (steps->count == MAX_STEPS)
		return false;
	steps->label[steps->count] = copy_bytes(label, label_len);
	steps->label_len[steps->count] = label_len;
	steps->time[steps->count] = time_text ? copy_bytes(time_text, time_len) : NULL;
	steps->time_len[steps->count] = time_len;
	steps->count++;
	return true;
}

static void
free_steps(Steps *steps)
{
	size_t		i;

	for (i = 0; i < steps->count; i++)
	{
		free(steps->label[i]);
		free(steps->time[i]);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *copy = copy_bytes((const char *) data, size);
	char	   *scratch = malloc(size ? size : 1);
	Steps	   *first = calloc(1, sizeof(Steps));
	Steps	   *second = calloc(1, sizeof(Steps));
	size_t		offset;
	CxPathParseError error;

	first->input_len = size;
	error = cx_path_parse(copy, size, scratch, collect, first, &offset);
	if (error != CX_PATH_OK && error != CX_PATH_STOPPED && offset > size)
		abort();
	if (cx_path_error_text(error) == NULL)
		abort();
	if (error == CX_PATH_OK)
	{
		/* write the steps back: label[@time] joined by " -> " */
		size_t		room = 1;
		size_t		len = 0;
		char	   *text;
		char	   *scratch2;
		size_t		i;

		for (i = 0; i < first->count; i++)
			room += 2 * first->label_len[i] + 2 + first->time_len[i] + 6;
		text = malloc(room);
		for (i = 0; i < first->count; i++)
		{
			if (i > 0)
			{
				memcpy(text + len, " -> ", 4);
				len += 4;
			}
			len += cx_path_write_label(text + len, first->label[i], first->label_len[i]);
			if (first->time[i])
			{
				text[len++] = '@';
				memcpy(text + len, first->time[i], first->time_len[i]);
				len += first->time_len[i];
			}
		}
		scratch2 = malloc(len ? len : 1);
		second->input_len = len;
		if (cx_path_parse(text, len, scratch2, collect, second, &offset) != CX_PATH_OK ||
			second->count != first->count)
			abort();
		for (i = 0; i < first->count; i++)
		{
			if (second->label_len[i] != first->label_len[i] ||
				memcmp(second->label[i], first->label[i], first->label_len[i]) != 0 ||
				(first->time[i] == NULL) != (second->time[i] == NULL) ||
				second->time_len[i] != first->time_len[i] ||
				(first->time[i] && memcmp(first->time[i], second->time[i], first->time_len[i]) != 0))
				abort();
		}
		free(text);
		free(scratch2);
	}
	free_steps(first);
	free_steps(second);
	free(first);
	free(second);
	free(scratch);
	free(copy);
	return 0;
}
