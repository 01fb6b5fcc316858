/**
 * @file
 * lab5_destroy_tests.c — a kernel scenario for lab 5: destroying a task that holds
 * mapped pages, some of them mapped again from its own.
 *
 * The one thing to know: task_free() walks the task's tables and unmaps each mapped
 * page through the mapping database, while unmap elsewhere frees tables left empty.
 * Here that must not happen (the walk is still reading them, and frees them itself),
 * so the frames that come back are exactly the task's tables and its PML4, each once.
 * How many pages, where and mapped from what come from the seed.
 * The pages' frames stay with their owner, a stand-in for sigma0.
 */
#include <frame.h>
#include <kprintf.h>
#include <mapdb.h>
#include <task.h>
#include <abi/error.h>
#include <abi/ipc.h>
#include <arch/x86_64/layout.h>
#include <arch/x86_64/paging.h>
#include <test/ktest.h>

#define REGIONS_MAX 3
#define PAGES_MAX   4                   /* in one region */
#define SLOT        (1ull << 39)        /* what one PML4 entry maps */
#define TABLE       (1ull << 21)        /* what one page table maps */

/* The owner's nodes go without touching any page table: it has none. */
static void forget(struct mapping *m)
{
	(void)m;
}

/* A node for (task, va) derived from `from`, and its page-table entry, as place_page()
 * makes them; NULL if either cannot be made. */
static struct mapping *map_one(struct mapping *from, struct task *task, uint64_t va)
{
	struct mapping *m = from ? mapdb_map(from, task, va, MAP_WRITE) : NULL;
	if (m && pt_map(task->pml4, va, m->pa, 1, PTE_USER | PTE_WRITE | pte_nx) != E_OK)
		return NULL;
	return m;
}

/*
 * From the seed: 2 or 3 regions, each in a PML4 slot of its own (so each costs a PDPT
 * and a page directory), at a place of the seed's. The first holds 2 to 4 pages side
 * by side in one page table, each mapped from the one before (the task's own); the
 * second 3 or 4, the first two from roots of their own, the rest each from the one
 * before; a third 1 to 4, side by side or each in a page table of its own, each from
 * the one before or from a root, as the seed says. The frames taken are the tables;
 * the frames back are those and the PML4; no node of the task is left.
 */
KTEST(task_destroy_mapped, STAGE_USER)
{
	struct challenge c = ktest_challenge();
	struct task *owner = task_create(NULL, TASK_KMEM_DEFAULT);
	struct task *victim = task_create(NULL, TASK_KMEM_DEFAULT);
	KCHECK(owner && victim);
	struct mapping *roots[REGIONS_MAX * PAGES_MAX];
	unsigned regions = (unsigned)challenge_range(&c, 2, REGIONS_MAX), nroots = 0;
	unsigned pages[REGIONS_MAX], spread[REGIONS_MAX], fresh[REGIONS_MAX][PAGES_MAX];
	uint64_t base[REGIONS_MAX];
	for (unsigned r = 0; r < regions; r++) {
		uint64_t slot;
		bool taken;
		do {
			slot = challenge_range(&c, 1, 254);
			taken = false;
			for (unsigned q = 0; q < r; q++)
				taken |= base[q] / SLOT == slot;
		} while (taken);
		pages[r] = (unsigned)challenge_range(&c, r == 0 ? 2 : r == 1 ? 3 : 1, PAGES_MAX);
		spread[r] = (unsigned)challenge_range(&c, 0, 1) && r >= 2;
		base[r] = slot * SLOT + challenge_range(&c, 0, 500) * TABLE +
			  challenge_range(&c, 0, 500) * PAGE_SIZE;
		for (unsigned j = 0; j < pages[r]; j++) {
			unsigned coin = j > 0 ? (unsigned)challenge_range(&c, 0, 1) : 1;
			fresh[r][j] = j == 0 || (r == 1 ? j == 1 : r >= 2 && coin);
			nroots += fresh[r][j];
		}
	}
	unsigned index = (unsigned)challenge_range(&c, 0, 511);
	for (unsigned i = 0; i < nroots; i++) {
		bool made;
		uint64_t pa = frame_alloc();
		KCHECK(pa);
		roots[i] = mapdb_root(owner, pa, &made);
		KCHECK(roots[i]);
		((volatile uint64_t *)P2V(pa))[index] = challenge_next(&c);
	}
	unsigned long nodes0 = mapdb_count();
	size_t free0 = frame_free_count();
	unsigned mapped = 0, wanted = 0, next_root = 0;
	for (unsigned r = 0; r < regions; r++) {
		struct mapping *prev = NULL;
		for (unsigned j = 0; j < pages[r]; j++) {
			uint64_t va = base[r] + j * (spread[r] ? TABLE : PAGE_SIZE);
			prev = map_one(fresh[r][j] ? roots[next_root++] : prev, victim, va);
			mapped += prev != NULL;
			wanted++;
		}
	}
	size_t free1 = frame_free_count();
	victim->kmem_used = (free0 - free1) * PAGE_SIZE + wanted * sizeof(struct mapping);
	/* Each page's word, read through the task's own page table (a digest, in order). */
	uint64_t h = DIGEST_START;
	for (unsigned r = 0; r < regions; r++) {
		for (unsigned j = 0; j < pages[r]; j++) {
			uint64_t pa = pt_translate(victim->pml4, base[r] + j * (spread[r] ? TABLE :
										 PAGE_SIZE));
			uint64_t word = pa == PT_NO_MAPPING ? 0 :
					((volatile uint64_t *)P2V(pa))[index];
			h = digest_add(h, word);
		}
	}
	kprintf("destroy: %u of %u pages mapped in %u regions, %lu nodes, %zu frames taken; "
		"read through them, digest %lx\n", mapped, wanted, regions,
		mapdb_count() - nodes0, free0 - free1, h);
	task_free(victim);
	kprintf("destroy: the task is gone: %lu of its nodes left, %zu frames back\n",
		mapdb_count() - nodes0, frame_free_count() - free1);
	for (unsigned i = 0; i < nroots; i++) {
		uint64_t pa = roots[i]->pa;
		unsigned all = ~0u;
		mapdb_unmap(roots[i], true, &all, forget);
		frame_free(pa);
	}
	task_free(owner);
}
