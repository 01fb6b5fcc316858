/**
 * @file
 * thread.c — thread_spawn(): a thread on a function, ended when the function returns.
 *
 * The one thing to know: at a function's first instruction the SysV ABI wants
 * rsp + 8 to be a multiple of 16 — as if `call` had just pushed a return address. We
 * push one ourselves: the landing below.
 */
#include <stdint.h>
#include <syscall.h>
#include <thread.h>

/* Where a thread's function returns to: there is nothing to return to, so it ends. */
static void thread_landing(void)
{
	thread_exit();
}

long thread_start_on(long thread_slot, void (*fn)(unsigned long), unsigned long arg,
		     void *stack, size_t size)
{
	uintptr_t top = ((uintptr_t)stack + size) & ~(uintptr_t)15;
	top -= 8;
	*(uintptr_t *)top = (uintptr_t)thread_landing;
	return sys_thread_start(thread_slot, (unsigned long)fn, top, arg);
}

long thread_default_pager;

long thread_spawn(long task_slot, long priority, void (*fn)(unsigned long),
		  unsigned long arg, void *stack, size_t size)
{
	long slot = sys_thread_create(task_slot, priority);
	if (slot < 0)
		return slot;
	long err = thread_default_pager ? sys_thread_handlers(slot, thread_default_pager,
							      thread_default_pager) : 0;
	if (err == 0)
		err = thread_start_on(slot, fn, arg, stack, size);
	return err < 0 ? err : slot;
}
