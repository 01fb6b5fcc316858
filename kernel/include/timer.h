/**
 * @file
 * timer.h — the clock interrupt: time slices now, IPC timeouts from lab 4.
 */
#pragma once

#include <stdint.h>

/* Ticks since the timer started (one per TIMER_TICK_COUNT guest instructions). */
extern volatile uint64_t timer_ticks;

/* Starts the periodic timer and installs its handler. */
void timer_init(void);
