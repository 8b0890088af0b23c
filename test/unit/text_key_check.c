/*
 * text_key_check.c
 *		Checks cx_text_key (src/core/text_util.h), the key path_label_masks
 *		matches labels by: for texts of one length up to 16 bytes, equal keys
 *		exactly when the bytes are equal; past 16 bytes, equal keys exactly
 *		when the first 16 are (it reads 4 bytes or more as four overlapping
 *		4-byte words).  Pairs of every length from 0 to 40 over a
 *		three-letter alphabet (so that near-equal texts are common), the
 *		second often the first with one byte changed.  Each text is placed
 *		against a page that cannot be read, so a load past its end crashes
 *		the check.
 *
 * Usage: text_key_check [cases] [seed].  Prints "N passed, N failed".
 */
#include "text_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#define MAX_LEN 40

/* The next value of a 64-bit xorshift generator. */
static uint64_t
next_random(uint64_t *seed)
{
	*seed ^= *seed << 13;
	*seed ^= *seed >> 7;
	*seed ^= *seed << 17;
	return *seed;
}

/*
 * A buffer of len bytes ending where an unreadable page begins, within
 * the two pages at area.
 */
static char *
against_guard(char *area, long page, int len)
{
	return area + page - len;
}

int
main(int argc, char **argv)
{
	long		cases = argc > 1 ? atol(argv[1]) : 100000;
	uint64_t	seed = argc > 2 ? strtoull(argv[2], NULL, 10) : 42;
	long		page = sysconf(_SC_PAGESIZE);
	char	   *area_a;
	char	   *area_b;
	long		passed = 0;
	long		failed = 0;
	long		c;

	seed = seed * 2654435761u + 1;
	area_a = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	area_b = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area_a == MAP_FAILED || area_b == MAP_FAILED ||
		mprotect(area_a + page, page, PROT_NONE) != 0 ||
		mprotect(area_b + page, page, PROT_NONE) != 0)
	{
		perror("mmap");
		return 2;
	}
	for (c = 0; c < cases; c++)
	{
		int			len = (int) (next_random(&seed) % (MAX_LEN + 1));
		char	   *a = against_guard(area_a, page, len);
		char	   *b = against_guard(area_b, page, len);
		int			compared = len < 16 ? len : 16;
		CxTextKey	ka;
		CxTextKey	kb;
		int			i;
		int			keys_equal;
		int			bytes_equal;

		for (i = 0; i < len; i++)
			a[i] = (char) ('a' + next_random(&seed) % 3);
		memcpy(b, a, len);
		/* most pairs differ in one byte, anywhere */
		if (len > 0 && next_random(&seed) % 4 != 0)
			b[next_random(&seed) % len] = (char) ('a' + next_random(&seed) % 3);
		ka = cx_text_key(a, len);
		kb = cx_text_key(b, len);
		keys_equal = ka.lo == kb.lo && ka.hi == kb.hi;
		bytes_equal = memcmp(a, b, compared) == 0;
		if (keys_equal == bytes_equal)
			passed++;
		else
		{
			failed++;
			if (failed <= 5)
				printf("length %d: keys %s, first %d bytes %s\n", len,
					   keys_equal ? "equal" : "differ", compared,
					   bytes_equal ? "equal" : "differ");
		}
	}
	printf("%ld passed, %ld failed\n", passed, failed);
	return failed != 0;
}
