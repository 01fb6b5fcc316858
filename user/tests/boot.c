/**
 * @file
 * boot.c — the system `make run` boots when no test= is given: the process manager,
 * the console on COM1, the block and file servers on the disk, then the shell.
 *
 * The one thing to know: every server is optional but the console: without a disk
 * (or without bin/fs) the shell still starts, and its file commands say "no file
 * server". The root waits for the shell; its status SHELL_EXIT_SHUTDOWN
 * (user/lib/shell.h) ends the run — after /bin/sync has written the disk back and
 * drained the console — and any other end starts a new shell.
 */
#include <minim.h>
#include <pci.h>
#include <pm.h>
#include <proc.h>
#include <shell.h>
#include <sigma0.h>
#include "boot.h"
#include "utest.h"

#define COM1_LINE       4
#define VIRTIO_VENDOR   0x1af4
#define VIRTIO_BLK      0x1042
/* The shell's kernel account: its children's accounts (64 pages each, the pm's
 * default) are paid from it, so it must hold several at once. */
#define SHELL_QUOTA     1024

static long pm;

static long console_start(const struct boot_info_page *bi)
{
	long irq = sys_irq_control(bi->irq_control_slot, COM1_LINE);
	if (irq <= 0)
		return irq ? irq : E_CAP;
	const char *argv[] = { "bin/console", NULL };
	long caps[2] = { irq, bi->sigma0_slot };
	unsigned rights[2] = { RIGHT_CONTROL, RIGHT_SEND };
	return pm_spawn(pm, argv, 0, caps, rights, 2);
}

/* The block server, supervised, on the virtio disk's interrupt line; or an error
 * (E_NOENT: no disk). */
static long blk_start(const struct boot_info_page *bi)
{
	if (sigma0_io_ports(bi->sigma0_slot, IO_FPAGE(PCI_CONFIG_PORT, 3)) != 8)
		return E_NOENT;
	pci_addr f = pci_find(VIRTIO_VENDOR, VIRTIO_BLK);
	if (f == PCI_NONE)
		return E_NOENT;
	long irq = sys_irq_control(bi->irq_control_slot, pci_read8(f, PCI_INTERRUPT_LINE));
	if (irq <= 0)
		return irq ? irq : E_CAP;
	const char *argv[] = { "bin/blk", NULL };
	long caps[2] = { bi->sigma0_slot, irq };
	unsigned rights[2] = { RIGHT_SEND, RIGHT_CONTROL };
	return pm_supervise(pm, argv, 0, caps, rights, 2);
}

/* Runs argv on an account of quota kernel pages (0: the pm's default) and waits for
 * it; its status, or the spawn's error. */
static long run(const char *const argv[], unsigned long quota)
{
	long pid = pm_spawn(pm, argv, quota, NULL, NULL, 0), status = pid;
	if (pid > 0 && pm_wait(pm, pid, &status) < 0)
		status = PM_STATUS_KILLED;
	return status;
}

long system_boot(const struct boot_info_page *bi)
{
	/* No sigma0 or no bootfs (labs 1 to 5 boot neither): there is no system. */
	if (!bi->sigma0_slot || !bi->bootfs_size)
		return E_NOENT;
	pm = pm_start(bi);
	long console = pm > 0 ? console_start(bi) : pm;
	if (console <= 0) {
		printf("root: no process manager or no console (%ld, %ld): stopping\n", pm,
		       console);
		sys_debug_shutdown(bi->debug_slot, 1);
		return console;
	}
	long blk = blk_start(bi);
	long fs = E_NOENT;
	if (blk > 0) {
		/* Spawned, not supervised: a disk it cannot mount makes it stop at once,
		 * and the supervisor would start it again, without end. */
		const char *argv[] = { "bin/fs", NULL };
		fs = pm_spawn(pm, argv, 0, NULL, NULL, 0);
	}
	if (fs <= 0)
		printf("root: %s: the shell runs without files\n",
		       blk <= 0 ? "no disk (DISK=image)" : "no bin/fs");
	const char *sh[] = { SHELL_PATH, NULL };
	for (unsigned failures = 0; failures < SHELL_RESTARTS_MAX;) {
		long status = run(sh, SHELL_QUOTA);
		if (status == SHELL_EXIT_SHUTDOWN)
			break;
		if (status < 0) {
			printf("root: the shell ended (%ld)\n", status);
			failures++;
		} else {
			failures = 0;
		}
	}
	/* The disk written back, the console drained: then nothing is lost. */
	const char *sync[] = { "/bin/sync", NULL };
	long synced = run(sync, 0);
	printf("root: shutting down (sync: %ld)\n", synced);
	sys_debug_shutdown(bi->debug_slot, 0);
	return 0;
}

/* The same boot as a scenario (test=system_shell), for the kit's self-test of the
 * shell, the libc and the file server together (grade/selftest.py types into it). */
UTEST(system_shell)
{
	UCHECK_EQ(system_boot(bi), 0);
}
