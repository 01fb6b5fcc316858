/**
 * @file
 * paging.h — 4-level x86-64 page tables: walk, map, unmap, translate.
 *
 * The one thing to know: a virtual address is split into four 9-bit indices (PML4,
 * PDPT, PD, PT; "levels" 4 to 1) and a 12-bit offset. An entry at level 2 or 3 with
 * PTE_LARGE maps a 2 MiB or 1 GiB page directly; otherwise it points to the next table.
 * Tables hold physical addresses; the kernel reads them through the direct map.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

typedef uint64_t pte_t;

#define PTE_PRESENT     (1ull << 0)
#define PTE_WRITE       (1ull << 1)
#define PTE_USER        (1ull << 2)
#define PTE_LARGE       (1ull << 7)     /* levels 2 and 3: a 2 MiB / 1 GiB page */
#define PTE_GLOBAL      (1ull << 8)     /* survives CR3 switches: kernel mappings */
#define PTE_UNCACHED    ((1ull << 3) | (1ull << 4))     /* PWT | PCD: UC, for devices */
#define PTE_NX          (1ull << 63)    /* no execute, if the CPU has NX */
/* A bit the CPU ignores, kept in an entry that points to a table of a user address
 * space: no task's quota paid for that table (the kernel made it for a page of its
 * own: task_map_fresh()), so freeing it refunds nothing. */
#define PTE_UNCHARGED   (1ull << 9)
#define PTE_ADDR_MASK   0x000ffffffffff000ull

#define PT_ENTRIES      512
#define PT_NO_MAPPING   (~0ull)

/* The index of va in a table of the given level (4: PML4 ... 1: page table). */
static inline unsigned pt_index(uint64_t va, int level)
{
	return (va >> (12 + 9 * (level - 1))) & (PT_ENTRIES - 1);
}

/* The size of the page an entry of the given level maps: 4 KiB, 2 MiB, 1 GiB. */
static inline uint64_t pt_page_size(int level)
{
	return 1ull << (12 + 9 * (level - 1));
}

struct boot_info;

/* The kernel's own page table; every address space of lab 3 shares its top half. */
extern pte_t *kernel_pml4;
/* PTE_NX if the CPU supports it, else 0 (the bit would be reserved and fault). */
extern uint64_t pte_nx;

pte_t *pt_walk(pte_t *pml4, uint64_t va, int level, bool create);
int pt_map(pte_t *pml4, uint64_t va, uint64_t pa, int level, uint64_t flags);
int pt_unmap(pte_t *pml4, uint64_t va);
uint64_t pt_translate(pte_t *pml4, uint64_t va);
/*
 * Frees the tables on the way to the user address va that hold no entry, the page
 * table first, then its page directory, then the PDPT, stopping at the first table
 * that is still in use; never the PML4, and nothing in its kernel half. Call it after
 * pt_unmap(). Returns how many of the freed tables lacked PTE_UNCHARGED (were paid for).
 */
unsigned pt_prune(pte_t *pml4, uint64_t va);

/* Builds kernel_pml4 (direct map and kernel image) and switches to it. */
void paging_init(const struct boot_info *bi);
