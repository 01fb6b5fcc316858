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
	UCHECK_EQ(sys_thread_handlers(t, badged, 0), 0);
	uintptr_t top = ((uintptr_t)stacks[i] + STACK_SIZE - 16);
	*(uintptr_t *)(top - 8) = (uintptr_t)thread_exit;      /* where fn returns to */
	UCHECK_EQ(sys_thread_start(t, (unsigned long)fn, top - 8, arg), 0);
	return t;
}

static void let_others_run(const struct boot_info_page *bi)
{
	UCHECK(sys_thread_priority(bi->self_thread_slot, 1) == 0);
}

/* What the demand-zero toucher does, from the seed: `pages` pages from `base`, in the
 * order i * stride (mod pages), each page j written with value(j) at word(j). */
static struct {
	unsigned long base, pages, stride, key;
} demand;

static unsigned long gcd(unsigned long a, unsigned long b)
{
	while (b) {
		unsigned long t = a % b;
		a = b;
		b = t;
	}
	return a;
}

static unsigned long demand_word(unsigned long j)
{
	return (demand.key % 512 + j * 97) % 512;
}

static unsigned long demand_value(unsigned long j)
{
	return demand.key ^ (j * 0x9e3779b97f4a7c15ul);
}

static void toucher(unsigned long arg)
{
	(void)arg;
	unsigned long first = 0, h = DIGEST_START;
	for (unsigned long i = 0; i < demand.pages; i++) {
		unsigned long j = i * demand.stride % demand.pages;
		volatile unsigned long *p = (unsigned long *)(demand.base + j * 4096);
		first |= p[demand_word(j)];     /* the fault: at an offset in the page */
		first |= p[0] | p[511];
		p[demand_word(j)] = demand_value(j);
	}
	for (unsigned long j = 0; j < demand.pages; j++)
		h = digest_add(h, *(volatile unsigned long *)(demand.base + j * 4096 +
							      demand_word(j) * 8));
	printf("demand: %lu pages touched from %lx; first reads ORed: %lx; read back, digest "
	       "%lx\n", demand.pages, demand.base, first, h);
}

/* The pages, where they start in the region, the order and the values: from the seed. */
UTEST(paging_demand_zero)
{
	struct challenge c = utest_challenge(bi);
	demand.pages = challenge_range(&c, 64, 160);
	demand.base = ANON_BASE + challenge_range(&c, 0, (1ul << 18) - demand.pages) * 4096;
	demand.stride = challenge_range(&c, 1, demand.pages - 1);
	while (gcd(demand.stride, demand.pages) != 1)
		demand.stride++;
	demand.key = challenge_next(&c);
	long p = start_pager(bi);
	paged_thread(bi, 1, p, 1, toucher, 0);
	let_others_run(bi);
	printf("demand: the pager resolved %lu faults, refused %lu\n", pager.faults,
	       pager.refused);
}

/* An address outside the pager's region (and anything else here), 8-aligned, and in
 * its bit 0 whether to write it: from the seed. */
static unsigned long wild_address(struct challenge *c)
{
	unsigned long addr = 0x0000500000000000ul + (challenge_range(c, 0, (1ul << 44) - 1) & ~7ul);
	return addr | challenge_range(c, 0, 1);
}

static void wild_access(unsigned long arg)
{
	volatile unsigned long *p = (unsigned long *)(arg & ~1ul);
	if (arg & 1)
		*p = arg;
	else
		(void)*p;
}

static void wild_toucher(unsigned long arg)
{
	printf("demand: touching %lx (%s), outside the pager's region\n", arg & ~1ul,
	       arg & 1 ? "write" : "read");
	wild_access(arg);
	printf("demand: after the refused fault (must not appear)\n");
}

UTEST(paging_pager_refuses)
{
	struct challenge c = utest_challenge(bi);
	unsigned long arg = wild_address(&c);
	long p = start_pager(bi);
	paged_thread(bi, 1, p, 1, wild_toucher, arg);
	let_others_run(bi);
	printf("demand: the pager refused %lu fault(s); root runs on\n", pager.refused);
}

/* A pager that answers with garbage: words, a map item of a page it does not have,
 * all from the seed (garbage_reply); it prints what the fault message carried. */
static unsigned long garbage_reply[3];

static void garbage_pager(unsigned long ep)
{
	struct msg m;
	long r = ipc_receive((long)ep, &m, IPC_TIMEOUT_INFINITE);
	for (int n = 0;; n++) {
		printf("garbage: fault %d at %lx, label %lx, access %lx (%ld); answering "
		       "nonsense\n", n, m.mr0, IPC_TAG_LABEL(m.tag), utcb()->mr[2], r);
		m = (struct msg){ .tag = IPC_TAG(garbage_reply[0] & 0xfff, 1, 1),
				  .mr0 = garbage_reply[1],
				  .mr1 = IPC_MAP_ITEM(IPC_ITEM_MAP, m.mr0, MAP_WRITE) };
		utcb()->mr[2] = FPAGE(0x0000600000000000ul + (garbage_reply[2] & ~0xffful), 12);
		r = ipc_reply_receive((long)ep, &m);        /* nothing there */
	}
}

UTEST(paging_garbage_pager)
{
	struct challenge c = utest_challenge(bi);
	unsigned long arg = wild_address(&c);
	for (int i = 0; i < 3; i++)
		garbage_reply[i] = challenge_next(&c);
	garbage_reply[2] &= (1ul << 44) - 1;
	long ep = sys_endpoint_create();
	UCHECK(thread_spawn(bi->self_task_slot, 60, garbage_pager, (unsigned long)ep, stacks[0],
			    STACK_SIZE) > 0);
	paged_thread(bi, 1, ep, 1, wild_toucher, arg);
	let_others_run(bi);
	printf("garbage: root runs on\n");
}

static void exits_on_fault(unsigned long arg)
{
	wild_access(arg);
	printf("gone: after the fault (must not appear)\n");
}

static void dying_pager(unsigned long ep)
{
	struct msg m;
	ipc_receive((long)ep, &m, IPC_TIMEOUT_INFINITE);
	printf("gone: the pager got the fault at %lx, access %lx, and exits without "
	       "answering\n", m.mr0, utcb()->mr[2]);
}

UTEST(paging_pager_gone)
{
	struct challenge c = utest_challenge(bi);
	unsigned long arg = wild_address(&c);
	long ep = sys_endpoint_create();
	UCHECK(thread_spawn(bi->self_task_slot, 60, dying_pager, (unsigned long)ep, stacks[0],
			    STACK_SIZE) > 0);
	paged_thread(bi, 1, ep, 1, exits_on_fault, arg);
	let_others_run(bi);
	printf("gone: root runs on\n");
}

/*
 * Resumes a thread that hit ud2 two bytes further on, with its stack pointer XORed
 * with a key from the seed: a handler fixing registers. The thread's rsp at the ud2
 * came from the seed too (ud2 never touches the stack), so the handler prints what the
 * exception message carried and the thread prints what the reply gave it.
 */
static unsigned long resume_key;

static void ud2_fixer(unsigned long ep)
{
	struct msg m;
	long r = ipc_receive((long)ep, &m, IPC_TIMEOUT_INFINITE);
	for (;;) {
		printf("handler: exception %lu from badge %lu at rip %lx, error %lx, rsp %lx "
		       "(%ld); resuming after it\n", m.mr0, m.badge, m.mr1, utcb()->mr[2],
		       utcb()->mr[3], r);
		unsigned long rsp = utcb()->mr[3] ^ resume_key;
		m = (struct msg){ .tag = IPC_TAG(FAULT_RESUME, 2, 0), .mr0 = m.mr1 + 2, .mr1 = rsp };
		r = ipc_reply_receive((long)ep, &m);
	}
}

/* Safe: while rsp holds the seed's value only ud2 runs (the handler resumes past it)
 * and two moves; nothing touches the stack, and a trap from ring 3 switches to the
 * kernel stack. rbx keeps the real rsp meanwhile. */
static void runs_ud2(unsigned long rsp)
{
	unsigned long after;
	__asm__ volatile("movq %%rsp, %%rbx\n\t"
			 "movq %1, %%rsp\n\t"
			 "ud2\n\t"
			 "movq %%rsp, %0\n\t"
			 "movq %%rbx, %%rsp"
			 : "=&r"(after)
			 : "r"(rsp)
			 : "rbx", "memory");
	printf("handler: the thread runs on after its ud2, rsp %lx\n", after);
}

/* ud2_fixer at handler_prio, and a thread at 50 running fn(rsp) whose exceptions go to
 * it with `badge`; the root then lets them run. */
static void run_with_fixer(const struct boot_info_page *bi, long handler_prio,
			   void (*fn)(unsigned long), unsigned long rsp, unsigned long badge)
{
	long ep = sys_endpoint_create();
	UCHECK(thread_spawn(bi->self_task_slot, handler_prio, ud2_fixer, (unsigned long)ep,
			    stacks[0], STACK_SIZE) > 0);
	long handler = sys_cap_copy(bi->self_task_slot, ep, RIGHT_SEND, badge);
	long t = sys_thread_create(bi->self_task_slot, 50);
	UCHECK(handler > 0 && t > 0 && sys_thread_handlers(t, 0, handler) == 0);
	uintptr_t top = (uintptr_t)stacks[1] + STACK_SIZE - 16;
	*(uintptr_t *)(top - 8) = (uintptr_t)thread_exit;
	UCHECK_EQ(sys_thread_start(t, (unsigned long)fn, top - 8, rsp), 0);
	let_others_run(bi);
	printf("handler: root runs on\n");
}

UTEST(exception_handler_resumes)
{
	struct challenge c = utest_challenge(bi);
	unsigned long badge = challenge_range(&c, 1, 1000);
	unsigned long rsp = challenge_range(&c, 1ul << 32, (1ul << 46) - 1) & ~0xful;
	resume_key = challenge_next(&c) & 0xffffff0ul;
	run_with_fixer(bi, 60, runs_ud2, rsp, badge);
}

/*
 * The same resume with the handler and the thread at one priority and nothing else
 * ready: the reply-and-receive would take the fast path but that its partner is in a
 * fault, so the reply must go to the kernel (fault_tag and fault_msg), not into the
 * thread's registers — which still hold, after the resume, what they held at the ud2.
 */
static unsigned long keep_regs[3];

static void runs_ud2_keeping(unsigned long rsp)
{
	unsigned long after;
	register unsigned long r8 __asm__("r8") = keep_regs[0];
	register unsigned long r9 __asm__("r9") = keep_regs[1];
	register unsigned long r10 __asm__("r10") = keep_regs[2];
	__asm__ volatile("movq %%rsp, %%rbx\n\t"
			 "movq %4, %%rsp\n\t"
			 "ud2\n\t"
			 "movq %%rsp, %0\n\t"
			 "movq %%rbx, %%rsp"
			 : "=&r"(after), "+r"(r8), "+r"(r9), "+r"(r10)
			 : "r"(rsp)
			 : "rbx", "memory");
	printf("handler: after its ud2 the thread has rsp %lx, r8 %lx, r9 %lx, r10 %lx\n",
	       after, r8, r9, r10);
}

UTEST(exception_resume_equal_priority)
{
	struct challenge c = utest_challenge(bi);
	unsigned long badge = challenge_range(&c, 1, 1000);
	unsigned long rsp = challenge_range(&c, 1ul << 32, (1ul << 46) - 1) & ~0xful;
	resume_key = challenge_next(&c) & 0xffffff0ul;
	for (int i = 0; i < 3; i++)
		keep_regs[i] = challenge_next(&c);
	run_with_fixer(bi, 50, runs_ud2_keeping, rsp, badge);
}

/* The figure: guest instructions per fault resolved, fault to resume, sigma0 included.
 * The pages' place and what is written there come from the seed (demand). */
static void timed_toucher(unsigned long pages)
{
	utest_mark_begin();
	unsigned long t0 = __builtin_ia32_rdtsc();
	for (unsigned long i = 0; i < pages; i++)
		*(volatile unsigned long *)(demand.base + i * 4096) = demand.key ^ i;
	unsigned long t1 = __builtin_ia32_rdtsc();
	utest_mark_end();
	/* The same loop, pages now there: its cost is the loop's own, to subtract. The least
	 * of three, since a timer tick in one (and the threads it lets run) would make the
	 * figure too small: seen once in a hundred boots, 1,152 a page off. */
	unsigned long loop = ~0ul;
	for (int k = 0; k < 3; k++) {
		unsigned long s = __builtin_ia32_rdtsc();
		for (unsigned long i = 0; i < pages; i++)
			*(volatile unsigned long *)(demand.base + i * 4096) = demand.key ^ i;
		unsigned long e = __builtin_ia32_rdtsc();
		if (e - s < loop)
			loop = e - s;
	}
	unsigned long h = DIGEST_START;
	for (unsigned long i = 0; i < pages; i++)
		h = digest_add(h, *(volatile unsigned long *)(demand.base + i * 4096 + 8) ^
				  *(volatile unsigned long *)(demand.base + i * 4096));
	printf("cost: %lu pages from %lx, read back, digest %lx\n", pages, demand.base, h);
	printf("page_fault_cost=%lu\n", ((t1 - t0) - loop) / pages);
}

UTEST(paging_fault_cost)
{
	struct challenge c = utest_challenge(bi);
	demand.base = ANON_BASE + challenge_range(&c, 0, (1ul << 18) - 256) * 4096;
	demand.key = challenge_next(&c);
	long p = start_pager(bi);
	paged_thread(bi, 1, p, 1, timed_toucher, 256);
	let_others_run(bi);
}

/*
 * I/O ports: the port and the block of 2^k ports sigma0 gives come from the seed. The
 * port is one of the ISA DMA controller's page registers, which keep the byte written
 * (QEMU's i8257), so the thread reads back what it wrote; then it writes a port of the
 * same range 0x80-0x8f outside the block, which must fault again.
 */
static const unsigned short dma_pages[] = { 0x81, 0x82, 0x83, 0x87, 0x89, 0x8a, 0x8b, 0x8f };
static unsigned long io_port, io_outside, io_value;

/* The in/out instructions touch only the ports named, all harmless in QEMU's PC. */
static void port_user(unsigned long with_ports)
{
	unsigned char back, again;
	printf("io: a thread writes to port %lx\n", io_port);
	__asm__ volatile("outb %%al, %%dx" : : "a"(io_value), "d"(io_port));
	__asm__ volatile("inb %%dx, %%al" : "=a"(back) : "d"(io_port));
	__asm__ volatile("outb %%al, %%dx" : : "a"(io_value >> 8), "d"(io_port));
	__asm__ volatile("inb %%dx, %%al" : "=a"(again) : "d"(io_port));
	printf("io: port %lx written, it reads back %x, then %x\n", io_port, back, again);
	if (with_ports) {
		printf("io: a thread writes to port %lx, outside its ports\n", io_outside);
		__asm__ volatile("outb %%al, %%dx" : : "a"(io_value), "d"(io_outside));
		printf("io: port %lx written (must not appear)\n", io_outside);
	}
}

UTEST(io_ports)
{
	struct challenge c = utest_challenge(bi);
	io_port = dma_pages[challenge_range(&c, 0, 7)];
	unsigned long log2 = challenge_range(&c, 0, 3);
	io_outside = io_port ^ (1ul << log2);
	io_value = challenge_range(&c, 0, 0xffff);     /* two bytes, one after the other */
	/* Without ports: the thread's outb is a #GP, and it has no exception handler. */
	UCHECK(thread_spawn(bi->self_task_slot, 50, port_user, 0, stacks[1], STACK_SIZE) > 0);
	UCHECK(sys_thread_priority(bi->self_thread_slot, 40) == 0);    /* it runs, and stops */
	printf("io: sigma0 gives the root %ld port(s)\n",
	       sigma0_io_ports(bi->sigma0_slot, IO_FPAGE(io_port & ~((1ul << log2) - 1), log2)));
	UCHECK(thread_spawn(bi->self_task_slot, 30, port_user, 1, stacks[2], STACK_SIZE) > 0);
	let_others_run(bi);
	printf("io: root runs on\n");
}

/*
 * A thread with a port calls a server in another task, which tries the port: the switch
 * (the IPC fast path's: both at 50, nothing else ready) must unload the caller's I/O
 * permissions, or the server reads a port its task was never given. The second call is
 * the one that counts: the server then resumes where the fast path parked it.
 */
static char io_server_stack[STACK_SIZE] __attribute__((aligned(16)));

static void io_server(unsigned long ep)
{
	struct msg m;
	UCHECK_EQ(ipc_receive((long)ep, &m, IPC_TIMEOUT_INFINITE), 0);
	UCHECK_EQ(ipc_reply_receive((long)ep, &m), 0);
	printf("io: the server in another task reads port %lx\n", m.mr0);
	unsigned char got;
	__asm__ volatile("inb %%dx, %%al" : "=a"(got) : "d"(m.mr0));
	printf("io: the server read port %lx (must not appear)\n", m.mr0);
	sys_thread_exit();
}

static void io_caller(unsigned long ep)
{
	unsigned char back;
	__asm__ volatile("inb %%dx, %%al" : "=a"(back) : "d"(io_port));
	printf("io: the caller reads its port %lx: %x, and calls the server twice\n", io_port,
	       back);
	struct msg m = { .tag = IPC_TAG(0, 1, 0), .mr0 = io_port };
	UCHECK_EQ(ipc_call((long)ep, &m), 0);
	__asm__ volatile("inb %%dx, %%al" : "=a"(back) : "d"(io_port));
	m = (struct msg){ .tag = IPC_TAG(0, 1, 0), .mr0 = io_port };
	ipc_call((long)ep, &m);
}

UTEST(io_ports_unloaded)
{
	struct challenge c = utest_challenge(bi);
	io_port = dma_pages[challenge_range(&c, 0, 7)];
	unsigned long value = challenge_range(&c, 0, 0xff);
	printf("io: sigma0 gives the root %ld port(s)\n",
	       sigma0_io_ports(bi->sigma0_slot, IO_FPAGE(io_port, 0)));
	__asm__ volatile("outb %%al, %%dx" : : "a"(value), "d"(io_port));
	long task = utest_task_clone(bi);
	long ep = sys_endpoint_create();
	long ep_there = sys_cap_copy(task, ep, RIGHT_RECEIVE, 0);
	UCHECK(ep > 0 && ep_there > 0);
	utest_spawn_in_task(task, 50, io_server, io_server_stack, STACK_SIZE,
			    (unsigned long)ep_there);
	UCHECK(thread_spawn(bi->self_task_slot, 50, io_caller, (unsigned long)ep, stacks[1],
			    STACK_SIZE) > 0);
	let_others_run(bi);
	printf("io: root runs on\n");
}

static unsigned long fuzz_state;     /* from the seed: never 0 */

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

/* After the fuzzing: receives one page at CHECK_VA and answers with the word at MR0's
 * index there, XORed with its key (its argument). */
#define CHECK_VA 0x0000700000000000ul

static long check_ep;

static void check_receiver(unsigned long key)
{
	struct msg m;
	utcb()->map_window = FPAGE(CHECK_VA, 12);
	long r = ipc_receive(check_ep, &m, IPC_TIMEOUT_INFINITE);
	unsigned long pages = r == 0 && IPC_TAG_TYPED(m.tag) == 1 ? utcb()->mr[2] : 0;
	unsigned long word = pages ? *(volatile unsigned long *)(CHECK_VA + m.mr0 % 512 * 8) : 0;
	m = (struct msg){ .tag = IPC_TAG(0, 2, 0), .mr0 = pages, .mr1 = word ^ key };
	ipc_reply(&m);
	thread_exit();
}

/*
 * Random map, grant, I/O and capability items, and random unmaps (how many, and the
 * random sequence, from the seed): the kernel lives, and still passes a page: one from
 * sigma0, with a word from the seed, mapped to a thread that answers with it XORed.
 */
UTEST(paging_fuzz)
{
	struct challenge c = utest_challenge(bi);
	unsigned long items = challenge_range(&c, 900, 1100);
	fuzz_state = challenge_next(&c) | 1;
	unsigned long key = challenge_next(&c), word = challenge_next(&c);
	unsigned long index = challenge_range(&c, 0, 511);
	long ep = sys_endpoint_create();
	UCHECK(ep > 0);
	for (unsigned long i = 0; i < 16; i++)  /* some real pages to pass around */
		UCHECK(sigma0_alloc_page(bi->sigma0_slot, POOL_BASE + i * 4096) == 0);
	utest_spawn(bi, 0, PRIO_MAX, fuzz_receiver, (unsigned long)ep);
	unsigned long delivered = 0;
	for (unsigned long i = 0; i < items; i++) {
		unsigned long kinds[] = { IPC_ITEM_MAP, IPC_ITEM_GRANT, IPC_ITEM_IO, IPC_ITEM_CAP,
					  fuzz_rng() };
		struct msg m = { .tag = IPC_TAG(0, 0, 1),
				 .mr0 = (fuzz_rng() & ~0xffful) | (fuzz_rng() % 8) << 4 |
					kinds[fuzz_rng() % 5],
				 .mr1 = fuzz_fpage() };
		/* The root's own capabilities and the endpoint are not fair game: moved to the
		 * receiver, they would leave the scenario unable to make its last thread
		 * (seed 812504894a71c740 moved the task capability), or the receiver spinning
		 * on an empty slot. */
		if (IPC_ITEM_KIND(m.mr0) == IPC_ITEM_CAP &&
		    (m.mr1 == (unsigned long)ep || m.mr1 == (unsigned long)bi->self_task_slot ||
		     m.mr1 == (unsigned long)bi->self_thread_slot ||
		     m.mr1 == (unsigned long)bi->debug_slot || m.mr1 == (unsigned long)bi->sigma0_slot))
			m.mr1 = 0;     /* no capability: the item is skipped */
		sys_yield();    /* the receiver (of our priority) waits again */
		delivered += ipc_send(ep, &m, IPC_TIMEOUT_POLL) == 0;
		sys_unmap(fuzz_fpage(), fuzz_rng() % 2);
	}
	printf("fuzz: %lu random items sent, %lu delivered; the kernel still answers: %ld\n",
	       items, delivered, sys_null());

	check_ep = sys_endpoint_create();
	UCHECK(check_ep > 0);
	UCHECK(sigma0_alloc_page(bi->sigma0_slot, CHECK_VA - 4096) == 0);
	((volatile unsigned long *)(CHECK_VA - 4096))[index] = word;
	utest_spawn(bi, 1, PRIO_MAX, check_receiver, key);
	struct msg m = { .tag = IPC_TAG(0, 1, 1), .mr0 = index,
			 .mr1 = IPC_MAP_ITEM(IPC_ITEM_MAP, 0, 0) };
	utcb()->mr[2] = FPAGE(CHECK_VA - 4096, 12);
	long r = ipc_call(check_ep, &m);
	printf("fuzz: then a page passed: %ld, %lu page(s), the word there XORed: %lx\n", r,
	       m.mr0, m.mr1);
}
