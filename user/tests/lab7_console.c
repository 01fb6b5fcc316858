/**
 * @file
 * lab7_console.c — scenarios for lab 7: the console server on COM1, typed into by the
 * grader.
 *
 * The one thing to know: the root starts the process manager, the console (bin/console,
 * given COM1's interrupt line and sigma0 for its ports) and then bin/t7 in a role
 * (user/t7/main.c), and waits for it; the grader types what the role waits for (the
 * test's dialog in grade/lab7.py). Before the root's own last line it runs `t7 sync`,
 * which returns once every byte the console queued has left the UART, so nothing of
 * t7's is still in the console's ring when the kernel prints the done line.
 */
#include <minim.h>
#include <pm.h>
#include <proc.h>
#include "utest.h"

#define COM1_LINE       4

static long pm;

/* The pm and the console server, started. */
static void console_up(const struct boot_info_page *bi)
{
	pm = pm_start(bi);
	UCHECK(pm > 0);
	long irq = sys_irq_control(bi->irq_control_slot, COM1_LINE);
	UCHECK(irq > 0);
	const char *argv[] = { "bin/console", NULL };
	long caps[2] = { irq, bi->sigma0_slot };
	unsigned rights[2] = { RIGHT_CONTROL, RIGHT_SEND };
	UCHECK(pm_spawn(pm, argv, 0, caps, rights, 2) > 0);
}

/* Runs bin/t7 with the arguments and waits for it; its exit status. */
static long t7(const char *a1, const char *a2, const char *a3, const char *a4)
{
	const char *argv[] = { "bin/t7", a1, a2, a3, a4, NULL };
	long pid = pm_spawn(pm, argv, 0, NULL, NULL, 0);
	long status = pid;
	if (pid > 0)
		UCHECK(pm_wait(pm, pid, &status) == 0);
	return status;
}

static void finish(long status)
{
	long synced = t7("sync", NULL, NULL, NULL);
	printf("console: t7 ended with %ld; the console synced: %ld\n", status, synced);
}

UTEST(console_lines)
{
	struct challenge c = utest_challenge(bi);
	char n[8], key[24];
	snprintf(n, sizeof(n), "%lu", challenge_range(&c, 3, 6));
	snprintf(key, sizeof(key), "%lx", challenge_next(&c));
	console_up(bi);
	finish(t7("lines", n, key, NULL));
}

UTEST(console_busy)
{
	struct challenge c = utest_challenge(bi);
	char n[8], key[24];
	snprintf(n, sizeof(n), "%lu", challenge_range(&c, 3, 6));
	snprintf(key, sizeof(key), "%lx", challenge_next(&c));
	console_up(bi);
	finish(t7("busy", "200", n, key));
}

UTEST(console_burst)
{
	struct challenge c = utest_challenge(bi);
	char key[24];
	snprintf(key, sizeof(key), "%lx", challenge_next(&c));
	console_up(bi);
	finish(t7("burst", "65536", key, NULL));
}

UTEST(console_interrupt)
{
	struct challenge c = utest_challenge(bi);
	char key[24];
	snprintf(key, sizeof(key), "%lx", challenge_next(&c));
	console_up(bi);
	finish(t7("interrupt", key, NULL, NULL));
}
