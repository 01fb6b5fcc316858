/**
 * @file
 * timeout.c — the deadlines of IPC waits, as a binary min-heap of threads.
 *
 * The one thing to know: heap[0] is the thread whose wait ends first, and every
 * thread's place in the heap is in its timeout_slot, so cancelling a deadline (the
 * partner came in time, the thread died) needs no search. Every operation moves one
 * thread up or down at most log2(THREAD_MAX) = 15 levels: bounded work with interrupts
 * off, whatever a task does with its threads.
 */
#include <stddef.h>
#include <thread.h>
#include <timeout.h>
#include <timer.h>
#include <abi/ipc.h>

/* Each thread is in the heap at most once, and at most THREAD_MAX threads exist. */
static struct thread *heap[THREAD_MAX];
static unsigned heap_size;

static void heap_put(struct thread *t, unsigned slot)
{
	heap[slot] = t;
	t->timeout_slot = slot;
}

/* Moves heap[slot] up while it ends before its parent. */
static void sift_up(unsigned slot)
{
	struct thread *t = heap[slot];
	while (slot > 0) {
		unsigned parent = (slot - 1) / 2;
		if (heap[parent]->wake_tick <= t->wake_tick)
			break;
		heap_put(heap[parent], slot);
		slot = parent;
	}
	heap_put(t, slot);
}

/* Moves heap[slot] down while a child ends before it. */
static void sift_down(unsigned slot)
{
	struct thread *t = heap[slot];
	for (;;) {
		unsigned child = 2 * slot + 1;
		if (child >= heap_size)
			break;
		if (child + 1 < heap_size && heap[child + 1]->wake_tick < heap[child]->wake_tick)
			child++;
		if (t->wake_tick <= heap[child]->wake_tick)
			break;
		heap_put(heap[child], slot);
		slot = child;
	}
	heap_put(t, slot);
}

void timeout_arm(struct thread *t, uint64_t ticks)
{
	if (ticks == IPC_TIMEOUT_INFINITE)
		return;
	t->wake_tick = timer_ticks + ticks;     /* ticks >= 1 (0 is a poll): never 0 */
	heap_put(t, heap_size++);
	sift_up(t->timeout_slot);
}

void timeout_cancel(struct thread *t)
{
	if (!t->wake_tick)
		return;
	unsigned slot = t->timeout_slot;
	struct thread *last = heap[--heap_size];
	t->wake_tick = 0;
	if (last == t)
		return;
	heap_put(last, slot);
	/* The last leaf may belong above or below the hole it fills. */
	if (slot > 0 && heap[(slot - 1) / 2]->wake_tick > last->wake_tick)
		sift_up(slot);
	else
		sift_down(slot);
}

struct thread *timeout_expired(uint64_t now)
{
	if (!heap_size || heap[0]->wake_tick > now)
		return NULL;
	struct thread *t = heap[0];
	timeout_cancel(t);
	return t;
}
