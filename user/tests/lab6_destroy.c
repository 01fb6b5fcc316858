/**
 * @file
 * lab6_destroy.c — scenarios for lab 6: destroying tasks, and everything coming back.
 *
 * The one thing to know: each scenario makes second tasks running this program
 * (utest_task_clone: a fresh copy of the file, so a child sees none of the root's
 * variables: what it needs comes in its thread's argument, slots packed a byte each,
 * and in messages), lets their threads block where a destruction is dangerous — in a
 * call, a send, a receive, a page fault, their own task_destroy — then destroys the
 * task and prints what the other side saw and what the kernel's counts say, so a
 * kernel that leaves a partner hanging, a page mapped or a byte charged prints
 * something else. Words, counts and addresses come from the seed.
 */
#include <stdbool.h>
#include <minim.h>
#include <sigma0.h>
#include <thread.h>
#include <abi/debug.h>
#include "utest.h"

#define STACK_SIZE 8192
#define PAGE_VA    0x0000300000000000ul         /* the root's pages to pass on */
#define WINDOW_VA  0x0000400000000000ul         /* where a child receives them */
#define BACK_VA    0x0000480000000000ul         /* where the root gets one back */
#define CLIENT_VA  0x0000500000000000ul         /* where the paged client faults */
#define POOL_VA    0x0000600000000000ul         /* the child pager's own pages */

/* Capability slots (< 128) packed into a thread's one argument. */
#define PACK4(a, b, c, d) ((unsigned long)(a) | (unsigned long)(b) << 8 | \
			   (unsigned long)(c) << 16 | (unsigned long)(d) << 24)
#define SLOT_OF(arg, i) ((long)(((arg) >> (8 * (i))) & 0xff))

static char root_stacks[4][STACK_SIZE] __attribute__((aligned(16)));
static char child_stacks[3][STACK_SIZE] __attribute__((aligned(16)));




/* In a child: sends the capability in `slot` (with `rights`) to the root's inbox. */
static void offer(long inbox, long slot, unsigned long rights)
{
	struct msg m = { .tag = IPC_TAG(0, 1, 1), .mr1 = IPC_ITEM_CAP | IPC_ITEM_RIGHTS(rights) };
	utcb()->mr[2] = (unsigned long)slot;
	UCHECK_EQ(ipc_send(inbox, &m, IPC_TIMEOUT_INFINITE), 0);
}

/* In the root: the next capability a child offers at inbox; its new slot here. */
static long take(long inbox)
{
	struct msg m;
	utcb()->accept_caps = 1;
	utcb()->mr[2] = 0;
	UCHECK_EQ(ipc_receive(inbox, &m, 50), 0);
	long slot = (long)utcb()->mr[2];
	utcb()->accept_caps = 0;
	UCHECK(IPC_TAG_TYPED(m.tag) == 1 && slot > 0);
	return slot;
}

/* A thread in task at prio running fn(arg) on child stack i (its copy in that task). */
static long child_thread(long task, long prio, void (*fn)(unsigned long), int i,
			 unsigned long arg)
{
	return utest_spawn_in_task(task, prio, fn, child_stacks[i], STACK_SIZE, arg);
}

static long root_thread(const struct boot_info_page *bi, int i, long prio,
			void (*fn)(unsigned long), unsigned long arg)
{
	long t = thread_spawn(bi->self_task_slot, prio, fn, arg, root_stacks[i], STACK_SIZE);
	UCHECK(t > 0);
	return t;
}

/* Waits for the next report at ep (label = who, MR0, MR1); false on a timeout. */
static bool report_next(long ep, unsigned long ticks, struct msg *m)
{
	return ipc_receive(ep, m, ticks) == 0;
}

/* ---- partners: a call, a send and a receive under way when the task goes ---- */

/*
 * A root thread calls the child's server, which keeps the reply; another sends to an
 * endpoint the child made, a third receives from another; then the child is destroyed.
 * Each root thread reports its result and its word, XORed with the key, to the root.
 */
static long p_srv, p_reports, p_own[2];
static unsigned long p_words[3], p_key;

/* In the child: arg packs (its receive slot of p_srv, its inbox slot). */
static void partners_server(unsigned long arg)
{
	long own = sys_endpoint_create(), own2 = sys_endpoint_create();
	long never = sys_endpoint_create();
	UCHECK(own > 0 && own2 > 0 && never > 0);
	offer(SLOT_OF(arg, 1), own, RIGHT_SEND);
	offer(SLOT_OF(arg, 1), own2, RIGHT_RECEIVE);
	struct msg m;
	UCHECK_EQ(ipc_receive(SLOT_OF(arg, 0), &m, IPC_TIMEOUT_INFINITE), 0);
	/* Holds the caller's reply right, and waits where nobody ever sends. */
	ipc_receive(never, &m, IPC_TIMEOUT_INFINITE);
	printf("partners: the server woke up (must not appear)\n");
	sys_thread_exit();
}

static void partners_report(unsigned long i, long r)
{
	struct msg m = { .tag = IPC_TAG(i + 1, 2, 0), .mr0 = p_words[i] ^ p_key,
			 .mr1 = (unsigned long)r };
	UCHECK_EQ(ipc_send(p_reports, &m, IPC_TIMEOUT_INFINITE), 0);
}

static void partners_blocked(unsigned long i)
{
	struct msg m = { .tag = IPC_TAG(0, 1, 0), .mr0 = p_words[i] };
	long r = i == 0 ? ipc_call(p_srv, &m) :
		 i == 1 ? ipc_send(p_own[0], &m, IPC_TIMEOUT_INFINITE) :
			  ipc_receive(p_own[1], &m, IPC_TIMEOUT_INFINITE);
	partners_report(i, r);
}

UTEST(task_destroy_partners)
{
	static const char *const who[3] = { "the caller", "the sender", "the receiver" };
	struct challenge c = utest_challenge(bi);
	for (int i = 0; i < 3; i++)
		p_words[i] = challenge_next(&c);
	p_key = challenge_next(&c);

	long task = utest_task_clone(bi), inbox_there;
	long inbox = sys_endpoint_create();
	p_srv = sys_endpoint_create();
	p_reports = sys_endpoint_create();
	UCHECK(inbox > 0 && p_srv > 0 && p_reports > 0);
	UCHECK((inbox_there = sys_cap_copy(task, inbox, RIGHT_SEND | RIGHT_GRANT, 0)) > 0);
	long srv_there = sys_cap_copy(task, p_srv, RIGHT_RECEIVE, 0);
	UCHECK(srv_there > 0);
	child_thread(task, 40, partners_server, 0, PACK4(srv_there, inbox_there, 0, 0));
	p_own[0] = take(inbox);
	p_own[1] = take(inbox);
	for (unsigned long i = 0; i < 3; i++)
		root_thread(bi, (int)i, 50, partners_blocked, i);
	utest_sleep_ticks(3);   /* they block; the server takes the call */
	struct msg m;
	printf("partners: reports before the destruction: %s\n",
	       report_next(p_reports, IPC_TIMEOUT_POLL, &m) ? "some (wrong)" : "none");
	printf("partners: destroying the task -> %ld\n", sys_task_destroy(task));
	bool seen[3] = { false, false, false };
	long result[3];
	unsigned long word[3];
	for (int n = 0; n < 3 && report_next(p_reports, 20, &m); n++) {
		unsigned long i = IPC_TAG_LABEL(m.tag) - 1;
		UCHECK(i < 3 && !seen[i]);
		seen[i] = true;
		word[i] = m.mr0;
		result[i] = (long)m.mr1;
	}
	for (int i = 0; i < 3; i++) {
		if (seen[i])
			printf("partners: %s's wait ended with %ld, word %lx\n", who[i], result[i],
			       word[i]);
		else
			printf("partners: %s still waits\n", who[i]);
	}
	struct msg probe = { .tag = IPC_TAG(0, 0, 0) };
	printf("partners: a send to the task's endpoint now -> %ld\n",
	       ipc_send(p_own[0], &probe, IPC_TIMEOUT_POLL));
	printf("partners: a thread in the dead task -> %ld; a copy into it -> %ld; destroying "
	       "it again -> %ld\n", sys_thread_create(task, 10),
	       sys_cap_copy(task, p_srv, RIGHT_SEND, 0), sys_task_destroy(task));
}

/* ---- reclaim: many tasks made, used and destroyed; every count comes back ---- */

/*
 * One cycle's child: two threads, two endpoints of its own, an empty task of its own,
 * `pages` pages mapped in from the root (it reads a word of each) and one of them
 * mapped back into the root — a mapping derived from the child's, which must go with
 * it. Its main thread then calls the root and stays blocked in that call.
 */
static unsigned long r_index;

/* arg packs (its slot of the root's endpoint, its own task slot). */
static void reclaim_child(unsigned long arg)
{
	long root = SLOT_OF(arg, 0), self = SLOT_OF(arg, 1);
	long own = sys_endpoint_create(), own2 = sys_endpoint_create();
	long grandchild = sys_task_create(0, 16);
	long helper = sys_thread_create(self, 5);
	UCHECK(own > 0 && own2 > 0 && grandchild > 0 && helper > 0);
	utcb()->map_window = FPAGE(WINDOW_VA, 15);
	struct msg m = { .tag = IPC_TAG(0, 0, 0) };
	UCHECK(ipc_call(root, &m) == 0);        /* the pages arrive in the reply */
	unsigned long pages = m.mr0, index = m.mr1, h = DIGEST_START;
	for (unsigned long i = 0; i < pages; i++)
		h = digest_add(h, ((volatile unsigned long *)(WINDOW_VA + i * 4096))[index]);
	m = (struct msg){ .tag = IPC_TAG(0, 1, 1), .mr0 = h,
			  .mr1 = IPC_MAP_ITEM(IPC_ITEM_MAP, 0, 0) };
	utcb()->mr[2] = FPAGE(WINDOW_VA, 12);
	UCHECK(ipc_call(root, &m) == 0);        /* the page goes back; then it waits */
	ipc_call(root, &m);
	printf("reclaim: a child's call returned (must not appear)\n");
	sys_thread_exit();
}

/* Serves one child's three calls: pages out, a page back, then no answer. */
static unsigned long reclaim_serve(long ep, unsigned long pages)
{
	struct msg m;
	UCHECK_EQ(ipc_receive(ep, &m, 50), 0);
	m = (struct msg){ .tag = IPC_TAG(0, 2, 1), .mr0 = pages, .mr1 = r_index };
	utcb()->mr[2] = IPC_MAP_ITEM(IPC_ITEM_MAP, 0, 0);
	utcb()->mr[3] = FPAGE(PAGE_VA, 15);
	/* Two words and a map item of 8 pages: the item's two words follow MR1. */
	utcb()->map_window = FPAGE(BACK_VA, 12);
	UCHECK_EQ(ipc_reply_receive(ep, &m), 0);
	unsigned long h = m.mr0;
	m = (struct msg){ .tag = IPC_TAG(0, 0, 0) };
	UCHECK(ipc_reply_receive(ep, &m) == 0); /* the third call: kept, never answered */
	utcb()->map_window = 0;
	return h;
}

UTEST(task_destroy_reclaims)
{
	struct challenge c = utest_challenge(bi);
	unsigned long cycles = challenge_range(&c, 20, 40);
	r_index = challenge_range(&c, 0, 511);
	for (unsigned long i = 0; i < 8; i++) {
		UCHECK(sigma0_alloc_page(bi->sigma0_slot, PAGE_VA + i * 4096) == 0);
		((volatile unsigned long *)(PAGE_VA + i * 4096))[r_index] = challenge_next(&c);
	}
	struct kernel_stats before = { 0 };
	unsigned long h = DIGEST_START;
	for (unsigned long cycle = 0; cycle <= cycles; cycle++) {
		if (cycle == 1)
			before = utest_stats(bi); /* after one cycle: pools have grown once */
		unsigned long pages = challenge_range(&c, 1, 8);
		long task = utest_task_clone(bi), ep = sys_endpoint_create();
		UCHECK(ep > 0);
		long ep_there = sys_cap_copy(task, ep, RIGHT_SEND | RIGHT_GRANT, 0);
		long self_there = sys_cap_copy(task, task, RIGHT_CONTROL, 0);
		UCHECK(ep_there > 0 && self_there > 0);
		long t = child_thread(task, 40, reclaim_child, 0,
				      PACK4(ep_there, self_there, 0, 0));
		unsigned long got = reclaim_serve(ep, pages);
		if (cycle > 0)
			h = digest_add(h, got);
		UCHECK_EQ(sys_task_destroy(task), 0);
		UCHECK(sys_cap_delete(task) == 0 && sys_cap_delete(t) == 0);
		UCHECK_EQ(sys_cap_delete(ep), 0);
	}
	struct kernel_stats after = utest_stats(bi);
	printf("reclaim: %lu tasks made, used and destroyed; what they read: digest %lx\n",
	       cycles, h);
	printf("reclaim: free frames %ld, frames free or pooled %ld, objects %ld, mappings %ld\n",
	       (long)(after.free_frames - before.free_frames),
	       utest_frames(&after) - utest_frames(&before),
	       (long)(after.objects - before.objects), (long)(after.mappings - before.mappings));
	printf("reclaim: threads %ld, tasks %ld, the root's account %ld bytes\n",
	       (long)(after.live_threads - before.live_threads),
	       (long)(after.tasks - before.tasks),
	       (long)(after.account_used - before.account_used));
}

/* ---- a destroyed pager: its clients' pages go, and their faults find nobody ---- */

/*
 * The pager is a thread of a child task, on an endpoint the child made (so it dies with
 * the child), with pages from sigma0. It serves the client's first fault with a page
 * holding a word from the seed (XORed with the fault address), and keeps the second
 * fault unanswered. Then the root destroys the pager's task.
 */
static unsigned long g_key, g_addr[2];

/* In the pager's task: arg packs (inbox, sigma0). Its first message says the key. */
static void child_pager(unsigned long arg)
{
	long inbox = SLOT_OF(arg, 0), sigma0 = SLOT_OF(arg, 1);
	long ep = sys_endpoint_create(), never = sys_endpoint_create();
	UCHECK(ep > 0 && never > 0);
	offer(inbox, ep, RIGHT_SEND);
	struct msg m;
	UCHECK_EQ(ipc_receive(ep, &m, IPC_TIMEOUT_INFINITE), 0);
	unsigned long key = m.mr0;
	m = (struct msg){ .tag = IPC_TAG(0, 0, 0) };
	UCHECK(ipc_reply_receive(ep, &m) == 0);         /* the first fault */
	unsigned long addr = m.mr0;
	UCHECK_EQ(sigma0_alloc_page(sigma0, POOL_VA), 0);
	*(volatile unsigned long *)(POOL_VA + (addr & 0xff8)) = key ^ addr;
	m = (struct msg){ .tag = IPC_TAG(0, 0, 1),
			  .mr0 = IPC_MAP_ITEM(IPC_ITEM_MAP, addr & ~0xffful, MAP_WRITE),
			  .mr1 = FPAGE(POOL_VA, 12) };
	UCHECK(ipc_reply_receive(ep, &m) == 0);         /* the second fault: kept */
	printf("pager: the second fault, at %lx, stays unanswered\n", m.mr0);
	ipc_receive(never, &m, IPC_TIMEOUT_INFINITE);
	sys_thread_exit();
}

/* In the client: reads its address (arg: which), reports, and reads it again. */
static long g_reports;

static void client_reads(unsigned long which)
{
	unsigned long v = *(volatile unsigned long *)g_addr[which];
	printf("client: thread %lu read %lx\n", which, v ^ g_addr[which]);
	struct msg m = { .tag = IPC_TAG(0, 0, 0) };
	UCHECK(ipc_call(g_reports, &m) == 0);   /* the root answers after the destruction */
	v = *(volatile unsigned long *)g_addr[which];
	printf("client: thread %lu read it again: %lx (must not appear)\n", which, v);
	sys_thread_exit();
}

UTEST(task_destroy_pager)
{
	struct challenge c = utest_challenge(bi);
	g_key = challenge_next(&c);
	for (int i = 0; i < 2; i++)
		g_addr[i] = CLIENT_VA + i * (1ul << 30) +
			    (challenge_range(&c, 0, (1ul << 18) - 1) << 12) +
			    (challenge_range(&c, 0, 511) << 3);
	long pager = utest_task_clone(bi), inbox_there;
	long inbox = sys_endpoint_create();
	g_reports = sys_endpoint_create();
	UCHECK(inbox > 0 && g_reports > 0);
	UCHECK((inbox_there = sys_cap_copy(pager, inbox, RIGHT_SEND | RIGHT_GRANT, 0)) > 0);
	long sigma0_there = sys_cap_copy(pager, bi->sigma0_slot, RIGHT_SEND, 0);
	UCHECK(sigma0_there > 0);
	child_thread(pager, 45, child_pager, 0, PACK4(inbox_there, sigma0_there, 0, 0));
	long fault_ep = take(inbox);
	struct msg m = { .tag = IPC_TAG(0, 1, 0), .mr0 = g_key };
	UCHECK_EQ(ipc_call(fault_ep, &m), 0);
	/* The clients are threads of the root: what they read is the pager's. */
	for (unsigned long i = 0; i < 2; i++) {
		long badged = sys_cap_copy(bi->self_task_slot, fault_ep, RIGHT_SEND, i + 1);
		long t = sys_thread_create(bi->self_task_slot, 40);
		UCHECK(badged > 0 && t > 0);
		UCHECK_EQ(sys_thread_handlers(t, badged, 0), 0);
		UCHECK_EQ(thread_start_on(t, client_reads, i, root_stacks[i], STACK_SIZE), 0);
		utest_sleep_ticks(2);
	}
	UCHECK(ipc_receive(g_reports, &m, 20) == 0);     /* the first client, served */
	printf("pager: destroying the pager's task -> %ld\n", sys_task_destroy(pager));
	m = (struct msg){ .tag = IPC_TAG(0, 0, 0) };
	UCHECK(ipc_reply(&m) == 0);     /* the first client reads its page again */
	utest_sleep_ticks(2);
	printf("pager: the root runs on\n");
}

/* ---- a task that destroys itself ---- */

/* In the child: arg packs (inbox, its own task slot). The root's answer to its call
 * says a word, which it prints before it destroys its own task. */
static void self_destroyer(unsigned long arg)
{
	long own = sys_endpoint_create();
	UCHECK(own > 0);
	offer(SLOT_OF(arg, 0), own, RIGHT_SEND);
	struct msg m = { .tag = IPC_TAG(0, 0, 0) };
	UCHECK_EQ(ipc_call(SLOT_OF(arg, 0), &m), 0);
	printf("self: the task got %lx, and destroys itself\n", m.mr0 ^ 0x5e1f);
	long r = sys_task_destroy(SLOT_OF(arg, 1));
	printf("self: task_destroy returned %ld (must not appear)\n", r);
	sys_thread_exit();
}

/* Its second thread just waits for a message nobody sends. */
static void self_waiter(unsigned long unused)
{
	(void)unused;
	long never = sys_endpoint_create();
	struct msg m;
	ipc_receive(never, &m, IPC_TIMEOUT_INFINITE);
	printf("self: the second thread woke up (must not appear)\n");
	sys_thread_exit();
}

UTEST(task_destroy_self)
{
	struct challenge c = utest_challenge(bi);
	unsigned long word = challenge_next(&c);
	struct kernel_stats before = utest_stats(bi);
	long task = utest_task_clone(bi), inbox_there;
	long inbox = sys_endpoint_create();
	UCHECK(inbox > 0);
	UCHECK((inbox_there = sys_cap_copy(task, inbox, RIGHT_SEND | RIGHT_GRANT, 0)) > 0);
	long self_there = sys_cap_copy(task, task, RIGHT_CONTROL, 0);
	UCHECK(self_there > 0);
	long waiter = child_thread(task, 30, self_waiter, 1, 0);
	utest_sleep_ticks(1);
	long destroyer = child_thread(task, 40, self_destroyer, 0,
				      PACK4(inbox_there, self_there, 0, 0));
	long own = take(inbox);
	struct msg m;
	UCHECK_EQ(ipc_receive(inbox, &m, 20), 0);
	m = (struct msg){ .tag = IPC_TAG(0, 1, 0), .mr0 = word };
	UCHECK_EQ(ipc_reply(&m), 0);
	utest_sleep_ticks(2);           /* it destroys itself; idle may run on its tables */
	m = (struct msg){ .tag = IPC_TAG(0, 1, 0), .mr0 = word };
	printf("self: a send to its endpoint -> %ld\n", ipc_send(own, &m, IPC_TIMEOUT_POLL));
	printf("self: a thread in it -> %ld\n", sys_thread_create(task, 10));
	UCHECK(sys_cap_delete(task) == 0 && sys_cap_delete(own) == 0 && sys_cap_delete(inbox) == 0);
	UCHECK(sys_cap_delete(waiter) == 0 && sys_cap_delete(destroyer) == 0);
	struct kernel_stats after = utest_stats(bi);
	printf("self: then threads %ld, tasks %ld, objects %ld, frames free or pooled %ld, the "
	       "root's account %ld\n", (long)(after.live_threads - before.live_threads),
	       (long)(after.tasks - before.tasks), (long)(after.objects - before.objects),
	       utest_frames(&after) - utest_frames(&before),
	       (long)(after.account_used - before.account_used));
}

/* ---- the last capability: a task nobody names is destroyed ---- */

static long l_srv[2];
static unsigned long l_words[2];

/* In the child: receives on its slot (arg), answers one call with the word + 1, and
 * then keeps the next caller waiting. */
static void last_server(unsigned long slot)
{
	struct msg m;
	UCHECK_EQ(ipc_receive((long)slot, &m, IPC_TIMEOUT_INFINITE), 0);
	m.mr0 += 1;
	m.tag = IPC_TAG(0, 1, 0);
	ipc_reply_receive((long)slot, &m);
	long never = sys_endpoint_create();
	ipc_receive(never, &m, IPC_TIMEOUT_INFINITE);
	sys_thread_exit();
}

static long l_result[2];

static void last_caller(unsigned long i)
{
	struct msg m = { .tag = IPC_TAG(0, 1, 0), .mr0 = l_words[i] };
	l_result[i] = ipc_call(l_srv[i], &m);
	sys_thread_exit();
}

UTEST(task_last_cap)
{
	struct challenge c = utest_challenge(bi);
	struct kernel_stats before = utest_stats(bi);
	long task[2];
	for (int i = 0; i < 2; i++) {
		l_words[i] = challenge_next(&c);
		task[i] = utest_task_clone(bi);
		l_srv[i] = sys_endpoint_create();
		long there = sys_cap_copy(task[i], l_srv[i], RIGHT_RECEIVE, 0);
		UCHECK(l_srv[i] > 0 && there > 0);
		child_thread(task[i], 40, last_server, i, (unsigned long)there);
		/* The second task names itself: the root's capability is not its last. */
		if (i == 1)
			UCHECK(sys_cap_copy(task[i], task[i], RIGHT_CONTROL, 0) > 0);
		struct msg m = { .tag = IPC_TAG(0, 1, 0), .mr0 = l_words[i] };
		UCHECK_EQ(ipc_call(l_srv[i], &m), 0);
		printf("last: task %d answers %lx\n", i, m.mr0);
		l_result[i] = 1;
		root_thread(bi, i, 50, last_caller, (unsigned long)i);
	}
	utest_sleep_ticks(2);   /* both callers wait for a reply that never comes */
	for (int i = 0; i < 2; i++)
		UCHECK_EQ(sys_cap_delete(task[i]), 0);
	utest_sleep_ticks(2);
	for (int i = 0; i < 2; i++) {
		if (l_result[i] == 1)
			printf("last: the caller of task %d still waits\n", i);
		else
			printf("last: the caller of task %d: its wait ended with %ld\n", i,
			       l_result[i]);
	}
	struct kernel_stats after = utest_stats(bi);
	printf("last: tasks %ld, threads %ld\n", (long)(after.tasks - before.tasks),
	       (long)(after.live_threads - before.live_threads));
}

/* ---- a full table: the capability in every slot goes, the last slot's too ---- */

/* A task's table filled, slots 1 to 127: copies of an endpoint, and the only
 * capabilities of two empty tasks, one at a seeded slot and one in the last. The
 * destruction must drop all of them, so both tasks go with it. */
UTEST(task_destroy_full_table)
{
	struct challenge c = utest_challenge(bi);
	long seeded = (long)challenge_range(&c, 1, 126);
	struct kernel_stats before = utest_stats(bi);
	long task = sys_task_create(0, 16), ep = sys_endpoint_create();
	long lone[2] = { sys_task_create(0, 1), sys_task_create(0, 1) };
	UCHECK(task > 0 && ep > 0 && lone[0] > 0 && lone[1] > 0);
	long filled = 0;
	for (long slot = 1; slot < 128; slot++) {
		long src = slot == seeded ? lone[0] : slot == 127 ? lone[1] : ep;
		filled += sys_cap_copy(task, src, src == ep ? RIGHT_SEND : RIGHT_CONTROL, 0) == slot;
	}
	long more = sys_cap_copy(task, ep, RIGHT_SEND, 0);
	UCHECK(sys_cap_delete(lone[0]) == 0 && sys_cap_delete(lone[1]) == 0);
	struct kernel_stats full = utest_stats(bi);
	printf("full: %ld slots filled, then %ld; the lone tasks in slots %ld and 127; tasks %ld\n",
	       filled, more, seeded, (long)(full.tasks - before.tasks));
	printf("full: destroying it -> %ld\n", sys_task_destroy(task));
	UCHECK(sys_cap_delete(task) == 0 && sys_cap_delete(ep) == 0);
	struct kernel_stats after = utest_stats(bi);
	printf("full: then tasks %ld, objects %ld, the root's account %ld\n",
	       (long)(after.tasks - before.tasks), (long)(after.objects - before.objects),
	       (long)(after.account_used - before.account_used));
}

/* ---- quotas: a task that makes all it can exhausts only its own account ---- */

static unsigned long b_counts[4];
static long b_errors[4];

/* In the bomb: arg packs (its own task slot, its slot of the root's endpoint). Makes
 * tasks of `child` pages each, then threads, then endpoints, each until refused, and
 * reports the counts and errors. */
static void bomb(unsigned long arg)
{
	long self = SLOT_OF(arg, 0), root = SLOT_OF(arg, 1);
	struct msg m;
	m = (struct msg){ .tag = IPC_TAG(0, 0, 0) };
	UCHECK_EQ(ipc_call(root, &m), 0);
	unsigned long child = m.mr0, key = m.mr1;
	long r, tasks[64];
	unsigned long n = 0;
	while (n < 64 && (r = sys_task_create(0, child)) > 0)
		tasks[n++] = r;
	b_counts[0] = n;
	b_errors[0] = r;
	for (n = 0; (r = sys_thread_create(self, 5)) > 0; n++)
		;
	b_counts[1] = n;
	b_errors[1] = r;
	/* Endpoints would fill its table first: each goes into a child's table, and is
	 * still the bomb's (charged to it) while named there. */
	for (n = 0; (r = sys_endpoint_create()) > 0; n++) {
		UCHECK(sys_cap_copy(tasks[n % b_counts[0]], r, RIGHT_SEND, 0) > 0);
		UCHECK_EQ(sys_cap_delete(r), 0);
	}
	b_errors[2] = r;
	/* The report carries its first task's capability: the root names it too now. */
	m = (struct msg){ .tag = IPC_TAG(0, 4, 1), .mr0 = b_counts[0], .mr1 = b_counts[1] };
	utcb()->mr[2] = ((unsigned long)b_errors[0] & 0xff) |
			((unsigned long)b_errors[1] & 0xff) << 8 |
			((unsigned long)b_errors[2] & 0xff) << 16 | (unsigned long)(n > 0) << 24;
	utcb()->mr[3] = key ^ (b_counts[0] << 8 | b_counts[1]);
	utcb()->mr[4] = IPC_ITEM_CAP | IPC_ITEM_RIGHTS(RIGHT_CONTROL);
	utcb()->mr[5] = (unsigned long)tasks[0];
	ipc_call(root, &m);
	sys_thread_exit();
}

UTEST(task_quota_bomb)
{
	struct challenge c = utest_challenge(bi);
	unsigned long quota = challenge_range(&c, 96, 128), child = challenge_range(&c, 4, 8);
	unsigned long key = challenge_next(&c);
	struct kernel_stats before = utest_stats(bi);
	long task = sys_task_create(0, quota);
	UCHECK(task > 0 && sys_debug_clone(bi->debug_slot, task) == 0);
	long ep = sys_endpoint_create();
	long ep_there = sys_cap_copy(task, ep, RIGHT_SEND | RIGHT_GRANT, 0);
	long self_there = sys_cap_copy(task, task, RIGHT_CONTROL, 0);
	UCHECK(ep > 0 && ep_there > 0 && self_there > 0);
	long bomber = child_thread(task, 40, bomb, 0, PACK4(self_there, ep_there, 0, 0));
	struct msg m;
	UCHECK_EQ(ipc_receive(ep, &m, 20), 0);
	m = (struct msg){ .tag = IPC_TAG(0, 2, 0), .mr0 = child, .mr1 = key };
	utcb()->accept_caps = 1;
	UCHECK(ipc_reply_receive(ep, &m) == 0);         /* it made all it could */
	utcb()->accept_caps = 0;
	unsigned long errs = utcb()->mr[2];
	long given = (long)utcb()->mr[5];
	printf("bomb: its report's word %lx\n", utcb()->mr[3]);
	UCHECK(IPC_TAG_TYPED(m.tag) == 1 && given > 0);
	printf("bomb: a task of %lu pages made %lu tasks of %lu pages (then %ld), %lu threads "
	       "(then %ld), endpoints (then %ld; some made: %s)\n", quota, m.mr0, child,
	       (long)(int8_t)(errs & 0xff), m.mr1, (long)(int8_t)(errs >> 8 & 0xff),
	       (long)(int8_t)(errs >> 16 & 0xff), errs >> 24 & 1 ? "yes" : "no");
	long t = utest_task_clone(bi);
	long th = sys_thread_create(bi->self_task_slot, 10);
	long e = sys_endpoint_create();
	printf("bomb: the root still makes a task, a thread and an endpoint: %s\n",
	       t > 0 && th > 0 && e > 0 ? "yes" : "no");
	UCHECK(sys_task_destroy(t) == 0 && sys_cap_delete(t) == 0);
	UCHECK(sys_cap_delete(th) == 0 && sys_cap_delete(e) == 0);
	printf("bomb: destroying it -> %ld\n", sys_task_destroy(task));
	/* Its tasks die with it, though the root names one: their memory was the bomb's. */
	printf("bomb: a thread in the task it made and gave the root -> %ld\n",
	       sys_thread_create(given, 10));
	UCHECK_EQ(sys_cap_delete(given), 0);
	UCHECK(sys_cap_delete(task) == 0 && sys_cap_delete(ep) == 0 && sys_cap_delete(bomber) == 0);
	struct kernel_stats after = utest_stats(bi);
	printf("bomb: then tasks %ld, threads %ld, objects %ld, frames free or pooled %ld, the "
	       "root's account %ld\n", (long)(after.tasks - before.tasks),
	       (long)(after.live_threads - before.live_threads),
	       (long)(after.objects - before.objects), utest_frames(&after) - utest_frames(&before),
	       (long)(after.account_used - before.account_used));
}

/* ---- a task made on another's account: the way a process manager spawns ---- */

/* The seed says the account and the children's size; the root makes children on the
 * account until it is full, and destroys the account's task: the children go too. */
UTEST(task_create_on_account)
{
	struct challenge c = utest_challenge(bi);
	unsigned long quota = challenge_range(&c, 40, 120), size = challenge_range(&c, 1, 30);
	struct kernel_stats before = utest_stats(bi);
	long account = sys_task_create(0, quota);
	UCHECK(account > 0);
	long made[32], r;
	unsigned long n = 0;
	while (n < 32 && (r = sys_task_create(account, size)) > 0)
		made[n++] = r;
	printf("account: a task of %lu pages pays for %lu tasks of %lu pages (then %ld)\n",
	       quota, n, size, r);
	long mine = sys_task_create(0, size);
	printf("account: the root's own account still pays: %s\n", mine > 0 ? "yes" : "no");
	UCHECK(mine > 0 && sys_cap_delete(mine) == 0);
	printf("account: a parent slot that names nothing -> %ld\n",
	       sys_task_create(bi->self_task_slot + 100, size));
	printf("account: destroying the paying task -> %ld\n", sys_task_destroy(account));
	long gone = 0;
	for (unsigned long i = 0; i < n; i++)
		gone += sys_thread_create(made[i], 10) == E_GONE;
	printf("account: of its %lu tasks, %ld are gone with it\n", n, gone);
	for (unsigned long i = 0; i < n; i++)
		UCHECK_EQ(sys_cap_delete(made[i]), 0);
	UCHECK_EQ(sys_cap_delete(account), 0);
	struct kernel_stats after = utest_stats(bi);
	printf("account: then tasks %ld, the root's account %ld\n",
	       (long)(after.tasks - before.tasks),
	       (long)(after.account_used - before.account_used));
}
