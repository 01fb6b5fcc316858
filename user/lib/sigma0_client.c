/**
 * @file
 * sigma0_client.c — asking sigma0 for memory.
 *
 * The one thing to know: the window is set just for the call and cleared after, so a
 * later, unrelated message cannot map pages into the caller by surprise.
 */
#include <ipc.h>
#include <sigma0.h>
#include <utcb.h>
#include <abi/error.h>

long sigma0_alloc_page(long sigma0_slot, unsigned long va)
{
	return sigma0_alloc_page_rights(sigma0_slot, va, MAP_WRITE);
}

long sigma0_alloc_page_rights(long sigma0_slot, unsigned long va, unsigned long rights)
{
	struct msg m = { .tag = IPC_TAG(SIGMA0_ALLOC, 2, 0), .mr0 = va, .mr1 = rights };
	utcb()->map_window = FPAGE(va, 12);
	long r = ipc_call(sigma0_slot, &m);
	utcb()->map_window = 0;
	if (r < 0)
		return r;
	/* The item's second word says how many pages arrived. */
	return IPC_TAG_TYPED(m.tag) == 1 && m.mr1 == 1 ? 0 : E_NOMEM;
}

long sigma0_io_ports(long sigma0_slot, unsigned long io_fpage)
{
	struct msg m = { .tag = IPC_TAG(SIGMA0_IO, 1, 0), .mr0 = io_fpage };
	utcb()->map_window = FPAGE(0, 12);      /* non-zero: we accept; ports need no place */
	long r = ipc_call(sigma0_slot, &m);
	utcb()->map_window = 0;
	if (r < 0)
		return r;
	return IPC_TAG_TYPED(m.tag) == 1 ? (long)m.mr1 : 0;
}

long sigma0_dma(long sigma0_slot, unsigned long va, unsigned log2, unsigned long *pa)
{
	struct msg m = { .tag = IPC_TAG(SIGMA0_DMA, 2, 0), .mr0 = va, .mr1 = log2 };
	utcb()->map_window = FPAGE(va, log2);
	long r = ipc_call(sigma0_slot, &m);
	utcb()->map_window = 0;
	if (r < 0)
		return r;
	/* One word (the address), then the item, whose second word (MR2) is the count. */
	if (IPC_TAG_UNTYPED(m.tag) != 1 || IPC_TAG_TYPED(m.tag) != 1 ||
	    utcb()->mr[2] != 1ul << (log2 - 12))
		return E_NOMEM;
	*pa = m.mr0;
	return 0;
}

long sigma0_mmio(long sigma0_slot, unsigned long va, unsigned long pa, unsigned log2)
{
	struct msg m = { .tag = IPC_TAG(SIGMA0_MMIO, 2, 0), .mr0 = va, .mr1 = FPAGE(pa, log2) };
	utcb()->map_window = FPAGE(va, log2);
	long r = ipc_call(sigma0_slot, &m);
	utcb()->map_window = 0;
	if (r < 0)
		return r;
	return IPC_TAG_TYPED(m.tag) == 1 ? (long)m.mr1 : 0;
}
