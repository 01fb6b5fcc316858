/**
 * @file
 * timer.c — the periodic tick: counts time and drives round-robin preemption.
 *
 * The one thing to know: the tick interrupts only user code or the idle loop — the
 * kernel runs with interrupts off — so the handler may switch threads right away.
 */
#include <endpoint.h>
#include <ipc_core.h>
#include <sched.h>
#include <timer.h>
#include <arch/x86_64/lapic.h>
#include <arch/x86_64/trap.h>

volatile uint64_t timer_ticks;

static void on_timer(struct trap_frame *tf)
{
	(void)tf;
	timer_ticks++;
	lapic_eoi();
	ipc_timeouts_tick(timer_ticks);
	endpoint_tick();        /* more waiters of deleted endpoints learn E_GONE */
	sched_tick();
	sched_preempt_check();  /* a thread whose wait timed out may outrank us */
}

static void on_spurious(struct trap_frame *tf)
{
	(void)tf;       /* the LAPIC wants no EOI for its spurious vector */
}

void timer_init(void)
{
	trap_set_handler(T_TIMER, on_timer);
	trap_set_handler(T_SPURIOUS, on_spurious);
	lapic_init();
}
