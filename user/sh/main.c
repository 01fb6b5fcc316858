/**
 * @file
 * main.c — the shell, bin/sh: read a line, run it, say how it ended, again.
 *
 * The one thing to know: a program is a child process (spawned as /bin/NAME, and
 * waited for unless the line ends in &), and everything the child must do before
 * its main — its working directory, its redirections — travels in its environment
 * (PWD, MINIM_STDIN, MINIM_STDOUT, MINIM_APPEND: proc.h), so the shell never opens a
 * file for it. The shell waits in the process manager, where it cannot see a Ctrl-C:
 * a child reading the console gets it (its read fails with EINTR), a child that does
 * not read runs on; `kill PID` of a job started with & is the way to stop one.
 */
#include <errno.h>
#include <fcntl.h>
#include <fs.h>
#include <process.h>
#include <shell.h>
#include <stdlib.h>
#include <unistd.h>
#include "sh.h"

#define JOBS_MAX        8

static long jobs[JOBS_MAX];             /* pids of background jobs; 0: a free entry */
static long last_status;                /* $? */

static void help(void)
{
	printf("built-ins: help, cd [DIR], pwd, exit [N], shutdown, kill PID, jobs\n"
	       "programs (/bin): ls [-l] [-a] [PATH...], cat [FILE...], echo [WORD...],\n"
	       "  mkdir DIR..., rm PATH..., mv FROM TO, ps, sync, ipcbench [N], hello\n"
	       "a line: WORDS [< FILE] [> FILE | >> FILE] [&]; '...' and \"...\" quote;\n"
	       "  $? is the last status. Ctrl-C drops the line being typed.\n");
}

/* What a status means, beside a program's own 0 to 255. */
static const char *status_text(long status)
{
	return status == PM_STATUS_KILLED ? "killed" : status == PM_STATUS_FAULT ? "fault" :
	       status == PM_STATUS_NOMEM ? "out of memory" : NULL;
}

/* Finished background jobs: their status, before the next prompt. A running child
 * would make the wait block, so the pm's list says first which ones have ended. */
static void jobs_reap(void)
{
	for (unsigned i = 0; i < JOBS_MAX; i++) {
		if (!jobs[i])
			continue;
		struct pm_ps_entry e[15];
		long n = pm_ps(proc->pm_slot, jobs[i], e, 15);
		bool ended = false, seen = false;
		for (long k = 0; k < n; k++)
			if (e[k].pid == jobs[i]) {
				seen = true;
				ended = e[k].state == PM_ZOMBIE;
			}
		if (!seen && n == 15)
			continue;       /* not in this page of the list: ask next time */
		long status = 0;
		if (ended || !seen) {
			if (pm_wait(proc->pm_slot, jobs[i], &status) < 0)
				status = PM_STATUS_KILLED;
			const char *why = status_text(status);
			if (why)
				printf("[%ld] done %ld (%s)\n", jobs[i], status, why);
			else
				printf("[%ld] done %ld\n", jobs[i], status);
			jobs[i] = 0;
		}
	}
}

/* Runs c's program: waits for it (its status is $? then), or keeps it as a job. */
static void run(struct command *c)
{
	char path[80], pwd[FS_PATH_MAX + 8], in[FS_PATH_MAX + 16], out[FS_PATH_MAX + 16];
	const char *name = c->argv[0];
	bool bare = !strchr(name, '/');
	unsigned slot = 0;
	if (c->background) {
		while (slot < JOBS_MAX && jobs[slot])
			slot++;
		if (slot == JOBS_MAX) {
			dprintf(STDERR_FILENO, "sh: %d jobs already run in the background\n",
				JOBS_MAX);
			return;
		}
	}
	const char *envp[4];
	unsigned n = 0;
	char cwd[FS_PATH_MAX + 1];
	if (getcwd(cwd, sizeof(cwd))) {
		snprintf(pwd, sizeof(pwd), "%s=%s", PROC_ENV_PWD, cwd);
		envp[n++] = pwd;
	}
	if (c->in) {
		snprintf(in, sizeof(in), "%s=%s", PROC_ENV_STDIN, c->in);
		envp[n++] = in;
	}
	if (c->out) {
		snprintf(out, sizeof(out), "%s=%s", c->append ? PROC_ENV_APPEND : PROC_ENV_STDOUT,
			 c->out);
		envp[n++] = out;
	}
	envp[n] = NULL;
	/* A name too long for /bin/ cannot be a program there. */
	bool fits = bare && snprintf(path, sizeof(path), "/bin/%s", name) < (int)sizeof(path);
	if (fits)
		c->argv[0] = path;
	long pid = bare && !fits ? E_NOENT :
		   spawn_env((const char *const *)c->argv, envp, NULL, NULL, 0);
	if (pid == E_NOENT && fits) {
		/* Not on the disk (or no disk loader yet): the bootfs has the same names. */
		c->argv[0] = path + 1;
		pid = spawn_env((const char *const *)c->argv, envp, NULL, NULL, 0);
	}
	c->argv[0] = (char *)name;
	if (pid == E_NOENT) {
		dprintf(STDERR_FILENO, "sh: %s: not found\n", name);
		last_status = 127;
		return;
	}
	if (pid < 0) {
		dprintf(STDERR_FILENO, "sh: %s: %s\n", name, strerror((int)pid));
		last_status = 126;
		return;
	}
	if (c->background) {
		jobs[slot] = pid;
		printf("[%ld]\n", pid);
		last_status = 0;
		return;
	}
	long status;
	long r = pm_wait(proc->pm_slot, pid, &status);
	if (r < 0) {
		dprintf(STDERR_FILENO, "sh: %s: wait: %s\n", name, strerror((int)r));
		status = PM_STATUS_KILLED;
	}
	const char *why = status_text(status);
	if (why)
		dprintf(STDERR_FILENO, "sh: %s: %s\n", name, why);
	last_status = status;
}

/* A built-in's number from its text: the whole word, or -1 (after saying so). */
static long number(const char *what, const char *s)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);
	if (!*s || *end || v > 0x7fffffff) {
		dprintf(STDERR_FILENO, "sh: %s: %s: not a number\n", what, s);
		return -1;
	}
	return (long)v;
}

/* True if c was a built-in (and it ran). */
static bool builtin(const struct command *c)
{
	static const char *const names[] = { "help", "cd", "pwd", "exit", "shutdown", "kill",
					     "jobs", NULL };
	const char *name = c->argv[0];
	unsigned i = 0;
	while (names[i] && strcmp(names[i], name) != 0)
		i++;
	if (!names[i])
		return false;
	if (c->in || c->out || c->background) {
		dprintf(STDERR_FILENO, "sh: %s: a built-in takes no redirection or &\n", name);
		last_status = 2;
		return true;
	}
	last_status = 0;
	if (strcmp(name, "help") == 0) {
		help();
	} else if (strcmp(name, "cd") == 0) {
		const char *dir = c->argc > 1 ? c->argv[1] : "/";
		if (chdir(dir) < 0) {
			dprintf(STDERR_FILENO, "cd: %s: %s\n", dir, strerror(errno));
			last_status = 1;
		}
	} else if (strcmp(name, "pwd") == 0) {
		char cwd[FS_PATH_MAX + 1];
		printf("%s\n", getcwd(cwd, sizeof(cwd)) ? cwd : "?");
	} else if (strcmp(name, "exit") == 0) {
		long n = c->argc > 1 ? number("exit", c->argv[1]) : 0;
		exit(n < 0 ? 2 : (int)(n & 0xff));
	} else if (strcmp(name, "shutdown") == 0) {
		printf("sh: shutting down\n");
		exit(SHELL_EXIT_SHUTDOWN);
	} else if (strcmp(name, "kill") == 0) {
		for (int k = 1; k < c->argc; k++) {
			long pid = number("kill", c->argv[k]);
			long r = pid < 0 ? E_INVAL : kill(pid);
			if (r < 0) {
				if (pid >= 0)
					dprintf(STDERR_FILENO, "kill: %ld: %s\n", pid,
						r == E_NOENT ? "not a child of this shell" :
							       strerror((int)r));
				last_status = 1;
			}
		}
	} else {
		for (unsigned k = 0; k < JOBS_MAX; k++)
			if (jobs[k])
				printf("[%ld] running\n", jobs[k]);
	}
	return true;
}

/* One line of input into line (its '\n' dropped); its length, -1 at the end of the
 * input, -2 for a Ctrl-C. Lines longer than the buffer are cut. */
static long line_read(char *line, size_t max)
{
	static char buf[SH_LINE_MAX];
	static long len, pos;
	size_t n = 0;
	for (;;) {
		if (pos >= len) {
			len = read(STDIN_FILENO, buf, sizeof(buf));
			pos = 0;
			if (len < 0 && errno == EINTR) {
				len = 0;
				return -2;
			}
			if (len <= 0) {
				len = 0;
				if (n == 0)
					return -1;
				line[n] = 0;
				return (long)n;
			}
		}
		char ch = buf[pos++];
		if (ch == '\n') {
			line[n] = 0;
			return (long)n;
		}
		if (n < max - 1)
			line[n++] = ch;
	}
}

/* The disk's welcome, /etc/motd, if there is a disk. */
static void motd(void)
{
	char buf[512];
	int fd = open("/etc/motd", O_RDONLY);
	ssize_t n;
	while (fd >= 0 && (n = read(fd, buf, sizeof(buf))) > 0)
		write(STDOUT_FILENO, buf, (size_t)n);
	if (fd >= 0)
		close(fd);
}

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("minim shell: type help\n");
	motd();
	for (;;) {
		jobs_reap();
		printf("$ ");
		char line[SH_LINE_MAX];
		long n = line_read(line, sizeof(line));
		if (n == -1)
			return 0;       /* the end of a redirected input */
		if (n == -2)
			continue;       /* Ctrl-C: the console has echoed ^C and a new line */
		struct command c;
		if (command_parse(line, last_status, &c) < 0) {
			last_status = 2;
			continue;
		}
		if (c.argc == 0 || builtin(&c))
			continue;
		run(&c);
	}
}
