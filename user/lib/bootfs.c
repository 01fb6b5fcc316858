/**
 * @file
 * bootfs.c — the bootfs reader: ustar headers checked field by field, in place.
 *
 * The one thing to know: every step is bounded by the archive, never by what a header
 * says. A header is read only when its whole block lies inside the archive; a size is
 * believed only when the data fits in what is left; and each header read moves on by
 * at least one block, so a walk ends after at most size / 512 headers, whatever the
 * bytes are. Layout (POSIX.1-2017, pax "ustar Interchange Format"): a 512-byte header
 * per entry, its data in whole blocks after it, and two zero blocks at the end.
 */
#include <abi/error.h>
#include <stdbool.h>
#include "bootfs.h"

/* Offsets and lengths of the header fields this reader uses. */
#define H_NAME          0
#define H_NAME_LEN      100
#define H_MODE          100
#define H_MODE_LEN      8
#define H_SIZE          124
#define H_SIZE_LEN      12
#define H_CHKSUM        148
#define H_CHKSUM_LEN    8
#define H_TYPEFLAG      156
#define H_MAGIC         257     /* "ustar" NUL, then the version "00" */
#define H_PREFIX        345
#define H_PREFIX_LEN    155

#define MODE_MAX        07777777u       /* what 7 octal digits hold */

/* How a header ends a read: an entry to list, one to step over, or the end marker. */
enum header_kind { HEADER_LISTED, HEADER_SKIPPED, HEADER_END };

/*
 * The value of an octal field: leading spaces, at least one digit, then nothing but
 * NULs and spaces. E_INVAL for anything else (GNU's base-256 numbers, whose first byte
 * has its top bit set, included) and for a value above max.
 */
static int octal_parse(const uint8_t *field, size_t len, uint64_t max, uint64_t *out)
{
	size_t i = 0;
	while (i < len && field[i] == ' ')
		i++;
	if (i == len || field[i] < '0' || field[i] > '7')
		return E_INVAL;
	uint64_t value = 0;
	for (; i < len && field[i] >= '0' && field[i] <= '7'; i++) {
		if (value > max / 8)
			return E_INVAL;         /* value * 8 alone would pass max */
		value = value * 8 + (uint64_t)(field[i] - '0');
		if (value > max)
			return E_INVAL;
	}
	for (; i < len; i++)
		if (field[i] != '\0' && field[i] != ' ')
			return E_INVAL;
	*out = value;
	return E_OK;
}

static bool block_is_zero(const uint8_t *block)
{
	for (size_t i = 0; i < BOOTFS_BLOCK; i++)
		if (block[i])
			return false;
	return true;
}

/* The header's checksum is right: its bytes summed as unsigned, the field itself
 * counted as eight spaces (POSIX; some old tars summed signed bytes: refused). */
static bool checksum_ok(const uint8_t *h)
{
	uint64_t stored;
	if (octal_parse(h + H_CHKSUM, H_CHKSUM_LEN, ~0ull, &stored) != E_OK)
		return false;
	uint64_t sum = 0;
	for (size_t i = 0; i < BOOTFS_BLOCK; i++)
		sum += i >= H_CHKSUM && i < H_CHKSUM + H_CHKSUM_LEN ? ' ' : h[i];
	return sum == stored;
}

/* The length of a field that ends at its first NUL, or fills all len bytes. */
static size_t field_len(const uint8_t *field, size_t len)
{
	size_t n = 0;
	while (n < len && field[n])
		n++;
	return n;
}

/* entry->path from the prefix and name fields; a directory's trailing '/'s go.
 * E_INVAL for an empty path, or a file's that ends in '/'. */
static int path_build(const uint8_t *h, struct bootfs_entry *entry)
{
	size_t prefix = field_len(h + H_PREFIX, H_PREFIX_LEN);
	size_t name = field_len(h + H_NAME, H_NAME_LEN);
	size_t n = 0;
	for (size_t i = 0; i < prefix; i++)
		entry->path[n++] = (char)h[H_PREFIX + i];
	if (prefix)
		entry->path[n++] = '/';
	for (size_t i = 0; i < name; i++)
		entry->path[n++] = (char)h[H_NAME + i];
	if (n > 0 && entry->path[n - 1] == '/' && entry->type == BOOTFS_FILE)
		return E_INVAL;         /* an old tar's directory, or a trick: refused */
	while (n > 0 && entry->path[n - 1] == '/')
		n--;
	entry->path[n] = '\0';
	return n > 0 ? E_OK : E_INVAL;
}

/*
 * Reads the header at off: returns its kind and sets *next to where the following
 * header starts (after the data and its padding), filling *entry for a listed one;
 * E_INVAL for a bad header, or when the archive's bytes end before off + 512.
 */
static int header_read(const struct bootfs *fs, size_t off, struct bootfs_entry *entry,
		       size_t *next)
{
	if (!fs->base || off > fs->size || fs->size - off < BOOTFS_BLOCK)
		return E_INVAL;         /* the bytes ran out before the end marker */
	const uint8_t *h = fs->base + off;
	size_t room = fs->size - off - BOOTFS_BLOCK;    /* bytes after this header */
	if (block_is_zero(h))           /* the end marker is two zero blocks, not one */
		return room >= BOOTFS_BLOCK && block_is_zero(h + BOOTFS_BLOCK) ? HEADER_END
									       : E_INVAL;
	static const char magic[8] = { 'u', 's', 't', 'a', 'r', '\0', '0', '0' };
	for (size_t i = 0; i < sizeof(magic); i++)
		if (h[H_MAGIC + i] != (uint8_t)magic[i])
			return E_INVAL;
	uint64_t size, mode;
	if (!checksum_ok(h) || octal_parse(h + H_SIZE, H_SIZE_LEN, ~0ull, &size) != E_OK ||
	    octal_parse(h + H_MODE, H_MODE_LEN, MODE_MAX, &mode) != E_OK || size > room)
		return E_INVAL;
	/* After the padding to a whole block, which may lie past a cut-short archive's
	 * end (by 511 bytes at most: no wrap-around), where the next read fails. */
	size_t pad = (BOOTFS_BLOCK - size % BOOTFS_BLOCK) % BOOTFS_BLOCK;
	*next = off + BOOTFS_BLOCK + (size_t)size + pad;
	uint8_t type = h[H_TYPEFLAG];
	if (type == '0' || type == '\0')
		entry->type = BOOTFS_FILE;
	else if (type == '5')
		entry->type = BOOTFS_DIR;
	else
		return HEADER_SKIPPED;
	if (entry->type == BOOTFS_DIR && size != 0)
		return E_INVAL;         /* ustar directories carry no data */
	if (path_build(h, entry) != E_OK)
		return E_INVAL;
	entry->mode = (uint32_t)(mode & 07777);
	entry->data = entry->type == BOOTFS_FILE ? h + BOOTFS_BLOCK : NULL;
	entry->size = (size_t)size;
	return HEADER_LISTED;
}

int bootfs_next(const struct bootfs *fs, size_t *cursor, struct bootfs_entry *entry)
{
	/* Ends: each round returns or moves off on by a block or more, and a read at
	 * the archive's end is an error. */
	for (size_t off = *cursor;;) {
		size_t next;
		int kind = header_read(fs, off, entry, &next);
		if (kind < 0)
			return kind;
		if (kind == HEADER_END)
			return 0;
		off = next;
		if (kind == HEADER_LISTED) {
			*cursor = off;
			return 1;
		}
	}
}

int bootfs_open(struct bootfs *fs, const void *base, size_t size)
{
	struct bootfs_entry entry;
	size_t cursor = 0, entries = 0;
	int got;

	fs->base = base;
	fs->size = size;
	while ((got = bootfs_next(fs, &cursor, &entry)) > 0)
		entries++;
	if (got < 0) {
		fs->base = NULL;
		fs->size = 0;
		entries = 0;
	}
	fs->entries = entries;
	return got;
}

/* path without its leading '/'s and "./"s. */
static const char *path_trim(const char *path)
{
	for (;;) {
		if (path[0] == '/')
			path++;
		else if (path[0] == '.' && path[1] == '/')
			path += 2;
		else
			return path;
	}
}

static bool path_equal(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

int bootfs_find(const struct bootfs *fs, const char *path, struct bootfs_entry *entry)
{
	const char *want = path_trim(path);
	size_t cursor = 0;
	int got;

	while ((got = bootfs_next(fs, &cursor, entry)) > 0)
		if (entry->type == BOOTFS_FILE && path_equal(path_trim(entry->path), want))
			return E_OK;
	return got < 0 ? got : E_NOENT;
}
