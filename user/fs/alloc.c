/**
 * @file
 * alloc.c — blocks and inodes taken from and given back to the groups' bitmaps, with
 * the free counts of the group descriptors and the superblock kept equal to them.
 *
 * The one thing to know: the bitmap is the truth and the counts follow it. A search
 * trusts only what it reads in a bitmap (a group whose count says "free" but whose
 * bitmap is full is skipped, not believed), every bit it tests is inside the group,
 * and each search reads each group's bitmap at most once, so a lying disk costs
 * time bounded by its size. Freeing a bit that is already clear is E_CORRUPT: a block
 * that two files claim is damage, and the count must not grow past the truth.
 */
#include <string.h>
#include <abi/error.h>
#include <fs.h>
#include "ext2.h"

/* Blocks in group g (the last may be short). */
static uint32_t group_blocks(const struct ext2 *fs, uint32_t g)
{
	uint32_t first = fs->sb.first_data_block + g * fs->sb.blocks_per_group;
	uint32_t left = fs->sb.blocks_count - first;
	return left < fs->sb.blocks_per_group ? left : fs->sb.blocks_per_group;
}

/* The first clear bit below `bits` in the bitmap block, set; or -1. */
static long bit_take(uint8_t *map, uint32_t bits, uint32_t from)
{
	/* LAB 8 BEGIN: finding a free bit */
	for (uint32_t i = 0; i < bits; i++) {
		uint32_t bit = (from + i) % bits;
		if (!(map[bit / 8] & (1u << (bit % 8)))) {
			map[bit / 8] |= (uint8_t)(1u << (bit % 8));
			return bit;
		}
	}
	/* LAB 8 STUB
	// Bit b of the bitmap is bit b % 8 of byte b / 8. Look at bits from `from` on,
	// wrapping at `bits`, each once; set the first clear one and return its number.
	(void)map; (void)bits; (void)from;
	*/
	/* LAB 8 END */
	return -1;
}

/* Takes a bit from group g's bitmap at `bitmap_block`: the bit, or -1 / an error. */
static long group_take(struct ext2 *fs, uint32_t bitmap_block, uint32_t bits, uint32_t from,
		       long *err)
{
	struct cache_block *b = cache_get(fs->cache, bitmap_block, err);
	if (!b)
		return -2;
	long bit = bit_take(b->data, bits, from);
	if (bit >= 0)
		cache_dirty(fs->cache, b);
	cache_put(fs->cache, b);
	return bit;
}

long ext2_block_alloc(struct ext2 *fs, uint32_t goal, uint32_t *out)
{
	if (fs->readonly)
		return E_ROFS;
	if (goal < fs->sb.first_data_block || goal >= fs->sb.blocks_count)
		goal = fs->sb.first_data_block;
	uint32_t g0 = (goal - fs->sb.first_data_block) / fs->sb.blocks_per_group;
	for (uint32_t i = 0; i < fs->groups; i++) {
		uint32_t g = (g0 + i) % fs->groups;
		struct ext2_group d;
		long err = ext2_group_get(fs, g, &d);
		if (err)
			return err;
		if (d.free_blocks_count == 0)
			continue;
		uint32_t first = fs->sb.first_data_block + g * fs->sb.blocks_per_group;
		uint32_t from = i == 0 ? goal - first : 0;
		long bit = group_take(fs, d.block_bitmap, group_blocks(fs, g), from, &err);
		if (bit == -2)
			return err;
		if (bit < 0)
			continue;
		d.free_blocks_count--;
		fs->free_blocks -= fs->free_blocks > 0;
		if ((err = ext2_group_put(fs, g, &d)) || (err = ext2_super_write(fs)))
			return err;
		*out = first + (uint32_t)bit;
		return 0;
	}
	return E_NOSPC;
}

/* Clears bit `bit` of the bitmap block; E_CORRUPT if it was clear. */
static long bit_clear(struct ext2 *fs, uint32_t bitmap_block, uint32_t bit)
{
	long err;
	struct cache_block *b = cache_get(fs->cache, bitmap_block, &err);
	if (!b)
		return err;
	uint8_t mask = (uint8_t)(1u << (bit % 8));
	err = b->data[bit / 8] & mask ? 0 : E_CORRUPT;
	b->data[bit / 8] &= (uint8_t)~mask;
	cache_dirty(fs->cache, b);
	cache_put(fs->cache, b);
	return err;
}

long ext2_block_free(struct ext2 *fs, uint32_t block)
{
	if (block < fs->sb.first_data_block || block >= fs->sb.blocks_count)
		return E_CORRUPT;
	uint32_t g = (block - fs->sb.first_data_block) / fs->sb.blocks_per_group;
	struct ext2_group d;
	long err = ext2_group_get(fs, g, &d);
	if (err)
		return err;
	uint32_t bit = block - fs->sb.first_data_block - g * fs->sb.blocks_per_group;
	if ((err = bit_clear(fs, d.block_bitmap, bit)))
		return err;
	cache_forget(fs->cache, block);
	d.free_blocks_count++;
	fs->free_blocks++;
	if ((err = ext2_group_put(fs, g, &d)))
		return err;
	return ext2_super_write(fs);
}

long ext2_inode_alloc(struct ext2 *fs, uint32_t parent, bool dir, uint32_t *out)
{
	if (fs->readonly)
		return E_ROFS;
	uint32_t g0 = parent >= 1 && parent <= fs->sb.inodes_count ?
		      (parent - 1) / fs->sb.inodes_per_group : 0;
	for (uint32_t i = 0; i < fs->groups; i++) {
		uint32_t g = (g0 + i) % fs->groups;
		struct ext2_group d;
		long err = ext2_group_get(fs, g, &d);
		if (err)
			return err;
		if (d.free_inodes_count == 0)
			continue;
		/* Inodes below first_ino are reserved: start the search past them. */
		uint32_t base = g * fs->sb.inodes_per_group;
		if (base >= fs->sb.inodes_count)
			continue;       /* a group past the last inode (damage): nothing here */
		uint32_t bits = fs->sb.inodes_per_group;
		if (base + bits > fs->sb.inodes_count)
			bits = fs->sb.inodes_count - base;
		uint32_t from = fs->sb.first_ino > base + 1 ? fs->sb.first_ino - 1 - base : 0;
		if (from >= bits)
			continue;
		long bit = group_take(fs, d.inode_bitmap, bits, from, &err);
		if (bit == -2)
			return err;
		if (bit < 0 || base + (uint32_t)bit + 1 < fs->sb.first_ino)
			continue;       /* a clear reserved bit (damage): left set, as mke2fs sets it */
		d.free_inodes_count--;
		if (dir)
			d.used_dirs_count++;
		fs->free_inodes -= fs->free_inodes > 0;
		if ((err = ext2_group_put(fs, g, &d)) || (err = ext2_super_write(fs)))
			return err;
		*out = base + (uint32_t)bit + 1;
		return 0;
	}
	return E_NOSPC;
}

long ext2_inode_free(struct ext2 *fs, uint32_t ino, bool dir)
{
	if (ino < fs->sb.first_ino || ino > fs->sb.inodes_count)
		return E_CORRUPT;
	uint32_t g = (ino - 1) / fs->sb.inodes_per_group;
	struct ext2_group d;
	long err = ext2_group_get(fs, g, &d);
	if (err)
		return err;
	if ((err = bit_clear(fs, d.inode_bitmap, (ino - 1) % fs->sb.inodes_per_group)))
		return err;
	d.free_inodes_count++;
	if (dir && d.used_dirs_count)
		d.used_dirs_count--;
	fs->free_inodes++;
	if ((err = ext2_group_put(fs, g, &d)))
		return err;
	return ext2_super_write(fs);
}
