/**
 * @file
 * frame.h — the physical frame allocator: 4 KiB frames of RAM, one at a time.
 *
 * The one thing to know: frames are named by physical address. To touch a frame's
 * contents, go through the direct map: P2V(pa). Address 0 is never a valid frame, so
 * frame_alloc() returns 0 when memory is exhausted.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

struct boot_info;

/**
 * Gives the allocator every usable frame below `limit` that holds nothing: not the
 * first MiB, not the kernel image, not a boot module.
 */
void frame_init(const struct boot_info *bi, uint64_t limit);
/* Then, once the direct map reaches them, the usable frames at or above `limit`. */
void frame_add_above(const struct boot_info *bi, uint64_t limit);

/* A free frame's physical address (contents undefined), or 0 if none is left. O(1). */
uint64_t frame_alloc(void);
/* Returns a frame from frame_alloc() to the allocator. O(1). */
void frame_free(uint64_t pa);
size_t frame_free_count(void);
