/**
 * @file
 * utcb.h — the calling thread's UTCB, found through the FS segment.
 *
 * The one thing to know: the kernel sets each thread's FS base to its UTCB, whose first
 * word holds the UTCB's own address, so one load from %fs:0 gives a plain pointer.
 */
#ifndef USER_UTCB_H
#define USER_UTCB_H

#include <abi/utcb.h>

static inline struct utcb *utcb(void)
{
	struct utcb *u;
	/*
	 * Not volatile: a thread's UTCB never moves, so the compiler may reuse one load.
	 * Safe to read at any time: the kernel maps the UTCB before starting the thread.
	 */
	__asm__("movq %%fs:0, %0" : "=r"(u));
	return u;
}

#endif
