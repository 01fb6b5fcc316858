/**
 * @file
 * syscall_debug.c — the debug system calls: console output, the clock, ending a run.
 *
 * The one thing to know: these exist for tests and early labs; from lab 7 programs
 * print through the console server. debug_write copies the user's bytes into the
 * kernel before printing them, never reading user memory in place.
 */
#include <syscall_handlers.h>
#include <user_access.h>
#include <abi/error.h>
#include <arch/x86_64/cpu.h>
#include <arch/x86_64/serial.h>
#include <test/ktest.h>

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

long sys_debug_shutdown(const struct syscall_args *a)
{
	ktest_user_finished((long)a->a0);
}
