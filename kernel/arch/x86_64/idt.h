/**
 * @file
 * idt.h — the interrupt descriptor table: which code runs for each of the 256 vectors.
 */
#pragma once

#include <stdint.h>

/* Gate types (the descriptor's type field). */
#define GATE_INTERRUPT  0xE     /* clears IF on entry */
#define GATE_TRAP       0xF     /* leaves IF alone */

struct idt_gate {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t ist;            /* bits 0-2: IST slot, 0 = no stack switch */
	uint8_t type_attr;      /* P, DPL (2 bits), 0, type (4 bits) */
	uint16_t offset_mid;
	uint32_t offset_high;
	uint32_t reserved;
} __attribute__((packed));

void idt_init(void);
