/**
 * @file
 * elf_parse.h — the one ELF64 parser, shared by the kernel and user programs.
 *
 * The one thing to know: elf_parse() only reads and checks; it maps nothing, allocates
 * nothing and calls nothing but memcpy, so the kernel's boot loader (elf.c), a
 * user-level process manager and a host fuzzer all run the very same code
 * (kernel/lib/elf_parse.c, built for the kernel and again into libminim.a). What it
 * returns is a plan a loader may follow without checking again: every segment's file
 * bytes lie inside the file, its pages inside the load range, no page belongs to two
 * segments, no segment is both writable and executable, and the entry point is a code
 * byte from the file. Every field of the file is hostile.
 *
 * User code may include this header: it is the header of a kernel/lib file
 * (grade/test/test_layout.py), and it includes only the compiler's headers.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* --- the ELF64 format, as the specification lays it out (the parts we read) ------- */

#define EI_CLASS        4
#define EI_DATA         5
#define EI_VERSION      6
#define ELFCLASS64      2
#define ELFDATA2LSB     1       /* little-endian */
#define EV_CURRENT      1
#define ET_EXEC         2       /* a program linked at fixed addresses */
#define EM_X86_64       62
#define PN_XNUM         0xffff  /* "the count is elsewhere": not supported */

#define PT_LOAD         1
#define PT_INTERP       3       /* names a dynamic linker: minim has none */
#define PF_X            1
#define PF_W            2
#define PF_R            4

/* Both structures are the file's bytes exactly (64 and 56 bytes, no padding). */
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

/* --- what the parser promises ------------------------------------------------------ */

/* The page a loader maps by: the x86-64 base page (elf.c asserts it is PAGE_SIZE). */
#define ELF_PAGE_SIZE           4096ull
/* Loadable segments an image may have: user/lib/user.ld makes 3 (code, constants, data). */
#define ELF_MAX_SEGMENTS        8
/*
 * The largest p_memsz accepted, 64 MiB (16,384 pages): far above any program of the kit
 * (the test program's data and bss are under 300 KiB), and half the machine's 128 MiB.
 * It bounds a loader's work per segment (the kernel fills every page at boot), and with
 * it no page arithmetic on a segment can overflow.
 */
#define ELF_MAX_MEMSZ           (64ull << 20)

/* One PT_LOAD segment, checked. flags holds only PF_R, PF_W and PF_X. */
struct elf_segment {
	uint64_t vaddr, memsz;          /* [vaddr, vaddr + memsz) in memory, memsz > 0 */
	uint64_t offset, filesz;        /* [offset, offset + filesz) in the file, filesz <= memsz */
	unsigned flags;
};

/* An executable's plan: its entry point and its loadable segments, in file order. */
struct elf_image {
	uint64_t entry;
	unsigned count;                 /* 1 to ELF_MAX_SEGMENTS; 0 after a refusal */
	struct elf_segment seg[ELF_MAX_SEGMENTS];
};

/*
 * Checks the ELF64 executable of `size` bytes at `file` (any alignment) and describes
 * its loadable segments in *out. Returns 0, or E_INVAL (abi/error.h) with *why naming
 * the field at fault and what is wrong with it, e.g. "p_filesz: larger than p_memsz";
 * then out->count is 0. `why` may be NULL.
 *
 * The rules, beyond the header's own (magic, ELF64, little-endian, version 1,
 * ET_EXEC, EM_X86_64, e_phentsize 56, the program headers inside the file):
 * - 1 to ELF_MAX_SEGMENTS PT_LOAD segments with p_memsz > 0 (an empty one loads
 *   nothing, and is skipped wherever it says it goes); no PT_INTERP;
 * - per segment: p_filesz <= p_memsz <= ELF_MAX_MEMSZ; its file bytes (if any) inside
 *   the file;
 *   p_vaddr and p_offset equal modulo ELF_PAGE_SIZE, so a loader may map the file's
 *   pages in place; not both writable and executable (no user page is ever W+X);
 * - every page a segment touches lies in [load_min, load_top) (both rounded inwards
 *   to whole pages);
 * - no page is touched by two segments: a page has one set of rights and one frame,
 *   so a shared page would need the union of two segments' rights (constants made
 *   executable, or code writable) and contents from two places in the file, and a
 *   loader could no longer free or remap one segment without the other;
 * - e_entry is one of the file bytes of an executable segment.
 */
int elf_parse(const void *file, size_t size, uint64_t load_min, uint64_t load_top,
	      struct elf_image *out, const char **why);
