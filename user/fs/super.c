/**
 * @file
 * super.c — mounting: the superblock checked field by field, the group descriptors,
 * and the free counts written back.
 *
 * The one thing to know: the mount is where a hostile disk is stopped cheaply. Every
 * size the rest of the code divides by or loops over (block size, blocks and inodes
 * per group, the group count, the inode size) is checked here once, so later code can
 * trust them; what it cannot check once (a block number inside a file, a directory
 * record) it checks where it reads it. A feature this code does not know that changes
 * how the disk must be read refuses the mount; one that only matters to writers makes
 * it read-only.
 */
#include <string.h>
#include <abi/error.h>
#include <fs.h>
#include "ext2.h"

#define SUPER_OFFSET            1024

long ext2_super_check(struct ext2 *fs, const uint8_t *first4k, uint64_t disk_bytes)
{
	struct ext2_super sb;
	memcpy(&sb, first4k + SUPER_OFFSET, sizeof(sb));
	if (sb.magic != EXT2_MAGIC || sb.log_block_size > 2)
		return E_CORRUPT;
	uint32_t bs = 1024u << sb.log_block_size;
	if (sb.rev_level == 0) {
		sb.inode_size = EXT2_GOOD_OLD_INODE;
		sb.first_ino = 11;
	}
	if (sb.rev_level > 1 || sb.blocks_per_group == 0 || sb.blocks_per_group > 8 * bs ||
	    sb.inodes_per_group == 0 || sb.inodes_per_group > 8 * bs ||
	    sb.inode_size < EXT2_GOOD_OLD_INODE || sb.inode_size > bs ||
	    (sb.inode_size & (sb.inode_size - 1)) ||
	    sb.first_data_block != (bs == 1024 ? 1u : 0u) ||
	    sb.blocks_count <= sb.first_data_block ||
	    (uint64_t)sb.blocks_count * bs > disk_bytes ||
	    sb.first_ino <= EXT2_ROOT_INO || sb.first_ino > sb.inodes_count)
		return E_CORRUPT;
	uint32_t groups = (sb.blocks_count - sb.first_data_block + sb.blocks_per_group - 1) /
			  sb.blocks_per_group;
	if ((uint64_t)groups * sb.inodes_per_group < sb.inodes_count ||
	    (uint64_t)groups * sizeof(struct ext2_group) > (uint64_t)bs * 64)
		return E_CORRUPT;
	if (sb.feature_incompat & ~(uint32_t)EXT2_FEATURE_INCOMPAT_FILETYPE)
		return E_CORRUPT;       /* compression, journals to replay, extents: not ours */
	*fs = (struct ext2){
		.sb = sb, .block_size = bs, .ptrs = bs / 4, .groups = groups,
		.gdt_block = sb.first_data_block + 1,
		.super_block = SUPER_OFFSET / bs, .super_offset = SUPER_OFFSET % bs,
		.free_blocks = sb.free_blocks_count, .free_inodes = sb.free_inodes_count,
		.now = sb.wtime > sb.mtime ? sb.wtime : sb.mtime,
		.readonly = (sb.feature_ro_compat & ~(uint32_t)(EXT2_FEATURE_RO_SPARSE_SUPER |
							EXT2_FEATURE_RO_LARGE_FILE)) != 0,
		.large_file = (sb.feature_ro_compat & EXT2_FEATURE_RO_LARGE_FILE) != 0,
	};
	if (fs->now == 0)
		fs->now = 1;    /* a deleted inode needs a dtime that is not 0 */
	return 0;
}

long ext2_mount(struct ext2 *fs, struct cache *c)
{
	const struct ext2_super sb = fs->sb;
	uint32_t bs = fs->block_size;
	fs->cache = c;
	/* Every group's tables inside the disk, and past its descriptors. */
	for (uint32_t g = 0; g < fs->groups; g++) {
		struct ext2_group d;
		long r = ext2_group_get(fs, g, &d);
		if (r)
			return r;
		uint32_t table_blocks = (sb.inodes_per_group * sb.inode_size + bs - 1) / bs;
		bool map_bad = d.block_bitmap >= sb.blocks_count || d.block_bitmap < fs->gdt_block;
		bool imap_bad = d.inode_bitmap >= sb.blocks_count || d.inode_bitmap < fs->gdt_block;
		bool table_bad = d.inode_table >= sb.blocks_count || d.inode_table < fs->gdt_block ||
				 table_blocks > sb.blocks_count - d.inode_table;
		if (map_bad || imap_bad || table_bad) {
			fs->bad_group = g;      /* for the refusal's words */
			fs->bad_block = map_bad ? d.block_bitmap :
					imap_bad ? d.inode_bitmap : d.inode_table;
			return E_CORRUPT;
		}
	}
	return 0;
}

/* Descriptor g's block and offset. */
static long group_where(struct ext2 *fs, uint32_t g, uint32_t *block, uint32_t *off)
{
	if (g >= fs->groups)
		return E_CORRUPT;
	uint64_t byte = (uint64_t)g * sizeof(struct ext2_group);
	*block = fs->gdt_block + (uint32_t)(byte / fs->block_size);
	*off = (uint32_t)(byte % fs->block_size);
	return 0;
}

long ext2_meta(struct ext2 *fs, uint32_t block, uint32_t off, void *buf, uint32_t len,
	       bool write)
{
	long err;
	struct cache_block *b = cache_get(fs->cache, block, &err);
	if (!b)
		return err;
	if (write) {
		memcpy(b->data + off, buf, len);
		cache_dirty(fs->cache, b);
	} else {
		memcpy(buf, b->data + off, len);
	}
	cache_put(fs->cache, b);
	return 0;
}

long ext2_group_get(struct ext2 *fs, uint32_t g, struct ext2_group *out)
{
	uint32_t block, off;
	long err = group_where(fs, g, &block, &off);
	return err ? err : ext2_meta(fs, block, off, out, sizeof(*out), false);
}

long ext2_group_put(struct ext2 *fs, uint32_t g, const struct ext2_group *in)
{
	uint32_t block, off;
	long err = group_where(fs, g, &block, &off);
	return err ? err : ext2_meta(fs, block, off, (void *)in, sizeof(*in), true);
}

/* The free counts into the primary superblock (the backups keep the mount's: e2fsck
 * takes the primary's, and mke2fs's backups are never current either). */
long ext2_super_write(struct ext2 *fs)
{
	long err;
	struct cache_block *b = cache_get(fs->cache, fs->super_block, &err);
	if (!b)
		return err;
	struct ext2_super *sb = (struct ext2_super *)(b->data + fs->super_offset);
	sb->free_blocks_count = fs->free_blocks;
	sb->free_inodes_count = fs->free_inodes;
	cache_dirty(fs->cache, b);
	cache_put(fs->cache, b);
	return 0;
}
