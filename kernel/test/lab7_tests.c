/**
 * @file
 * lab7_tests.c — kernel scenarios for lab 7: an interrupt nobody asked for is harmless.
 *
 * The one thing to know: `int n` runs vector n's handler exactly as a device's
 * interrupt would, but with nothing behind it: no device, no binding, no in-service
 * bit in the local APIC. on_irq() must take that in its stride (mask the line, which
 * is masked already; an EOI the local APIC ignores; no endpoint to notify), and so must
 * the spurious-vector handler; afterwards the timer must still tick, which it would
 * not if an interrupt were left in service.
 */
#include <kprintf.h>
#include <timer.h>
#include <arch/x86_64/trap.h>
#include "challenge.h"
#include "ktest.h"

/* Vector 0x40 + line for a few lines nobody binds at this stage (and 0xff). */
static void raise(unsigned which)
{
	switch (which) {
	case 0:
		__asm__ volatile("int $0x45");
		break;
	case 1:
		__asm__ volatile("int $0x49");
		break;
	case 2:
		__asm__ volatile("int $0x4e");
		break;
	default:
		__asm__ volatile("int $0x57");
		break;
	}
}

static const unsigned raised_line[4] = { 5, 9, 14, 23 };

/* Lets interrupts in until the timer has ticked twice more (bounded: it ticks). */
static bool timer_ticks_on(void)
{
	uint64_t start = timer_ticks;
	for (unsigned i = 0; i < 1000 && timer_ticks < start + 2; i++)
		__asm__ volatile("sti; hlt; cli");
	return timer_ticks >= start + 2;
}

KTEST(irq_spurious, STAGE_USER)
{
	struct challenge c = ktest_challenge();
	unsigned first = (unsigned)challenge_range(&c, 0, 3), times = (unsigned)challenge_range(&c, 2, 9);
	for (unsigned i = 0; i < times; i++)
		raise((first + i) % 4);
	kprintf("spurious: %u interrupts raised from line %u on, none bound: handled\n", times,
		raised_line[first]);
	__asm__ volatile("int $0xff");
	kprintf("spurious: the local APIC's spurious vector: handled\n");
	kprintf("spurious: the timer still ticks: %s\n", timer_ticks_on() ? "yes" : "no");
}
