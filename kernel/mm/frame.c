/**
 * @file
 * frame.c — the physical frame allocator: a free list threaded through the free frames.
 *
 * The one thing to know: a free frame stores the physical address of the next free
 * frame in its own first 8 bytes (written through the direct map), so the allocator
 * needs no memory of its own, and both allocating and freeing are O(1): pop and push.
 * A bitmap scanned from the start would make each allocation cost more the fuller
 * memory gets; lab 2's timing test measures exactly that.
 */
#include <boot_info.h>
#include <frame.h>
#include <panic.h>
#include <stdbool.h>
#include <arch/x86_64/layout.h>

static uint64_t free_head;      /* physical address of the first free frame; 0: none */
static size_t free_count;

extern char kernel_phys_start[], kernel_phys_end[];

/* True if the frame at pa holds something that must survive: kernel, module, BIOS. */
static bool frame_in_use(const struct boot_info *bi, uint64_t pa)
{
	if (pa < 0x100000)
		return true;    /* BIOS data, the real-mode IVT, option ROMs: leave it */
	if (pa + PAGE_SIZE > (uint64_t)kernel_phys_start && pa < (uint64_t)kernel_phys_end)
		return true;
	for (size_t i = 0; i < bi->module_count; i++)
		if (pa + PAGE_SIZE > bi->modules[i].start && pa < bi->modules[i].end)
			return true;
	return false;
}

/* Frees every whole, unused frame of the usable regions that lies in [lo, hi). */
static void add_usable(const struct boot_info *bi, uint64_t lo, uint64_t hi)
{
	for (size_t i = 0; i < bi->region_count; i++) {
		const struct mem_region *r = &bi->regions[i];
		if (r->type != MEM_USABLE)
			continue;
		uint64_t start = (r->base + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
		uint64_t end = (r->base + r->length) & ~(uint64_t)(PAGE_SIZE - 1);
		if (start < lo)
			start = lo;
		if (end > hi)
			end = hi;
		for (uint64_t pa = start; pa < end; pa += PAGE_SIZE)
			if (!frame_in_use(bi, pa))
				frame_free(pa);
	}
}

void frame_init(const struct boot_info *bi, uint64_t limit)
{
	add_usable(bi, 0, limit);
}

void frame_add_above(const struct boot_info *bi, uint64_t limit)
{
	add_usable(bi, limit, UINT64_MAX);
}

uint64_t frame_alloc(void)
{
	/* LAB 2 BEGIN: the free list */
	uint64_t pa = free_head;
	if (pa == 0)
		return 0;
	free_head = *(uint64_t *)P2V(pa);
	free_count--;
	return pa;
	/* LAB 2 STUB
	// Take the first frame off the free list (its first 8 bytes, seen through
	// P2V(), hold the next one's address). Return 0 if the list is empty.
	return 0;
	*/
	/* LAB 2 END */
}

void frame_free(uint64_t pa)
{
	KASSERT(pa != 0 && (pa & (PAGE_SIZE - 1)) == 0);
	/* LAB 2 BEGIN: the free list */
	*(uint64_t *)P2V(pa) = free_head;
	free_head = pa;
	free_count++;
	/* LAB 2 STUB
	// Put the frame at the head of the free list.
	(void)free_head;
	*/
	/* LAB 2 END */
}

size_t frame_free_count(void)
{
	return free_count;
}
