/**
 * @file
 * space.c — map, grant and unmap of pages between address spaces, with quotas.
 *
 * The one thing to know: the sender names pages in its own address space, which it
 * must really hold (a node in the mapping database), except sigma0, whose "addresses"
 * are physical: it owns every frame the kernel gave it at boot. A frame leaving sigma0
 * with no other mapping left is zeroed first, so no task sees another's old data.
 * Page tables and mapping nodes a task's mappings need are charged to that task, and
 * refunded when unmap takes them away; tables the kernel made for its own pages
 * (PTE_UNCHARGED) were never charged, so they are never refunded.
 */
#include <boot_info.h>
#include <cap.h>
#include <frame.h>
#include <mapdb.h>
#include <panic.h>
#include <space.h>
#include <string.h>
#include <syscall_handlers.h>
#include <task.h>
#include <thread.h>
#include <user_access.h>
#include <abi/error.h>
#include <abi/ipc.h>
#include <abi/layout.h>
#include <arch/x86_64/cpu_local.h>
#include <arch/x86_64/gdt.h>
#include <arch/x86_64/ioapic.h>
#include <arch/x86_64/lapic.h>
#include <arch/x86_64/layout.h>

struct task *sigma0_task;
unsigned long space_io_bitmap_frames;

/* One bit per frame of the first 4 GiB: does sigma0 own it? */
static uint64_t sigma0_frames[(1ull << 32) / PAGE_SIZE / 64];

void space_give_sigma0(struct task *sigma0, uint64_t pa)
{
	sigma0_task = sigma0;
	if (pa < (1ull << 32))
		sigma0_frames[pa / PAGE_SIZE / 64] |= 1ull << (pa / PAGE_SIZE % 64);
}

static bool sigma0_owns(uint64_t pa)
{
	return pa < (1ull << 32) &&
	       (sigma0_frames[pa / PAGE_SIZE / 64] & (1ull << (pa / PAGE_SIZE % 64)));
}

/*
 * Device memory (lab 7): the pages between the top of RAM below 4 GiB and 4 GiB (the
 * PCI hole, where devices' memory BARs are), but for the two the kernel drives itself
 * (local APIC and I/O APIC), which would let a driver take over every interrupt.
 */
static bool device_page(uint64_t pa)
{
	/* LAB 7 BEGIN: device memory */
	uint64_t ram_top = 0;
	for (size_t i = 0; i < boot_info.region_count; i++) {
		const struct mem_region *r = &boot_info.regions[i];
		if (r->type == MEM_USABLE && r->base < (1ull << 32) && r->base + r->length > ram_top)
			ram_top = r->base + r->length < (1ull << 32) ? r->base + r->length : 1ull << 32;
	}
	return pa >= ram_top && pa < (1ull << 32) && pa != lapic_base && pa != IOAPIC_BASE;
	/* LAB 7 STUB
	// Is pa a device's page that sigma0 may map: above all RAM below 4 GiB (the usable
	// regions of boot_info), below 4 GiB, and not an interrupt controller's?
	(void)pa;
	return false;
	*/
	/* LAB 7 END */
}

/* Room for one more mapping in task: a node and, at worst, three new page tables. */
static bool quota_allows(const struct task *task)
{
	return task->kmem_used + 3 * PAGE_SIZE + sizeof(struct mapping) <= task->kmem_limit;
}

/*
 * The page at va leaves task's address space, by unmap or by grant: its node's charge
 * comes back, its page-table entry goes, and so do the tables that leaves empty,
 * refunding those place_page() charged — so a task that maps and unmaps (or grants
 * away) at scattered addresses gets its quota, and the frames, back.
 */
static void page_leaves(struct task *task, uint64_t va)
{
	task->kmem_used -= sizeof(struct mapping);
	if (task->is_sigma0)
		return;                 /* its nodes are frames, not page-table entries */
	pt_unmap(task->pml4, va);       /* flushes the TLB entry if it is loaded */
	if (task->dying)
		return;         /* task_destroy() is walking its tables and frees them itself */
	uint64_t refund = (uint64_t)pt_prune(task->pml4, va) * PAGE_SIZE;
	KASSERT(refund <= task->kmem_used);     /* tables paid for are still charged */
	task->kmem_used -= refund;
}

/* mapdb_unmap()'s callback. */
static void remove_page(struct mapping *m)
{
	page_leaves(m->task, m->va);
}

bool space_unmap_node(struct mapping *m, bool self, unsigned *budget)
{
	return mapdb_unmap(m, self, budget, remove_page);
}

/* The node of the sender's page at va, made for sigma0 on first use; NULL if none. */
static struct mapping *source_page(struct task *from, uint64_t va)
{
	if (!from->is_sigma0)
		return mapdb_find(from, va);
	bool device = !sigma0_owns(va) && device_page(va);
	if (!sigma0_owns(va) && !device)
		return NULL;
	bool made;
	struct mapping *m = mapdb_root(from, va, &made);
	if (m && device)
		m->rights = MAP_WRITE | MAP_UNCACHED;   /* registers: never code, never cached */
	else if (m && !m->children)
		memset(P2V(m->pa), 0, PAGE_SIZE);      /* leaving sigma0 afresh: no old data */
	return m;
}

/* Puts frame m->pa at va in `to` (replacing a mapped page there); false if it cannot. */
static bool place_page(struct mapping *src, struct task *to, uint64_t va, unsigned rights,
		       bool grant)
{
	/* LAB 5 BEGIN: placing a page */
	bool moves = grant && !src->task->is_sigma0;
	rights &= src->rights;
	if (moves && rights != src->rights && src->children)
		return false;   /* what was derived from it would keep the rights it loses */
	struct mapping *old = mapdb_find(to, va);
	if (old == src || (old && old->children))
		return false;   /* onto itself, or onto a page others derived from (src may
				 * be one of them): that subtree is the receiver's to unmap */
	unsigned one = 1;
	if (old)
		space_unmap_node(old, true, &one);      /* a leaf: one node */
	else if (pt_translate(to->pml4, va) != PT_NO_MAPPING)
		return false;           /* the kernel's own page (image, stack, UTCB) */
	if (!quota_allows(to))
		return false;
	size_t free_before = frame_free_count();
	uint64_t flags = PTE_USER | (rights & MAP_WRITE ? PTE_WRITE : 0) |
			 (rights & MAP_EXEC ? 0 : pte_nx);
	if (pt_map(to->pml4, va, src->pa, 1, flags) != E_OK)
		return false;
	to->kmem_used += (free_before - frame_free_count()) * PAGE_SIZE;
	if (moves) {
		/* Gone from the granter: the node itself moves, with its subtree. */
		page_leaves(src->task, src->va);
		mapdb_move(src, to, va);
		src->rights = (uint8_t)rights;
	} else if (!mapdb_map(src, to, va, rights)) {
		pt_unmap(to->pml4, va);
		return false;
	}
	to->kmem_used += sizeof(struct mapping);
	return true;
	/* LAB 5 STUB
	// Skip the page (return false) if it would do unbounded work: a grant dropping
	// rights of a page others derived from, or a page at va that others derived
	// from. Else make room at va in `to` (a page that came by map or grant, a leaf,
	// is unmapped; a page the kernel put there stays, and this page is skipped),
	// check to's quota, enter the page table entry with no more than src's rights,
	// and record the mapping: a child of src (map), or src itself moved (grant: the
	// page leaves the granter with page_leaves()).
	(void)src; (void)to; (void)va; (void)rights; (void)grant; (void)quota_allows;
	(void)page_leaves;
	return false;
	*/
	/* LAB 5 END */
}

unsigned space_map_item(struct thread *from, struct thread *to, uint64_t word0,
			uint64_t fpage, uint64_t window, bool grant, unsigned *arrived)
{
	unsigned log2 = (unsigned)FPAGE_LOG2(fpage), wlog2 = (unsigned)FPAGE_LOG2(window);
	uint64_t base = FPAGE_BASE(fpage), wbase = FPAGE_BASE(window);
	if (to->task->is_sigma0)
		return 0;               /* sigma0's space is physical memory: nothing lands there */
	if (log2 < FPAGE_MIN_LOG2 || log2 > FPAGE_MAX_LOG2 || wlog2 < log2 || wlog2 > 47 ||
	    (base & ((1ull << log2) - 1)) || (wbase & ((1ull << wlog2) - 1)) ||
	    !user_range_ok(wbase, 1ull << wlog2) ||
	    (!from->task->is_sigma0 && !user_range_ok(base, 1ull << log2)))
		return 0;
	uint64_t dest = (wbase + (IPC_MAP_HOTSPOT(word0) & ((1ull << wlog2) - 1))) &
			~((1ull << log2) - 1);
	unsigned rights = (unsigned)IPC_MAP_RIGHTS_OF(word0), moved = 0, all = 0x7;

	for (uint64_t off = 0; off < (1ull << log2); off += PAGE_SIZE) {
		struct mapping *src = source_page(from->task, base + off);
		/* Uncached stays uncached, asked for or not (abi/ipc.h, MAP_UNCACHED). */
		bool uncached = src && (src->rights & MAP_UNCACHED);
		if (!src || !place_page(src, to->task, dest + off,
					rights | (uncached ? MAP_UNCACHED : 0), grant))
			continue;
		moved++;
		all &= (rights & src->rights) | (uncached ? MAP_UNCACHED : 0);
		if (uncached)
			*pt_walk(to->task->pml4, dest + off, 1, false) |= PTE_UNCACHED;
	}
	*arrived = moved ? all : 0;
	return moved;
}

bool space_has_access(struct task *task, uint64_t va, uint64_t access)
{
	pte_t *pte = pt_walk(task->pml4, va & ~(uint64_t)(PAGE_SIZE - 1), 1, false);
	if (!pte || !(*pte & PTE_PRESENT) || !(*pte & PTE_USER))
		return false;
	if ((access & FAULT_WRITE) && !(*pte & PTE_WRITE))
		return false;
	return !((access & FAULT_EXEC) && (*pte & PTE_NX));
}

/*
 * Restartable (abi/ipc.h): one entry looks up and removes at most UNMAP_WORK_PER_ENTRY
 * pages and mappings, then keeps its progress in the caller's rsi (the next page) and
 * rdx (mappings removed so far) and runs again, once pending interrupts are taken.
 * Only what it has not removed yet is left, so each run goes on from where the last
 * one stopped, in the middle of a subtree too.
 */
long sys_unmap(const struct syscall_args *a)
{
	struct task *task = cpu.current->task;
	uint64_t fpage = a->a0, flags = a->a1;
	unsigned log2 = (unsigned)FPAGE_LOG2(fpage);
	uint64_t base = FPAGE_BASE(fpage);
	if (log2 < FPAGE_MIN_LOG2 || log2 > FPAGE_MAX_LOG2 || (base & ((1ull << log2) - 1)) ||
	    (flags & ~(UNMAP_SELF | UNMAP_PROGRESS_MASK)) ||
	    UNMAP_PROGRESS(flags) > (1ull << (log2 - FPAGE_MIN_LOG2)))
		return E_INVAL;
	bool self = (flags & UNMAP_SELF) && !task->is_sigma0;
	uint64_t pages = 1ull << (log2 - FPAGE_MIN_LOG2), page = UNMAP_PROGRESS(flags);
	uint64_t removed = a->a2;       /* by the earlier runs of this call (0 at first) */
	unsigned budget = UNMAP_WORK_PER_ENTRY;
	for (; page < pages && budget > 0; page++) {
		budget--;               /* a lookup is work too: a 4,096-page flexpage */
		struct mapping *m = mapdb_find(task, base + page * PAGE_SIZE);
		unsigned before = budget;
		bool done = !m || space_unmap_node(m, self, &budget);
		removed += before - budget;
		if (!done)
			break;          /* the budget ran out inside this page's subtree */
	}
	if (page == pages)
		return (long)removed;
	struct trap_frame *tf = cpu.current->user_frame;
	tf->rsi = (flags & UNMAP_SELF) | (page << UNMAP_PROGRESS_SHIFT);
	tf->rdx = removed;
	return syscall_restart();
}

/*
 * A task's limit comes out of its parent's account (task.h), so only the parent may
 * change it, and only to what the parent can pay for and the task is not already
 * using; a boot task (no parent: the kernel paid) may be set by whoever controls it —
 * the root task, which is trusted with the whole system.
 */
long sys_task_quota(const struct syscall_args *a)
{
	int err;
	struct task *self = cpu.current->task;
	struct task *task = cap_lookup(self, (long)a->a0, CAP_TASK, RIGHT_CONTROL, &err);
	if (!task)
		return err;
	if (a->a1 > TASK_QUOTA_MAX_PAGES)
		return E_INVAL;         /* a bound, so that pages * PAGE_SIZE cannot wrap */
	uint64_t limit = a->a1 * PAGE_SIZE;
	struct task *parent = task->parent;
	if (parent && parent != self)
		return E_RIGHTS;
	if (limit < task->kmem_used)
		return E_STATE;         /* it uses more already: free first, then lower */
	if (parent && limit > task->kmem_limit &&
	    !task_charge(parent, limit - task->kmem_limit))
		return E_NOMEM;
	if (parent && limit < task->kmem_limit)
		task_refund(parent, task->kmem_limit - limit);
	task->kmem_limit = limit;
	return E_OK;
}

/* I/O ports: a bitmap per task (two frames), loaded into the TSS lazily, on a #GP. */

#define IO_HALF (IO_BITMAP_BYTES / 2)

/* The byte of task's bitmap that holds port's bit. */
static uint8_t *io_byte(const struct task *task, uint64_t port)
{
	return &task->io_bitmap[port / 8 / IO_HALF][port / 8 % IO_HALF];
}

static bool io_allowed(const struct task *task, uint64_t port)
{
	return task->is_sigma0 ||
	       (task->io_bitmap[0] && !(*io_byte(task, port) & (1u << (port % 8))));
}

void space_io_unload(void)
{
	memset(cpu_tss.io_bitmap, 0xff, IO_BITMAP_BYTES);
	cpu.io_loaded = NULL;
}

bool space_io_fault(struct task *task)
{
	if (!task->io_bitmap[0] || cpu.io_loaded == task)
		return false;
	memcpy(cpu_tss.io_bitmap, task->io_bitmap[0], IO_HALF);
	memcpy(cpu_tss.io_bitmap + IO_HALF, task->io_bitmap[1], IO_HALF);
	cpu.io_loaded = task;
	return true;
}

/* Gives task a bitmap with no ports in it; false if out of memory or quota. */
static bool io_bitmap_create(struct task *task)
{
	if (task->kmem_used + 2 * PAGE_SIZE > task->kmem_limit)
		return false;
	uint64_t lo = frame_alloc(), hi = frame_alloc();
	if (!lo || !hi) {
		if (lo)
			frame_free(lo);
		return false;
	}
	space_io_bitmap_frames += 2;
	task->io_bitmap[0] = P2V(lo);
	task->io_bitmap[1] = P2V(hi);
	memset(task->io_bitmap[0], 0xff, IO_HALF);
	memset(task->io_bitmap[1], 0xff, IO_HALF);
	task->kmem_used += 2 * PAGE_SIZE;
	return true;
}

unsigned space_io_item(struct thread *from, struct thread *to, uint64_t io_fpage, bool grant)
{
	uint64_t port = IO_FPAGE_PORT(io_fpage), log2 = FPAGE_LOG2(io_fpage);
	struct task *dst = to->task, *src = from->task;
	if (log2 > 16 || (port & ((1ull << log2) - 1)) || port + (1ull << log2) > 65536 ||
	    dst->is_sigma0 || (!dst->io_bitmap[0] && !io_bitmap_create(dst)))
		return 0;
	unsigned moved = 0;
	/* LAB 5 BEGIN: passing I/O ports */
	for (uint64_t p = port; p < port + (1ull << log2); p++) {
		if (!io_allowed(src, p))
			continue;
		*io_byte(dst, p) &= (uint8_t)~(1u << (p % 8));
		if (grant && !src->is_sigma0)
			*io_byte(src, p) |= (uint8_t)(1u << (p % 8));
		moved++;
	}
	if (cpu.io_loaded == src || cpu.io_loaded == dst)
		space_io_unload();      /* stale now: the next #GP loads it afresh */
	/* LAB 5 STUB
	// For each port the sender may use (io_allowed), clear its bit in the receiver's
	// bitmap (a clear bit allows access), and set it in the sender's on a grant.
	// If either task's bitmap is in the TSS now, unload it: it is stale.
	(void)io_allowed; (void)io_byte; (void)grant; (void)src;
	*/
	/* LAB 5 END */
	return moved;
}
