/**
 * @file
 * endpoint.c — endpoints: their wait queues and their lifetime.
 *
 * The one thing to know: the queue operations are inline in endpoint.h, because the
 * IPC fast path uses them on every call.
 */
#include <endpoint.h>
#include <ipc_core.h>
#include <kmem.h>
#include <stddef.h>
#include <thread.h>
#include <abi/error.h>

static KMEM_POOL(endpoint_pool, struct endpoint);
static uint32_t next_endpoint_id = 1;

struct endpoint *endpoint_create(void)
{
	struct endpoint *ep = kmem_alloc(&endpoint_pool);
	if (ep)
		ep->id = next_endpoint_id++;
	return ep;
}

void endpoint_refs(struct endpoint *ep, int delta)
{
	ep->refs += delta;
	if (ep->refs > 0)
		return;
	/* No one can name it any more: nobody still waiting would ever be answered. */
	while (ep->senders)
		ipc_wake(ep->senders, E_GONE);
	while (ep->receivers)
		ipc_wake(ep->receivers, E_GONE);
	kmem_free(&endpoint_pool, ep);
}
