/**
 * @file
 * syscall_handlers.h — the kernel's side of the system-call interface.
 *
 * The one thing to know: syscall_dispatch() decodes the registers once into a struct
 * syscall_args, calls the handler from the table generated from abi/syscall.h, and
 * writes the handler's result to the user's rax — the one place that does. Handlers
 * are named sys_<name> and take only the decoded arguments.
 */
#pragma once

#include <stdint.h>
#include <abi/syscall.h>

struct trap_frame;

/* The six argument registers, in ABI order: rdi, rsi, rdx, r10, r8, r9. */
struct syscall_args {
	uint64_t a0, a1, a2, a3, a4, a5;
};

#define SYSCALL_PROTOTYPE(num, name, params, args) long sys_##name(const struct syscall_args *a);
SYSCALLS(SYSCALL_PROTOTYPE)
#undef SYSCALL_PROTOTYPE

void syscall_dispatch(struct trap_frame *tf);
/*
 * For a handler that did a bounded part of its work and wants to run again: rewinds the
 * caller's rip over its 2-byte `syscall` instruction and returns the system call's
 * number, for syscall_dispatch() to put back in rax. The return to user mode takes
 * any pending interrupt, and then the same call runs again; the handler has kept its
 * progress where the next run finds it (in kernel objects, or in argument registers
 * the ABI says it may change).
 */
long syscall_restart(void);
