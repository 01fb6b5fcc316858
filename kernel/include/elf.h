/**
 * @file
 * elf.h — loading an ELF64 executable into a task: the kernel's only program loader.
 *
 * The one thing to know: the kernel loads just one program, the root task (and, until
 * lab 5 brings pagers, the copies task_create makes of it); everything else is loaded
 * by user code. The image is hostile input like any other: every offset, size and
 * address in it is checked before it is used.
 */
#ifndef ELF_H
#define ELF_H

#include <stddef.h>
#include <stdint.h>

struct task;

/* The ELF64 layout, as the format defines it (the parts the loader reads). */
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

/*
 * Maps the PT_LOAD segments of the ELF image (size bytes at image, kernel memory) into
 * task, with the rights each segment asks for, and sets *entry. Returns 0, E_INVAL
 * with *why set to the reason if the image is malformed — among those, a segment over
 * the UTCB area, the stack or the boot-info page (abi/layout.h), a segment both
 * writable and executable, or two whose shared page would be — or E_NOMEM. Nothing is
 * mapped unless every check has passed.
 */
int elf_load(struct task *task, const void *image, size_t size, uint64_t *entry,
	     const char **why);

#endif
