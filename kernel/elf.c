/**
 * @file
 * elf.c — validates an ELF64 executable and maps its loadable segments.
 *
 * The one thing to know: all arithmetic on the file's numbers is done so it cannot
 * overflow (compare `a > size - b`, never `a + b > size`), because a crafted header can
 * hold any 64-bit value. Every check comes before the first page is mapped. Two
 * segments may share a page, which then gets the union of their rights — so a
 * segment may not be writable and executable, and neither may two that share a page:
 * no user page is ever W+X. A segment may not touch a region the kernel itself puts
 * in user address spaces (UTCBs, stack, boot-info page): it would be merged with them.
 */
#include <elf.h>
#include <frame.h>
#include <string.h>
#include <task.h>
#include <user_access.h>
#include <abi/error.h>
#include <abi/layout.h>
#include <arch/x86_64/layout.h>

#define ELF_MAX_PHDRS   16
#define ELF_MAX_SEGMENT (64ull << 20)   /* no root image needs more than 64 MiB */

/* What the kernel maps in user address spaces besides the image (task.c, root.c). */
static const struct {
	uint64_t base, size;
	const char *why;
} kernel_regions[] = {
	{ USER_UTCB_BASE, USER_UTCB_MAX * PAGE_SIZE, "segment over the UTCB area" },
	{ USER_STACK_TOP - USER_STACK_PAGES * PAGE_SIZE, USER_STACK_PAGES * PAGE_SIZE,
	  "segment over the stack" },
	{ USER_BOOT_INFO, PAGE_SIZE, "segment over the boot-info page" },
};

static int reject(const char **why, const char *reason)
{
	*why = reason;
	return E_INVAL;
}

static int check_header(const struct elf64_header *h, size_t size, const char **why)
{
	static const uint8_t magic[4] = { 0x7f, 'E', 'L', 'F' };
	if (size < sizeof(*h) || memcmp(h->ident, magic, 4) != 0)
		return reject(why, "not an ELF file");
	if (h->ident[4] != 2 || h->ident[5] != 1)
		return reject(why, "not 64-bit little-endian");
	if (h->type != 2 || h->machine != 62)
		return reject(why, "not an x86-64 executable");
	if (h->phentsize != sizeof(struct elf64_phdr) || h->phnum == 0 ||
	    h->phnum > ELF_MAX_PHDRS)
		return reject(why, "bad program header table");
	if (h->phoff > size || (size - h->phoff) / sizeof(struct elf64_phdr) < h->phnum)
		return reject(why, "program headers outside the file");
	return E_OK;
}

/* The first page of a checked segment, and the end of its last page. No overflow:
 * a checked segment ends at or below USER_TOP, far below 2^64 - PAGE_SIZE. */
static uint64_t first_page(const struct elf64_phdr *p)
{
	return p->vaddr & ~(uint64_t)(PAGE_SIZE - 1);
}

static uint64_t pages_end(const struct elf64_phdr *p)
{
	return (p->vaddr + p->memsz + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
}

static int check_segment(const struct elf64_phdr *p, size_t size, const char **why)
{
	if (p->filesz > p->memsz || p->memsz > ELF_MAX_SEGMENT)
		return reject(why, "bad segment size");
	if (p->offset > size || p->filesz > size - p->offset)
		return reject(why, "segment outside the file");
	if (p->vaddr < PAGE_SIZE || !user_range_ok(p->vaddr, p->memsz))
		return reject(why, "segment outside user space");
	if ((p->flags & PF_W) && (p->flags & PF_X))
		return reject(why, "segment both writable and executable");
	for (unsigned i = 0; i < sizeof(kernel_regions) / sizeof(kernel_regions[0]); i++)
		if (first_page(p) < kernel_regions[i].base + kernel_regions[i].size &&
		    kernel_regions[i].base < pages_end(p))
			return reject(why, kernel_regions[i].why);
	return E_OK;
}

/* True if checked segments a and b have a page in common that their union of rights
 * would make writable and executable. */
static bool share_wx_page(const struct elf64_phdr *a, const struct elf64_phdr *b)
{
	uint32_t both = a->flags | b->flags;
	return (both & PF_W) && (both & PF_X) && first_page(a) < pages_end(b) &&
	       first_page(b) < pages_end(a);
}

static bool loadable(const struct elf64_phdr *p)
{
	return p->type == PT_LOAD && p->memsz != 0;
}

/* The frame behind the user page at va, mapped with at least `flags` (made on demand). */
static int segment_page(struct task *task, uint64_t va, uint64_t flags, uint64_t *pa)
{
	pte_t *pte = pt_walk(task->pml4, va, 1, false);
	if (pte && (*pte & PTE_PRESENT)) {
		/* Shared with an earlier segment: grant the union of both rights (never
		 * W+X: elf_load() refused such images). */
		if (flags & PTE_WRITE)
			*pte |= PTE_WRITE;
		if (!(flags & PTE_NX))
			*pte &= ~PTE_NX;
		*pa = *pte & PTE_ADDR_MASK;
		return E_OK;
	}
	return task_map_fresh(task, va, 1, flags, pa);
}

static int load_segment(struct task *task, const uint8_t *image, const struct elf64_phdr *p)
{
	uint64_t flags = (p->flags & PF_W ? PTE_WRITE : 0) | (p->flags & PF_X ? 0 : pte_nx);
	uint64_t start = p->vaddr & ~(uint64_t)(PAGE_SIZE - 1);

	for (uint64_t va = start; va < p->vaddr + p->memsz; va += PAGE_SIZE) {
		uint64_t pa;
		int err = segment_page(task, va, flags, &pa);
		if (err != E_OK)
			return err;
		/* The part of [vaddr, vaddr + filesz) inside this page comes from the file;
		 * the rest stays zero (fresh frames are zeroed). */
		uint64_t lo = va > p->vaddr ? va : p->vaddr;
		uint64_t hi = va + PAGE_SIZE < p->vaddr + p->filesz ? va + PAGE_SIZE
								 : p->vaddr + p->filesz;
		if (lo < hi)
			memcpy((uint8_t *)P2V(pa) + (lo - va), image + p->offset + (lo - p->vaddr),
			       hi - lo);
	}
	return E_OK;
}

int elf_load(struct task *task, const void *image, size_t size, uint64_t *entry,
	     const char **why)
{
	const struct elf64_header *h = image;
	int err = check_header(h, size, why);
	if (err != E_OK)
		return err;
	const struct elf64_phdr *ph = (const void *)((const uint8_t *)image + h->phoff);
	bool entry_ok = false;

	for (unsigned i = 0; i < h->phnum; i++) {
		if (!loadable(&ph[i]))
			continue;       /* an empty segment loads nothing, wherever it says */
		if ((err = check_segment(&ph[i], size, why)) != E_OK)
			return err;
		for (unsigned j = 0; j < i; j++)        /* j: checked in an earlier round */
			if (loadable(&ph[j]) && share_wx_page(&ph[i], &ph[j]))
				return reject(why, "segments sharing a page would make it "
						   "writable and executable");
		if ((ph[i].flags & PF_X) && h->entry >= ph[i].vaddr &&
		    h->entry - ph[i].vaddr < ph[i].memsz)
			entry_ok = true;
	}
	if (!entry_ok)
		return reject(why, "entry point outside every executable segment");
	for (unsigned i = 0; i < h->phnum; i++)
		if (loadable(&ph[i]) && (err = load_segment(task, image, &ph[i])) != E_OK)
			return err;
	*entry = h->entry;
	return E_OK;
}
