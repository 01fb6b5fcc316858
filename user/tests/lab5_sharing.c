/**
 * @file
 * lab5_sharing.c — scenarios for lab 5: pages mapped read-only, shared read-write,
 * granted, taken back recursively, and per-task quotas.
 *
 * The one thing to know: the root task holds pages it got from sigma0 and passes them
 * to second tasks with map and grant items; a thread in a second task receives them
 * into its window, uses them, and says what it saw. Its faults go to a "reporting"
 * pager in the root, which prints them and answers without a mapping.
 */
#include <minim.h>
#include <sigma0.h>
#include <thread.h>
#include "utest.h"

#define STACK_SIZE 8192
#define PAGE_VA    0x0000300000000000ul         /* the root's page to pass on */
#define WINDOW_VA  0x0000400000000000ul         /* where children receive it */

static char stacks[2][STACK_SIZE] __attribute__((aligned(16)));
static char child_stack[2][STACK_SIZE] __attribute__((aligned(16)));
static long reporter_ep;

/* A thread in a new task, running fn(arg), with a receive endpoint copied in. */
struct child {
	long task, thread, endpoint_in_child;
};

static struct child start_child(const struct boot_info_page *bi, int i, long endpoint,
				unsigned long badge, void (*fn)(unsigned long))
{
	struct child c;
	c.task = utest_task_clone(bi);
	UCHECK(c.task > 0);
	c.endpoint_in_child = sys_cap_copy(c.task, endpoint, RIGHT_SEND | RIGHT_RECEIVE, 0);
	long pager = sys_cap_copy(bi->self_task_slot, reporter_ep, RIGHT_SEND, badge);
	c.thread = sys_thread_create(c.task, 50);
	UCHECK(c.endpoint_in_child > 0 && pager > 0 && c.thread > 0);
	UCHECK_EQ(sys_thread_handlers(c.thread, pager, 0), 0);
	UCHECK(sys_thread_start(c.thread, (unsigned long)fn,
				(unsigned long)child_stack[i] + STACK_SIZE - 8,
				(unsigned long)c.endpoint_in_child) == 0);
	return c;
}

static void setup(const struct boot_info_page *bi)
{
	reporter_ep = sys_endpoint_create();
	UCHECK(reporter_ep > 0);
	UCHECK(thread_spawn(bi->self_task_slot, 60, utest_reporting_pager, (unsigned long)reporter_ep,
			    stacks[0], STACK_SIZE) > 0);
	UCHECK(sigma0_alloc_page(bi->sigma0_slot, PAGE_VA) == 0);
}

/*
 * What a child is told in its message's two words (struct share): the word indices it
 * reads first (r), writes (w) and reads last (l), and a key; it writes what it read
 * XORed with the key, so the root sees a value that came through the page both ways.
 */
struct share {
	unsigned long r, w, l, key;
};

static struct share share_draw(struct challenge *c)
{
	struct share s;
	s.r = challenge_range(c, 0, 511);
	s.w = (s.r + challenge_range(c, 1, 170)) % 512;
	s.l = (s.w + challenge_range(c, 1, 170)) % 512;
	s.key = challenge_next(c);
	return s;
}

/* Sends one page (map or grant) of the root's to a child waiting at ep, with sh. */
static long send_page(long ep, unsigned long kind, unsigned long rights, struct share sh)
{
	struct msg m = { .tag = IPC_TAG(0, 2, 1), .mr0 = sh.r | sh.w << 16 | sh.l << 32,
			 .mr1 = sh.key };
	utcb()->mr[2] = IPC_MAP_ITEM(kind, 0, rights);
	utcb()->mr[3] = FPAGE(PAGE_VA, 12);
	return ipc_send(ep, &m, IPC_TIMEOUT_INFINITE);
}

/* Child: receives a page, reads it, then writes it (a fault if read-only). */
static void reader_writer(unsigned long ep)
{
	struct msg m;
	utcb()->map_window = FPAGE(WINDOW_VA, 12);
	long r = ipc_receive((long)ep, &m, IPC_TIMEOUT_INFINITE);
	unsigned long ri = m.mr0 & 0xffff, wi = m.mr0 >> 16 & 0xffff, li = m.mr0 >> 32 & 0xffff;
	unsigned long key = m.mr1;
	volatile unsigned long *page = (unsigned long *)WINDOW_VA;
	unsigned long got = page[ri % 512];
	printf("child: received %ld, %lu page(s); it reads %lx\n", r, utcb()->mr[3], got);
	page[wi % 512] = got ^ key;
	printf("child: wrote %lx into the page\n", got ^ key);
	m = (struct msg){ .tag = IPC_TAG(0, 0, 0) };
	ipc_call((long)ep, &m);         /* tell the root, and wait for it */
	printf("child: it reads %lx now\n", page[li % 512]);
	thread_exit();
}

/* The word, where it is, where the child writes, and the pager's badge: from the seed. */
UTEST(paging_share_readonly)
{
	struct challenge c = utest_challenge(bi);
	struct share sh = share_draw(&c);
	unsigned long value = challenge_next(&c), badge = challenge_range(&c, 1, 1000);
	setup(bi);
	long ep = sys_endpoint_create();
	volatile unsigned long *page = (unsigned long *)PAGE_VA;
	page[sh.r] = value;
	start_child(bi, 0, ep, badge, reader_writer);
	printf("root: mapping the page read-only -> %ld\n", send_page(ep, IPC_ITEM_MAP, 0, sh));
	UCHECK(sys_thread_priority(bi->self_thread_slot, 1) == 0);
	printf("root: the page still reads %lx here, and %lx where the child wrote\n",
	       page[sh.r], page[sh.w]);
}

UTEST(paging_share_writable)
{
	struct challenge c = utest_challenge(bi);
	struct share sh = share_draw(&c);
	unsigned long value = challenge_next(&c), later = challenge_next(&c);
	setup(bi);
	long ep = sys_endpoint_create();
	volatile unsigned long *page = (unsigned long *)PAGE_VA;
	page[sh.r] = value;
	start_child(bi, 0, ep, 22, reader_writer);
	printf("root: mapping the page writable -> %ld\n",
	       send_page(ep, IPC_ITEM_MAP, MAP_WRITE, sh));
	struct msg m;
	UCHECK(ipc_receive(ep, &m, IPC_TIMEOUT_INFINITE) == 0);   /* the child wrote */
	printf("root: it sees the child's write: %lx\n", page[sh.w]);
	page[sh.l] = later;
	UCHECK_EQ(ipc_reply(&m), 0);
	UCHECK(sys_thread_priority(bi->self_thread_slot, 1) == 0);
}

UTEST(paging_grant)
{
	struct challenge c = utest_challenge(bi);
	struct share sh = share_draw(&c);
	unsigned long value = challenge_next(&c);
	setup(bi);
	long ep = sys_endpoint_create();
	volatile unsigned long *page = (unsigned long *)PAGE_VA;
	page[sh.r] = value;
	start_child(bi, 0, ep, 23, reader_writer);
	printf("root: granting the page -> %ld\n",
	       send_page(ep, IPC_ITEM_GRANT, MAP_WRITE, sh));
	printf("root: unmapping it here finds %ld page(s)\n",
	       sys_unmap(FPAGE(PAGE_VA, 12), UNMAP_SELF));
	/* Gone from our page table too: the read faults, and sigma0 gives a fresh page. */
	printf("root: reading the address now gives %lx\n", page[sh.r]);
	struct msg m;
	UCHECK(ipc_receive(ep, &m, IPC_TIMEOUT_INFINITE) == 0);   /* the child wrote */
	printf("root: the child's write is not here: %lx\n", page[sh.w]);
	UCHECK_EQ(ipc_reply(&m), 0);
	UCHECK(sys_thread_priority(bi->self_thread_slot, 1) == 0);
}

/*
 * Child of the chain: receives the page (and, in MR0, a capability slot of its own to
 * pass it on through, or 0; in MR1 the word index to read, and the one to touch at
 * the end), passes it on, waits for the root's unmap, touches it.
 */
static void chain_link(unsigned long ep)
{
	struct msg m;
	utcb()->map_window = FPAGE(WINDOW_VA, 12);
	long r = ipc_receive((long)ep, &m, IPC_TIMEOUT_INFINITE);
	long next = (long)m.mr0;
	unsigned long where = m.mr1, ri = where & 0x1ff, ti = where >> 16 & 0x1ff;
	printf("chain: task got %ld, %lu page(s), reads %lx; %s\n", r, utcb()->mr[3],
	       ((volatile unsigned long *)WINDOW_VA)[ri], next ? "passes it on" : "the last");
	if (next) {
		m = (struct msg){ .tag = IPC_TAG(0, 2, 1), .mr0 = 0, .mr1 = where };
		utcb()->mr[2] = IPC_MAP_ITEM(IPC_ITEM_MAP, 0, MAP_WRITE);
		utcb()->mr[3] = FPAGE(WINDOW_VA, 12);
		printf("chain: passing it on -> %ld\n", ipc_send(next, &m, IPC_TIMEOUT_INFINITE));
	}
	m = (struct msg){ .tag = IPC_TAG(0, 0, 0) };
	ipc_call((long)ep, &m);         /* wait until the root has unmapped */
	printf("chain: touching the page again\n");
	(void)((volatile unsigned long *)WINDOW_VA)[ti];
	printf("chain: still mapped (must not appear)\n");
	thread_exit();
}

/* The word and its place, the place touched at the end, and both badges: the seed's. */
UTEST(paging_recursive_unmap)
{
	struct challenge c = utest_challenge(bi);
	unsigned long ri = challenge_range(&c, 0, 511), ti = challenge_range(&c, 0, 511);
	unsigned long value = challenge_next(&c);
	unsigned long badge = challenge_range(&c, 1, 1000);
	unsigned long badge2 = badge + challenge_range(&c, 1, 1000);     /* never the same */
	setup(bi);
	((volatile unsigned long *)PAGE_VA)[ri] = value;
	long to_child = sys_endpoint_create(), to_grandchild = sys_endpoint_create();
	struct child child = start_child(bi, 0, to_child, badge, chain_link);
	start_child(bi, 1, to_grandchild, badge2, chain_link);
	/* Passing pages on in a message needs the grant right, like passing capabilities. */
	long onward = sys_cap_copy(child.task, to_grandchild, RIGHT_SEND | RIGHT_GRANT, 0);
	UCHECK(onward > 0);

	struct msg m = { .tag = IPC_TAG(0, 2, 1), .mr0 = (unsigned long)onward,
			 .mr1 = ri | ti << 16 };
	utcb()->mr[2] = IPC_MAP_ITEM(IPC_ITEM_MAP, 0, MAP_WRITE);
	utcb()->mr[3] = FPAGE(PAGE_VA, 12);
	printf("root: mapping the page to the child -> %ld\n",
	       ipc_send(to_child, &m, IPC_TIMEOUT_INFINITE));
	UCHECK(sys_thread_priority(bi->self_thread_slot, 40) == 0);    /* let both take it */
	struct msg from_child, from_grandchild;
	UCHECK_EQ(ipc_receive(to_child, &from_child, IPC_TIMEOUT_INFINITE), 0);
	printf("root: unmap takes back %ld mapping(s)\n", sys_unmap(FPAGE(PAGE_VA, 12), 0));
	printf("root: its own page still reads %lx\n", ((volatile unsigned long *)PAGE_VA)[ri]);
	UCHECK(ipc_reply(&from_child) == 0);            /* the child touches it: a fault */
	UCHECK_EQ(ipc_receive(to_grandchild, &from_grandchild, IPC_TIMEOUT_INFINITE), 0);
	UCHECK(ipc_reply(&from_grandchild) == 0);       /* and so does the grandchild */
	UCHECK(sys_thread_priority(bi->self_thread_slot, 1) == 0);
}

/* Receives up to 8 pages, and prints a digest of the word at MR0's index in each. */
static void quota_child(unsigned long ep)
{
	struct msg m;
	utcb()->map_window = FPAGE(WINDOW_VA, 18);
	long r = ipc_receive((long)ep, &m, IPC_TIMEOUT_INFINITE);
	unsigned long pages = utcb()->mr[2], h = DIGEST_START;
	for (unsigned long i = 0; r == 0 && i < pages && i < IPC_MAP_PAGES_MAX; i++)
		h = digest_add(h, ((volatile unsigned long *)(WINDOW_VA + i * 4096))[m.mr0 % 512]);
	printf("quota: a task got %ld: %lu of %d pages, digest %lx\n", r, pages,
	       IPC_MAP_PAGES_MAX, h);
	thread_exit();
}

/* The words in the 8 pages, and where in them: from the seed. */
UTEST(paging_quota)
{
	struct challenge c = utest_challenge(bi);
	unsigned long index = challenge_range(&c, 0, 511);
	setup(bi);
	for (unsigned long i = 1; i < IPC_MAP_PAGES_MAX; i++)
		UCHECK(sigma0_alloc_page(bi->sigma0_slot, PAGE_VA + i * 4096) == 0);
	for (unsigned long i = 0; i < IPC_MAP_PAGES_MAX; i++)
		((volatile unsigned long *)(PAGE_VA + i * 4096))[index] = challenge_next(&c);
	long ep_small = sys_endpoint_create(), ep_big = sys_endpoint_create();
	struct child small = start_child(bi, 0, ep_small, 41, quota_child);
	start_child(bi, 1, ep_big, 42, quota_child);
	/* Four pages of kernel memory beside its thread's: room for the page tables of one
	 * mapping. */
	printf("quota: limiting one task to its thread and 4 pages -> %ld\n",
	       sys_task_quota(small.task, THREAD_COST_PAGES + 4));
	/* As many pages as a message may carry (abi/ipc.h): 8, a flexpage of 2^15. */
	struct msg m = { .tag = IPC_TAG(0, 1, 1), .mr0 = index,
			 .mr1 = IPC_MAP_ITEM(IPC_ITEM_MAP, 0, MAP_WRITE) };
	utcb()->mr[2] = FPAGE(PAGE_VA, 15);
	printf("quota: mapping 8 pages to the limited task -> %ld\n",
	       ipc_send(ep_small, &m, IPC_TIMEOUT_INFINITE));
	m = (struct msg){ .tag = IPC_TAG(0, 1, 1), .mr0 = index,
			  .mr1 = IPC_MAP_ITEM(IPC_ITEM_MAP, 0, MAP_WRITE) };
	utcb()->mr[2] = FPAGE(PAGE_VA, 15);
	printf("quota: mapping 8 pages to the other task -> %ld\n",
	       ipc_send(ep_big, &m, IPC_TIMEOUT_INFINITE));
	UCHECK(sys_thread_priority(bi->self_thread_slot, 1) == 0);
}
