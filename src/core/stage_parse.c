/*
 * stage_parse.c
 *		Backend-independent parsing of journey_stage literals.
 *
 * A literal is matched case-insensitively after trimming surrounding white
 * space; white space next to a '/' is ignored too, so "Selling / Buying"
 * reads like "selling/buying".  Every other character must match one of the
 * spellings below exactly.
 */
#include "stage_parse.h"
#include "text_util.h"

#include <string.h>

static const char *const wooing_aliases[] = {"wooing", NULL};
static const char *const selling_aliases[] = {
	"selling", "selling/buying", "buying", NULL
};
static const char *const honeymoon_aliases[] = {
	"honeymoon", "honeymoon/forming/storming", "forming", "storming", NULL
};
static const char *const bonding_aliases[] = {
	"bonding", "bonding/co-creation", "bonding/cocreation",
	"co-creation", "cocreation", NULL
};
static const char *const leadership_aliases[] = {"leadership", NULL};

/* Indexed by rank; slot 0 is unused. */
static const char *const *const stage_aliases[CX_STAGE_COUNT + 1] = {
	NULL,
	wooing_aliases,
	selling_aliases,
	honeymoon_aliases,
	bonding_aliases,
	leadership_aliases
};

static char
to_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char) (c - 'A' + 'a') : c;
}

int
cx_stage_parse(const char *text, size_t len)
{
	char		norm[CX_STAGE_MAX_LITERAL + 1];
	size_t		start = 0;
	size_t		end = len;
	size_t		n = 0;
	size_t		i;
	int			rank;

	if (text == NULL)
		return 0;
	while (start < end && cx_is_space(text[start]))
		start++;
	while (end > start && cx_is_space(text[end - 1]))
		end--;
	if (end == start || end - start > CX_STAGE_MAX_LITERAL)
		return 0;

	for (i = start; i < end; i++)
	{
		char		c = text[i];

		if (c == '\0')
			return 0;
		if (cx_is_space(c))
		{
			/* keep inner blanks only when they are not next to a slash */
			size_t		j = i;

			while (j < end && cx_is_space(text[j]))
				j++;
			if ((n > 0 && norm[n - 1] == '/') || (j < end && text[j] == '/'))
			{
				i = j - 1;
				continue;
			}
		}
		norm[n++] = to_lower(c);
	}
	norm[n] = '\0';

	for (rank = CX_STAGE_MIN; rank <= CX_STAGE_MAX; rank++)
	{
		const char *const *alias;

		for (alias = stage_aliases[rank]; *alias != NULL; alias++)
		{
			if (strcmp(norm, *alias) == 0)
				return rank;
		}
	}
	return 0;
}

const char *
cx_stage_name(int rank)
{
	if (rank < CX_STAGE_MIN || rank > CX_STAGE_MAX)
		return NULL;
	return stage_aliases[rank][0];
}

const char *const *
cx_stage_aliases(int rank)
{
	if (rank < CX_STAGE_MIN || rank > CX_STAGE_MAX)
		return NULL;
	return stage_aliases[rank];
}

const char *
cx_stage_hint(void)
{
	return "Valid stages, in lifecycle order: wooing; selling (selling/buying, buying); "
		"honeymoon (honeymoon/forming/storming, forming, storming); "
		"bonding (bonding/co-creation, bonding/cocreation, co-creation, cocreation); leadership.";
}
