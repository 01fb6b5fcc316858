/**
 * @file
 * lab8_fs.c — scenarios for lab 8: the file server over the block server, asked by the
 * root task itself through the client stubs (fs.h).
 *
 * The one thing to know: the root starts the pm, bin/blk on the grader's disk
 * (supervised) and bin/fs, then connects like any client, its page at FS_CLIENT_BUF.
 * What it prints is derived from what the server did with seeded data; the grader
 * also reads the image on the host after QEMU exits.
 */
#include <fs.h>
#include <minim.h>
#include <pci.h>
#include <pm.h>
#include <proc.h>
#include <sigma0.h>
#include "utest.h"

#define VIRTIO_VENDOR   0x1af4
#define VIRTIO_BLK      0x1042

static long pm;
static struct fs_conn conn;

/* The pm, the block server and the file server (args: its own, e.g. "cache=200"),
 * and our connection to it. */
static void fs_up(const struct boot_info_page *bi, const char *arg)
{
	pm = pm_start(bi);
	UCHECK(pm > 0);
	UCHECK(sigma0_io_ports(bi->sigma0_slot, IO_FPAGE(PCI_CONFIG_PORT, 3)) == 8);
	pci_addr f = pci_find(VIRTIO_VENDOR, VIRTIO_BLK);
	UCHECK(f != PCI_NONE);
	long irq = sys_irq_control(bi->irq_control_slot, pci_read8(f, PCI_INTERRUPT_LINE));
	UCHECK(irq > 0);
	const char *bargv[] = { "bin/blk", NULL };
	long caps[2] = { bi->sigma0_slot, irq };
	unsigned rights[2] = { RIGHT_SEND, RIGHT_CONTROL };
	UCHECK(pm_supervise(pm, bargv, 0, caps, rights, 2) > 0);
	const char *fargv[] = { "bin/fs", arg, NULL };
	UCHECK(pm_spawn(pm, fargv, 0, NULL, NULL, 0) > 0);
	long names = pm_names_slot();
	long r = E_NOENT;
	for (int t = 0; t < 200 && r != 0; t++) {
		r = fs_connect(&conn, names, (void *)FS_CLIENT_BUF);
		if (r != 0)
			utest_sleep_ticks(1);
	}
	printf("fs: connected -> %ld\n", r);
}

UTEST(fs_smoke)
{
	fs_up(bi, NULL);
	static char buf[8192];
	uint64_t size = 0;
	long h = fs_open(&conn, "/", O_RDONLY | O_DIRECTORY, &size);
	printf("open / -> %ld (size %lu)\n", h, (unsigned long)size);
	uint64_t cookie = 0;
	long n;
	while ((n = fs_readdir(&conn, h, &cookie, buf, sizeof(buf))) > 0) {
		for (long at = 0; at < n;) {
			struct fs_dirent *d = (struct fs_dirent *)(buf + at);
			printf("  %s (%u, type %u)\n", d->name, d->ino, d->type);
			at += d->reclen;
		}
	}
	printf("readdir end -> %ld; close -> %ld\n", n, fs_close(&conn, h));
	h = fs_open(&conn, "/hello.txt", O_RDONLY, &size);
	n = h >= 0 ? fs_read(&conn, h, 0, buf, sizeof(buf) - 1) : h;
	buf[n > 0 ? n : 0] = 0;
	printf("read /hello.txt -> %ld: %s\n", n, buf);
	fs_close(&conn, h);
	h = fs_open(&conn, "/new.txt", O_RDWR | O_CREAT | O_TRUNC, &size);
	for (int i = 0; i < 8192; i++)
		buf[i] = (char)('a' + i % 26);
	long w = 0;
	for (int i = 0; i < 40; i++)
		w += fs_write(&conn, h, (uint64_t)i * 8192, buf, 8192, NULL);
	printf("create /new.txt -> %ld, wrote %ld\n", h, w);
	struct fs_stat st;
	long r = fs_fstat(&conn, h, &st);
	printf("fstat -> %ld: size %lu blocks %lu\n", r, (unsigned long)st.size,
	       (unsigned long)st.blocks);
	r = fs_close(&conn, h);
	long d1 = fs_mkdir(&conn, "/d");
	long d2 = fs_mkdir(&conn, "/d/e");
	printf("close -> %ld; mkdir /d -> %ld; mkdir /d/e -> %ld\n", r, d1, d2);
	h = fs_open(&conn, "/d/e/f", O_WRONLY | O_CREAT, &size);
	printf("create /d/e/f -> %ld, write %ld\n", h, fs_write(&conn, h, 0, "hi\n", 3, NULL));
	fs_close(&conn, h);
	long rn = fs_rename(&conn, "/d/e/f", "/d/e/g");
	long ul = fs_unlink(&conn, "/hello.txt");
	long rd = fs_rmdir(&conn, "/d");
	long rd2 = fs_rmdir(&conn, "/sub");
	printf("rename -> %ld; unlink /hello.txt -> %ld; rmdir /d -> %ld; rmdir /sub -> %ld\n",
	       rn, ul, rd, rd2);
	struct fs_stats fst;
	long sy = fs_sync(&conn);
	r = fs_stats(&conn, &fst);
	printf("sync -> %ld; stats -> %ld: %u sessions, %u open, hits %lu misses %lu, "
	       "free %lu blocks %lu inodes\n", sy, r,
	       fst.sessions, fst.open_files, (unsigned long)fst.cache_hits,
	       (unsigned long)fst.cache_misses, (unsigned long)fst.free_blocks,
	       (unsigned long)fst.free_inodes);
}
