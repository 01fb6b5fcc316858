/**
 * @file
 * gdt.c — the global descriptor table and the TSS of the (single) CPU.
 *
 * The one thing to know: the TSS matters only for its stack pointers — rsp0, the
 * kernel stack for traps from ring 3, and the IST stacks, which the CPU switches to
 * unconditionally, so a double fault caused by a blown kernel stack still gets a
 * good stack to print its register dump on, and an NMI, debug trap or machine check
 * never lands on a user's stack. Each IST vector has a stack of its own: one may
 * interrupt another.
 */
#include <stdint.h>
#include <string.h>
#include <arch/x86_64/gdt.h>
#include <arch/x86_64/layout.h>

struct tss_with_io cpu_tss __attribute__((aligned(16)));
static uint8_t ist_stacks[IST_STACKS][KERNEL_STACK_SIZE] __attribute__((aligned(16)));

/* Flat descriptors: base and limit are ignored in 64-bit mode, only the flags count. */
static uint64_t gdt[] = {
	[0] = 0,
	[SEL_KERNEL_CODE >> 3] = 0x00AF9A000000FFFF,    /* present, ring 0, code, L=1 */
	[SEL_KERNEL_DATA >> 3] = 0x00CF92000000FFFF,    /* present, ring 0, data */
	[SEL_USER_DATA >> 3] = 0x00CFF2000000FFFF,      /* present, ring 3, data */
	[SEL_USER_CODE >> 3] = 0x00AFFA000000FFFF,      /* present, ring 3, code, L=1 */
	[SEL_TSS >> 3] = 0,                             /* 16 bytes, filled in below */
	[(SEL_TSS >> 3) + 1] = 0,
};

void gdt_init(void)
{
	uint64_t base = (uint64_t)&cpu_tss;
	uint64_t limit = sizeof(cpu_tss) - 1;

	for (unsigned i = 0; i < IST_STACKS; i++)     /* slot i + 1 */
		cpu_tss.tss.ist[i] = (uint64_t)ist_stacks[i] + KERNEL_STACK_SIZE;
	cpu_tss.tss.iomap_base = sizeof(struct tss);
	memset(cpu_tss.io_bitmap, 0xff, sizeof(cpu_tss.io_bitmap));     /* ring 3: no ports */

	/* A 64-bit TSS descriptor: type 9 (available TSS), present, base split in four. */
	gdt[SEL_TSS >> 3] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) |
			    (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	gdt[(SEL_TSS >> 3) + 1] = base >> 32;

	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) pointer = { sizeof(gdt) - 1, (uint64_t)gdt };

	/*
	 * Safe: the new table has the same kernel selectors as boot.S's, so reloading the
	 * data segments and far-returning to reload CS keeps us where we are.
	 */
	__asm__ volatile("lgdt %0\n\t"
			 "mov %1, %%ds\n\t"
			 "mov %1, %%es\n\t"
			 "mov %1, %%ss\n\t"
			 "pushq %2\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "ltr %w3"
			 :
			 : "m"(pointer), "r"((uint64_t)SEL_KERNEL_DATA), "i"(SEL_KERNEL_CODE),
			   "r"((uint64_t)SEL_TSS)
			 : "rax", "memory");
}
