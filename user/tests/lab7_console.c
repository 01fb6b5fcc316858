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
#include <pci.h>
#include <proc.h>
#include <sigma0.h>
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
		UCHECK_EQ(pm_wait(pm, pid, &status), 0);
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

/* More typed than the console keeps (grade/lab7.py, console_flood): the rest must wait
 * in the UART until t7 reads. */
UTEST(console_flood)
{
	struct challenge c = utest_challenge(bi);
	char n[8], key[24];
	snprintf(n, sizeof(n), "%lu", challenge_range(&c, 56, 72));
	snprintf(key, sizeof(key), "%lx", challenge_next(&c));
	console_up(bi);
	finish(t7("busy", "800", n, key));
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

/* --- the block server ------------------------------------------------------------------ */

#define VIRTIO_VENDOR   0x1af4
#define VIRTIO_BLK      0x1042

/* bin/blk, supervised, given sigma0 and the interrupt line the PCI configuration
 * space names; its pid. */
static long blk_up(const struct boot_info_page *bi)
{
	pm = pm_start(bi);
	UCHECK(pm > 0);
	UCHECK(sigma0_io_ports(bi->sigma0_slot, IO_FPAGE(PCI_CONFIG_PORT, 3)) == 8);
	pci_addr f = pci_find(VIRTIO_VENDOR, VIRTIO_BLK);
	UCHECK(f != PCI_NONE);
	long irq = sys_irq_control(bi->irq_control_slot, pci_read8(f, PCI_INTERRUPT_LINE));
	UCHECK(irq > 0);
	const char *argv[] = { "bin/blk", NULL };
	long caps[2] = { bi->sigma0_slot, irq };
	unsigned rights[2] = { RIGHT_SEND, RIGHT_CONTROL };
	long pid = pm_supervise(pm, argv, 0, caps, rights, 2);
	UCHECK(pid > 0);
	return pid;
}

/* Runs bin/t7 with these arguments; its pid. */
static long t7_start(const char *const argv[])
{
	long pid = pm_spawn(pm, argv, 0, NULL, NULL, 0);
	UCHECK(pid > 0);
	return pid;
}

static long t7_wait(long pid)
{
	long status;
	UCHECK_EQ(pm_wait(pm, pid, &status), 0);
	return status;
}

UTEST(blk_rw)
{
	struct challenge c = utest_challenge(bi);
	char key[24], seed[24], reads[8], writes[8];
	snprintf(key, sizeof(key), "%lx", challenge_next(&c));
	snprintf(seed, sizeof(seed), "%lx", challenge_next(&c));
	snprintf(reads, sizeof(reads), "%lu", challenge_range(&c, 20, 40));
	snprintf(writes, sizeof(writes), "%lu", challenge_range(&c, 10, 20));
	long blk = blk_up(bi);
	/* Four readers at once: the server's four workers each have one in flight
	 * (before anything is written: they check the grader's pattern). */
	long readers[4];
	char seeds[4][24];
	for (int i = 0; i < 4; i++) {
		snprintf(seeds[i], sizeof(seeds[i]), "%lx", challenge_next(&c));
		const char *pargv[] = { "bin/t7", "pread", key, seeds[i], "12", NULL };
		readers[i] = t7_start(pargv);
	}
	long worst = 0;
	for (int i = 0; i < 4; i++) {
		long st = t7_wait(readers[i]);
		worst = st != 0 ? st : worst;
	}
	const char *sargv[] = { "bin/t7", "stats", NULL };
	printf("blk: four readers at once ended with %ld; stats: %ld\n", worst,
	       t7_wait(t7_start(sargv)));
	const char *argv[] = { "bin/t7", "disk", key, seed, reads, writes, NULL };
	printf("blk: t7 ended with %ld\n", t7_wait(t7_start(argv)));
	/* One death while a client calls: the successor answers it. */
	const char *again[] = { "bin/t7", "restart", "8", NULL };
	long pid = t7_start(again);
	utest_sleep_ticks(3);
	long killed = pm_kill(pm, blk);
	printf("blk: killed the server -> %ld; t7 ended with %ld\n", killed, t7_wait(pid));
}

/*
 * blk_crash: the block server is supervised (the pm starts it again whenever it ends),
 * and the root kills it KILLS times at seeded moments while t7 writes a stream of
 * sectors; every write t7 was told is done must be in the image (the grader looks).
 */
UTEST(blk_crash)
{
	struct challenge c = utest_challenge(bi);
	char key[24], n[8];
	snprintf(key, sizeof(key), "%lx", challenge_next(&c));
	unsigned long sectors = challenge_range(&c, 200, 400), kills = 200;
	snprintf(n, sizeof(n), "%lu", sectors);
	long blk = blk_up(bi);
	const char *argv[] = { "bin/t7", "stream", key, n, NULL };
	long pid = t7_start(argv);
	unsigned long killed = 0;
	for (unsigned long i = 0; i < kills; i++) {
		utest_sleep_ticks(challenge_range(&c, 1, 4));
		killed += pm_kill(pm, blk) == 0;
	}
	long status = t7_wait(pid);
	/* t7's own lines come whenever its stream ends; its status says how it went:
	 * 0 only if every write was acknowledged and read back as written. */
	printf("crash: the root killed the block server %lu times; t7 wrote %lu sectors and "
	       "ended with %ld\n", killed, sectors, status);
}
