/**
 * @file
 * start.c — a process's start and end: argv from its proc_info page, the heap for
 * malloc, printf to descriptor 1, exit and the process calls of process.h.
 *
 * The one thing to know: everything here trusts the proc_info page only as far as it
 * must: the page is the process manager's, mapped read-only, but its offsets are still
 * checked against the page before argv points anywhere.
 */
#include <stdbool.h>
#include <malloc.h>
#include <process.h>
#include "libc.h"

const struct proc_info *proc;

static char *argv_table[PROC_ARGS_MAX + 1];

_Noreturn void proc_start(const struct proc_info *info);

/* True if the args area holds a NUL at or after off: the string there ends inside. */
static int ends_inside(const struct proc_info *info, uint32_t off)
{
	for (uint32_t i = off; i < PROC_ARGS_BYTES; i++)
		if (info->args[i] == 0)
			return 1;
	return 0;
}

_Noreturn void proc_start(const struct proc_info *info)
{
	proc = info;
	int argc = 0;
	if (info->magic == PROC_INFO_MAGIC) {
		for (uint32_t i = 0; i < info->argc && i < PROC_ARGS_MAX; i++) {
			uint32_t off = info->argv_offset[i];
			if (off >= PROC_ARGS_BYTES || !ends_inside(info, off))
				break;
			argv_table[argc++] = (char *)info->args + off;
		}
	}
	argv_table[argc] = NULL;
	if (info->magic == PROC_INFO_MAGIC)
		malloc_init((void *)info->heap_base, info->heap_size);
	stdout_write = libc_stdout_write;   /* descriptor 1: fd.c */
	exit(main(argc, argv_table));
}

_Noreturn void exit(int status)
{
	pm_exit(proc->pm_slot, status & 0xff);
}

long spawn(const char *const argv[], const long caps[], const unsigned rights[],
	   unsigned cap_count)
{
	return pm_spawn(proc->pm_slot, argv, 0, caps, rights, cap_count);
}

long wait(long pid)
{
	long status;
	long r = pm_wait(proc->pm_slot, pid, &status);
	return r < 0 ? r : status;
}

long kill(long pid)
{
	return pm_kill(proc->pm_slot, pid);
}
