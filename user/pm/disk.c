/**
 * @file
 * disk.c — programs from the file system (lab 8): a loader thread reads a program's
 * file through the file server, and the main thread takes it into the program table.
 *
 * The one thing to know: the main thread must never wait for the file server, because
 * the file server (and the block server under it) are processes whose page faults the
 * main thread serves: a main thread blocked on them would wait for itself. So a spawn
 * of an absolute path that neither the program table nor the bootfs holds is answered
 * at once with PM_LOAD_AT and a capability to the loader; the client calls the loader,
 * which reads the file into pages of its own (from sigma0, kept for the boot, as the
 * bootfs is; a path the disk does not have is the bootfs's, if it has it), hands them to the main thread (PM_INSTALL, which only checks the ELF
 * file and fills a table entry), answers the client, and the client's spawn comes
 * again and finds the program. A program read once is kept: a later change of the file
 * on the disk is seen only after a reboot.
 */
#include <fs.h>
#include <ipc.h>
#include <sigma0.h>
#include <string.h>
#include <syscall.h>
#include <thread.h>
#include <utcb.h>
#include <abi/error.h>
#include <abi/ipc.h>
#include "pm_internal.h"

#define PM_DISK_VA              0x0000690000000000ul    /* files read, back to back */
#define PM_DISK_BYTES           (64ul << 20)
#define PM_PROGRAM_MAX          (4ul << 20)             /* the largest program read */
#define PM_FS_WINDOW            (FS_CLIENT_BUF + 0x10000)

static char loader_stack[16384] __attribute__((aligned(16)));
static struct fs_conn conn;
static unsigned long disk_top;          /* bytes of PM_DISK_VA in use (the loader's) */

/* A session with the file server, which may still be starting (as the block server
 * may, block_connect): names is asked again each tick, for FS_LOOKUP_TICKS. */
static long fs_up(void)
{
	long r = E_NOENT, quiet = sys_endpoint_create();
	struct msg m;
	for (unsigned t = 0; t < FS_LOOKUP_TICKS && r == E_NOENT; t++) {
		r = fs_connect(&conn, pm.names, (void *)PM_FS_WINDOW);
		if (r == E_NOENT && quiet > 0)
			ipc_receive(quiet, &m, 1);
	}
	if (quiet > 0)
		sys_cap_delete(quiet);
	return r;
}

/* Reads path into fresh pages; their address, or 0 and *err. */
static const uint8_t *file_read(const char *path, size_t *size, long *err)
{
	if (!conn.session && (*err = fs_up()) != 0)
		return NULL;
	uint64_t bytes;
	long h = fs_open(&conn, path, O_RDONLY, &bytes);
	if (h == E_BADF || h == E_GONE) {       /* the server restarted: a new session */
		conn = (struct fs_conn){ 0 };
		if ((*err = fs_up()) != 0)
			return NULL;
		h = fs_open(&conn, path, O_RDONLY, &bytes);
	}
	if (h < 0) {
		*err = h;
		return NULL;
	}
	uint8_t *at = (uint8_t *)(PM_DISK_VA + disk_top);
	unsigned long pages = (bytes + 4095) / 4096;
	*err = bytes == 0 || bytes > PM_PROGRAM_MAX ? E_INVAL :
	       disk_top + pages * 4096 > PM_DISK_BYTES ? E_NOMEM : 0;
	/* Pages left from an earlier load that failed are there already. */
	static unsigned long mapped;
	for (unsigned long i = 0; !*err && i < pages; i++) {
		unsigned long va = PM_DISK_VA + disk_top + i * 4096;
		if (va >= PM_DISK_VA + mapped) {
			*err = sigma0_alloc_page_rights(pm.sigma0, va, MAP_RIGHTS_ALL);
			if (!*err)
				mapped += 4096;
		}
	}
	long n = *err ? 0 : fs_read(&conn, h, 0, at, bytes);
	fs_close(&conn, h);
	if (!*err && n != (long)bytes)
		*err = n < 0 ? n : E_IO;
	if (*err)
		return NULL;
	*size = bytes;
	return at;
}

/* The loader: one client's PM_LOAD_AT call at a time, answered when the program is in
 * the table (0) or cannot be (an error). */
static void loader_run(unsigned long install)
{
	struct msg m;
	char path[64];
	long r = ipc_receive(pm.loader, &m, IPC_TIMEOUT_INFINITE);
	for (;;) {
		if (r != 0) {
			r = ipc_receive(pm.loader, &m, IPC_TIMEOUT_INFINITE);
			continue;
		}
		/* The same words as the spawn: the path is the first string from MR2 on. */
		unsigned untyped = IPC_TAG_UNTYPED(m.tag);
		long err = E_INVAL;
		if (untyped >= 3 && m.mr1 <= (untyped - 2) * 8ul) {
			const char *args = (const char *)&utcb()->mr[2];
			size_t len = strnlen(args, m.mr1 < sizeof(path) ? m.mr1 : sizeof(path));
			if (len > 0 && len < sizeof(path) && len < m.mr1 && args[0] == '/') {
				memcpy(path, args, len + 1);
				err = 0;
			}
		}
		size_t size = 0;
		const uint8_t *data = err ? NULL : file_read(path, &size, &err);
		struct bootfs_entry e;
		bool from_disk = data != NULL;
		if (!data && (err == E_NOENT || err == E_NOTDIR) &&
		    bootfs_find(&pm.bootfs, path, &e) == 0) {
			data = e.data;  /* not on the disk (or no disk): the bootfs's */
			size = e.size;
			err = 0;
		}
		if (data) {
			struct msg in = { .tag = IPC_TAG(PM_INSTALL, 2, 0), .mr0 = (unsigned long)data,
					  .mr1 = size };
			size_t len = strlen(path) + 1;
			memcpy(&utcb()->mr[2], path, len);
			in.tag = IPC_TAG(PM_INSTALL, 2 + (len + 7) / 8, 0);
			err = ipc_call((long)install, &in);
			if (err == 0)
				err = (long)in.mr0;
			if (err == 0 && from_disk)
				disk_top += (size + 4095) & ~4095ul;    /* the table keeps them */
		}
		m = (struct msg){ .tag = IPC_TAG(0, 1, 0), .mr0 = (unsigned long)err };
		r = ipc_reply_receive(pm.loader, &m);
	}
}

long pm_loader_start(void)
{
	pm.loader = sys_endpoint_create();
	long install = pm.loader > 0 ? sys_cap_copy(pm.self_task, pm.endpoint, RIGHT_SEND,
						    PM_BADGE_LOADER) : pm.loader;
	if (install < 0)
		return install;
	long t = thread_spawn(pm.self_task, PM_PRIO, loader_run, (unsigned long)install,
			      loader_stack, sizeof(loader_stack));
	if (t < 0)
		return t;
	sys_cap_delete(t);
	return 0;
}
