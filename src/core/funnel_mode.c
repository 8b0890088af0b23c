/*
 * funnel_mode.c
 *		Backend-independent parsing of window_funnel mode lists.
 */
#include "funnel_mode.h"
#include "text_util.h"

#include <string.h>

typedef struct FunnelModeWord
{
	const char *word;
	int			flag;
} FunnelModeWord;

static const FunnelModeWord mode_words[] = {
	{"strict_order", FUNNEL_STRICT_ORDER},
	{"strict_deduplication", FUNNEL_STRICT_DEDUPLICATION},
	{"strict_increase", FUNNEL_STRICT_INCREASE},
	{"first_entry", FUNNEL_FIRST_ENTRY},
	/* each row fills at most one step in every mode: nothing to set */
	{"strict_once", 0},
	{"allow_reentry", FUNNEL_ALLOW_REENTRY},
};

int
cx_funnel_mode_parse(const char *text, size_t len, int *flags,
					 size_t *bad_start, size_t *bad_len)
{
	size_t		pos = 0;
	size_t		i;
	int			result = 0;

	*flags = 0;
	*bad_start = 0;
	*bad_len = 0;

	/* an empty or blank list means no mode */
	for (i = 0; i < len && cx_is_space(text[i]); i++)
		;
	if (i == len)
		return 0;

	for (;;)
	{
		size_t		start = pos;
		size_t		end;
		size_t		w;
		int			found = 0;

		while (pos < len && text[pos] != ',')
			pos++;
		end = pos;
		while (start < end && cx_is_space(text[start]))
			start++;
		while (end > start && cx_is_space(text[end - 1]))
			end--;
		for (w = 0; w < sizeof(mode_words) / sizeof(mode_words[0]); w++)
		{
			if (cx_word_equals(text + start, end - start, mode_words[w].word))
			{
				result |= mode_words[w].flag;
				found = 1;
				break;
			}
		}
		if (!found)
		{
			*bad_start = start;
			*bad_len = end - start;
			return -1;
		}
		if (pos >= len)
			break;
		pos++;					/* skip the comma */
	}
	/* allow_reentry only relaxes strict_order; alone it changes nothing */
	if ((result & FUNNEL_STRICT_ORDER) == 0)
		result &= ~FUNNEL_ALLOW_REENTRY;
	*flags = result;
	return 0;
}
