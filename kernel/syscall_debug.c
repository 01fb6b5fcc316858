/**
 * @file
 * syscall_debug.c — the debug system calls open to every task: console output and the
 * clock; and the debug capability, which the root task gets at boot.
 *
 * The one thing to know: these exist for tests and early labs; from lab 7 programs
 * print through the console server. debug_write copies the user's bytes into the
 * kernel before printing them, never reading user memory in place. What the debug
 * capability allows — ending the run with the done line the grader trusts, and the two
 * calls only tests make, debug_clone and debug_stats — is test support:
 * kernel/test/debug_syscalls.c.
 */
#include <cap.h>
#include <syscall_handlers.h>
#include <user_access.h>
#include <abi/error.h>
#include <abi/syscall.h>
#include <arch/x86_64/cpu.h>
#include <arch/x86_64/serial.h>

/* What a debug capability points at: its address is its identity, nothing more. */
static const char debug_object;

long debug_cap_give(struct task *task)
{
	return cap_insert(task, CAP_DEBUG, (void *)&debug_object, RIGHT_CONTROL, 0);
}

long sys_debug_write(const struct syscall_args *a)
{
	static char buf[DEBUG_WRITE_MAX];      /* one CPU, no preemption in the kernel */
	uint64_t len = a->a1;

	if (len > DEBUG_WRITE_MAX)
		return E_INVAL;
	int err = copy_from_user(buf, a->a0, len);
	if (err != E_OK)
		return err;
	for (uint64_t i = 0; i < len; i++)
		serial_putc(buf[i]);
	return (long)len;
}

long sys_debug_clock(const struct syscall_args *a)
{
	(void)a;
	return (long)rdtsc();
}
