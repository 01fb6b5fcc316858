/**
 * @file
 * dir.c — directories: records found, added and removed, and paths walked.
 *
 * The one thing to know: a directory is a file of blocks, each a chain of records
 * whose rec_len leads from one to the next and whose last ends exactly at the block's
 * end. Every record is checked against its block before its name is looked at
 * (record_ok): a rec_len that runs off the block, is 0, or leaves no room for the
 * name, an inode number past the table, is E_CORRUPT. A walk reads one directory per
 * name of the path, so a loop on the disk (a directory that names an ancestor) costs
 * at most the path's length; nothing follows a directory's records recursively.
 */
#include <string.h>
#include <abi/error.h>
#include <fs.h>
#include "ext2.h"

#define DIRENT_HEAD             8

static uint32_t record_len(uint32_t name_len)
{
	return (DIRENT_HEAD + name_len + 3) & ~3u;
}

/* Whether the record at off of a directory block is one the disk may hold. */
static bool record_ok(const struct ext2 *fs, const uint8_t *data, uint32_t off)
{
	/* LAB 8 BEGIN: checking a directory record */
	if (off + DIRENT_HEAD > fs->block_size)
		return false;
	const struct ext2_dirent *d = (const struct ext2_dirent *)(data + off);
	return d->rec_len >= DIRENT_HEAD && d->rec_len % 4 == 0 &&
	       d->rec_len <= fs->block_size - off && d->name_len <= d->rec_len - DIRENT_HEAD &&
	       d->inode <= fs->sb.inodes_count;
	/* LAB 8 STUB
	// The record at off is a struct ext2_dirent: its 8-byte head must lie inside the
	// block (fs->block_size); its rec_len must be at least the head, a multiple of 4,
	// and end inside the block; its name (name_len bytes) must fit inside rec_len;
	// its inode (0: unused) must not be past fs->sb.inodes_count.
	(void)fs; (void)data; (void)off;
	return true;
	*/
	/* LAB 8 END */
}

/* Directory blocks: the count, after checking the size is whole blocks of a sane total. */
static long dir_blocks(const struct ext2 *fs, const struct ext2_file *dir, uint32_t *n)
{
	if ((dir->in.mode & EXT2_S_IFMT) != EXT2_S_IFDIR)
		return E_NOTDIR;
	uint64_t size = ext2_size(fs, &dir->in);
	if (size % fs->block_size || size > EXT2_DIR_MAX_BYTES)
		return E_CORRUPT;
	*n = (uint32_t)(size / fs->block_size);
	return 0;
}

/* Directory block i, pinned (a hole in a directory is damage). */
static struct cache_block *dir_block(struct ext2 *fs, struct ext2_file *dir, uint32_t i,
				     bool write, long *err)
{
	uint32_t block;
	if ((*err = ext2_bmap(fs, dir, i, false, &block)))
		return NULL;
	if (block == 0) {
		*err = E_CORRUPT;
		return NULL;
	}
	if (write && fs->readonly) {
		*err = E_ROFS;
		return NULL;
	}
	return cache_get(fs->cache, block, err);
}

/* What a scan of a directory's records calls for each; 0 goes on, 1 stops, < 0 fails. */
typedef long (*record_fn)(struct ext2 *fs, struct cache_block *b, uint32_t off,
			  uint32_t prev, void *ctx);

static long dir_scan(struct ext2 *fs, struct ext2_file *dir, bool write, record_fn fn,
		     void *ctx)
{
	uint32_t n = 0;
	long err = dir_blocks(fs, dir, &n);
	for (uint32_t i = 0; i < n && !err; i++) {
		struct cache_block *b = dir_block(fs, dir, i, write, &err);
		if (!b)
			return err;
		uint32_t prev = ~0u;
		for (uint32_t off = 0; off < fs->block_size && !err;) {
			if (!record_ok(fs, b->data, off)) {
				err = E_CORRUPT;
				break;
			}
			err = fn(fs, b, off, prev, ctx);
			prev = off;
			off += ((struct ext2_dirent *)(b->data + off))->rec_len;
		}
		cache_put(fs->cache, b);
		if (err == 1)
			return 1;
	}
	return err;
}

struct name_ctx {
	const char *name;
	uint32_t len;
	uint32_t ino;
};

static bool same_name(const struct ext2_dirent *d, const struct name_ctx *n)
{
	return d->inode && d->name_len == n->len && memcmp(d->name, n->name, n->len) == 0;
}

static long find_record(struct ext2 *fs, struct cache_block *b, uint32_t off, uint32_t prev,
			void *ctx)
{
	(void)fs;
	(void)prev;
	const struct ext2_dirent *d = (const struct ext2_dirent *)(b->data + off);
	struct name_ctx *n = ctx;
	if (!same_name(d, n))
		return 0;
	n->ino = d->inode;
	return 1;
}

long ext2_lookup(struct ext2 *fs, struct ext2_file *dir, const char *name, uint32_t len,
		 uint32_t *ino)
{
	if (len == 0)
		return E_INVAL;
	if (len > FS_NAME_MAX)
		return E_NAMETOOLONG;
	struct name_ctx n = { name, len, 0 };
	long r = dir_scan(fs, dir, false, find_record, &n);
	if (r < 0)
		return r;
	if (r == 0)
		return E_NOENT;
	*ino = n.ino;
	return 0;
}

/* The next name of a path from *p on (slashes skipped); its length, 0 at the end. */
static uint32_t next_name(const char **p)
{
	while (**p == '/')
		(*p)++;
	uint32_t len = 0;
	while ((*p)[len] && (*p)[len] != '/')
		len++;
	return len;
}

long ext2_walk_parent(struct ext2 *fs, const char *path, struct ext2_file *parent,
		      const char **last, uint32_t *last_len)
{
	if (path[0] != '/')
		return E_INVAL;
	parent->ino = EXT2_ROOT_INO;
	long err = ext2_inode_read(fs, EXT2_ROOT_INO, &parent->in);
	const char *p = path;
	uint32_t len = next_name(&p);
	if (len == 0)
		return err ? err : E_INVAL;     /* "/" is nobody's child */
	while (!err) {
		const char *after = p + len;
		uint32_t next_len = next_name(&after);
		if (next_len == 0) {
			*last = p;
			*last_len = len;
			return len > FS_NAME_MAX ? E_NAMETOOLONG : 0;
		}
		uint32_t ino;
		if ((err = ext2_lookup(fs, parent, p, len, &ino)))
			break;
		parent->ino = ino;
		if ((err = ext2_inode_read(fs, ino, &parent->in)))
			break;
		if ((parent->in.mode & EXT2_S_IFMT) != EXT2_S_IFDIR)
			err = E_NOTDIR;
		p = after;
		len = next_len;
	}
	return err;
}

long ext2_walk(struct ext2 *fs, const char *path, struct ext2_file *file)
{
	const char *last;
	uint32_t len, ino;
	const char *p = path;
	if (path[0] == '/' && next_name(&p) == 0) {
		file->ino = EXT2_ROOT_INO;      /* "/" itself */
		return ext2_inode_read(fs, EXT2_ROOT_INO, &file->in);
	}
	long err = ext2_walk_parent(fs, path, file, &last, &len);
	if (err || (err = ext2_lookup(fs, file, last, len, &ino)))
		return err;
	file->ino = ino;
	return ext2_inode_read(fs, ino, &file->in);
}

struct add_ctx {
	const char *name;
	uint32_t len, ino;
	uint8_t type;
	bool done;
};

/* Puts the new record in the slack of this one, if it has room. */
static long add_record(struct ext2 *fs, struct cache_block *b, uint32_t off, uint32_t prev,
		       void *ctx)
{
	(void)prev;
	struct add_ctx *a = ctx;
	struct ext2_dirent *d = (struct ext2_dirent *)(b->data + off);
	/* LAB 8 BEGIN: a name into a directory block */
	uint32_t used = d->inode ? record_len(d->name_len) : 0;
	uint32_t need = record_len(a->len);
	if (d->rec_len < used + need)
		return 0;
	struct ext2_dirent *n = d;
	if (used) {
		n = (struct ext2_dirent *)(b->data + off + used);
		n->rec_len = (uint16_t)(d->rec_len - used);
		d->rec_len = (uint16_t)used;
	}
	n->inode = a->ino;
	n->name_len = (uint8_t)a->len;
	n->file_type = a->type;
	memcpy(n->name, a->name, a->len);
	/* LAB 8 STUB
	// A record of a name needs record_len(its length) bytes. This record (d, at off)
	// uses record_len(d->name_len) of its rec_len, or nothing if its inode is 0.
	// If the rest is enough for the new name, split it: the new record takes the
	// rest and d keeps only what it uses (or reuse d itself when it is unused), then
	// fill in inode, name_len, file_type and the name. Return 0 if there is no room.
	(void)fs; (void)b; (void)off; (void)a; (void)d; (void)record_len;
	return 0;
	*/
	/* LAB 8 END */
	cache_dirty(fs->cache, b);
	a->done = true;
	return 1;
}

long ext2_dir_add(struct ext2 *fs, struct ext2_file *dir, const char *name, uint32_t len,
		  uint32_t ino, uint8_t type)
{
	if (len == 0 || len > FS_NAME_MAX)
		return len ? E_NAMETOOLONG : E_INVAL;
	struct add_ctx a = { name, len, ino, type, false };
	long r = dir_scan(fs, dir, true, add_record, &a);
	if (r < 0)
		return r;
	if (!a.done) {
		/* No room: a new block at the end, one record spanning it. */
		uint32_t n, block;
		if ((r = dir_blocks(fs, dir, &n)) || (r = ext2_bmap(fs, dir, n, true, &block)))
			return r;
		struct cache_block *b = cache_get(fs->cache, block, &r);
		if (!b)
			return r;
		struct ext2_dirent *d = (struct ext2_dirent *)b->data;
		d->inode = ino;
		d->rec_len = (uint16_t)fs->block_size;
		d->name_len = (uint8_t)len;
		d->file_type = type;
		memcpy(d->name, name, len);
		cache_dirty(fs->cache, b);
		cache_put(fs->cache, b);
		ext2_size_set(fs, &dir->in, (uint64_t)(n + 1) * fs->block_size);
	}
	/* A hashed directory's index does not know the new name: it is linear from now. */
	dir->in.flags &= ~(uint32_t)EXT2_INDEX_FL;
	dir->in.mtime = dir->in.ctime = fs->now;
	return ext2_inode_write(fs, dir->ino, &dir->in);
}

static long remove_record(struct ext2 *fs, struct cache_block *b, uint32_t off, uint32_t prev,
			  void *ctx)
{
	struct name_ctx *n = ctx;
	struct ext2_dirent *d = (struct ext2_dirent *)(b->data + off);
	if (!same_name(d, n))
		return 0;
	n->ino = d->inode;
	if (prev == ~0u)
		d->inode = 0;           /* the block's first record stays, unused */
	else
		((struct ext2_dirent *)(b->data + prev))->rec_len += d->rec_len;
	cache_dirty(fs->cache, b);
	(void)fs;
	return 1;
}

long ext2_dir_remove(struct ext2 *fs, struct ext2_file *dir, const char *name, uint32_t len)
{
	struct name_ctx n = { name, len, 0 };
	long r = dir_scan(fs, dir, true, remove_record, &n);
	if (r < 0)
		return r;
	if (r == 0)
		return E_NOENT;
	dir->in.flags &= ~(uint32_t)EXT2_INDEX_FL;
	dir->in.mtime = dir->in.ctime = fs->now;
	return ext2_inode_write(fs, dir->ino, &dir->in);
}

static long other_record(struct ext2 *fs, struct cache_block *b, uint32_t off, uint32_t prev,
			 void *ctx)
{
	(void)fs;
	(void)prev;
	(void)ctx;
	const struct ext2_dirent *d = (const struct ext2_dirent *)(b->data + off);
	bool dot = d->name_len == 1 && d->name[0] == '.';
	bool dotdot = d->name_len == 2 && d->name[0] == '.' && d->name[1] == '.';
	return d->inode && !dot && !dotdot;
}

long ext2_dir_empty(struct ext2 *fs, struct ext2_file *dir)
{
	long r = dir_scan(fs, dir, false, other_record, NULL);
	return r < 0 ? r : r ? E_NOTEMPTY : 0;
}

long ext2_readdir(struct ext2 *fs, struct ext2_file *dir, uint64_t *pos, void *buf,
		  uint32_t max)
{
	uint32_t n;
	long err = dir_blocks(fs, dir, &n);
	if (err)
		return err;
	uint32_t put = 0;
	while (*pos / fs->block_size < n) {
		uint32_t i = (uint32_t)(*pos / fs->block_size);
		uint32_t off = (uint32_t)(*pos % fs->block_size);
		struct cache_block *b = dir_block(fs, dir, i, false, &err);
		if (!b)
			return put ? (long)put : err;
		/* A position is where a record starts: walk from the block's start to it. */
		uint32_t at = 0;
		while (at < off && record_ok(fs, b->data, at))
			at += ((struct ext2_dirent *)(b->data + at))->rec_len;
		bool full = false;
		while (at < fs->block_size) {
			if (!record_ok(fs, b->data, at)) {
				err = E_CORRUPT;
				break;
			}
			const struct ext2_dirent *d = (const struct ext2_dirent *)(b->data + at);
			uint32_t size = (uint32_t)(sizeof(struct fs_dirent) + d->name_len + 1 + 7) & ~7u;
			if (d->inode) {
				if (put + size > max) {
					full = true;
					break;
				}
				struct fs_dirent *o = (struct fs_dirent *)((char *)buf + put);
				o->ino = d->inode;
				o->reclen = (uint16_t)size;
				o->type = d->file_type == EXT2_FT_DIR ? FS_DT_DIR :
					  d->file_type == EXT2_FT_REG ? FS_DT_REG : FS_DT_UNKNOWN;
				o->namelen = d->name_len;
				memcpy(o->name, d->name, d->name_len);
				o->name[d->name_len] = 0;
				put += size;
			}
			at += d->rec_len;
		}
		cache_put(fs->cache, b);
		*pos = (uint64_t)i * fs->block_size + at;
		if (err)
			return put ? (long)put : err;   /* the next call starts at the bad one */
		if (full)
			break;
		if (at >= fs->block_size)
			*pos = (uint64_t)(i + 1) * fs->block_size;
	}
	return (long)put;
}
