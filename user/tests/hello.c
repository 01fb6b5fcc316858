/**
 * @file
 * hello.c — the first user scenario: printing from ring 3, and finding the UTCB.
 *
 * The one thing to know: both lines come through debug_write, so their appearance
 * proves the system-call path works both ways; the UTCB check proves the kernel set
 * this thread's FS base to its UTCB and wrote the UTCB's own address in it.
 */
#include <minim.h>
#include "utest.h"

UTEST(user_hello)
{
	struct utcb *u = utcb();

	printf("hello from user mode\n");
	printf("user: %%fs:0 is the UTCB at %p\n", (void *)u);
	UCHECK(u->self == (uint64_t)u);
}
