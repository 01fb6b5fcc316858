/**
 * @file
 * proc.h — processes: what a process finds when it starts, and how it talks to the
 * process manager (spawn, wait, exit, kill, ps).
 *
 * The one thing to know: a process is a task the process manager (user/pm/, in the
 * root task) made empty and fills on demand as its pager: it starts with one thread at
 * its ELF entry, rsp at USER_STACK_TOP and rdi = USER_BOOT_INFO, where a read-only
 * `struct proc_info` says its pid, its arguments and environment, its heap and the
 * capabilities it was given. Every request to the pm is a call on the capability in pm_slot, whose badge
 * (the pid) is how the pm knows who asks; the pm answers every request but exit.
 */
#ifndef USER_PROC_H
#define USER_PROC_H

#include <stdint.h>

#define PROC_INFO_MAGIC         0x6d696e696d50524full   /* "minimPRO" */
#define PROC_ARGS_MAX           16      /* argv and environment entries, the path first */
#define PROC_ARGS_BYTES         512     /* their bytes, each NUL-terminated */
#define PROC_CAPS_MAX           4       /* capabilities a spawner may pass */
#define PROC_PRIO               20      /* a process's first thread (and at most its others) */

struct proc_info {
	uint64_t magic;
	uint64_t pid;
	/* Capability slots in the process's own table; 0: none. */
	uint32_t pm_slot;               /* the pm (send, grant: badged with the pid) */
	uint32_t names_slot;            /* the name server (the same) */
	uint32_t task_slot;             /* its own task: threads, and tasks on its account */
	uint32_t cap_count;             /* capabilities its spawner passed, in order */
	uint32_t caps[PROC_CAPS_MAX];
	uint64_t heap_base, heap_size;  /* zero-filled on demand: malloc's region */
	uint32_t argc;
	uint32_t envc;                  /* environment strings, after the arguments */
	uint32_t argv_offset[PROC_ARGS_MAX];    /* into args: argc, then envc of them */
	char args[PROC_ARGS_BYTES];
};

/* The labels of requests to the pm (MR words: below). */
enum pm_request {
	PM_SPAWN = 1,   /* MR0 quota pages (0: default) | argc << 32, MR1 bytes of the
			 * NUL-separated path, arguments and environment, which follow
			 * from MR2, 8 bytes a word: the first argc strings are argv (the
			 * path first), the rest NAME=value (argc 0: all are argv); then
			 * up to PROC_CAPS_MAX capability items, each with the rights the
			 * child is to have as its mask. Reply MR0: the pid or error */
	PM_WAIT = 2,    /* MR0 pid (a child's). Reply: MR0 its exit status, or an error;
			 * PM_WAIT_AT (below) when it has not ended yet */
	PM_EXIT = 3,    /* MR0 the status. No reply: the process is gone */
	PM_KILL = 4,    /* MR0 pid (a child's). Reply MR0: 0 or an error */
	PM_PS = 5,      /* MR0 the first pid to list. Reply: MR0 entries, then per entry
			 * (pid, parent, state, pages), 4 words */
	PM_SUPERVISE = 6,       /* the root's only (lab 7): as PM_SPAWN, and the pm starts
				 * the process again, same pid, whenever it ends. Reply MR0:
				 * the pid or error */
};

/* A wait that must wait: the reply carries a capability to call for the status. */
#define PM_WAIT_AT              0x10
/* A spawn of a program the pm must first read from the disk (lab 8): the reply carries
 * a capability to the pm's loader; the client calls it with the same request, and when
 * it answers 0 sends the spawn again (pm_spawn does all this). */
#define PM_LOAD_AT              0x11

/* Exit statuses the pm gives, beside a process's own (which is 0 to 255). */
#define PM_STATUS_KILLED        (-9)    /* killed by its parent (or its parent's end) */
#define PM_STATUS_FAULT         (-11)   /* a fault outside its regions, or an exception */
#define PM_STATUS_NOMEM         (-12)   /* it touched more pages than it may have */

enum pm_state { PM_RUNNING = 1, PM_ZOMBIE = 2 };

/*
 * The environment (lab 8): NAME=value strings after the arguments, which the libc's
 * start (user/lib/start.c) reads before main: getenv() finds them, and these three
 * redirect a descriptor to a file first (the shell's <, > and >>):
 */
#define PROC_ENV_STDIN          "MINIM_STDIN"   /* descriptor 0 reads this file */
#define PROC_ENV_STDOUT         "MINIM_STDOUT"  /* descriptor 1: created or truncated */
#define PROC_ENV_APPEND         "MINIM_APPEND"  /* descriptor 1: created or appended to */
#define PROC_ENV_PWD            "PWD"           /* the working directory */

/* Client stubs (user/lib/pm_client.c): return values >= 0, or a negative error. */
/* caps[i] goes to the child with rights[i] (which the caller must have: else E_RIGHTS). */
long pm_spawn(long pm_slot, const char *const argv[], unsigned long quota_pages,
	      const long caps[], const unsigned rights[], unsigned cap_count);
/* The same with an environment: envp NULL-terminated NAME=value strings (or NULL). */
long pm_spawn_env(long pm_slot, const char *const argv[], const char *const envp[],
		  unsigned long quota_pages, const long caps[], const unsigned rights[],
		  unsigned cap_count);
long pm_wait(long pm_slot, long pid, long *status);
long pm_kill(long pm_slot, long pid);
/* The root's: a driver the pm restarts whenever it ends (PM_SUPERVISE). */
long pm_supervise(long pm_slot, const char *const argv[], unsigned long quota_pages,
		  const long caps[], const unsigned rights[], unsigned cap_count);
_Noreturn void pm_exit(long pm_slot, long status);

/* One process of the pm's list (PM_PS). */
struct pm_ps_entry {
	long pid, parent;
	unsigned long state;            /* enum pm_state */
	unsigned long pages;            /* the pool pages it holds */
};
/* Up to max processes, from pid `from` on, in the pm's order; their number, or an error. */
long pm_ps(long pm_slot, long from, struct pm_ps_entry *out, unsigned max);

#endif
