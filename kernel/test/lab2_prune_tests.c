/**
 * @file
 * lab2_prune_tests.c — a kernel scenario for lab 2: freeing page tables left empty.
 *
 * The one thing to know: unmap (lab 5) refunds a task's quota for each table that
 * pt_prune() frees and reports as paid for, so the count must be exact: a table still
 * in use is never freed, a table the kernel made for its own page (task_map_fresh())
 * is freed but reported as unpaid, and a pt_map() that runs out of frames leaves no
 * table behind to be refunded later. Each step is checked against the frame count;
 * the seed picks the pages, their tables and the order they go.
 */
#include <frame.h>
#include <kprintf.h>
#include <task.h>
#include <abi/error.h>
#include <arch/x86_64/layout.h>
#include <arch/x86_64/paging.h>
#include <test/ktest.h>

#define SLOT_VA 0x0000100000000000ull   /* a PML4 slot of user space that nothing uses */
#define SLOT_PAGES (1ull << 27)         /* the slot's 512 GiB, in pages */

enum { MAX_PAGES = 8 };

/*
 * The seed gives the number of pages, each one's 2 MiB region (one of the slot's first
 * four: one page directory, up to four page tables) and page, and the order of unmapping:
 * each prune frees the tables its unmap left empty, and the last frees all three levels.
 */
KTEST(paging_prune_tables, STAGE_PAGING)
{
	struct challenge c = ktest_challenge();
	struct task *task = task_create(NULL, TASK_KMEM_DEFAULT);
	unsigned n = (unsigned)challenge_range(&c, 2, MAX_PAGES), order[MAX_PAGES];
	uint64_t va[MAX_PAGES], frame[MAX_PAGES];
	KCHECK(task);
	pte_t *pml4 = task->pml4;

	for (unsigned i = 0; i < n; i++) {
		uint64_t region = challenge_range(&c, 0, 3);
		uint64_t page = i * (512 / MAX_PAGES) + challenge_range(&c, 0, 512 / MAX_PAGES - 1);
		va[i] = SLOT_VA + region * LARGE_PAGE_SIZE + page * PAGE_SIZE;
		frame[i] = frame_alloc();
		KCHECK(frame[i] != 0);
		order[i] = i;
	}
	for (unsigned i = n - 1; i > 0; i--) {
		unsigned j = (unsigned)challenge_range(&c, 0, i), t = order[i];
		order[i] = order[j];
		order[j] = t;
	}

	size_t free0 = frame_free_count();
	int err = E_OK;
	for (unsigned i = 0; i < n && err == E_OK; i++)
		err = pt_map(pml4, va[i], frame[i], 1, PTE_USER);
	size_t free1 = frame_free_count();
	kprintf("prune: %u pages in an empty slot: %d, %zu tables made\n", n, err, free0 - free1);
	uint64_t h = DIGEST_START;     /* of where byte offsets translate */
	for (unsigned i = 0; i < n; i++) {
		uint64_t byte = challenge_range(&c, 0, PAGE_SIZE - 1);
		h = digest_add(h, pt_translate(pml4, va[i] + byte) - frame[i]);
	}
	kprintf("prune: bytes of the pages translate to: digest %lx\n", h);
	for (unsigned i = 0; i < n; i++) {
		size_t before = frame_free_count();
		pt_unmap(pml4, va[order[i]]);
		unsigned paid = pt_prune(pml4, va[order[i]]);
		kprintf("prune: page %u unmapped: %u paid-for tables freed, %zu frames back\n",
			order[i], paid, frame_free_count() - before);
	}

	/* A kernel page, then gone as task_utcb_free() takes a UTCB: its tables are empty. */
	uint64_t own = SLOT_VA + challenge_range(&c, 0, SLOT_PAGES - 1) * PAGE_SIZE, pa = 0;
	free0 = frame_free_count();
	err = task_map_fresh(task, own, 1, pte_nx, &pa);
	if (err == E_OK) {
		pt_unmap(pml4, own);
		frame_free(pa);
	}
	free1 = frame_free_count();
	unsigned paid = pt_prune(pml4, own);
	kprintf("prune: the kernel's own page: %d, %zu tables made; %u paid-for tables freed, "
		"%zu frames back\n", err, free0 - free1, paid, frame_free_count() - free1);

	/* All frames but one taken: the map needs three tables, makes one and fails. */
	uint64_t hoard = 0;     /* the frames taken, chained through their first word */
	while (frame_free_count() > 1) {
		uint64_t f = frame_alloc();
		*(uint64_t *)P2V(f) = hoard;
		hoard = f;
	}
	err = pt_map(pml4, own, frame[0], 1, PTE_USER);
	kprintf("prune: a map with one free frame: %d, %zu free after, slot %s\n", err,
		frame_free_count(), pml4[pt_index(SLOT_VA, 4)] ? "in use" : "empty");
	while (hoard) {
		uint64_t next = *(uint64_t *)P2V(hoard);
		frame_free(hoard);
		hoard = next;
	}
	for (unsigned i = 0; i < n; i++)
		frame_free(frame[i]);
	task_free(task);
}
