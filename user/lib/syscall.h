/**
 * @file
 * syscall.h — the system-call stubs, sys_<name>(), generated from abi/syscall.h's list.
 *
 * The one thing to know: no stub is written by hand. SYSCALL_STUB turns each entry
 * X(number, name, (params), (args)) of SYSCALLS into
 *
 *	static inline long sys_<name> params
 *	{ return syscall_enter(number, the args cast to unsigned long, then 0s up to six); }
 *
 * so a new system call needs only its line in the list. Every stub inlines to one
 * `syscall` instruction; the registers a call does not use carry 0.
 */
#ifndef USER_SYSCALL_H
#define USER_SYSCALL_H

#include <abi/syscall.h>

/**
 * Enters the kernel with the number in rax and six arguments in r[0..5] (rdi, rsi, rdx,
 * r10, r8, r9); returns rax (>= 0, or a negative error from abi/error.h). The six
 * registers are in-out: the kernel's answers to IPC come back in them (abi/ipc.h).
 */
static inline long syscall_inout(unsigned long number, unsigned long r[6])
{
	/* No constraint letter names r10, r8 or r9: register variables pin them. */
	register unsigned long r10 __asm__("r10") = r[3];
	register unsigned long r8 __asm__("r8") = r[4];
	register unsigned long r9 __asm__("r9") = r[5];

	/*
	 * The instruction itself overwrites rcx (return rip) and r11 (rflags).
	 * "memory": the kernel reads and writes our memory through the pointers we pass,
	 * so stores must be done before, and nothing cached in registers trusted after.
	 */
	__asm__ volatile("syscall"
			 : "+a"(number), "+D"(r[0]), "+S"(r[1]), "+d"(r[2]),
			   "+r"(r10), "+r"(r8), "+r"(r9)
			 :
			 : "rcx", "r11", "memory");
	r[3] = r10;
	r[4] = r8;
	r[5] = r9;
	return (long)number;
}

/* A system call whose answer is rax alone: what every generated stub uses. */
static inline long syscall_enter(unsigned long number, unsigned long a1, unsigned long a2,
				 unsigned long a3, unsigned long a4, unsigned long a5,
				 unsigned long a6)
{
	unsigned long r[6] = { a1, a2, a3, a4, a5, a6 };
	return syscall_inout(number, r);
}

/*
 * SYSCALL_NARGS(buf, len) is 2 and SYSCALL_NARGS() is 0: __VA_OPT__ puts the arguments
 * (and a comma) in front of the count-down 6..0 only when there are any, which shifts
 * the count that lands seventh. __VA_OPT__ is C23; gcc and clang accept it in C11
 * mode too (only -Wpedantic would object).
 */
#define SYSCALL_NARGS(...)                                                             \
	SYSCALL_SEVENTH(__VA_OPT__(__VA_ARGS__,) 6, 5, 4, 3, 2, 1, 0, _)
#define SYSCALL_SEVENTH(a, b, c, d, e, f, n, ...) n

/*
 * SYSCALL_ARGS<n>: n arguments cast and padded to six. The cast is needed for pointers,
 * which do not convert to unsigned long silently; for integers it is what passing a
 * 64-bit register means anyway.
 */
#define SYSCALL_ARG(x) ((unsigned long)(x))
#define SYSCALL_ARGS0() 0, 0, 0, 0, 0, 0
#define SYSCALL_ARGS1(a) SYSCALL_ARG(a), 0, 0, 0, 0, 0
#define SYSCALL_ARGS2(a, b) SYSCALL_ARG(a), SYSCALL_ARG(b), 0, 0, 0, 0
#define SYSCALL_ARGS3(a, b, c) SYSCALL_ARG(a), SYSCALL_ARG(b), SYSCALL_ARG(c), 0, 0, 0
#define SYSCALL_ARGS4(a, b, c, d)                                                      \
	SYSCALL_ARG(a), SYSCALL_ARG(b), SYSCALL_ARG(c), SYSCALL_ARG(d), 0, 0
#define SYSCALL_ARGS5(a, b, c, d, e)                                                   \
	SYSCALL_ARG(a), SYSCALL_ARG(b), SYSCALL_ARG(c), SYSCALL_ARG(d), SYSCALL_ARG(e), 0
#define SYSCALL_ARGS6(a, b, c, d, e, f)                                                \
	SYSCALL_ARG(a), SYSCALL_ARG(b), SYSCALL_ARG(c), SYSCALL_ARG(d), SYSCALL_ARG(e),  \
	SYSCALL_ARG(f)

/* Two steps, so that the count is expanded before it is pasted. */
#define SYSCALL_PASTE(a, b) SYSCALL_PASTE_(a, b)
#define SYSCALL_PASTE_(a, b) a##b

/* For args (buf, len), SYSCALL_NARGS gives 2, and SYSCALL_ARGS2 (buf, len) is used. */
#define SYSCALL_STUB(num, name, params, args)                                          \
	static inline long sys_##name params                                           \
	{                                                                              \
		return syscall_enter(num,                                              \
				     SYSCALL_PASTE(SYSCALL_ARGS, SYSCALL_NARGS args) args); \
	}
SYSCALLS(SYSCALL_STUB)
#undef SYSCALL_STUB

/*
 * sys_thread_exit, under a declaration that tells the compiler it does not return. Out
 * of line, because crt0.S calls it too.
 */
_Noreturn void thread_exit(void);

#endif
