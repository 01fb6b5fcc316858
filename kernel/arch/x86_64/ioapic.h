/**
 * @file
 * ioapic.h — the I/O APIC: which device interrupt line raises which vector, and masking.
 *
 * The one thing to know: every line is level-triggered and starts masked; the kernel
 * masks a line when it fires and unmasks it when the driver acknowledges (irq.c), so
 * a device that still wants service simply fires again.
 */
#pragma once

#include <stdbool.h>

/* The I/O APIC's input pins: lines 0 to IOAPIC_LINES - 1 (ISA IRQ n is line n, but the
 * PIT's IRQ 0, which is line 2; PCI INTx is the line in configuration space). */
#define IOAPIC_LINES    24
/* Its registers' page: QEMU's pc machine's (a real machine's MADT says). */
#define IOAPIC_BASE     0xfec00000ull

/* Maps the I/O APIC and masks every line; line n will raise vector `first_vector + n`. */
void ioapic_init(unsigned first_vector);
void ioapic_mask(unsigned line, bool masked);
