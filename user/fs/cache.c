/**
 * @file
 * cache.c — the block cache: lookup by hash, replacement by the clock, write-back.
 *
 * The one thing to know: the clock, not LRU. Every hit only sets a block's
 * `referenced` bit; the hand sweeps the blocks in a circle, clearing the bit of each
 * it passes and taking the first unpinned block whose bit was already clear. That is
 * LRU's idea (a block used since the hand last passed survives) at the cost of one
 * store per hit instead of a list update, and the sweep is bounded: two turns of the
 * hand find a victim unless every block is pinned. A dirty victim is written back
 * before it is reused, so a block is never lost, only delayed.
 */
#include <string.h>
#include <abi/error.h>
#include <fs.h>
#include "cache.h"

static uint32_t hash_of(const struct cache *c, uint32_t block)
{
	return (block * 2654435761u) % (2 * c->count);
}

long cache_init(struct cache *c, struct cache_dev dev, uint32_t block_size,
		uint32_t device_blocks, uint32_t count, uint8_t *pages)
{
	if (count < CACHE_MIN || count > CACHE_MAX || block_size > CACHE_PAGE ||
	    block_size < 512 || ((uintptr_t)pages & (CACHE_PAGE - 1)))
		return E_INVAL;
	*c = (struct cache){ .dev = dev, .block_size = block_size, .blocks = device_blocks,
			     .count = count };
	for (uint32_t i = 0; i < count; i++)
		c->slot[i] = (struct cache_block){ .next = -1, .data = pages + i * CACHE_PAGE };
	for (uint32_t i = 0; i < 2 * count; i++)
		c->hash[i] = -1;
	return 0;
}

static struct cache_block *lookup(struct cache *c, uint32_t block)
{
	for (int32_t i = c->hash[hash_of(c, block)]; i >= 0; i = c->slot[i].next)
		if (c->slot[i].valid && c->slot[i].block == block)
			return &c->slot[i];
	return NULL;
}

static void unhash(struct cache *c, struct cache_block *b)
{
	int32_t *link = &c->hash[hash_of(c, b->block)];
	int32_t self = (int32_t)(b - c->slot);
	while (*link >= 0 && *link != self)
		link = &c->slot[*link].next;
	if (*link == self)
		*link = b->next;
	b->next = -1;
	b->valid = false;
}

static long write_back(struct cache *c, struct cache_block *b)
{
	long r = c->dev.write(c->dev.ctx, b->block, b->data);
	c->writes++;
	if (r == 0) {
		b->dirty = false;
		c->dirty--;
	}
	return r;
}

/* The block to reuse: unpinned, written back if dirty, out of its chain; or NULL. */
static struct cache_block *victim(struct cache *c, long *err)
{
	struct cache_block *b = NULL;
	/* LAB 8 BEGIN: the clock's choice of a victim */
	for (uint32_t step = 0; step < 2 * c->count && !b; step++) {
		struct cache_block *at = &c->slot[c->hand];
		c->hand = (c->hand + 1) % c->count;
		if (at->pins)
			continue;
		if (at->valid && at->referenced) {
			at->referenced = false;         /* its second chance */
			continue;
		}
		b = at;
	}
	/* LAB 8 STUB
	// Sweep the hand (c->hand, wrapping at c->count) at most two turns: skip a pinned
	// block; a valid block with its referenced bit set loses the bit and survives
	// this turn; the first other block is the victim.
	*/
	/* LAB 8 END */
	if (!b) {
		*err = E_NOMEM;
		return NULL;
	}
	if (b->valid && b->dirty && (*err = write_back(c, b)) != 0)
		return NULL;
	if (b->valid)
		unhash(c, b);
	return b;
}

static struct cache_block *take(struct cache *c, uint32_t block, bool read, long *err)
{
	if (block >= c->blocks) {
		*err = E_CORRUPT;
		return NULL;
	}
	struct cache_block *b = lookup(c, block);
	if (b) {
		c->hits++;
	} else {
		c->misses++;
		if (!(b = victim(c, err)))
			return NULL;
		if (read) {
			c->reads++;
			if ((*err = c->dev.read(c->dev.ctx, block, b->data)) != 0)
				return NULL;
		}
		b->block = block;
		b->valid = true;
		b->dirty = false;
		uint32_t h = hash_of(c, block);
		b->next = c->hash[h];
		c->hash[h] = (int32_t)(b - c->slot);
	}
	b->referenced = true;
	b->pins++;
	return b;
}

struct cache_block *cache_get(struct cache *c, uint32_t block, long *err)
{
	return take(c, block, true, err);
}

struct cache_block *cache_new(struct cache *c, uint32_t block, long *err)
{
	struct cache_block *b = take(c, block, false, err);
	if (b) {
		memset(b->data, 0, c->block_size);
		cache_dirty(c, b);
	}
	return b;
}

void cache_dirty(struct cache *c, struct cache_block *b)
{
	if (!b->dirty) {
		b->dirty = true;
		c->dirty++;
	}
}

void cache_put(struct cache *c, struct cache_block *b)
{
	(void)c;
	if (b && b->pins)
		b->pins--;
}

void cache_forget(struct cache *c, uint32_t block)
{
	struct cache_block *b = lookup(c, block);
	if (!b || b->pins)
		return;
	if (b->dirty) {
		b->dirty = false;
		c->dirty--;
	}
	unhash(c, b);
}

long cache_sync(struct cache *c)
{
	long first = 0;
	for (uint32_t i = 0; i < c->count; i++) {
		struct cache_block *b = &c->slot[i];
		if (b->valid && b->dirty) {
			long r = write_back(c, b);
			if (r && !first)
				first = r;
		}
	}
	return first;
}
