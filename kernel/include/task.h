/**
 * @file
 * task.h — a task: an address space and a capability table, holding threads.
 *
 * The one thing to know: every task's page table shares the kernel half (PML4 entries
 * 256-511) with kernel_pml4, by copying those entries at creation. This works because
 * the kernel never adds a PML4 entry in its half after boot; new kernel mappings go
 * into tables those entries already point to.
 */
#ifndef TASK_H
#define TASK_H

#include <stdbool.h>
#include <stdint.h>
#include <cap.h>
#include <abi/layout.h>
#include <arch/x86_64/paging.h>

struct task {
	pte_t *pml4;                    /* through the direct map */
	uint64_t pml4_pa;               /* what CR3 gets */
	struct cap *caps;               /* CAP_SLOTS entries */
	uint32_t id;
	uint32_t refs;                  /* capabilities naming it */
	uint32_t threads;               /* live threads */
	uint64_t utcb_used[USER_UTCB_MAX / 64];     /* which UTCB pages are taken */
	bool is_sigma0;                 /* its "address space" to map from is physical memory */
	bool dying;                     /* task_destroy() is walking and freeing its tables */
	uint64_t kmem_used, kmem_limit; /* bytes of kernel memory its mappings use (lab 5) */
	uint8_t *io_bitmap[2];          /* its I/O ports, a 4 KiB half each (1 = no access);
					 * NULL: none */
};

/* The kernel memory a task may use for page tables and mappings unless told otherwise. */
#define TASK_KMEM_DEFAULT (4ull << 20)

/* An empty task: only the kernel half mapped. NULL if out of memory. */
struct task *task_create(void);
/* Frees a task with no threads and no capabilities naming it, and all its user memory
 * (in labs 3 and 4 every user page is the task's own: nothing is shared yet). */
void task_destroy(struct task *task);

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

#endif
