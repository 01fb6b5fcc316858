/**
 * @file
 * lab2_user_tests.c — a lab 2 scenario: a page mapped for user mode is a user page at
 * every level of the walk, and one mapped without PTE_USER is not.
 *
 * The one thing to know: the CPU treats a page as user-accessible only if every level
 * of the walk has the user bit, so pt_walk()'s intermediate entries decide as much as
 * the leaf. Lab 2 has no user mode, but SMAP shows the same thing from the kernel: with
 * CR4.SMAP on and RFLAGS.AC clear, a kernel access to a user page faults, and to a
 * supervisor page does not. The scenario turns SMAP on for itself (lab 3 turns it on
 * for good) and off again.
 */
#include <frame.h>
#include <kprintf.h>
#include <abi/error.h>
#include <arch/x86_64/cpu.h>
#include <arch/x86_64/layout.h>
#include <arch/x86_64/paging.h>
#include <test/ktest.h>
#include <test/probe.h>

#define CR4_SMAP        (1u << 21)
#define CPUID7_EBX_SMAP (1u << 20)

/* PML4 slot 0 from 256 GiB, as in lab2_tests.c: nothing else is mapped there. */
#define TEST_VA 0x0000004000000000ul
#define TEST_GIB 256

/* A kernel read of va under SMAP, with RFLAGS.AC set (as user copies run) or clear. */
static bool read_under_smap(uint64_t va, bool ac, uint64_t *out)
{
	if (ac)
		__asm__ volatile("stac" : : : "memory", "cc");   /* sets RFLAGS.AC only */
	bool ok = probe_read_u64(va, out);
	if (ac)
		__asm__ volatile("clac" : : : "memory", "cc");
	return ok;
}

static void report(const char *what, uint64_t va, bool ac, uint64_t expected)
{
	uint64_t v = ~expected;
	bool ok = read_under_smap(va, ac, &v);
	kprintf("user: %s, a kernel read with AC %s: %s", what, ac ? "set" : "clear",
		ok ? "read " : "faulted");
	if (ok)
		kprintf("%lx", v);
	kprintf("\n");
}

/*
 * Two pages in two fresh 1 GiB regions the seed picks (so each walk makes its own page
 * directory and page table), one mapped with PTE_USER and one without, each holding a
 * word from the seed. Under SMAP the kernel cannot read the user page unless AC is set;
 * it reads the other either way.
 */
KTEST(paging_user_bit, STAGE_PAGING)
{
	struct challenge c = ktest_challenge();
	uint64_t gib = challenge_range(&c, 0, TEST_GIB - 2);
	uint64_t user_va = TEST_VA + (gib << 30) + challenge_range(&c, 0, 262143) * PAGE_SIZE;
	uint64_t kernel_va = TEST_VA + ((gib + 1) << 30) + challenge_range(&c, 0, 262143) *
			     PAGE_SIZE;
	uint64_t user_word = challenge_next(&c), kernel_word = challenge_next(&c);
	uint32_t a, b, cx, d;
	cpuid(7, &a, &b, &cx, &d);
	KCHECK(b & CPUID7_EBX_SMAP);    /* the grader's QEMU CPU has it */

	uint64_t user_pa = frame_alloc(), kernel_pa = frame_alloc();
	KCHECK(user_pa && kernel_pa);
	*(uint64_t *)P2V(user_pa) = user_word;
	*(uint64_t *)P2V(kernel_pa) = kernel_word;
	kprintf("user: map with PTE_USER: %d, without: %d\n",
		pt_map(kernel_pml4, user_va, user_pa, 1, PTE_USER | PTE_WRITE | pte_nx),
		pt_map(kernel_pml4, kernel_va, kernel_pa, 1, PTE_WRITE | pte_nx));

	uint64_t cr4 = read_cr4();
	write_cr4(cr4 | CR4_SMAP);
	report("the page mapped with PTE_USER", user_va, false, user_word);
	report("the page mapped with PTE_USER", user_va, true, user_word);
	report("the page mapped without it", kernel_va, false, kernel_word);
	write_cr4(cr4);

	pt_unmap(kernel_pml4, user_va);
	pt_unmap(kernel_pml4, kernel_va);
	frame_free(user_pa);
	frame_free(kernel_pa);
}
