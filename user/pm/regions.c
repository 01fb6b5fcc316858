/**
 * @file
 * regions.c — the process manager as a pager: a process's page fault, answered from
 * the region it falls in.
 *
 * The one thing to know: a process's address space is a short list of regions made at
 * spawn (loader.c), and a page exists only once it is touched: a page of a read-only
 * segment is filled from the program's file once and then shared by every instance of
 * the program; a page of a writable segment is copied from the file for each instance;
 * heap and stack pages arrive zeroed. A fault outside every region, or with an access
 * its region does not allow, is the process's death (PM_STATUS_FAULT), not a reply
 * without a page that would leave it stopped for ever.
 */
#include <string.h>
#include <abi/error.h>
#include <abi/ipc.h>
#include <pm.h>
#include "pm_internal.h"

/* Where a program's shared pages are: (program, page address) -> pool slot. */
#define SHARED_MAX 1024
static struct {
	const struct program *program;
	uint64_t va;
	uint32_t slot;
} shared[SHARED_MAX];
static unsigned shared_count;

unsigned long pm_pages_shared(void)
{
	return shared_count;
}

/* Fills the page at va (of segment s) from the file: its file bytes, the rest zero. */
static void fill_from_file(void *page, const struct program *prog, const struct elf_segment *s,
			   uint64_t va)
{
	uint64_t lo = va > s->vaddr ? va : s->vaddr;
	uint64_t hi = va + 4096 < s->vaddr + s->filesz ? va + 4096 : s->vaddr + s->filesz;
	if (lo < hi)
		memcpy((char *)page + (lo - va), prog->file + s->offset + (lo - s->vaddr), hi - lo);
}

/* The pool slot of the shared page at va of p's program, made on first use. */
static long shared_page(const struct program *prog, const struct elf_segment *s, uint64_t va)
{
	for (unsigned i = 0; i < shared_count; i++)
		if (shared[i].program == prog && shared[i].va == va)
			return shared[i].slot;
	if (shared_count == SHARED_MAX)
		return E_NOMEM;
	long slot = pool_alloc(PM_OWNER_PROGRAMS);
	if (slot < 0)
		return slot;
	fill_from_file(pool_page((uint32_t)slot), prog, s, va);
	shared[shared_count].program = prog;
	shared[shared_count].va = va;
	shared[shared_count].slot = (uint32_t)slot;
	shared_count++;
	return slot;
}

/* A fresh page of p's own; counted against its limit. */
static long own_page(struct proc *p)
{
	if (p->pages >= p->page_limit)
		return E_NOMEM;
	long slot = pool_alloc((uint16_t)(p - pm.procs + 1));
	if (slot >= 0)
		p->pages++;
	return slot;
}

bool pm_fault(struct proc *p, uint64_t addr, uint64_t access, uint64_t *item, uint64_t *fpage)
{
	uint64_t va = addr & ~0xffful;
	/* LAB 6 BEGIN: region fault handling */
	const struct region *r = NULL;
	for (unsigned i = 0; i < p->nregions; i++)
		if (va >= p->regions[i].start && va < p->regions[i].end)
			r = &p->regions[i];
	if (!r || ((access & FAULT_WRITE) && !(r->rights & MAP_WRITE)) ||
	    ((access & FAULT_EXEC) && !(r->rights & MAP_EXEC)))
		return false;           /* no such memory, or not that access */
	const struct elf_segment *s = &p->program->image.seg[r->segment];
	long slot;
	switch (r->kind) {
	case REGION_SHARED:
		slot = shared_page(p->program, s, va);
		break;
	case REGION_PRIVATE:
		slot = own_page(p);
		if (slot >= 0)
			fill_from_file(pool_page((uint32_t)slot), p->program, s, va);
		break;
	case REGION_ZERO:
		slot = own_page(p);
		break;
	case REGION_INFO:
		slot = p->info_slot;
		break;
	default:
		return false;
	}
	if (slot < 0) {
		p->status = PM_STATUS_NOMEM;
		return false;
	}
	*item = IPC_MAP_ITEM(IPC_ITEM_MAP, va, r->rights);
	*fpage = FPAGE((uint64_t)pool_page((uint32_t)slot), 12);
	return true;
	/* LAB 6 STUB
	// Find the region of p that holds va (p->regions, p->nregions); refuse (return
	// false) a fault outside every region or with an access (FAULT_WRITE, FAULT_EXEC)
	// its rights do not allow. Then get the page's pool slot by the region's kind:
	// REGION_SHARED shared_page(), REGION_PRIVATE own_page() filled from the file
	// (fill_from_file), REGION_ZERO own_page(), REGION_INFO p->info_slot. If there is
	// none, set p->status = PM_STATUS_NOMEM and refuse. Answer with a map item of
	// that slot's page (pool_page) at va, with the region's rights.
	(void)p; (void)addr; (void)access; (void)item; (void)fpage; (void)va;
	(void)shared_page; (void)own_page; (void)fill_from_file;
	return false;
	*/
	/* LAB 6 END */
}
