/**
 * @file
 * syscall.c — the system calls that need more than their generated stub.
 *
 * The one thing to know: only thread_exit is here, because a stub cannot say it never
 * returns, and crt0.S needs a symbol to call.
 */
#include <syscall.h>

_Noreturn void thread_exit(void)
{
	sys_thread_exit();
	/* Unreachable with a working kernel; trap rather than run on after a broken one. */
	__builtin_trap();
}
