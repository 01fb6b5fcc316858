/**
 * @file
 * main.c — sigma0: the root pager, which owns all physical memory and hands it out.
 *
 * The one thing to know: sigma0 holds no page of the memory it gives: its "addresses"
 * in a map item are physical, which the kernel accepts from sigma0 alone. It answers
 * a page fault of a task it pages (the root task's first thread) and SIGMA0_ALLOC
 * each with one fresh frame — it never takes a frame back, so each goes out once —
 * SIGMA0_IO with access to the ports asked for, SIGMA0_MMIO with device memory
 * (uncached) and SIGMA0_DMA with physically contiguous frames and their address (lab
 * 7). DMA buffers come from the top of the last range down, single frames from the
 * bottom up, so neither fragments the other. The policy (what, to whom) is all here,
 * in user space; the kernel only checks that sigma0 names memory or devices it may.
 */
#include <stdbool.h>
#include <minim.h>
#include <sigma0.h>

static const struct boot_info_page *info;
static uint32_t range;          /* the range the next frame comes from */
static unsigned long offset;    /* how far into it we are */
static unsigned long handed_out;
static unsigned long dma_end;   /* DMA buffers are below this, in the last range */

/* The end of the memory next_frame() may take from `r`. */
static unsigned long range_end(uint32_t r)
{
	unsigned long end = info->sigma0_ranges[r].base + info->sigma0_ranges[r].length;
	return r + 1 == info->sigma0_range_count && dma_end ? dma_end : end;
}

/* The physical address of a frame nobody has had yet, or 0 when all are gone. */
static unsigned long next_frame(void)
{
	while (range < info->sigma0_range_count) {
		if (info->sigma0_ranges[range].base + offset < range_end(range)) {
			unsigned long pa = info->sigma0_ranges[range].base + offset;
			offset += 4096;
			handed_out++;
			return pa;
		}
		range++;
		offset = 0;
	}
	return 0;
}

/* The reply to one request: a map item of a fresh frame at hot spot `at`, or a no. */
static struct msg answer(unsigned long at, unsigned long rights)
{
	unsigned long pa = next_frame();
	if (!pa)
		return (struct msg){ .tag = IPC_TAG(SIGMA0_NO_MEMORY, 0, 0) };
	return (struct msg){ .tag = IPC_TAG(0, 0, 1),
			     .mr0 = IPC_MAP_ITEM(IPC_ITEM_MAP, at & ~0xffful, rights),
			     .mr1 = FPAGE(pa, 12) };
}

/* A DMA buffer: 2^log2 bytes, physically contiguous and aligned to its size, at `at`;
 * its physical address in MR0 (for the device), the map item after it. */
static struct msg dma(unsigned long at, unsigned long log2)
{
	struct msg no = { .tag = IPC_TAG(SIGMA0_NO_MEMORY, 0, 0) };
	uint32_t last = info->sigma0_range_count - 1;
	if (info->sigma0_range_count == 0 || log2 < FPAGE_MIN_LOG2 || log2 > SIGMA0_DMA_MAX_LOG2)
		return no;
	unsigned long base = info->sigma0_ranges[last].base;
	unsigned long end = dma_end ? dma_end : base + info->sigma0_ranges[last].length;
	unsigned long pa = (end - (1ul << log2)) & ~((1ul << log2) - 1);
	if (end < (1ul << log2) || pa < base || range > last ||
	    (range == last && pa < base + offset))
		return no;      /* it would reach frames already handed out */
	dma_end = pa;
	utcb()->mr[2] = FPAGE(pa, log2);
	return (struct msg){ .tag = IPC_TAG(0, 1, 1), .mr0 = pa,
			     .mr1 = IPC_MAP_ITEM(IPC_ITEM_MAP, at & ~0xffful, MAP_WRITE) };
}

/* Device memory: the kernel maps only pages outside RAM (the PCI hole) but the
 * interrupt controllers', and always uncached; sigma0 asks for exactly that. */
static struct msg mmio(unsigned long at, unsigned long fpage)
{
	unsigned long log2 = FPAGE_LOG2(fpage), pa = FPAGE_BASE(fpage);
	bool ram = false;       /* RAM is handed out as frames, never as a device */
	for (uint32_t r = 0; r < info->sigma0_range_count; r++)
		ram |= pa < info->sigma0_ranges[r].base + info->sigma0_ranges[r].length &&
		       pa + (1ul << log2) > info->sigma0_ranges[r].base;
	if (ram || log2 < FPAGE_MIN_LOG2 || log2 > SIGMA0_DMA_MAX_LOG2)
		return (struct msg){ .tag = IPC_TAG(SIGMA0_NO_MEMORY, 0, 0) };
	return (struct msg){ .tag = IPC_TAG(0, 0, 1),
			     .mr0 = IPC_MAP_ITEM(IPC_ITEM_MAP, at & ~0xffful,
						 MAP_WRITE | MAP_UNCACHED),
			     .mr1 = FPAGE(FPAGE_BASE(fpage), log2) };
}

void main(const struct boot_info_page *bi)
{
	info = bi;
	long ep = bi->sigma0_slot;
	struct msg m;
	long r = ipc_receive(ep, &m, IPC_TIMEOUT_INFINITE);
	for (;;) {
		/* An infinite wait cannot time out: IPC is not there yet (a lab 3 or 4
		 * tree). Stop rather than spin at the top priority. */
		if (r == E_TIMEOUT || r == E_NOSYS) {
			printf("sigma0: IPC does not work yet (%ld); sigma0 stops\n", r);
			return;
		}
		unsigned long label = IPC_TAG_LABEL(m.tag);
		if (r == 0 && label == FAULT_PAGE)
			m = answer(m.mr0, utcb()->mr[2] & FAULT_EXEC ? MAP_RIGHTS_ALL : MAP_WRITE);
		else if (r == 0 && label == SIGMA0_ALLOC)
			/* MR1, if sent, the rights asked for (a pager that maps code asks for
			 * MAP_EXEC, and narrows them for each client); else read-write. */
			m = answer(m.mr0, IPC_TAG_UNTYPED(m.tag) >= 2 ? m.mr1 & MAP_RIGHTS_ALL :
								     MAP_WRITE);
		else if (r == 0 && label == SIGMA0_IO)
			m = (struct msg){ .tag = IPC_TAG(0, 0, 1), .mr0 = IPC_ITEM_IO, .mr1 = m.mr0 };
		else if (r == 0 && label == SIGMA0_DMA)
			m = dma(m.mr0, m.mr1);
		else if (r == 0 && label == SIGMA0_MMIO)
			m = mmio(m.mr0, m.mr1);
		else
			m = (struct msg){ .tag = IPC_TAG(SIGMA0_NO_MEMORY, 0, 0) };
		r = ipc_reply_receive(ep, &m);
	}
}
