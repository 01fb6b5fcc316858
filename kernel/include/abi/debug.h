/**
 * @file
 * abi/debug.h — what debug_stats reports: the kernel's counts of objects and memory.
 *
 * The one thing to know: these are for tests that look for leaks. Object pools never
 * give frames back to the frame allocator, the kernel never frees the page tables of its
 * own kernel-stack area, and a task keeps its I/O bitmap until it dies, so free frames
 * alone go down as these grow; free_frames + pool_frames + kstack_tables +
 * io_bitmap_frames is what stays constant while nothing leaks, and objects (the sum
 * over every pool) returns to where it was when everything made is deleted.
 */
#ifndef ABI_DEBUG_H
#define ABI_DEBUG_H

#include <stdint.h>

struct kernel_stats {
	uint64_t free_frames;           /* on the frame allocator's free list */
	uint64_t pool_frames;           /* taken by the object pools, for good */
	uint64_t objects;               /* threads, tasks, endpoints, capability tables,
					 * mapping nodes: alive in every pool together */
	uint64_t mappings;              /* mapping-database nodes (also in objects) */
	uint64_t live_threads;          /* user threads that have not died */
	uint64_t kstack_tables;         /* page tables under the kernel stacks: they grow
					 * with the most threads alive at once, for good */
	uint64_t io_bitmap_frames;      /* held by tasks' I/O bitmaps (two a task) */
	uint64_t account_used;          /* bytes charged to the caller's task (lab 6) */
	uint64_t account_limit;         /* and its limit */
	uint64_t tasks;                 /* tasks whose struct exists (live or dead) */
};

#endif
