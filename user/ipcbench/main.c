/**
 * @file
 * main.c — ipcbench [N]: the round trip of a call and its reply between two threads
 * of this process, in guest instructions (under `make run`'s -icount; cycles under KVM).
 *
 * The one thing to know: it times as user/tests/lab4_bench.c does (sel4bench's
 * method): `cpuid; rdtsc` just before the call, `rdtscp; cpuid` first in the
 * receiver, each direction on its own, the timers' own cost (measured with nothing
 * between them) taken off, and the median of N runs after a warm-up. A process's
 * threads share one address space, so this is the same-task figure.
 */
#include <process.h>
#include <stdlib.h>
#include <tsc.h>

#define WARMUP          16
#define RUNS_MAX        4096
#define STACK_SIZE      8192

/* The partner: each reply carries when the call arrived and when the reply left. */
static void partner(unsigned long ep)
{
	struct msg m;
	ipc_receive((long)ep, &m, IPC_TIMEOUT_INFINITE);
	for (;;) {
		unsigned long arrived = timer_end();
		m.tag = IPC_TAG(0, 2, 0);
		m.mr0 = arrived;
		m.mr1 = timer_start();
		ipc_reply_receive((long)ep, &m);
	}
}

static unsigned long median(unsigned long *v, unsigned n)
{
	for (unsigned i = 1; i < n; i++)
		for (unsigned j = i; j > 0 && v[j - 1] > v[j]; j--) {
			unsigned long t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return v[n / 2];
}

static char stack[STACK_SIZE] __attribute__((aligned(16)));
static unsigned long calls[RUNS_MAX], replies[RUNS_MAX], empty[RUNS_MAX];

int main(int argc, char **argv)
{
	unsigned long runs = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000;
	if (runs < 1 || runs > RUNS_MAX) {
		dprintf(2, "usage: ipcbench [N], N from 1 to %d\n", RUNS_MAX);
		return 2;
	}
	long ep = sys_endpoint_create();
	long t = ep > 0 ? thread_spawn(proc->task_slot, PROC_PRIO, partner, (unsigned long)ep,
				       stack, sizeof(stack)) : ep;
	if (t < 0) {
		dprintf(2, "ipcbench: no partner thread: %s\n", strerror((int)t));
		return 1;
	}
	for (unsigned long i = 0; i < WARMUP + runs; i++) {
		unsigned long t0 = timer_start();
		unsigned long t1 = timer_end();
		if (i >= WARMUP)
			empty[i - WARMUP] = t1 - t0;
	}
	for (unsigned long i = 0; i < WARMUP + runs; i++) {
		struct msg m = { .tag = IPC_TAG(0, 1, 0), .mr0 = i };
		unsigned long start = timer_start();
		long r = ipc_call(ep, &m);
		unsigned long end = timer_end();
		if (r < 0) {
			dprintf(2, "ipcbench: call: %s\n", strerror((int)r));
			return 1;
		}
		if (i >= WARMUP) {
			calls[i - WARMUP] = m.mr0 - start;
			replies[i - WARMUP] = end - m.mr1;
		}
	}
	unsigned long overhead = median(empty, (unsigned)runs);
	unsigned long rtt = median(calls, (unsigned)runs) + median(replies, (unsigned)runs) -
			    2 * overhead;
	printf("ipcbench: %lu round trips, %lu guest instructions each\n", runs, rtt);
	return 0;
}
