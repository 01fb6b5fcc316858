/**
 * @file
 * elf.c — maps an ELF64 executable's segments into a task, as elf_parse() plans them.
 *
 * The one thing to know: every check of the file is elf_parse()'s (kernel/lib, shared
 * with user-level loaders); what is left here is copying. Because the parser lets no
 * two segments share a page, every page is fresh and has its own segment's rights:
 * PTE_WRITE for a writable segment, pte_nx for one that is not executable, and never
 * both writable and executable. The parser is told to keep segments below
 * USER_LOAD_TOP, clear of the pages the kernel itself puts in a user address space.
 */
#include <elf.h>
#include <string.h>
#include <task.h>
#include <user_access.h>
#include <abi/error.h>
#include <abi/layout.h>
#include <arch/x86_64/layout.h>
#include <arch/x86_64/paging.h>

_Static_assert(ELF_PAGE_SIZE == PAGE_SIZE, "the parser's page is the kernel's");
/* What task.c and root.c map in user address spaces lies at or above the load range. */
_Static_assert(USER_LOAD_TOP <= USER_UTCB_BASE &&
	       USER_LOAD_TOP <= USER_STACK_TOP - USER_STACK_PAGES * PAGE_SIZE &&
	       USER_LOAD_TOP <= USER_BOOT_INFO, "the load range ends below the kernel's pages");

/* Maps segment s page by page, each a fresh zeroed frame; copies its file bytes in. */
static int load_segment(struct task *task, const uint8_t *image, const struct elf_segment *s)
{
	uint64_t flags = (s->flags & PF_W ? PTE_WRITE : 0) | (s->flags & PF_X ? 0 : pte_nx);
	uint64_t file_end = s->vaddr + s->filesz;       /* no overflow: the parser said so */

	for (uint64_t va = s->vaddr & ~(uint64_t)(PAGE_SIZE - 1); va < s->vaddr + s->memsz;
	     va += PAGE_SIZE) {
		uint64_t pa;
		int err = task_map_fresh(task, va, 1, flags, &pa);
		if (err != E_OK)
			return err;
		/* The part of [vaddr, vaddr + filesz) inside this page comes from the file;
		 * the rest stays zero (bss). */
		uint64_t lo = va > s->vaddr ? va : s->vaddr;
		uint64_t hi = va + PAGE_SIZE < file_end ? va + PAGE_SIZE : file_end;
		if (lo < hi)
			memcpy((uint8_t *)P2V(pa) + (lo - va), image + s->offset + (lo - s->vaddr),
			       hi - lo);
	}
	return E_OK;
}

int elf_load(struct task *task, const void *image, size_t size, uint64_t *entry,
	     const char **why)
{
	struct elf_image plan;
	int err = elf_parse(image, size, USER_LOAD_MIN, USER_LOAD_TOP, &plan, why);
	if (err != E_OK)
		return err;
	/* The kernel's own rule for every address user input names: user_range_ok()
	 * first. The load range is already below USER_TOP; this keeps a wrong range from
	 * ever making the loader walk the kernel half, whose page tables all tasks share. */
	for (unsigned i = 0; i < plan.count; i++) {
		if (!user_range_ok(plan.seg[i].vaddr, plan.seg[i].memsz)) {
			*why = "p_vaddr: outside user space";
			return E_INVAL;
		}
	}
	for (unsigned i = 0; i < plan.count; i++)
		if ((err = load_segment(task, image, &plan.seg[i])) != E_OK)
			return err;
	*entry = plan.entry;
	return E_OK;
}
