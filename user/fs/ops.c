/**
 * @file
 * ops.c — the operations on names: create, mkdir, unlink and rmdir, rename, and the
 * inode freed when its last name and its last open handle are gone.
 *
 * The one thing to know: each operation changes several blocks (a bitmap, a group
 * descriptor, the superblock's counts, an inode, a directory block), all in the cache,
 * and they reach the disk together only at the next write-back. The order of the
 * steps is chosen so that a failure part-way (a full disk, a damaged block) leaves
 * what e2fsck calls a leak (a block or inode marked used that nothing names), never a
 * name that points at a free inode: the inode is made before its name, and a name
 * goes before its inode is freed.
 */
#include <string.h>
#include <abi/error.h>
#include <fs.h>
#include "ext2.h"

static bool is_dir(const struct ext2_inode *in)
{
	return (in->mode & EXT2_S_IFMT) == EXT2_S_IFDIR;
}

static bool is_dots(const char *name, uint32_t len)
{
	return (len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.');
}

/* A fresh inode of `mode` in the group of `parent`, written; its number in out->ino. */
static long inode_make(struct ext2 *fs, uint32_t parent, uint16_t mode, uint16_t links,
		       struct ext2_file *out)
{
	long err = ext2_inode_alloc(fs, parent, (mode & EXT2_S_IFMT) == EXT2_S_IFDIR, &out->ino);
	if (err)
		return err;
	out->in = (struct ext2_inode){ .mode = mode, .links_count = links, .atime = fs->now,
				       .ctime = fs->now, .mtime = fs->now };
	return ext2_inode_write(fs, out->ino, &out->in);
}

long ext2_create(struct ext2 *fs, const char *path, bool excl, struct ext2_file *out)
{
	struct ext2_file dir;
	const char *name;
	uint32_t len, ino;
	long err = ext2_walk_parent(fs, path, &dir, &name, &len);
	if (err)
		return err;
	err = ext2_lookup(fs, &dir, name, len, &ino);
	if (err == 0) {
		if (excl)
			return E_EXISTS;
		out->ino = ino;
		return ext2_inode_read(fs, ino, &out->in);
	}
	if (err != E_NOENT)
		return err;
	if (is_dots(name, len))
		return E_EXISTS;
	if ((err = inode_make(fs, dir.ino, EXT2_S_IFREG | 0644, 1, out)))
		return err;
	return ext2_dir_add(fs, &dir, name, len, out->ino, EXT2_FT_REG);
}

long ext2_mkdir(struct ext2 *fs, const char *path)
{
	struct ext2_file dir, sub;
	const char *name;
	uint32_t len, ino;
	long err = ext2_walk_parent(fs, path, &dir, &name, &len);
	if (err)
		return err;
	if ((err = ext2_lookup(fs, &dir, name, len, &ino)) != E_NOENT)
		return err ? err : E_EXISTS;
	if (is_dots(name, len))
		return E_EXISTS;
	/* Each subdirectory's ".." is a link to dir: a count that would wrap (a hostile
	 * disk's, or 32,000 subdirectories, ext2's limit) is refused. */
	if (dir.in.links_count >= EXT2_LINK_MAX)
		return E_NOSPC;
	if ((err = inode_make(fs, dir.ino, EXT2_S_IFDIR | 0755, 2, &sub)))
		return err;
	/* Its first block: "." and "..", the second record spanning the rest. */
	uint32_t block;
	if ((err = ext2_bmap(fs, &sub, 0, true, &block)))
		return err;
	struct cache_block *b = cache_get(fs->cache, block, &err);
	if (!b)
		return err;
	struct ext2_dirent *dot = (struct ext2_dirent *)b->data;
	*dot = (struct ext2_dirent){ .inode = sub.ino, .rec_len = 12, .name_len = 1,
				     .file_type = EXT2_FT_DIR };
	dot->name[0] = '.';
	struct ext2_dirent *up = (struct ext2_dirent *)(b->data + 12);
	*up = (struct ext2_dirent){ .inode = dir.ino, .rec_len = (uint16_t)(fs->block_size - 12),
				    .name_len = 2, .file_type = EXT2_FT_DIR };
	up->name[0] = up->name[1] = '.';
	cache_dirty(fs->cache, b);
	cache_put(fs->cache, b);
	ext2_size_set(fs, &sub.in, fs->block_size);
	if ((err = ext2_inode_write(fs, sub.ino, &sub.in)))
		return err;
	if ((err = ext2_dir_add(fs, &dir, name, len, sub.ino, EXT2_FT_DIR)))
		return err;
	dir.in.links_count++;           /* the new directory's ".." */
	return ext2_inode_write(fs, dir.ino, &dir.in);
}

long ext2_release(struct ext2 *fs, uint32_t ino)
{
	struct ext2_file f = { .ino = ino };
	long err = ext2_inode_read(fs, ino, &f.in);
	if (err)
		return err;
	if (f.in.links_count)
		return 0;
	bool dir = is_dir(&f.in);
	if ((err = ext2_truncate(fs, &f, 0)))
		return err;
	f.in.dtime = fs->now;
	if ((err = ext2_inode_write(fs, ino, &f.in)))
		return err;
	return ext2_inode_free(fs, ino, dir);
}

long ext2_unlink(struct ext2 *fs, const char *path, bool dir, uint32_t *ino)
{
	struct ext2_file parent, f;
	const char *name;
	uint32_t len;
	long err = ext2_walk_parent(fs, path, &parent, &name, &len);
	if (err)
		return err;
	if (is_dots(name, len))
		return E_INVAL;
	if ((err = ext2_lookup(fs, &parent, name, len, &f.ino)) ||
	    (err = ext2_inode_read(fs, f.ino, &f.in)))
		return err;
	if (is_dir(&f.in) != dir)
		return dir ? E_NOTDIR : E_ISDIR;
	if (f.ino < fs->sb.first_ino && f.ino != EXT2_ROOT_INO)
		return E_CORRUPT;       /* a reserved inode under a name */
	if (dir && (err = ext2_dir_empty(fs, &f)))
		return err;
	if ((err = ext2_dir_remove(fs, &parent, name, len)))
		return err;
	if (dir) {
		f.in.links_count = 0;   /* its "." and its name */
		if (parent.in.links_count > 1)
			parent.in.links_count--;        /* its ".." */
		if ((err = ext2_inode_write(fs, parent.ino, &parent.in)))
			return err;
	} else if (f.in.links_count) {
		f.in.links_count--;
	}
	f.in.ctime = fs->now;
	if ((err = ext2_inode_write(fs, f.ino, &f.in)))
		return err;
	*ino = f.ino;           /* the caller frees it now, or at its last close */
	return 0;
}

long ext2_rename(struct ext2 *fs, const char *from, const char *to)
{
	struct ext2_file src_dir, dst_dir, f;
	const char *src_name, *dst_name;
	uint32_t src_len, dst_len, ino;
	long err = ext2_walk_parent(fs, from, &src_dir, &src_name, &src_len);
	if (err || (err = ext2_walk_parent(fs, to, &dst_dir, &dst_name, &dst_len)))
		return err;
	if (is_dots(src_name, src_len) || is_dots(dst_name, dst_len))
		return E_INVAL;
	if ((err = ext2_lookup(fs, &src_dir, src_name, src_len, &f.ino)) ||
	    (err = ext2_inode_read(fs, f.ino, &f.in)))
		return err;
	/* A directory moves only within its parent: its ".." stays true, and no move can
	 * put a directory inside itself. */
	if (is_dir(&f.in) && dst_dir.ino != src_dir.ino)
		return E_INVAL;
	if ((err = ext2_lookup(fs, &dst_dir, dst_name, dst_len, &ino)) != E_NOENT)
		return err ? err : (ino == f.ino ? 0 : E_EXISTS);
	if ((err = ext2_dir_add(fs, &dst_dir, dst_name, dst_len, f.ino,
				is_dir(&f.in) ? EXT2_FT_DIR : EXT2_FT_REG)))
		return err;
	if (src_dir.ino == dst_dir.ino)
		src_dir.in = dst_dir.in;        /* the add changed it (size, flags) */
	return ext2_dir_remove(fs, &src_dir, src_name, src_len);
}
