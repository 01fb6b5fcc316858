/**
 * @file
 * elf.c — validates an ELF64 executable and maps its loadable segments.
 *
 * The one thing to know: all arithmetic on the file's numbers is done so it cannot
 * overflow (compare `a > size - b`, never `a + b > size`), because a crafted header can
 * hold any 64-bit value. Two segments may share a page; the page then gets the union
 * of their rights.
 */
#include <elf.h>
#include <frame.h>
#include <string.h>
#include <task.h>
#include <user_access.h>
#include <abi/error.h>
#include <arch/x86_64/layout.h>

#define ELF_MAX_PHDRS   16
#define ELF_MAX_SEGMENT (64ull << 20)   /* no root image needs more than 64 MiB */
#define PT_LOAD         1
#define PF_X            1
#define PF_W            2

struct elf64_header {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf64_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
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

static int check_segment(const struct elf64_phdr *p, size_t size, const char **why)
{
	if (p->filesz > p->memsz || p->memsz > ELF_MAX_SEGMENT)
		return reject(why, "bad segment size");
	if (p->offset > size || p->filesz > size - p->offset)
		return reject(why, "segment outside the file");
	if (p->vaddr < PAGE_SIZE || !user_range_ok(p->vaddr, p->memsz))
		return reject(why, "segment outside user space");
	return E_OK;
}

/* The frame behind the user page at va, mapped with at least `flags` (made on demand). */
static int segment_page(struct task *task, uint64_t va, uint64_t flags, uint64_t *pa)
{
	pte_t *pte = pt_walk(task->pml4, va, 1, false);
	if (pte && (*pte & PTE_PRESENT)) {
		/* Shared with an earlier segment: grant the union of both rights. */
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
		if (ph[i].type != PT_LOAD || ph[i].memsz == 0)
			continue;       /* an empty segment loads nothing, wherever it says */
		if ((err = check_segment(&ph[i], size, why)) != E_OK)
			return err;
		if ((ph[i].flags & PF_X) && h->entry >= ph[i].vaddr &&
		    h->entry - ph[i].vaddr < ph[i].memsz)
			entry_ok = true;
	}
	if (!entry_ok)
		return reject(why, "entry point outside every executable segment");
	for (unsigned i = 0; i < h->phnum; i++)
		if (ph[i].type == PT_LOAD && ph[i].memsz &&
		    (err = load_segment(task, image, &ph[i])) != E_OK)
			return err;
	*entry = h->entry;
	return E_OK;
}
