/**
 * @file
 * bootfs.h — reading the bootfs, a POSIX ustar archive in memory: find a file by its
 * path, or walk the entries in archive order.
 *
 * The one thing to know: the archive is untrusted input, read in place. bootfs_open()
 * checks every header once, up to the end marker (two zero blocks), and refuses the
 * archive (E_INVAL) at the first bad one: a wrong checksum or magic, an octal field
 * with anything but digits, leading spaces and trailing NULs or spaces, data running
 * past the archive's end, a directory with data, or bytes that run out before the end
 * marker. bootfs_next() and bootfs_find() check each header again as they read it, so
 * they never read outside the archive whatever it holds. Regular files (type '0' or
 * NUL) are files; directories (type '5') are listed too, as BOOTFS_DIR entries without
 * data; every other type (links, devices, pax and GNU extension headers) is stepped
 * over, neither listed nor found. A path is the ustar prefix, '/' and the name (either
 * may fill its field with no NUL), without a directory's trailing '/'. Nothing here
 * calls another function: the same file builds for user programs and for the host's
 * unit tests (kernel/test/host/bootfs_test.c).
 */
#ifndef USER_BOOTFS_H
#define USER_BOOTFS_H

#include <stddef.h>
#include <stdint.h>

#define BOOTFS_BLOCK    512
/* The ustar prefix (155 bytes), '/', the name (100) and a NUL. */
#define BOOTFS_PATH_MAX 257

enum bootfs_type {
	BOOTFS_FILE = 1,
	BOOTFS_DIR = 2,
};

/* An archive that bootfs_open() accepted; after a failed open, one that reads as bad. */
struct bootfs {
	const uint8_t *base;
	size_t size;            /* bytes at base */
	size_t entries;         /* files and directories listed */
};

struct bootfs_entry {
	char path[BOOTFS_PATH_MAX];     /* NUL-terminated, never empty */
	enum bootfs_type type;
	uint32_t mode;                  /* the permission bits, e.g. 0755 */
	const uint8_t *data;            /* inside the archive; NULL for a directory */
	size_t size;                    /* bytes at data; 0 for a directory */
};

/*
 * Checks the archive of `size` bytes at base whole and sets *fs up to read it.
 * Returns 0, or E_INVAL for a bad header or a truncated archive (see above). Bytes
 * after the end marker (tar pads an archive to 10 KiB records) are not read.
 */
int bootfs_open(struct bootfs *fs, const void *base, size_t size);

/*
 * The entry at *cursor (start with 0), or the next listed one after it: fills *entry,
 * moves *cursor past it (by at least one block) and returns 1. Returns 0 at the end
 * marker and E_INVAL at a bad header, leaving *cursor where it was.
 */
int bootfs_next(const struct bootfs *fs, size_t *cursor, struct bootfs_entry *entry);

/*
 * The first regular file at path ("bin/hello"; leading '/' and "./" are ignored on
 * both sides): fills *entry and returns 0. E_NOENT if there is none (a directory or
 * a link is not a file), E_INVAL if a bad header comes first.
 */
int bootfs_find(const struct bootfs *fs, const char *path, struct bootfs_entry *entry);

#endif
