/**
 * @file
 * fuzz.h — random system calls with live arguments, for the concurrent fuzzers.
 *
 * The one thing to know: a fuzz worker is a thread that makes one random system call per
 * fuzz_step(), mostly with arguments that name real things — its task's capability
 * slots, its helper threads, its page window — so calls get past the first check and
 * reach the kernel's state, and sometimes with hostile values. A worker never blocks
 * without a timeout (it never calls: a call's wait for the reply has none); its helpers
 * may, since the worker kills them when its phase ends. fuzz_quiesce() and fuzz_clean()
 * undo everything the worker and its helpers made, so a controller can check that the
 * kernel's counts come back.
 */
#ifndef FUZZ_H
#define FUZZ_H

/* Operation families a worker may use. */
#define FUZZ_THREADS    0x1u    /* helper threads: create, start, kill, priority, pager */
#define FUZZ_CAPS       0x2u    /* endpoints, cap_copy, cap_delete */
#define FUZZ_IPC        0x4u    /* every IPC operation, short timeouts, capability items */
#define FUZZ_PAGES      0x8u    /* map, grant and I/O items, unmap, touching pages */
#define FUZZ_ALL        0xfu

#define FUZZ_HELPERS            4
#define FUZZ_HELPER_STACK       8192
#define FUZZ_HELPER_STEPS       40      /* calls a helper makes before it ends */
#define FUZZ_WINDOW_LOG2        21      /* a worker's pages: 2 MiB */
#define FUZZ_SLOTS              40      /* the capability slots random numbers favour */

struct fuzz_helper {
	long slot;                      /* 0: free */
	long prio;
	struct fuzz_worker *parent;
	unsigned long seed;
	int has_pager;                  /* only then does it touch its window */
};

struct fuzz_worker {
	unsigned long rng;              /* not 0 */
	unsigned ops;                   /* FUZZ_* */
	long task;                      /* its own task's slot, with RIGHT_CONTROL */
	long first_dynamic;             /* slots below are fixed: never deleted or moved */
	const long *endpoints;          /* fixed slots of endpoints shared by all workers */
	int endpoint_count;
	unsigned long window;           /* base of its page window; 0: no pages */
	long prio;                      /* its own priority; helpers run at most at this */
	int is_helper;
	struct fuzz_helper helpers[FUZZ_HELPERS];
	char (*stacks)[FUZZ_HELPER_STACK];      /* FUZZ_HELPERS of them */
	unsigned long calls, errors;
};

/* One random system call (or a touch of a page) by w. */
void fuzz_step(struct fuzz_worker *w);
/* Kills w's helpers: after it, w makes no more calls that could reach another task. */
void fuzz_quiesce(struct fuzz_worker *w);
/* Empties every slot from first_dynamic on and replies to a caller w may owe;
 * afterwards w holds only its fixed slots. Call it only once every worker that could
 * put a capability into w's table (through a task capability it was sent) is quiet. */
void fuzz_clean(struct fuzz_worker *w);

#endif
