/**
 * @file
 * syscall_thread.c — the system calls on threads and tasks: decode, check, then call
 * thread.c, task.c or sched.c.
 *
 * The one thing to know: each handler checks everything that comes from the user —
 * capability slots, priorities, addresses — before it changes any state, so a failed
 * call leaves no trace. A thread may not create or raise a thread above its own
 * priority: priorities are not a way to take the CPU from others.
 */
#include <cap.h>
#include <endpoint.h>
#include <sched.h>
#include <syscall_handlers.h>
#include <task.h>
#include <thread.h>
#include <abi/error.h>
#include <abi/layout.h>
#include <arch/x86_64/cpu_local.h>
#include <arch/x86_64/layout.h>

static struct task *current_task(void)
{
	return cpu.current->task;
}

static bool priority_ok(uint64_t prio)
{
	return prio >= 1 && prio <= cpu.current->priority;
}

/*
 * The thread in slot, which the caller must control. A thread that has died stays a
 * name while capabilities name it, but nothing may be done to it: E_STATE. Every
 * system call on a thread asks here, so none can take references for a dead one
 * (which would never be dropped).
 */
static struct thread *live_thread(long slot, int *err)
{
	struct thread *t = cap_lookup(current_task(), slot, CAP_THREAD, RIGHT_CONTROL, err);
	if (t && t->state == THREAD_DEAD) {
		*err = E_STATE;
		return NULL;
	}
	return t;
}

long sys_thread_create(const struct syscall_args *a)
{
	int err;
	struct task *task = cap_lookup(current_task(), (long)a->a0, CAP_TASK, RIGHT_CONTROL, &err);
	if (!task)
		return err;
	if (!priority_ok(a->a1))
		return E_INVAL;
	struct thread *t = thread_create(task, (unsigned)a->a1);
	if (!t)
		return E_NOMEM;
	long slot = cap_insert(current_task(), CAP_THREAD, t, RIGHT_CONTROL, 0);
	if (slot < 0)
		thread_kill(t);         /* never started: it just goes away */
	return slot;
}

long sys_thread_start(const struct syscall_args *a)
{
	int err;
	struct thread *t = live_thread((long)a->a0, &err);
	if (!t)
		return err;
	if (t->state != THREAD_STOPPED)
		return E_STATE;
	/* The entry and stack must be user addresses; whether they are mapped is the
	 * thread's problem: it faults, and is stopped, like any faulting thread. */
	if (a->a1 >= USER_TOP || a->a2 > USER_TOP)
		return E_INVAL;
	thread_start(t, a->a1, a->a2, a->a3);
	return E_OK;
}

long sys_thread_exit(const struct syscall_args *a)
{
	(void)a;
	thread_kill(cpu.current);
	return E_STATE;         /* not reached: a dead thread never runs again */
}

long sys_thread_kill(const struct syscall_args *a)
{
	int err;
	struct thread *t = live_thread((long)a->a0, &err);
	if (!t)
		return err;
	thread_kill(t);         /* if t is the caller, this does not return */
	return E_OK;
}

/* The endpoint in slot (send right needed) with its badge; slot 0 means none. */
static int handler_endpoint(long slot, struct endpoint **ep, uint64_t *badge)
{
	*ep = NULL;
	*badge = 0;
	if (slot == 0)
		return E_OK;
	int err;
	*ep = cap_lookup(current_task(), slot, CAP_ENDPOINT, RIGHT_SEND, &err);
	if (!*ep)
		return err;
	*badge = current_task()->caps[slot].badge;
	return E_OK;
}

long sys_thread_handlers(const struct syscall_args *a)
{
	int err;
	struct thread *t = live_thread((long)a->a0, &err);
	if (!t)
		return err;
	struct endpoint *pager, *handler;
	uint64_t pager_badge, handler_badge;
	if ((err = handler_endpoint((long)a->a1, &pager, &pager_badge)) != E_OK ||
	    (err = handler_endpoint((long)a->a2, &handler, &handler_badge)) != E_OK)
		return err;
	thread_set_handlers(t, pager, pager_badge, handler, handler_badge);
	return E_OK;
}

long sys_thread_priority(const struct syscall_args *a)
{
	int err;
	struct thread *t = live_thread((long)a->a0, &err);
	if (!t)
		return err;
	if (!priority_ok(a->a1))
		return E_INVAL;
	sched_set_priority(t, (unsigned)a->a1);
	return E_OK;
}

/*
 * A process manager creates a process's child on the process's account (parent_slot),
 * so a process that spawns without end exhausts only what it was given.
 */
long sys_task_create(const struct syscall_args *a)
{
	int err;
	struct task *parent = current_task();
	if (a->a0 != 0 &&
	    !(parent = cap_lookup(current_task(), (long)a->a0, CAP_TASK, RIGHT_CONTROL, &err)))
		return err;
	if (a->a1 > TASK_QUOTA_MAX_PAGES)
		return E_INVAL;
	struct task *task = task_create(parent, a->a1 * PAGE_SIZE);
	if (!task)
		return E_NOMEM;
	long slot = cap_insert(current_task(), CAP_TASK, task, RIGHT_CONTROL, 0);
	if (slot < 0)
		task_free(task);        /* never named: it just goes */
	return slot;
}

long sys_task_destroy(const struct syscall_args *a)
{
	int err;
	struct task *task = cap_lookup(current_task(), (long)a->a0, CAP_TASK, RIGHT_CONTROL, &err);
	if (!task)
		return err;
	err = task_destroy(task);       /* does not return if the caller was in it */
	sched_preempt_check();          /* woken partners may outrank the caller */
	return err;
}

long sys_yield(const struct syscall_args *a)
{
	(void)a;
	sched_yield();
	return E_OK;
}
