/**
 * @file
 * kmem.c — object pools over the frame allocator.
 *
 * The one thing to know: a pool never returns frames to the frame allocator (a
 * partly-used frame cannot be told apart cheaply); kernel memory for objects only grows.
 * Lab 5 adds per-task quotas so that no task can make it grow without bound.
 */
#include <frame.h>
#include <kmem.h>
#include <panic.h>
#include <string.h>
#include <arch/x86_64/layout.h>

size_t kmem_objects_alive, kmem_frames_taken;  /* over every pool */

/* Carves a fresh frame into objects on the pool's free list; false if out of frames. */
static int pool_grow(struct kmem_pool *pool)
{
	uint64_t pa = frame_alloc();
	if (!pa)
		return 0;
	kmem_frames_taken++;
	char *page = P2V(pa);
	for (size_t off = 0; off + pool->size <= PAGE_SIZE; off += pool->size) {
		*(void **)(page + off) = pool->free;
		pool->free = page + off;
	}
	return 1;
}

void *kmem_alloc(struct kmem_pool *pool)
{
	KASSERT(pool->size >= sizeof(void *) && pool->size <= PAGE_SIZE);
	if (!pool->free && !pool_grow(pool))
		return NULL;
	void *obj = pool->free;
	pool->free = *(void **)obj;
	pool->in_use++;
	kmem_objects_alive++;
	memset(obj, 0, pool->size);
	return obj;
}

void kmem_free(struct kmem_pool *pool, void *obj)
{
	KASSERT(obj && pool->in_use > 0);
	*(void **)obj = pool->free;
	pool->free = obj;
	pool->in_use--;
	kmem_objects_alive--;
}
