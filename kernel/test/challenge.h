/**
 * @file
 * challenge.h — the grader's seed for this boot, and the pseudo-random sequence drawn
 * from it: test support, for the kernel's scenarios and the user programs' (the user
 * build compiles challenge.c into libminim.a and finds this header with -Ikernel/test);
 * never used by the kernel proper.
 *
 * The one thing to know: grade/engine/challenge.py draws the very same sequence
 * (splitmix64) from the same seed, so a scenario that takes its message words, badges,
 * slots, counts and page contents from challenge_next() in a fixed order prints lines
 * the grader can compute, and a transcript recorded or canned in advance does not match
 * them. Change the order of draws here and the lab file must change with it.
 */
#pragma once

#include <stdint.h>

/* The seed when the command line has no seed= (make run): any fixed value will do. */
#define CHALLENGE_DEFAULT_SEED 0x6d696e696d5eedULL

struct challenge {
	uint64_t state;
};

/* The challenge of the command line's seed=<hex digits> word, else of the default. */
struct challenge challenge_from_cmdline(const char *cmdline);

/* The next 64-bit number of the sequence. */
uint64_t challenge_next(struct challenge *c);

/* A number from lo to hi, both included (lo <= hi). */
uint64_t challenge_range(struct challenge *c, uint64_t lo, uint64_t hi);

/*
 * The digest scenarios print of the words a message, a page or a mapping carried
 * (engine/challenge.py's digest()): FNV-1a over whole 64-bit words, in order, so a
 * word lost, moved or left as it was changes it. h = DIGEST_START, then
 * h = digest_add(h, word) for each word.
 */
#define DIGEST_START 0xcbf29ce484222325ull

static inline uint64_t digest_add(uint64_t h, uint64_t word)
{
	return (h ^ word) * 0x100000001b3ull;
}
