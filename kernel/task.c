/**
 * @file
 * task.c — creating address spaces and filling them with fresh memory.
 *
 * The one thing to know: a new task is empty (the kernel half only), and the kernel
 * itself puts memory into a task only at boot (the root task's and sigma0's images,
 * stacks and boot-info pages), for UTCBs, and for the test harness's debug_clone;
 * everything else arrives by map and grant from user-level pagers. Who pays for a
 * task, and what its destruction gives back: task.h and task_destroy.c (lab 6).
 */
#include <frame.h>
#include <kmem.h>
#include <mapdb.h>
#include <panic.h>
#include <space.h>
#include <string.h>
#include <task.h>
#include <abi/error.h>
#include <arch/x86_64/cpu_local.h>
#include <arch/x86_64/layout.h>

static KMEM_POOL(task_pool, struct task);
static struct kmem_pool cap_table_pool = { "cap table", sizeof(struct cap) * CAP_SLOTS,
					   NULL, 0 };
static uint32_t next_task_id = 1;
uint64_t task_count;

_Static_assert(sizeof(struct cap) * CAP_SLOTS <= PAGE_SIZE, "a cap table fits a page");

struct task *task_create(struct task *parent, uint64_t limit)
{
	if (limit > TASK_LIMIT_MAX || !task_charge(parent, TASK_FIXED_COST + limit))
		return NULL;
	struct task *task = kmem_alloc(&task_pool);
	struct cap *caps = task ? kmem_alloc(&cap_table_pool) : NULL;
	uint64_t pa = caps ? frame_alloc() : 0;
	if (!pa) {
		if (caps)
			kmem_free(&cap_table_pool, caps);
		if (task)
			kmem_free(&task_pool, task);
		task_refund(parent, TASK_FIXED_COST + limit);
		return NULL;
	}
	task->caps = caps;
	task->pml4 = P2V(pa);
	task->pml4_pa = pa;
	memset(task->pml4, 0, PAGE_SIZE / 2);
	memcpy(task->pml4 + PT_ENTRIES / 2, kernel_pml4 + PT_ENTRIES / 2, PAGE_SIZE / 2);
	task->id = next_task_id++;
	task_count++;
	task->kmem_limit = limit;
	task->parent = parent;
	if (parent) {                   /* first among its siblings */
		task->sibling_next = parent->children;
		if (parent->children)
			parent->children->sibling_prev = task;
		parent->children = task;
	}
	return task;
}

/* Out of its parent's list of children, its charge back to the parent's account. */
static void task_unlink(struct task *task)
{
	struct task *parent = task->parent;
	if (!parent)
		return;
	if (task->sibling_prev)
		task->sibling_prev->sibling_next = task->sibling_next;
	else
		parent->children = task->sibling_next;
	if (task->sibling_next)
		task->sibling_next->sibling_prev = task->sibling_prev;
	task->sibling_next = task->sibling_prev = NULL;
	task_refund(parent, TASK_FIXED_COST + task->kmem_limit);
	task->parent = NULL;
}

/*
 * pt_map() of a 4 KiB page of the kernel's own, marking the tables it had to make
 * PTE_UNCHARGED: no task paid for them (quota_allows() never saw them), so when
 * pt_prune() frees one it must refund nothing — kmem_used would wrap below zero.
 */
static int map_uncharged(pte_t *pml4, uint64_t va, uint64_t pa, uint64_t flags)
{
	size_t free_before = frame_free_count();
	int err = pt_map(pml4, va, pa, 1, flags);
	/* The tables it made are the deepest on the way: the page table, then up. */
	size_t made = err == E_OK ? free_before - frame_free_count() : 0;
	for (int level = 1; level <= (int)made; level++)
		*pt_walk(pml4, va, level + 1, false) |= PTE_UNCHARGED;
	return err;
}

int task_map_fresh(struct task *task, uint64_t va, unsigned pages, uint64_t flags,
		   uint64_t *first_pa)
{
	for (unsigned i = 0; i < pages; i++) {
		uint64_t pa = frame_alloc();
		int err = pa ? E_OK : E_NOMEM;
		if (pa) {
			memset(P2V(pa), 0, PAGE_SIZE);
			err = map_uncharged(task->pml4, va + i * PAGE_SIZE, pa,
					    flags | PTE_USER);
		}
		if (err != E_OK) {
			if (pa)
				frame_free(pa);
			while (i-- > 0) {       /* undo what this call mapped */
				uint64_t done = va + i * PAGE_SIZE;
				frame_free(pt_translate(task->pml4, done));
				pt_unmap(task->pml4, done);
			}
			return err;
		}
		if (i == 0 && first_pa)
			*first_pa = pa;
	}
	return E_OK;
}

int task_utcb_alloc(struct task *task, uint64_t *va, uint64_t *pa)
{
	for (int i = 0; i < USER_UTCB_MAX; i++) {
		if (task->utcb_used[i / 64] & (1ull << (i % 64)))
			continue;
		*va = USER_UTCB_BASE + (uint64_t)i * PAGE_SIZE;
		int err = task_map_fresh(task, *va, 1, PTE_WRITE | pte_nx, pa);
		if (err != E_OK)
			return err;
		task->utcb_used[i / 64] |= 1ull << (i % 64);
		return i;
	}
	return E_FULL;
}

void task_utcb_free(struct task *task, int index)
{
	uint64_t va = USER_UTCB_BASE + (uint64_t)index * PAGE_SIZE;
	uint64_t pa = pt_translate(task->pml4, va);
	if (pa != PT_NO_MAPPING) {
		pt_unmap(task->pml4, va);
		frame_free(pa);
	}
	task->utcb_used[index / 64] &= ~(1ull << (index % 64));
}

/*
 * Frees the tables below `table` (of the given level, mapping from va) and the pages
 * the kernel put there itself; a page that came by map or grant is unmapped through
 * the mapping database instead, so its frame stays with whoever it came from.
 */
static void free_user_tables(struct task *task, pte_t *table, int level, uint64_t va)
{
	for (unsigned i = 0; i < PT_ENTRIES; i++) {
		pte_t e = table[i];
		uint64_t at = va + i * pt_page_size(level);
		if (!(e & PTE_PRESENT))
			continue;
		if (level > 1 && !(e & PTE_LARGE)) {
			free_user_tables(task, P2V(e & PTE_ADDR_MASK), level - 1, at);
			continue;
		}
		struct mapping *m = mapdb_find(task, at);
		/* No budget: the work is bounded by what its account let it map, and by
		 * what others derived from its pages, which their accounts bound. */
		unsigned all = ~0u;
		if (m)
			space_unmap_node(m, true, &all);
		else
			frame_free(e & PTE_ADDR_MASK);
	}
	frame_free(V2P(table));
}

void task_free_space(struct task *task)
{
	/* Never free the page table the CPU runs on (task_destroy.c switches away). */
	KASSERT(cpu.space != task && !task->thread_list);
	task->dying = true;     /* unmapping its pages below must not free its tables */
	for (unsigned i = 0; i < PT_ENTRIES / 2; i++) {    /* the user half only */
		if (task->pml4[i] & PTE_PRESENT)
			free_user_tables(task, P2V(task->pml4[i] & PTE_ADDR_MASK), 3,
					 (uint64_t)i << 39);
		task->pml4[i] = 0;
	}
	frame_free(task->pml4_pa);
	task->pml4 = NULL;
	task->pml4_pa = 0;
	if (task->io_bitmap[0]) {
		if (cpu.io_loaded == task)
			space_io_unload();
		frame_free(V2P(task->io_bitmap[0]));
		frame_free(V2P(task->io_bitmap[1]));
		task->io_bitmap[0] = task->io_bitmap[1] = NULL;
		space_io_bitmap_frames -= 2;
	}
}

static void task_struct_free(struct task *task)
{
	task_count--;
	kmem_free(&task_pool, task);
}

void task_release(struct task *task)
{
	/* What a destruction must have done first (task_destroy.c): a thread, an endpoint
	 * or a capability left now would point at freed memory for ever after. */
	KASSERT(!task->thread_list && !task->endpoints && !task->pml4);
	for (long slot = 1; slot < CAP_SLOTS; slot++)
		KASSERT(task->caps[slot].type == CAP_NULL || !task->dead);
	task_unlink(task);
	/* Its children are dead too, reclaimed after it: their charges have nowhere to go. */
	for (struct task *child = task->children, *next; child; child = next) {
		next = child->sibling_next;
		child->parent = NULL;
		child->sibling_next = child->sibling_prev = NULL;
	}
	task->children = NULL;
	task->released = true;
	if (task->caps) {
		kmem_free(&cap_table_pool, task->caps);
		task->caps = NULL;
	}
	if (task->refs == 0)
		task_struct_free(task);
}

void task_free(struct task *task)
{
	KASSERT(task->threads == 0 && task->refs == 0 && !task->children &&
		!task->endpoints && !task->thread_list);
	task_free_space(task);
	task_release(task);
}

void task_refs(struct task *task, int delta)
{
	task->refs += delta;
	if (task->refs > 0)
		return;
	if (task->dead) {
		if (task->released)     /* destroyed before: only its struct was left */
			task_struct_free(task);
		/* else task_destroy() is under way (dropping the task's own capabilities):
		 * task_release() frees it at the end */
	} else
		task_destroy(task);     /* nothing names it: nobody could ever use it */
}
