/**
 * @file
 * lab2_prune_tests.c — a kernel scenario for lab 2: freeing page tables left empty.
 *
 * The one thing to know: unmap (lab 5) refunds a task's quota for each table that
 * pt_prune() frees and reports as paid for, so the count must be exact: a table still
 * in use is never freed, a table the kernel made for its own page (task_map_fresh())
 * is freed but reported as unpaid, and a pt_map() that runs out of frames leaves no
 * table behind to be refunded later. Each step is checked against the frame count.
 */
#include <frame.h>
#include <kprintf.h>
#include <task.h>
#include <abi/error.h>
#include <arch/x86_64/layout.h>
#include <arch/x86_64/paging.h>
#include <test/ktest.h>

#define SLOT_VA 0x0000100000000000ull   /* a PML4 slot of user space that nothing uses */

KTEST(paging_prune_tables, STAGE_PAGING)
{
	struct task *task = task_create();
	uint64_t a = frame_alloc(), b = frame_alloc();
	KCHECK(task && a && b);
	pte_t *pml4 = task->pml4;

	size_t free0 = frame_free_count();
	int err = pt_map(pml4, SLOT_VA, a, 1, PTE_USER);
	if (err == E_OK)
		err = pt_map(pml4, SLOT_VA + PAGE_SIZE, b, 1, PTE_USER);
	size_t free1 = frame_free_count();
	kprintf("prune: two pages in an empty slot: %d, %zu tables made\n", err, free0 - free1);
	pt_unmap(pml4, SLOT_VA);
	unsigned paid = pt_prune(pml4, SLOT_VA);
	kprintf("prune: the first unmapped: %u paid-for tables freed, %zu frames back\n", paid,
		frame_free_count() - free1);
	pt_unmap(pml4, SLOT_VA + PAGE_SIZE);
	paid = pt_prune(pml4, SLOT_VA + PAGE_SIZE);
	kprintf("prune: the second unmapped: %u paid-for tables freed, %zu frames back\n", paid,
		frame_free_count() - free1);

	/* A kernel page, then gone as task_utcb_free() takes a UTCB: its tables are empty. */
	uint64_t pa = 0;
	free0 = frame_free_count();
	err = task_map_fresh(task, SLOT_VA, 1, pte_nx, &pa);
	if (err == E_OK) {
		pt_unmap(pml4, SLOT_VA);
		frame_free(pa);
	}
	free1 = frame_free_count();
	paid = pt_prune(pml4, SLOT_VA);
	kprintf("prune: the kernel's own page: %d, %zu tables made; %u paid-for tables freed, "
		"%zu frames back\n", err, free0 - free1, paid, frame_free_count() - free1);

	/* All frames but one taken: the map needs three tables, makes one and fails. */
	uint64_t hoard = 0;     /* the frames taken, chained through their first word */
	while (frame_free_count() > 1) {
		uint64_t f = frame_alloc();
		*(uint64_t *)P2V(f) = hoard;
		hoard = f;
	}
	err = pt_map(pml4, SLOT_VA, a, 1, PTE_USER);
	kprintf("prune: a map with one free frame: %d, %zu free after, slot %s\n", err,
		frame_free_count(), pml4[pt_index(SLOT_VA, 4)] ? "in use" : "empty");
	while (hoard) {
		uint64_t next = *(uint64_t *)P2V(hoard);
		frame_free(hoard);
		hoard = next;
	}
	frame_free(a);
	frame_free(b);
	task_destroy(task);
}
