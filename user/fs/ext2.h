/**
 * @file
 * ext2.h — the second extended file system as the file server reads and writes it:
 * the on-disk records, the mounted file system, and its operations.
 *
 * The one thing to know: everything on the disk is hostile input. A block number is
 * checked against the disk before it is read, a directory record against its block
 * before its name is, an inode number against the inode count; a field that cannot be
 * true ends the operation with E_CORRUPT, never with a fault or an endless loop
 * (every loop is bounded by the disk's size or a fixed depth). Layout facts follow
 * Dave Poirier's "The Second Extended File System" (revision 1): the superblock at
 * byte 1024, the group descriptors in the block after it, 32 bytes each.
 */
#ifndef FS_EXT2_H
#define FS_EXT2_H

#include <stdbool.h>
#include <stdint.h>
#include "cache.h"

#define EXT2_MAGIC              0xef53
#define EXT2_ROOT_INO           2
#define EXT2_NDIR               12      /* direct pointers in an inode */
#define EXT2_IND                12      /* i_block[12]: single, [13]: double, [14]: triple */
#define EXT2_NBLOCK             15
#define EXT2_GOOD_OLD_INODE     128
#define EXT2_FEATURE_INCOMPAT_FILETYPE  0x0002
#define EXT2_FEATURE_RO_SPARSE_SUPER    0x0001
#define EXT2_FEATURE_RO_LARGE_FILE      0x0002
#define EXT2_INDEX_FL           0x00001000      /* a hashed directory (we keep it linear) */
#define EXT2_DIR_MAX_BYTES      (16u << 20)     /* a larger directory is taken as damaged */
#define EXT2_LINK_MAX           32000   /* the most links an inode may have (Linux's) */

struct ext2_super {
	uint32_t inodes_count, blocks_count, r_blocks_count, free_blocks_count;
	uint32_t free_inodes_count, first_data_block, log_block_size, log_frag_size;
	uint32_t blocks_per_group, frags_per_group, inodes_per_group, mtime, wtime;
	uint16_t mnt_count, max_mnt_count, magic, state, errors, minor_rev_level;
	uint32_t lastcheck, checkinterval, creator_os, rev_level;
	uint16_t def_resuid, def_resgid;
	uint32_t first_ino;
	uint16_t inode_size, block_group_nr;
	uint32_t feature_compat, feature_incompat, feature_ro_compat;
};

struct ext2_group {
	uint32_t block_bitmap, inode_bitmap, inode_table;
	uint16_t free_blocks_count, free_inodes_count, used_dirs_count, pad;
	uint32_t reserved[3];
};

/* The first 128 bytes of an inode (a larger inode's rest is left as it is). */
struct ext2_inode {
	uint16_t mode, uid;
	uint32_t size, atime, ctime, mtime, dtime;
	uint16_t gid, links_count;
	uint32_t blocks;                /* 512-byte sectors, indirect blocks included */
	uint32_t flags, osd1;
	uint32_t block[EXT2_NBLOCK];
	uint32_t generation, file_acl, size_high, faddr;
	uint8_t osd2[12];
};

struct ext2_dirent {
	uint32_t inode;
	uint16_t rec_len;
	uint8_t name_len, file_type;
	char name[];
};

#define EXT2_S_IFMT             0xf000
#define EXT2_S_IFREG            0x8000
#define EXT2_S_IFDIR            0x4000
#define EXT2_FT_REG             1
#define EXT2_FT_DIR             2

/* A mounted file system. */
struct ext2 {
	struct cache *cache;
	struct ext2_super sb;           /* as mounted; the counts below are kept current */
	uint32_t block_size, ptrs;      /* ptrs: block numbers in a block */
	uint32_t groups, gdt_block, super_block, super_offset;
	uint32_t free_blocks, free_inodes;
	uint32_t now;                   /* the time stamps written (no clock: the mount's) */
	uint32_t bad_group, bad_block;  /* a refused mount: the group and the block it named */
	bool readonly, large_file;
};

/* A file's place: an inode number and a copy of its inode. */
struct ext2_file {
	uint32_t ino;
	struct ext2_inode in;
};

/* super.c: the superblock checked (raw: the first 4 KiB of the disk), then the mount
 * over a cache of the block size it gave, which checks every group's tables. */
long ext2_super_check(struct ext2 *fs, const uint8_t *first4k, uint64_t disk_bytes);
long ext2_mount(struct ext2 *fs, struct cache *c);
/* len bytes at (block, off) copied out of the cache, or into it (then dirty). */
long ext2_meta(struct ext2 *fs, uint32_t block, uint32_t off, void *buf, uint32_t len,
	       bool write);
long ext2_group_get(struct ext2 *fs, uint32_t g, struct ext2_group *out);
long ext2_group_put(struct ext2 *fs, uint32_t g, const struct ext2_group *in);
long ext2_super_write(struct ext2 *fs);

/* alloc.c: blocks and inodes from the bitmaps, the counts kept. */
long ext2_block_alloc(struct ext2 *fs, uint32_t goal, uint32_t *out);
long ext2_block_free(struct ext2 *fs, uint32_t block);
long ext2_inode_alloc(struct ext2 *fs, uint32_t parent, bool dir, uint32_t *out);
long ext2_inode_free(struct ext2 *fs, uint32_t ino, bool dir);

/* inode.c: inodes, the block map, file data. */
long ext2_inode_read(struct ext2 *fs, uint32_t ino, struct ext2_inode *out);
long ext2_inode_write(struct ext2 *fs, uint32_t ino, const struct ext2_inode *in);
uint64_t ext2_size(const struct ext2 *fs, const struct ext2_inode *in);
void ext2_size_set(struct ext2 *fs, struct ext2_inode *in, uint64_t size);
/* The disk block of file block n: 0 for a hole (alloc false), or one allocated. */
long ext2_bmap(struct ext2 *fs, struct ext2_file *f, uint64_t n, bool alloc, uint32_t *out);
long ext2_read(struct ext2 *fs, struct ext2_file *f, uint64_t off, void *buf, uint32_t len);
long ext2_write(struct ext2 *fs, struct ext2_file *f, uint64_t off, const void *buf,
		uint32_t len);
long ext2_truncate(struct ext2 *fs, struct ext2_file *f, uint64_t size);

/* dir.c: directories and names. */
long ext2_lookup(struct ext2 *fs, struct ext2_file *dir, const char *name, uint32_t len,
		 uint32_t *ino);
/* Resolves an absolute path: *file is what it names; with parent (not NULL), the
 * directory holding the last name, which *last and *last_len point at (the path "/"
 * has none: E_INVAL). */
long ext2_walk(struct ext2 *fs, const char *path, struct ext2_file *file);
long ext2_walk_parent(struct ext2 *fs, const char *path, struct ext2_file *parent,
		      const char **last, uint32_t *last_len);
long ext2_dir_add(struct ext2 *fs, struct ext2_file *dir, const char *name, uint32_t len,
		  uint32_t ino, uint8_t type);
long ext2_dir_remove(struct ext2 *fs, struct ext2_file *dir, const char *name, uint32_t len);
long ext2_dir_empty(struct ext2 *fs, struct ext2_file *dir);
/* Directory records from byte *pos on, into buf as struct fs_dirent records; bytes. */
long ext2_readdir(struct ext2 *fs, struct ext2_file *dir, uint64_t *pos, void *buf,
		  uint32_t max);

/* ops.c: what the protocol asks for, on paths. */
long ext2_create(struct ext2 *fs, const char *path, bool excl, struct ext2_file *out);
long ext2_mkdir(struct ext2 *fs, const char *path);
long ext2_unlink(struct ext2 *fs, const char *path, bool dir, uint32_t *freed_later);
long ext2_rename(struct ext2 *fs, const char *from, const char *to);
/* Frees an inode whose last name went (at once, or at its last close). */
long ext2_release(struct ext2 *fs, uint32_t ino);

#endif
