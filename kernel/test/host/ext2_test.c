/**
 * @file
 * ext2_test.c — host unit tests of the file server's ext2 code (user/fs: the cache,
 * the mount, the bitmaps, the block map, directories, the operations on names).
 *
 * The one thing to know: the disks are real. ext2seeds.py (run by the Makefile before
 * `make unit`) writes into EXT2_DIR the libFuzzer seeds — small mke2fs images and
 * every kind of damage ext2corrupt.py makes of them — and two empty file systems made
 * by mke2fs (1 KiB and 4 KiB blocks). seeds_survive runs ext2_harness.h's whole
 * session (the fuzzer's) over every seed and every input kept in EXT2_CASES (those
 * that once broke it; none yet), io_errors_every_transfer runs it with each device
 * transfer failing in turn; the fresh_ groups work on a fresh image and assert
 * results, each ending with e2fsck -fn of what was written, which must find it clean;
 * the hostile_ groups are a fresh image with one field made wrong by hand, each a bug
 * the file server once had.
 *
 *     make unit                                 build and run every host unit test
 *     build/host/ext2_test [group...]           run some groups alone
 */
#define _POSIX_C_SOURCE 200809L
#include "host_test.h"
#include "ext2_harness.h"
#include <dirent.h>
#include <stdlib.h>
#include <unistd.h>

/* A broken rule of the harness is a failed check; after the first 20 of a run, only
 * counted (a leaked pin breaks every operation after it). */
static void harness_broken(const char *what, const char *where, long detail)
{
	static unsigned said;
	char why[256];
	snprintf(why, sizeof(why), "%s: %s (%ld)", where, what, detail);
	if (said++ < 20)
		check(false, why, __FILE__, __LINE__);
	else
		checks++, failures++;
}

struct image {
	uint8_t *bytes;                 /* the disk the file stands for (harness_disk_size) */
	size_t size;
};

static struct image image_load(const char *path)
{
	struct image im = { 0 };
	FILE *f = fopen(path, "rb");
	if (!f)
		return im;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	uint8_t *head = calloc(1, (size_t)n + 1);
	if (head && fread(head, 1, (size_t)n, f) == (size_t)n) {
		im.size = harness_disk_size(head, (size_t)n, 64u << 20);
		if ((im.bytes = calloc(1, im.size)))
			memcpy(im.bytes, head, (size_t)n);
	}
	free(head);
	fclose(f);
	return im;
}

/* e2fsck -fn of the image: whether it finds it clean (its words on stdout if not). */
static bool image_clean(const struct image *im)
{
	char path[] = "/tmp/minim-ext2-test-XXXXXX", cmd[256];
	int fd = mkstemp(path);
	if (fd < 0)
		return false;
	bool ok = write(fd, im->bytes, im->size) == (ssize_t)im->size;
	close(fd);
	snprintf(cmd, sizeof(cmd), "PATH=\"$PATH:/sbin:/usr/sbin\" e2fsck -fn %s "
		 ">%s.log 2>&1 || sed 's/^/    e2fsck: /' %s.log", path, path, path);
	ok = ok && system(cmd) == 0;
	snprintf(cmd, sizeof(cmd), "%s.log", path);
	FILE *log = fopen(cmd, "r");
	/* sed's status hides e2fsck's: a clean check writes no "Fix?" and no "WARNING". */
	char line[512];
	while (ok && log && fgets(line, sizeof(line), log))
		ok = !strstr(line, "Fix?") && !strstr(line, "WARNING") &&
		     !strstr(line, "was not cleanly");
	if (log)
		fclose(log);
	unlink(cmd);
	unlink(path);
	return ok;
}

static char dir_path[1024];

static const char *in_dir(const char *dir, const char *name)
{
	snprintf(dir_path, sizeof(dir_path), "%s/%s", dir, name);
	return dir_path;
}

/* --- every seed and every kept input: the fuzzer's session -------------------------- */

/* A seed as mke2fs made it ("small-1k.img"), not damaged ("small-1k-03-kind.img"):
 * what the session wrote on it must be sound too. */
static bool sound_seed(const char *name)
{
	unsigned dashes = 0;
	for (; *name; name++)
		dashes += *name == '-';
	return dashes == 1;
}

static unsigned session_over(const char *dir, bool fsck_sound)
{
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	unsigned n = 0;
	for (struct dirent *e; (e = readdir(d));) {
		if (e->d_name[0] == '.')
			continue;
		struct image im = image_load(in_dir(dir, e->d_name));
		if (!CHECK(im.bytes))
			continue;
		unsigned before = failures;
		harness_run(im.bytes, im.size, 32);
		if (fsck_sound && sound_seed(e->d_name))
			CHECK(image_clean(&im));
		free(im.bytes);
		/* And again through the smallest cache there may be. */
		im = image_load(in_dir(dir, e->d_name));
		harness_run(im.bytes, im.size, CACHE_MIN);
		free(im.bytes);
		if (failures != before)
			printf("    (in %s)\n", e->d_name);
		n++;
	}
	closedir(d);
	return n;
}

static void seeds_survive(void)
{
	char seeds[512];
	snprintf(seeds, sizeof(seeds), "%s/seeds", EXT2_DIR);
	CHECK(session_over(seeds, true) >= 40);
	session_over(EXT2_CASES, false);
}

/* The session over a sound seed, once with each device transfer after the mount
 * failing (E_IO) in turn: every error path of the cache, the bitmaps, the block map,
 * the directories and the operations on names, none leaving a pin or a hang. */
static void io_errors_every_transfer(void)
{
	static const char *const names[] = { "small-1k.img", "groups-1k.img", "small-4k.img" };
	for (unsigned k = 0; k < 3; k++) {
		char path[512];
		snprintf(path, sizeof(path), "%s/seeds/%s", EXT2_DIR, names[k]);
		struct image im = image_load(path);
		REQUIRE(im.bytes);
		harness_run(im.bytes, im.size, CACHE_MIN);
		uint32_t transfers = harness_transfers;
		CHECK(transfers > 20);
		free(im.bytes);
		for (uint32_t fail = 1; fail <= transfers; fail++) {
			im = image_load(path);
			REQUIRE(im.bytes);
			uint16_t at = (uint16_t)fail;
			memcpy(im.bytes, &at, sizeof(at));      /* the boot sector: unused */
			unsigned before = failures;
			harness_run(im.bytes, im.size, CACHE_MIN);
			if (failures != before)
				printf("    (%s, transfer %u failing)\n", names[k], fail);
			free(im.bytes);
		}
	}
}

/* --- a fresh image ------------------------------------------------------------------ */

static struct harness h;
static struct image fresh;

static bool fresh_mount(const char *name, uint32_t cache_blocks)
{
	free(fresh.bytes);
	fresh = image_load(in_dir(EXT2_DIR, name));
	return fresh.bytes && harness_mount(&h, fresh.bytes, fresh.size, cache_blocks) == 0;
}

/* The image as the first mount left it (synced), mounted again through a fresh cache. */
static bool remount(uint32_t cache_blocks)
{
	return cache_sync(&h.cache) == 0 &&
	       harness_mount(&h, fresh.bytes, fresh.size, cache_blocks) == 0;
}

static bool synced_and_clean(void)
{
	return cache_sync(&h.cache) == 0 && image_clean(&fresh);
}

static uint8_t pattern(uint64_t at)
{
	return (uint8_t)(at * 131 + (at >> 10) * 7 + 1);
}

static uint8_t *big_buf(size_t n, bool fill)
{
	uint8_t *p = malloc(n);
	for (size_t i = 0; p && fill && i < n; i++)
		p[i] = pattern(i);
	return p;
}

/* Whether f reads back as `want` (n bytes), in pieces of odd sizes. */
static bool reads_back(struct ext2_file *f, const uint8_t *want, size_t n)
{
	static const uint32_t sizes[] = { 4093, 1, 10007, 512, 3, 65521 };
	uint8_t *got = big_buf(n + 1, false);
	size_t at = 0;
	for (unsigned i = 0; got && at < n; i++) {
		long r = ext2_read(&h.fs, f, at, got + at, sizes[i % 6]);
		if (r <= 0)
			break;
		at += (size_t)r;
	}
	bool ok = got && at == n && memcmp(got, want, n) == 0 &&
		  ext2_read(&h.fs, f, n, got, 1) == 0;
	free(got);
	return ok && harness_pins(&h.cache) == 0;
}

/* create, write 300 KiB in odd pieces, read it back; again after a sync and a mount. */
static void fresh_file_roundtrip(void)
{
	static const uint32_t pieces[] = { 1, 777, 4097, 13, 65535, 3000, 1023 };
	const size_t n = 300u << 10;
	uint8_t *data = big_buf(n, true);
	REQUIRE(data);
	static const char *const images[] = { "fresh-1k.img", "fresh-4k.img" };
	for (unsigned k = 0; k < 2; k++) {
		REQUIRE(fresh_mount(images[k], 32));
		struct ext2_file f;
		REQUIRE(ext2_create(&h.fs, "/big", true, &f) == 0);
		size_t at = 0;
		for (unsigned i = 0; at < n; i++) {
			uint32_t len = pieces[i % 7] < n - at ? pieces[i % 7] : (uint32_t)(n - at);
			long r = ext2_write(&h.fs, &f, at, data + at, len);
			REQUIRE(CHECK(r == (long)len));
			at += len;
		}
		CHECK(ext2_size(&h.fs, &f.in) == n);
		CHECK(harness_pins(&h.cache) == 0);
		CHECK(reads_back(&f, data, n));
		REQUIRE(remount(32));
		REQUIRE(ext2_walk(&h.fs, "/big", &f) == 0);
		CHECK(ext2_size(&h.fs, &f.in) == n);
		CHECK(reads_back(&f, data, n));
		CHECK(synced_and_clean());
	}
	free(data);
}

/* What a file and a directory took comes back when they go. */
static void fresh_free_counts(void)
{
	REQUIRE(fresh_mount("fresh-1k.img", 32));
	uint32_t blocks = h.fs.free_blocks, inodes = h.fs.free_inodes;
	uint8_t *data = big_buf(100u << 10, true);
	REQUIRE(data);
	struct ext2_file f;
	REQUIRE(ext2_create(&h.fs, "/f", true, &f) == 0);
	CHECK(ext2_write(&h.fs, &f, 0, data, 100u << 10) == 100l << 10);
	REQUIRE(ext2_mkdir(&h.fs, "/d") == 0);
	REQUIRE(ext2_create(&h.fs, "/d/g", true, &f) == 0);
	CHECK(ext2_write(&h.fs, &f, 5000, data, 3000) == 3000);
	/* /f: 100 blocks and an indirect one; /d/g: bytes 5000 to 7999, blocks 4 to 7 (the
	 * 4 before them holes); /d: one. */
	CHECK(h.fs.free_blocks == blocks - 101 - 4 - 1);
	CHECK(h.fs.free_inodes == inodes - 3);
	uint32_t ino;
	CHECK(ext2_unlink(&h.fs, "/d/g", false, &ino) == 0 && ext2_release(&h.fs, ino) == 0);
	CHECK(ext2_unlink(&h.fs, "/d", true, &ino) == 0 && ext2_release(&h.fs, ino) == 0);
	CHECK(ext2_unlink(&h.fs, "/f", false, &ino) == 0 && ext2_release(&h.fs, ino) == 0);
	CHECK(h.fs.free_blocks == blocks);
	CHECK(h.fs.free_inodes == inodes);
	CHECK(harness_pins(&h.cache) == 0);
	REQUIRE(remount(32));
	CHECK(h.fs.free_blocks == blocks && h.fs.free_inodes == inodes);
	CHECK(synced_and_clean());
	free(data);
}

#define MANY 400

static void many_name(char *name, unsigned i)
{
	/* Names of 5 to 40 bytes, so that records of many lengths share the blocks. */
	snprintf(name, 64, "f%04u%.*s", i, (int)(i % 36), "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
}

/* How many names readdir gives for /many, each in seen[]. */
static unsigned many_listed(bool seen[MANY])
{
	struct ext2_file dir;
	if (ext2_walk(&h.fs, "/many", &dir))
		return 0;
	memset(seen, 0, MANY * sizeof(bool));
	static uint8_t buf[1000] __attribute__((aligned(8)));
	uint64_t pos = 0;
	unsigned n = 0;
	for (long got; (got = ext2_readdir(&h.fs, &dir, &pos, buf, sizeof(buf))) > 0;) {
		if (!harness_records_ok(&h, buf, got, sizeof(buf)))
			return 0;
		for (long at = 0; at < got;) {
			const struct fs_dirent *d = (const struct fs_dirent *)(buf + at);
			unsigned i = (unsigned)atoi(d->name + 1);
			if (d->name[0] == 'f' && i < MANY)
				seen[i] = true;
			n++;
			at += d->reclen;
		}
	}
	return n;
}

/* Many files in one directory: all found, listed, half removed, the rest intact. */
static void fresh_many_files(void)
{
	REQUIRE(fresh_mount("fresh-1k.img", 32));
	REQUIRE(ext2_mkdir(&h.fs, "/many") == 0);
	char name[64], path[80];
	for (unsigned i = 0; i < MANY; i++) {
		many_name(name, i);
		snprintf(path, sizeof(path), "/many/%s", name);
		struct ext2_file f;
		REQUIRE(CHECK(ext2_create(&h.fs, path, true, &f) == 0));
		REQUIRE(CHECK(ext2_write(&h.fs, &f, 0, name, 5) == 5));
	}
	struct ext2_file dir, f;
	REQUIRE(ext2_walk(&h.fs, "/many", &dir) == 0);
	CHECK(ext2_size(&h.fs, &dir.in) > 4 * h.fs.block_size);      /* many blocks */
	bool seen[MANY];
	CHECK(many_listed(seen) == MANY + 2);
	for (unsigned i = 0; i < MANY; i++)
		CHECK(seen[i]);
	CHECK(ext2_create(&h.fs, "/many/f0007xxxxxxx", true, &f) == E_EXISTS);
	uint32_t ino;
	for (unsigned i = 0; i < MANY; i += 2) {
		many_name(name, i);
		snprintf(path, sizeof(path), "/many/%s", name);
		CHECK(ext2_unlink(&h.fs, path, false, &ino) == 0 && ext2_release(&h.fs, ino) == 0);
	}
	REQUIRE(remount(32));
	CHECK(many_listed(seen) == MANY / 2 + 2);
	for (unsigned i = 0; i < MANY; i++) {
		many_name(name, i);
		snprintf(path, sizeof(path), "/many/%s", name);
		char got[8] = { 0 };
		long r = ext2_walk(&h.fs, path, &f);
		CHECK(seen[i] == (i % 2 == 1) && (r == 0) == (i % 2 == 1));
		if (r == 0)
			CHECK(ext2_read(&h.fs, &f, 0, got, 8) == 5 && memcmp(got, name, 5) == 0);
	}
	CHECK(synced_and_clean());
}

/* A working set of 200 blocks through a cache of 16: replaced, written back, intact. */
static void fresh_small_cache(void)
{
	REQUIRE(fresh_mount("fresh-1k.img", CACHE_MIN));
	const uint32_t bs = h.fs.block_size, n = 200;
	uint8_t *data = big_buf((size_t)n * bs, true);
	REQUIRE(data);
	struct ext2_file f;
	REQUIRE(ext2_create(&h.fs, "/set", true, &f) == 0);
	for (uint32_t i = 0; i < n; i++)
		REQUIRE(CHECK(ext2_write(&h.fs, &f, (uint64_t)i * bs, data + (size_t)i * bs, bs) ==
			      (long)bs));
	CHECK(h.disk.writes > n / 2);           /* victims written back before any sync */
	uint8_t *got = big_buf(bs, false);
	for (unsigned pass = 0; pass < 3; pass++)
		for (uint32_t k = 0; k < n; k++) {
			uint32_t i = (k * 37 + pass * 11) % n;
			CHECK(ext2_read(&h.fs, &f, (uint64_t)i * bs, got, bs) == (long)bs &&
			      memcmp(got, data + (size_t)i * bs, bs) == 0);
		}
	CHECK(h.cache.misses > 3 * n);
	CHECK(harness_pins(&h.cache) == 0);
	REQUIRE(remount(CACHE_MIN));
	REQUIRE(ext2_walk(&h.fs, "/set", &f) == 0);
	CHECK(reads_back(&f, data, (size_t)n * bs));
	CHECK(synced_and_clean());
	free(got);
	free(data);
}

/* A pinned block is never the clock's victim: CACHE_PINS_MAX blocks held (and written
 * into) while the rest of a CACHE_MIN cache turns over four times stay where they were,
 * each still its own block with its own bytes. No boot test can see this: the file
 * server holds a pin across one miss at most, which no sweep of the hand can turn into
 * an eviction. */
static void cache_pins_hold(void)
{
	REQUIRE(fresh_mount("fresh-1k.img", CACHE_MIN));
	const uint32_t bs = h.fs.block_size, first = h.fs.sb.blocks_count / 2;
	REQUIRE(first + CACHE_PINS_MAX + 4 * CACHE_MIN < h.fs.sb.blocks_count);
	struct cache_block *held[CACHE_PINS_MAX];
	long err;
	for (unsigned i = 0; i < CACHE_PINS_MAX; i++) {
		REQUIRE(held[i] = cache_get(&h.cache, first + i, &err));
		memset(held[i]->data, 0xa0 + (int)i, bs);
		cache_dirty(&h.cache, held[i]);
	}
	uint32_t other = first + CACHE_PINS_MAX;
	for (unsigned pass = 0; pass < 4; pass++)
		for (uint32_t k = 0; k < 4 * CACHE_MIN; k++) {
			struct cache_block *b = cache_get(&h.cache, other + k, &err);
			if (CHECK(b))
				cache_put(&h.cache, b);
		}
	for (unsigned i = 0; i < CACHE_PINS_MAX; i++) {
		CHECK(held[i]->valid && held[i]->block == first + i &&
		      held[i]->data[bs - 1] == 0xa0 + i);
		struct cache_block *again = cache_get(&h.cache, first + i, &err);
		CHECK(again == held[i]);
		cache_put(&h.cache, again);
		cache_put(&h.cache, held[i]);
	}
	CHECK(harness_pins(&h.cache) == 0);
}

/* rmdir of a directory with a name in it is E_NOTEMPTY, and changes nothing. */
static void fresh_rmdir_nonempty(void)
{
	REQUIRE(fresh_mount("fresh-1k.img", 32));
	struct ext2_file f;
	uint32_t ino = 0, blocks, inodes;
	REQUIRE(ext2_mkdir(&h.fs, "/d") == 0);
	REQUIRE(ext2_create(&h.fs, "/d/f", true, &f) == 0);
	blocks = h.fs.free_blocks;
	inodes = h.fs.free_inodes;
	CHECK(ext2_unlink(&h.fs, "/d", true, &ino) == E_NOTEMPTY);
	CHECK(ext2_unlink(&h.fs, "/d", false, &ino) == E_ISDIR);
	CHECK(ext2_unlink(&h.fs, "/d/f", true, &ino) == E_NOTDIR);
	CHECK(h.fs.free_blocks == blocks && h.fs.free_inodes == inodes);
	CHECK(ext2_walk(&h.fs, "/d/f", &f) == 0);
	CHECK(ext2_unlink(&h.fs, "/d/f", false, &ino) == 0 && ext2_release(&h.fs, ino) == 0);
	CHECK(ext2_unlink(&h.fs, "/d", true, &ino) == 0 && ext2_release(&h.fs, ino) == 0);
	CHECK(ext2_walk(&h.fs, "/d", &f) == E_NOENT);
	CHECK(harness_pins(&h.cache) == 0);
	CHECK(synced_and_clean());
}

/* A disk whose last groups hold no inodes (inodes_count below groups * inodes per
 * group: mke2fs never writes one, the mount lets it through) and whose group 2 says it
 * has free inodes, its bitmap full: no inode may come from a group past the last one.
 * Before alloc.c skipped such a group, the bitmap's length was inodes_count - base,
 * which wrapped: the search ran past the bitmap's page into the next cached blocks,
 * set a bit there and gave out inode 2048 + that bit of a disk of 1,024. */
static void hostile_inode_groups(void)
{
	free(fresh.bytes);
	fresh = image_load(in_dir(EXT2_DIR, "fresh-1k.img"));
	REQUIRE(fresh.bytes);
	struct ext2_super *sb = (struct ext2_super *)(fresh.bytes + 1024);
	struct ext2_group *gd = (struct ext2_group *)(fresh.bytes + 2 * 1024);
	REQUIRE(sb->blocks_count == 4096 && sb->inodes_count == 1024 &&
		sb->inodes_per_group == 1024 && sb->log_block_size == 0);
	sb->blocks_per_group = sb->frags_per_group = 1024;      /* 4 groups */
	for (unsigned g = 1; g < 4; g++)
		gd[g] = gd[0];
	gd[0].free_inodes_count = gd[1].free_inodes_count = gd[3].free_inodes_count = 0;
	gd[2].free_inodes_count = 5;
	gd[2].inode_bitmap = 4000;
	memset(fresh.bytes + 4000 * 1024, 0xff, 1024);
	REQUIRE(harness_mount(&h, fresh.bytes, fresh.size, CACHE_MIN) == 0);
	REQUIRE(h.fs.groups == 4);
	uint32_t inodes = h.fs.free_inodes;
	struct ext2_file f;
	CHECK(ext2_create(&h.fs, "/x", true, &f) == E_NOSPC);
	CHECK(h.fs.free_inodes == inodes);
	struct ext2_group d;
	CHECK(ext2_group_get(&h.fs, 2, &d) == 0 && d.free_inodes_count == 5);
	CHECK(harness_pins(&h.cache) == 0);
}

/* A disk without the large_file feature: a regular file's size is i_size alone, and
 * e2fsck takes one of 2 GiB or more as damage. A write must stop below that, never
 * store a size that wrapped (before inode.c clipped it, a write at 4 GiB - 4 left a
 * file of 6 bytes whose blocks lay 4 GiB out). */
static void hostile_no_large_file(void)
{
	free(fresh.bytes);
	fresh = image_load(in_dir(EXT2_DIR, "fresh-1k.img"));
	REQUIRE(fresh.bytes);
	struct ext2_super *sb = (struct ext2_super *)(fresh.bytes + 1024);
	sb->feature_ro_compat &= ~(uint32_t)EXT2_FEATURE_RO_LARGE_FILE;
	REQUIRE(harness_mount(&h, fresh.bytes, fresh.size, 32) == 0 && !h.fs.large_file);
	struct ext2_file f;
	REQUIRE(ext2_create(&h.fs, "/f", true, &f) == 0);
	const uint64_t max = 0x7fffffff;
	CHECK(ext2_write(&h.fs, &f, max - 4, "0123456789", 10) == 4);
	CHECK(ext2_size(&h.fs, &f.in) == max);
	CHECK(ext2_write(&h.fs, &f, max, "0123456789", 10) == E_NOSPC);
	CHECK(ext2_write(&h.fs, &f, 0xfffffffcull, "0123456789", 10) == E_NOSPC);
	CHECK(ext2_size(&h.fs, &f.in) == max);
	char got[8] = { 0 };
	CHECK(ext2_read(&h.fs, &f, max - 4, got, 8) == 4 && memcmp(got, "0123", 4) == 0);
	CHECK(harness_pins(&h.cache) == 0);
	CHECK(synced_and_clean());
}

/* A directory at ext2's link limit (a hostile disk's count, or 32,000 subdirectories):
 * mkdir in it is refused, and the count does not wrap. */
static void hostile_links_at_limit(void)
{
	REQUIRE(fresh_mount("fresh-1k.img", 32));
	struct ext2_file root;
	REQUIRE(ext2_walk(&h.fs, "/", &root) == 0);
	root.in.links_count = EXT2_LINK_MAX;
	REQUIRE(ext2_inode_write(&h.fs, root.ino, &root.in) == 0);
	CHECK(ext2_mkdir(&h.fs, "/sub") == E_NOSPC);
	REQUIRE(ext2_walk(&h.fs, "/", &root) == 0);
	CHECK(root.in.links_count == EXT2_LINK_MAX);
	uint32_t ino;
	CHECK(ext2_lookup(&h.fs, &root, "sub", 3, &ino) == E_NOENT);
	CHECK(harness_pins(&h.cache) == 0);
}

static const struct host_group groups[] = {
	GROUP(seeds_survive),
	GROUP(io_errors_every_transfer),
	GROUP(fresh_file_roundtrip),
	GROUP(fresh_free_counts),
	GROUP(fresh_many_files),
	GROUP(fresh_small_cache),
	GROUP(cache_pins_hold),
	GROUP(fresh_rmdir_nonempty),
	GROUP(hostile_inode_groups),
	GROUP(hostile_no_large_file),
	GROUP(hostile_links_at_limit),
};

int main(int argc, char **argv)
{
	/* A loop that does not end (a stubbed record check walking a rec_len of 0, in a
	 * handout tree) ends the test, not make unit: SIGALRM's default kills it. */
	alarm(120);
	int status = host_run(groups, sizeof groups / sizeof groups[0], NULL, argc, argv);
	free(fresh.bytes);
	return status;
}
