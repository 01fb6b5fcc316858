/**
 * @file
 * challenge.c — the grader's seed and splitmix64, the sequence drawn from it.
 *
 * The one thing to know: grade/engine/challenge.py computes the same numbers; both
 * must stay bit-for-bit alike. Shared, freestanding code: kernel test scenarios and
 * user test programs both use it; the kernel proper never does.
 */
#include "challenge.h"
#include <cmdline.h>

struct challenge challenge_from_cmdline(const char *cmdline)
{
	char hex[24];
	struct challenge c = { CHALLENGE_DEFAULT_SEED };
	uint64_t seed = 0;
	int digits = 0;

	if (!cmdline_find(cmdline, "seed", hex, sizeof(hex)))
		return c;
	for (const char *p = hex; *p && digits < 16; p++, digits++) {
		int d = *p >= '0' && *p <= '9' ? *p - '0'
		      : *p >= 'a' && *p <= 'f' ? *p - 'a' + 10 : -1;
		if (d < 0)
			return c;	/* not a seed the grader wrote: keep the default */
		seed = seed << 4 | (uint64_t)d;
	}
	c.state = seed;
	return c;
}

uint64_t challenge_next(struct challenge *c)
{
	uint64_t z = (c->state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

uint64_t challenge_range(struct challenge *c, uint64_t lo, uint64_t hi)
{
	uint64_t span = hi - lo + 1;
	uint64_t x = challenge_next(c);
	return span == 0 ? x : lo + x % span;	/* span 0: the whole 64-bit range */
}
