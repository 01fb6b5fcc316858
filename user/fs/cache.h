/**
 * @file
 * cache.h — the file server's block cache: a bounded set of disk blocks, each in a page
 * of its own, found by block number, replaced by the clock algorithm, written back
 * when synced or on the server's timer (never at the moment it is changed).
 *
 * The one thing to know: a block is used between cache_get() (or cache_new()) and
 * cache_put(); while used it is pinned (never replaced), and the file system code
 * pins at most CACHE_PINS_MAX blocks at once, so a cache of CACHE_MIN blocks or more
 * always has a victim. A block that is changed must be marked (cache_dirty) before it
 * is put back. The cache is pure code: the device is two functions, so the host's
 * unit tests and libFuzzer run it over an image in memory.
 */
#ifndef FS_CACHE_H
#define FS_CACHE_H

#include <stdbool.h>
#include <stdint.h>

#define CACHE_MIN               16
#define CACHE_MAX               1024
#define CACHE_PINS_MAX          6
#define CACHE_PAGE              4096

/* The device under the cache: whole blocks of the cache's block size. 0 or an error. */
struct cache_dev {
	long (*read)(void *ctx, uint32_t block, void *page);
	long (*write)(void *ctx, uint32_t block, const void *page);
	void *ctx;
};

struct cache_block {
	uint32_t block;
	uint16_t pins;
	bool valid;                     /* holds `block` */
	bool dirty;                     /* changed since it was read or written */
	bool referenced;                /* the clock's second chance */
	int32_t next;                   /* the next in its hash chain, or -1 */
	uint8_t *data;                  /* its page */
};

struct cache {
	struct cache_dev dev;
	uint32_t block_size;
	uint32_t blocks;                /* the device's size in blocks: anything past is refused */
	uint32_t count;                 /* cache blocks */
	uint32_t hand;                  /* the clock's hand */
	uint32_t dirty;                 /* blocks dirty now */
	uint64_t hits, misses, reads, writes;
	struct cache_block slot[CACHE_MAX];
	int32_t hash[2 * CACHE_MAX];    /* heads of the hash chains, or -1 */
};

/* count blocks of block_size (at most CACHE_PAGE) in `pages` (count pages, page-aligned). */
long cache_init(struct cache *c, struct cache_dev dev, uint32_t block_size,
		uint32_t device_blocks, uint32_t count, uint8_t *pages);
/* The block's contents, pinned: NULL and *err (E_CORRUPT for a block past the device's
 * end, E_IO, E_NOMEM when every block is pinned) on failure. */
struct cache_block *cache_get(struct cache *c, uint32_t block, long *err);
/* A block about to be overwritten whole (a newly allocated one): zeroed, dirty, not read. */
struct cache_block *cache_new(struct cache *c, uint32_t block, long *err);
void cache_dirty(struct cache *c, struct cache_block *b);
void cache_put(struct cache *c, struct cache_block *b);
/* Forgets a block (freed on disk: its contents do not matter any more). */
void cache_forget(struct cache *c, uint32_t block);
/* Writes every dirty block back; 0 or the first error (the others are still tried). */
long cache_sync(struct cache *c);

#endif
