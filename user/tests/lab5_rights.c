/**
 * @file
 * lab5_rights.c — scenarios for lab 5: what a mapping may become as it is passed on,
 * and what an unmap must reach: rights that only shrink down the tree, siblings and
 * the grandchild under one of them, and the kernel's own pages a map must not replace.
 *
 * The one thing to know: second tasks (copies of this program) receive the root's
 * page in their window and pass it on; their faults go to a reporting pager in the
 * root, which prints each fault with its access and the faulting thread's badge and
 * answers without a mapping, so the kernel stops that thread. What a task was given
 * shows in what it could do: a write or a jump that works where it must fault.
 */
#include <minim.h>
#include <sigma0.h>
#include <thread.h>
#include "utest.h"

#define STACK_SIZE 8192
#define PAGE_VA    0x0000300000000000ul         /* the root's page to pass on */
#define WINDOW_VA  0x0000400000000000ul         /* where second tasks receive it */

static char stacks[1][STACK_SIZE] __attribute__((aligned(16)));
static char child_stack[4][STACK_SIZE] __attribute__((aligned(16)));
static long reporter_ep;

/* The reporting pager, and the root's page from sigma0 with `value` at word `index`. */
static void setup(const struct boot_info_page *bi, unsigned long index, unsigned long value)
{
	reporter_ep = sys_endpoint_create();
	UCHECK(reporter_ep > 0);
	UCHECK(thread_spawn(bi->self_task_slot, 60, utest_reporting_pager, (unsigned long)reporter_ep,
			    stacks[0], STACK_SIZE) > 0);
	UCHECK(sigma0_alloc_page(bi->sigma0_slot, PAGE_VA) == 0);
	((volatile unsigned long *)PAGE_VA)[index] = value;
}

/* A thread at prio in a new task, paged by the reporter with `badge`, running fn with
 * the task's copy of `endpoint` (send and receive); returns the task's slot. */
static long start_child(const struct boot_info_page *bi, int i, long prio, long endpoint,
			unsigned long badge, void (*fn)(unsigned long))
{
	long task = utest_task_clone(bi);
	long there = sys_cap_copy(task, endpoint, RIGHT_SEND | RIGHT_RECEIVE, 0);
	long pager = sys_cap_copy(bi->self_task_slot, reporter_ep, RIGHT_SEND, badge);
	long thread = sys_thread_create(task, prio);
	UCHECK(there > 0 && pager > 0 && thread > 0);
	UCHECK_EQ(sys_thread_handlers(thread, pager, 0), 0);
	UCHECK(sys_thread_start(thread, (unsigned long)fn,
				(unsigned long)child_stack[i] + STACK_SIZE - 8,
				(unsigned long)there) == 0);
	return task;
}

/* Sends the page at `from` (map or grant, with `rights`) and two words to ep. */
static long send_page(long ep, unsigned long from, unsigned long kind, unsigned long rights,
		      unsigned long mr0, unsigned long mr1)
{
	struct msg m = { .tag = IPC_TAG(0, 2, 1), .mr0 = mr0, .mr1 = mr1 };
	utcb()->mr[2] = IPC_MAP_ITEM(kind, 0, rights);
	utcb()->mr[3] = FPAGE(from, 12);
	return ipc_send(ep, &m, IPC_TIMEOUT_INFINITE);
}

/* Receives a page at WINDOW_VA and says what arrived; MR1 of the message: word indices. */
static struct msg receive_page(long ep, const char *who, unsigned long *where)
{
	struct msg m;
	utcb()->map_window = FPAGE(WINDOW_VA, 12);
	long r = ipc_receive(ep, &m, IPC_TIMEOUT_INFINITE);
	*where = m.mr1;
	printf("%s got %ld, %lu page(s) with rights %lx; it reads %lx\n", who, r, utcb()->mr[3],
	       IPC_MAP_RIGHTS_OF(utcb()->mr[2]),
	       ((volatile unsigned long *)WINDOW_VA)[*where & 0x1ff]);
	return m;
}

/*
 * Rights only shrink: the root grants its writable page read-only to A, so A's
 * mapping (the root's node, moved) may neither be written nor run; A maps it on to
 * B asking for write and exec, and B gets neither. A jumps to a `ret` the root put
 * in the page; B writes it. Both must fault.
 */
static void granted_reader(unsigned long ep)
{
	unsigned long where;
	struct msg m = receive_page((long)ep, "rights: A", &where);
	long onward = (long)m.mr0;
	printf("rights: A maps it on asking write and exec -> %ld\n",
	       send_page(onward, WINDOW_VA, IPC_ITEM_MAP, MAP_WRITE | MAP_EXEC, 0, where));
	printf("rights: A calls the page's code\n");
	((void (*)(void))(WINDOW_VA + (where >> 16 & 0x1ff) * 8))();
	printf("rights: A ran the page's code (must not appear)\n");
	sys_thread_exit();
}

static void mapped_writer(unsigned long ep)
{
	unsigned long where;
	receive_page((long)ep, "rights: B", &where);
	unsigned long w = where >> 32 & 0x1ff;
	printf("rights: B writes word %lu\n", w);
	((volatile unsigned long *)WINDOW_VA)[w] = ep;
	printf("rights: B wrote the page (must not appear)\n");
	sys_thread_exit();
}

/* The word and its place, where the `ret` and B's write go, and both badges: the seed's. */
UTEST(paging_rights_shrink)
{
	struct challenge c = utest_challenge(bi);
	unsigned long r = challenge_range(&c, 0, 511), value = challenge_next(&c);
	unsigned long e = (r + challenge_range(&c, 1, 511)) % 512;
	unsigned long w = challenge_range(&c, 0, 511);
	unsigned long badge = challenge_range(&c, 1, 1000);
	unsigned long badge2 = badge + challenge_range(&c, 1, 1000);
	setup(bi, r, value);
	((volatile unsigned char *)PAGE_VA)[e * 8] = 0xc3;     /* ret */
	long to_a = sys_endpoint_create(), to_b = sys_endpoint_create();
	UCHECK(to_a > 0 && to_b > 0);
	long a = start_child(bi, 0, 50, to_a, badge, granted_reader);
	start_child(bi, 1, 45, to_b, badge2, mapped_writer);
	long onward = sys_cap_copy(a, to_b, RIGHT_SEND | RIGHT_GRANT, 0);
	UCHECK(onward > 0);
	/* Below both: they wait in their receives, and each runs to its fault in turn. */
	UCHECK(sys_thread_priority(bi->self_thread_slot, 40) == 0);
	printf("rights: root granted its page read-only -> %ld\n",
	       send_page(to_a, PAGE_VA, IPC_ITEM_GRANT, 0, (unsigned long)onward,
			 r | e << 16 | w << 32));
	UCHECK(sys_thread_priority(bi->self_thread_slot, 1) == 0);
	printf("rights: root runs on\n");
}

/*
 * Unmap reaches every node under the root's page: the root maps it to A, B and C in
 * turn (three siblings), C maps it on to D; then A unmaps its own copy (the oldest
 * sibling: the others must stay linked) and touches the page, and faults; the root's
 * unmap takes back B, C and D, and each of them touches the page, and faults.
 */
static void sibling(unsigned long ep)
{
	unsigned long where;
	struct msg m = receive_page((long)ep, "siblings: a task", &where);
	if (m.mr0)
		printf("siblings: it maps the page on -> %ld\n",
		       send_page((long)m.mr0, WINDOW_VA, IPC_ITEM_MAP, MAP_WRITE, 0,
				 where & ~(1ul << 32)));
	/* Ready; then wait until the root has unmapped (a send, not a call: the root
	 * holds one reply right at a time, and waits for all four). */
	m = (struct msg){ .tag = IPC_TAG(0, 0, 0) };
	UCHECK_EQ(ipc_send((long)ep, &m, IPC_TIMEOUT_INFINITE), 0);
	UCHECK_EQ(ipc_receive((long)ep, &m, IPC_TIMEOUT_INFINITE), 0);
	if (where >> 32 & 1)
		printf("siblings: it unmaps its own copy: %ld\n",
		       sys_unmap(FPAGE(WINDOW_VA, 12), UNMAP_SELF));
	(void)((volatile unsigned long *)WINDOW_VA)[where >> 16 & 0x1ff];
	printf("siblings: still mapped (must not appear)\n");
	sys_thread_exit();
}

/* The word and its place, the place touched at the end, and the badges: the seed's. */
UTEST(paging_unmap_siblings)
{
	struct challenge c = utest_challenge(bi);
	unsigned long r = challenge_range(&c, 0, 511), t = challenge_range(&c, 0, 511);
	unsigned long value = challenge_next(&c);
	unsigned long badge[4];
	badge[0] = challenge_range(&c, 1, 1000);
	for (int i = 1; i < 4; i++)
		badge[i] = badge[i - 1] + challenge_range(&c, 1, 1000);
	setup(bi, r, value);
	long ep[4], task[4];
	for (int i = 0; i < 4; i++) {
		ep[i] = sys_endpoint_create();
		UCHECK(ep[i] > 0);
		task[i] = start_child(bi, i, i < 3 ? 50 : 45, ep[i], badge[i], sibling);
	}
	long onward = sys_cap_copy(task[2], ep[3], RIGHT_SEND | RIGHT_GRANT, 0);
	UCHECK(onward > 0);
	/* Below them: they wait in their receives, and each takes its page in turn. */
	UCHECK(sys_thread_priority(bi->self_thread_slot, 40) == 0);
	for (int i = 0; i < 3; i++)
		printf("siblings: root mapped its page to task %c -> %ld\n", 'A' + i,
		       send_page(ep[i], PAGE_VA, IPC_ITEM_MAP, MAP_WRITE,
				 i == 2 ? (unsigned long)onward : 0,
				 r | t << 16 | (unsigned long)(i == 0) << 32));
	struct msg m;
	for (int i = 0; i < 4; i++)
		UCHECK_EQ(ipc_receive(ep[i], &m, IPC_TIMEOUT_INFINITE), 0);
	/* A goes first: it unmaps its copy, with its siblings mapped after it, and faults. */
	m = (struct msg){ .tag = IPC_TAG(0, 0, 0) };
	UCHECK_EQ(ipc_send(ep[0], &m, IPC_TIMEOUT_INFINITE), 0);
	printf("siblings: root's unmap takes back %ld mapping(s)\n",
	       sys_unmap(FPAGE(PAGE_VA, 12), 0));
	printf("siblings: root's own page still reads %lx\n", ((volatile unsigned long *)PAGE_VA)[r]);
	for (int i = 1; i < 4; i++) {
		m = (struct msg){ .tag = IPC_TAG(0, 0, 0) };
		UCHECK(ipc_send(ep[i], &m, IPC_TIMEOUT_INFINITE) == 0);   /* it touches: a fault */
	}
	UCHECK(sys_thread_priority(bi->self_thread_slot, 1) == 0);
}

/*
 * A map whose hot spot lands on a page the kernel put in the receiver (its program's
 * code) is skipped: the receiver runs on in its own code, and answers with how many
 * pages arrived and the word at MR0's address; page-aligned, and smaller than a page,
 * so that the page the map aims at is the one it runs in.
 */
__attribute__((aligned(4096), noinline)) static void counter(unsigned long ep)
{
	struct msg m;
	utcb()->map_window = FPAGE_USER_SPACE;
	long r = ipc_receive((long)ep, &m, IPC_TIMEOUT_INFINITE);
	for (;;) {
		unsigned long pages = r == 0 && IPC_TAG_TYPED(m.tag) == 1 ? utcb()->mr[2] : 0;
		unsigned long word = pages ? *(volatile unsigned long *)m.mr0 : 0;
		m = (struct msg){ .tag = IPC_TAG(0, 2, 0), .mr0 = pages, .mr1 = word };
		r = ipc_reply_receive((long)ep, &m);
	}
}

/* Maps the root's page at `at` in the receiver; its answer in *pages and *word (the
 * word at `index` there). */
static long map_to_counter(long ep, unsigned long at, unsigned long index,
			   unsigned long *pages, unsigned long *word)
{
	struct msg m = { .tag = IPC_TAG(0, 1, 1), .mr0 = (at & ~0xffful) + index * 8,
			 .mr1 = IPC_MAP_ITEM(IPC_ITEM_MAP, at & ~0xffful, MAP_WRITE) };
	utcb()->mr[2] = FPAGE(PAGE_VA, 12);
	long r = ipc_call(ep, &m);      /* answered only if its code is still there */
	*pages = m.mr0;
	*word = m.mr1;
	return r;
}

/* The word and its place, a free page, and where in counter()'s page: the seed's. */
UTEST(paging_map_onto_kernel_page)
{
	struct challenge c = utest_challenge(bi);
	unsigned long index = challenge_range(&c, 0, 511), value = challenge_next(&c);
	unsigned long free_page = WINDOW_VA + challenge_range(&c, 0, (1ul << 18) - 1) * 4096;
	unsigned long at = (unsigned long)counter + challenge_range(&c, 0, 511) * 8;
	setup(bi, index, value);
	long ep = sys_endpoint_create();
	UCHECK(ep > 0);
	start_child(bi, 0, 50, ep, 1, counter);
	unsigned long pages, word;
	long r = map_to_counter(ep, free_page, index, &pages, &word);
	printf("onto: a page mapped to a free place -> %ld, %lu arrived, it reads %lx\n", r,
	       pages, word);
	r = map_to_counter(ep, at, 0, &pages, &word);
	printf("onto: the page mapped onto the receiver's code -> %ld, %lu arrived\n", r, pages);
}
