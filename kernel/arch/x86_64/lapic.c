/**
 * @file
 * lapic.c — the local APIC timer, minim's only clock interrupt.
 *
 * The one thing to know: minim uses the LAPIC timer, not the PIT. It is part of every
 * x86-64 CPU, needs no legacy interrupt controller (the 8259 PICs are masked for good),
 * will be per-CPU when minim is, and under QEMU -icount shift=0 it counts guest
 * nanoseconds, i.e. instructions — so a time slice is an exact, repeatable number of
 * instructions. Its registers are memory-mapped; we map the page uncached.
 */
#include <panic.h>
#include <abi/error.h>
#include <arch/x86_64/cpu.h>
#include <arch/x86_64/lapic.h>
#include <arch/x86_64/layout.h>
#include <arch/x86_64/paging.h>
#include <arch/x86_64/trap.h>

#define MSR_APIC_BASE           0x1B
#define APIC_BASE_ENABLE        (1u << 11)

#define REG_EOI                 0x0B0
#define REG_SPURIOUS            0x0F0
#define REG_LVT_TIMER           0x320
#define REG_TIMER_INITIAL       0x380
#define REG_TIMER_DIVIDE        0x3E0
#define SPURIOUS_ENABLE         0x100
#define TIMER_PERIODIC          (1u << 17)
#define TIMER_DIVIDE_BY_1       0xB

static volatile uint32_t *lapic;
uint64_t lapic_base;

static void lapic_write(unsigned reg, uint32_t v)
{
	lapic[reg / 4] = v;
}

static void pic_disable(void)
{
	/* Remap both PICs above the exceptions first, so a stray IRQ cannot look like one. */
	outb(0x20, 0x11);
	outb(0xA0, 0x11);
	outb(0x21, 0x20);
	outb(0xA1, 0x28);
	outb(0x21, 4);
	outb(0xA1, 2);
	outb(0x21, 1);
	outb(0xA1, 1);
	outb(0x21, 0xff);
	outb(0xA1, 0xff);
}

void lapic_init(void)
{
	pic_disable();
	uint64_t base = rdmsr(MSR_APIC_BASE);
	uint64_t pa = lapic_base = base & PTE_ADDR_MASK;
	wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
	if (pt_map(kernel_pml4, DEVICE_WINDOW, pa, 1, PTE_WRITE | PTE_GLOBAL | PTE_UNCACHED |
		   pte_nx) != E_OK)
		panic("lapic: cannot map the local APIC at %lx", pa);
	lapic = (volatile uint32_t *)DEVICE_WINDOW;

	lapic_write(REG_SPURIOUS, SPURIOUS_ENABLE | T_SPURIOUS);
	lapic_write(REG_TIMER_DIVIDE, TIMER_DIVIDE_BY_1);
	lapic_write(REG_LVT_TIMER, TIMER_PERIODIC | T_TIMER);
	lapic_write(REG_TIMER_INITIAL, TIMER_TICK_COUNT);
}

void lapic_eoi(void)
{
	lapic_write(REG_EOI, 0);
}
