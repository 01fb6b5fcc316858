/**
 * @file
 * start.c — a process's start and end: argv from its proc_info page, the heap for
 * malloc, the environment and its redirections, printf to descriptor 1, exit and the
 * process calls of process.h.
 *
 * The one thing to know: everything here trusts the proc_info page only as far as it
 * must: the page is the process manager's, mapped read-only, but its offsets are still
 * checked against the page before argv points anywhere.
 */
#include <stdbool.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <process.h>
#include <stdlib.h>
#include <unistd.h>
#include "libc.h"

const struct proc_info *proc;

static char *argv_table[PROC_ARGS_MAX + 1];
static char *env_table[PROC_ARGS_MAX + 1];

_Noreturn void proc_start(const struct proc_info *info);

/* True if the args area holds a NUL at or after off: the string there ends inside. */
static int ends_inside(const struct proc_info *info, uint32_t off)
{
	for (uint32_t i = off; i < PROC_ARGS_BYTES; i++)
		if (info->args[i] == 0)
			return 1;
	return 0;
}

/* Entries [from, from + n) of the args area into table (NULL-terminated); how many. */
static int strings_take(const struct proc_info *info, uint32_t from, uint32_t n, char **table)
{
	int count = 0;
	for (uint32_t i = from; i - from < n && i < PROC_ARGS_MAX; i++) {
		uint32_t off = info->argv_offset[i];
		if (off >= PROC_ARGS_BYTES || !ends_inside(info, off))
			break;
		table[count++] = (char *)info->args + off;
	}
	table[count] = NULL;
	return count;
}

char *getenv(const char *name)
{
	size_t n = strlen(name);
	for (char **e = env_table; *e; e++)
		if (strncmp(*e, name, n) == 0 && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}

/* The spawner's redirections, before main: a file that will not open ends the
 * process (status 1) with the reason on descriptor 2, as a shell would say it. */
static void redirect(const char *program)
{
	static const struct { const char *name; int fd, flags; } env[] = {
		{ PROC_ENV_STDIN, 0, O_RDONLY },
		{ PROC_ENV_STDOUT, 1, O_WRONLY | O_CREAT | O_TRUNC },
		{ PROC_ENV_APPEND, 1, O_WRONLY | O_CREAT | O_APPEND },
	};
	libc_cwd_init(getenv(PROC_ENV_PWD));
	for (unsigned i = 0; i < sizeof(env) / sizeof(env[0]); i++) {
		const char *path = getenv(env[i].name);
		if (path && libc_open_at(env[i].fd, path, env[i].flags) < 0) {
			dprintf(STDERR_FILENO, "%s: %s: %s\n", program, path, strerror(errno));
			exit(1);
		}
	}
}

_Noreturn void proc_start(const struct proc_info *info)
{
	proc = info;
	int argc = 0;
	argv_table[0] = env_table[0] = NULL;
	if (info->magic == PROC_INFO_MAGIC) {
		argc = strings_take(info, 0, info->argc, argv_table);
		if ((uint32_t)argc == info->argc)
			strings_take(info, info->argc, info->envc, env_table);
		malloc_init((void *)info->heap_base, info->heap_size);
		/* A thread this process starts is paged by the pm too (thread.h). */
		thread_default_pager = (long)info->pm_slot;
	}
	stdout_write = libc_stdout_write;   /* descriptor 1: fd.c */
	const char *base = argc > 0 ? strrchr(argv_table[0], '/') : NULL;
	redirect(base ? base + 1 : argc > 0 ? argv_table[0] : "?");
	exit(main(argc, argv_table));
}

_Noreturn void exit(int status)
{
	/* The server would close them when it sees the session's token die; closing
	 * them now keeps its count of open files true at once. */
	for (int fd = 0; fd < FD_MAX; fd++)
		if (libc_fd_handle(fd) >= 0)
			close(fd);
	pm_exit(proc->pm_slot, status & 0xff);
}

long spawn(const char *const argv[], const long caps[], const unsigned rights[],
	   unsigned cap_count)
{
	return pm_spawn(proc->pm_slot, argv, 0, caps, rights, cap_count);
}

long spawn_env(const char *const argv[], const char *const envp[], const long caps[],
	       const unsigned rights[], unsigned cap_count)
{
	return pm_spawn_env(proc->pm_slot, argv, envp, 0, caps, rights, cap_count);
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
