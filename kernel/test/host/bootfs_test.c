/**
 * @file
 * bootfs_test.c — host unit tests of the bootfs reader (user/lib/bootfs.c).
 *
 * The one thing to know: the archives are made by the real GNU tar, at test time,
 * with the Makefile's flags, from a tree this file writes (files of 0, 512 and 513
 * bytes, a path long enough to need the ustar prefix, a symbolic link, an empty
 * folder); every corrupted archive is a copy of one of them, changed by hand and
 * usually with its checksum fixed, so that the field under test is the only wrong
 * thing. Each archive sits in a heap block of exactly its size, so under ASan a read
 * one byte past its end stops the test.
 *
 *     make unit                                 build and run every host unit test
 *     build/host/bootfs_test [group...]         run some groups alone
 */
#define _POSIX_C_SOURCE 200809L
#include "host_test.h"
#include "bootfs.h"
#include <abi/error.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#define TAR "tar --format=ustar --sort=name --owner=0 --group=0 --numeric-owner " \
	    "--mtime=@0 --mode=u=rwX,go=rX"
#define BLOCK BOOTFS_BLOCK

struct archive {
	uint8_t *bytes;         /* malloc'd, exactly size bytes */
	size_t size;
};

static char tree[1024];         /* the folder the archives are made from, absolute */
static struct archive made;     /* of the tree, by tar */

/* --- the tree, and tar ------------------------------------------------------------ */

#define LONG_DIR "long/a-folder-name-that-is-long-enough-that-with-the-file-it-needs-" \
		 "the-ustar-prefix-field"
#define LONG_FILE LONG_DIR "/and-a-file-name-of-sixty-or-more-characters-to-be-sure-of-it"

static uint8_t prog_bytes[3000], block_bytes[513];
static const char motd[] = "a line of etc/motd\nand another\n";

static void fail_setup(const char *what)
{
	fprintf(stderr, "bootfs_test: %s failed\n", what);
	exit(2);
}

static void file_write(const char *rel, const void *data, size_t n)
{
	char path[2048];
	snprintf(path, sizeof(path), "%s/tree/%s", tree, rel);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(data, 1, n, f) != n || fclose(f) != 0)
		fail_setup(path);
}

static void folder_make(const char *rel)
{
	char path[2048];
	snprintf(path, sizeof(path), "%s/tree/%s", tree, rel);
	if (mkdir(path, 0755) != 0)
		fail_setup(path);
}

static struct archive archive_read(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f || fseek(f, 0, SEEK_END) != 0)
		fail_setup(path);
	long n = ftell(f);
	struct archive a = { malloc(n > 0 ? (size_t)n : 1), (size_t)n };
	rewind(f);
	if (n < 0 || !a.bytes || fread(a.bytes, 1, a.size, f) != a.size)
		fail_setup(path);
	fclose(f);
	return a;
}

/* tar's archive of `what` in the tree, made with `flags` after TAR's. */
static struct archive tar_make(const char *flags, const char *what)
{
	char cmd[4096], out[1100];
	snprintf(out, sizeof(out), "%s/made.tar", tree);
	snprintf(cmd, sizeof(cmd), "cd %s/tree && LC_ALL=C " TAR " %s -cf %s %s", tree, flags,
		 out, what);
	if (system(cmd) != 0)
		fail_setup(cmd);
	return archive_read(out);
}

static void tree_remove(void)
{
	char cmd[1100];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tree);
	if (system(cmd) != 0)
		fprintf(stderr, "bootfs_test: could not remove %s\n", tree);
	free(made.bytes);
}

static void tree_make(void)
{
	/* Under build/ when run from the top of the tree (as make unit does), so that a
	 * sanitizer's abort, which skips atexit, leaves nothing outside it. */
	struct stat st;
	char cwd[512];
	if (stat("build/host", &st) == 0 && S_ISDIR(st.st_mode) && getcwd(cwd, sizeof(cwd)))
		snprintf(tree, sizeof(tree), "%s/build/host/bootfs_test.XXXXXX", cwd);
	else
		snprintf(tree, sizeof(tree), "/tmp/bootfs_test.XXXXXX");
	if (!mkdtemp(tree))
		fail_setup("mkdtemp");
	atexit(tree_remove);            /* a failed setup's exit too */
	unsigned long x = 0x2545f4914f6cdd1dul;
	for (size_t i = 0; i < sizeof(prog_bytes); i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		prog_bytes[i] = i % 7 ? (uint8_t)x : 0;
	}
	for (size_t i = 0; i < sizeof(block_bytes); i++)
		block_bytes[i] = (uint8_t)(i * 31 + 7);
	folder_make("");
	folder_make("bin");
	folder_make("etc");
	folder_make("long");
	folder_make(LONG_DIR);
	folder_make("var");
	file_write("bin/prog", prog_bytes, sizeof(prog_bytes));
	file_write("etc/motd", motd, sizeof(motd) - 1);
	file_write("etc/empty", "", 0);
	file_write("etc/block", block_bytes, 512);
	file_write("etc/block1", block_bytes, 513);
	file_write(LONG_FILE, motd, 6);
	char link[1100];
	snprintf(link, sizeof(link), "%s/tree/link", tree);
	if (symlink("etc/motd", link) != 0)
		fail_setup("symlink");
	made = tar_make("", "bin etc link long var");
}

/* What the tree's archive must list, in order (tar sorts each folder by name). */
static const struct expected {
	const char *path;
	enum bootfs_type type;
	uint32_t mode;
	const void *data;
	size_t size;
} listing[] = {
	{ "bin", BOOTFS_DIR, 0755, NULL, 0 },
	{ "bin/prog", BOOTFS_FILE, 0644, prog_bytes, sizeof(prog_bytes) },
	{ "etc", BOOTFS_DIR, 0755, NULL, 0 },
	{ "etc/block", BOOTFS_FILE, 0644, block_bytes, 512 },
	{ "etc/block1", BOOTFS_FILE, 0644, block_bytes, 513 },
	{ "etc/empty", BOOTFS_FILE, 0644, "", 0 },
	{ "etc/motd", BOOTFS_FILE, 0644, motd, sizeof(motd) - 1 },
	{ "long", BOOTFS_DIR, 0755, NULL, 0 },
	{ LONG_DIR, BOOTFS_DIR, 0755, NULL, 0 },
	{ LONG_FILE, BOOTFS_FILE, 0644, motd, 6 },
	{ "var", BOOTFS_DIR, 0755, NULL, 0 },
};
#define LISTED (sizeof(listing) / sizeof(listing[0]))

/* --- archives changed by hand ----------------------------------------------------- */

static struct archive copy(const struct archive *a, size_t size)
{
	struct archive c = { malloc(size ? size : 1), size };
	if (!c.bytes)
		fail_setup("malloc");
	memcpy(c.bytes, a->bytes, size < a->size ? size : a->size);
	if (size > a->size)
		memset(c.bytes + a->size, 0, size - a->size);
	return c;
}

/*
 * The offset of the header whose name field starts with name, found by a walk of this
 * file's own (raw octal sizes, no checks), so the tests do not lean on the reader.
 */
static size_t header_at(const struct archive *a, const char *name)
{
	for (size_t off = 0; off + BLOCK <= a->size;) {
		const uint8_t *h = a->bytes + off;
		if (strncmp((const char *)h, name, strlen(name)) == 0)
			return off;
		char size[13] = { 0 };
		memcpy(size, h + 124, 12);
		off += BLOCK + (strtoull(size, NULL, 8) + BLOCK - 1) / BLOCK * BLOCK;
	}
	fprintf(stderr, "bootfs_test: no header %s\n", name);
	exit(2);
}

/* The offset of the end marker: after the last header and its data. */
static size_t end_at(const struct archive *a)
{
	size_t off = 0;
	while (off + BLOCK <= a->size && a->bytes[off]) {
		char size[13] = { 0 };
		memcpy(size, a->bytes + off + 124, 12);
		off += BLOCK + (strtoull(size, NULL, 8) + BLOCK - 1) / BLOCK * BLOCK;
	}
	return off;
}

/* Writes the right checksum into the header at h, as tar does ("%06o", NUL, space). */
static void checksum_fix(uint8_t *h)
{
	unsigned sum = 0;
	memset(h + 148, ' ', 8);
	for (int i = 0; i < BLOCK; i++)
		sum += h[i];
	snprintf((char *)h + 148, 8, "%06o", sum);
	h[155] = ' ';
}

/* A copy of the tree's archive with len bytes at field of the header of name set to
 * value, the checksum fixed (unless field is the checksum itself). */
static struct archive changed(const char *name, size_t field, const void *value, size_t len)
{
	struct archive c = copy(&made, made.size);
	uint8_t *h = c.bytes + header_at(&made, name);
	memcpy(h + field, value, len);
	if (field != 148)
		checksum_fix(h);
	return c;
}

/* What bootfs_open says of an archive, which is then freed. */
static int open_result(struct archive c)
{
	struct bootfs fs;
	int err = bootfs_open(&fs, c.bytes, c.size);
	free(c.bytes);
	return err;
}

/* --- the groups ------------------------------------------------------------------- */

static void tar_archive_lists_every_entry_in_order(void)
{
	struct bootfs fs;
	REQUIRE(bootfs_open(&fs, made.bytes, made.size) == E_OK);
	CHECK(fs.entries == LISTED);
	CHECK(made.size % 10240 == 0);  /* tar's records: bytes after the end marker */
	struct bootfs_entry e;
	size_t cursor = 0, n = 0;
	int got;
	while ((got = bootfs_next(&fs, &cursor, &e)) > 0 && n < LISTED) {
		const struct expected *x = &listing[n++];
		CHECK(strcmp(e.path, x->path) == 0);
		CHECK(e.type == x->type && e.mode == x->mode && e.size == x->size);
		if (x->type == BOOTFS_DIR)
			CHECK(e.data == NULL);
		else
			CHECK(e.data && memcmp(e.data, x->data, x->size) == 0);
		CHECK(cursor % BLOCK == 0 && cursor <= made.size);
	}
	CHECK(got == 0 && n == LISTED);
	CHECK(bootfs_next(&fs, &cursor, &e) == 0);      /* the end stays the end */
	/* The long path really went through the prefix field. */
	const uint8_t *h = made.bytes + header_at(&made, "and-a-file-name");
	CHECK(h[345] != 0 && strncmp((const char *)h + 345, LONG_DIR, 155) == 0);
}

static void find_gets_regular_files_only(void)
{
	struct bootfs fs;
	struct bootfs_entry e;
	REQUIRE(bootfs_open(&fs, made.bytes, made.size) == E_OK);
	for (size_t i = 0; i < LISTED; i++) {
		int err = bootfs_find(&fs, listing[i].path, &e);
		if (listing[i].type == BOOTFS_DIR) {
			CHECK(err == E_NOENT);
			continue;
		}
		CHECK(err == E_OK && strcmp(e.path, listing[i].path) == 0);
		CHECK(e.size == listing[i].size &&
		      memcmp(e.data, listing[i].data, e.size) == 0);
	}
	CHECK(bootfs_find(&fs, "/etc/motd", &e) == E_OK && e.size == sizeof(motd) - 1);
	CHECK(bootfs_find(&fs, "./etc/motd", &e) == E_OK);
	CHECK(bootfs_find(&fs, "//./etc/block1", &e) == E_OK && e.size == 513);
	CHECK(bootfs_find(&fs, "link", &e) == E_NOENT);         /* a symbolic link */
	CHECK(bootfs_find(&fs, "etc/", &e) == E_NOENT);
	CHECK(bootfs_find(&fs, "etc/mot", &e) == E_NOENT);
	CHECK(bootfs_find(&fs, "etc/motd2", &e) == E_NOENT);
	CHECK(bootfs_find(&fs, "", &e) == E_NOENT);
}

static void every_truncation_is_refused_until_the_end_marker(void)
{
	size_t end = end_at(&made);
	REQUIRE(end + 2 * BLOCK <= made.size);
	for (size_t size = 0; size <= made.size; size++) {
		int err = open_result(copy(&made, size));
		if (!CHECK(err == (size >= end + 2 * BLOCK ? E_OK : E_INVAL))) {
			printf("    (cut to %zu bytes of %zu, the end marker at %zu)\n", size,
			       made.size, end);
			return;
		}
	}
	/* Whatever follows the end marker is not read. */
	struct archive c = copy(&made, made.size);
	memset(c.bytes + end + 2 * BLOCK, 0xff, made.size - end - 2 * BLOCK);
	CHECK(open_result(c) == E_OK);
}

static void a_lone_zero_block_is_not_the_end(void)
{
	/* A zero block, then a header: etc's header zeroed out. */
	struct archive c = copy(&made, made.size);
	memset(c.bytes + header_at(&made, "etc/"), 0, BLOCK);
	CHECK(open_result(c) == E_INVAL);
	/* One zero block and the archive ends. */
	CHECK(open_result(copy(&made, end_at(&made) + BLOCK)) == E_INVAL);
	/* The shortest archive: the end marker alone (tar of nothing). */
	struct archive empty = tar_make("--no-recursion", "-T /dev/null");
	struct bootfs fs;
	struct bootfs_entry e;
	CHECK(bootfs_open(&fs, empty.bytes, empty.size) == E_OK && fs.entries == 0);
	CHECK(bootfs_find(&fs, "bin/prog", &e) == E_NOENT);
	CHECK(open_result(copy(&empty, 2 * BLOCK)) == E_OK);
	CHECK(open_result(copy(&empty, 2 * BLOCK - 1)) == E_INVAL);
	free(empty.bytes);
	CHECK(bootfs_open(&fs, NULL, 0) == E_INVAL);
	CHECK(bootfs_open(&fs, NULL, 4 * BLOCK) == E_INVAL);
}

static void every_byte_of_a_header_is_checksummed(void)
{
	size_t at[] = { header_at(&made, "bin/prog"), header_at(&made, "etc/motd"),
			header_at(&made, "and-a-file-name") };
	for (size_t k = 0; k < sizeof(at) / sizeof(at[0]); k++)
		for (size_t i = 0; i < BLOCK; i++)
			for (int bit = 0; bit < 8; bit += 7) {
				struct archive c = copy(&made, made.size);
				c.bytes[at[k] + i] ^= (uint8_t)(1u << bit);
				if (!CHECK(open_result(c) == E_INVAL)) {
					printf("    (byte %zu of header %zu)\n", i, k);
					return;
				}
			}
	/* Data is not: a changed byte reads back changed. */
	struct archive c = copy(&made, made.size);
	size_t data = header_at(&made, "bin/prog") + BLOCK;
	c.bytes[data + 100] ^= 0x55;
	struct bootfs fs;
	struct bootfs_entry e;
	CHECK(bootfs_open(&fs, c.bytes, c.size) == E_OK);
	CHECK(bootfs_find(&fs, "bin/prog", &e) == E_OK && e.data[100] == (prog_bytes[100] ^ 0x55));
	free(c.bytes);
}

static void checksum_field_is_octal(void)
{
	const char *motd_h = "etc/motd";
	CHECK(open_result(changed(motd_h, 148, "0x1234\0 ", 8)) == E_INVAL);
	CHECK(open_result(changed(motd_h, 148, "        ", 8)) == E_INVAL);
	CHECK(open_result(changed(motd_h, 148, "\0\0\0\0\0\0\0\0", 8)) == E_INVAL);
	/* The right value in another layout still passes: leading spaces, no NUL. */
	struct archive c = copy(&made, made.size);
	uint8_t *h = c.bytes + header_at(&made, motd_h);
	unsigned stored = (unsigned)strtoul((const char *)h + 148, NULL, 8);
	char field[9];
	snprintf(field, sizeof(field), "  %05o ", stored);
	memcpy(h + 148, field, 8);
	CHECK(open_result(c) == E_OK);
	/* Signed-byte sums (old tars) are refused: a name byte above 127 tells them apart. */
	c = changed(motd_h, 4, "\xe9", 1);
	h = c.bytes + header_at(&c, "etc/\xe9");
	CHECK(open_result(copy(&c, c.size)) == E_OK);
	long sum = 0;
	for (int i = 0; i < BLOCK; i++)
		sum += i >= 148 && i < 156 ? ' ' : (signed char)h[i];
	snprintf((char *)h + 148, 8, "%06lo", (unsigned long)sum);
	CHECK(open_result(c) == E_INVAL);
}

static void octal_fields_take_digits_spaces_and_nuls_only(void)
{
	const char *f = "etc/motd";         /* 31 bytes: "00000000037" */
	CHECK(open_result(changed(f, 124, "0000000003x\0", 12)) == E_INVAL);
	CHECK(open_result(changed(f, 124, "000000000 37", 12)) == E_INVAL);
	CHECK(open_result(changed(f, 124, "           \0", 12)) == E_INVAL);
	CHECK(open_result(changed(f, 124, "\0\0\0\0\0\0\0\0\0\0\0\0", 12)) == E_INVAL);
	CHECK(open_result(changed(f, 124, "00000000038\0", 12)) == E_INVAL);   /* 8 */
	CHECK(open_result(changed(f, 124, "-0000000037\0", 12)) == E_INVAL);
	CHECK(open_result(changed(f, 124, "+0000000037\0", 12)) == E_INVAL);
	/* GNU's base-256 for big numbers: the top bit of the first byte. */
	CHECK(open_result(changed(f, 124, "\x80\0\0\0\0\0\0\0\0\0\0\x1f", 12)) == E_INVAL);
	/* The same 31 in other legal spellings. */
	CHECK(open_result(changed(f, 124, "         37\0", 12)) == E_OK);
	CHECK(open_result(changed(f, 124, "37 \0\0\0\0\0\0\0\0\0", 12)) == E_OK);
	CHECK(open_result(changed(f, 124, "000000000037", 12)) == E_OK);       /* no NUL */
	/* The mode field too, and its bound (what 7 digits hold). */
	CHECK(open_result(changed(f, 100, "00006x4\0", 8)) == E_INVAL);
	CHECK(open_result(changed(f, 100, "77777777", 8)) == E_INVAL);
	CHECK(open_result(changed(f, 100, "7777777\0", 8)) == E_OK);
	struct archive c = changed(f, 100, " 4755 \0\0", 8);
	struct bootfs fs;
	struct bootfs_entry e;
	CHECK(bootfs_open(&fs, c.bytes, c.size) == E_OK);
	CHECK(bootfs_find(&fs, f, &e) == E_OK && e.mode == 04755);
	free(c.bytes);
}

static void sizes_past_the_end_are_refused(void)
{
	const char *f = "bin/prog";
	size_t room = made.size - header_at(&made, f) - BLOCK;
	char field[13];
	/* The largest sizes the field holds, with and without a terminator. */
	CHECK(open_result(changed(f, 124, "77777777777\0", 12)) == E_INVAL);
	CHECK(open_result(changed(f, 124, "777777777777", 12)) == E_INVAL);
	/* One byte more than is left, and exactly what is left: the data fits, but it
	 * covers the end marker, so the bytes run out first. */
	snprintf(field, sizeof(field), "%011zo", room + 1);
	CHECK(open_result(changed(f, 124, field, 12)) == E_INVAL);
	snprintf(field, sizeof(field), "%011zo", room);
	CHECK(open_result(changed(f, 124, field, 12)) == E_INVAL);
	/* A size that lands the next header inside bin/prog's data. */
	CHECK(open_result(changed(f, 124, "00000000001\0", 12)) == E_INVAL);
	/* An archive cut inside a file's padding. */
	size_t last = header_at(&made, "and-a-file-name");
	CHECK(open_result(copy(&made, last + BLOCK + 6)) == E_INVAL);
	/* Read without bootfs_open, a file too long for the archive is not handed out. */
	snprintf(field, sizeof(field), "%011zo", room + 1);
	struct archive c = changed(f, 124, field, 12);
	struct bootfs fs = { c.bytes, c.size, 0 };
	struct bootfs_entry e;
	size_t cursor = 0;
	CHECK(bootfs_find(&fs, f, &e) == E_INVAL);
	CHECK(bootfs_next(&fs, &cursor, &e) == 1 && strcmp(e.path, "bin") == 0);
	CHECK(bootfs_next(&fs, &cursor, &e) == E_INVAL);
	free(c.bytes);
}

static void names_may_fill_their_fields(void)
{
	char name[101], prefix[156], want[258];
	memset(name, 'n', 100);
	memset(prefix, 'p', 155);
	name[100] = prefix[155] = '\0';
	struct bootfs fs;
	struct bootfs_entry e;

	struct archive c = changed("etc/motd", 0, name, 100);  /* no NUL after it */
	CHECK(bootfs_open(&fs, c.bytes, c.size) == E_OK);
	CHECK(bootfs_find(&fs, name, &e) == E_OK && strlen(e.path) == 100);
	CHECK(e.size == sizeof(motd) - 1);
	free(c.bytes);

	c = changed("etc/motd", 0, name, 100);
	uint8_t *h = c.bytes + header_at(&c, name);
	memcpy(h + 345, prefix, 155);
	checksum_fix(h);
	snprintf(want, sizeof(want), "%s/%s", prefix, name);
	CHECK(bootfs_open(&fs, c.bytes, c.size) == E_OK);
	CHECK(bootfs_find(&fs, want, &e) == E_OK && strlen(e.path) == 256);
	CHECK(strcmp(e.path, want) == 0);
	free(c.bytes);

	/* No name and no prefix: an empty path. A prefix and no name: "p...p/", a file's
	 * path ending in '/', as is a name ending in one. */
	CHECK(open_result(changed("etc/motd", 0, "\0", 1)) == E_INVAL);
	c = changed("etc/motd", 0, "\0", 1);
	h = c.bytes + header_at(&made, "etc/motd");
	memcpy(h + 345, prefix, 155);
	checksum_fix(h);
	CHECK(open_result(c) == E_INVAL);
	CHECK(open_result(changed("etc/motd", 0, "etc/motd/\0", 10)) == E_INVAL);
	/* A folder's trailing '/'s go, however many. */
	c = changed("etc/", 0, "etc///\0", 7);
	CHECK(bootfs_open(&fs, c.bytes, c.size) == E_OK);
	size_t cursor = 0;
	while (bootfs_next(&fs, &cursor, &e) > 0 && strcmp(e.path, "bin/prog") != 0)
		;
	CHECK(bootfs_next(&fs, &cursor, &e) == 1 && strcmp(e.path, "etc") == 0);
	free(c.bytes);
	c = changed("etc/", 0, "///\0", 4);
	CHECK(open_result(c) == E_INVAL);                   /* nothing left of it */
}

static void only_regular_files_are_files(void)
{
	struct bootfs fs;
	struct bootfs_entry e;
	/* Stepped over, with their data: a link, devices, a FIFO, pax, GNU and unknown. */
	const char types[] = { '1', '2', '3', '4', '6', '7', 'x', 'g', 'L', 'K', 'Z' };
	for (size_t i = 0; i < sizeof(types); i++) {
		struct archive c = changed("bin/prog", 156, &types[i], 1);
		CHECK(bootfs_open(&fs, c.bytes, c.size) == E_OK && fs.entries == LISTED - 1);
		CHECK(bootfs_find(&fs, "bin/prog", &e) == E_NOENT);
		CHECK(bootfs_find(&fs, "etc/motd", &e) == E_OK &&
		      memcmp(e.data, motd, e.size) == 0);
		free(c.bytes);
	}
	/* NUL is the old spelling of a regular file. */
	struct archive c = changed("bin/prog", 156, "\0", 1);
	CHECK(bootfs_open(&fs, c.bytes, c.size) == E_OK && fs.entries == LISTED);
	CHECK(bootfs_find(&fs, "bin/prog", &e) == E_OK && e.size == sizeof(prog_bytes));
	free(c.bytes);
	/* A folder with data is refused; an empty file made a folder is one. */
	CHECK(open_result(changed("bin/prog", 156, "5", 1)) == E_INVAL);
	c = changed("etc/empty", 156, "5", 1);
	CHECK(bootfs_open(&fs, c.bytes, c.size) == E_OK && fs.entries == LISTED);
	CHECK(bootfs_find(&fs, "etc/empty", &e) == E_NOENT);
	free(c.bytes);
}

static void only_posix_ustar_is_read(void)
{
	CHECK(open_result(changed("etc/motd", 257, "ustar  \0", 8)) == E_INVAL);  /* GNU */
	CHECK(open_result(changed("etc/motd", 263, "0 ", 2)) == E_INVAL);
	CHECK(open_result(changed("etc/motd", 257, "USTAR", 5)) == E_INVAL);
	/* tar's own GNU and v7 formats. */
	CHECK(open_result(tar_make("--format=gnu", "etc")) == E_INVAL);
	CHECK(open_result(tar_make("--format=v7", "etc")) == E_INVAL);
}

static void a_failed_open_reads_as_bad_and_cursors_stay(void)
{
	struct archive c = changed("etc/motd", 124, "0000000003x\0", 12);
	struct bootfs fs;
	struct bootfs_entry e;
	CHECK(bootfs_open(&fs, c.bytes, c.size) == E_INVAL);
	CHECK(fs.base == NULL && fs.size == 0 && fs.entries == 0);
	size_t cursor = 0;
	CHECK(bootfs_next(&fs, &cursor, &e) == E_INVAL && cursor == 0);
	CHECK(bootfs_find(&fs, "bin/prog", &e) == E_INVAL);
	/* Read anyway, the archive gives what comes before the bad header, then stops. */
	fs = (struct bootfs){ c.bytes, c.size, 0 };
	CHECK(bootfs_find(&fs, "etc/empty", &e) == E_OK);
	CHECK(bootfs_find(&fs, "var", &e) == E_INVAL);
	cursor = 0;
	size_t n = 0, last = 0;
	int got;
	while ((got = bootfs_next(&fs, &cursor, &e)) > 0)
		n++, last = cursor;
	CHECK(got == E_INVAL && n == 6 && cursor == last);
	CHECK(bootfs_next(&fs, &cursor, &e) == E_INVAL && cursor == last);
	free(c.bytes);
}

/* Random bytes changed anywhere, checksums fixed or not: the reader answers 0 or
 * E_INVAL, and everything it hands out lies inside the archive. */
static void random_damage_never_escapes_the_archive(void)
{
	unsigned long x = 0x9e3779b97f4a7c15ul;
	size_t end = end_at(&made) + 2 * BLOCK;
	for (int round = 0; round < 20000; round++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		size_t size = x % 4 ? end : x % end;
		struct archive c = copy(&made, size);
		for (int k = 1 + (int)(x >> 60); k > 0 && size; k--) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			c.bytes[x % size] = (uint8_t)(x >> 32);
		}
		for (size_t off = 0; (x >> 40) & 1 && off + BLOCK <= size; off += BLOCK)
			if (c.bytes[off + 257] == 'u')
				checksum_fix(c.bytes + off);
		struct bootfs fs;
		struct bootfs_entry e;
		int err = bootfs_open(&fs, c.bytes, c.size);
		if (!CHECK(err == E_OK || err == E_INVAL))
			break;
		size_t cursor = 0, n = 0;
		while (bootfs_next(&fs, &cursor, &e) > 0 && n <= size / BLOCK) {
			n++;
			CHECK(e.size <= size && strlen(e.path) < BOOTFS_PATH_MAX);
			if (e.data)
				CHECK(e.data >= c.bytes && e.data + e.size <= c.bytes + size);
		}
		CHECK(n == fs.entries);
		/* And read without bootfs_open's verdict. */
		fs = (struct bootfs){ c.bytes, size, 0 };
		for (cursor = 0, n = 0; bootfs_next(&fs, &cursor, &e) > 0 && n <= size / BLOCK;) {
			n++;
			CHECK(cursor <= size + BLOCK - 1);
			if (e.data)
				CHECK(e.data >= c.bytes && e.data + e.size <= c.bytes + size);
		}
		CHECK(n <= size / BLOCK);
		free(c.bytes);
	}
}

/* --- running them ----------------------------------------------------------------- */

static const struct host_group groups[] = {
	GROUP(tar_archive_lists_every_entry_in_order),
	GROUP(find_gets_regular_files_only),
	GROUP(every_truncation_is_refused_until_the_end_marker),
	GROUP(a_lone_zero_block_is_not_the_end),
	GROUP(every_byte_of_a_header_is_checksummed),
	GROUP(checksum_field_is_octal),
	GROUP(octal_fields_take_digits_spaces_and_nuls_only),
	GROUP(sizes_past_the_end_are_refused),
	GROUP(names_may_fill_their_fields),
	GROUP(only_regular_files_are_files),
	GROUP(only_posix_ustar_is_read),
	GROUP(a_failed_open_reads_as_bad_and_cursors_stay),
	GROUP(random_damage_never_escapes_the_archive),
};

int main(int argc, char **argv)
{
	tree_make();
	return host_run(groups, sizeof groups / sizeof groups[0], NULL, argc, argv);
}
