/**
 * @file
 * ioapic.c — the I/O APIC, the interrupt controller for device lines (lab 7).
 *
 * The one thing to know: minim routes every device line through the I/O APIC, not the
 * 8259 PICs (masked for good in lapic.c): it has one mask bit and one vector per line,
 * it is what the ACPI tables of every x86-64 machine describe, and it delivers to the
 * local APIC, which the kernel acknowledges the same way for every interrupt. Lines
 * are level-triggered, active high: a device that still asserts its line after the
 * driver acknowledged fires again, so no event is lost while a line is masked. (ISA
 * lines are edge-triggered on real boards; QEMU's ISA devices, the 16550 included,
 * hold their line while they want service, and the 16550's INTR pin is a level, so
 * level mode is exact for them. A real machine's MADT says where the I/O APIC is and
 * which ISA lines are remapped; on QEMU's pc machine it is at IOAPIC_BASE and only the
 * PIT, which minim does not use, is moved.)
 */
#include <panic.h>
#include <abi/error.h>
#include <arch/x86_64/ioapic.h>
#include <arch/x86_64/layout.h>
#include <arch/x86_64/paging.h>

#define IOAPIC_VA               (DEVICE_WINDOW + PAGE_SIZE)     /* after the LAPIC's page */
#define REG_REDIRECTION(line)   (0x10 + 2 * (line))
#define ENTRY_LEVEL             (1u << 15)
#define ENTRY_MASKED            (1u << 16)

static volatile uint32_t *ioapic;
static unsigned vector_base;

/* The I/O APIC has an index register (IOREGSEL, offset 0) and a data window (offset
 * 0x10): every access is two, with interrupts off in the kernel, so never torn. */
static void ioapic_write(unsigned reg, uint32_t value)
{
	ioapic[0] = reg;
	ioapic[4] = value;
}

void ioapic_mask(unsigned line, bool masked)
{
	KASSERT(line < IOAPIC_LINES);
	/* The high half (destination: local APIC 0) stays 0; only the low half changes. */
	ioapic_write(REG_REDIRECTION(line),
		     (vector_base + line) | ENTRY_LEVEL | (masked ? ENTRY_MASKED : 0));
}

void ioapic_init(unsigned first_vector)
{
	if (pt_map(kernel_pml4, IOAPIC_VA, IOAPIC_BASE, 1,
		   PTE_WRITE | PTE_GLOBAL | PTE_UNCACHED | pte_nx) != E_OK)
		panic("ioapic: cannot map the I/O APIC");
	ioapic = (volatile uint32_t *)IOAPIC_VA;
	vector_base = first_vector;
	for (unsigned line = 0; line < IOAPIC_LINES; line++) {
		ioapic_write(REG_REDIRECTION(line) + 1, 0);
		ioapic_mask(line, true);
	}
}
