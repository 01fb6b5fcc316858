/**
 * @file
 * space.h — address spaces built by user code: map, grant and unmap of pages.
 *
 * The one thing to know: the kernel only carries out what user-level pagers decide.
 * A page moves between address spaces only as a map or grant item of a message (the
 * receiver saying where, in its window) or as the reply to a page fault; every page
 * that moves gets a node in the mapping database, so that unmap can take it back from
 * everyone it was passed on to.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct mapping;
struct task;
struct thread;

/*
 * Carries out one map or grant item (word0, fpage) sent by `from` into `to`'s space
 * inside `window`. Returns the number of pages that arrived (pages the sender does not
 * hold, or that would land outside the window, are skipped).
 */
unsigned space_map_item(struct thread *from, struct thread *to, uint64_t word0,
			uint64_t fpage, uint64_t window, bool grant, unsigned *rights);
/* Removes what was derived from a mapping (and it too, if self) from every page table:
 * mapdb_unmap() with remove_page, at most *budget mappings; true when it is done. */
bool space_unmap_node(struct mapping *m, bool self, unsigned *budget);
/* Carries out one I/O-port item; returns the number of ports that arrived. */
unsigned space_io_item(struct thread *from, struct thread *to, uint64_t io_fpage, bool grant);
/* A #GP in user mode: load the task's I/O bitmap if it has one not yet loaded (then
 * the instruction is retried); false if that is not the cause. */
bool space_io_fault(struct task *task);
/* Back to "no ports" in the TSS (after a switch away from the loaded task). */
void space_io_unload(void);

/* True if va is mapped in task with at least the access of a fault (FAULT_*). */
bool space_has_access(struct task *task, uint64_t va, uint64_t access);

/* Frames all tasks' I/O bitmaps hold: a task's first I/O item makes its two. */
extern unsigned long space_io_bitmap_frames;

/* sigma0's physical memory: set up once at boot (root.c). */
void space_give_sigma0(struct task *sigma0, uint64_t pa);
extern struct task *sigma0_task;
