/**
 * @file
 * malloc.h — a process's heap: malloc, free, calloc and realloc over one fixed region.
 *
 * The one thing to know: the heap lives in the region [base, base + max) that the
 * process manager reserved and zero-fills on demand, and malloc_init() only records
 * it: a page is touched (and charged to the process) when an allocation first reaches
 * it, never before. Every pointer returned is 16-byte aligned. Failures — a size of 0,
 * a size too large, a region used up — return NULL, never crash. A free() or realloc()
 * of a pointer that malloc did not hand out, or of one already freed, is refused: the
 * heap is left as it was and a line "malloc: free(0x...) refused: double free" (or
 * "...: not a block from malloc", "...: a damaged header") goes to the console.
 *
 * Not thread-safe: there is no lock. Processes in lab 6 have one thread; a program
 * with more must call these from one thread only, or serialize the calls itself.
 */
#ifndef USER_MALLOC_H
#define USER_MALLOC_H

#include <stddef.h>

/*
 * The host unit test (kernel/test/host/malloc_test.c) links this allocator beside the
 * host's C library, whose own malloc the sanitizers and stdio need: built there with
 * -DMALLOC_HOST_TEST, the four C names get a prefix. User programs never see this.
 */
#ifdef MALLOC_HOST_TEST
#define malloc minim_malloc
#define free minim_free
#define calloc minim_calloc
#define realloc minim_realloc
#endif

/*
 * Makes [base, base + max) the heap, forgetting any heap before it. Call it once, at
 * start-up, before any other function here (until then the heap is empty). The region
 * must read as zero (pages never touched, which the process manager zero-fills):
 * calloc relies on it and does not clear memory that comes fresh from the region.
 * Writes nothing. A NULL base, or a range that wraps around the address space, gives
 * an empty heap (malloc returns NULL).
 */
void malloc_init(void *base, size_t max);

/* n bytes, 16-byte aligned; NULL for n == 0 or when the region has no room. */
void *malloc(size_t n);
/* Gives back a block from malloc, calloc or realloc; free(NULL) does nothing. */
void free(void *p);
/* count * size bytes, zeroed; NULL if the product overflows, is 0, or does not fit. */
void *calloc(size_t count, size_t size);
/*
 * Resizes p's block to n bytes, keeping its first min(old, n) bytes: in place when it
 * can, else at a new address (and p is freed). realloc(NULL, n) is malloc(n);
 * realloc(p, 0) frees p and returns NULL. On failure it returns NULL and p is untouched.
 */
void *realloc(void *p, size_t n);

/* What malloc_check() found: the heap in figures. */
struct malloc_stats {
	size_t region;          /* bytes the heap may use (the region, aligned to 16) */
	size_t below_break;     /* bytes from the start to the break: all malloc has touched */
	size_t used_blocks;     /* blocks handed out and not yet freed */
	size_t used_bytes;      /* their sizes, headers included */
	size_t free_blocks;     /* blocks on the free list */
	size_t free_bytes;      /* their sizes, headers included */
	size_t largest_free;    /* the largest of them, header included */
	size_t refused;         /* frees and reallocs refused since malloc_init */
};

/*
 * Walks every block and the free list and checks them (tags, sizes, links, no two free
 * blocks side by side). Returns 0 and fills *stats (if not NULL) when the heap is
 * sound; otherwise prints the first problem and returns -1. Costs a pass over the heap:
 * for tests and debugging.
 */
int malloc_check(struct malloc_stats *stats);

#endif
