/**
 * @file
 * lab8_bench.c — lab 8's figures for make bench: reads from the disk and the cache,
 * open and close, and spawning /bin/echo from the disk.
 *
 * The one thing to know: the host's time for the disk is not the software's, so a
 * spinner below everyone runs while the disk works and what it ran is taken off (as
 * user/t7's read_cost does for the block server).
 */
#include <fs.h>
#include <minim.h>
#include <pm.h>
#include <proc.h>
#include <thread.h>
#include "utest.h"
#include "lab8.h"

static volatile unsigned long spins;
static char spin_stack[8192] __attribute__((aligned(16)));

static void spinner(unsigned long unused)
{
	(void)unused;
	for (;;)
		spins++;
}

/* Guest instructions from t0 on, less what the spinner (below everyone) ran meanwhile:
 * the host's time for the disk is not the software's (as user/t7's read_cost). */
static unsigned long per_1000;

static unsigned long cost_since(unsigned long t0, unsigned long s0)
{
	unsigned long t = (unsigned long)sys_debug_clock() - t0;
	unsigned long spun = (spins - s0) * per_1000 / 1000;
	return t > spun ? t - spun : 0;
}

UTEST(files_bench)
{
	fs_up(bi, NULL);
	UCHECK(thread_spawn(bi->self_task_slot, 1, spinner, 0, spin_stack,
			    sizeof(spin_stack)) > 0);
	long quiet = sys_endpoint_create();
	struct msg m;
	unsigned long t0 = (unsigned long)sys_debug_clock(), s0 = spins;
	ipc_receive(quiet, &m, 4);      /* the spinner alone: its cost per round */
	per_1000 = 1000 * ((unsigned long)sys_debug_clock() - t0) / (spins - s0 ? spins - s0 : 1);
	/* A file four times the cache: its first blocks are gone when it is read again. */
	uint64_t size;
	long h = fs_open(&conn, "/bench", O_RDWR | O_CREAT | O_TRUNC, &size);
	const unsigned long big = 1u << 20;
	for (unsigned long at = 0; at < big; at += sizeof(io)) {
		content(0xbe, at, io, sizeof(io));
		UCHECK(fs_write(&conn, h, at, io, sizeof(io), NULL) == (long)sizeof(io));
	}
	UCHECK_EQ(fs_sync(&conn), 0);
	unsigned long disk = 0, cached = 0, oc = 0;
	for (unsigned i = 0; i < 16; i++) {
		t0 = (unsigned long)sys_debug_clock();
		s0 = spins;
		UCHECK_EQ(fs_read(&conn, h, i * 4096ul, io, 4096), 4096);
		disk += cost_since(t0, s0);
	}
	for (unsigned i = 0; i < 17; i++) {
		t0 = (unsigned long)sys_debug_clock();
		s0 = spins;
		UCHECK_EQ(fs_read(&conn, h, 0, io, 4096), 4096);
		cached += i ? cost_since(t0, s0) : 0;   /* the first warms up */
	}
	for (unsigned i = 0; i < 16; i++) {
		t0 = (unsigned long)sys_debug_clock();
		s0 = spins;
		long f = fs_open(&conn, "/bench", O_RDONLY, &size);
		UCHECK(f >= 0 && fs_close(&conn, f) == 0);
		oc += cost_since(t0, s0);
	}
	fs_close(&conn, h);
	printf("fs_read_4k_disk=%lu\nfs_read_4k_cached=%lu\nfs_open_close=%lu\n", disk / 16,
	       cached / 16, oc / 16);
	/* /bin/echo from the disk: the first spawn reads it (the pm's loader), the next
	 * find it in the pm's table. */
	const char *argv[] = { "/bin/echo", "x", NULL };
	unsigned long first = 0, again = 0;
	for (unsigned i = 0; i < 5; i++) {
		t0 = (unsigned long)sys_debug_clock();
		s0 = spins;
		long pid = pm_spawn(pm_ep, argv, 0, NULL, NULL, 0), status = -1;
		UCHECK(pid > 0 && pm_wait(pm_ep, pid, &status) == 0 && status == 0);
		if (i == 0)
			first = cost_since(t0, s0);
		else
			again += cost_since(t0, s0);
	}
	printf("fs_spawn_echo_first=%lu\nfs_spawn_echo=%lu\n", first, again / 4);
}

