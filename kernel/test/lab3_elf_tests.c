/**
 * @file
 * lab3_elf_tests.c — a kernel scenario for lab 3: the ELF loader on crafted images.
 *
 * The one thing to know: each image is built here in memory, a header and one to three
 * segments, and loaded into a fresh task, so one flaw is tried at a time: a valid image
 * must load (which needs user_range_ok(), lab 3's: elf_load() asks it before mapping),
 * and images past the load range (over the UTCBs, the stack, the boot-info page), with
 * a page two segments share or a writable, executable segment must be refused before
 * anything is mapped. The parser's own rules are tried one by one on the host
 * (kernel/test/host/elf_parse_test.c); this scenario proves the kernel follows its plan.
 * What it prints is read back from the task's page table. The words in each image's
 * code and data, the address its code is linked at, its entry and the UTCB one image
 * covers come from the boot's seed (grade/lab3.py draws the same), so every page
 * printed is this boot's.
 */
#include <test/challenge.h>
#include <elf.h>
#include <kprintf.h>
#include <string.h>
#include <task.h>
#include <abi/error.h>
#include <abi/layout.h>
#include <arch/x86_64/layout.h>
#include <arch/x86_64/paging.h>
#include <test/ktest.h>

#define R 4
#define W 2
#define X 1
#define CODE_OFFSET 0x1000      /* the file page of each image's code bytes, */
#define DATA_OFFSET 0x2000      /* and of its data bytes */
#define CODE_BYTES  0x20        /* a code segment's file bytes: its entry is among them */

struct segment {
	uint64_t vaddr, memsz;
	uint32_t flags;         /* R | W | X */
	bool data;              /* its 8 file bytes are the data word, not the code word */
};


static uint8_t image[3 * PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static struct challenge seeded;         /* each image draws its code and data words */

/*
 * An x86-64 executable entering at `entry`. A data segment has 8 bytes from the file,
 * the data word; a code segment CODE_BYTES, the code word and zeros. Each segment's
 * bytes lie at its address's offset within its file page, as ELF requires.
 */
static void image_build(const struct segment *segs, unsigned n, uint64_t entry)
{
	memset(image, 0, sizeof(image));
	struct elf64_header *h = (struct elf64_header *)image;
	memcpy(h->ident, "\x7f" "ELF\x02\x01\x01", 7);
	h->type = 2;
	h->machine = 62;
	h->version = 1;
	h->entry = entry;
	h->phoff = sizeof(*h);
	h->ehsize = sizeof(*h);
	h->phentsize = sizeof(struct elf64_phdr);
	h->phnum = (uint16_t)n;
	struct elf64_phdr *ph = (struct elf64_phdr *)(image + sizeof(*h));
	uint64_t code = challenge_next(&seeded), data = challenge_next(&seeded);
	for (unsigned i = 0; i < n; i++) {
		uint64_t offset = (segs[i].data ? DATA_OFFSET : CODE_OFFSET) +
				  (segs[i].vaddr & (PAGE_SIZE - 1));
		ph[i] = (struct elf64_phdr){ .type = PT_LOAD, .flags = segs[i].flags,
				       .offset = offset, .vaddr = segs[i].vaddr,
				       .filesz = segs[i].data ? 8 : CODE_BYTES,
				       .memsz = segs[i].memsz, .align = PAGE_SIZE };
		memcpy(image + offset, segs[i].data ? &data : &code, 8);
	}
}

/* "va rights word" for each mapped page of the segments, once per page; the count. */
static unsigned pages_print(struct task *task, const struct segment *segs, unsigned n,
			    bool print)
{
	unsigned mapped = 0;
	uint64_t seen[8];
	for (unsigned i = 0; i < n; i++) {
		uint64_t end = segs[i].vaddr + segs[i].memsz;
		for (uint64_t va = segs[i].vaddr & ~(uint64_t)(PAGE_SIZE - 1); va < end;
		     va += PAGE_SIZE) {
			bool again = false;
			for (unsigned k = 0; k < mapped && k < 8; k++)
				again |= seen[k] == va;
			pte_t *pte = pt_walk(task->pml4, va, 1, false);
			if (again || !pte || !(*pte & PTE_PRESENT))
				continue;
			if (mapped < 8)
				seen[mapped] = va;
			mapped++;
			if (print)
				kprintf("; %lx %c%c%c %lx", va, *pte & PTE_USER ? 'r' : '-',
					*pte & PTE_WRITE ? 'w' : '-', *pte & PTE_NX ? '-' : 'x',
					*(uint64_t *)P2V(*pte & PTE_ADDR_MASK));
		}
	}
	return mapped;
}

/* Loads the image into a fresh task and says what happened, then destroys the task. */
static void image_try(const char *what, const struct segment *segs, unsigned n,
		      uint64_t entry)
{
	image_build(segs, n, entry);
	struct task *task = task_create(NULL, TASK_KMEM_DEFAULT);
	KCHECK(task);
	uint64_t got = 0;
	const char *why = "?";
	int err = elf_load(task, image, sizeof(image), &got, &why);
	if (err == E_OK) {
		kprintf("elf: %s: accepted, entry %lx", what, got);
		pages_print(task, segs, n, true);
		kprintf("\n");
	} else {
		kprintf("elf: %s: refused (%s), error %d, %u pages mapped\n", what,
			err == E_INVAL ? why : "-", err, pages_print(task, segs, n, false));
	}
	task_free(task);
}

#define TRY(what, entry, ...)                                                          \
	do {                                                                           \
		const struct segment segs_[] = { __VA_ARGS__ };                        \
		image_try(what, segs_, sizeof(segs_) / sizeof(segs_[0]), entry);       \
	} while (0)

KTEST(elf_load_checks, STAGE_USER)
{
	seeded = ktest_challenge();
	const uint64_t text = USER_IMAGE_BASE + challenge_range(&seeded, 0, 0x3ff) * PAGE_SIZE;
	const uint64_t entry = text + challenge_range(&seeded, 0, CODE_BYTES - 1);
	const uint64_t utcb = USER_UTCB_BASE + challenge_range(&seeded, 0, USER_UTCB_MAX - 1) *
						  PAGE_SIZE;
	TRY("a valid image", entry,
	    { text, 0x20, R | X, false },
	    { text + 0x1000, 0x10, R, true },
	    { text + 0x2000, 0x1800, R | W, true });
	TRY("data in the last page below the load top", text,
	    { text, 0x20, R | X, false }, { USER_LOAD_TOP - PAGE_SIZE, PAGE_SIZE, R | W, true });
	TRY("code and constants in one page", text,
	    { text, 0x800, R | X, false }, { text + 0x800, 0x100, R, true });
	TRY("data over a UTCB", text,
	    { text, 0x20, R | X, false },
	    { utcb, 0x10, R | W, true });
	TRY("data ending 1 byte into the UTCB area", text,
	    { text, 0x20, R | X, false },
	    { USER_UTCB_BASE - PAGE_SIZE, PAGE_SIZE + 1, R | W, true });
	TRY("data over the stack's top", text,
	    { text, 0x20, R | X, false }, { USER_STACK_TOP - 0x10, 0x10, R | W, true });
	TRY("constants over the boot-info page", text,
	    { text, 0x20, R | X, false }, { USER_BOOT_INFO + 0x800, 0x10, R, true });
	TRY("a writable, executable segment", text, { text, 0x20, R | W | X, false });
	TRY("code and data in one page", text,
	    { text, 0x800, R | X, false }, { text + 0x800, 0x100, R | W, true });
	TRY("data, then code in its last page", text + 0x1f00,
	    { text, 0x1001, R | W, true }, { text + 0x1f00, 0x100, R | X, false });
}
