/**
 * @file
 * lab3_debug.c — a scenario for lab 3: only the holder of the debug capability can end
 * the run.
 *
 * The one thing to know: debug_shutdown stops the machine and makes the kernel print
 * the done line the grader trusts, so it is a right, not a system call anyone may make:
 * the root task holds the only capability for it (bi->debug_slot). A task that does not
 * hold it — a second task, or the root naming another slot — gets an error and runs on.
 * The slots tried, how many the second task tries, and the statuses asked for come from
 * the boot's seed (grade/lab3.py draws the same), so the counts printed are this boot's.
 */
#include <minim.h>
#include <thread.h>
#include "utest.h"

#define STACK_SIZE 8192
static char child_stack[STACK_SIZE] __attribute__((aligned(16)));

/* In the second task, which starts with no capabilities at all: tries slots -1 to
 * `last`, each with a status drawn from `last`, and counts the answers. */
static void child_tries(unsigned long last)
{
	unsigned long refused = 0, tried = 0;
	for (long slot = -1; slot <= (long)last; slot++, tried++)
		refused += sys_debug_shutdown(slot, (long)(last * (unsigned long)slot)) == E_CAP;
	printf("debug: the second task tried %lu slots; %lu answered -7\n", tried, refused);
	thread_exit();
}

UTEST(debug_shutdown_needs_cap)
{
	struct challenge c = utest_challenge(bi);
	long status = (long)challenge_range(&c, 1, 255);
	long far = (long)challenge_range(&c, 128, 1ul << 40);
	unsigned long last = challenge_range(&c, 64, 255);
	printf("debug: the root names its task capability, status %ld -> %ld\n", status,
	       sys_debug_shutdown(bi->self_task_slot, status));
	printf("debug: the root names slot 0 -> %ld\n", sys_debug_shutdown(0, status));
	printf("debug: the root names slot %ld -> %ld\n", far, sys_debug_shutdown(far, status));

	long task = utest_task_clone(bi);
	UCHECK(task > 0);
	utest_spawn_in_task(task, 10, child_tries, child_stack, STACK_SIZE, last);
	UCHECK(sys_thread_priority(bi->self_thread_slot, 1) == 0);
	printf("debug: the root runs on, and ends the run itself\n");
}
