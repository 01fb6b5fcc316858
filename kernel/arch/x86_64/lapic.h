/**
 * @file
 * lapic.h — the local APIC: the timer that drives preemption, and end-of-interrupt.
 */
#pragma once

#include <stdint.h>

/* The timer's count per tick: 1 ms of guest time, so under -icount shift=0 (1 ns per
 * instruction) one tick every 1,000,001 guest instructions (QEMU counts one extra). */
#define TIMER_TICK_COUNT 1000000

/* Masks the legacy PICs, maps and enables the local APIC, starts the periodic timer. */
void lapic_init(void);
void lapic_eoi(void);
/* Its registers' physical page (no task may map it: space.c). */
extern uint64_t lapic_base;
