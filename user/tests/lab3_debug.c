/**
 * @file
 * lab3_debug.c — a scenario for lab 3: only the holder of the debug capability can end
 * the run.
 *
 * The one thing to know: debug_shutdown stops the machine and makes the kernel print
 * the done line the grader trusts, so it is a right, not a system call anyone may make:
 * the root task holds the only capability for it (bi->debug_slot). A task that does not
 * hold it — a second task, or the root naming another slot — gets an error and runs on.
 */
#include <minim.h>
#include <thread.h>
#include "utest.h"

#define STACK_SIZE 8192
static char child_stack[STACK_SIZE] __attribute__((aligned(16)));

/* In the second task, which starts with no capabilities at all: tries every slot. */
static void child_tries(unsigned long arg)
{
	(void)arg;
	long worst = 0;
	for (long slot = -1; slot <= 128; slot++) {
		long r = sys_debug_shutdown(slot, 0);
		if (r != E_CAP)
			worst = r;
	}
	printf("debug: the second task tries every slot: all -7: %s\n", worst == 0 ? "yes" : "no");
	thread_exit();
}

UTEST(debug_shutdown_needs_cap)
{
	printf("debug: the root names its task capability -> %ld\n",
	       sys_debug_shutdown(bi->self_task_slot, 0));
	printf("debug: the root names slot 0 -> %ld\n", sys_debug_shutdown(0, 0));
	printf("debug: the root names slot 5000 -> %ld\n", sys_debug_shutdown(5000, 0));

	long task = sys_task_create();
	UCHECK(task > 0);
	utest_spawn_in_task(task, 10, child_tries, child_stack, STACK_SIZE, 0);
	UCHECK(sys_thread_priority(bi->self_thread_slot, 1) == 0);
	printf("debug: the root runs on, and ends the run itself\n");
}
