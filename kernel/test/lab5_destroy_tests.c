/**
 * @file
 * lab5_destroy_tests.c — a kernel scenario for lab 5: destroying a task that holds
 * mapped pages, some of them mapped again from its own.
 *
 * The one thing to know: task_destroy() walks the task's tables and unmaps each mapped
 * page through the mapping database, while unmap elsewhere frees tables left empty.
 * Here that must not happen (the walk is still reading them, and frees them itself),
 * so the frames that come back are exactly the task's tables and its PML4, each once.
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

#define SLOT_A 0x0000100000000000ull    /* two PML4 slots of user space that nothing uses */
#define SLOT_B 0x0000180000000000ull

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

KTEST(task_destroy_mapped, STAGE_USER)
{
	struct task *owner = task_create(), *victim = task_create();
	KCHECK(owner && victim);
	struct mapping *roots[3];
	for (int i = 0; i < 3; i++) {
		bool made;
		uint64_t pa = frame_alloc();
		KCHECK(pa);
		roots[i] = mapdb_root(owner, pa, &made);
		KCHECK(roots[i]);
	}
	unsigned long nodes0 = mapdb_count();
	size_t free0 = frame_free_count();
	/* Slot A: a page, and a page mapped from it, alone in their page table; slot B: a
	 * page and a second one mapped from it twice over. */
	struct mapping *a = map_one(roots[0], victim, SLOT_A);
	struct mapping *a2 = map_one(a, victim, SLOT_A + PAGE_SIZE);
	struct mapping *b = map_one(roots[1], victim, SLOT_B);
	struct mapping *b2 = map_one(roots[2], victim, SLOT_B + PAGE_SIZE);
	struct mapping *b3 = map_one(b2, victim, SLOT_B + 2 * PAGE_SIZE);
	struct mapping *b4 = map_one(b3, victim, SLOT_B + 3 * PAGE_SIZE);
	size_t free1 = frame_free_count();
	victim->kmem_used = (free0 - free1) * PAGE_SIZE + 6 * sizeof(struct mapping);
	kprintf("destroy: %s mapped, %lu nodes, %zu frames taken\n",
		a && a2 && b && b2 && b3 && b4 ? "all six" : "not all", mapdb_count() - nodes0,
		free0 - free1);
	task_destroy(victim);
	kprintf("destroy: the task is gone: %lu of its nodes left, %zu frames back\n",
		mapdb_count() - nodes0, frame_free_count() - free1);
	for (int i = 0; i < 3; i++) {
		uint64_t pa = roots[i]->pa;
		unsigned all = ~0u;
		mapdb_unmap(roots[i], true, &all, forget);
		frame_free(pa);
	}
	task_destroy(owner);
}
