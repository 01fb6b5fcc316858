/**
 * @file
 * hello.c — the first user scenario: printing from ring 3, and finding the UTCB.
 *
 * The one thing to know: every line comes through debug_write, so their appearance
 * proves the system-call path works both ways; one write carries a word drawn from the
 * boot's seed, cut at a drawn length, and its result (the bytes written) is printed, so
 * that line is this boot's. The UTCB check proves the kernel set this thread's FS base
 * to its UTCB and wrote the UTCB's own address in it.
 */
#include <minim.h>
#include "utest.h"

UTEST(user_hello)
{
	struct challenge c = utest_challenge(bi);
	unsigned long word = challenge_next(&c), digits = challenge_range(&c, 1, 16);
	struct utcb *u = utcb();
	char line[32] = "hello: ";

	printf("hello from user mode\n");
	for (int i = 0; i < 16; i++)
		line[7 + i] = "0123456789abcdef"[word >> (60 - 4 * i) & 15];
	long wrote = sys_debug_write(line, 7 + digits);
	printf("\nhello: debug_write of %lu bytes -> %ld\n", 7 + digits, wrote);
	printf("user: %%fs:0 is the UTCB at %p\n", (void *)u);
	UCHECK(u->self == (uint64_t)u);
}
