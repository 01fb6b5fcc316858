/**
 * @file
 * pm_internal.h — the process manager's tables: processes, their regions, its pages.
 *
 * The one thing to know: the pm is threads of the root task (pm.h), and everything
 * here is shared by them without locks, which is safe for one reason: the pm's main
 * thread runs at PM_PRIO, above every process, and its waiter threads above it, so a
 * pm thread is only ever interrupted by a higher one at the points where the lower one
 * blocks in IPC or sends to it — never in the middle of changing a table.
 */
#ifndef PM_INTERNAL_H
#define PM_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <bootfs.h>
#include <elf_parse.h>
#include <proc.h>

#define PM_PRIO                 30      /* the main thread: above every process */
#define PM_WAITER_PRIO          31      /* waiter threads: above the main thread */
#define PM_NAMES_PRIO           32      /* the name server: above them all (names.c) */
#define PM_PROCS_MAX            64      /* processes alive or unwaited at once */
#define PM_WAITERS              12      /* waits under way at once (each: a thread, 2 slots) */
#define PM_QUOTA_DEFAULT        64      /* kernel memory pages of a new process's account */
#define PM_PAGES_DEFAULT        512     /* memory pages a process may be given (2 MiB) */
#define PM_STACK_PAGES          64      /* its stack region, below USER_STACK_TOP */
#define PM_HEAP_SIZE            (16ul << 20)    /* its heap region, above its image */

/* The pm's own pages, at these addresses of the root task: one per slot. */
#define PM_POOL_VA              0x0000680000000000ul
#define PM_POOL_PAGES           16384
#define PM_OWNER_PROGRAMS       0xffff  /* a shared page of a program, never freed */

enum region_kind {
	REGION_SHARED = 1,      /* a read-only segment: one copy for every instance */
	REGION_PRIVATE,         /* a writable segment: each instance its own copy */
	REGION_ZERO,            /* heap and stack: zeroed pages */
	REGION_INFO,            /* the proc_info page, made at spawn */
};

/* A range of a process's address space and where its pages come from. */
struct region {
	uint64_t start, end;            /* page-aligned, [start, end) */
	uint8_t kind;                   /* enum region_kind */
	uint8_t rights;                 /* MAP_WRITE, MAP_EXEC (read is implied) */
	uint8_t segment;                /* the ELF segment: REGION_SHARED, REGION_PRIVATE */
};

#define PM_REGIONS (ELF_MAX_SEGMENTS + 3)

/* A program of the bootfs, checked once: its file and its plan. */
struct program {
	char path[64];
	const uint8_t *file;
	size_t size;
	struct elf_image image;
};

#define PM_PROGRAMS 40

struct proc {
	long pid;                       /* 0: a free entry */
	long parent;                    /* the parent's pid; 0: the root task */
	enum pm_state state;
	long status;                    /* a zombie's */
	long task;                      /* its task's slot in the root's table */
	const struct program *program;
	struct region regions[PM_REGIONS];
	unsigned nregions;
	unsigned long pages, page_limit;        /* pool pages it holds, and may hold */
	uint32_t info_slot;             /* the pool slot of its proc_info page */
};

/* The waiter threads (server.c): each keeps one wait's reply. */
struct waiter {
	long endpoint, notify;          /* the client calls endpoint; main sends to notify */
	long pid, client;               /* whose end it waits for, for whom; pid 0: free */
	bool called;                    /* the client's call arrived: it holds the reply */
};

struct pm {
	long endpoint;                  /* requests, faults and exceptions (receive) */
	long self_task, sigma0;         /* root's slots: its task, sigma0 */
	long names;                     /* the names endpoint (send): badged for each process */
	long names_notices;             /* the same, badged NAMES_BADGE_PM: death notices */
	struct bootfs bootfs;
	long loader;                    /* the loader thread's endpoint (disk.c) */
	struct proc procs[PM_PROCS_MAX];
	long next_pid;
	struct program programs[PM_PROGRAMS];
	struct waiter waiters[PM_WAITERS];
	/* The pool: slots [0, pool_top) have a page from sigma0; owner 0 means free. */
	uint16_t owner[PM_POOL_PAGES];
	uint32_t pool_top, free_count;
	uint32_t free_slots[PM_POOL_PAGES];
};

extern struct pm pm;

static inline void *pool_page(uint32_t slot)
{
	return (void *)(PM_POOL_VA + (uint64_t)slot * 4096);
}

/* The badge of the loader's capability to the main thread: no pid is ever this. */
#define PM_BADGE_LOADER         (1ul << 62)
#define PM_INSTALL              0x100   /* the loader's: MR0 the file's address, MR1 its
					 * size, the path from MR2. Reply MR0: 0 or error */

/* loader.c: a program's file into the table (checked by elf_parse); 0 or an error. */
long program_add(const char *path, const uint8_t *data, size_t size);
/* disk.c: the loader thread (lab 8), which reads programs from the file server. */
long pm_loader_start(void);

/* pool.c */
long pool_alloc(uint16_t owner);        /* a zeroed page's slot, or a negative error */
void pool_free_owner(uint16_t owner);   /* every page of owner back to the free list */

/* loader.c: a new process from the PM_SPAWN request in m and the UTCB; its pid, or
 * a negative error (nothing left behind). */
long pm_spawn_request(long parent, unsigned long quota, const char *args, size_t len,
		      const long *caps, const unsigned *rights, unsigned cap_count);
/* The same, at a priority of its own (the caller's thread must be at least there),
 * with pid `pid` (0: the next new one; a restarted driver keeps its own). */
long pm_spawn_at(long parent, unsigned long quota, const char *args, size_t len,
		 const long *caps, const unsigned *rights, unsigned cap_count, long prio,
		 long pid);

/* supervise.c (lab 7): drivers the pm starts again whenever they end. */
/* A supervised process from a PM_SUPERVISE request (the root's only); its pid. */
long pm_supervise_start(unsigned long quota, const char *args, size_t len, const long *caps,
		  const unsigned *rights, unsigned cap_count);
/* p has just ended (pm_end): if it is supervised, it starts again, with its pid. */
void pm_supervise_ended(struct proc *p);

/* regions.c: the reply to a page fault of p at addr, or false if p must die. */
bool pm_fault(struct proc *p, uint64_t addr, uint64_t access, uint64_t *item,
	      uint64_t *fpage);

/* server.c */
struct proc *pm_find(long pid);
/* Ends p (and every descendant) with status: its task destroyed, its pages freed. */
void pm_end(struct proc *p, long status);

#endif
