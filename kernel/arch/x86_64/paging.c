/**
 * @file
 * paging.c — page-table operations, and the kernel's own page table.
 *
 * The one thing to know: pt_walk() is the only code that descends the four levels; map,
 * unmap and lab 3's address spaces all go through it. Intermediate entries are made
 * permissive (present, writable, user) and the leaf entry alone decides the rights,
 * because the CPU grants an access only if every level allows it.
 */
#include <boot_info.h>
#include <frame.h>
#include <panic.h>
#include <string.h>
#include <abi/error.h>
#include <arch/x86_64/cpu.h>
#include <arch/x86_64/layout.h>
#include <arch/x86_64/paging.h>

pte_t *kernel_pml4;
uint64_t pte_nx;

extern char kernel_text_start[], kernel_text_end[];
extern char kernel_rodata_start[], kernel_rodata_end[];
extern char kernel_data_start[], kernel_data_end[];
extern char kernel_stack_guard[];

static pte_t *table_of(pte_t entry)
{
	return P2V(entry & PTE_ADDR_MASK);
}

/**
 * Returns a pointer to the entry of the given level (1 to 3) that maps va, descending
 * from pml4. A missing table on the way is allocated (zeroed) when `create` is true;
 * otherwise, or when no frame is left, the walk returns NULL. It also returns NULL
 * when a large page above `level` already maps va: there is no table to descend into.
 */
pte_t *pt_walk(pte_t *pml4, uint64_t va, int level, bool create)
{
	/* LAB 2 BEGIN: the page-table walk */
	pte_t *table = pml4;

	for (int l = 4; l > level; l--) {
		pte_t *entry = &table[pt_index(va, l)];
		if (!(*entry & PTE_PRESENT)) {
			if (!create)
				return NULL;
			uint64_t pa = frame_alloc();
			if (!pa)
				return NULL;
			memset(P2V(pa), 0, PAGE_SIZE);
			*entry = pa | PTE_PRESENT | PTE_WRITE | PTE_USER;
		} else if (*entry & PTE_LARGE) {
			return NULL;
		}
		table = table_of(*entry);
	}
	return &table[pt_index(va, level)];
	/* LAB 2 STUB
	// Descend from the PML4 (level 4) to the table of `level`, following (or, if
	// `create`, allocating and zeroing) one table per level; see pt_index().
	(void)pml4;
	(void)va;
	(void)level;
	(void)create;
	(void)table_of;
	return NULL;
	*/
	/* LAB 2 END */
}

/**
 * Maps the page of the given level at va to pa with `flags` (PTE_WRITE, PTE_USER,
 * PTE_GLOBAL, PTE_NX; present is implied). Returns E_INVAL if va or pa is not aligned
 * to the page size, E_EXISTS if va is mapped already, E_NOMEM if a table could not be
 * allocated; then the tables made on the way are freed again, so a failed call costs
 * nothing (callers charge a task for the frames that a call consumed).
 */
int pt_map(pte_t *pml4, uint64_t va, uint64_t pa, int level, uint64_t flags)
{
	uint64_t size = pt_page_size(level);
	if (level < 1 || level > 3 || (va & (size - 1)) || (pa & (size - 1)))
		return E_INVAL;
	if (pt_translate(pml4, va) != PT_NO_MAPPING)
		return E_EXISTS;        /* also covers a larger page already in the way */
	size_t free_before = frame_free_count();
	pte_t *entry = pt_walk(pml4, va, level, true);
	if (!entry) {
		/* The walk took a frame for each table it made, the deepest ones on the
		 * way, each empty but for the link to the next: free them, deepest first. */
		size_t made = free_before - frame_free_count();
		int l = level;
		while (l < 4 && !pt_walk(pml4, va, l, false))
			l++;            /* l: the deepest table there is */
		for (; made > 0; made--, l++) {
			pte_t *up = pt_walk(pml4, va, l + 1, false);
			frame_free(*up & PTE_ADDR_MASK);
			*up = 0;
		}
		return E_NOMEM;
	}
	if (*entry & PTE_PRESENT)
		return E_EXISTS;        /* a table below: smaller pages are mapped here */
	*entry = pa | flags | PTE_PRESENT | (level > 1 ? PTE_LARGE : 0);
	return E_OK;
}

/**
 * Removes the 4 KiB mapping at va and flushes it from the TLB. The page tables on the
 * way stay (pt_prune() frees those left empty, where it is worth a scan). Returns
 * E_NOENT if nothing is mapped there with a 4 KiB page.
 */
int pt_unmap(pte_t *pml4, uint64_t va)
{
	pte_t *entry = pt_walk(pml4, va, 1, false);
	if (!entry || !(*entry & PTE_PRESENT))
		return E_NOENT;
	pte_t old = *entry;
	*entry = 0;
	/* Only the current address space, or a global entry, can be cached (one CPU). */
	if (read_cr3() == V2P(pml4) || (old & PTE_GLOBAL))
		invlpg(va);
	return E_OK;
}

/* True if no entry of table is present. It looks outward from entry `from` (the one
 * just cleared): a page's neighbours are the likeliest to be mapped. */
static bool table_empty(const pte_t *table, unsigned from)
{
	for (unsigned d = 1; d <= PT_ENTRIES / 2; d++) {
		pte_t after = table[(from + d) % PT_ENTRIES];
		pte_t before = table[(from - d) % PT_ENTRIES];  /* 2^32 is a multiple of 512 */
		if ((after | before) & PTE_PRESENT)
			return false;
	}
	return !(table[from] & PTE_PRESENT);
}

unsigned pt_prune(pte_t *pml4, uint64_t va)
{
	unsigned charged = 0;
	int level = 1;
	if (pt_index(va, 4) >= PT_ENTRIES / 2)
		return 0;       /* the kernel half: every address space shares its tables */
	for (; level <= 3; level++) {
		pte_t *up = pt_walk(pml4, va, level + 1, false);   /* points to the table */
		if (!up || !(*up & PTE_PRESENT) || (*up & PTE_LARGE) ||
		    !table_empty(table_of(*up), pt_index(va, level)))
			break;
		if (!(*up & PTE_UNCHARGED))
			charged++;
		frame_free(*up & PTE_ADDR_MASK);
		*up = 0;
	}
	/* The CPU may cache entries of the upper levels (its paging-structure caches) and
	 * walk through them into a freed table; invlpg drops all of those (SDM 4.10.4.1).
	 * Another address space has none cached: the CR3 write that loads it flushes them. */
	if (level > 1 && read_cr3() == V2P(pml4))
		invlpg(va);
	return charged;
}

/* The physical address that va maps to in pml4, or PT_NO_MAPPING. */
uint64_t pt_translate(pte_t *pml4, uint64_t va)
{
	pte_t *table = pml4;
	for (int l = 4; l >= 1; l--) {
		pte_t entry = table[pt_index(va, l)];
		if (!(entry & PTE_PRESENT))
			return PT_NO_MAPPING;
		if (l == 1 || (entry & PTE_LARGE)) {
			uint64_t size = pt_page_size(l);
			return (entry & PTE_ADDR_MASK & ~(size - 1)) | (va & (size - 1));
		}
		table = table_of(entry);
	}
	return PT_NO_MAPPING;
}

/* Maps the kernel-image pages covering [start, end) to their physical addresses. */
static void map_image_range(pte_t *pml4, const char *start, const char *end, uint64_t flags)
{
	uint64_t va = (uint64_t)start & ~(uint64_t)(PAGE_SIZE - 1);
	for (; va < (uint64_t)end; va += PAGE_SIZE)
		if (pt_map(pml4, va, V2P((void *)va), 1, flags) != E_OK)
			panic("paging: cannot map the kernel image at %lx", va);
}

/**
 * Maps the kernel image with the least rights each part needs (W^X): code readable and
 * executable, read-only data readable, data and bss readable and writable. A kernel bug
 * that writes into its own code, or jumps into data, then faults at once.
 */
static void map_kernel_image(pte_t *pml4)
{
	/* LAB 2 BEGIN: the kernel image, W^X */
	map_image_range(pml4, kernel_text_start, kernel_text_end, PTE_GLOBAL);
	map_image_range(pml4, kernel_rodata_start, kernel_rodata_end, PTE_GLOBAL | pte_nx);
	map_image_range(pml4, kernel_data_start, kernel_data_end,
			PTE_GLOBAL | PTE_WRITE | pte_nx);
	/* LAB 2 STUB
	// Map the text, read-only data and data sections each with the rights it needs.
	// This stub maps the whole image writable and executable: it boots, but a stray
	// write into the kernel's code goes unnoticed.
	map_image_range(pml4, kernel_text_start, kernel_data_end, PTE_WRITE);
	*/
	/* LAB 2 END */
}

/* Maps all RAM at PHYS_BASE with 2 MiB pages, readable, writable, not executable. */
static void map_direct(pte_t *pml4, const struct boot_info *bi)
{
	uint64_t top = 0;
	for (size_t i = 0; i < bi->region_count; i++)
		if (bi->regions[i].type == MEM_USABLE &&
		    bi->regions[i].base + bi->regions[i].length > top)
			top = bi->regions[i].base + bi->regions[i].length;
	for (uint64_t pa = 0; pa < top; pa += LARGE_PAGE_SIZE)
		if (pt_map(pml4, PHYS_BASE + pa, pa, 2, PTE_WRITE | PTE_GLOBAL | pte_nx) != E_OK)
			panic("paging: cannot build the direct map at %lx", pa);
}

void paging_init(const struct boot_info *bi)
{
	uint32_t a, b, c, d;
	cpuid(0x80000001, &a, &b, &c, &d);
	pte_nx = (d & (1u << 20)) ? PTE_NX : 0;     /* boot.S set EFER.NXE to match */

	uint64_t pa = frame_alloc();
	if (!pa)
		panic("paging: no frame for the kernel page table");
	memset(P2V(pa), 0, PAGE_SIZE);
	kernel_pml4 = P2V(pa);

	map_direct(kernel_pml4, bi);
	map_kernel_image(kernel_pml4);
	/* E_NOENT is fine: a stub map_kernel_image() may not have mapped it at all. */
	pt_unmap(kernel_pml4, (uint64_t)kernel_stack_guard);

	write_cr4(read_cr4() | CR4_PGE);
	write_cr3(pa);  /* the boot tables, and the identity map of low memory, are gone */
}
