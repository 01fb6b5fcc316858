/**
 * @file
 * elf_parse.c — checks an ELF64 executable and says where its segments go.
 *
 * The one thing to know: a crafted file can hold any 64-bit value in any field, so no
 * check adds two of the file's numbers before it knows the sum fits: `a > size - b`
 * once `b <= size` is known, never `a + b > size`. The file is read through memcpy into
 * local copies of its structures, because it may lie at any alignment (a boot module,
 * a bootfs member, a fuzzer's buffer). The rules themselves, and why each exists, are
 * in elf_parse.h.
 */
#include <elf_parse.h>
#include <stdbool.h>
#include <string.h>
#include <abi/error.h>

_Static_assert(sizeof(struct elf64_header) == 64, "the ELF64 header is 64 bytes");
_Static_assert(sizeof(struct elf64_phdr) == 56, "an ELF64 program header is 56 bytes");
/* The fields are copied as they lie in the file, which must be little-endian. */
_Static_assert(ELF_MAX_MEMSZ == 64ull << 20, "a reason below says 64 MiB");
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "a little-endian machine");

#define PAGE_MASK (ELF_PAGE_SIZE - 1)
#define STRING(x) #x
#define NUMBER(x) STRING(x)     /* a macro's value as a string: "8" */

/* The reason the header is wrong, or NULL. Fills *h from the file. */
static const char *header_problem(const uint8_t *file, size_t size, struct elf64_header *h)
{
	if (size < sizeof(*h))
		return "e_ident: the file is shorter than an ELF64 header";
	memcpy(h, file, sizeof(*h));
	if (memcmp(h->ident, "\x7f" "ELF", 4) != 0)
		return "e_ident: no ELF magic";
	if (h->ident[EI_CLASS] != ELFCLASS64)
		return "e_ident[EI_CLASS]: not ELF64";
	if (h->ident[EI_DATA] != ELFDATA2LSB)
		return "e_ident[EI_DATA]: not little-endian";
	if (h->ident[EI_VERSION] != EV_CURRENT)
		return "e_ident[EI_VERSION]: not 1";
	if (h->type != ET_EXEC)
		return "e_type: not an executable (ET_EXEC)";
	if (h->machine != EM_X86_64)
		return "e_machine: not x86-64";
	if (h->version != EV_CURRENT)
		return "e_version: not 1";
	if (h->phentsize != sizeof(struct elf64_phdr))
		return "e_phentsize: not the size of an ELF64 program header";
	if (h->phnum == PN_XNUM)
		return "e_phnum: PN_XNUM (a count kept elsewhere) is not supported";
	/* Divide rather than multiply: phnum * 56 fits, but the habit is the point. */
	if (h->phoff > size || (size - h->phoff) / sizeof(struct elf64_phdr) < h->phnum)
		return "e_phoff: the program headers run past the end of the file";
	return NULL;
}

/*
 * The reason PT_LOAD segment p (p_filesz <= p_memsz, p_memsz > 0) is wrong on its own,
 * or NULL. [min, top) is the load range in whole pages, top <= 2^64 - ELF_PAGE_SIZE,
 * so a segment found inside it can be rounded up to its last page without overflowing.
 */
static const char *segment_problem(const struct elf64_phdr *p, size_t size, uint64_t min,
				   uint64_t top)
{
	if (p->memsz > ELF_MAX_MEMSZ)
		return "p_memsz: larger than ELF_MAX_MEMSZ (64 MiB)";
	/* With no file bytes (all bss), p_offset names no byte: a stripped or cut file
	 * may end before it. */
	if (p->filesz != 0 && (p->offset > size || p->filesz > size - p->offset))
		return "p_offset: the segment's file bytes run past the end of the file";
	if ((p->vaddr & PAGE_MASK) != (p->offset & PAGE_MASK))
		return "p_offset: not equal to p_vaddr modulo the page size";
	if ((p->flags & PF_W) && (p->flags & PF_X))
		return "p_flags: both writable and executable";
	if (p->vaddr < min)
		return "p_vaddr: below the load range";
	if (p->vaddr >= top || p->memsz > top - p->vaddr)
		return "p_vaddr + p_memsz: past the top of the load range";
	return NULL;
}

/* The segment's pages: [first_page, pages_end). Only for a segment inside the range. */
static uint64_t first_page(const struct elf_segment *s)
{
	return s->vaddr & ~PAGE_MASK;
}

static uint64_t pages_end(const struct elf_segment *s)
{
	return (s->vaddr + s->memsz + PAGE_MASK) & ~PAGE_MASK;
}

static bool share_a_page(const struct elf_segment *a, const struct elf_segment *b)
{
	return first_page(a) < pages_end(b) && first_page(b) < pages_end(a);
}

static int refuse(struct elf_image *out, const char **why, const char *reason)
{
	out->count = 0;
	if (why)
		*why = reason;
	return E_INVAL;
}

int elf_parse(const void *file, size_t size, uint64_t load_min, uint64_t load_top,
	      struct elf_image *out, const char **why)
{
	const uint8_t *bytes = file;
	struct elf64_header h;
	memset(out, 0, sizeof(*out));
	const char *problem = header_problem(bytes, size, &h);
	if (problem)
		return refuse(out, why, problem);

	/* The range in whole pages, rounded inwards; empty if nothing fits. */
	uint64_t top = load_top & ~PAGE_MASK;
	uint64_t min = load_min > top ? top : (load_min + PAGE_MASK) & ~PAGE_MASK;

	for (unsigned i = 0; i < h.phnum; i++) {
		struct elf64_phdr p;
		memcpy(&p, bytes + h.phoff + (uint64_t)i * sizeof(p), sizeof(p));
		if (p.type == PT_INTERP)
			return refuse(out, why, "p_type: PT_INTERP (a dynamic linker is needed)");
		if (p.type != PT_LOAD)
			continue;
		if (p.filesz > p.memsz)         /* even in an empty segment */
			return refuse(out, why, "p_filesz: larger than p_memsz");
		if (p.memsz == 0)
			continue;               /* loads nothing, wherever it says */
		if ((problem = segment_problem(&p, size, min, top)))
			return refuse(out, why, problem);
		if (out->count == ELF_MAX_SEGMENTS)
			return refuse(out, why, "e_phnum: more than " NUMBER(ELF_MAX_SEGMENTS)
						" loadable segments");
		struct elf_segment *s = &out->seg[out->count];
		*s = (struct elf_segment){ .vaddr = p.vaddr, .memsz = p.memsz,
					   .offset = p.offset, .filesz = p.filesz,
					   .flags = p.flags & (PF_R | PF_W | PF_X) };
		for (unsigned j = 0; j < out->count; j++)
			if (share_a_page(s, &out->seg[j]))
				return refuse(out, why, "p_vaddr: a page shared with another "
							"segment");
		out->count++;
	}
	if (out->count == 0)
		return refuse(out, why, "e_phnum: no loadable (PT_LOAD) segment");

	/* The entry must be a byte of code from the file, not bss that reads as zero. */
	for (unsigned i = 0; i < out->count; i++) {
		const struct elf_segment *s = &out->seg[i];
		if ((s->flags & PF_X) && h.entry >= s->vaddr && h.entry - s->vaddr < s->filesz) {
			out->entry = h.entry;
			return E_OK;
		}
	}
	return refuse(out, why, "e_entry: not in an executable segment's file bytes");
}
