/**
 * @file
 * lab5_ist.c — a lab 5 scenario: a #DB from user mode, delivered on an IST stack, still
 * makes a fault IPC that can block while another thread takes a #DB of its own.
 *
 * The one thing to know: the CPU puts every #DB on the same IST stack, even from ring
 * 3; the kernel must move the frame to the thread's own kernel stack before it can
 * block there. Here the first thread waits in its exception IPC while a second one
 * traps on the same vector; if both had stayed on the IST stack, the second would
 * overwrite the first's frame and parked kernel context.
 */
#include <minim.h>
#include <thread.h>
#include "utest.h"

#define STACK_SIZE 8192

static char stacks[2][STACK_SIZE] __attribute__((aligned(16)));
static long second_thread;
static unsigned long second_rbx;

/*
 * One single-step #DB from ring 3, with rbx set: popf sets TF, and the next popf, which
 * restores the flags without TF, still runs with TF set, so the CPU traps once after it
 * (a trap: the saved rip is past it, and the saved flags have TF clear again).
 */
static unsigned long debug_trap_keeping(unsigned long rbx)
{
	unsigned long after;
	__asm__ volatile("movq %1, %%rbx\n\t"
			 "pushfq\n\t"
			 "pushfq\n\t"
			 "orq $0x100, (%%rsp)\n\t"
			 "popfq\n\t"
			 "popfq\n\t"
			 "movq %%rbx, %0"
			 : "=r"(after)
			 : "r"(rbx)
			 : "rbx", "memory", "cc");
	return after;
}

/* Each thread's rbx comes from the seed (its argument): the first prints what it has
 * after the #DB, which is the second's if the two frames were one. */
static void first_traps(unsigned long rbx)
{
	printf("ist: the first thread runs on after its #DB; rbx %lx\n",
	       debug_trap_keeping(rbx));
}

static void second_traps(unsigned long rbx)
{
	debug_trap_keeping(rbx);
	printf("ist: the second thread ran on (must not appear)\n");
}

static uintptr_t stack_top(int i)
{
	uintptr_t top = (uintptr_t)stacks[i] + STACK_SIZE - 16;
	*(uintptr_t *)(top - 8) = (uintptr_t)thread_exit;      /* where the function returns */
	return top - 8;
}

/* Gets the first thread's #DB, lets the second take one while the first waits, then
 * resumes the first where it trapped (a trap: rip is already past the popf). */
static void debug_handler(unsigned long ep)
{
	struct msg m;
	long r = ipc_receive((long)ep, &m, IPC_TIMEOUT_INFINITE);
	printf("ist: handler: exception %lu from badge %lu (%ld); the first thread waits for "
	       "the reply\n", m.mr0, m.badge, r);
	unsigned long rip = m.mr1, rsp = utcb()->mr[3];
	/* Above this thread's priority: it runs, and traps, before the next line. */
	UCHECK(sys_thread_start(second_thread, (unsigned long)second_traps, stack_top(1),
				second_rbx) == 0);
	printf("ist: handler: the second thread has taken its #DB; resuming the first\n");
	m = (struct msg){ .tag = IPC_TAG(FAULT_RESUME, 2, 0), .mr0 = rip, .mr1 = rsp };
	ipc_reply_receive((long)ep, &m);
}

/* The handler's badge and both threads' rbx: from the seed. */
UTEST(exception_debug_ist)
{
	struct challenge c = utest_challenge(bi);
	unsigned long badge = challenge_range(&c, 1, 1000), rbx = challenge_next(&c);
	second_rbx = challenge_next(&c);
	long ep = sys_endpoint_create();
	long handler = sys_cap_copy(bi->self_task_slot, ep, RIGHT_SEND, badge);
	long first = sys_thread_create(bi->self_task_slot, 50);
	second_thread = sys_thread_create(bi->self_task_slot, 61);
	UCHECK(ep > 0 && handler > 0 && first > 0 && second_thread > 0);
	UCHECK_EQ(sys_thread_handlers(first, 0, handler), 0);
	utest_spawn(bi, 0, 60, debug_handler, (unsigned long)ep);
	UCHECK_EQ(sys_thread_start(first, (unsigned long)first_traps, stack_top(0), rbx), 0);
	UCHECK(sys_thread_priority(bi->self_thread_slot, 1) == 0);
	printf("ist: root runs on\n");
}
