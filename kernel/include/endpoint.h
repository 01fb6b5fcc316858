/**
 * @file
 * endpoint.h — an endpoint: the place where a sender and a receiver meet.
 *
 * The one thing to know: an endpoint holds no messages, only waiting threads: senders
 * waiting for a receiver, or receivers waiting for a sender (never both at once, since
 * any pair would have met). A message goes straight from one thread's registers and
 * UTCB to the other's, at the moment they meet.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <ring.h>
#include <thread.h>

struct endpoint {
	struct thread *senders;         /* rings through thread.queue_link, oldest first */
	struct thread *receivers;
	uint64_t pending;               /* notification bits (lab 7); never set while a
					 * receiver waits: ipc_notify() gives them to it */
	uint32_t refs;                  /* capabilities naming it */
	struct endpoint *dying_next;    /* waiters still to wake: endpoint_tick() */
	bool on_dying_list;
	bool dead;                      /* its owner was destroyed: IPC on it is E_GONE */
	struct task *owner;             /* who created it and pays (NULL: the kernel) */
	struct ring_link owner_link;    /* in owner.endpoints */
};

struct task;

/* A new endpoint, charged to owner's account (NULL: the kernel's); NULL if no room. */
struct endpoint *endpoint_create(struct task *owner);
/* Its owner is being destroyed: the endpoint is dead, its waiters are woken (E_GONE). */
void endpoint_owner_dies(struct endpoint *ep);
/*
 * One more or one fewer capability. When the last one goes, every waiter's wait ends
 * with E_GONE: at most ENDPOINT_GONE_WAKES of them at once, the rest from
 * endpoint_tick(), and the endpoint is freed when none is left.
 */
void endpoint_refs(struct endpoint *ep, int delta);
/* On every tick: wakes at most ENDPOINT_GONE_WAKES more waiters of unnamed endpoints. */
void endpoint_tick(void);

/*
 * A thread waits in at most one queue, and remembers which (queued_on), so that a
 * timeout, its death or the endpoint's deletion can take it out in O(1).
 */

/* Appends t to a queue. */
static inline void endpoint_enqueue(struct thread **queue, struct endpoint *ep, struct thread *t)
{
	*queue = ring_append(*queue, t, THREAD_QUEUE_RING);
	t->queued_on = ep;
}

/* Takes the oldest thread out of a non-empty queue: endpoint_dequeue() for the head. */
static inline struct thread *endpoint_pop(struct thread **queue)
{
	struct thread *t = *queue;
	*queue = ring_remove(t, t, THREAD_QUEUE_RING);
	t->queued_on = NULL;
	return t;
}

/* Takes t out of the queue it is in (which its state says: sending or receiving). */
static inline void endpoint_dequeue(struct thread *t)
{
	struct endpoint *ep = t->queued_on;
	struct thread **queue = t->state == THREAD_SENDING ? &ep->senders : &ep->receivers;
	*queue = ring_remove(*queue, t, THREAD_QUEUE_RING);
	t->queued_on = NULL;
}
