/*
 * stage_check.c
 *		Checks the journey_stage spellings (src/core/stage_parse.c): every
 *		spelling parses to its stage, in any case and with blanks around
 *		the text and its slashes; the error hint names every spelling in its
 *		stage's entry, so that it cannot fall behind the table; a few
 *		near-misses parse to no stage.
 *
 * Usage: stage_check.  Prints "N passed, N failed".
 */
#include "stage_parse.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static int	passed;
static int	failed;

static void
expect(int ok, const char *what, const char *text)
{
	if (ok)
		passed++;
	else
	{
		failed++;
		printf("FAILED: %s: \"%s\"\n", what, text);
	}
}

/* The text in upper case, with blanks before and after it and each slash. */
static void
respell(const char *alias, char *out)
{
	size_t		n = 0;

	out[n++] = ' ';
	for (; *alias != '\0'; alias++)
	{
		if (*alias == '/')
		{
			memcpy(out + n, " \t/ ", 4);
			n += 4;
		}
		else
			out[n++] = (char) toupper((unsigned char) *alias);
	}
	out[n++] = '\n';
	out[n] = '\0';
}

/*
 * The hint's entry of a stage: from its name up to the next ';' (or the
 * final '.').
 */
static void
hint_entry(const char *hint, const char *name, char *out, size_t size)
{
	const char *start = strstr(hint, name);
	size_t		len;

	out[0] = '\0';
	if (start == NULL)
		return;
	len = strcspn(start, ";.");
	if (len >= size)
		len = size - 1;
	memcpy(out, start, len);
	out[len] = '\0';
}

/* Is word in entry, as a whole item (bounded by '(', ',', ')', ' ' or the ends)? */
static int
entry_names(const char *entry, const char *word)
{
	size_t		len = strlen(word);
	const char *p;

	for (p = strstr(entry, word); p != NULL; p = strstr(p + 1, word))
	{
		int			left = p == entry || strchr("(, ", p[-1]) != NULL;
		int			right = p[len] == '\0' || strchr("), ", p[len]) != NULL;

		if (left && right)
			return 1;
	}
	return 0;
}

int
main(void)
{
	const char *hint = cx_stage_hint();
	static const char *const misses[] = {
		"", "   ", "bond", "bondings", "selling/", "/buying", "co creation",
		"bonding/co-creation/", "wooing leadership", "honeymoon/forming", NULL
	};
	int			rank;
	const char *const *miss;

	for (rank = CX_STAGE_MIN; rank <= CX_STAGE_MAX; rank++)
	{
		const char *const *alias;
		char		entry[256];
		char		respelled[256];

		hint_entry(hint, cx_stage_name(rank), entry, sizeof(entry));
		for (alias = cx_stage_aliases(rank); *alias != NULL; alias++)
		{
			expect(cx_stage_parse(*alias, strlen(*alias)) == rank, "parses to its stage", *alias);
			respell(*alias, respelled);
			expect(cx_stage_parse(respelled, strlen(respelled)) == rank,
				   "parses to its stage in upper case, with blanks", respelled);
			expect(entry_names(entry, *alias), "named in its stage's hint entry", *alias);
		}
	}
	for (miss = misses; *miss != NULL; miss++)
		expect(cx_stage_parse(*miss, strlen(*miss)) == 0, "parses to no stage", *miss);
	printf("%d passed, %d failed\n", passed, failed);
	return failed == 0 ? 0 : 1;
}
