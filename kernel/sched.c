/**
 * @file
 * sched.c — run queues, picking the next thread, preemption by the timer.
 *
 * The one thing to know: one circular queue per priority plus a 64-bit bitmap of the
 * non-empty queues make every operation O(1): the highest ready priority is the
 * bitmap's highest set bit (one `bsr` instruction). The idle thread is in no queue;
 * it runs when the bitmap is empty.
 */
#include <kprintf.h>
#include <panic.h>
#include <sched.h>
#include <space.h>
#include <thread.h>
#include <abi/syscall.h>
#include <arch/x86_64/cpu_local.h>
#include <arch/x86_64/machine.h>

_Static_assert(PRIO_MAX < 64, "one bitmap word of priorities");

static struct thread *queue[PRIO_MAX + 1];     /* the head of each circular queue */
uint64_t ready_bitmap;                         /* bit p set: queue[p] is not empty */
static struct thread *idle;
unsigned sched_live_threads;                  /* user threads started, not yet dead */
static unsigned ready_count;                   /* threads in the queues */

void sched_init(struct thread *idle_thread)
{
	idle = idle_thread;
}

static void queue_insert(struct thread *t, bool at_head)
{
	/* LAB 3 BEGIN: run queues */
	struct thread **head = &queue[t->priority];
	if (!*head) {
		t->next = t->prev = t;
		*head = t;
	} else {
		t->next = *head;
		t->prev = (*head)->prev;
		t->prev->next = t;
		(*head)->prev = t;
		if (at_head)
			*head = t;
	}
	ready_bitmap |= 1ull << t->priority;
	/* LAB 3 STUB
	// Link t into the circular queue of its priority, at the head or the tail, and
	// mark the priority non-empty in ready_bitmap.
	(void)t;
	(void)at_head;
	(void)queue;
	(void)ready_bitmap;
	*/
	/* LAB 3 END */
	t->state = THREAD_READY;
	ready_count++;
}

void sched_remove(struct thread *t)
{
	/* LAB 3 BEGIN: run queues */
	struct thread **head = &queue[t->priority];
	if (t->next == t) {
		*head = NULL;
		ready_bitmap &= ~(1ull << t->priority);
	} else {
		t->prev->next = t->next;
		t->next->prev = t->prev;
		if (*head == t)
			*head = t->next;
	}
	/* LAB 3 STUB
	// Unlink t from its queue; clear its priority's bit when the queue empties.
	*/
	/* LAB 3 END */
	t->next = t->prev = NULL;
	ready_count--;
}

/* The highest-priority ready thread, taken out of its queue; NULL if none. */
static struct thread *pick_next(void)
{
	/* LAB 3 BEGIN: picking the next thread */
	if (!ready_bitmap)
		return NULL;
	unsigned prio = 63 - (unsigned)__builtin_clzll(ready_bitmap);
	struct thread *t = queue[prio];
	sched_remove(t);
	return t;
	/* LAB 3 STUB
	// Find the highest non-empty priority in O(1) and take the thread at its head.
	return NULL;
	*/
	/* LAB 3 END */
}

void schedule(void)
{
	struct thread *next = pick_next();
	if (!next && ready_count)
		panic("sched: %u threads are ready but none was picked", ready_count);
	if (!next)
		next = idle;
	next->state = THREAD_RUNNING;
	if (next != cpu.current) {
		thread_switch(next);
		sched_after_switch();
	}
}


void sched_after_switch(void)
{
	/* Another task's I/O ports must not stay usable in the TSS. */
	if (cpu.io_loaded && cpu.io_loaded != cpu.current->task)
		space_io_unload();
	thread_reap();
	if (sched_live_threads == 0 && cpu.current == idle) {
		kprintf("sched: every user thread has ended; stopping\n");
		machine_exit(EXIT_CHECK_FAILED);
	}
}

/* Only a thread that is not running can become ready: one marked running here was
 * left so by a switch that skipped its bookkeeping (the IPC fast path's, say). */
void sched_enqueue(struct thread *t)
{
	KASSERT(t->state != THREAD_RUNNING);
	queue_insert(t, false);
}

void sched_preempt_check(void)
{
	struct thread *cur = cpu.current;
	if (!ready_bitmap || 63 - (unsigned)__builtin_clzll(ready_bitmap) <= cur->priority)
		return;
	if (cur != idle)
		queue_insert(cur, true);        /* preempted: first in line again */
	schedule();
}

void sched_make_ready(struct thread *t)
{
	KASSERT(t->state != THREAD_RUNNING);
	queue_insert(t, false);
	sched_preempt_check();
}

void sched_yield(void)
{
	struct thread *cur = cpu.current;
	cur->slice = TIME_SLICE_TICKS;
	queue_insert(cur, false);
	schedule();
}

void sched_tick(void)
{
	struct thread *cur = cpu.current;
	if (cur == idle)
		return;         /* sched_preempt_check() runs whoever became ready */
	/* LAB 3 BEGIN: preemption */
	if (--cur->slice > 0)
		return;
	cur->slice = TIME_SLICE_TICKS;
	queue_insert(cur, false);       /* round robin: behind its equals */
	schedule();
	/* LAB 3 STUB
	// Count down the current thread's time slice; when it is used up, give it a new
	// one and let the next thread of its priority run (round robin).
	(void)cur;
	*/
	/* LAB 3 END */
}

void sched_set_priority(struct thread *t, unsigned prio)
{
	struct thread *cur = cpu.current;
	if (t->state == THREAD_READY) {
		sched_remove(t);
		t->priority = (uint8_t)prio;
		sched_make_ready(t);
	} else if (t == cur) {
		t->priority = (uint8_t)prio;
		queue_insert(cur, false);       /* someone else may outrank it now */
		schedule();
	} else {
		t->priority = (uint8_t)prio;    /* takes effect when it next becomes ready */
	}
}
