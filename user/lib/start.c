/**
 * @file
 * start.c — a process's start and end: argv from its proc_info page, the heap for
 * malloc, exit and the process calls of process.h.
 *
 * The one thing to know: everything here trusts the proc_info page only as far as it
 * must: the page is the process manager's, mapped read-only, but its offsets are still
 * checked against the page before argv points anywhere.
 */
#include <stdbool.h>
#include <console.h>
#include <malloc.h>
#include <names.h>
#include <process.h>

const struct proc_info *proc;
static long console_slot;

/* printf's bytes (stdout_write): to the console server, once names knows one (lab 7),
 * else to the kernel's debug console, as before it. Looked up at the first print, so
 * a process that prints nothing asks nobody. */
static long process_write(const char *s, unsigned long len)
{
	static bool looked;
	if (!looked) {
		looked = true;
		long slot = proc->names_slot ? names_lookup(proc->names_slot, CONSOLE_NAME) : 0;
		console_slot = slot > 0 ? slot : 0;
	}
	return console_slot ? console_write(console_slot, s, len) : debug_write_all(s, len);
}

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
	stdout_write = process_write;
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
