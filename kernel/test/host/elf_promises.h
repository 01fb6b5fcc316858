/**
 * @file
 * elf_promises.h — what elf_parse() promises about a plan it accepts, checked again.
 *
 * The one thing to know: this is a second, independent statement of elf_parse.h's
 * rules, written the plain way (128-bit sums, division instead of masks, the program
 * headers read again from the file), so that the unit test and the fuzzer can check
 * every plan the parser accepts without trusting the parser's own arithmetic. It is
 * host-only: the kernel build leaves kernel/test/host/ out.
 */
#pragma once

#include <elf_parse.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

typedef unsigned __int128 elf_u128;

static inline elf_u128 elf_round_down(elf_u128 a)
{
	return a / ELF_PAGE_SIZE * ELF_PAGE_SIZE;
}

static inline elf_u128 elf_round_up(elf_u128 a)
{
	return (a + ELF_PAGE_SIZE - 1) / ELF_PAGE_SIZE * ELF_PAGE_SIZE;
}

/*
 * NULL if `plan`, which elf_parse(file, size, lo, hi, plan, ...) accepted, keeps every
 * promise; otherwise the promise it breaks.
 */
static inline const char *elf_broken_promise(const uint8_t *file, size_t size, uint64_t lo,
					     uint64_t hi, const struct elf_image *plan)
{
	if (plan->count < 1 || plan->count > ELF_MAX_SEGMENTS)
		return "1 to ELF_MAX_SEGMENTS segments";
	struct elf64_header h;
	if (size < sizeof(h))
		return "a whole header";
	memcpy(&h, file, sizeof(h));
	if ((elf_u128)h.phoff + (elf_u128)h.phnum * sizeof(struct elf64_phdr) > size)
		return "the program headers inside the file";
	if (h.entry != plan->entry)
		return "the file's entry point";

	unsigned next = 0;      /* the segment the next non-empty PT_LOAD must equal */
	for (unsigned i = 0; i < h.phnum; i++) {
		struct elf64_phdr p;
		memcpy(&p, file + h.phoff + (uint64_t)i * sizeof(p), sizeof(p));
		if (p.type != PT_LOAD || p.memsz == 0)
			continue;
		if (next == plan->count)
			return "every non-empty PT_LOAD in the plan";
		const struct elf_segment *s = &plan->seg[next++];
		if (s->vaddr != p.vaddr || s->memsz != p.memsz || s->offset != p.offset ||
		    s->filesz != p.filesz || s->flags != (p.flags & (PF_R | PF_W | PF_X)))
			return "each segment as its program header says";
	}
	if (next != plan->count)
		return "no segment the file does not have";

	bool entry_found = false;
	for (unsigned i = 0; i < plan->count; i++) {
		const struct elf_segment *s = &plan->seg[i];
		if (s->memsz == 0 || s->filesz > s->memsz || s->memsz > ELF_MAX_MEMSZ)
			return "0 < p_filesz <= p_memsz <= ELF_MAX_MEMSZ";
		if (s->filesz != 0 && (elf_u128)s->offset + s->filesz > size)
			return "file bytes inside the file";
		if (s->vaddr % ELF_PAGE_SIZE != s->offset % ELF_PAGE_SIZE)
			return "p_vaddr = p_offset modulo the page size";
		if ((s->flags & PF_W) && (s->flags & PF_X))
			return "no writable, executable segment";
		elf_u128 first = elf_round_down(s->vaddr);
		elf_u128 end = elf_round_up((elf_u128)s->vaddr + s->memsz);
		if (first < elf_round_up(lo) || end > elf_round_down(hi))
			return "pages inside the load range";
		for (unsigned j = 0; j < i; j++) {
			const struct elf_segment *t = &plan->seg[j];
			if (first < elf_round_up((elf_u128)t->vaddr + t->memsz) &&
			    elf_round_down(t->vaddr) < end)
				return "no page in two segments";
		}
		if ((s->flags & PF_X) && plan->entry >= s->vaddr &&
		    (elf_u128)plan->entry < (elf_u128)s->vaddr + s->filesz)
			entry_found = true;
	}
	return entry_found ? NULL : "the entry among an executable segment's file bytes";
}
