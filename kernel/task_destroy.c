/**
 * @file
 * task_destroy.c — destroying a task, and taking back everything it held (lab 6).
 *
 * The one thing to know: a task is destroyed when its holder asks (task_destroy) or
 * when the last capability naming it goes, and with it go the tasks it created (their
 * memory was its account's), its threads, its capabilities, the endpoints it created,
 * its pages (and everything derived from them in other address spaces) and its page
 * tables. Its struct stays, dead, while capabilities name it: every system call on it
 * then fails with E_GONE, so no capability ever points at freed memory. Destructions
 * that one destruction sets off (the last capability of another task, held by this
 * one) go on a work list rather than recursing, so a chain of tasks cannot overflow the
 * kernel stack. Nothing here blocks or is preempted: the work runs with interrupts
 * off, bounded by what the task's account let it hold (handouts/lifetimes.md).
 */
#include <cap.h>
#include <endpoint.h>
#include <sched.h>
#include <task.h>
#include <thread.h>
#include <abi/error.h>
#include <arch/x86_64/cpu.h>
#include <arch/x86_64/cpu_local.h>
#include <arch/x86_64/layout.h>

static struct task *work;               /* dead, still to reclaim (destroy_next) */
static bool working;                    /* a task_destroy() below us runs the list */

/* Adds a task to the work list; from now on it is dead to every lookup. */
static void doom(struct task *task)
{
	task->dead = true;
	task->destroy_next = work;
	work = task;
}

/* Takes back everything one dead task holds, in an order that never leaves a pointer to
 * what is already freed. */
static void reclaim(struct task *task)
{
	/* LAB 6 BEGIN: destroying a task */
	/* The tasks it created: their limits came out of its account. */
	for (struct task *child = task->children; child; child = child->sibling_next)
		if (!child->dead)
			doom(child);
	/* Its threads leave every queue and wait: callers waiting for their replies and
	 * the threads they wait for see E_GONE, their timeouts are cancelled. */
	while (task->thread_list)
		thread_end_in_dying_task(task->thread_list);
	/* Its capabilities: every reference dropped (an object whose last one this was
	 * goes: an endpoint wakes its waiters, a task joins the work list). */
	for (long slot = 1; slot < CAP_SLOTS; slot++)
		if (task->caps[slot].type != CAP_NULL)
			cap_delete(task, slot);
	/* The endpoints it created are dead: whoever waits there sees E_GONE. */
	while (task->endpoints)
		endpoint_owner_dies(task->endpoints);
	/* Never again on its page table: the CPU may still have it loaded (the idle thread
	 * keeps the last one, and the calling thread may be one of the task's). */
	if (cpu.space == task) {
		write_cr3(V2P(kernel_pml4));
		cpu.space = NULL;
	}
	task_free_space(task);
	task_release(task);
	/* LAB 6 STUB
	// In an order that never leaves a pointer to freed memory: doom() the tasks it
	// created (task.children, linked by sibling_next), end each of its threads
	// (thread_end_in_dying_task on task.thread_list), delete every capability in its
	// table, kill the endpoints it created (endpoint_owner_dies on task.endpoints),
	// load the kernel's page table if the CPU runs on the task's (cpu.space), then
	// task_free_space() and task_release().
	(void)task;
	*/
	/* LAB 6 END */
}

int task_destroy(struct task *task)
{
	if (task->pinned)
		return E_STATE;
	if (task->dead)
		return E_GONE;
	doom(task);
	if (working)
		return E_OK;    /* set off by a destruction: its loop reclaims this one too */
	working = true;
	while (work) {
		struct task *next = work;
		work = next->destroy_next;
		next->destroy_next = NULL;
		reclaim(next);
	}
	working = false;
	/* The calling thread was one of the dead: it must never return to user mode. Its
	 * stack is freed by the next thread to run (thread_reap). */
	if (cpu.current->state == THREAD_DEAD)
		schedule();
	return E_OK;    /* woken partners may outrank the caller: its system call checks */
}
