/**
 * @file
 * malloc.c — the heap: blocks with boundary tags, a first-fit free list, and a break.
 *
 * The one thing to know: the heap is one row of blocks laid end to end from the start
 * of the region up to the break; above the break the region is untouched (and reads as
 * zero). Each block starts with a 16-byte header — its size, and a magic word that says
 * "in use" or "free" — and the payload follows it. A free block also carries, in what
 * would be its payload, the links of a free list, and a copy of its size in its last
 * word (the boundary tag that lets the block above find it). Freeing a block merges it
 * at once with a free neighbour below and above, so no two free blocks are ever side by
 * side, and a heap whose blocks are all freed is one free block again.
 *
 *     start                                                      break         end
 *     | used |hdr| free ...  size| used | used |hdr| free ...  size|  untouched  |
 *
 * malloc takes the first free block that is large enough (splitting off the rest if a
 * block's worth remains); if none is, it moves the break up — first extending a free
 * block just below the break, if there is one. The break only grows.
 *
 * Why this design: every step is a few lines a reader can check on paper, and it
 * touches memory only where blocks are: nothing at init, one header per block, so a
 * 1 MiB malloc touches one page, and calloc skips clearing what comes fresh from
 * above the break. Its costs: 16 bytes of header per block, and 48 bytes at least (a
 * free block must hold its links and its tag), so malloc(1) uses 48; free is O(1) but
 * malloc searches the free list, O(free blocks); a newest-first free list fragments
 * more than an address-ordered one; and memory is never given back to the process
 * manager — a page once under the break stays charged. Faster allocators keep a list
 * per size class; this one keeps one list, for reading.
 *
 * Refusing bad frees: a header's magic word is a constant xor the block's address, so
 * a header copied elsewhere, or bytes that happen to look like one, do not pass. A
 * freed block's header says "free" (also once it is merged into a neighbour), so a
 * second free of it is seen; a second free after the block was handed out again is not.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "malloc.h"

#define ALIGN 16                        /* of every block and every payload */
#define BELOW_FREE 0x1ul                /* in a header's size: the block below is free */
#define SIZE_FLAGS (ALIGN - 1)          /* sizes are multiples of ALIGN: low bits spare */
#define MAGIC_USED 0x75736564626c6b21ul /* xor the block's address */
#define MAGIC_FREE 0x66726565626c6b21ul

/* A block's header; list_next and list_prev exist only while the block is free. */
struct block {
	size_t size;                    /* the whole block's, header included; | BELOW_FREE */
	uintptr_t magic;                /* MAGIC_USED or MAGIC_FREE, xor the block's address */
	struct block *list_next;        /* the free list, newest first */
	struct block *list_prev;
};

#define HEADER offsetof(struct block, list_next)
/* A free block holds its header, its links and its tag (a size_t), rounded to ALIGN. */
#define MIN_BLOCK ((sizeof(struct block) + sizeof(size_t) + ALIGN - 1) & ~(size_t)SIZE_FLAGS)

static struct heap {
	uintptr_t start, brk, end;      /* blocks lie in [start, brk); [brk, end) untouched */
	struct block *free_list;
	bool top_free;                  /* the block just below the break is free */
	size_t refused;
} heap;

_Static_assert(HEADER % ALIGN == 0, "payloads must be as aligned as blocks");

static size_t block_size(const struct block *b)
{
	return b->size & ~(size_t)SIZE_FLAGS;
}

/* Sets b's size, keeping its flag. */
static void block_resize(struct block *b, size_t size)
{
	b->size = size | (b->size & SIZE_FLAGS);
}

static uintptr_t block_end(const struct block *b)
{
	return (uintptr_t)b + block_size(b);
}

static bool block_is_used(const struct block *b)
{
	return b->magic == (MAGIC_USED ^ (uintptr_t)b);
}

static bool block_is_free(const struct block *b)
{
	return b->magic == (MAGIC_FREE ^ (uintptr_t)b);
}

/* The boundary tag: a free block's size, in its last word. */
static size_t *block_tag(const struct block *b)
{
	return (size_t *)(block_end(b) - sizeof(size_t));
}

/*
 * Records whether the block ending at address a is free, in the header of the block
 * that starts there — or, when a is the break, where no header exists yet, in the heap.
 */
static void below_free_set(uintptr_t a, bool is_free)
{
	if (a == heap.brk) {
		heap.top_free = is_free;
		return;
	}
	struct block *b = (struct block *)a;
	b->size = is_free ? b->size | BELOW_FREE : b->size & ~BELOW_FREE;
}

static void list_push(struct block *b)
{
	b->list_prev = NULL;
	b->list_next = heap.free_list;
	if (heap.free_list)
		heap.free_list->list_prev = b;
	heap.free_list = b;
}

static void list_unlink(struct block *b)
{
	if (b->list_prev)
		b->list_prev->list_next = b->list_next;
	else
		heap.free_list = b->list_next;
	if (b->list_next)
		b->list_next->list_prev = b->list_prev;
}

/* The block size that holds n bytes, or 0 if there is none (n == 0, or n too large). */
static size_t block_need(size_t n)
{
	if (n == 0 || n > SIZE_MAX - HEADER - (ALIGN - 1))
		return 0;
	size_t need = (n + HEADER + ALIGN - 1) & ~(size_t)SIZE_FLAGS;
	return need < MIN_BLOCK ? MIN_BLOCK : need;
}

/*
 * Makes b (a block with a sound header, on no list) free: merges it with a free block
 * above and below, tags it, lists it, and tells the block above. Its header says "free"
 * first, so that it still does after being merged into the block below.
 */
static void block_release(struct block *b)
{
	b->magic = MAGIC_FREE ^ (uintptr_t)b;
	uintptr_t above = block_end(b);
	if (above != heap.brk && block_is_free((struct block *)above)) {
		list_unlink((struct block *)above);
		block_resize(b, block_size(b) + block_size((struct block *)above));
	}
	if (b->size & BELOW_FREE) {
		/* The word just below b is the tag of the free block below. */
		struct block *below = (struct block *)((uintptr_t)b - ((size_t *)b)[-1]);
		list_unlink(below);
		block_resize(below, block_size(below) + block_size(b));
		b = below;
	}
	*block_tag(b) = block_size(b);
	list_push(b);
	below_free_set(block_end(b), true);
}

/* Cuts the used block b down to need bytes if what is left makes a block; frees that. */
static void block_split(struct block *b, size_t need)
{
	size_t size = block_size(b);
	if (size - need < MIN_BLOCK)
		return;
	block_resize(b, need);
	struct block *rest = (struct block *)((uintptr_t)b + need);
	rest->size = size - need;       /* no BELOW_FREE: b is in use */
	block_release(rest);
}

/*
 * A block of at least need bytes (not yet marked used) that ends at the break, made by
 * moving the break up: the free block just below the break grows, or a new block
 * starts at the break. *fresh is the old break: memory from there up is still zero.
 * NULL if the region has no room.
 */
static struct block *heap_extend(size_t need, uintptr_t *fresh)
{
	struct block *b = (struct block *)heap.brk;
	size_t have = 0;
	if (heap.top_free) {
		/* First fit found nothing, so this block is smaller than need. */
		b = (struct block *)(heap.brk - ((size_t *)heap.brk)[-1]);
		have = block_size(b);
	}
	if (need - have > heap.end - heap.brk)
		return NULL;
	if (have)
		list_unlink(b);
	else
		b->size = 0;            /* no BELOW_FREE: top_free is false */
	*fresh = heap.brk;
	heap.brk += need - have;
	heap.top_free = false;
	block_resize(b, need);
	return b;
}

/* malloc's work; *fresh: memory from there to the block's end is known to be zero. */
static void *block_alloc(size_t n, uintptr_t *fresh)
{
	size_t need = block_need(n);
	if (need == 0)
		return NULL;
	struct block *b = heap.free_list;
	while (b && block_size(b) < need)
		b = b->list_next;
	if (b) {
		list_unlink(b);
		*fresh = block_end(b);
	} else if (!(b = heap_extend(need, fresh))) {
		return NULL;
	}
	b->magic = MAGIC_USED ^ (uintptr_t)b;
	below_free_set(block_end(b), false);
	block_split(b, need);
	return (char *)b + HEADER;
}

/* Says why `who` refuses p, counts it, and returns NULL. */
static struct block *refuse(const char *who, const void *p, const char *why)
{
	heap.refused++;
	printf("malloc: %s(%p) refused: %s\n", who, p, why);
	return NULL;
}

/*
 * The used block whose payload is p, or NULL (refused, loudly) if p is not one. Every
 * read stays below the break: a wild pointer cannot make this fault.
 */
static struct block *block_of(const char *who, void *p)
{
	uintptr_t a = (uintptr_t)p;
	if (a % ALIGN || a < heap.start + HEADER || a >= heap.brk)
		return refuse(who, p, "not a block from malloc");
	struct block *b = (struct block *)(a - HEADER);
	if (block_is_free(b))
		return refuse(who, p, "double free");
	if (!block_is_used(b))
		return refuse(who, p, "not a block from malloc");
	if (block_size(b) < MIN_BLOCK || block_size(b) > heap.brk - (uintptr_t)b)
		return refuse(who, p, "a damaged header");
	return b;
}

/*
 * Grows the used block b to at least need bytes where it is, taking the free block
 * above it, the region above the break, or both. False (b unchanged) if they are short.
 */
static bool block_grow(struct block *b, size_t need)
{
	uintptr_t above = block_end(b);
	size_t have = block_size(b);
	struct block *next = NULL;
	if (above != heap.brk && block_is_free((struct block *)above)) {
		next = (struct block *)above;
		have += block_size(next);
		above += block_size(next);
	}
	if (have < need && (above != heap.brk || need - have > heap.end - heap.brk))
		return false;
	if (next)
		list_unlink(next);
	if (have < need) {
		heap.brk += need - have;
		have = need;
	}
	block_resize(b, have);
	below_free_set(block_end(b), false);
	return true;
}

void malloc_init(void *base, size_t max)
{
	uintptr_t lo = (uintptr_t)base;
	uintptr_t start = (lo + ALIGN - 1) & ~(uintptr_t)SIZE_FLAGS;
	uintptr_t end = (lo + max) & ~(uintptr_t)SIZE_FLAGS;
	if (!base || lo + max < lo || start < lo || end < start)
		start = end = 0;
	heap = (struct heap){ .start = start, .brk = start, .end = end };
}

void *malloc(size_t n)
{
	uintptr_t fresh;
	return block_alloc(n, &fresh);
}

void free(void *p)
{
	if (!p)
		return;
	struct block *b = block_of("free", p);
	if (b)
		block_release(b);
}

void *calloc(size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size)
		return NULL;
	size_t n = count * size;
	uintptr_t fresh;
	char *p = block_alloc(n, &fresh);
	if (p) {
		/* Below fresh the block may hold an old block's bytes; above it, zeros. */
		size_t dirty = fresh > (uintptr_t)p ? fresh - (uintptr_t)p : 0;
		memset(p, 0, dirty < n ? dirty : n);
	}
	return p;
}

void *realloc(void *p, size_t n)
{
	if (!p)
		return malloc(n);
	struct block *b = block_of("realloc", p);
	if (!b)
		return NULL;
	if (n == 0) {
		block_release(b);
		return NULL;
	}
	size_t need = block_need(n);
	if (need == 0)
		return NULL;
	if (need > block_size(b) && !block_grow(b, need)) {
		void *q = malloc(n);
		if (q) {
			memcpy(q, p, block_size(b) - HEADER);
			block_release(b);
		}
		return q;
	}
	block_split(b, need);
	return p;
}

/* Prints what malloc_check found wrong at a, and returns -1. */
static int check_fail(uintptr_t a, const char *what)
{
	printf("malloc: heap check: at %p: %s\n", (void *)a, what);
	return -1;
}

int malloc_check(struct malloc_stats *stats)
{
	struct malloc_stats s = { .region = heap.end - heap.start,
				  .below_break = heap.brk - heap.start,
				  .refused = heap.refused };
	bool below_free = false;
	for (uintptr_t a = heap.start; a < heap.brk;) {
		const struct block *b = (const struct block *)a;
		size_t size = block_size(b);
		bool is_free = block_is_free(b);
		if (!is_free && !block_is_used(b))
			return check_fail(a, "no magic word: not a block header");
		if (size < MIN_BLOCK || size > heap.brk - a)
			return check_fail(a, "a size too small, or past the break");
		if (((b->size & BELOW_FREE) != 0) != below_free)
			return check_fail(a, "the flag of the block below is wrong");
		if (is_free && below_free)
			return check_fail(a, "two free blocks side by side");
		if (is_free && *block_tag(b) != size)
			return check_fail(a, "a free block's tag is not its size");
		if (is_free) {
			s.free_blocks++;
			s.free_bytes += size;
			if (size > s.largest_free)
				s.largest_free = size;
		} else {
			s.used_blocks++;
			s.used_bytes += size;
		}
		below_free = is_free;
		a += size;
	}
	if (below_free != heap.top_free)
		return check_fail(heap.brk, "the flag of the block below the break is wrong");
	size_t listed = 0;
	const struct block *prev = NULL;
	for (const struct block *b = heap.free_list; b; prev = b, b = b->list_next) {
		uintptr_t a = (uintptr_t)b;
		if (a % ALIGN || a < heap.start || a >= heap.brk || !block_is_free(b))
			return check_fail(a, "the free list holds a block that is not free");
		if (b->list_prev != prev)
			return check_fail(a, "a free-list back link is wrong");
		if (++listed > s.free_blocks)
			return check_fail(a, "more on the free list than free blocks");
	}
	if (listed != s.free_blocks)
		return check_fail(heap.start, "a free block is missing from the free list");
	if (stats)
		*stats = s;
	return 0;
}
