/**
 * @file
 * lab5_faults.c — scenarios for lab 5: what a fault leaves behind, and the edges of a
 * handler's answer: a thread that IPCs after its fault was resolved, exception
 * replies that must not resume, and the first and last pages of a pager's region.
 *
 * The one thing to know: a thread is "in a fault" only from the fault to the reply; a
 * handler's answer resumes it only if it says so, at a user address; and a pager
 * serves exactly [anon_lo, anon_hi). Each scenario prints what reached its threads,
 * and the kernel's line says which thread stopped where; the grader holds the rest.
 */
#include <minim.h>
#include <pager.h>
#include <thread.h>
#include "utest.h"

#define STACK_SIZE 8192
#define ANON_BASE  0x0000100000000000ul         /* as lab5_paging.c's demand region */
#define POOL_BASE  0x0000200000000000ul         /* where the pager keeps its pages */

static char stacks[4][STACK_SIZE] __attribute__((aligned(16)));
static struct pager pager;

/* The default pager for [lo, hi), on its own endpoint at 60; returns the endpoint. */
static long start_pager(const struct boot_info_page *bi, unsigned long lo, unsigned long hi)
{
	pager = (struct pager){ .endpoint = sys_endpoint_create(), .sigma0 = bi->sigma0_slot,
				.anon_lo = lo, .anon_hi = hi, .pool = POOL_BASE };
	UCHECK(pager.endpoint > 0 && bi->sigma0_slot > 0);
	UCHECK(thread_spawn(bi->self_task_slot, 60, pager_run, (unsigned long)&pager, stacks[0],
			    STACK_SIZE) > 0);
	return pager.endpoint;
}

/* A thread of this task at prio on stacks[i], its pager `pager_slot` and its exception
 * handler `handler_slot` (either may be 0), each with `badge`, running fn(arg). Threads
 * of a scenario get priorities one apart, so that each ends before the next starts. */
static void handled_thread(const struct boot_info_page *bi, int i, long prio,
			   long pager_slot, long handler_slot, unsigned long badge,
			   void (*fn)(unsigned long), unsigned long arg)
{
	long p = pager_slot ? sys_cap_copy(bi->self_task_slot, pager_slot, RIGHT_SEND, badge) : 0;
	long h = handler_slot ? sys_cap_copy(bi->self_task_slot, handler_slot, RIGHT_SEND, badge)
			      : 0;
	long t = sys_thread_create(bi->self_task_slot, prio);
	UCHECK(p >= 0 && h >= 0 && t > 0);
	UCHECK_EQ(sys_thread_handlers(t, p, h), 0);
	uintptr_t top = (uintptr_t)stacks[i] + STACK_SIZE - 16;
	*(uintptr_t *)(top - 8) = (uintptr_t)thread_exit;      /* where fn returns to */
	UCHECK_EQ(sys_thread_start(t, (unsigned long)fn, top - 8, arg), 0);
}

/*
 * After a resolved fault the thread's next IPC is its own: the message it sends is
 * its registers' (not the fault message), and the reply lands in its registers (not
 * in the kernel's fault words). Where it faults, the words and the echo's key: the seed's.
 */
static struct {
	unsigned long at, word, label, second, key;
	long echo;
} after;

static void echo(unsigned long ep)
{
	struct msg m;
	UCHECK_EQ(ipc_receive((long)ep, &m, IPC_TIMEOUT_INFINITE), 0);
	printf("fault-ipc: the echo got label %lx, %lu word(s): %lx, %lx\n", IPC_TAG_LABEL(m.tag),
	       IPC_TAG_UNTYPED(m.tag), m.mr0, m.mr1);
	m = (struct msg){ .tag = IPC_TAG(0, 2, 0), .mr0 = m.mr0 ^ after.key,
			  .mr1 = m.mr1 ^ after.key };
	UCHECK_EQ(ipc_reply(&m), 0);
	thread_exit();
}

static void faults_then_calls(unsigned long arg)
{
	(void)arg;
	volatile unsigned long *p = (unsigned long *)after.at;
	unsigned long first = *p;       /* the fault, resolved by the pager */
	*p = after.word;
	struct msg m = { .tag = IPC_TAG(after.label, 2, 0), .mr0 = *p, .mr1 = after.second };
	long r = ipc_call(after.echo, &m);
	printf("fault-ipc: the thread read %lx at first; its call -> %ld, label %lx, reply %lx, "
	       "%lx\n", first, r, IPC_TAG_LABEL(m.tag), m.mr0, m.mr1);
}

UTEST(paging_fault_then_ipc)
{
	struct challenge c = utest_challenge(bi);
	after.at = ANON_BASE + challenge_range(&c, 0, (1ul << 18) - 1) * 4096 +
		   challenge_range(&c, 0, 511) * 8;
	after.word = challenge_next(&c);
	after.label = challenge_range(&c, 1, 0xfff);
	after.second = challenge_next(&c);
	after.key = challenge_next(&c);
	long p = start_pager(bi, ANON_BASE, ANON_BASE + (1ul << 30));
	after.echo = sys_endpoint_create();
	UCHECK(after.echo > 0);
	UCHECK(thread_spawn(bi->self_task_slot, 55, echo, (unsigned long)after.echo, stacks[1],
			    STACK_SIZE) > 0);
	handled_thread(bi, 2, 50, p, 0, 1, faults_then_calls, 0);
	UCHECK(sys_thread_priority(bi->self_thread_slot, 1) == 0);
	printf("fault-ipc: the pager resolved %lu fault(s)\n", pager.faults);
}

/*
 * A handler's answers that must not resume the thread: a label other than
 * FAULT_RESUME (with a good rip and rsp), and FAULT_RESUME at USER_TOP, the first
 * address that is not the user's. The label and the two badges: the seed's.
 */
static unsigned long refuse_label, refuse_badge[2];

static void refusing_handler(unsigned long ep)
{
	struct msg m;
	int seen[2] = { 0, 0 };
	long r = ipc_receive((long)ep, &m, IPC_TIMEOUT_INFINITE);
	for (;;) {
		int first = m.badge == refuse_badge[0];
		if (seen[!first]++) {
			/* A resume the kernel took, at an address the thread cannot run at. */
			printf("refuse: exception %lu again from badge %lu, at rip %lx (must not "
			       "appear)\n", m.mr0, m.badge, m.mr1);
			m = (struct msg){ .tag = IPC_TAG(0, 0, 0) };
			r = ipc_reply_receive((long)ep, &m);
			continue;
		}
		printf("refuse: exception %lu from badge %lu (%ld); answering %s\n", m.mr0, m.badge,
		       r, first ? "another label" : "FAULT_RESUME at USER_TOP");
		/* ud2 is two bytes: rip + 2 would resume it, were the answer taken. */
		m = (struct msg){ .tag = IPC_TAG(first ? refuse_label : FAULT_RESUME, 2, 0),
				  .mr0 = first ? m.mr1 + 2 : USER_TOP, .mr1 = utcb()->mr[3] };
		r = ipc_reply_receive((long)ep, &m);
	}
}

static void runs_ud2_once(unsigned long which)
{
	__asm__ volatile("ud2" ::: "memory");
	printf("refuse: thread %lu ran on after its handler's answer (must not appear)\n", which);
}

UTEST(exception_handler_refuses)
{
	struct challenge c = utest_challenge(bi);
	refuse_label = challenge_range(&c, 2, 0xfff0);
	refuse_badge[0] = challenge_range(&c, 1, 1000);
	refuse_badge[1] = refuse_badge[0] + challenge_range(&c, 1, 1000);
	long ep = sys_endpoint_create();
	UCHECK(ep > 0);
	UCHECK(thread_spawn(bi->self_task_slot, 60, refusing_handler, (unsigned long)ep, stacks[0],
			    STACK_SIZE) > 0);
	handled_thread(bi, 1, 50, 0, ep, refuse_badge[0], runs_ud2_once, 1);
	handled_thread(bi, 2, 49, 0, ep, refuse_badge[1], runs_ud2_once, 2);
	UCHECK(sys_thread_priority(bi->self_thread_slot, 1) == 0);
	printf("refuse: root runs on\n");
}

/*
 * The pager's region, [lo, hi), is a seeded number of pages at a seeded place: its
 * first and last pages are served (they read 0, then hold what was written), the page
 * at hi and the one below lo are refused. Words and offsets: the seed's.
 */
static struct {
	unsigned long lo, hi, index[2], word[2], beyond[2];
} region;

static void touches_inside(unsigned long arg)
{
	(void)arg;
	volatile unsigned long *first = (unsigned long *)(region.lo + region.index[0] * 8);
	volatile unsigned long *last = (unsigned long *)(region.hi - 4096 + region.index[1] * 8);
	unsigned long was0 = *first, was1 = *last;
	*first = region.word[0];
	*last = region.word[1];
	printf("region: its first page read %lx, its last %lx; now %lx and %lx\n", was0, was1,
	       *first, *last);
}

static void touches_outside(unsigned long which)
{
	printf("region: a thread touches %lx\n", region.beyond[which]);
	(void)*(volatile unsigned long *)region.beyond[which];
	printf("region: %lx was served (must not appear)\n", region.beyond[which]);
}

UTEST(paging_pager_region)
{
	struct challenge c = utest_challenge(bi);
	region.lo = ANON_BASE + challenge_range(&c, 1, (1ul << 18) - 1) * 4096;
	region.hi = region.lo + challenge_range(&c, 2, 64) * 4096;
	for (int i = 0; i < 2; i++) {
		region.index[i] = challenge_range(&c, 0, 511);
		region.word[i] = challenge_next(&c);
	}
	region.beyond[0] = region.hi + challenge_range(&c, 0, 511) * 8;
	region.beyond[1] = region.lo - 8 * challenge_range(&c, 1, 512);
	long p = start_pager(bi, region.lo, region.hi);
	handled_thread(bi, 1, 50, p, 0, 1, touches_inside, 0);
	handled_thread(bi, 2, 49, p, 0, 2, touches_outside, 0);
	handled_thread(bi, 3, 48, p, 0, 3, touches_outside, 1);
	UCHECK(sys_thread_priority(bi->self_thread_slot, 1) == 0);
	printf("region: the pager resolved %lu fault(s), refused %lu\n", pager.faults,
	       pager.refused);
}
