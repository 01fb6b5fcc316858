/**
 * @file
 * pool.c — the process manager's pages: got from sigma0 once, given to processes by
 * mapping, and taken back when their owner dies.
 *
 * The one thing to know: a page the pm gives a process stays mapped in the pm's own
 * space (at pool_page(slot)), so the process's mapping is derived from the pm's and
 * dies with the process (the kernel unmaps everything derived from a destroyed task's
 * pages — and everything a destroyed task received). The pm then only marks the slot
 * free, and zeroes it before it gives it out again: no process sees another's data.
 * The pm asks sigma0 for every right (code pages need MAP_EXEC) and gives each client
 * only its region's: a map never gives more rights than the sender has.
 */
#include <sigma0.h>
#include <string.h>
#include <abi/error.h>
#include <abi/ipc.h>
#include "pm_internal.h"

long pool_alloc(uint16_t owner)
{
	uint32_t slot;
	if (pm.free_count > 0) {
		slot = pm.free_slots[--pm.free_count];
		memset(pool_page(slot), 0, 4096);
	} else {
		if (pm.pool_top == PM_POOL_PAGES ||
		    sigma0_alloc_page_rights(pm.sigma0, (unsigned long)pool_page(pm.pool_top),
					     MAP_RIGHTS_ALL) != 0)
			return E_NOMEM;
		slot = pm.pool_top++;   /* sigma0 zeroed it */
	}
	pm.owner[slot] = owner;
	return (long)slot;
}

void pool_free_owner(uint16_t owner)
{
	for (uint32_t slot = 0; slot < pm.pool_top; slot++) {
		if (pm.owner[slot] != owner)
			continue;
		pm.owner[slot] = 0;
		pm.free_slots[pm.free_count++] = slot;
	}
}
