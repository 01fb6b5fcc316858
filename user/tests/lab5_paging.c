/**
 * @file
 * lab5_paging.c — scenarios for lab 5: demand paging through a user-level pager, and
 * pages shared, granted and taken back between address spaces.
 *
 * The one thing to know: the root task gets its pages from sigma0 and passes them on
 * with map and grant items; second tasks (task_create) run functions of this same
 * program in their own address space, and a "reporting" pager in the root prints each
 * fault it gets and answers without a mapping, so the kernel stops that thread — the
 * grader sees exactly which access faulted where.
 */
#include <minim.h>
#include <pager.h>
#include <sigma0.h>
#include <thread.h>
#include "utest.h"

#define STACK_SIZE 8192
#define ANON_BASE  0x0000100000000000ul         /* the demand-zero region */
#define POOL_BASE  0x0000200000000000ul         /* where the pager keeps its pages */
#define SHARED_VA  0x0000300000000000ul         /* pages passed between tasks land here */

static char stacks[4][STACK_SIZE] __attribute__((aligned(16)));
static struct pager pager;

/* Starts the default pager on its own endpoint; returns the endpoint's slot. */
static long start_pager(const struct boot_info_page *bi)
{
	pager = (struct pager){ .endpoint = sys_endpoint_create(), .sigma0 = bi->sigma0_slot,
				.anon_lo = ANON_BASE, .anon_hi = ANON_BASE + (1ul << 30),
				.pool = POOL_BASE };
	UCHECK(pager.endpoint > 0 && bi->sigma0_slot > 0);
	UCHECK(thread_spawn(bi->self_task_slot, 60, pager_run, (unsigned long)&pager, stacks[0],
			    STACK_SIZE) > 0);
	return pager.endpoint;
}

/* A thread of this task at `prio`, paged by the endpoint in pager_slot with `badge`. */
static long paged_thread(const struct boot_info_page *bi, int i, long pager_slot,
			 unsigned long badge, void (*fn)(unsigned long), unsigned long arg)
{
	long badged = sys_cap_copy(bi->self_task_slot, pager_slot, RIGHT_SEND, badge);
	long t = sys_thread_create(bi->self_task_slot, 50);
	UCHECK(badged > 0 && t > 0);
	UCHECK(sys_thread_handlers(t, badged, 0) == 0);
	uintptr_t top = ((uintptr_t)stacks[i] + STACK_SIZE - 16);
	*(uintptr_t *)(top - 8) = (uintptr_t)thread_exit;      /* where fn returns to */
	UCHECK(sys_thread_start(t, (unsigned long)fn, top - 8, arg) == 0);
	return t;
}

static void let_others_run(const struct boot_info_page *bi)
{
	UCHECK(sys_thread_priority(bi->self_thread_slot, 1) == 0);
}

enum { DEMAND_PAGES = 100 };

static void toucher(unsigned long pages)
{
	unsigned long zero = 1, kept = 1;
	for (unsigned long i = 0; i < pages; i++) {
		volatile unsigned long *p = (unsigned long *)(ANON_BASE + i * 4096);
		zero &= p[0] == 0 && p[511] == 0;
		p[0] = i + 1;
	}
	for (unsigned long i = 0; i < pages; i++)
		kept &= *(volatile unsigned long *)(ANON_BASE + i * 4096) == i + 1;
	printf("demand: %lu pages touched; zero at first: %s; writes kept: %s\n", pages,
	       zero ? "yes" : "no", kept ? "yes" : "no");
}

UTEST(paging_demand_zero)
{
	long p = start_pager(bi);
	paged_thread(bi, 1, p, 1, toucher, DEMAND_PAGES);
	let_others_run(bi);
	printf("demand: the pager resolved %lu faults, refused %lu\n", pager.faults,
	       pager.refused);
}

static void wild_toucher(unsigned long addr)
{
	printf("demand: touching %lx, outside the pager's region\n", addr);
	(void)*(volatile unsigned long *)addr;
	printf("demand: after the refused fault (must not appear)\n");
}

UTEST(paging_pager_refuses)
{
	long p = start_pager(bi);
	paged_thread(bi, 1, p, 1, wild_toucher, 0x0000500000000000ul);
	let_others_run(bi);
	printf("demand: the pager refused %lu fault(s); root runs on\n", pager.refused);
}

/* A pager that answers with garbage: words, a map item of a page it does not have. */
static void garbage_pager(unsigned long ep)
{
	struct msg m;
	long r = ipc_receive((long)ep, &m, IPC_TIMEOUT_INFINITE);
	for (int n = 0;; n++) {
		printf("garbage: fault %d at %lx (%ld); answering nonsense\n", n, m.mr0, r);
		m = (struct msg){ .tag = IPC_TAG(77, 1, 1), .mr0 = 0xdead,
				  .mr1 = IPC_MAP_ITEM(IPC_ITEM_MAP, m.mr0, MAP_WRITE) };
		utcb()->mr[2] = FPAGE(0x0000600000000000ul, 12);        /* nothing there */
		r = ipc_reply_receive((long)ep, &m);
	}
}

UTEST(paging_garbage_pager)
{
	long ep = sys_endpoint_create();
	UCHECK(thread_spawn(bi->self_task_slot, 60, garbage_pager, (unsigned long)ep, stacks[0],
			    STACK_SIZE) > 0);
	paged_thread(bi, 1, ep, 1, wild_toucher, ANON_BASE);
	let_others_run(bi);
	printf("garbage: root runs on\n");
}

static void exits_on_fault(unsigned long arg)
{
	(void)arg;
	(void)*(volatile unsigned long *)ANON_BASE;
	printf("gone: after the fault (must not appear)\n");
}

static void dying_pager(unsigned long ep)
{
	struct msg m;
	ipc_receive((long)ep, &m, IPC_TIMEOUT_INFINITE);
	printf("gone: the pager got the fault at %lx and exits without answering\n", m.mr0);
}

UTEST(paging_pager_gone)
{
	long ep = sys_endpoint_create();
	UCHECK(thread_spawn(bi->self_task_slot, 60, dying_pager, (unsigned long)ep, stacks[0],
			    STACK_SIZE) > 0);
	paged_thread(bi, 1, ep, 1, exits_on_fault, 0);
	let_others_run(bi);
	printf("gone: root runs on\n");
}

/* Resumes a thread that hit ud2 two bytes further on: a handler fixing registers. */
static void ud2_fixer(unsigned long ep)
{
	struct msg m;
	long r = ipc_receive((long)ep, &m, IPC_TIMEOUT_INFINITE);
	for (;;) {
		printf("handler: exception %lu at rip %lx (%ld); resuming after it\n", m.mr0,
		       m.mr1, r);
		unsigned long rsp = utcb()->mr[3];
		m = (struct msg){ .tag = IPC_TAG(FAULT_RESUME, 2, 0), .mr0 = m.mr1 + 2, .mr1 = rsp };
		r = ipc_reply_receive((long)ep, &m);
	}
}

static void runs_ud2(unsigned long arg)
{
	(void)arg;
	__asm__ volatile("ud2");
	printf("handler: the thread runs on after its ud2\n");
}

UTEST(exception_handler_resumes)
{
	long ep = sys_endpoint_create();
	UCHECK(thread_spawn(bi->self_task_slot, 60, ud2_fixer, (unsigned long)ep, stacks[0],
			    STACK_SIZE) > 0);
	long handler = sys_cap_copy(bi->self_task_slot, ep, RIGHT_SEND, 5);
	long t = sys_thread_create(bi->self_task_slot, 50);
	UCHECK(handler > 0 && t > 0 && sys_thread_handlers(t, 0, handler) == 0);
	uintptr_t top = (uintptr_t)stacks[1] + STACK_SIZE - 16;
	*(uintptr_t *)(top - 8) = (uintptr_t)thread_exit;
	UCHECK(sys_thread_start(t, (unsigned long)runs_ud2, top - 8, 0) == 0);
	let_others_run(bi);
	printf("handler: root runs on\n");
}

/* The figure: guest instructions per fault resolved, fault to resume, sigma0 included. */
static void timed_toucher(unsigned long pages)
{
	unsigned long t0 = __builtin_ia32_rdtsc();
	for (unsigned long i = 0; i < pages; i++)
		*(volatile unsigned long *)(ANON_BASE + i * 4096) = i;
	unsigned long t1 = __builtin_ia32_rdtsc();
	for (unsigned long i = 0; i < pages; i++)      /* the same loop, pages now there */
		*(volatile unsigned long *)(ANON_BASE + i * 4096) = i;
	unsigned long t2 = __builtin_ia32_rdtsc();
	printf("page_fault_cost=%lu\n", ((t1 - t0) - (t2 - t1)) / pages);
}

UTEST(paging_fault_cost)
{
	long p = start_pager(bi);
	paged_thread(bi, 1, p, 1, timed_toucher, 256);
	let_others_run(bi);
}

static void port_user(unsigned long arg)
{
	(void)arg;
	printf("io: a thread writes to port 0x80\n");
	__asm__ volatile("outb %%al, $0x80" : : "a"(0));
	printf("io: port 0x80 written\n");
}

UTEST(io_ports)
{
	/* Without ports: the thread's outb is a #GP, and it has no exception handler. */
	UCHECK(thread_spawn(bi->self_task_slot, 50, port_user, 0, stacks[1], STACK_SIZE) > 0);
	UCHECK(sys_thread_priority(bi->self_thread_slot, 40) == 0);    /* it runs, and stops */
	printf("io: sigma0 gives the root %ld port(s)\n",
	       sigma0_io_ports(bi->sigma0_slot, IO_FPAGE(0x80, 0)));
	UCHECK(thread_spawn(bi->self_task_slot, 30, port_user, 0, stacks[2], STACK_SIZE) > 0);
	let_others_run(bi);
	printf("io: root runs on\n");
}

static unsigned long fuzz_state = 0x9e3779b97f4a7c15ul;

static unsigned long fuzz_rng(void)
{
	return utest_random(&fuzz_state);
}

/* A flexpage-ish word: sometimes sane, often not. */
static unsigned long fuzz_fpage(void)
{
	static const unsigned long bases[] = { 0, ANON_BASE, POOL_BASE, 0x400000,
					       USER_TOP - 4096, 0xffffffff80000000ul, 1ul << 63 };
	unsigned long base = fuzz_rng() % 2 ? bases[fuzz_rng() % 7] : fuzz_rng() & ~0xffful;
	return base | (fuzz_rng() % 64);
}

/* Receives anything, into a random window, for ever. */
static void fuzz_receiver(unsigned long ep)
{
	struct msg m;
	for (;;) {
		utcb()->map_window = fuzz_fpage();
		utcb()->accept_caps = fuzz_rng() % 2;
		ipc_receive((long)ep, &m, IPC_TIMEOUT_INFINITE);
	}
}

/* Random map, grant, I/O and capability items, and random unmaps: the kernel lives. */
UTEST(paging_fuzz)
{
	long ep = sys_endpoint_create();
	UCHECK(ep > 0);
	for (unsigned long i = 0; i < 16; i++)  /* some real pages to pass around */
		UCHECK(sigma0_alloc_page(bi->sigma0_slot, POOL_BASE + i * 4096) == 0);
	utest_spawn(bi, 0, PRIO_MAX, fuzz_receiver, (unsigned long)ep);
	unsigned long delivered = 0;
	for (int i = 0; i < 1000; i++) {
		unsigned long kinds[] = { IPC_ITEM_MAP, IPC_ITEM_GRANT, IPC_ITEM_IO, IPC_ITEM_CAP,
					  fuzz_rng() };
		struct msg m = { .tag = IPC_TAG(0, 0, 1),
				 .mr0 = (fuzz_rng() & ~0xffful) | (fuzz_rng() % 8) << 4 |
					kinds[fuzz_rng() % 5],
				 .mr1 = fuzz_fpage() };
		sys_yield();    /* the receiver (of our priority) waits again */
		delivered += ipc_send(ep, &m, IPC_TIMEOUT_POLL) == 0;
		sys_unmap(fuzz_fpage(), fuzz_rng() % 2);
	}
	printf("fuzz: 1000 random items sent, %lu delivered; the kernel still answers: %ld\n",
	       delivered, sys_null());
}
