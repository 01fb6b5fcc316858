/**
 * @file
 * fd.c — the descriptor table: the console as 0, 1 and 2, files of the file server
 * above them, and the process's one connection to that server.
 *
 * The one thing to know: a file descriptor here is a server handle plus the position
 * the libc keeps (the server keeps none: fs.h), and the number of the connection it
 * was opened on; a descriptor from a connection that has since been dropped (its
 * server died) is EBADF, never a handle sent on to a session that did not open it.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <console.h>
#include <errno.h>
#include <fcntl.h>
#include <names.h>
#include <process.h>
#include <sys/stat.h>
#include <unistd.h>
#include "libc.h"

#define LIBC_FS_LOOKUP_TICKS    50      /* how long a first call waits for the server */
#define S_IFCHR                 0x2000  /* what fstat says of the console */

enum fd_kind { FD_FREE, FD_CONSOLE, FD_FILE };

struct fd {
	enum fd_kind kind;
	int flags;                      /* open's: the access mode, O_APPEND */
	long handle;                    /* the server's */
	uint64_t pos;
	unsigned conn;                  /* the connection it was opened on */
};

static struct fd fds[FD_MAX] = { { .kind = FD_CONSOLE }, { .kind = FD_CONSOLE },
				 { .kind = FD_CONSOLE } };
static struct fs_conn conn;
static unsigned conn_number;            /* connections made so far: 0 none yet */
static bool conn_waited;
static long console_slot;               /* 0: not found yet */

int libc_fail(long err)
{
	errno = (int)-err;
	return -1;
}

/* One tick of nothing: a receive nobody answers. */
static void pause_a_tick(void)
{
	long quiet = sys_endpoint_create();
	struct msg m;
	if (quiet > 0) {
		ipc_receive(quiet, &m, 1);
		sys_cap_delete(quiet);
	}
}

struct fs_conn *libc_fs(void)
{
	if (conn.session > 0)
		return &conn;
	if (!proc || !proc->names_slot) {
		errno = ENOFS;
		return NULL;
	}
	/* The server may still be starting (the root starts it just before the shell):
	 * the first call waits for its name, later ones only look. */
	long r = E_NOENT;
	for (unsigned t = 0; t < (conn_waited ? 1 : LIBC_FS_LOOKUP_TICKS); t++) {
		r = fs_connect(&conn, proc->names_slot, (void *)FS_CLIENT_BUF);
		if (r != E_NOENT)
			break;
		pause_a_tick();
	}
	conn_waited = true;
	if (r < 0) {
		errno = r == E_NOENT ? ENOFS : (int)-r;
		return NULL;
	}
	conn_number++;
	return &conn;
}

long libc_fs_error(long err)
{
	if ((err == E_GONE || err == E_BADF) && conn.session > 0) {
		sys_cap_delete(conn.session);
		sys_cap_delete(conn.token);
		conn.session = conn.token = 0;
	}
	return err;
}

/* The console server's capability, or 0 while names has none. A process started
 * with the console (the shell, at boot) may run before the console registers: a
 * writer asks names once and uses the kernel's debug console after a miss (so a
 * process without a console pays one lookup), a reader asks again, waiting for it
 * up to `ticks`. */
static long console(unsigned ticks)
{
	static bool looked;
	if (looked && ticks == 0)
		return console_slot;
	looked = true;
	for (unsigned t = 0; console_slot <= 0 && proc && proc->names_slot; t++) {
		long slot = names_lookup(proc->names_slot, CONSOLE_NAME);
		console_slot = slot > 0 ? slot : 0;
		if (console_slot || t >= ticks)
			break;
		pause_a_tick();
	}
	return console_slot;
}

/* The open descriptor fd, or NULL with errno EBADF. */
static struct fd *fd_get(int fd)
{
	if (fd < 0 || fd >= FD_MAX || fds[fd].kind == FD_FREE ||
	    (fds[fd].kind == FD_FILE && (fds[fd].conn != conn_number || conn.session <= 0))) {
		errno = EBADF;
		return NULL;
	}
	return &fds[fd];
}

/* A handle for path (made absolute here); or a negative error. */
static long file_open(const char *path, int flags)
{
	char abs[FS_PATH_MAX + 1];
	long r = libc_path(path, abs);
	if (r < 0)
		return r;
	struct fs_conn *c = libc_fs();
	if (!c)
		return -errno;
	return libc_fs_error(fs_open(c, abs, (unsigned)flags, NULL));
}

static void fd_release(struct fd *f)
{
	if (f->kind == FD_FILE && f->conn == conn_number && conn.session > 0)
		libc_fs_error(fs_close(&conn, f->handle));
	*f = (struct fd){ .kind = FD_FREE };
}

int open(const char *path, int flags, ...)
{
	int fd = 0;
	while (fd < FD_MAX && fds[fd].kind != FD_FREE)
		fd++;
	if (fd == FD_MAX)
		return libc_fail(E_FULL);
	long h = file_open(path, flags);
	if (h < 0)
		return libc_fail(h);
	fds[fd] = (struct fd){ FD_FILE, flags, h, 0, conn_number };
	return fd;
}

int libc_open_at(int fd, const char *path, int flags)
{
	if (fd < 0 || fd >= FD_MAX)
		return libc_fail(E_BADF);
	long h = file_open(path, flags);
	if (h < 0)
		return libc_fail(h);
	fd_release(&fds[fd]);
	fds[fd] = (struct fd){ FD_FILE, flags, h, 0, conn_number };
	return 0;
}

ssize_t read(int fd, void *buf, size_t n)
{
	struct fd *f = fd_get(fd);
	if (!f)
		return -1;
	if (f->kind == FD_CONSOLE) {
		if (n == 0)
			return 0;
		if (!console(LIBC_FS_LOOKUP_TICKS))
			return libc_fail(E_IO);
		long r = console_read(console_slot, buf, n < CONSOLE_LINE_MAX ? n : CONSOLE_LINE_MAX);
		if (r == CONSOLE_INTERRUPTED) {
			errno = EINTR;
			return -1;
		}
		return r < 0 ? libc_fail(r) : r;
	}
	if ((f->flags & O_ACCMODE) == O_WRONLY)
		return libc_fail(E_BADF);
	long r = libc_fs_error(fs_read(&conn, f->handle, f->pos, buf, n));
	if (r < 0)
		return libc_fail(r);
	f->pos += (uint64_t)r;
	return r;
}

ssize_t write(int fd, const void *buf, size_t n)
{
	struct fd *f = fd_get(fd);
	if (!f)
		return -1;
	if (f->kind == FD_CONSOLE) {
		long r = console(0) ? console_write(console_slot, buf, n) : debug_write_all(buf, n);
		return r < 0 ? libc_fail(r) : r;
	}
	if ((f->flags & O_ACCMODE) == O_RDONLY)
		return libc_fail(E_BADF);
	uint64_t end = f->pos;
	long r = libc_fs_error(fs_write(&conn, f->handle, f->flags & O_APPEND ? FS_APPEND : f->pos,
					buf, n, &end));
	if (r < 0)
		return libc_fail(r);
	f->pos = end;
	return r;
}

off_t lseek(int fd, off_t offset, int whence)
{
	struct fd *f = fd_get(fd);
	if (!f)
		return -1;
	if (f->kind == FD_CONSOLE)
		return libc_fail(-ESPIPE);
	int64_t base;
	if (whence == SEEK_SET) {
		base = 0;
	} else if (whence == SEEK_CUR) {
		base = (int64_t)f->pos;
	} else if (whence == SEEK_END) {
		struct fs_stat st;
		long r = libc_fs_error(fs_fstat(&conn, f->handle, &st));
		if (r < 0)
			return libc_fail(r);
		base = (int64_t)st.size;
	} else {
		return libc_fail(E_INVAL);
	}
	if ((offset > 0 && base > INT64_MAX - offset) || base + offset < 0)
		return libc_fail(E_INVAL);
	f->pos = (uint64_t)(base + offset);
	return (off_t)f->pos;
}

int close(int fd)
{
	struct fd *f = fd_get(fd);
	if (!f) {
		/* A descriptor of a dropped connection: its handle died with the session. */
		if (fd >= 0 && fd < FD_MAX && fds[fd].kind == FD_FILE) {
			fds[fd] = (struct fd){ .kind = FD_FREE };
			return 0;
		}
		return -1;
	}
	long r = 0;
	if (f->kind == FD_FILE)
		r = libc_fs_error(fs_close(&conn, f->handle));
	*f = (struct fd){ .kind = FD_FREE };
	return r < 0 ? libc_fail(r) : 0;
}

int fstat(int fd, struct stat *st)
{
	struct fd *f = fd_get(fd);
	if (!f)
		return -1;
	struct fs_stat s = { .mode = S_IFCHR | 0620 };
	if (f->kind == FD_FILE) {
		long r = libc_fs_error(fs_fstat(&conn, f->handle, &s));
		if (r < 0)
			return libc_fail(r);
	}
	*st = (struct stat){ s.ino, s.size, s.mode, s.links, s.blocks, s.mtime, s.ctime };
	return 0;
}

long libc_fd_handle(int fd)
{
	struct fd *f = fd_get(fd);
	return f && f->kind == FD_FILE ? f->handle : E_BADF;
}

long libc_stdout_write(const char *s, unsigned long len)
{
	long r = write(STDOUT_FILENO, s, len);
	return r < 0 ? -errno : r;
}
