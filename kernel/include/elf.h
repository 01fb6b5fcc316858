/**
 * @file
 * elf.h — loading an ELF64 executable into a task: the kernel's only program loader.
 *
 * The one thing to know: the kernel loads just one program, the root task (and sigma0,
 * and until lab 5 brings pagers, the copies task_create makes of the root); everything
 * else is loaded by user code. Both use the same parser, elf_parse() (elf_parse.h):
 * the kernel decides nothing about the file itself, it only maps what the parser's
 * plan says, into [USER_LOAD_MIN, USER_LOAD_TOP) (abi/layout.h).
 */
#pragma once

#include <elf_parse.h>
#include <stddef.h>
#include <stdint.h>

struct task;

/*
 * Maps the PT_LOAD segments of the ELF image (size bytes at image, kernel memory) into
 * task, each page with the rights of its segment, and sets *entry. Returns 0, E_INVAL
 * with *why set to the reason if the image is malformed (elf_parse()'s reasons, which
 * name the field at fault; among them a segment reaching past USER_LOAD_TOP, over the
 * UTCB area, the stack or the boot-info page), or E_NOMEM, leaving *why alone. Nothing
 * is mapped unless every check has passed.
 */
int elf_load(struct task *task, const void *image, size_t size, uint64_t *entry,
	     const char **why);
