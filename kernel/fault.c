/**
 * @file
 * fault.c — CPU exceptions once user threads exist: a user fault stops the thread.
 *
 * The one thing to know: an exception in user mode is the thread's problem, never the
 * kernel's: the thread is reported and stopped, and everything else runs on. (Lab 5
 * turns the report into IPC to the thread's pager or exception handler, which may fix
 * the cause and resume it.) In kernel mode an exception is still a kernel bug: dump and
 * panic, unless a fixup expected it (trap_dispatch handles those first).
 */
#include <fault.h>
#include <kprintf.h>
#include <panic.h>
#include <task.h>
#include <thread.h>
#include <arch/x86_64/cpu.h>
#include <arch/x86_64/cpu_local.h>
#include <arch/x86_64/trap.h>

static void on_exception(struct trap_frame *tf)
{
	if (!trap_from_user(tf)) {
		trap_dump(tf);
		panic("unhandled exception in kernel mode");
	}
	struct thread *t = cpu.current;
	kprintf("fault: thread %u in task %u: %s at rip %lx", t->id, t->task->id,
		trap_name((unsigned)tf->vector), tf->rip);
	if (tf->vector == T_PAGE_FAULT)
		kprintf(", address %lx (%s, %s)", read_cr2(),
			tf->error & PF_WRITE ? "write" : tf->error & PF_FETCH ? "fetch" : "read",
			tf->error & PF_PRESENT ? "protection" : "not present");
	kprintf("; thread stopped\n");
	thread_kill(t);
}

void fault_init(void)
{
	for (unsigned v = 0; v < T_EXCEPTIONS; v++)
		if (v != T_NMI && v != T_DOUBLE_FAULT && v != T_MACHINE_CHECK)
			trap_set_handler(v, on_exception);
}
