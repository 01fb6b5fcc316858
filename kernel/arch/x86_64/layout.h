/**
 * @file
 * layout.h — the kernel's virtual address layout, shared by C and assembly.
 *
 * The one thing to know: physical memory is reachable at PHYS_BASE + pa (the "direct
 * map") and the kernel image at KERNEL_VMA + pa. Use P2V()/V2P() to move between
 * physical and direct-map addresses; never hard-code either base elsewhere.
 */
#pragma once

/* Unsigned 64-bit constants in C; plain numbers for the assembler. */
#ifdef __ASSEMBLER__
#define U64(x) x
#else
#define U64(x) x##ull
#endif

#define KERNEL_VMA              U64(0xffffffff80000000)
#define PHYS_BASE               U64(0xffff800000000000)
#define PML4_INDEX_PHYS_BASE    256
/* What boot.S maps before paging_init(): the direct map reaches this far. */
#define EARLY_MAP_LIMIT         U64(0x100000000)
#define KERNEL_STACK_SIZE       16384
/* Threads' kernel stacks, each behind an unmapped guard page (thread.c). */
#define KSTACK_AREA             U64(0xffffffffa0000000)
#define KSTACK_AREA_SIZE        U64(0x20000000)
/* Memory-mapped devices the kernel itself uses (the local APIC). */
#define DEVICE_WINDOW           U64(0xffffffffc0000000)
#define PAGE_SIZE               4096
#define LARGE_PAGE_SIZE         0x200000

#ifndef __ASSEMBLER__
#include <stdint.h>

/* The direct-map address of physical address pa. */
static inline void *P2V(uint64_t pa)
{
	return (void *)(pa + PHYS_BASE);
}

/* The physical address behind a direct-map or kernel-image address. */
static inline uint64_t V2P(const void *va)
{
	uint64_t a = (uint64_t)va;
	return a >= KERNEL_VMA ? a - KERNEL_VMA : a - PHYS_BASE;
}
#endif
