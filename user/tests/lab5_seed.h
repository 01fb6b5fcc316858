/**
 * @file
 * lab5_seed.h — what lab 5's seeded scenarios share: a digest of the words a page,
 * a mapping or a message carried, which grade/lab5.py computes the same way.
 *
 * The one thing to know: the digest is FNV-1a over whole 64-bit words, in order, as
 * lab4_ipc.c's: a word lost, moved or left as it was changes it.
 */
#ifndef LAB5_SEED_H
#define LAB5_SEED_H

#define DIGEST_START 0xcbf29ce484222325ul

static inline unsigned long digest_add(unsigned long h, unsigned long w)
{
	return (h ^ w) * 0x100000001b3ul;
}

#endif
