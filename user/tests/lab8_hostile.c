/**
 * @file
 * lab8_hostile.c — lab 8's hostile disks: the grader makes one field of the image wrong
 * (grade/engine/ext2corrupt.py), and the root walks the whole tree through the server.
 *
 * The one thing to know: the walk itself is bounded (depth, entries, bytes), so a loop
 * on the disk cannot make the scenario run for ever either; what is graded is that the
 * server says E_CORRUPT where it must, ends every request, and still answers after.
 */
#include <fs.h>
#include <minim.h>
#include <pm.h>
#include <proc.h>
#include <thread.h>
#include "utest.h"
#include "lab8.h"

struct walk {
	unsigned long entries, files, bytes, errors, corrupt;
};

static void walk_error(struct walk *w, long r)
{
	w->errors++;
	w->corrupt += r == E_CORRUPT;
}

/* Everything under dir (depth and counts bounded: a directory loop on the disk must
 * not make the walker run for ever either). */
static void walk_tree(struct walk *w, char *path, size_t len, unsigned depth)
{
	static uint8_t names[4096] __attribute__((aligned(8)));
	uint64_t size, cookie = 0;
	long h = fs_open(&conn, len ? path : "/", O_RDONLY | O_DIRECTORY, &size);
	if (h < 0) {
		walk_error(w, h);
		return;
	}
	for (unsigned calls = 0; calls < 64 && w->entries < 3000; calls++) {
		long n = fs_readdir(&conn, h, &cookie, names, sizeof(names));
		if (n <= 0) {
			if (n < 0)
				walk_error(w, n);
			break;
		}
		/* The records are copied out: the recursion below reuses the buffer. */
		static char todo[8][FS_NAME_MAX + 1];
		unsigned dirs = 0;
		for (long at = 0; at < n && w->entries < 3000;) {
			struct fs_dirent *d = (struct fs_dirent *)(names + at);
			at += d->reclen;
			w->entries++;
			if ((d->namelen == 1 && d->name[0] == '.') ||
			    (d->namelen == 2 && d->name[0] == '.' && d->name[1] == '.'))
				continue;
			if (len + 1 + d->namelen >= 512)
				continue;
			path[len] = '/';
			memcpy(path + len + 1, d->name, d->namelen + 1u);
			struct fs_stat st;
			long r = fs_stat(&conn, path, &st);
			if (r < 0) {
				walk_error(w, r);
			} else if ((st.mode & FS_S_IFMT) == FS_S_IFDIR) {
				if (depth < 8 && dirs < 8)
					memcpy(todo[dirs++], d->name, d->namelen + 1u);
			} else {
				uint64_t fsize;
				long f = fs_open(&conn, path, O_RDONLY, &fsize);
				w->files++;
				/* A short read is asked again from where it stopped: that is
				 * where the server says what is wrong. */
				for (uint64_t off = 0; f >= 0 && off < (256u << 10);) {
					long got = fs_read(&conn, f, off, io, sizeof(io));
					if (got < 0)
						walk_error(w, got);
					if (got <= 0)
						break;
					w->bytes += (unsigned long)got;
					off += (uint64_t)got;
				}
				if (f < 0)
					walk_error(w, f);
				else
					fs_close(&conn, f);
			}
			path[len] = 0;
		}
		for (unsigned i = 0; i < dirs; i++) {
			size_t add = strlen(todo[i]);
			path[len] = '/';
			memcpy(path + len + 1, todo[i], add + 1);
			walk_tree(w, path, len + 1 + add, depth + 1);
			path[len] = 0;
		}
	}
	fs_close(&conn, h);
}

/* files_hostile: the grader's image has one field made wrong (a kind of damage the
 * seed picks); the walk over everything must end, and the server must still answer. */
UTEST(files_hostile)
{
	struct challenge c = utest_challenge(bi);
	unsigned opens = (unsigned)challenge_range(&c, 5, 60);
	unsigned closes = (unsigned)challenge_range(&c, 0, opens - 1);
	fs_up(bi, NULL);
	if (conn.session <= 0) {
		printf("hostile: no file server to ask\n");
		return;
	}
	static char path[600];
	struct walk w = { 0 };
	path[0] = 0;
	walk_tree(&w, path, 0, 0);
	uint64_t size;
	long h = fs_open(&conn, "/new", O_WRONLY | O_CREAT, &size);
	long wr = h >= 0 ? fs_write(&conn, h, 0, "new\n", 4, NULL) : h;
	if (h >= 0)
		fs_close(&conn, h);
	/* And it still serves: the root directory opened a seeded number of times, each a
	 * handle of its own, some closed again: its table counts the rest. */
	unsigned opened = 0;
	long handles[60];
	for (unsigned i = 0; i < opens; i++)
		opened += (handles[i] = fs_open(&conn, "/", O_RDONLY | O_DIRECTORY, &size)) >= 0;
	for (unsigned i = 0; i < closes; i++)
		fs_close(&conn, handles[i]);
	struct fs_stats st = { 0 };
	long sr = fs_stats(&conn, &st);
	printf("hostile: %lu entries, %lu files read (%lu bytes), %lu errors, %lu of them "
	       "E_CORRUPT; a new file -> %s; the server still answers: %ld, %u opens, %u open\n",
	       w.entries, w.files, w.bytes, w.errors, w.corrupt,
	       h >= 0 && wr == 4 ? "written" : "refused", sr, opened, st.open_files);
}

