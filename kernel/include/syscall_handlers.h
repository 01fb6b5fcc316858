/**
 * @file
 * syscall_handlers.h — the kernel's side of the system-call interface.
 *
 * The one thing to know: syscall_dispatch() calls the handler from the table generated
 * from abi/syscall.h with the caller's saved argument registers (tf->args: the trap
 * frame keeps them in ABI order), and writes the handler's result to the user's rax —
 * the one place that does. Handlers are named sys_<name> and take only the arguments;
 * those are the frame itself, so a handler reads what it needs before it writes the
 * frame (syscall_restart(), a message it receives).
 */
#pragma once

#include <stdint.h>
#include <abi/syscall.h>
#include <arch/x86_64/trap.h>

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
