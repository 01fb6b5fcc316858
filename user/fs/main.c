/**
 * @file
 * main.c — the file server (bin/fs): mounts the ext2 disk behind the block server,
 * registers "fs", and answers requests (protocol: user/lib/fs.h).
 *
 * The one thing to know: every word of a request is the client's and is checked
 * before it is used — a handle against the session's table, a length against
 * FS_IO_MAX or FS_PATH_MAX, a path copied out of the shared page (where the client
 * could still change it) before it is looked at. Dirty blocks go back to the disk on
 * FS_SYNC and at most FS_WRITEBACK_TICKS after they were changed: the receive waits
 * no longer than that while anything is dirty.
 */
#include <block.h>
#include <names.h>
#include <process.h>
#include <stdlib.h>
#include <tsc.h>
#include "server.h"

#define FS_CACHE_DEFAULT        256
#define FS_WRITEBACK_TICKS      200     /* 1 tick: a million guest instructions */
static unsigned long writeback_ticks = FS_WRITEBACK_TICKS;  /* argv: writeback=N */

struct ext2 fs;
struct cache cache;
static struct block_conn blk;
static uint32_t sectors_per_block;
static uint8_t cache_pages[CACHE_MAX][CACHE_PAGE] __attribute__((aligned(4096)));
static uint8_t first4k[4096] __attribute__((aligned(4096)));
static char path_a[FS_PATH_MAX + 1], path_b[FS_PATH_MAX + 1];
static long endpoint;

static long dev_read(void *ctx, uint32_t block, void *page)
{
	(void)ctx;
	return block_read(&blk, (unsigned long)block * sectors_per_block, sectors_per_block, page);
}

static long dev_write(void *ctx, uint32_t block, const void *page)
{
	(void)ctx;
	return block_write(&blk, (unsigned long)block * sectors_per_block, sectors_per_block,
			   page);
}

/* Message register i of a received message (MR0 and MR1 came in registers). */
static unsigned long mr(const struct msg *m, unsigned long i)
{
	return i == 0 ? m->mr0 : i == 1 ? m->mr1 : i < IPC_MR_COUNT ? utcb()->mr[i] : 0;
}

/* The path of `len` bytes at the start of the page, copied to `to` and checked. */
static long path_in(const uint8_t *page, unsigned long off, unsigned long len, char *to)
{
	if (len == 0 || len > FS_PATH_MAX || off + len > 4096)
		return E_INVAL;
	memcpy(to, page + off, len);
	to[len] = 0;
	if (strlen(to) != len || to[0] != '/')
		return E_INVAL;
	return 0;
}

static void stat_out(const struct ext2_file *f, uint8_t *page)
{
	struct fs_stat st = { .ino = f->ino, .size = ext2_size(&fs, &f->in),
			      .mode = f->in.mode, .links = f->in.links_count,
			      .blocks = f->in.blocks, .mtime = f->in.mtime, .ctime = f->in.ctime };
	memcpy(page, &st, sizeof(st));
}

static long file_of(struct handle *h, struct ext2_file *f)
{
	f->ino = h->ino;
	return ext2_inode_read(&fs, h->ino, &f->in);
}

static long do_open(struct session *s, uint8_t *page, unsigned long flags,
		    unsigned long len, uint64_t *size)
{
	long err = path_in(page, 0, len, path_a);
	if (err)
		return err;
	uint8_t access = flags & O_ACCMODE;
	if (access == O_ACCMODE || (flags & ~(unsigned long)(O_ACCMODE | O_CREAT | O_EXCL |
							      O_TRUNC | O_APPEND | O_DIRECTORY)))
		return E_INVAL;
	struct ext2_file f;
	if (flags & O_CREAT)
		err = fs.readonly ? E_ROFS : ext2_create(&fs, path_a, flags & O_EXCL, &f);
	else
		err = ext2_walk(&fs, path_a, &f);
	if (err)
		return err;
	bool dir = (f.in.mode & EXT2_S_IFMT) == EXT2_S_IFDIR;
	if (dir && access != O_RDONLY)
		return E_ISDIR;
	if (!dir && (flags & O_DIRECTORY))
		return E_NOTDIR;
	if (access != O_RDONLY && fs.readonly)
		return E_ROFS;
	if ((flags & O_TRUNC) && access != O_RDONLY) {
		map_forget(f.ino);
		if ((err = ext2_truncate(&fs, &f, 0)))
			return err;
	}
	*size = ext2_size(&fs, &f.in);
	return handle_add(s, f.ino, access, dir);
}

static long do_io(struct session *s, uint8_t *page, const struct msg *m, bool write,
		  uint64_t *end)
{
	struct handle *h = handle_of(s, m->mr0);
	unsigned long len = utcb()->mr[2];
	uint64_t off = m->mr1;
	if (!h || len > FS_IO_MAX)
		return E_INVAL;
	if (h->dir)
		return E_ISDIR;
	struct ext2_file f;
	long err = file_of(h, &f);
	if (err)
		return err;
	if (!write)
		return ext2_read(&fs, &f, off, page, (uint32_t)len);
	if (h->access == O_RDONLY)
		return E_ROFS;
	if (off == FS_APPEND)
		off = ext2_size(&fs, &f.in);
	if (off > (1ull << 40) || len == 0) {
		*end = off;
		return len == 0 ? 0 : E_NOSPC;
	}
	map_forget(f.ino);      /* mapped pages would go stale: clients fault again */
	long n = ext2_write(&fs, &f, off, page, (uint32_t)len);
	*end = off + (n > 0 ? (uint64_t)n : 0);
	return n;
}

static long do_unlink(bool dir)
{
	uint32_t ino;
	long err = ext2_unlink(&fs, path_a, dir, &ino);
	return err ? err : inode_unlinked(ino);
}

static void stats_out(uint8_t *page)
{
	struct fs_stats st = {
		.open_files = open_handles(), .cache_blocks = cache.count,
		.cache_dirty = cache.dirty, .cache_hits = cache.hits,
		.cache_misses = cache.misses, .disk_reads = cache.reads,
		.disk_writes = cache.writes, .sessions_reaped = sessions_reaped,
		.block_size = fs.block_size, .blocks = fs.sb.blocks_count,
		.free_blocks = fs.free_blocks, .inodes = fs.sb.inodes_count,
		.free_inodes = fs.free_inodes, .map_fills = map_fills,
	};
	for (unsigned i = 0; i < FS_SESSIONS; i++)
		st.sessions += sessions[i].gen != 0;
	memcpy(page, &st, sizeof(st));
}

/* The words a request must carry at least. */
static const uint8_t words_needed[FS_MAP + 1] = {
	[FS_OPEN] = 2, [FS_CLOSE] = 1, [FS_READ] = 3, [FS_WRITE] = 3, [FS_TRUNCATE] = 2,
	[FS_FSTAT] = 1, [FS_STAT] = 1, [FS_READDIR] = 2, [FS_MKDIR] = 1, [FS_UNLINK] = 1,
	[FS_RMDIR] = 1, [FS_RENAME] = 2, [FS_MAP] = 2,
};

/* A request on a session; the reply in *m (MR0 the result, MR1 a second word). */
static void serve(struct session *s, uint8_t *page, struct msg *m)
{
	unsigned long label = IPC_TAG_LABEL(m->tag);
	long r = 0;
	uint64_t second = 0;
	if (label > FS_MAP || label == FS_CONNECT) {
		r = label == FS_CONNECT ? E_INVAL : E_NOSYS;
		goto out;
	}
	if (IPC_TAG_UNTYPED(m->tag) < words_needed[label] || IPC_TAG_TYPED(m->tag)) {
		r = E_INVAL;
		goto out;
	}
	struct ext2_file f;
	struct handle *h;
	switch (label) {
	case FS_OPEN:
		r = do_open(s, page, m->mr0, m->mr1, &second);
		break;
	case FS_CLOSE:
		r = handle_close(s, m->mr0);
		break;
	case FS_READ:
	case FS_WRITE:
		r = do_io(s, page, m, label == FS_WRITE, &second);
		break;
	case FS_TRUNCATE:
		h = handle_of(s, m->mr0);
		r = !h ? E_INVAL : h->dir ? E_ISDIR : h->access == O_RDONLY ? E_ROFS : file_of(h, &f);
		if (r == 0) {
			map_forget(f.ino);
			r = ext2_truncate(&fs, &f, m->mr1);
		}
		break;
	case FS_FSTAT:
		h = handle_of(s, m->mr0);
		if (!h)
			r = E_INVAL;
		else if (!(r = file_of(h, &f)))
			stat_out(&f, page);
		break;
	case FS_STAT:
		if (!(r = path_in(page, 0, m->mr0, path_a)) && !(r = ext2_walk(&fs, path_a, &f)))
			stat_out(&f, page);
		break;
	case FS_READDIR:
		h = handle_of(s, m->mr0);
		second = m->mr1;
		r = !h ? E_INVAL : !h->dir ? E_NOTDIR : file_of(h, &f);
		if (r == 0)
			r = ext2_readdir(&fs, &f, &second, page, FS_IO_MAX);
		break;
	case FS_MKDIR:
		if (!(r = path_in(page, 0, m->mr0, path_a)))
			r = fs.readonly ? E_ROFS : ext2_mkdir(&fs, path_a);
		break;
	case FS_UNLINK:
	case FS_RMDIR:
		if (!(r = path_in(page, 0, m->mr0, path_a)))
			r = fs.readonly ? E_ROFS : do_unlink(label == FS_RMDIR);
		break;
	case FS_RENAME:
		if (m->mr1 > FS_PATH_MAX || m->mr0 > FS_PATH_MAX) {
			r = E_INVAL;
			break;
		}
		if (!(r = path_in(page, 0, m->mr0, path_a)) &&
		    !(r = path_in(page, m->mr0, m->mr1, path_b)))
			r = fs.readonly ? E_ROFS : ext2_rename(&fs, path_a, path_b);
		break;
	case FS_SYNC:
		r = cache_sync(&cache);
		break;
	case FS_STATS:
		session_reap();
		if (session_of(m->badge, &page))
			stats_out(page);
		break;
	case FS_MAP: {
		unsigned long at = 0;
		h = handle_of(s, m->mr0);
		r = !h ? E_INVAL : h->dir ? E_ISDIR : map_page_of(h->ino, m->mr1, &at);
		if (r == 0) {
			*m = (struct msg){ .tag = IPC_TAG(0, 1, 1), .mr0 = 0,
					   .mr1 = IPC_MAP_ITEM(IPC_ITEM_MAP, 0, 0) };
			utcb()->mr[2] = FPAGE(at, 12);
			return;
		}
		break;
	}
	}
out:
	*m = (struct msg){ .tag = IPC_TAG(0, 2, 0), .mr0 = (unsigned long)r, .mr1 = second };
}

/* Drops the capabilities a request brought that the server does not keep. */
static void drop_items(const struct msg *m)
{
	unsigned long untyped = IPC_TAG_UNTYPED(m->tag);
	for (unsigned long i = 0; i < IPC_TAG_TYPED(m->tag); i++) {
		unsigned long w = untyped + 2 * i;
		if (w + 1 >= IPC_MR_COUNT)
			break;
		if (IPC_ITEM_KIND(mr(m, w)) == IPC_ITEM_CAP && mr(m, w + 1))
			sys_cap_delete((long)mr(m, w + 1));
	}
}

/* FS_CONNECT on the public capability: a session, its page and its capability. */
static void connect(struct msg *m)
{
	unsigned long at = IPC_TAG_UNTYPED(m->tag);
	long token = IPC_TAG_TYPED(m->tag) == 1 && IPC_ITEM_KIND(mr(m, at)) == IPC_ITEM_CAP ?
		     (long)mr(m, at + 1) : 0;
	long r = IPC_TAG_LABEL(m->tag) != FS_CONNECT ? E_INVAL : token > 0 ? 0 : E_INVAL;
	unsigned long badge = 0;
	long cap = 0;
	if (r == 0) {
		struct msg probe = { .tag = IPC_TAG(0, 0, 0) };
		long alive = ipc_send(token, &probe, IPC_TIMEOUT_POLL);
		if (alive != 0 && alive != E_TIMEOUT)
			r = E_INVAL;            /* not an endpoint, or one already dead */
	}
	if (r == 0 && (r = session_open(&badge, token)) == E_FULL && session_reap())
		r = session_open(&badge, token);
	if (r >= 0) {
		unsigned index = (unsigned)r;
		cap = sys_cap_copy(proc->task_slot, endpoint, RIGHT_SEND, badge);
		if (cap < 0) {
			sessions[index].token = 0;
			session_end(&sessions[index]);
			r = cap;
		} else {
			uint8_t *page;
			session_of(badge, &page);
			*m = (struct msg){ .tag = IPC_TAG(0, 1, 2), .mr0 = 0,
					   .mr1 = IPC_MAP_ITEM(IPC_ITEM_MAP, 0, MAP_WRITE) };
			utcb()->mr[2] = FPAGE((unsigned long)page, 12);
			utcb()->mr[3] = IPC_ITEM_CAP | IPC_ITEM_MOVE | IPC_ITEM_RIGHTS(RIGHT_SEND);
			utcb()->mr[4] = (unsigned long)cap;
			return;
		}
	}
	/* Whatever arrived is not kept. */
	drop_items(m);
	*m = (struct msg){ .tag = IPC_TAG(0, 1, 0), .mr0 = (unsigned long)r };
}

static unsigned long arg_value(int argc, char **argv, const char *key, unsigned long dflt)
{
	size_t n = strlen(key);
	for (int i = 1; i < argc; i++)
		if (strncmp(argv[i], key, n) == 0 && argv[i][n] == '=')
			return strtoul(argv[i] + n + 1, NULL, 0);
	return dflt;
}

int main(int argc, char **argv)
{
	unsigned long blocks = arg_value(argc, argv, "cache", FS_CACHE_DEFAULT);
	writeback_ticks = arg_value(argc, argv, "writeback", FS_WRITEBACK_TICKS);
	if (writeback_ticks == 0 || writeback_ticks > 100000)
		writeback_ticks = FS_WRITEBACK_TICKS;
	/* Pages lent to the block server must be there: a map item of a page never
	 * touched (zero-filled on demand, by the pm) maps nothing. */
	memset(first4k, 0, sizeof(first4k));
	long r = block_connect(&blk, (long)proc->names_slot);
	long sectors = r ? r : block_info(&blk);
	if (sectors <= 0 || (r = block_read(&blk, 0, 8, first4k)) != 0) {
		printf("fs: no disk to serve (%ld): stopping\n", sectors <= 0 ? sectors : r);
		return 1;
	}
	if ((r = ext2_super_check(&fs, first4k, (uint64_t)sectors * BLOCK_SECTOR)) != 0) {
		printf("fs: the disk is not an ext2 file system this server can read (%ld): "
		       "stopping\n", r);
		return 1;
	}
	sectors_per_block = fs.block_size / BLOCK_SECTOR;
	struct cache_dev dev = { dev_read, dev_write, NULL };
	if (blocks >= CACHE_MIN && blocks <= CACHE_MAX)
		memset(cache_pages, 0, blocks * CACHE_PAGE);
	if (blocks < CACHE_MIN || blocks > CACHE_MAX ||
	    cache_init(&cache, dev, fs.block_size, fs.sb.blocks_count, (uint32_t)blocks,
		       &cache_pages[0][0]) != 0) {
		printf("fs: a cache of %lu blocks is not %u to %u: stopping\n", blocks, CACHE_MIN,
		       CACHE_MAX);
		return 1;
	}
	if ((r = ext2_mount(&fs, &cache)) != 0) {
		printf("fs: the disk's group descriptors are damaged (%ld): group %u names block "
		       "%u of %u: stopping\n", r, fs.bad_group, fs.bad_block, fs.sb.blocks_count);
		return 1;
	}
	endpoint = sys_endpoint_create();
	long name = endpoint < 0 ? endpoint :
		    sys_cap_copy(proc->task_slot, endpoint, RIGHT_SEND | RIGHT_GRANT,
				 FS_BADGE_PUBLIC);
	r = name < 0 ? name : names_register((long)proc->names_slot, FS_NAME, name);
	if (r != 0) {
		printf("fs: cannot register '%s' (%ld): stopping\n", FS_NAME, r);
		return 1;
	}
	printf("fs: ext2, %u-byte blocks, %u of %u free, %u of %u inodes free%s; "
	       "cache %lu blocks\n", fs.block_size, fs.free_blocks, fs.sb.blocks_count,
	       fs.free_inodes, fs.sb.inodes_count, fs.readonly ? ", read-only" : "", blocks);
	utcb()->accept_caps = 1;
	struct msg m;
	bool reply = false;
	uint64_t synced = tsc_now();
	for (;;) {
		/* A server never idle still writes back (rdtsc counts instructions). */
		if (cache.dirty && tsc_now() - synced > writeback_ticks * 1000000ull) {
			cache_sync(&cache);
			synced = tsc_now();
		}
		unsigned long timeout = cache.dirty ? writeback_ticks : IPC_TIMEOUT_INFINITE;
		r = ipc(0, endpoint, IPC_FLAGS(reply ? IPC_OP_REPLY_RECEIVE : IPC_OP_RECEIVE,
					       timeout), &m);
		reply = false;
		if (r == E_TIMEOUT) {
			cache_sync(&cache);
			synced = tsc_now();
			session_reap();
			continue;
		}
		if (r != 0)
			continue;
		uint8_t *page;
		struct session *s;
		if (m.badge == FS_BADGE_PUBLIC) {
			connect(&m);
		} else if ((s = session_of(m.badge, &page))) {
			drop_items(&m);
			serve(s, page, &m);
		} else {
			drop_items(&m);
			m = (struct msg){ .tag = IPC_TAG(0, 1, 0), .mr0 = (unsigned long)E_BADF };
		}
		reply = true;
	}
}
