/**
 * @file
 * pager.c — the default pager's loop: a fault in, a page from sigma0, a map item out.
 *
 * The one thing to know: the reply to a page fault is an ordinary reply whose map
 * item's hot spot is the fault address; the kernel maps the page there in the
 * faulting thread's space and resumes it.
 */
#include <ipc.h>
#include <pager.h>
#include <sigma0.h>
#include <abi/ipc.h>

/* The reply to one fault: a zeroed page at the fault address, or no mapping. */
static struct msg resolve(struct pager *p, unsigned long addr)
{
	/* LAB 5 BEGIN: the pager's answer to a fault */
	unsigned long page = addr & ~0xffful;
	if (page < p->anon_lo || page >= p->anon_hi || sigma0_alloc_page(p->sigma0, p->pool) < 0) {
		p->refused++;
		return (struct msg){ .tag = IPC_TAG(0, 0, 0) };
	}
	struct msg m = { .tag = IPC_TAG(0, 0, 1),
			 .mr0 = IPC_MAP_ITEM(IPC_ITEM_MAP, page, MAP_WRITE),
			 .mr1 = FPAGE(p->pool, 12) };
	p->pool += 4096;
	p->faults++;
	return m;
	/* LAB 5 STUB
	// For a fault in [anon_lo, anon_hi): get a zeroed page from sigma0 into your own
	// space at p->pool (sigma0_alloc_page), and answer with a map item of that page
	// whose hot spot is the faulting page. Otherwise answer with no item.
	(void)addr;
	p->refused++;
	return (struct msg){ .tag = IPC_TAG(0, 0, 0) };
	*/
	/* LAB 5 END */
}

void pager_run(unsigned long arg)
{
	struct pager *p = (struct pager *)arg;
	struct msg m;
	long r = ipc_receive(p->endpoint, &m, IPC_TIMEOUT_INFINITE);
	for (;;) {
		if (r == 0 && IPC_TAG_LABEL(m.tag) == FAULT_PAGE)
			m = resolve(p, m.mr0);
		else
			m = (struct msg){ .tag = IPC_TAG(0, 0, 0) };
		r = ipc_reply_receive(p->endpoint, &m);
	}
}
