/**
 * @file
 * lab4_bench.c — ipcbench: the round trip of a short call and reply, in instructions.
 *
 * The one thing to know: it measures as sel4bench does, so the figures compare with
 * seL4's. Each direction is timed on its own — `cpuid; rdtsc` just before the system
 * call in the sender, `rdtscp; cpuid` first thing in the receiver — and the cost of
 * those timing sequences themselves (measured with nothing between them) is
 * subtracted. The server puts its two timestamps in its reply. Under QEMU -icount the
 * counts are guest instructions and identical on every run; under KVM, cycles.
 */
#include <minim.h>
#include <tsc.h>
#include "utest.h"

#define WARMUP  16
#define RUNS    256
#define STACK_SIZE 8192

#define BENCH_REPORT 1  /* the label of the last call: what did the server get? */

/*
 * The server: reply to each call with the time it arrived and the time we reply, and
 * to the report call with the number of calls and a digest of their words. That work
 * falls between the two timestamps, outside both timed directions.
 */
static void bench_server(unsigned long ep)
{
	struct msg m;
	unsigned long calls = 0, h = DIGEST_START;
	ipc_receive((long)ep, &m, IPC_TIMEOUT_INFINITE);
	for (;;) {
		unsigned long arrived = timer_end();
		h = digest_add(h, m.mr0);
		calls++;
		int report = IPC_TAG_LABEL(m.tag) == BENCH_REPORT;
		m.tag = IPC_TAG(0, 2, 0);
		if (report) {
			m.mr0 = calls;
			m.mr1 = h;
		} else {
			m.mr0 = arrived;
			m.mr1 = timer_start();
		}
		ipc_reply_receive((long)ep, &m);
	}
}

static unsigned long median(unsigned long *v, int n)
{
	for (int i = 1; i < n; i++)     /* insertion sort: n is small */
		for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
			unsigned long t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return v[n / 2];
}

/*
 * Median round trip (call + reply) in instructions, less the timers' own cost. The
 * timed calls carry i (anything computed for them would be timed too), after a first
 * call with a key from the seed.
 */
static unsigned long measure(long ep, struct challenge *c)
{
	struct msg first = { .tag = IPC_TAG(0, 1, 0), .mr0 = challenge_next(c) };
	ipc_call(ep, &first);

	static unsigned long calls[RUNS], replies[RUNS], empty[RUNS];

	for (int i = 0; i < WARMUP + RUNS; i++) {
		unsigned long t0 = timer_start();
		unsigned long t1 = timer_end();
		if (i >= WARMUP)
			empty[i - WARMUP] = t1 - t0;
	}
	utest_mark_begin();
	for (int i = 0; i < WARMUP + RUNS; i++) {
		struct msg m = { .tag = IPC_TAG(0, 1, 0), .mr0 = (unsigned long)i };
		unsigned long start = timer_start();
		ipc_call(ep, &m);
		unsigned long end = timer_end();
		if (i >= WARMUP) {
			calls[i - WARMUP] = m.mr0 - start;
			replies[i - WARMUP] = end - m.mr1;
		}
	}
	utest_mark_end();
	unsigned long overhead = median(empty, RUNS);
	return median(calls, RUNS) - overhead + median(replies, RUNS) - overhead;
}

/* The report call, with a last word from the seed: how many calls the server took and
 * the digest of their words. */
static void report(const char *where, long ep, struct challenge *c)
{
	struct msg m = { .tag = IPC_TAG(BENCH_REPORT, 1, 0), .mr0 = challenge_next(c) };
	long r = ipc_call(ep, &m);
	printf("ipc_bench: the %s server answered %ld: %lu calls, digest %lx\n", where, r,
	       m.mr0, m.mr1);
}

static char server_stack[STACK_SIZE] __attribute__((aligned(16)));
static char local_stack[STACK_SIZE] __attribute__((aligned(16)));

UTEST(ipc_bench)
{
	/* Across address spaces: the server is a thread of a second task. */
	long task = utest_task_clone(bi);
	long ep = sys_endpoint_create();
	long server_ep = sys_cap_copy(task, ep, RIGHT_RECEIVE, 0);
	long t = sys_thread_create(task, PRIO_MAX);
	UCHECK(task > 0 && ep > 0 && server_ep > 0 && t > 0);
	UCHECK(sys_thread_start(t, (unsigned long)bench_server,
				(unsigned long)server_stack + STACK_SIZE - 8,
				(unsigned long)server_ep) == 0);
	struct challenge c = utest_challenge(bi);
	unsigned long rtt = measure(ep, &c);
	report("cross-task", ep, &c);
	printf("ipc_rtt_cross_task=%lu\n", rtt);

	/* Within one address space: the server is a thread of this task. */
	long local_ep = sys_endpoint_create();
	long lt = sys_thread_create(bi->self_task_slot, PRIO_MAX);
	UCHECK(local_ep > 0 && lt > 0);
	UCHECK(sys_thread_start(lt, (unsigned long)bench_server,
				(unsigned long)local_stack + STACK_SIZE - 8,
				(unsigned long)local_ep) == 0);
	rtt = measure(local_ep, &c);
	report("same-task", local_ep, &c);
	printf("ipc_rtt_same_task=%lu\n", rtt);
}
