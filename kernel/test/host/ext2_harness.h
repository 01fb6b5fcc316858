/**
 * @file
 * ext2_harness.h — the file server's ext2 code (user/fs) run over a disk image in
 * memory, as ext2_fuzz.c (libFuzzer) and ext2_test.c (make unit) both drive it.
 *
 * The one thing to know: harness_run() is one whole session of a hostile disk — the
 * checked mount, a walk of the whole tree reading every file, then creating, writing,
 * cutting, renaming and removing, the sync, and a second mount of what was written —
 * and it judges only what must hold whatever the disk says: no operation leaves a
 * block pinned, no more than CACHE_PINS_MAX are pinned when the cache must find a
 * victim (so a cache of CACHE_MIN always has one: E_NOMEM is never an answer), a
 * read returns no more than it was asked and writes nothing past it, and readdir's
 * records are well formed. A broken rule calls harness_broken(), which the includer
 * defines (the fuzzer aborts, the unit test counts a failed check); crashes and
 * undefined behaviour are the sanitizers'. Every loop is bounded, as user/tests/
 * lab8_fs.c's walk is: depth 8, 8 directories entered per directory, 3,000 entries.
 */
#pragma once

#include <abi/error.h>
#include <fs.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "ext2.h"              /* user/fs, by -iquote */

#define HARNESS_PAGES           64              /* the largest cache a test asks for */
#define HARNESS_ENTRIES         3000
#define HARNESS_DEPTH           8
#define HARNESS_SUBDIRS         8
#define HARNESS_READ            (64u << 10)     /* bytes read from a file's start */
#define HARNESS_CANARY          64

static void harness_broken(const char *what, const char *where, long detail);

/* The device: the image's bytes, a whole block at a time, nothing past its end. */
struct memdisk {
	uint8_t *bytes;
	size_t size;
	uint32_t block_size;
	const struct cache *cache;      /* whose pins are counted at each transfer */
	uint64_t reads, writes;
	uint32_t transfers, fail_at;    /* transfer number fail_at fails (E_IO); 0: none */
};

struct harness {
	struct memdisk disk;
	struct cache cache;
	struct ext2 fs;
	unsigned entries, dirs, files, errors;
	uint64_t bytes;
	char file[FS_PATH_MAX + 1];     /* the first regular file the walk met */
	char dir[FS_PATH_MAX + 1];      /* the first subdirectory */
};

static uint8_t harness_pages[HARNESS_PAGES][CACHE_PAGE] __attribute__((aligned(CACHE_PAGE)));
static uint8_t harness_buf[HARNESS_READ + HARNESS_CANARY];

static unsigned harness_pins(const struct cache *c)
{
	unsigned pins = 0;
	for (uint32_t i = 0; i < c->count; i++)
		pins += c->slot[i].pins;
	return pins;
}

/* A transfer is where the cache has just chosen a victim (or syncs): the moment the
 * bound on pins is what makes a victim exist. */
static bool memdisk_transfer(struct memdisk *d, const char *what)
{
	if (d->cache && harness_pins(d->cache) > CACHE_PINS_MAX)
		harness_broken("more than CACHE_PINS_MAX blocks pinned at once", what,
			       harness_pins(d->cache));
	return ++d->transfers != d->fail_at;
}

static long memdisk_read(void *ctx, uint32_t block, void *page)
{
	struct memdisk *d = ctx;
	if (!memdisk_transfer(d, "read") ||
	    (uint64_t)block * d->block_size + d->block_size > d->size)
		return E_IO;
	memcpy(page, d->bytes + (size_t)block * d->block_size, d->block_size);
	d->reads++;
	return 0;
}

static long memdisk_write(void *ctx, uint32_t block, const void *page)
{
	struct memdisk *d = ctx;
	if (!memdisk_transfer(d, "write") ||
	    (uint64_t)block * d->block_size + d->block_size > d->size)
		return E_IO;
	memcpy(d->bytes + (size_t)block * d->block_size, page, d->block_size);
	d->writes++;
	return 0;
}

/* What every operation must leave behind, whatever it returned. */
static long harness_after(struct harness *h, const char *op, long r)
{
	if (harness_pins(&h->cache))
		harness_broken("a block left pinned", op, harness_pins(&h->cache));
	if (r == E_NOMEM)
		harness_broken("E_NOMEM: the cache ran out of victims", op, r);
	if (r < 0)
		h->errors++;
	return r;
}

/* The disk an input of `size` bytes stands for: whole 4 KiB pages, and as many as its
 * superblock's blocks_count asks (at most cap bytes), the rest zeros. So an input
 * need not carry the long run of zeros at an image's end: libFuzzer can cut it, and
 * mutate the bytes that matter faster. */
static size_t harness_disk_size(const uint8_t *data, size_t size, size_t cap)
{
	size_t disk = size < 4096 ? 4096 : (size + 4095) & ~(size_t)4095;
	if (size >= 1024 + 28) {
		uint32_t blocks, log;
		memcpy(&blocks, data + 1024 + 4, 4);
		memcpy(&log, data + 1024 + 24, 4);
		uint64_t want = log <= 2 ? (uint64_t)blocks << (10 + log) : 0;
		want = (want + 4095) & ~(uint64_t)4095;
		if (want > disk)
			disk = want < cap ? (size_t)want : cap;
	}
	return disk < cap || cap < 4096 ? disk : cap & ~(size_t)4095;
}

/* The checked mount of the image (size: a multiple of 4 KiB, at least 4 KiB) over a
 * cache of cache_blocks; 0 or the refusal. */
static long harness_mount(struct harness *h, uint8_t *image, size_t size,
			  uint32_t cache_blocks)
{
	*h = (struct harness){ .disk = { .bytes = image, .size = size } };
	long r = ext2_super_check(&h->fs, image, size);
	if (r)
		return r;
	h->disk.block_size = h->fs.block_size;
	struct cache_dev dev = { memdisk_read, memdisk_write, &h->disk };
	memset(harness_pages, 0, (size_t)cache_blocks * CACHE_PAGE);
	if ((r = cache_init(&h->cache, dev, h->fs.block_size, h->fs.sb.blocks_count,
			    cache_blocks, harness_pages[0])))
		return r;
	h->disk.cache = &h->cache;
	return harness_after(h, "ext2_mount", ext2_mount(&h->fs, &h->cache));
}

/* ext2_read of len bytes at off, judged: never more than asked or than the file
 * holds from off, nothing written past len. */
static long harness_read(struct harness *h, struct ext2_file *f, uint64_t off, uint32_t len)
{
	memset(harness_buf + len, 0xa5, HARNESS_CANARY);
	long r = harness_after(h, "ext2_read", ext2_read(&h->fs, f, off, harness_buf, len));
	uint64_t size = ext2_size(&h->fs, &f->in);
	if (r > (long)len || (r > 0 && (off >= size || (uint64_t)r > size - off)))
		harness_broken("ext2_read returned more than asked or than the file holds",
			       "ext2_read", r);
	for (unsigned i = 0; i < HARNESS_CANARY; i++)
		if (harness_buf[len + i] != 0xa5)
			harness_broken("ext2_read wrote past the bytes asked", "ext2_read", i);
	if (r > 0)
		h->bytes += (uint64_t)r;
	return r;
}

/* A file's first HARNESS_READ bytes, in pieces that cross blocks, and its last 4 KiB
 * (where a large or lying size puts the deepest indirect blocks). */
static void harness_read_file(struct harness *h, struct ext2_file *f)
{
	uint64_t size = ext2_size(&h->fs, &f->in);
	for (uint64_t off = 0; off < HARNESS_READ && off < size;) {
		long r = harness_read(h, f, off, 5000);
		if (r <= 0)
			break;
		off += (uint64_t)r;
	}
	if (size > HARNESS_READ)
		harness_read(h, f, size - 4096, 4096);
	harness_read(h, f, size, 16);           /* at the end: 0 bytes */
}

/* Every record of one readdir answer of n bytes: whole, named, in order. */
static bool harness_records_ok(struct harness *h, const uint8_t *buf, long n, uint32_t max)
{
	if (n > (long)max) {
		harness_broken("readdir returned more than its buffer", "ext2_readdir", n);
		return false;
	}
	for (long at = 0; at < n;) {
		const struct fs_dirent *d = (const struct fs_dirent *)(buf + at);
		if (n - at < (long)sizeof(*d) || d->reclen % 8 ||
		    d->reclen < sizeof(*d) + d->namelen + 1u || d->reclen > n - at ||
		    d->name[d->namelen] != 0 || d->ino == 0 || d->ino > h->fs.sb.inodes_count) {
			harness_broken("a malformed readdir record", "ext2_readdir", at);
			return false;
		}
		at += d->reclen;
	}
	return true;
}

/* The tree below path (len bytes of it; "" is the root), as lab8_fs.c walks it. */
static void harness_walk(struct harness *h, char *path, size_t len, unsigned depth)
{
	struct ext2_file dir;
	if (harness_after(h, "ext2_walk", ext2_walk(&h->fs, len ? path : "/", &dir)))
		return;
	h->dirs++;
	uint8_t names[4096] __attribute__((aligned(8)));
	char todo[HARNESS_SUBDIRS][FS_NAME_MAX + 1];
	unsigned subdirs = 0;
	uint64_t pos = 0;
	for (unsigned calls = 0; calls < 64 && h->entries < HARNESS_ENTRIES; calls++) {
		/* A buffer of odd size, so that a record sometimes does not fit. */
		uint32_t max = calls % 2 ? 300 : sizeof(names);
		long n = harness_after(h, "ext2_readdir",
				       ext2_readdir(&h->fs, &dir, &pos, names, max));
		if (n <= 0 || !harness_records_ok(h, names, n, max))
			break;
		for (long at = 0; at < n && h->entries < HARNESS_ENTRIES;) {
			const struct fs_dirent *d = (const struct fs_dirent *)(names + at);
			at += d->reclen;
			h->entries++;
			if ((d->namelen == 1 && d->name[0] == '.') ||
			    (d->namelen == 2 && d->name[0] == '.' && d->name[1] == '.') ||
			    len + 1 + d->namelen > FS_PATH_MAX)
				continue;
			path[len] = '/';
			memcpy(path + len + 1, d->name, d->namelen + 1u);
			struct ext2_file f;
			if (harness_after(h, "ext2_walk", ext2_walk(&h->fs, path, &f)) == 0) {
				if ((f.in.mode & EXT2_S_IFMT) == EXT2_S_IFDIR) {
					if (!h->dir[0])
						memcpy(h->dir, path, len + 2 + d->namelen);
					if (depth < HARNESS_DEPTH && subdirs < HARNESS_SUBDIRS)
						memcpy(todo[subdirs++], d->name, d->namelen + 1u);
				} else {
					if (!h->file[0] && (f.in.mode & EXT2_S_IFMT) == EXT2_S_IFREG)
						memcpy(h->file, path, len + 2 + d->namelen);
					h->files++;
					harness_read_file(h, &f);
				}
			}
			path[len] = 0;
		}
	}
	for (unsigned i = 0; i < subdirs && h->entries < HARNESS_ENTRIES; i++) {
		size_t add = strlen(todo[i]);
		path[len] = '/';
		memcpy(path + len + 1, todo[i], add + 1);
		harness_walk(h, path, len + 1 + add, depth + 1);
		path[len] = 0;
	}
}

/* Unlinks path and frees its inode, as the server does when nobody has it open. */
static long harness_remove(struct harness *h, const char *path, bool dir)
{
	uint32_t ino = 0;
	long r = harness_after(h, "ext2_unlink", ext2_unlink(&h->fs, path, dir, &ino));
	if (r == 0)
		r = harness_after(h, "ext2_release", ext2_release(&h->fs, ino));
	return r;
}

/* ext2_write judged: never more than asked. */
static long harness_write(struct harness *h, struct ext2_file *f, uint64_t off,
			  const void *buf, uint32_t len)
{
	long r = harness_after(h, "ext2_write", ext2_write(&h->fs, f, off, buf, len));
	if (r > (long)len)
		harness_broken("ext2_write wrote more than asked", "ext2_write", r);
	return r;
}

/* What a client changes: new names and data, then the walk's first file and
 * directory (the disk's own, hostile block maps and records) cut, moved, removed. */
static void harness_writes(struct harness *h)
{
	struct ext2 *fs = &h->fs;
	static uint8_t data[6000];
	for (unsigned i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + 3);
	struct ext2_file f;
	if (harness_after(h, "ext2_create", ext2_create(fs, "/fz.new", true, &f)) == 0) {
		harness_write(h, &f, 0, data, 3000);
		/* Past the direct blocks: an indirect block too. */
		harness_write(h, &f, (uint64_t)(EXT2_NDIR + 1) * fs->block_size + 100, data,
			      1500);
		harness_read_file(h, &f);
		harness_after(h, "ext2_truncate", ext2_truncate(fs, &f, 1000));
		harness_write(h, &f, 2000, data, sizeof(data));
	}
	harness_after(h, "ext2_mkdir", ext2_mkdir(fs, "/fz.dir"));
	harness_after(h, "ext2_create", ext2_create(fs, "/fz.dir/in", false, &f));
	harness_after(h, "ext2_rename", ext2_rename(fs, "/fz.new", "/fz.dir/moved"));
	harness_remove(h, "/fz.dir", true);     /* not empty: refused */
	harness_remove(h, "/fz.dir/moved", false);
	harness_remove(h, "/fz.dir/in", false);
	harness_remove(h, "/fz.dir", true);
	if (h->file[0] && harness_after(h, "ext2_walk", ext2_walk(fs, h->file, &f)) == 0) {
		harness_after(h, "ext2_truncate",
			      ext2_truncate(fs, &f, ext2_size(fs, &f.in) / 2));
		harness_write(h, &f, ext2_size(fs, &f.in), data, 700);
		harness_remove(h, h->file, false);
	}
	if (h->dir[0]) {
		char to[FS_PATH_MAX + 1];
		const char *slash = strrchr(h->dir, '/');
		int n = snprintf(to, sizeof(to), "%.*s/fz.ren", (int)(slash - h->dir), h->dir);
		if (n > 0 && (size_t)n < sizeof(to) &&
		    harness_after(h, "ext2_rename", ext2_rename(fs, h->dir, to)) == 0)
			harness_remove(h, to, true);
		else
			harness_remove(h, h->dir, true);
	}
	harness_after(h, "cache_sync", cache_sync(&h->cache));
}

/* One whole session over the image (size as harness_mount says): mount, walk and
 * read, write (a disk mounted read-only must refuse it all and change nothing), sync,
 * and mount and walk again what the first one left. The image's first two bytes
 * (the boot sector's: no ext2 structure is there) say which device transfer of the
 * first mount fails with E_IO, 0 none, so the fuzzer tries every error path too. */
static uint32_t harness_transfers;      /* of the last session's first mount, after it */

static void harness_run(uint8_t *image, size_t size, uint32_t cache_blocks)
{
	static struct harness h;
	static char path[FS_PATH_MAX + 2];
	harness_transfers = 0;
	uint16_t fail_at;
	memcpy(&fail_at, image, sizeof(fail_at));
	if (harness_mount(&h, image, size, cache_blocks))
		return;
	h.disk.fail_at = fail_at;
	h.disk.transfers = 0;
	path[0] = 0;
	harness_walk(&h, path, 0, 0);
	harness_writes(&h);
	if (h.fs.readonly && (h.cache.dirty || h.disk.writes))
		harness_broken("a disk mounted read-only was changed", "harness_writes",
			       (long)h.cache.dirty);
	harness_transfers = h.disk.transfers;
	if (harness_mount(&h, image, size, cache_blocks))
		return;
	path[0] = 0;
	harness_walk(&h, path, 0, 0);
}
