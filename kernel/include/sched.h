/**
 * @file
 * sched.h — the scheduler: fixed priorities, round robin within a priority.
 *
 * The one thing to know: the running thread is never in a run queue. Whoever takes
 * the CPU from it decides where it goes: back to the tail of its queue (its slice is
 * used up, or it yielded), to the head (a higher-priority thread preempted it), or
 * nowhere (it blocked or died).
 */
#pragma once

#include <arch/x86_64/cpu_local.h>

struct thread;

void sched_init(struct thread *idle);
/* Puts t at the tail of its priority's queue (READY); preempts the current thread if
 * t has a higher priority. */
void sched_make_ready(struct thread *t);
/* Puts t at the tail of its queue (READY) without preempting: for a caller that is
 * about to block and call schedule() itself. */
void sched_enqueue(struct thread *t);
/* If a ready thread outranks the current one, the current one yields to it now. */
void sched_preempt_check(void);
void sched_remove(struct thread *t);
/* Gives the CPU to the highest-priority ready thread (or idle); the caller has put the
 * current thread where it belongs first. */
void schedule(void);
/* The current thread goes to the tail of its queue; the next of its priority runs. */
void sched_yield(void);

/* Changes t's priority, moving it between queues and preempting as needed. */
void sched_set_priority(struct thread *t, unsigned prio);
/* Called on every timer tick from user mode or idle. */
void sched_tick(void);
/* After a switch: free what dead threads left, and stop the machine when no user
 * thread is left. Called by a new thread's first run and after every switch. */
void sched_after_switch(void);

/* User threads started and not yet dead, which thread.c counts: when none is left, the
 * test run is over. */
extern unsigned sched_live_threads;
/* Bit p set: a thread of priority p is ready. The fast path reads it (fits()). */
extern uint64_t ready_bitmap;

