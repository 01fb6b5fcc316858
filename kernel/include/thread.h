/**
 * @file
 * thread.h — a thread: the unit the scheduler runs, always inside one task.
 *
 * The one thing to know: a thread's user registers live in the struct trap_frame at the
 * top of its own kernel stack (user_frame), saved there by every entry to the kernel;
 * while it is switched out, its kernel registers are parked on that same stack, and
 * kernel_rsp says where.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <ring.h>
#include <abi/syscall.h>
#include <arch/x86_64/fpu.h>
#include <arch/x86_64/trap.h>

struct endpoint;
struct utcb;

/* The words of a fault message (abi/ipc.h: at most four). */
#define FAULT_WORDS 4

enum thread_state {
	THREAD_STOPPED,         /* created, not started (or stopped) */
	THREAD_READY,           /* in a run queue */
	THREAD_RUNNING,         /* on the CPU: in no queue */
	THREAD_SENDING,         /* in an endpoint's send queue (send or call) */
	THREAD_RECEIVING,       /* in an endpoint's receive queue */
	THREAD_WAITING_REPLY,   /* called: waits for the reply of thread `callee` */
	THREAD_DEAD,            /* exited or killed: only its struct remains */
};

struct task;

struct thread {
	uint64_t kernel_rsp;            /* saved by context_switch() while not running */
	struct task *task;              /* NULL for the idle thread: it runs in any space */
	uint64_t kstack_top;
	struct trap_frame *user_frame;  /* at kstack_top: the user registers */
	enum thread_state state;
	uint8_t priority;               /* 0 (idle) .. PRIO_MAX */
	int slice;                      /* timer ticks left before round robin moves on */
	struct thread *next, *prev;     /* run queue links */
	uint64_t utcb_va;               /* in the task's address space */
	int utcb_index;
	int kstack_index;
	uint32_t id;
	uint32_t refs;                  /* capabilities naming it */
	struct ring_link task_link;     /* its task's threads (task.thread_list) */

	/* IPC (lab 4). */
	struct utcb *utcb;              /* the kernel's view of the UTCB (direct map) */
	struct endpoint *queued_on;     /* the endpoint whose queue it waits in */
	struct ring_link queue_link;    /* in that queue */
	uint64_t send_badge;            /* a queued sender: the badge of the cap it used */
	uint8_t send_flags;             /* a queued sender: IPC_CALL? may it grant caps? */
	struct thread *caller;          /* whose reply it owes (after receiving a call) */
	struct thread *callee;          /* who owes it a reply (while WAITING_REPLY) */
	long ipc_result;                /* what a woken IPC waiter's system call returns */
	uint64_t wake_tick;             /* 0: no timeout; else when the wait times out */
	unsigned timeout_slot;          /* its place in timeout.c's heap (if wake_tick) */

	/* Faults as IPC (lab 5). */
	struct endpoint *pager;         /* where page faults go, with pager_badge */
	struct endpoint *exception_handler;
	uint64_t pager_badge, exception_badge;
	uint64_t fault_label;           /* 0, or FAULT_PAGE / FAULT_EXCEPTION while in one */
	uint64_t fault_tag;             /* the message the kernel sends on its behalf... */
	uint64_t fault_msg[FAULT_WORDS];        /* ...and, after the reply, what came back */

	/* Its x87/MMX/SSE registers while it does not own the CPU's (fpu.c). */
	struct fpu_state fpu;
};

/* The links of the two rings a thread is in (ring.h). */
#define THREAD_TASK_RING  offsetof(struct thread, task_link)
#define THREAD_QUEUE_RING offsetof(struct thread, queue_link)

/* The most threads that can exist at once: one per kernel-stack slot (thread.c). */
#define THREAD_MAX 32768

/*
 * What a thread costs its task's account (lab 6): its struct, its kernel stack (three
 * pages) and its UTCB page. Counted whole, so the refund is the same number.
 */
#define THREAD_COST (THREAD_COST_PAGES * 4096)

/* Ticks in a time slice: 10 ms of guest time, 10 million instructions under -icount. */
#define TIME_SLICE_TICKS 10

/* A new STOPPED thread in task, with a kernel stack and a UTCB. NULL: out of memory. */
struct thread *thread_create(struct task *task, unsigned priority);
/* Sets the user registers of a STOPPED thread and makes it READY. */
void thread_start(struct thread *t, uint64_t entry, uint64_t stack, uint64_t arg);
/* thread_start() without the last step: the caller makes it ready (sched_enqueue). */
void thread_prepare(struct thread *t, uint64_t entry, uint64_t stack, uint64_t arg);
/* Ends thread t (the current one or another): frees its stack and UTCB, never returns
 * if t is the current thread. */
void thread_kill(struct thread *t);
/*
 * Ends t because its task is being destroyed: like thread_kill(), but it never gives the
 * CPU away (task_destroy() does, at the end, if the current thread was in the task), and
 * the thread leaves the task at once, even the current one, whose stack waits for the
 * next switch.
 */
void thread_end_in_dying_task(struct thread *t);
/* Switches the CPU from the current thread to next: thread_enter() (lab 3), then stacks. */
void thread_switch(struct thread *next);
/* Hands the CPU to next for good, from a system call that only has to return its
 * ipc_result: the fast path's switch (thread.c). */
_Noreturn void thread_handoff(struct thread *next);
/* What a thread parked by thread_handoff() does when it runs again (syscall_resume). */
void syscall_resumed(void);
/* Frees what dead threads left behind (called after a switch, off their stacks). */
void thread_reap(void);
/* Where t's page faults and other exceptions go (NULL: nowhere: t is stopped). */
void thread_set_handlers(struct thread *t, struct endpoint *pager, uint64_t pager_badge,
			 struct endpoint *handler, uint64_t handler_badge);
/* One more (delta 1) or one fewer (-1) capability names t; a dead, unnamed thread goes,
 * and so does a stopped one that nobody can start any more (never a switch). */
void thread_refs(struct thread *t, int delta);

/* Makes the boot stack's flow of control the idle thread. */
struct thread *thread_init_idle(void);
