/**
 * @file
 * main.c — sigma0: the root pager, which owns all physical memory and hands it out.
 *
 * The one thing to know: sigma0 holds no page of the memory it gives: its "addresses"
 * in a map item are physical, which the kernel accepts from sigma0 alone. It answers
 * a page fault of a task it pages (the root task's first thread) and SIGMA0_ALLOC
 * each with one fresh frame — it never takes a frame back, so each goes out once —
 * and SIGMA0_IO with access to the ports asked for. The policy (what, to whom) is all
 * here, in user space.
 */
#include <minim.h>
#include <sigma0.h>

static const struct boot_info_page *info;
static uint32_t range;          /* the range the next frame comes from */
static unsigned long offset;    /* how far into it we are */
static unsigned long handed_out;

/* The physical address of a frame nobody has had yet, or 0 when all are gone. */
static unsigned long next_frame(void)
{
	while (range < info->sigma0_range_count) {
		if (offset < info->sigma0_ranges[range].length) {
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
		else
			m = (struct msg){ .tag = IPC_TAG(SIGMA0_NO_MEMORY, 0, 0) };
		r = ipc_reply_receive(ep, &m);
	}
}
