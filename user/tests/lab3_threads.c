/**
 * @file
 * lab3_threads.c — scenarios for lab 3's scheduler: interleaving, priorities,
 * preemption, yield, exit, and a thread in a second task.
 *
 * The one thing to know: the root thread runs at the highest priority, so nothing it
 * starts runs until it lowers itself to priority 1 (sys_thread_priority); it runs again
 * only when every thread above it has ended. That makes each scenario's order of
 * events exact, and the grader checks the order.
 */
#include <minim.h>
#include <thread.h>
#include "utest.h"

#define STACK_SIZE 8192
static char cross_stack[STACK_SIZE] __attribute__((aligned(16)));      /* the second task's */

/* Lets every thread above priority 1 run to its end, then returns. */
static void wait_for_others(const struct boot_info_page *bi)
{
	UCHECK(sys_thread_priority(bi->self_thread_slot, 1) == 0);
}

static void interleaver(unsigned long name)
{
	for (int i = 0; i < 3; i++) {
		printf("interleave: %c%d\n", (char)name, i);
		sys_yield();
	}
}

UTEST(threads_interleave)
{
	utest_spawn(bi, 0, 10, interleaver, 'A');
	utest_spawn(bi, 1, 10, interleaver, 'B');
	wait_for_others(bi);
	printf("interleave: root runs again after both\n");
}

static void say(unsigned long what)
{
	printf("priority: %s\n", (const char *)what);
}

UTEST(threads_priority)
{
	utest_spawn(bi, 0, 10, say, (unsigned long)"low runs second");
	utest_spawn(bi, 1, 20, say, (unsigned long)"high runs first");
	utest_spawn(bi, 2, 30, say, (unsigned long)"a thread above the new priority preempts at once");
	UCHECK(sys_thread_priority(bi->self_thread_slot, 25) == 0);
	printf("priority: root lowered itself to 25\n");
	wait_for_others(bi);
	printf("priority: root last\n");
}

static volatile unsigned long spin_count;
static volatile int spin_stop;

static void spinner(unsigned long arg)
{
	(void)arg;
	while (!spin_stop)
		spin_count++;
	printf("preempt: the spinner stopped when told\n");
}

static void watcher(unsigned long arg)
{
	(void)arg;
	printf("preempt: the watcher runs while the spinner spins (count > 0: %s)\n",
	       spin_count > 0 ? "yes" : "no");
	spin_stop = 1;
}

UTEST(threads_preempt)
{
	utest_spawn(bi, 0, 10, spinner, 0);
	utest_spawn(bi, 1, 10, watcher, 0);
	wait_for_others(bi);
	printf("preempt: done\n");
}

static volatile unsigned long before_yield, after_yield;

static void yielder(unsigned long arg)
{
	(void)arg;
	before_yield = (unsigned long)sys_debug_clock();
	UCHECK(sys_yield() == 0);
	printf("yield: the yielder runs again after the other\n");
}

static void taker(unsigned long arg)
{
	(void)arg;
	after_yield = (unsigned long)sys_debug_clock();
	printf("yield: the other thread got the CPU\n");
}

UTEST(threads_yield)
{
	unsigned long t0 = (unsigned long)sys_debug_clock();
	long r = sys_yield();
	unsigned long alone = (unsigned long)sys_debug_clock() - t0;
	printf("yield: alone at its priority: returns %ld at once: %s\n", r,
	       alone < 100000 ? "yes" : "no");
	utest_spawn(bi, 0, 10, yielder, 0);
	utest_spawn(bi, 1, 10, taker, 0);
	wait_for_others(bi);
	/* A time slice is 10 million instructions: a yield must not wait for it. */
	printf("yield: handed over within 100000 instructions: %s\n",
	       after_yield - before_yield < 100000 ? "yes" : "no");
}

static void exiter(unsigned long arg)
{
	(void)arg;
	printf("exit: the thread runs\n");
	thread_exit();
}

static void returner(unsigned long arg)
{
	(void)arg;
	printf("exit: a thread whose function returns\n");
}

UTEST(threads_exit)
{
	long t = utest_spawn(bi, 0, 10, exiter, 0);
	utest_spawn(bi, 1, 10, returner, 0);
	wait_for_others(bi);
	printf("exit: both ended; starting the dead thread again: %ld\n",
	       sys_thread_start(t, (unsigned long)exiter, (unsigned long)cross_stack + 4096, 0));
}

/* In the second task: its own copy of this program, so its own copy of this variable. */
static volatile int marker = 1;

static void cross_main(unsigned long arg)
{
	printf("cross: a thread in the second task, arg %lu, its marker %d\n", arg, marker);
	marker = 2;
	printf("cross: it set its marker to %d\n", marker);
	thread_exit();
}

UTEST(threads_cross_task)
{
	long task = sys_task_create();
	UCHECK(task > 0);
	utest_spawn_in_task(task, 10, cross_main, cross_stack, STACK_SIZE, 42);
	wait_for_others(bi);
	printf("cross: the root's marker is still %d\n", marker);
}
