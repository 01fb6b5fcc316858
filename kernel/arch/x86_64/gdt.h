/**
 * @file
 * gdt.h — segment selectors and the task-state segment.
 *
 * The one thing to know: in long mode segments do almost nothing, but the GDT order is
 * fixed by syscall/sysret (lab 3): sysret loads the user's SS from STAR+8 and CS from
 * STAR+16, so user data must sit directly before user code.
 */
#pragma once

#define SEL_KERNEL_CODE 0x08
#define SEL_KERNEL_DATA 0x10
#define SEL_USER_DATA   (0x18 | 3)
#define SEL_USER_CODE   (0x20 | 3)
#define SEL_TSS         0x28

/* Interrupt stack table slots (1-based, as the IDT gate field counts them): one stack
 * for each vector that can arrive when the current stack is no good (#DF) or is the
 * user's (NMI, #DB and #MC during syscall_entry.S's first and last instructions). */
#define IST_DOUBLE_FAULT  1
#define IST_NMI           2
#define IST_MACHINE_CHECK 3
#define IST_DEBUG         4
#define IST_STACKS        4

#ifndef __ASSEMBLER__
#include <stdint.h>

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

/* The I/O permission bitmap must follow the TSS in memory: one struct keeps it there.
 * A bit per port (65,536 of them), 1 = no access, then a final all-ones byte. */
#define IO_BITMAP_BYTES 8192
struct tss_with_io {
	struct tss tss;
	uint8_t io_bitmap[IO_BITMAP_BYTES + 1];
} __attribute__((packed));

extern struct tss_with_io cpu_tss;

void gdt_init(void);

/* Sets the stack the CPU switches to on an interrupt or trap from user mode. */
static inline void tss_set_kernel_stack(uint64_t rsp0)
{
	cpu_tss.tss.rsp[0] = rsp0;
}
#endif
