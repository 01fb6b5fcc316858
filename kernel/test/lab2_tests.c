/**
 * @file
 * lab2_tests.c — scenarios for lab 2: the frame allocator and the kernel page table.
 *
 * The one thing to know: the frame scenarios run before paging_init() (so the allocator
 * can be tested alone), the paging ones after it, on the kernel's own page table, so
 * they also prove that the kernel survived the switch. They undo what they do (free
 * what they allocate, unmap what they map), and check the free count to prove it.
 */
#include <frame.h>
#include <kprintf.h>
#include <string.h>
#include <abi/error.h>
#include <arch/x86_64/cpu.h>
#include <arch/x86_64/layout.h>
#include <arch/x86_64/paging.h>
#include <arch/x86_64/probe.h>
#include <test/ktest.h>

extern char kernel_phys_start[], kernel_phys_end[];
extern char kernel_text_start[], kernel_rodata_start[];

static int frame_is_kernel(uint64_t pa)
{
	return pa + PAGE_SIZE > (uint64_t)kernel_phys_start && pa < (uint64_t)kernel_phys_end;
}

KTEST(frame_alloc_basic, STAGE_FRAMES)
{
	size_t before = frame_free_count();
	uint64_t f[3];

	for (int i = 0; i < 3; i++) {
		f[i] = frame_alloc();
		KCHECK(f[i] != 0);
		KCHECK((f[i] & (PAGE_SIZE - 1)) == 0);
		KCHECK(f[i] >= 0x100000);
		KCHECK(!frame_is_kernel(f[i]));
		memset(P2V(f[i]), 0xa0 + i, PAGE_SIZE);     /* must not disturb the others */
	}
	KCHECK(f[0] != f[1] && f[1] != f[2] && f[0] != f[2]);
	for (int i = 0; i < 3; i++)
		KCHECK(((uint8_t *)P2V(f[i]))[PAGE_SIZE - 1] == 0xa0 + i);
	kprintf("frames: 3 allocated, distinct and aligned; free %zu -> %zu\n", before,
		frame_free_count());
	KCHECK(frame_free_count() == before - 3);
	for (int i = 0; i < 3; i++)
		frame_free(f[i]);
	kprintf("frames: 3 freed; free %zu\n", frame_free_count());
	KCHECK(frame_free_count() == before);
}

/* One bit per frame of the 128 MiB the grader gives the machine, and then some. */
static uint64_t seen[(1u << 30) / PAGE_SIZE / 64];

KTEST(frame_alloc_exhaust, STAGE_FRAMES)
{
	size_t before = frame_free_count();
	uint64_t head = 0;      /* the allocated frames, chained through their first word */
	size_t n = 0, dup = 0;

	for (uint64_t pa; (pa = frame_alloc()) != 0; n++) {
		uint64_t bit = pa / PAGE_SIZE;
		if (bit < sizeof(seen) * 8) {
			if (seen[bit / 64] & (1ull << (bit % 64)))
				dup++;
			seen[bit / 64] |= 1ull << (bit % 64);
		}
		*(uint64_t *)P2V(pa) = head;
		head = pa;
	}
	kprintf("frames: allocated %zu of %zu before running out, %zu duplicates\n", n, before,
		dup);
	KCHECK(frame_alloc() == 0);     /* still empty, and still no panic */
	while (head) {
		uint64_t next = *(uint64_t *)P2V(head);
		frame_free(head);
		head = next;
	}
	kprintf("frames: all returned; free %zu\n", frame_free_count());
	KCHECK(n == before && dup == 0 && frame_free_count() == before);
}

#define SPEED_FRAMES 10000

KTEST(frame_alloc_speed, STAGE_FRAMES)
{
	static uint64_t frames[SPEED_FRAMES];

	uint64_t start = rdtsc();
	for (int i = 0; i < SPEED_FRAMES; i++)
		frames[i] = frame_alloc();
	for (int i = 0; i < SPEED_FRAMES; i++)
		frame_free(frames[i]);
	uint64_t cost = rdtsc() - start;

	for (int i = 0; i < SPEED_FRAMES; i++)
		KCHECK(frames[i] != 0);
	ktest_figure("frame_alloc_free_10000", cost);
}

/* Below the direct map, where the kernel page table has nothing: free for tests. */
#define TEST_VA 0x0000004000000000ul

KTEST(paging_map_page, STAGE_PAGING)
{
	uint64_t pa = frame_alloc();
	KCHECK(pa != 0);
	*(volatile uint64_t *)P2V(pa) = 0x1122334455667788;

	KCHECK(pt_translate(kernel_pml4, TEST_VA) == PT_NO_MAPPING);
	int err = pt_map(kernel_pml4, TEST_VA, pa, 1, PTE_WRITE | pte_nx);
	kprintf("paging: map %lx -> %lx: %d\n", TEST_VA, pa, err);
	KCHECK(err == E_OK);
	KCHECK(pt_translate(kernel_pml4, TEST_VA + 0x123) == pa + 0x123);
	kprintf("paging: read through the new mapping: %lx\n", *(volatile uint64_t *)TEST_VA);
	*(volatile uint64_t *)(TEST_VA + 8) = 0xfeedface;
	kprintf("paging: write seen through the direct map: %lx\n",
		*(volatile uint64_t *)((char *)P2V(pa) + 8));
	kprintf("paging: mapping it again: %d\n", pt_map(kernel_pml4, TEST_VA, pa, 1, 0));
	kprintf("paging: a misaligned address: %d\n",
		pt_map(kernel_pml4, TEST_VA + 8, pa, 1, 0));
	KCHECK(pt_unmap(kernel_pml4, TEST_VA) == E_OK);
	frame_free(pa);

	/* The direct map uses 2 MiB pages: there is no page table to walk into. */
	uint64_t inside_large = PHYS_BASE + LARGE_PAGE_SIZE + PAGE_SIZE;
	kprintf("paging: walk into a large page: %s\n",
		pt_walk(kernel_pml4, inside_large, 1, false) ? "an entry" : "none");
	kprintf("paging: unmap inside a large page: %d\n", pt_unmap(kernel_pml4, inside_large));
	kprintf("paging: map inside a large page: %d\n",
		pt_map(kernel_pml4, inside_large, pa, 1, 0));
}

KTEST(paging_unmap_page, STAGE_PAGING)
{
	uint64_t pa = frame_alloc(), v;
	KCHECK(pa != 0);
	KCHECK(pt_map(kernel_pml4, TEST_VA, pa, 1, PTE_WRITE | pte_nx) == E_OK);
	KCHECK(probe_read_u64(TEST_VA, &v));     /* also puts the entry in the TLB */
	kprintf("paging: unmap: %d\n", pt_unmap(kernel_pml4, TEST_VA));
	kprintf("paging: read after unmap %s\n",
		probe_read_u64(TEST_VA, &v) ? "succeeded" : "faulted");
	kprintf("paging: translate after unmap: %s\n",
		pt_translate(kernel_pml4, TEST_VA) == PT_NO_MAPPING ? "none" : "still mapped");
	kprintf("paging: unmap again: %d\n", pt_unmap(kernel_pml4, TEST_VA));
	frame_free(pa);
}

/* Pages in one 2 MiB region share their page table: mapping the second costs no frame. */
KTEST(paging_table_reuse, STAGE_PAGING)
{
	uint64_t a = frame_alloc(), b = frame_alloc();
	KCHECK(a && b);
	size_t free0 = frame_free_count();
	KCHECK(pt_map(kernel_pml4, TEST_VA + 0x200000, a, 1, pte_nx) == E_OK);
	size_t free1 = frame_free_count();
	KCHECK(pt_map(kernel_pml4, TEST_VA + 0x201000, b, 1, pte_nx) == E_OK);
	size_t free2 = frame_free_count();
	kprintf("paging: first page in a new region took %zu table frames, the second %zu\n",
		free0 - free1, free1 - free2);
	KCHECK(pt_translate(kernel_pml4, TEST_VA + 0x201000) == b);
	KCHECK(pt_unmap(kernel_pml4, TEST_VA + 0x200000) == E_OK);
	KCHECK(pt_unmap(kernel_pml4, TEST_VA + 0x201000) == E_OK);
	frame_free(a);
	frame_free(b);
}

/*
 * New page tables must start empty. Frames that held garbage (here: every entry
 * "present") are freed first, so a LIFO allocator hands them to the walk as tables.
 */
KTEST(paging_tables_zeroed, STAGE_PAGING)
{
	enum { DIRTY = 16 };
	uint64_t dirty[DIRTY];

	for (int i = 0; i < DIRTY; i++) {
		dirty[i] = frame_alloc();
		KCHECK(dirty[i] != 0);
		memset(P2V(dirty[i]), 0x67, PAGE_SIZE);     /* present, writable, user, ... */
	}
	for (int i = DIRTY - 1; i >= 0; i--)
		frame_free(dirty[i]);

	uint64_t pa = frame_alloc();
	KCHECK(pa != 0);
	uint64_t va = TEST_VA + 0x40000000;     /* a fresh 1 GiB region: new PD and PT */
	KCHECK(pt_map(kernel_pml4, va, pa, 1, pte_nx) == E_OK);
	int stray = 0;
	for (uint64_t off = 0x1000; off < 0x400000; off += 0x1000)
		if (pt_translate(kernel_pml4, va + off) != PT_NO_MAPPING)
			stray++;
	kprintf("paging: pages mapped around a fresh mapping: %d\n", stray);
	KCHECK(pt_unmap(kernel_pml4, va) == E_OK);
	frame_free(pa);
}

/* The page below the boot stack is a guard: overflowing into it is a double fault. */
static volatile int keep_going = 1;    /* the compiler cannot prove the recursion endless */

static int recurse(int depth)
{
	volatile char pad[512];
	pad[0] = (char)depth;
	if (!keep_going)
		return 0;
	return recurse(depth + 1) + pad[0];
}

KTEST(paging_stack_guard, STAGE_PAGING)
{
	extern char kernel_stack_guard[];
	uint64_t v;
	kprintf("guard: stack guard page at %016lx is %s\n", (uint64_t)kernel_stack_guard,
		probe_read_u64((uint64_t)kernel_stack_guard, &v) ? "mapped" : "unmapped");
	kprintf("guard: recursing without end\n");
	recurse(0);
}

static const uint64_t some_constant = 0xc0ffee;
static uint64_t some_variable = 1;

/* W^X: the kernel cannot write its code or constants, nor run its data; low memory is gone. */
KTEST(paging_kernel_protection, STAGE_PAGING)
{
	uint64_t v;
	kprintf("protect: write to kernel text %s\n",
		probe_write_u64((uint64_t)kernel_text_start, 0) ? "succeeded" : "faulted");
	kprintf("protect: write to read-only data %s\n",
		probe_write_u64((uint64_t)&some_constant, 0) ? "succeeded" : "faulted");
	kprintf("protect: write to data %s\n",
		probe_write_u64((uint64_t)&some_variable, 2) ? "succeeded" : "faulted");
	kprintf("protect: read of address 0 %s\n", probe_read_u64(0, &v) ? "succeeded" : "faulted");

	pte_t *data = pt_walk(kernel_pml4, (uint64_t)&some_variable, 1, false);
	pte_t *text = pt_walk(kernel_pml4, (uint64_t)kernel_text_start, 1, false);
	KCHECK(data && text);
	kprintf("protect: data is %s, text is %s\n",
		(*data & pte_nx) || !pte_nx ? "no-execute" : "executable",
		(*text & PTE_NX) ? "no-execute" : "executable");
}
