/**
 * @file
 * inode.c — inodes in their tables, the block map (direct, single, double and triple
 * indirect), and a file's bytes read, written and cut.
 *
 * The one thing to know: the block map is a tree of at most four levels, and every
 * pointer in it is the disk's word: the walk checks each against the disk before it
 * follows it (E_CORRUPT), so a pointer past the end or an indirect block that names
 * itself ends the walk, which is at most four reads deep whatever the disk says. A
 * block the write allocates is zeroed in the cache (cache_new), never read: a file
 * never shows what a freed block held, and a new indirect block holds no pointers.
 */
#include <string.h>
#include <abi/error.h>
#include <fs.h>
#include "ext2.h"

/* Where inode ino is: its block and its offset there. */
static long inode_where(struct ext2 *fs, uint32_t ino, uint32_t *block, uint32_t *off)
{
	if (ino == 0 || ino > fs->sb.inodes_count)
		return E_CORRUPT;
	uint32_t g = (ino - 1) / fs->sb.inodes_per_group;
	uint32_t index = (ino - 1) % fs->sb.inodes_per_group;
	struct ext2_group d;
	long err = ext2_group_get(fs, g, &d);
	if (err)
		return err;
	uint64_t byte = (uint64_t)index * fs->sb.inode_size;
	*block = d.inode_table + (uint32_t)(byte / fs->block_size);
	*off = (uint32_t)(byte % fs->block_size);
	return 0;
}

long ext2_inode_read(struct ext2 *fs, uint32_t ino, struct ext2_inode *out)
{
	uint32_t block, off;
	long err = inode_where(fs, ino, &block, &off);
	return err ? err : ext2_meta(fs, block, off, out, sizeof(*out), false);
}

long ext2_inode_write(struct ext2 *fs, uint32_t ino, const struct ext2_inode *in)
{
	if (fs->readonly)
		return E_ROFS;
	uint32_t block, off;
	long err = inode_where(fs, ino, &block, &off);
	return err ? err : ext2_meta(fs, block, off, (void *)in, sizeof(*in), true);
}

uint64_t ext2_size(const struct ext2 *fs, const struct ext2_inode *in)
{
	bool reg = (in->mode & EXT2_S_IFMT) == EXT2_S_IFREG;
	return in->size | (reg && fs->large_file ? (uint64_t)in->size_high << 32 : 0);
}

void ext2_size_set(struct ext2 *fs, struct ext2_inode *in, uint64_t size)
{
	in->size = (uint32_t)size;
	if ((in->mode & EXT2_S_IFMT) == EXT2_S_IFREG && fs->large_file)
		in->size_high = (uint32_t)(size >> 32);
}

/* A pointer read from the disk, checked: 0 (a hole), or a block inside the data area. */
static long pointer_ok(const struct ext2 *fs, uint32_t p)
{
	return p == 0 || (p > fs->sb.first_data_block && p < fs->sb.blocks_count) ? 0 : E_CORRUPT;
}

/* A new block for file f near `near`, counted in its i_blocks; zeroed in the cache. */
static long file_block_new(struct ext2 *fs, struct ext2_file *f, uint32_t near, uint32_t *out)
{
	long err = ext2_block_alloc(fs, near, out);
	if (err)
		return err;
	struct cache_block *b = cache_new(fs->cache, *out, &err);
	if (!b)
		return err;
	cache_put(fs->cache, b);
	f->in.blocks += fs->block_size / 512;
	return 0;
}

/* The path through the tree to file block n: the root pointer's index in i_block and
 * the index at each level below it; the number of levels below (0 to 3), or -1. */
static int map_path(const struct ext2 *fs, uint64_t n, uint32_t index[4])
{
	uint64_t p = fs->ptrs;
	if (n < EXT2_NDIR) {
		index[0] = (uint32_t)n;
		return 0;
	}
	n -= EXT2_NDIR;
	if (n < p) {
		index[0] = EXT2_IND;
		index[1] = (uint32_t)n;
		return 1;
	}
	n -= p;
	if (n < p * p) {
		index[0] = EXT2_IND + 1;
		index[1] = (uint32_t)(n / p);
		index[2] = (uint32_t)(n % p);
		return 2;
	}
	n -= p * p;
	if (n < p * p * p) {
		index[0] = EXT2_IND + 2;
		index[1] = (uint32_t)(n / (p * p));
		index[2] = (uint32_t)(n / p % p);
		index[3] = (uint32_t)(n % p);
		return 3;
	}
	return -1;
}

long ext2_bmap(struct ext2 *fs, struct ext2_file *f, uint64_t n, bool alloc, uint32_t *out)
{
	uint32_t index[4];
	int levels = map_path(fs, n, index);
	if (levels < 0)
		return alloc ? E_NOSPC : E_INVAL;       /* past the largest file ext2 can hold */
	uint32_t near = f->in.block[0] ? f->in.block[0] : fs->sb.first_data_block +
			(f->ino - 1) / fs->sb.inodes_per_group * fs->sb.blocks_per_group;
	/* LAB 8 BEGIN: the block map walk */
	long err;
	uint32_t block = f->in.block[index[0]];
	if ((err = pointer_ok(fs, block)))
		return err;
	if (block == 0) {
		if (!alloc) {
			*out = 0;
			return 0;
		}
		if ((err = file_block_new(fs, f, near, &block)))
			return err;
		f->in.block[index[0]] = block;
	}
	for (int level = 1; level <= levels; level++) {
		struct cache_block *b = cache_get(fs->cache, block, &err);
		if (!b)
			return err;
		uint32_t *slot = (uint32_t *)b->data + index[level];
		uint32_t next = *slot;
		if ((err = pointer_ok(fs, next)) == 0 && next == 0 && alloc) {
			err = file_block_new(fs, f, block, &next);
			if (err == 0) {
				*slot = next;
				cache_dirty(fs->cache, b);
			}
		}
		cache_put(fs->cache, b);
		if (err)
			return err;
		if (next == 0) {
			*out = 0;
			return 0;
		}
		block = next;
	}
	/* LAB 8 STUB
	// index[0] is the slot of f->in.block to start at; each of the `levels` levels
	// below is an indirect block (an array of ptrs uint32_t block numbers) in which
	// index[level] is the slot to follow. Every pointer is the disk's word: check it
	// with pointer_ok before following it. A 0 is a hole: *out = 0, unless alloc,
	// when file_block_new(fs, f, near-block, &new) makes the block (zeroed, counted)
	// and the pointer is stored (mark an indirect block dirty with cache_dirty).
	// Every block got with cache_get is put back with cache_put, on every path.
	uint32_t block = 0;
	(void)near; (void)levels; (void)file_block_new; (void)pointer_ok;
	*/
	/* LAB 8 END */
	*out = block;
	return 0;
}

long ext2_read(struct ext2 *fs, struct ext2_file *f, uint64_t off, void *buf, uint32_t len)
{
	uint64_t size = ext2_size(fs, &f->in);
	if (off >= size)
		return 0;
	if (len > size - off)
		len = (uint32_t)(size - off);
	uint32_t done = 0;
	while (done < len) {
		uint64_t at = off + done;
		uint32_t in_block = (uint32_t)(at % fs->block_size);
		uint32_t chunk = fs->block_size - in_block;
		if (chunk > len - done)
			chunk = len - done;
		uint32_t block;
		long err = ext2_bmap(fs, f, at / fs->block_size, false, &block);
		if (err)
			return done ? (long)done : err;
		if (block == 0) {
			memset((char *)buf + done, 0, chunk);
		} else {
			struct cache_block *b = cache_get(fs->cache, block, &err);
			if (!b)
				return done ? (long)done : err;
			memcpy((char *)buf + done, b->data + in_block, chunk);
			cache_put(fs->cache, b);
		}
		done += chunk;
	}
	return (long)done;
}

long ext2_write(struct ext2 *fs, struct ext2_file *f, uint64_t off, const void *buf,
		uint32_t len)
{
	if (fs->readonly)
		return E_ROFS;
	/* Without large_file a size is i_size alone, and one of 2 GiB or more is damage
	 * (e2fsck's rule): the write stops below it rather than store a size that wrapped. */
	uint64_t max = fs->large_file ? UINT64_MAX : 0x7fffffffu;
	uint32_t done = 0;
	long err = 0;
	while (done < len) {
		uint64_t at = off + done;
		uint32_t in_block = (uint32_t)(at % fs->block_size);
		uint32_t chunk = fs->block_size - in_block;
		if (chunk > len - done)
			chunk = len - done;
		if (at >= max) {
			err = E_NOSPC;
			break;
		}
		if (chunk > max - at)
			chunk = (uint32_t)(max - at);
		uint32_t block;
		if ((err = ext2_bmap(fs, f, at / fs->block_size, true, &block)))
			break;
		struct cache_block *b = cache_get(fs->cache, block, &err);
		if (!b)
			break;
		memcpy(b->data + in_block, (const char *)buf + done, chunk);
		cache_dirty(fs->cache, b);
		cache_put(fs->cache, b);
		done += chunk;
		if (at + chunk > ext2_size(fs, &f->in))
			ext2_size_set(fs, &f->in, at + chunk);
	}
	if (done) {
		f->in.mtime = f->in.ctime = fs->now;
	}
	/* The inode holds the new pointers and i_blocks even when the write stopped. */
	long werr = ext2_inode_write(fs, f->ino, &f->in);
	if (done)
		return (long)done;
	return err ? err : werr;
}

/* One block fewer in i_blocks (never below 0, whatever the disk said). */
static void blocks_less(const struct ext2 *fs, struct ext2_file *f)
{
	uint32_t n = fs->block_size / 512;
	f->in.blocks -= f->in.blocks >= n ? n : f->in.blocks;
}

/* Frees the blocks below `block` (an indirect block `levels` above the data) from
 * the child index `from` on; *empty: whether none is left in it. */
static long free_tree(struct ext2 *fs, struct ext2_file *f, uint32_t block, int levels,
		      uint64_t from, bool *empty)
{
	long err;
	struct cache_block *b = cache_get(fs->cache, block, &err);
	if (!b)
		return err;
	uint64_t span = 1;
	for (int i = 1; i < levels; i++)
		span *= fs->ptrs;
	uint32_t *slot = (uint32_t *)b->data;
	*empty = true;
	err = 0;
	for (uint32_t i = 0; i < fs->ptrs && !err; i++) {
		uint32_t child = slot[i];
		if (child == 0)
			continue;
		if ((err = pointer_ok(fs, child)))
			break;
		uint64_t first = (uint64_t)i * span;
		if (first + span <= from) {
			*empty = false;         /* wholly kept */
			continue;
		}
		bool child_empty = true;
		if (levels > 1) {
			uint64_t sub = from > first ? from - first : 0;
			cache_put(fs->cache, b);        /* pins stay bounded on the way down */
			long below = free_tree(fs, f, child, levels - 1, sub, &child_empty);
			if (!(b = cache_get(fs->cache, block, &err)))
				return err;
			slot = (uint32_t *)b->data;
			if ((err = below))
				break;
		}
		if (child_empty) {
			if ((err = ext2_block_free(fs, child)))
				break;
			blocks_less(fs, f);
			slot[i] = 0;
			cache_dirty(fs->cache, b);
		} else {
			*empty = false;
		}
	}
	cache_put(fs->cache, b);
	return err;
}

long ext2_truncate(struct ext2 *fs, struct ext2_file *f, uint64_t size)
{
	if (fs->readonly)
		return E_ROFS;
	uint64_t keep = (size + fs->block_size - 1) / fs->block_size;
	long err = 0;
	uint64_t p = fs->ptrs, base = EXT2_NDIR;
	for (uint32_t i = 0; i < EXT2_NDIR && !err; i++) {
		if (i < keep || f->in.block[i] == 0)
			continue;
		if ((err = pointer_ok(fs, f->in.block[i])) || (err = ext2_block_free(fs, f->in.block[i])))
			break;
		blocks_less(fs, f);
		f->in.block[i] = 0;
	}
	uint64_t span = p;
	for (int level = 1; level <= 3 && !err; level++) {
		uint32_t *root = &f->in.block[EXT2_IND + level - 1];
		if (*root && !(err = pointer_ok(fs, *root)) && base + span > keep) {
			bool empty = true;
			err = free_tree(fs, f, *root, level, keep > base ? keep - base : 0, &empty);
			if (!err && empty) {
				err = ext2_block_free(fs, *root);
				blocks_less(fs, f);
				*root = 0;
			}
		}
		base += span;
		span *= p;
	}
	/* The kept part of the last block reads as zeros past the new end if it grows. */
	if (!err && size % fs->block_size && size < ext2_size(fs, &f->in)) {
		uint32_t block;
		if ((err = ext2_bmap(fs, f, size / fs->block_size, false, &block)) == 0 && block) {
			struct cache_block *b = cache_get(fs->cache, block, &err);
			if (b) {
				uint32_t at = (uint32_t)(size % fs->block_size);
				memset(b->data + at, 0, fs->block_size - at);
				cache_dirty(fs->cache, b);
				cache_put(fs->cache, b);
			}
		}
	}
	if (!err)
		ext2_size_set(fs, &f->in, size);
	f->in.mtime = f->in.ctime = fs->now;
	long werr = ext2_inode_write(fs, f->ino, &f->in);
	return err ? err : werr;
}
