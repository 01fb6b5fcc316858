/**
 * @file
 * bounds.h — what the bounded-work scenarios (lab4_bounds.c, lab5_bounds.c) share: the
 * clock, sleeping for ticks, and the longest gap a spinning thread sees.
 *
 * The one thing to know: the kernel runs with interrupts off for the whole of every
 * entry, so a system call that does not block is one interrupt-disabled stretch, and
 * rdtsc just before and after it times that stretch (under -icount one tick of the
 * clock is one guest instruction). An interrupt taken while user code spins shows as a
 * gap between two readings of the clock: the kernel's work for that interrupt.
 */
#ifndef UTEST_BOUNDS_H
#define UTEST_BOUNDS_H

#include <minim.h>
#include "utest.h"

/* Guest instructions per timer tick under -icount (abi/ipc.h). */
#define BOUNDS_TICK 1000001ul

static inline unsigned long bounds_clock(void)
{
	unsigned int lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((unsigned long)hi << 32) | lo;
}

/* Waits `ticks` ticks at ep, an endpoint nobody sends to. */
static inline void bounds_sleep(long ep, unsigned long ticks)
{
	struct msg m;
	UCHECK(ipc_receive(ep, &m, ticks) == E_TIMEOUT);
}

/* Spins for about `ticks` ticks; returns the longest gap between two clock readings. */
static inline unsigned long bounds_spin_worst_gap(unsigned long ticks)
{
	unsigned long start = bounds_clock(), prev = start, worst = 0;
	while (prev - start < ticks * BOUNDS_TICK) {
		unsigned long now = bounds_clock();
		if (now - prev > worst)
			worst = now - prev;
		prev = now;
	}
	return worst;
}

static inline unsigned long bounds_max(unsigned long a, unsigned long b)
{
	return a > b ? a : b;
}

#endif
