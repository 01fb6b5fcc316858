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
#include "lab8.h"

#define VIRTIO_VENDOR   0x1af4
#define VIRTIO_BLK      0x1042

long pm_ep;
struct fs_conn conn;

/* The pm, the block server and the file server (args: its own, e.g. "cache=200"),
 * and our connection to it. */
void fs_up(const struct boot_info_page *bi, const char *arg)
{
	pm_ep = pm_start(bi);
	UCHECK(pm_ep > 0);
	UCHECK(sigma0_io_ports(bi->sigma0_slot, IO_FPAGE(PCI_CONFIG_PORT, 3)) == 8);
	pci_addr f = pci_find(VIRTIO_VENDOR, VIRTIO_BLK);
	UCHECK(f != PCI_NONE);
	long irq = sys_irq_control(bi->irq_control_slot, pci_read8(f, PCI_INTERRUPT_LINE));
	UCHECK(irq > 0);
	const char *bargv[] = { "bin/blk", NULL };
	long caps[2] = { bi->sigma0_slot, irq };
	unsigned rights[2] = { RIGHT_SEND, RIGHT_CONTROL };
	UCHECK(pm_supervise(pm_ep, bargv, 0, caps, rights, 2) > 0);
	const char *fargv[] = { "bin/fs", arg, NULL };
	UCHECK(pm_spawn(pm_ep, fargv, 0, NULL, NULL, 0) > 0);
	long names = pm_names_slot();
	long r = E_NOENT;
	for (int t = 0; t < FS_LOOKUP_TICKS && r != 0; t++) {
		r = fs_connect(&conn, names, (void *)FS_CLIENT_BUF);
		if (r != 0)
			utest_sleep_ticks(1);
	}
	printf("fs: connected -> %ld\n", r);
}

/* Byte i of the seeded content `key` (the grader's content()): word i / 8 of the
 * sequence of key ^ (i / 8), so any part can be made without the rest. */
static uint8_t content_byte(uint64_t key, uint64_t i)
{
	struct challenge w = { key ^ (i / 8) };
	return (uint8_t)(challenge_next(&w) >> (8 * (i % 8)));
}

void content(uint64_t key, uint64_t off, uint8_t *buf, size_t n)
{
	for (size_t i = 0; i < n; i++)
		buf[i] = content_byte(key, off + i);
}

/* A digest of a file's bytes as they come (grade/lab8.py's file_digest): the bytes
 * packed little-endian into words, the last padded with zeros, then the length. */
struct file_digest {
	uint64_t h, word, n;
};

static void fd_add(struct file_digest *d, const uint8_t *buf, size_t len)
{
	for (size_t i = 0; i < len; i++, d->n++) {
		d->word |= (uint64_t)buf[i] << (8 * (d->n % 8));
		if (d->n % 8 == 7) {
			d->h = digest_add(d->h, d->word);
			d->word = 0;
		}
	}
}

static uint64_t fd_end(struct file_digest *d)
{
	if (d->n % 8)
		d->h = digest_add(d->h, d->word);
	return digest_add(d->h, d->n);
}

uint8_t io[16384] __attribute__((aligned(4096)));

/* Reads the whole file at path in chunks of seeded sizes; its digest line. */
static void read_whole(struct challenge *c, const char *path)
{
	uint64_t size = 0;
	long h = fs_open(&conn, path, O_RDONLY, &size);
	struct file_digest d = { DIGEST_START, 0, 0 };
	long n = 0;
	uint64_t at = 0;
	/* Bounded by the size: a read that says it gave bytes past the end must not make
	 * the loop run for ever. */
	while (h >= 0 && at <= size) {
		unsigned long want = challenge_range(c, 1, sizeof(io));
		n = fs_read(&conn, h, at, io, want);
		if (n <= 0)
			break;
		fd_add(&d, io, (size_t)n);
		at += (uint64_t)n;
	}
	struct fs_stat st = { 0 };
	long sr = h >= 0 ? fs_fstat(&conn, h, &st) : h;
	long cr = h >= 0 ? fs_close(&conn, h) : h;
	printf("read: %s: open -> %ld, %lu bytes (size %lu, stat %ld: %lu), last read %ld, "
	       "digest %lx; close -> %ld\n", path, h >= 0 ? 0 : h, (unsigned long)at,
	       (unsigned long)size, sr, (unsigned long)st.size, n, fd_end(&d), cr);
}

/* files_read: the grader's files (sizes and contents from the seed), read back whole. */
UTEST(files_read)
{
	struct challenge c = utest_challenge(bi);
	unsigned files = (unsigned)challenge_range(&c, 6, 9);
	for (unsigned i = 0; i < files; i++) {
		challenge_next(&c);     /* the grader's key and size of file i */
		challenge_next(&c);
	}
	fs_up(bi, NULL);
	char path[32];
	for (unsigned i = 0; i < files; i++) {
		snprintf(path, sizeof(path), "/data/f%u", i);
		read_whole(&c, path);
	}
	uint64_t size;
	long r1 = fs_open(&conn, "/data/none", O_RDONLY, &size);
	long r2 = fs_open(&conn, "/data/f0/x", O_RDONLY, &size);
	long r3 = fs_open(&conn, "/data", O_RDWR, &size);
	printf("read: a missing file -> %ld, a file as a directory -> %ld, a directory for "
	       "writing -> %ld\n", r1, r2, r3);
}

/* Writes content(key) of `size` bytes to path in chunks of seeded sizes. */
static void write_whole(struct challenge *c, const char *path, uint64_t key, uint64_t size)
{
	uint64_t dummy;
	long h = fs_open(&conn, path, O_WRONLY | O_CREAT | O_TRUNC, &dummy);
	uint64_t at = 0;
	long n = 0;
	while (h >= 0 && at < size) {
		unsigned long want = challenge_range(c, 1, sizeof(io));
		if (want > size - at)
			want = (unsigned long)(size - at);
		content(key, at, io, want);
		n = fs_write(&conn, h, at, io, want, NULL);
		if (n <= 0)
			break;
		at += (uint64_t)n;
	}
	long cr = h >= 0 ? fs_close(&conn, h) : h;
	printf("write: %s: open -> %ld, %lu bytes written (last %ld); close -> %ld\n", path,
	       h >= 0 ? 0 : h, (unsigned long)at, n, cr);
}

/* files_write's appends draw from a sequence of their own, of keys[0] ^ this. */
#define APPEND_SALT     0xa99e4dul

/* files_write: files of 0 B, 1 B, 1 KiB, 12 KiB + 1 (the first indirect block), 300 KiB
 * (double indirect) and a seeded size, synced; the grader reads them on the host. */
UTEST(files_write)
{
	struct challenge c = utest_challenge(bi);
	static const uint64_t sizes[] = { 0, 1, 1024, 12 * 1024 + 1, 300 * 1024, 0 };
	uint64_t keys[6];
	for (unsigned i = 0; i < 6; i++)
		keys[i] = challenge_next(&c);
	uint64_t last = challenge_range(&c, 2, 80000);
	fs_up(bi, NULL);
	UCHECK_EQ(fs_mkdir(&conn, "/out"), 0);
	char path[32];
	for (unsigned i = 0; i < 6; i++) {
		snprintf(path, sizeof(path), "/out/w%u", i);
		write_whole(&c, path, keys[i], i == 5 ? last : sizes[i]);
	}
	/* And read back through the cache before the disk has them. */
	for (unsigned i = 0; i < 6; i++) {
		snprintf(path, sizeof(path), "/out/w%u", i);
		read_whole(&c, path);
	}
	/* Appends (FS_APPEND), each of a seeded size up to four pages: every piece lands
	 * at the end, and the stub says where that end is. */
	struct challenge ac = { keys[0] ^ APPEND_SALT };
	uint64_t akey = challenge_next(&ac), total = 0, ends[3] = { 0 }, dummy;
	long ah = fs_open(&conn, "/out/app", O_WRONLY | O_CREAT, &dummy), put = 0;
	for (unsigned i = 0; i < 3 && ah >= 0; i++) {
		unsigned long n = challenge_range(&ac, 1, sizeof(io));
		content(akey, total, io, n);
		put += fs_write(&conn, ah, FS_APPEND, io, n, &ends[i]);
		total += n;
	}
	fs_close(&conn, ah);
	printf("write: /out/app: 3 appends put %ld bytes, ending at %lu, %lu and %lu\n", put,
	       (unsigned long)ends[0], (unsigned long)ends[1], (unsigned long)ends[2]);
	printf("write: sync -> %ld\n", fs_sync(&conn));
}

/* The n files of files_many, made from the names and contents c draws; how many were. */
static unsigned many_make(struct challenge *c, unsigned n)
{
	char path[48];
	unsigned made = 0;
	for (unsigned i = 0; i < n; i++) {
		uint64_t name = challenge_next(c), key = challenge_next(c);
		unsigned size = (unsigned)challenge_range(c, 0, 64);
		snprintf(path, sizeof(path), "/many/n%lx", (unsigned long)(name >> (name % 48)));
		uint64_t dummy;
		long h = fs_open(&conn, path, O_WRONLY | O_CREAT | O_EXCL, &dummy);
		content(key, 0, io, size);
		if (h >= 0 && fs_write(&conn, h, 0, io, size, NULL) == (long)size)
			made++;
		fs_close(&conn, h);
	}
	return made;
}

struct listing {
	unsigned long entries, regular, bytes;
};

static struct listing many_list(void)
{
	struct listing l = { 0 };
	uint64_t dummy, cookie = 0;
	long h = fs_open(&conn, "/many", O_RDONLY | O_DIRECTORY, &dummy);
	long got;
	while ((got = fs_readdir(&conn, h, &cookie, io, sizeof(io))) > 0) {
		for (long at = 0; at < got;) {
			struct fs_dirent *d = (struct fs_dirent *)(io + at);
			l.entries++;
			l.regular += d->type == FS_DT_REG;
			l.bytes += d->namelen;
			at += d->reclen;
		}
	}
	fs_close(&conn, h);
	return l;
}

/* files_many: many files in one directory, each found again by its name; then all
 * unlinked (a block's first record stays, unused) and made again into the same room. */
UTEST(files_many)
{
	struct challenge c = utest_challenge(bi);
	unsigned n = (unsigned)challenge_range(&c, 150, 300);
	fs_up(bi, NULL);
	UCHECK_EQ(fs_mkdir(&conn, "/many"), 0);
	struct challenge names = c, gone = c, again = c;
	char path[48];
	unsigned made = many_make(&c, n), wrong = 0;
	struct listing l = many_list();
	for (unsigned i = 0; i < n; i++) {
		uint64_t name = challenge_next(&names), key = challenge_next(&names);
		unsigned size = (unsigned)challenge_range(&names, 0, 64);
		snprintf(path, sizeof(path), "/many/n%lx", (unsigned long)(name >> (name % 48)));
		uint64_t len = ~0ull;
		long f = fs_open(&conn, path, O_RDONLY, &len);
		long r = f >= 0 ? fs_read(&conn, f, 0, io, sizeof(io)) : f;
		uint8_t want[64];
		content(key, 0, want, size);
		wrong += len != size || r != (long)size || memcmp(io, want, size) != 0;
		fs_close(&conn, f);
	}
	printf("many: %u of %u made; readdir: %lu entries (%lu files), %lu bytes of names; %u "
	       "read back wrong; sync -> %ld\n", made, n, l.entries, l.regular, l.bytes, wrong,
	       fs_sync(&conn));
	struct fs_stat before = { 0 }, after = { 0 };
	fs_stat(&conn, "/many", &before);
	unsigned unlinked = 0;
	for (unsigned i = 0; i < n; i++) {
		uint64_t name = challenge_next(&gone);
		challenge_next(&gone);
		challenge_range(&gone, 0, 64);
		snprintf(path, sizeof(path), "/many/n%lx", (unsigned long)(name >> (name % 48)));
		unlinked += fs_unlink(&conn, path) == 0;
	}
	struct listing empty = many_list();
	made = many_make(&again, n);
	l = many_list();
	fs_stat(&conn, "/many", &after);
	printf("many: %u unlinked, %lu entries left; %u made again; readdir: %lu entries; the "
	       "directory's size the same: %s; sync -> %ld\n", unlinked, empty.entries, made,
	       l.entries, before.size && before.size == after.size ? "yes" : "no",
	       fs_sync(&conn));
}

/* files_dirs: directories made, refused, renamed within and removed, with the
 * errors a Unix user expects. */
UTEST(files_dirs)
{
	struct challenge c = utest_challenge(bi);
	uint64_t key = challenge_next(&c);
	unsigned size = (unsigned)challenge_range(&c, 1, 3000);
	fs_up(bi, NULL);
	long a = fs_mkdir(&conn, "/a");
	long again = fs_mkdir(&conn, "/a");
	long b = fs_mkdir(&conn, "/a/b");
	uint64_t dummy;
	long h = fs_open(&conn, "/a/b/x", O_RDWR | O_CREAT, &dummy);
	content(key, 0, io, size);
	long w = fs_write(&conn, h, 0, io, size, NULL);
	fs_close(&conn, h);
	printf("dirs: mkdir /a -> %ld, again -> %ld, /a/b -> %ld; /a/b/x: wrote %ld\n", a,
	       again, b, w);
	long r1 = fs_rmdir(&conn, "/a");
	long r2 = fs_unlink(&conn, "/a");
	long r3 = fs_rmdir(&conn, "/a/b/x");
	long r4 = fs_open(&conn, "/a/b/x/y", O_RDONLY, &dummy);
	long r5 = fs_mkdir(&conn, "/nowhere/x");
	printf("dirs: rmdir /a -> %ld, unlink /a -> %ld, rmdir a file -> %ld, a file as a "
	       "directory -> %ld, mkdir in nothing -> %ld\n", r1, r2, r3, r4, r5);
	long m1 = fs_rename(&conn, "/a/b/x", "/a/b/y");
	long m2 = fs_open(&conn, "/a/b/x", O_RDONLY, &dummy);
	long m3 = fs_mkdir(&conn, "/a/c");
	long m4 = fs_rename(&conn, "/a/c", "/a/d");
	long m5 = fs_rmdir(&conn, "/a/d");
	printf("dirs: rename x -> y %ld, x then -> %ld; mkdir /a/c -> %ld, rename to /a/d -> "
	       "%ld, rmdir -> %ld\n", m1, m2, m3, m4, m5);
	static char longname[300];
	memset(longname, 'n', sizeof(longname) - 1);
	longname[0] = '/';
	longname[257] = 0;
	struct fs_stat st = { 0 };
	long s1 = fs_stat(&conn, "/a", &st);
	long n1 = fs_mkdir(&conn, longname);
	long n2 = fs_mkdir(&conn, "/a/..");
	long n3 = fs_unlink(&conn, "/a/b/.");
	printf("dirs: stat /a -> %ld: %u links; a 256-byte name -> %ld, mkdir /a/.. -> %ld, "
	       "unlink /a/b/. -> %ld\n", s1, st.links, n1, n2, n3);
	read_whole(&c, "/a/b/y");
	printf("dirs: sync -> %ld\n", fs_sync(&conn));
}

/* The free counts, from the server. */
static void free_now(uint64_t *blocks, uint64_t *inodes)
{
	struct fs_stats st = { 0 };
	UCHECK_EQ(fs_stats(&conn, &st), 0);
	*blocks = st.free_blocks;
	*inodes = st.free_inodes;
}

/* files_unlink: files written then unlinked give back exactly their blocks and
 * inodes, indirect blocks included. */
UTEST(files_unlink)
{
	struct challenge c = utest_challenge(bi);
	unsigned n = (unsigned)challenge_range(&c, 3, 6);
	fs_up(bi, NULL);
	uint64_t b0, i0, b1, i1, b2, i2;
	free_now(&b0, &i0);
	UCHECK_EQ(fs_mkdir(&conn, "/t"), 0);
	char path[32];
	for (unsigned i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "/t/u%u", i);
		uint64_t key = challenge_next(&c), size = challenge_range(&c, 0, 400 * 1024);
		write_whole(&c, path, key, size);
	}
	free_now(&b1, &i1);
	for (unsigned i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "/t/u%u", i);
		UCHECK_EQ(fs_unlink(&conn, path), 0);
	}
	long rd = fs_rmdir(&conn, "/t");
	free_now(&b2, &i2);
	printf("unlink: the files and /t took %lu blocks and %lu inodes; rmdir -> %ld; after: "
	       "%ld blocks and %ld inodes more than before; sync -> %ld\n",
	       (unsigned long)(b0 - b1), (unsigned long)(i0 - i1), rd, (long)(b2 - b0),
	       (long)(i2 - i0), fs_sync(&conn));
}

/* files_cache: a 2 MiB file through a cache of 200 blocks, read back at random. */
UTEST(files_cache)
{
	struct challenge c = utest_challenge(bi);
	uint64_t key = challenge_next(&c);
	unsigned reads = (unsigned)challenge_range(&c, 200, 400);
	fs_up(bi, "cache=200");
	const uint64_t size = 2u << 20;
	uint64_t dummy;
	long h = fs_open(&conn, "/big", O_RDWR | O_CREAT, &dummy);
	long bad = 0;
	for (uint64_t at = 0; at < size; at += sizeof(io)) {
		content(key, at, io, sizeof(io));
		bad += fs_write(&conn, h, at, io, sizeof(io), NULL) != (long)sizeof(io);
	}
	long sy = fs_sync(&conn);
	struct fs_stats before = { 0 }, after = { 0 };
	fs_stats(&conn, &before);
	static uint8_t want[4096];
	unsigned wrong = 0;
	for (unsigned i = 0; i < reads; i++) {
		uint64_t at = challenge_range(&c, 0, size - 4096);
		long r = fs_read(&conn, h, at, io, 4096);
		content(key, at, want, 4096);
		wrong += r != 4096 || memcmp(io, want, 4096) != 0;
	}
	fs_stats(&conn, &after);
	/* A hot set (the first 32 KiB) read between streams of blocks read once: the clock
	 * keeps what is used again (its bit is set again before the hand comes round), so
	 * after two rounds the hot reads miss rarely (when nearly every bit is set, the
	 * clock is FIFO for a turn: a few times in twenty rounds); a cache that forgets the
	 * second chance throws the hot blocks out with the stream, several a round. */
	unsigned long hot_misses = 0, rounds = challenge_range(&c, 20, 30);
	uint64_t stream = 64u << 10;
	for (unsigned long round = 0; round < rounds; round++) {
		struct fs_stats a = { 0 }, b = { 0 };
		fs_stats(&conn, &a);
		for (uint64_t at = 0; at < (32u << 10); at += 4096)
			wrong += fs_read(&conn, h, at, io, 4096) != 4096;
		fs_stats(&conn, &b);
		if (round >= 2)
			hot_misses += b.cache_misses - a.cache_misses;
		for (unsigned i = 0; i < 10; i++, stream += 4096) {
			if (stream + 4096 > size)
				stream = 64u << 10;
			wrong += fs_read(&conn, h, stream, io, 4096) != 4096;
		}
	}
	fs_close(&conn, h);
	printf("cache: 2 MiB written (%ld short), sync -> %ld; %u reads at random, %u wrong; "
	       "the cache holds %u blocks and missed more than that: %s\n", bad, sy, reads,
	       wrong, after.cache_blocks,
	       after.cache_misses - before.cache_misses > after.cache_blocks ? "yes" : "no");
	printf("cache: a hot 32 KiB read between streams, %lu rounds: fewer misses than rounds "
	       "after the second: %s\n", rounds, hot_misses < rounds - 2 ? "yes" : "no");
}

/* files_cleanup: a process holding 50 open files is killed: the server lets go. */
UTEST(files_cleanup)
{
	struct challenge c = utest_challenge(bi);
	challenge_next(&c);                     /* /held's contents (the grader's) */
	unsigned n = (unsigned)challenge_range(&c, 50, 64);
	unsigned mine = (unsigned)challenge_range(&c, 1, 40);
	char count[8];
	snprintf(count, sizeof(count), "%u", n);
	fs_up(bi, NULL);
	/* The root holds some of its own: they must stay open when the other's go. */
	uint64_t size;
	for (unsigned i = 0; i < mine; i++)
		UCHECK(fs_open(&conn, "/held", O_RDONLY, &size) >= 0);
	const char *argv[] = { "bin/t8", "hold", count, "/held", NULL };
	long pid = pm_spawn(pm_ep, argv, 0, NULL, NULL, 0);
	UCHECK(pid > 0);
	struct fs_stats st = { 0 };
	for (int t = 0; t < 500 && st.open_files < n + mine; t++) {
		UCHECK_EQ(fs_stats(&conn, &st), 0);
		if (st.open_files < n + mine)
			utest_sleep_ticks(1);
	}
	printf("cleanup: %u sessions, %u files open\n", st.sessions, st.open_files);
	long k = pm_kill(pm_ep, pid);
	long status = 0;
	long w = pm_wait(pm_ep, pid, &status);
	UCHECK_EQ(fs_stats(&conn, &st), 0);
	printf("cleanup: kill -> %ld, wait -> %ld (%ld); then %u sessions, %u files open, "
	       "%lu sessions ended by a death\n", k, w, status, st.sessions, st.open_files,
	       (unsigned long)st.sessions_reaped);
}

/* files_powercut: the root writes and syncs files, then bin/t8 writes, renames and
 * unlinks more for ever, never syncing, while the server writes back every tick; after
 * a seeded number of ticks the root cuts the power (debug_shutdown, nothing synced).
 * What was synced must be on the disk, and the disk must be one e2fsck can repair
 * (the grader looks). */
UTEST(files_powercut)
{
	struct challenge c = utest_challenge(bi);
	uint64_t key = challenge_next(&c);
	unsigned synced = (unsigned)challenge_range(&c, 3, 12);
	unsigned long ticks = challenge_range(&c, 1, 40);
	fs_up(bi, "writeback=1");
	UCHECK_EQ(fs_mkdir(&conn, "/churn"), 0);
	struct challenge sizes = { key };
	char path[32];
	long bad = 0;
	for (unsigned i = 0; i < synced; i++) {
		snprintf(path, sizeof(path), "/churn/c%u", i);
		uint64_t size = challenge_range(&sizes, 1, 32768), dummy;
		long h = fs_open(&conn, path, O_WRONLY | O_CREAT, &dummy);
		for (uint64_t at = 0; h >= 0 && at < size; at += sizeof(io)) {
			size_t n = size - at < sizeof(io) ? (size_t)(size - at) : sizeof(io);
			content(key ^ i, at, io, n);
			bad += fs_write(&conn, h, at, io, n, NULL) != (long)n;
		}
		bad += h < 0 || fs_close(&conn, h) != 0;
	}
	printf("powercut: %u files written (%ld bad), synced (%ld)\n", synced, bad,
	       fs_sync(&conn));
	char k[24], first[8];
	snprintf(k, sizeof(k), "%lx", (unsigned long)key);
	snprintf(first, sizeof(first), "%u", synced);
	const char *argv[] = { "bin/t8", "churn", k, first, NULL };
	UCHECK(pm_spawn(pm_ep, argv, 0, NULL, NULL, 0) > 0);
	utest_sleep_ticks(ticks);
	printf("powercut: the power goes now\n");
}

/* files_mmap: bin/t8 maps the grader's file; a thread reads it through page faults the
 * file server answers (the external pager), then a write shows through the mapping. */
UTEST(files_mmap)
{
	struct challenge c = utest_challenge(bi);
	challenge_next(&c);                     /* the file's contents (the grader's) */
	char size[16], key[24];
	snprintf(size, sizeof(size), "%lu", challenge_range(&c, 5000, 100000));
	snprintf(key, sizeof(key), "%lx", challenge_next(&c));
	fs_up(bi, NULL);
	const char *argv[] = { "bin/t8", "mmap", "/data/m", size, key, NULL };
	long pid = pm_spawn(pm_ep, argv, 0, NULL, NULL, 0), status = -1;
	if (pid > 0)
		pm_wait(pm_ep, pid, &status);
	struct fs_stats st;
	UCHECK_EQ(fs_stats(&conn, &st), 0);
	printf("mmap: t8 ended with %ld; the server filled %lu pages for it\n", status,
	       (unsigned long)st.map_fills);
}

/* files_sparse: bytes written far apart — in the direct blocks, behind the single,
 * double and triple indirect blocks — read back, with zeros in the holes between;
 * then the file cut back, giving back every block. */
UTEST(files_sparse)
{
	struct challenge c = utest_challenge(bi);
	uint64_t key = challenge_next(&c);
	fs_up(bi, NULL);
	uint64_t b0, i0, b1, i1, dummy;
	free_now(&b0, &i0);
	long h = fs_open(&conn, "/sparse", O_RDWR | O_CREAT, &dummy);
	/* Block 5, then past 12, 12 + 256 and 12 + 256 + 65536 blocks of 1 KiB. */
	static const uint64_t base[] = { 5ull << 10, 100ull << 10, 1ull << 20, 70ull << 20 };
	uint64_t at[4];
	long wrong = 0, holes = 0;
	for (unsigned i = 0; i < 4; i++) {
		at[i] = base[i] + challenge_range(&c, 0, 4000);
		content(key ^ i, 0, io, 3000);
		wrong += fs_write(&conn, h, at[i], io, 3000, NULL) != 3000;
	}
	for (unsigned i = 0; i < 4; i++) {
		static uint8_t want[3000];
		content(key ^ i, 0, want, sizeof(want));
		wrong += fs_read(&conn, h, at[i], io, 3000) != 3000 || memcmp(io, want, 3000);
		/* The bytes just before are a hole (or the previous write's end): zeros,
		 * unless a write ran there. */
		wrong += fs_read(&conn, h, at[i] - 100, io, 100) != 100 ||
			 (i > 0 && memcmp(io, (uint8_t[100]){ 0 }, 100) != 0);
		/* The whole block before the piece's first is a hole: in i_block itself
		 * (piece 0), behind an indirect block (the others). */
		uint64_t hole = (at[i] / 1024 - 1) * 1024;
		holes += fs_read(&conn, h, hole, io, 1024) != 1024 ||
			 memcmp(io, (uint8_t[1024]){ 0 }, 1024) != 0;
	}
	struct fs_stat st;
	UCHECK_EQ(fs_fstat(&conn, h, &st), 0);
	printf("sparse: 4 pieces of 3000 bytes up to %lu: %ld wrong, %ld holes not zeros; size "
	       "%lu, %lu sectors\n", (unsigned long)at[3] + 3000, wrong, holes,
	       (unsigned long)st.size, (unsigned long)st.blocks);
	long sy = fs_sync(&conn);
	long t = fs_truncate(&conn, h, 0);
	fs_close(&conn, h);
	long u = fs_unlink(&conn, "/sparse");
	free_now(&b1, &i1);
	printf("sparse: sync -> %ld; cut to 0 -> %ld; unlink -> %ld; blocks back: %s, inodes "
	       "back: %s\n", sy, t, u, b1 == b0 ? "yes" : "no", i1 == i0 ? "yes" : "no");
	UCHECK_EQ(fs_sync(&conn), 0);
}

/* Appends content(key) to the file at h from *at on in pieces of sizeof(io) until a
 * write comes short; the call after it says why (its result). 0 if the disk seems to
 * take more than twice its size (a write that says it wrote what it did not). */
static long fill_up(long h, uint64_t key, uint64_t *at)
{
	while (*at < (4u << 20)) {
		content(key, *at, io, sizeof(io));
		long n = fs_write(&conn, h, *at, io, sizeof(io), NULL);
		if (n <= 0)
			return n;
		*at += (uint64_t)n;
	}
	return 0;
}

/* files_full: a small disk filled up; then a file near its start unlinked, and the
 * big file (whose blocks all lie past the freed ones) grown into the space: a search
 * for a free block must come round to the start of the group. */
UTEST(files_full)
{
	struct challenge c = utest_challenge(bi);
	uint64_t akey = challenge_next(&c), bkey = challenge_next(&c);
	uint64_t asize = challenge_range(&c, 20000, 60000), dummy, left;
	/* Through the smallest cache: the disk's last blocks taken while victims are
	 * written back and replaced at every step. */
	fs_up(bi, "cache=16");
	long a = fs_open(&conn, "/a", O_WRONLY | O_CREAT, &dummy);
	long wrote = 0;
	for (uint64_t at = 0; a >= 0 && at < asize; at += sizeof(io)) {
		size_t n = asize - at < sizeof(io) ? (size_t)(asize - at) : sizeof(io);
		content(akey, at, io, n);
		wrote += fs_write(&conn, a, at, io, n, NULL);
	}
	fs_close(&conn, a);
	long b = fs_open(&conn, "/b", O_RDWR | O_CREAT, &dummy);
	uint64_t at = 0, inodes;
	long why = fill_up(b, bkey, &at);
	free_now(&left, &inodes);
	printf("full: /a took %ld bytes; /b took %lu bytes until a write came short, then "
	       "%ld; %lu blocks free\n", wrote, (unsigned long)at, why, (unsigned long)left);
	uint64_t first = at;
	long u = fs_unlink(&conn, "/a");
	uint64_t freed;
	free_now(&freed, &inodes);
	why = fill_up(b, bkey, &at);
	free_now(&left, &inodes);
	fs_close(&conn, b);
	printf("full: unlink /a -> %ld, %lu blocks free; /b took %lu bytes more, then %ld; "
	       "%lu blocks free; sync -> %ld\n", u, (unsigned long)freed,
	       (unsigned long)(at - first), why, (unsigned long)left, fs_sync(&conn));
}
