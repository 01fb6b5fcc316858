/**
 * @file
 * endpoint.c — endpoints: their wait queues and their lifetime.
 *
 * The one thing to know: the queue operations are inline in endpoint.h, because the
 * IPC fast path uses them on every call. An endpoint ends in one of two ways: its last
 * capability goes, or the task that created it (and pays for it) is destroyed, and then
 * it is dead: every IPC on it fails with E_GONE, and its struct lives only while
 * capabilities name it. Either way its waiters are woken with E_GONE, spread over
 * ticks, a few at a time, so that ending an endpoint under hundreds of waiters is not
 * hundreds of wakes with interrupts off.
 */
#include <endpoint.h>
#include <ipc_core.h>
#include <irq.h>
#include <kmem.h>
#include <ring.h>
#include <stddef.h>
#include <task.h>
#include <abi/error.h>
#include <abi/ipc.h>

#define OWNER_RING offsetof(struct endpoint, owner_link)

static KMEM_POOL(endpoint_pool, struct endpoint);
static struct endpoint *dying;          /* unnamed endpoints with waiters left */

struct endpoint *endpoint_create(struct task *owner)
{
	if (!task_charge(owner, sizeof(struct endpoint)))
		return NULL;
	struct endpoint *ep = kmem_alloc(&endpoint_pool);
	if (!ep) {
		task_refund(owner, sizeof(struct endpoint));
		return NULL;
	}
	ep->owner = owner;
	if (owner)
		owner->endpoints = ring_append(owner->endpoints, ep, OWNER_RING);
	return ep;
}

/* Out of its owner's list, its charge back to the owner's account. */
static void endpoint_disown(struct endpoint *ep)
{
	struct task *owner = ep->owner;
	if (!owner)
		return;
	owner->endpoints = ring_remove(owner->endpoints, ep, OWNER_RING);
	task_refund(owner, sizeof(struct endpoint));
	ep->owner = NULL;
}

static void endpoint_free(struct endpoint *ep)
{
	irq_endpoint_gone(ep);
	endpoint_disown(ep);
	kmem_free(&endpoint_pool, ep);
}

/* Ends up to *budget waits at ep with E_GONE (using the budget up); true if none is left. */
static bool wake_gone(struct endpoint *ep, unsigned *budget)
{
	for (; *budget > 0 && (ep->senders || ep->receivers); --*budget)
		ipc_wake(ep->senders ? ep->senders : ep->receivers, E_GONE);
	return !ep->senders && !ep->receivers;
}

/* Nobody can join its queues any more: wakes what waits there now, a few at a time. */
static void endpoint_end(struct endpoint *ep)
{
	unsigned budget = ENDPOINT_GONE_WAKES;
	if (wake_gone(ep, &budget)) {
		if (ep->refs == 0)
			endpoint_free(ep);
		return;
	}
	ep->on_dying_list = true;
	ep->dying_next = dying;
	dying = ep;
}

void endpoint_refs(struct endpoint *ep, int delta)
{
	ep->refs += delta;
	if (ep->refs > 0 || ep->on_dying_list)
		return;         /* named, or endpoint_tick() frees it once its queues are empty */
	if (ep->dead) {
		endpoint_free(ep);      /* its waiters were woken when its owner died */
		return;
	}
	/* No one can name it any more: nobody still waiting would ever be answered, and
	 * nobody can join them, so the waiters left only shrink. */
	endpoint_end(ep);
}

void endpoint_owner_dies(struct endpoint *ep)
{
	/* Its memory was the owner's: the charge goes back now, and the struct stays only
	 * while capabilities (paid for by their holders' tables) name it. */
	endpoint_disown(ep);
	irq_endpoint_gone(ep);  /* a dead endpoint's bits would never be received */
	ep->dead = true;
	if (ep->on_dying_list)
		return;
	endpoint_end(ep);
}

void endpoint_tick(void)
{
	unsigned budget = ENDPOINT_GONE_WAKES;
	while (dying && budget > 0) {
		struct endpoint *ep = dying;
		if (!wake_gone(ep, &budget))
			break;
		/* Empty now (woken here, or its waiters timed out or died): it goes, unless
		 * capabilities still name a dead one. */
		dying = ep->dying_next;
		ep->on_dying_list = false;
		if (ep->refs == 0)
			endpoint_free(ep);
		if (budget > 0)
			budget--;       /* a free is work too: many empty ones must not add up */
	}
}
