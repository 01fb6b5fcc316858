/**
 * @file
 * pager.h — a user-level pager: zero-filled memory on demand, from sigma0's pages.
 *
 * The one thing to know: the pager keeps every page it hands out mapped in its own
 * address space too (at `pool`, growing upward), as the parent of the client's
 * mapping: the mapping database records it, so the pager can later take pages back
 * with unmap. Faults outside [anon_lo, anon_hi) get a reply without a mapping, and
 * the kernel stops the faulting thread.
 */
#ifndef USER_PAGER_H
#define USER_PAGER_H

struct pager {
	long endpoint;                  /* where the faults of its clients arrive */
	long sigma0;                    /* sigma0's endpoint, where its pages come from */
	unsigned long anon_lo, anon_hi; /* the addresses it fills with zeroed pages */
	unsigned long pool;             /* where the next page lands in the pager's space */
	unsigned long faults;           /* faults resolved so far */
	unsigned long refused;          /* faults answered without a mapping */
};

/* A thread entry (arg: a struct pager *) that serves faults for ever. */
void pager_run(unsigned long pager);

#endif
