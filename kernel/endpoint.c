/**
 * @file
 * endpoint.c — endpoints: their wait queues and their lifetime.
 *
 * The one thing to know: the queue operations are inline in endpoint.h, because the
 * IPC fast path uses them on every call. An endpoint whose last capability is gone
 * lives on, unnamed, until its last waiter has been woken with E_GONE: the wakes are
 * spread over ticks, a few at a time, so that deleting an endpoint under hundreds of
 * waiters is not hundreds of wakes with interrupts off.
 */
#include <endpoint.h>
#include <ipc_core.h>
#include <kmem.h>
#include <stddef.h>
#include <thread.h>
#include <abi/error.h>
#include <abi/ipc.h>

static KMEM_POOL(endpoint_pool, struct endpoint);
static uint32_t next_endpoint_id = 1;
static struct endpoint *dying;          /* unnamed endpoints with waiters left */

struct endpoint *endpoint_create(void)
{
	struct endpoint *ep = kmem_alloc(&endpoint_pool);
	if (ep)
		ep->id = next_endpoint_id++;
	return ep;
}

/* Ends up to *budget waits at ep with E_GONE (using the budget up); true if none is left. */
static bool wake_gone(struct endpoint *ep, unsigned *budget)
{
	for (; *budget > 0 && (ep->senders || ep->receivers); --*budget)
		ipc_wake(ep->senders ? ep->senders : ep->receivers, E_GONE);
	return !ep->senders && !ep->receivers;
}

void endpoint_refs(struct endpoint *ep, int delta)
{
	ep->refs += delta;
	if (ep->refs > 0)
		return;
	/* No one can name it any more: nobody still waiting would ever be answered, and
	 * nobody can join them, so the waiters left only shrink. */
	unsigned budget = ENDPOINT_GONE_WAKES;
	if (wake_gone(ep, &budget)) {
		kmem_free(&endpoint_pool, ep);
		return;
	}
	ep->dying_next = dying;
	dying = ep;
}

void endpoint_tick(void)
{
	unsigned budget = ENDPOINT_GONE_WAKES;
	while (dying && budget > 0) {
		struct endpoint *ep = dying;
		if (!wake_gone(ep, &budget))
			break;
		/* Empty now (woken here, or its waiters timed out or died): it goes. */
		dying = ep->dying_next;
		kmem_free(&endpoint_pool, ep);
		if (budget > 0)
			budget--;       /* a free is work too: many empty ones must not add up */
	}
}
