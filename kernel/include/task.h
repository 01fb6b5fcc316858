/**
 * @file
 * task.h — a task: an address space and a capability table, holding threads.
 *
 * The one thing to know: every task's page table shares the kernel half (PML4 entries
 * 256-511) with kernel_pml4, by copying those entries at creation. This works because
 * the kernel never adds a PML4 entry in its half after boot; new kernel mappings go
 * into tables those entries already point to.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <cap.h>
#include <abi/layout.h>
#include <abi/syscall.h>
#include <arch/x86_64/paging.h>

struct endpoint;
struct thread;

struct task {
	pte_t *pml4;                    /* through the direct map */
	uint64_t pml4_pa;               /* what CR3 gets */
	struct cap *caps;               /* CAP_SLOTS entries */
	uint32_t id;
	uint32_t refs;                  /* capabilities naming it */
	uint32_t threads;               /* live threads */
	uint64_t utcb_used[USER_UTCB_MAX / 64];     /* which UTCB pages are taken */
	bool is_sigma0;                 /* its "address space" to map from is physical memory */
	bool dying;                     /* its tables are being walked and freed */
	bool dead;                      /* destroyed: only the struct is left, while
					 * capabilities name it (lab 6) */
	bool released;                  /* dead, and its table and account are gone */
	bool pinned;                    /* made at boot (root, sigma0): never destroyed */
	/*
	 * Its account (lab 6): bytes of kernel memory charged to it, and its limit. It pays
	 * for its own page tables, mapping nodes, I/O bitmap and threads, and for the
	 * endpoints and tasks it creates; a task it creates costs it TASK_FIXED_COST plus
	 * the child's whole limit, so no subtree of tasks can use more than its root's.
	 */
	uint64_t kmem_used, kmem_limit;
	uint8_t *io_bitmap[2];          /* its I/O ports, a 4 KiB half each (1 = no access);
					 * NULL: none */

	/* What dies with it (lab 6): the tasks it created (their memory is its), its
	 * threads and the endpoints it created. Doubly linked, so each goes in O(1). */
	struct task *parent;            /* whose account paid for it; NULL: the kernel's */
	struct task *children, *sibling_next, *sibling_prev;
	struct thread *thread_list;     /* a ring (ring.h), through thread.task_link */
	struct endpoint *endpoints;     /* a ring, through endpoint.owner_link */
	struct task *destroy_next;      /* on task_destroy()'s work list */
};

/* The largest account a task can have: TASK_QUOTA_MAX_PAGES (abi/syscall.h). */
#define TASK_LIMIT_MAX (TASK_QUOTA_MAX_PAGES * PAGE_SIZE)

/* A new task's limit when its creator does not choose one: kernel tests, boot tasks. */
#define TASK_KMEM_DEFAULT (4ull << 20)

/*
 * What a task costs its creator besides the child's limit: its struct, its capability
 * table, its PML4 and the (at most three) tables that hold its UTCB pages, which the
 * kernel makes itself. A constant, so that the refund is the same number.
 */
#define TASK_FIXED_COST (TASK_FIXED_COST_PAGES * PAGE_SIZE)

/* Tasks whose struct exists, live or dead (debug_stats). */
extern uint64_t task_count;

/*
 * An empty task: only the kernel half mapped, `limit` bytes of account. parent pays
 * TASK_FIXED_COST + limit (NULL: the kernel pays, for boot tasks and kernel tests).
 * NULL if out of memory or if parent's account has no room.
 */
struct task *task_create(struct task *parent, uint64_t limit);
/*
 * Frees a task that never ran: no threads, no capability naming it, nothing it created
 * (task_create's callers on failure, kernel tests), with its user memory.
 */
void task_free(struct task *task);
/*
 * Destroys a task and everything it holds and created (task_destroy.c, lab 6); its
 * struct stays, dead, while capabilities name it. Returns E_STATE for a pinned task.
 * If the calling thread was in it, that thread is dead on return: the caller must not
 * return to user mode, but call schedule().
 */
int task_destroy(struct task *task);
/* One more (1) or one fewer (-1) capability names task: the last one destroys it, or
 * frees a dead one's struct. */
void task_refs(struct task *task, int delta);

/* Charges bytes to task's account (NULL: the kernel's, always room); false if no room. */
static inline bool task_charge(struct task *task, uint64_t bytes)
{
	if (!task)
		return true;
	if (task->kmem_used > task->kmem_limit || bytes > task->kmem_limit - task->kmem_used)
		return false;
	task->kmem_used += bytes;
	return true;
}

/* Gives back what task_charge() took. */
static inline void task_refund(struct task *task, uint64_t bytes)
{
	if (task)
		task->kmem_used -= bytes;
}

/* The end of a destruction (or of task_free): out of its parent's account and list, its
 * capability table freed, and its struct too unless capabilities still name it. */
void task_release(struct task *task);
/* Tears down a task's user address space (pages, mapping nodes and everything derived
 * from its pages elsewhere, page tables, the PML4) and its I/O bitmap. */
void task_free_space(struct task *task);

/*
 * Maps `pages` fresh zeroed frames at user address va with PTE flags (PTE_USER is
 * implied). Returns 0, E_NOMEM, or E_EXISTS; on failure maps nothing. Neither the
 * frames nor the page tables made for them are charged to the task's quota.
 */
int task_map_fresh(struct task *task, uint64_t va, unsigned pages, uint64_t flags,
		   uint64_t *first_pa);

/* Takes a free UTCB page of the task: maps it and returns its index, or E_FULL/E_NOMEM. */
int task_utcb_alloc(struct task *task, uint64_t *va, uint64_t *pa);
void task_utcb_free(struct task *task, int index);
