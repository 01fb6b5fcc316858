/**
 * @file
 * fault.c — CPU exceptions once user threads exist: faults become IPC to handlers.
 *
 * The one thing to know: an exception in user mode is the thread's problem, never the
 * kernel's. A page fault goes to the thread's pager, any other exception to its
 * exception handler, as a call the kernel makes on the thread's behalf (abi/ipc.h
 * says what the message holds); the reply maps the missing page or fixes the
 * registers, and the thread resumes. With no handler, a handler that is gone, or a
 * reply that fixes nothing, the thread is reported and stopped; everything else runs
 * on. In kernel mode an exception is still a kernel bug: dump and panic, unless a
 * fixup expected it (trap_dispatch handles those first).
 */
#include <fault.h>
#include <ipc_core.h>
#include <kprintf.h>
#include <panic.h>
#include <space.h>
#include <task.h>
#include <thread.h>
#include <user_access.h>
#include <abi/error.h>
#include <abi/ipc.h>
#include <arch/x86_64/cpu.h>
#include <arch/x86_64/cpu_local.h>
#include <arch/x86_64/trap.h>

static void stop_thread(struct thread *t, struct trap_frame *tf, uint64_t addr,
			const char *why)
{
	kprintf("fault: thread %u in task %u: %s at rip %lx", t->id, t->task->id,
		trap_name((unsigned)tf->vector), tf->rip);
	if (tf->vector == T_PAGE_FAULT)
		kprintf(", address %lx (%s, %s)", addr,
			tf->error & PF_WRITE ? "write" : tf->error & PF_FETCH ? "fetch" : "read",
			tf->error & PF_PRESENT ? "protection" : "not present");
	kprintf("; %s; thread stopped\n", why);
	thread_kill(t);
}

/* Sends the fault (at addr, for a page fault) to its handler and applies the reply;
 * false if t must stop. */
static bool fault_to_handler(struct thread *t, struct trap_frame *tf, uint64_t addr,
			     const char **why)
{
	bool page = tf->vector == T_PAGE_FAULT;
	struct endpoint *ep = page ? t->pager : t->exception_handler;
	uint64_t access = tf->error & PF_WRITE ? FAULT_WRITE :
			  tf->error & PF_FETCH ? FAULT_EXEC : FAULT_READ;

	if (!ep) {
		*why = page ? "no pager" : "no exception handler";
		return false;
	}
	/* LAB 5 BEGIN: the page fault as IPC */
	if (page) {
		t->fault_tag = IPC_TAG(FAULT_PAGE, 3, 0);
		t->fault_msg[0] = addr;
		t->fault_msg[1] = tf->rip;
		t->fault_msg[2] = access;
	} else {
		t->fault_tag = IPC_TAG(FAULT_EXCEPTION, 4, 0);
		t->fault_msg[0] = tf->vector;
		t->fault_msg[1] = tf->rip;
		t->fault_msg[2] = tf->error;
		t->fault_msg[3] = tf->rsp;
	}
	t->fault_label = page ? FAULT_PAGE : FAULT_EXCEPTION;
	long r = ipc_fault_call(t, ep, page ? t->pager_badge : t->exception_badge);
	t->fault_label = 0;
	if (r != E_OK) {
		*why = "its handler is gone";
		return false;
	}
	if (page) {
		/* Resume only if the reply really mapped the page: else it would fault for
		 * ever, one IPC per fault. */
		*why = "the pager's reply did not map the page";
		return space_has_access(t->task, addr, access);
	}
	*why = "its exception handler did not resume it";
	if (IPC_TAG_LABEL(t->fault_tag) != FAULT_RESUME || t->fault_msg[0] >= USER_TOP ||
	    t->fault_msg[1] > USER_TOP)
		return false;
	tf->rip = t->fault_msg[0];
	tf->rsp = t->fault_msg[1];
	return true;
	/* LAB 5 STUB
	// Write the fault message the kernel sends for t (abi/ipc.h: label, words) into
	// t->fault_tag and t->fault_msg, mark t as in a fault, call the handler with
	// ipc_fault_call(), and decide from the reply: a page fault resumes only if the
	// page is now mapped with the access that faulted (space_has_access); an
	// exception resumes only if the reply says FAULT_RESUME, at a user rip.
	(void)addr; (void)access;
	*why = "faults are not handled yet (lab 5)";
	return false;
	*/
	/* LAB 5 END */
}

static void on_exception(struct trap_frame *tf)
{
	if (!trap_from_user(tf)) {
		trap_dump(tf);
		panic("unhandled exception in kernel mode");
	}
	const char *why;
	struct thread *t = cpu.current;
	uint64_t addr = read_cr2();     /* now: other faults may happen during the IPC */
	/* An I/O instruction of a task with ports: its bitmap was not loaded yet. */
	if (tf->vector == T_GENERAL_PROTECTION && space_io_fault(t->task))
		return;
	if (!fault_to_handler(t, tf, addr, &why))
		stop_thread(t, tf, addr, why);
}

void fault_init(void)
{
	for (unsigned v = 0; v < T_EXCEPTIONS; v++)
		if (v != T_NMI && v != T_DOUBLE_FAULT && v != T_MACHINE_CHECK)
			trap_set_handler(v, on_exception);
}
