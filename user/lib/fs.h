/**
 * @file
 * fs.h — the file server's protocol (lab 8): sessions, a shared page per session, and
 * requests on a session's own capability.
 *
 * The one thing to know: the page through which file data travels is the server's. A
 * client connects once; the server maps one of its own pages into the client
 * (FS_CLIENT_BUF, writable) and gives it a capability badged with the session, on
 * which every later request is a call. Paths, file data, stat records and directory
 * entries travel in that page; short words (a handle, an offset, a length, a result)
 * in message registers. Because the server owns the page, nothing a client does with
 * its own address space (unmap it, die) can make the server fault; a client that
 * changes the page while the server reads it only spoils its own request (the server
 * copies a path out of the page before it looks at it).
 *
 *   label          MR0              MR1           MR2      page in    reply MR0 (MR1)
 *   FS_CONNECT     0                -             -        -          0 or an error; the
 *                  item: a capability to an endpoint of the client's (its token)
 *                  reply items: the page (map), the session capability (cap, moved)
 *   FS_OPEN        flags (O_*)      path length   -        path       handle (size)
 *   FS_CLOSE       handle           -             -        -          0
 *   FS_READ        handle           offset        length   -          bytes; data out
 *   FS_WRITE       handle           offset        length   data       bytes (new size)
 *   FS_TRUNCATE    handle           new size      -        -          0
 *   FS_FSTAT       handle           -             -        -          0; struct fs_stat out
 *   FS_STAT        path length      -             -        path       0; struct fs_stat out
 *   FS_READDIR     handle           cookie        -        -          bytes (next cookie);
 *                                                                     struct fs_dirent... out
 *   FS_MKDIR       path length      -             -        path       0
 *   FS_UNLINK      path length      -             -        path       0
 *   FS_RMDIR       path length      -             -        path       0
 *   FS_RENAME      old length       new length    -        old, new   0
 *   FS_SYNC        -                -             -        -          0 once on the disk
 *   FS_STATS       -                -             -        -          0; struct fs_stats out
 *   FS_MAP         handle           offset        -        -          0; a map item of
 *                  the server's page holding the file's 4 KiB at offset (page-aligned),
 *                  read-only, into the caller's map_window: the file server as a pager
 *
 * A path is absolute ("/a/b"), FS_PATH_MAX bytes at most, without its NUL (FS_RENAME's
 * two are back to back, the new one at the old one's length); a name in
 * it is 1 to FS_NAME_MAX bytes; "." and ".." are names like any other (the server
 * resolves them from the disk's entries). A read or write moves at most FS_IO_MAX
 * bytes, from offset 0 of the page; offset FS_APPEND writes at the end of the file.
 * The file position is the client's (the libc's lseek): the server keeps none.
 *
 * The token: a capability to an endpoint the client made and never receives on. When
 * the client's task dies its endpoints die with it, and the server, which polls the
 * tokens of its sessions (on FS_CONNECT when the table fills, on its write-back timer,
 * and on FS_STATS), ends every session whose token is gone: its open files are closed
 * and its page taken back. The server never trusts a pid: it learns of a death from
 * the kernel, through the token.
 *
 * Errors (in MR0, negative): E_INVAL a malformed request (a length out of range, a
 * handle not open, words or items missing), E_NOENT, E_EXISTS, E_NOTDIR, E_ISDIR,
 * E_NOTEMPTY, E_NOSPC, E_ROFS (a file opened read-only written, or the disk mounted
 * read-only), E_NAMETOOLONG, E_CORRUPT (the disk's structures are damaged: the server
 * stops at the first field it cannot trust, and says so), E_IO (the block server
 * failed), E_FULL (too many sessions or open files), E_BADF (a stale session).
 */
#ifndef USER_FS_H
#define USER_FS_H

#include <stdint.h>

#define FS_NAME                 "fs"
#define FS_CLIENT_BUF           0x0000500000000000ul    /* where a client's page lands */
#define FS_IO_MAX               4096
#define FS_PATH_MAX             1023
#define FS_NAME_MAX             255
#define FS_APPEND               (~0ul)
/* How long a client waits for the server to register (names asked once a tick). A
 * guest that idles while the host does its disk I/O has its clock jump to the next
 * tick, so under a loaded host hundreds of ticks can pass while the server mounts:
 * the bound is generous, and costs nothing while the server is there. */
#define FS_LOOKUP_TICKS         3000

enum fs_request {
	FS_CONNECT = 1, FS_OPEN, FS_CLOSE, FS_READ, FS_WRITE, FS_TRUNCATE, FS_FSTAT,
	FS_STAT, FS_READDIR, FS_MKDIR, FS_UNLINK, FS_RMDIR, FS_RENAME, FS_SYNC, FS_STATS,
	FS_MAP,
};

/* Errors beyond abi/error.h's (E_IO is the block server's, block.h). */
#define E_IO                    (-20l)
#define E_NOTDIR                (-21l)
#define E_ISDIR                 (-22l)
#define E_NOTEMPTY              (-23l)
#define E_NOSPC                 (-24l)
#define E_ROFS                  (-25l)
#define E_NAMETOOLONG           (-26l)
#define E_CORRUPT               (-27l)
#define E_BADF                  (-28l)

/* Open flags: the access mode in the low two bits, as POSIX numbers them. */
#define O_RDONLY                0x0
#define O_WRONLY                0x1
#define O_RDWR                  0x2
#define O_ACCMODE               0x3
#define O_CREAT                 0x40
#define O_EXCL                  0x80
#define O_TRUNC                 0x200
#define O_APPEND                0x400
#define O_DIRECTORY             0x10000

/* File types of fs_stat.mode (ext2's, which are POSIX's) and of fs_dirent.type. */
#define FS_S_IFMT               0xf000
#define FS_S_IFREG              0x8000
#define FS_S_IFDIR              0x4000
#define FS_S_IFLNK              0xa000
#define FS_DT_UNKNOWN           0
#define FS_DT_REG               1
#define FS_DT_DIR               2

struct fs_stat {
	uint64_t ino;
	uint64_t size;
	uint32_t mode;                  /* type and permission bits */
	uint32_t links;
	uint64_t blocks;                /* 512-byte sectors the file holds, as ext2 counts */
	uint32_t mtime, ctime;
};

/* A directory entry in FS_READDIR's page: records back to back, each 8-byte aligned. */
struct fs_dirent {
	uint32_t ino;
	uint16_t reclen;                /* bytes from this record to the next */
	uint8_t type;                   /* FS_DT_* */
	uint8_t namelen;
	char name[];                    /* namelen bytes and a NUL */
};

/* What the server holds, for tests and `ps`-like tools (FS_STATS). */
struct fs_stats {
	uint32_t sessions;              /* live sessions */
	uint32_t open_files;            /* open handles, in every session */
	uint32_t cache_blocks;          /* the block cache's size */
	uint32_t cache_dirty;           /* blocks not yet written back */
	uint64_t cache_hits, cache_misses;
	uint64_t disk_reads, disk_writes;       /* block server calls */
	uint64_t sessions_reaped;       /* sessions ended because their client died */
	uint64_t block_size, blocks, free_blocks, inodes, free_inodes;
	uint64_t map_fills;             /* FS_MAP pages filled from the cache */
};

/*
 * The client stubs (user/lib/fs_client.c): a connection is one session, one page at
 * `window` (page-aligned, a page nothing else of the caller's address space uses), one
 * capability. Each stub copies between the caller's memory and the page, so callers
 * never see the page; the stubs hold c->lock for the length of a call, so the threads
 * of one address space may share a connection. Every stub returns a value >= 0 or a
 * negative error (above).
 */
struct fs_conn {
	long session;                   /* the session's capability, 0 before connect */
	long token;                     /* the endpoint whose death ends the session */
	char *page;                     /* the server's page, at the window */
	volatile int lock;
};

long fs_connect(struct fs_conn *c, long names_slot, void *window);
/* A handle (>= 0) for the file at path; *size (if not NULL) its size when opened. */
long fs_open(struct fs_conn *c, const char *path, unsigned flags, uint64_t *size);
long fs_close(struct fs_conn *c, long handle);
/* Up to len bytes (any length: FS_IO_MAX a call) at offset into buf; bytes read. */
long fs_read(struct fs_conn *c, long handle, uint64_t offset, void *buf, unsigned long len);
/* len bytes at offset (FS_APPEND: at the end); bytes written; *end (if not NULL) the
 * offset just after the last byte written. */
long fs_write(struct fs_conn *c, long handle, uint64_t offset, const void *buf,
	      unsigned long len, uint64_t *end);
long fs_truncate(struct fs_conn *c, long handle, uint64_t size);
long fs_fstat(struct fs_conn *c, long handle, struct fs_stat *st);
long fs_stat(struct fs_conn *c, const char *path, struct fs_stat *st);
/* Directory records from *cookie on (0: the first), at most max bytes into buf; bytes
 * put there (0: the end), *cookie advanced past them. */
long fs_readdir(struct fs_conn *c, long handle, uint64_t *cookie, void *buf,
		unsigned long max);
long fs_mkdir(struct fs_conn *c, const char *path);
long fs_unlink(struct fs_conn *c, const char *path);
long fs_rmdir(struct fs_conn *c, const char *path);
long fs_rename(struct fs_conn *c, const char *from, const char *to);
long fs_sync(struct fs_conn *c);
long fs_stats(struct fs_conn *c, struct fs_stats *st);
/* FS_MAP: the file's page at offset mapped read-only at window (a page-aligned address
 * of the caller's, nothing mapped there). */
long fs_map(struct fs_conn *c, long handle, uint64_t offset, void *window);

/*
 * Mapped files (user/lib/fs_mmap.c, a process's): path's bytes readable at addr (page
 * aligned) for len bytes, each page brought in by the file server when a thread of
 * fs_thread_spawn's first touches it. Read-only; a write there stops the thread.
 */
long fs_mmap(const char *path, void *addr, unsigned long len);
/* A thread whose faults the mapper serves (mapped files) or passes to the pm; its slot. */
long fs_thread_spawn(void (*fn)(unsigned long), unsigned long arg, void *stack,
		     unsigned long size);
/* Faults the file server answered so far. */
unsigned long fs_mmap_faults(void);

#endif
