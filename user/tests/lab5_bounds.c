/**
 * @file
 * lab5_bounds.c — lab 5's bounded-work scenario: the longest interrupt-disabled stretch
 * that map, grant and unmap let a task cause, in guest instructions.
 *
 * The one thing to know: the root task passes pages to a receiving thread of its own
 * (a task may map a page to itself, at another address), so one task can build the
 * worst cases alone: a message with the most pages, each needing new page tables; a
 * message far over the limit, in pages and in I/O ports; one page with up to 20,000
 * mappings derived from it, then mapped onto, granted with fewer rights, and unmapped. A message that does not block
 * is one stretch, timed with bounds.h. The unmap is restarted by the kernel many times,
 * so it is timed from outside: the root waits one tick at a time while a lower thread
 * unmaps, and how late its wake-ups come (unmap_latency) is the longest stretch.
 */
#include <sigma0.h>
#include "bounds.h"


#define ROOT_PAGES  0x0000100000000000ul         /* IPC_MAP_PAGES_MAX pages of the root */
#define EMPTY_BASE  0x0000300000000000ul         /* nothing is mapped here */
#define WINDOW      0x0000200000000000ul         /* the receiver's window: 2^45 bytes */
#define WINDOW_LOG2 45
#define REGION(i)   ((unsigned long)(i) << 39)   /* 512 GiB: a page table of its own */
#define TREE_PAGE   (WINDOW + REGION(40))        /* the page everything derives from */
#define TREE_MAX    20000                        /* mappings derived from it, at most */

static unsigned long received, pages_received, pages_last;
static long result_last;

/* Receives into its window for ever; counts messages and the pages that arrived. */
static void window_receiver(unsigned long ep)
{
	utcb()->map_window = FPAGE(WINDOW, WINDOW_LOG2);
	for (;;) {
		struct msg m;
		long r = ipc_receive((long)ep, &m, IPC_TIMEOUT_INFINITE);
		unsigned long untyped = IPC_TAG_UNTYPED(m.tag), pages = 0;
		for (unsigned long k = 0; r == 0 && k < IPC_TAG_TYPED(m.tag); k++) {
			unsigned long at = untyped + 2 * k + 1;
			pages += at == 1 ? m.mr1 : utcb()->mr[at];
		}
		result_last = r;
		pages_last = pages;
		pages_received += pages;
		received++;
	}
}

/* Item k of a message of map or grant items (no untyped words). */
static void put_item(struct msg *m, unsigned k, unsigned long word0, unsigned long fpage)
{
	if (k == 0) {
		m->mr0 = word0;
		m->mr1 = fpage;
	} else {
		utcb()->mr[2 * k] = word0;
		utcb()->mr[2 * k + 1] = fpage;
	}
}

/* Sends m to the waiting receiver, timed; the receiver then records it. */
static long timed_send(long ep, long nap, struct msg *m, const char *name, unsigned long *worst)
{
	bounds_sleep(nap, 1);           /* the receiver waits: the send will not block */
	unsigned long t0 = bounds_clock();
	long r = ipc_send(ep, m, IPC_TIMEOUT_INFINITE);
	unsigned long t = bounds_clock() - t0;
	printf("%s=%lu\n", name, t);
	*worst = bounds_max(*worst, t);
	bounds_sleep(nap, 1);
	return r;
}

static volatile int unmap_done;
static long unmap_result;

static void unmap_worker(unsigned long fpage)
{
	unmap_result = sys_unmap(fpage, 0);
	unmap_done = 1;
}

/*
 * From the seed: the 8 regions the first message's pages land in (of regions 0-31),
 * the words in them and where, how many mappings derive from the tree's page (16,000
 * to TREE_MAX), the word in it, and which derived mapping it is read back through.
 * The receiver is a thread of the root's own task, so the root reads each page again
 * through the mapping the message made.
 */
UTEST(paging_bounded_work)
{
	struct challenge c = utest_challenge(bi);
	unsigned long region[IPC_MAP_PAGES_MAX], used = 0;
	for (unsigned k = 0; k < IPC_MAP_PAGES_MAX; k++) {
		do
			region[k] = challenge_range(&c, 0, 31);
		while (used & 1ul << region[k]);
		used |= 1ul << region[k];
	}
	unsigned long index = challenge_range(&c, 0, 511);
	unsigned long tree = IPC_MAP_PAGES_MAX * challenge_range(&c, 2000, TREE_MAX / 8);
	unsigned long tree_word = challenge_next(&c), tree_read = challenge_range(&c, 0, tree - 1);
	long nap = sys_endpoint_create(), ep = sys_endpoint_create();
	UCHECK(nap > 0 && ep > 0);
	unsigned long worst = 0;
	utest_spawn(bi, 0, 50, window_receiver, (unsigned long)ep);
	for (unsigned i = 0; i < IPC_MAP_PAGES_MAX; i++) {
		UCHECK(sigma0_alloc_page(bi->sigma0_slot, ROOT_PAGES + i * 4096ul) == 0);
		((volatile unsigned long *)(ROOT_PAGES + i * 4096ul))[index] = challenge_next(&c);
	}
	UCHECK(sigma0_alloc_page(bi->sigma0_slot, TREE_PAGE) == 0);
	*(volatile unsigned long *)TREE_PAGE = tree_word;

	/* The most pages a message may carry, each in a region with no page tables yet. */
	struct msg m = { .tag = IPC_TAG(0, 0, IPC_MAP_PAGES_MAX) };
	for (unsigned k = 0; k < IPC_MAP_PAGES_MAX; k++)
		put_item(&m, k, IPC_MAP_ITEM(IPC_ITEM_MAP, REGION(region[k]), MAP_WRITE),
			 FPAGE(ROOT_PAGES + k * 4096ul, 12));
	long r = timed_send(ep, nap, &m, "map_message_worst", &worst);
	unsigned long h = DIGEST_START;
	for (unsigned k = 0; r == 0 && k < IPC_MAP_PAGES_MAX; k++)
		h = digest_add(h, ((volatile unsigned long *)(WINDOW + REGION(region[k])))[index]);
	printf("bounds: %d one-page items to as many regions -> %ld, %lu page(s) arrived, "
	       "digest %lx\n", IPC_MAP_PAGES_MAX, r, pages_last, h);

	/* Far over the limit: 32 items of 4,096 pages (of nothing). */
	m = (struct msg){ .tag = IPC_TAG(0, 0, 32) };
	for (unsigned k = 0; k < 32; k++)
		put_item(&m, k, IPC_MAP_ITEM(IPC_ITEM_MAP, 0, 0), FPAGE(EMPTY_BASE + (k << 24), 24));
	r = timed_send(ep, nap, &m, "map_message_over_limit", &worst);
	printf("bounds: 32 items of 4096 pages -> %ld, the receiver got %ld\n", r, result_last);

	/* I/O ports: the most a message may carry, and every port (the root has none, so
	 * none arrive: the kernel still looks at each). */
	m = (struct msg){ .tag = IPC_TAG(0, 0, 1) };
	put_item(&m, 0, IPC_ITEM_IO, IO_FPAGE(0, 10));
	r = timed_send(ep, nap, &m, "io_message_worst", &worst);
	printf("bounds: an I/O item of %d ports -> %ld\n", IPC_IO_PORTS_MAX, r);
	put_item(&m, 0, IPC_ITEM_IO, IO_FPAGE(0, 16));
	r = timed_send(ep, nap, &m, "io_message_over_limit", &worst);
	printf("bounds: an I/O item of 65536 ports -> %ld\n", r);

	/* One page, and `tree` mappings derived from it, IPC_MAP_PAGES_MAX per message. */
	unsigned long before = pages_received;
	for (unsigned long done = 0; done < tree; done += IPC_MAP_PAGES_MAX) {
		m = (struct msg){ .tag = IPC_TAG(0, 0, IPC_MAP_PAGES_MAX) };
		for (unsigned k = 0; k < IPC_MAP_PAGES_MAX; k++)
			put_item(&m, k, IPC_MAP_ITEM(IPC_ITEM_MAP, REGION(32) + (done + k) * 4096,
						     MAP_WRITE),
				 FPAGE(TREE_PAGE, 12));
		UCHECK_EQ(ipc_send(ep, &m, IPC_TIMEOUT_INFINITE), 0);
	}
	bounds_sleep(nap, 1);
	printf("bounds: %lu mappings derived from one page; one of them reads %lx\n",
	       pages_received - before,
	       *(volatile unsigned long *)(WINDOW + REGION(32) + tree_read * 4096));

	/* A page mapped onto it, and the page granted with fewer rights. */
	m = (struct msg){ .tag = IPC_TAG(0, 0, 1) };
	put_item(&m, 0, IPC_MAP_ITEM(IPC_ITEM_MAP, REGION(40), MAP_WRITE), FPAGE(ROOT_PAGES, 12));
	r = timed_send(ep, nap, &m, "map_onto_tree", &worst);
	printf("bounds: a page mapped onto it -> %ld, %lu page(s) arrived\n", r, pages_last);
	m = (struct msg){ .tag = IPC_TAG(0, 0, 1) };
	put_item(&m, 0, IPC_MAP_ITEM(IPC_ITEM_GRANT, REGION(41), 0), FPAGE(TREE_PAGE, 12));
	r = timed_send(ep, nap, &m, "grant_tree", &worst);
	printf("bounds: it granted read-only -> %ld, %lu page(s) arrived\n", r, pages_last);

	/* Its unmap, by a lower thread, while we wake on every tick. */
	unsigned long prev, now, tick = ~0ul, late = 0;
	bounds_sleep(nap, 1);
	prev = bounds_clock();
	for (int i = 0; i < 3; i++) {   /* the time between two wake-ups when all is idle */
		bounds_sleep(nap, 1);
		now = bounds_clock();
		tick = now - prev < tick ? now - prev : tick;
		prev = now;
	}
	utest_spawn(bi, 1, PRIO_MAX - 1, unmap_worker, FPAGE(TREE_PAGE, 12));
	while (!unmap_done) {
		bounds_sleep(nap, 1);
		now = bounds_clock();
		late = bounds_max(late, now - prev > tick ? now - prev - tick : 0);
		prev = now;
	}
	printf("unmap_latency=%lu\n", late);
	worst = bounds_max(worst, late);
	printf("bounds: unmap takes back %ld mapping(s)\n", unmap_result);

	printf("irq_off_worst=%lu\n", worst);
}
