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
	unsigned long entries, files, bytes, errors, corrupt, nomem;
};

static void walk_error(struct walk *w, long r)
{
	w->errors++;
	w->corrupt += r == E_CORRUPT;
	w->nomem += r == E_NOMEM;       /* the cache out of victims: blocks left pinned */
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

/* A new file made, then the root directory opened `opens` times and `closes` of them
 * closed: what came of it, the end of the scenario's last line, into out. */
static void still_serves(char *out, size_t max, unsigned opens, unsigned closes)
{
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
	snprintf(out, max, "a new file -> %s; the server still answers: %ld, %u opens, %u open",
		 h >= 0 && wr == 4 ? "written" : "refused", sr, opened, st.open_files);
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
	still_serves(path, sizeof(path), opens, closes);
	printf("hostile: %lu entries, %lu files read (%lu bytes), %lu errors, %lu of them "
	       "E_CORRUPT; %s\n", w.entries, w.files, w.bytes, w.errors, w.corrupt, path);
}

/* The root's directories, sorted by name (at most 16): *n of them into names. */
static void top_dirs(char names[16][FS_NAME_MAX + 1], unsigned *n)
{
	static uint8_t buf[4096] __attribute__((aligned(8)));
	uint64_t size, cookie = 0;
	long h = fs_open(&conn, "/", O_RDONLY | O_DIRECTORY, &size), got;
	*n = 0;
	while (h >= 0 && (got = fs_readdir(&conn, h, &cookie, buf, sizeof(buf))) > 0) {
		for (long at = 0; at < got; at += ((struct fs_dirent *)(buf + at))->reclen) {
			struct fs_dirent *d = (struct fs_dirent *)(buf + at);
			if (d->type != FS_DT_DIR || d->name[0] == '.' || *n == 16)
				continue;
			unsigned i = (*n)++;
			for (; i > 0 && strcmp(names[i - 1], d->name) > 0; i--)
				memcpy(names[i], names[i - 1], FS_NAME_MAX + 1);
			memcpy(names[i], d->name, d->namelen + 1u);
		}
	}
	if (h >= 0)
		fs_close(&conn, h);
}

/* files_hostile_each: the grader's image has one directory per kind of damage, named
 * after it, with the damage inside: each is walked alone, so every kind must be
 * found, then all again a seeded number of times through the smallest cache: the
 * answers must not change (a block left pinned by a refused request would). */
UTEST(files_hostile_each)
{
	struct challenge c = utest_challenge(bi);
	unsigned opens = (unsigned)challenge_range(&c, 5, 60);
	unsigned closes = (unsigned)challenge_range(&c, 0, opens - 1);
	unsigned again = (unsigned)challenge_range(&c, 8, 16);
	fs_up(bi, "cache=16");
	if (conn.session <= 0) {
		printf("hostile: no file server to ask\n");
		return;
	}
	static char names[16][FS_NAME_MAX + 1], path[600];
	static struct walk first[16];
	unsigned n;
	top_dirs(names, &n);
	for (unsigned i = 0; i < n; i++) {
		size_t len = (size_t)snprintf(path, sizeof(path), "/%s", names[i]);
		walk_tree(&first[i], path, len, 0);
		printf("hostile: /%s: %lu entries, %lu files read (%lu bytes), %lu errors, %lu "
		       "of them E_CORRUPT, %lu E_NOMEM\n", names[i], first[i].entries,
		       first[i].files, first[i].bytes, first[i].errors, first[i].corrupt,
		       first[i].nomem);
	}
	unsigned same = 0;
	for (unsigned r = 0; r < again; r++) {
		for (unsigned i = 0; i < n; i++) {
			struct walk w = { 0 };
			size_t len = (size_t)snprintf(path, sizeof(path), "/%s", names[i]);
			walk_tree(&w, path, len, 0);
			same += memcmp(&w, &first[i], sizeof(w)) == 0;
		}
	}
	printf("hostile: %u directories walked %u more times: the same answers each time: %s\n",
	       n, again, same == n * again ? "yes" : "no");
	still_serves(path, sizeof(path), opens, closes);
	printf("hostile: %s\n", path);
}
