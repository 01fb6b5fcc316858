/**
 * @file
 * grader_tests.c — scenarios that misbehave on purpose, to test the grader itself.
 *
 * The one thing to know: no lab grades these. grade/test/test_real_kernel.py boots each
 * and checks that the grader names what went wrong — a hang, an output flood, a triple
 * fault, a panic — with the real QEMU, pty and kernel, not a fake.
 */
#include <kprintf.h>
#include <panic.h>
#include <stdint.h>
#include <test/ktest.h>

KTEST(grader_hang, STAGE_TRAPS)
{
	kprintf("grader: hanging with interrupts off\n");
	for (;;)
		__asm__ volatile("cli; hlt");
}

KTEST(grader_flood, STAGE_TRAPS)
{
	for (uint64_t i = 0;; i++)
		kprintf("grader: flooding the console, line %lu\n", i);
}

KTEST(grader_triple_fault, STAGE_TRAPS)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) empty = { 0, 0 };

	kprintf("grader: loading an empty IDT, then int3\n");
	/* Safe to break: this scenario exists to reset the machine. */
	__asm__ volatile("lidt %0\n\t"
			 "int3"
			 :
			 : "m"(empty));
}

KTEST(grader_panic, STAGE_TRAPS)
{
	panic("the grader_panic scenario panics on purpose");
}
