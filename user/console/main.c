/**
 * @file
 * main.c — the console server (bin/console): start-up and the workers.
 *
 * The one thing to know: the process manager starts it with two capabilities, the
 * interrupt line of COM1 (line 4) and a send capability to sigma0 (for the UART's
 * ports); it registers CONSOLE_NAME with names and then never ends. A worker holds a
 * client's reply right from the client's call to the reply; while it waits for the
 * core's signal it receives on an endpoint only the core can signal, so no call can
 * take that right from it (a thread's next call received drops an unused one).
 */
#include <console.h>
#include <names.h>
#include <process.h>
#include <sigma0.h>
#include "console_server.h"

#define WORKER_STACK    8192

static long requests;                           /* clients call here */
static long to_core[CONSOLE_WORKERS];           /* worker i's badged capability */
static long wake_ep[CONSOLE_WORKERS];           /* worker i waits here when parked */
static long wake[CONSOLE_WORKERS];              /* and the core signals it here */
static unsigned long saved[CONSOLE_WORKERS][IPC_MR_COUNT];
static char stacks[CONSOLE_WORKERS][WORKER_STACK] __attribute__((aligned(16)));

/* Asks the core until it answers something other than CORE_PARK. */
static struct msg ask_core(unsigned i, const struct msg *request)
{
	unsigned words = IPC_TAG_UNTYPED(request->tag);
	/* The core's answers overwrite our UTCB: keep the request's words for a retry. */
	for (unsigned w = 2; w < words && w < IPC_MR_COUNT; w++)
		saved[i][w] = utcb()->mr[w];
	for (;;) {
		struct msg m = *request;
		for (unsigned w = 2; w < words && w < IPC_MR_COUNT; w++)
			utcb()->mr[w] = saved[i][w];
		if (ipc_call(to_core[i], &m) != 0)
			return (struct msg){ .tag = IPC_TAG(0, 1, 0), .mr0 = (unsigned long)E_GONE };
		if (IPC_TAG_LABEL(m.tag) != CORE_PARK)
			return m;
		struct msg note;
		ipc_receive(wake_ep[i], &note, IPC_TIMEOUT_INFINITE);
	}
}

static void worker(unsigned long i)
{
	struct msg m;
	long r = ipc_receive(requests, &m, IPC_TIMEOUT_INFINITE);
	for (;;) {
		if (r != 0 || IPC_TAG_TYPED(m.tag)) {
			/* A failed receive, or capabilities we never asked for: no answer. */
			r = ipc_receive(requests, &m, IPC_TIMEOUT_INFINITE);
			continue;
		}
		m = ask_core((unsigned)i, &m);
		r = ipc_reply_receive(requests, &m);
	}
}

static long badged_copy(long ep, unsigned long badge)
{
	return sys_cap_copy(proc->task_slot, ep, RIGHT_SEND, badge);
}

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	if (proc->cap_count < 2 ||
	    sigma0_io_ports((long)proc->caps[1], IO_FPAGE(COM1, 3)) != 8) {
		printf("console: no COM1 ports or no interrupt line: stopping\n");
		return 1;
	}
	long irq = (long)proc->caps[0];
	long core = sys_endpoint_create();
	requests = sys_endpoint_create();
	long irq_badged = badged_copy(core, BADGE_IRQ);
	if (core < 0 || requests < 0 || irq_badged < 0 || sys_irq_bind(irq, irq_badged) != 0) {
		printf("console: cannot bind COM1's interrupt line: stopping\n");
		return 1;
	}
	for (unsigned i = 0; i < CONSOLE_WORKERS; i++) {
		wake_ep[i] = sys_endpoint_create();
		to_core[i] = badged_copy(core, BADGE_WORKER(i));
		wake[i] = badged_copy(wake_ep[i], 1);
		if (wake_ep[i] < 0 || to_core[i] < 0 || wake[i] < 0 ||
		    thread_spawn(proc->task_slot, PROC_PRIO, worker, i, stacks[i], WORKER_STACK) < 0) {
			printf("console: cannot start worker %u: stopping\n", i);
			return 1;
		}
	}
	long name = badged_copy(requests, 1);
	long r = name < 0 ? name : names_register((long)proc->names_slot, CONSOLE_NAME, name);
	if (r != 0) {
		printf("console: cannot register '%s' (%ld): stopping\n", CONSOLE_NAME, r);
		return 1;
	}
	core_run(core, irq, wake);
}
