/**
 * @file
 * kmem.h — fixed-size pools for kernel objects (threads, tasks, capability tables).
 *
 * The one thing to know: each pool carves whole frames into equal objects and keeps
 * freed objects on a free list, so allocation is O(1) and never fragments; objects
 * are zeroed when handed out. kmem_alloc() returns NULL when memory runs out — the
 * caller turns that into E_NOMEM, never a panic. An object is as aligned as its type
 * needs (up to a page): frames are page-aligned and objects sit at multiples of
 * sizeof(type), which C makes a multiple of the type's alignment (struct thread's
 * FXSAVE area relies on it).
 */
#pragma once

#include <stddef.h>

struct kmem_pool {
	const char *name;
	size_t size;            /* object size, at least 8 and at most a page */
	void *free;             /* freed objects, chained through their first word */
	size_t in_use;
};

#define KMEM_POOL(var, type) struct kmem_pool var = { #type, sizeof(type), NULL, 0 }

void *kmem_alloc(struct kmem_pool *pool);
void kmem_free(struct kmem_pool *pool, void *obj);
/* Over every pool: objects alive, and frames taken (for debug_stats, like task_count). */
extern size_t kmem_objects_alive, kmem_frames_taken;
