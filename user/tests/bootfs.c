/**
 * @file
 * bootfs.c — the kit's self-test of the bootfs: what the root task sees at USER_BOOTFS.
 *
 * The one thing to know: this is no lab's test (no student writes the bootfs), so
 * grade/selftest.py runs it from `make check`, not grade/labN.py. It lists every entry
 * with its mode, size and a digest of its bytes (challenge.h's, over 8-byte
 * little-endian words, the last one padded with zeros), then finds a few paths; the
 * grader computes the same lines from build/bootfs.tar with Python's own tar reader.
 * A boot without the bootfs module prints one line and ends cleanly.
 */
#include <bootfs.h>
#include <minim.h>
#include <stdbool.h>
#include "utest.h"

/* The digest of n bytes at data, as engine/challenge.py's digest of the same words. */
static uint64_t bytes_digest(const uint8_t *data, size_t n)
{
	uint64_t h = DIGEST_START;
	for (size_t i = 0; i < n; i += 8) {
		uint64_t word = 0;
		for (size_t j = 0; j < 8 && i + j < n; j++)
			word |= (uint64_t)data[i + j] << (8 * j);
		h = digest_add(h, word);
	}
	return h;
}

/* The four octal digits of a mode, as a decimal number to print: 0755 -> 755. */
static unsigned mode_digits(uint32_t mode)
{
	return (mode >> 9 & 7) * 1000 + (mode >> 6 & 7) * 100 + (mode >> 3 & 7) * 10 +
	       (mode & 7);
}

/* A little-endian number of n bytes at p. */
static uint64_t le(const uint8_t *p, int n)
{
	uint64_t v = 0;
	while (n-- > 0)
		v = v << 8 | p[n];
	return v;
}

static void find_program(const struct bootfs *fs, const char *path)
{
	struct bootfs_entry e;
	int err = bootfs_find(fs, path, &e);
	if (err != E_OK || e.size < 64) {
		printf("bootfs: find %s -> %d\n", path, err);
		return;
	}
	const uint8_t *h = e.data;
	bool elf = h[0] == 0x7f && h[1] == 'E' && h[2] == 'L' && h[3] == 'F';
	printf("bootfs: find %s -> 0, %s class %u machine %lu entry %lx\n", path,
	       elf ? "ELF" : "not ELF", h[4], le(h + 18, 2), le(h + 24, 8));
}

static void find_text(const struct bootfs *fs, const char *path)
{
	struct bootfs_entry e;
	int err = bootfs_find(fs, path, &e);
	if (err != E_OK) {
		printf("bootfs: find %s -> %d\n", path, err);
		return;
	}
	char line[128];
	size_t n = 0;
	while (n < e.size && n < sizeof(line) - 1 && e.data[n] != '\n') {
		line[n] = (char)e.data[n];
		n++;
	}
	line[n] = '\0';
	printf("bootfs: find %s -> 0, its first line: %s\n", path, line);
}

UTEST(bootfs_list)
{
	if (bi->bootfs_size == 0) {
		printf("bootfs: none in this boot (start %lx, size 0)\n", bi->bootfs_start);
		return;
	}
	struct bootfs fs;
	int err = bootfs_open(&fs, (const void *)bi->bootfs_start, bi->bootfs_size);
	printf("bootfs: %lu bytes at %lx, open -> %d, %zu entries\n", bi->bootfs_size,
	       bi->bootfs_start, err, fs.entries);
	if (err != E_OK)
		return;

	struct bootfs_entry e;
	size_t cursor = 0, files = 0, bytes = 0;
	while ((err = bootfs_next(&fs, &cursor, &e)) > 0) {
		if (e.type == BOOTFS_DIR) {
			printf("bootfs: dir %s mode %04u\n", e.path, mode_digits(e.mode));
			continue;
		}
		printf("bootfs: file %s mode %04u size %zu digest %016lx\n", e.path,
		       mode_digits(e.mode), e.size, bytes_digest(e.data, e.size));
		files++;
		bytes += e.size;
	}
	printf("bootfs: end -> %d, %zu files, %zu bytes\n", err, files, bytes);

	find_program(&fs, "/bin/hello");
	find_text(&fs, "etc/motd");
	find_text(&fs, "bin");          /* a directory is not a file */
	find_text(&fs, "etc/nothing");
}
