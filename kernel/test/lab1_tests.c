/**
 * @file
 * lab1_tests.c — scenarios for lab 1: the console, printf and traps.
 *
 * The one thing to know: the trap scenarios that end in a panic are meant to — the
 * grader checks that the register dump names the right exception, address and error
 * code, which only a correct IDT and trap_dispatch() produce.
 */
#include <kprintf.h>
#include <stdint.h>
#include <string.h>
#include <arch/x86_64/probe.h>
#include <arch/x86_64/trap.h>
#include <test/ktest.h>

/* The banner and memory lines come from kmain; the grader checks them. */
KTEST(boot_banner, STAGE_TRAPS)
{
}

/* Boots through GRUB in `make check`: the memory stage too, with GRUB's memory map. */
KTEST(iso_boot, STAGE_PAGING)
{
}

KTEST(printf_formats, STAGE_TRAPS)
{
	kprintf("fmt d: [%d] [%d] [%d] [%i]\n", 0, 42, -42, 2147483647);
	kprintf("fmt u: [%u] [%lu] [%lu]\n", 4294967295u, 18446744073709551615ul, 0ul);
	kprintf("fmt ld: [%ld] [%ld]\n", (long)INT64_MIN, (long)INT64_MAX);
	kprintf("fmt x: [%x] [%X] [%lx] [%x]\n", 0xbeefu, 0xbeefu, 0x123456789abcdef0ul, 0u);
	kprintf("fmt width: [%5d] [%-5d] [%05d] [%05d] [%3d]\n", 42, 42, 42, -42, 12345);
	kprintf("fmt hexpad: [%08x] [%-8x] [%016lx]\n", 0xabcu, 0xabcu, 0xfful);
	kprintf("fmt p: [%p] [%p]\n", (void *)0xffffffff80100000ul, (void *)0);
	kprintf("fmt s: [%s] [%8s] [%-8s] [%c%c] [%%]\n", "minim", "ipc", "ipc", 'o', 'k');

	char buf[16];
	int n = ksnprintf(buf, sizeof(buf), "%d-%x-%s", -7, 255u, "truncated text");
	kprintf("fmt snprintf: [%s] %d\n", buf, n);
}

static volatile int breakpoint_hits;
static volatile uint64_t breakpoint_rip;

static void on_breakpoint(struct trap_frame *tf)
{
	breakpoint_hits++;
	breakpoint_rip = tf->rip;
	tf->rax = 0x600dcafe;   /* the interrupted code must see registers the handler set */
	kprintf("breakpoint: handler ran, vector %lu\n", tf->vector);
}

/* int3 is a trap: the handler runs and the code resumes after the instruction. */
KTEST(trap_breakpoint, STAGE_TRAPS)
{
	extern char after_int3[];
	uint64_t rax = 0;

	trap_set_handler(T_BREAKPOINT, on_breakpoint);
	__asm__ volatile("int3\n\t"
			 ".globl after_int3\n"
			 "after_int3:"
			 : "+a"(rax)
			 :
			 : "memory");
	kprintf("breakpoint: resumed, rax=%lx, hits=%d\n", rax, breakpoint_hits);
	KCHECK(breakpoint_rip == (uint64_t)after_int3);
	trap_set_handler(T_BREAKPOINT, NULL);
}

/* An interrupt vector with no handler is reported and ignored, not fatal. */
KTEST(trap_stray_interrupt, STAGE_TRAPS)
{
	__asm__ volatile("int $0x41");
	kprintf("trap: resumed after a stray interrupt\n");
}

KTEST(trap_invalid_opcode, STAGE_TRAPS)
{
	extern char at_ud2[];
	kprintf("trap: executing ud2 at %016lx\n", (uint64_t)at_ud2);
	__asm__ volatile(".globl at_ud2\n"
			 "at_ud2: ud2");
}

KTEST(trap_divide_error, STAGE_TRAPS)
{
	extern char at_div[];
	kprintf("trap: dividing by zero at %016lx\n", (uint64_t)at_div);
	__asm__ volatile("xorl %%ecx, %%ecx\n\t"
			 "movl $1, %%eax\n\t"
			 "xorl %%edx, %%edx\n\t"
			 ".globl at_div\n"
			 "at_div: divl %%ecx"
			 :
			 :
			 : "rax", "rcx", "rdx");
}

/* Nothing is ever mapped in this 512 GiB slot of the kernel half (PML4 entry 384). */
#define UNMAPPED_VA 0xffffc00000000123ul

KTEST(trap_page_fault, STAGE_TRAPS)
{
	kprintf("trap: writing to %016lx\n", UNMAPPED_VA);
	*(volatile uint64_t *)UNMAPPED_VA = 1;
}

/*
 * A page fault while the stack itself is unmapped: the CPU cannot push the #PF frame,
 * so it raises a double fault — which only a gate with an IST stack can report.
 */
KTEST(trap_double_fault, STAGE_TRAPS)
{
	kprintf("trap: switching to an unmapped stack at %016lx\n", UNMAPPED_VA & ~0xfful);
	__asm__ volatile("movq %0, %%rsp\n\t"
			 "pushq $0"
			 :
			 : "r"(UNMAPPED_VA & ~0xfful)
			 : "memory");
}

/* A fault at a probe is expected: the kernel must resume at its fixup, not panic. */
KTEST(trap_fixup, STAGE_TRAPS)
{
	uint64_t v = 0;
	static uint64_t mapped = 0x5eed;

	KCHECK(probe_read_u64((uint64_t)&mapped, &v));
	kprintf("probe: mapped read ok, value %lx\n", v);
	KCHECK(!probe_read_u64(UNMAPPED_VA, &v));
	kprintf("probe: unmapped read faulted and was fixed up\n");
	KCHECK(!probe_write_u64(UNMAPPED_VA, 7));
	kprintf("probe: unmapped write faulted and was fixed up\n");
}
