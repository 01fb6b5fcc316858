/**
 * @file
 * trap.h — what the CPU and trap_entry.S leave on the stack, and the trap vectors.
 *
 * The one thing to know: struct trap_frame is the exact memory image of the stack at
 * the moment trap_entry.S calls trap_dispatch(): the general registers it pushed,
 * then the vector and error code, then what the CPU pushed. Change one, change both.
 */
#pragma once

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stdint.h>
#endif

/* The vector field of a frame built by syscall_entry.S: no IDT vector has it. */
#define T_SYSCALL 0x100

#ifdef __ASSEMBLER__
/* The general registers of a struct trap_frame, in its order: the one place both
 * entry paths (trap_entry.S, syscall_entry.S) take it from. */
.macro SAVE_REGISTERS
        pushq %r9
        pushq %r8
        pushq %r10
        pushq %rdx
        pushq %rsi
        pushq %rdi
        pushq %rax
        pushq %rcx
        pushq %r11
        pushq %rbx
        pushq %rbp
        pushq %r12
        pushq %r13
        pushq %r14
        pushq %r15
.endm

.macro RESTORE_REGISTERS
        popq %r15
        popq %r14
        popq %r13
        popq %r12
        popq %rbp
        popq %rbx
        popq %r11
        popq %rcx
        popq %rax
        popq %rdi
        popq %rsi
        popq %rdx
        popq %r10
        popq %r8
        popq %r9
.endm
#endif

/* Where the saved CS is, above the saved registers, vector and error code (trap.c
 * checks it against struct trap_frame). */
#define FRAME_CS 144
/* The whole frame, in bytes: where a trap from ring 3 puts it is kernel_rsp minus this. */
#define TRAP_FRAME_SIZE 176

#ifndef __ASSEMBLER__
enum {
	T_DIVIDE = 0, T_DEBUG = 1, T_NMI = 2, T_BREAKPOINT = 3, T_OVERFLOW = 4,
	T_BOUND = 5, T_INVALID_OPCODE = 6, T_NO_DEVICE = 7, T_DOUBLE_FAULT = 8,
	T_INVALID_TSS = 10, T_NO_SEGMENT = 11, T_STACK = 12, T_GENERAL_PROTECTION = 13,
	T_PAGE_FAULT = 14, T_X87 = 16, T_ALIGNMENT = 17, T_MACHINE_CHECK = 18,
	T_SIMD = 19, T_VIRTUALIZATION = 20, T_CONTROL_PROTECTION = 21,
	T_EXCEPTIONS = 32,      /* vectors below are CPU exceptions, above are interrupts */
	T_TIMER = 0x30,         /* the LAPIC timer (lab 3) */
	T_IRQ_BASE = 0x40,      /* device line n, through the I/O APIC (lab 7): 0x40 + n */
	T_SPURIOUS = 0xff,      /* the LAPIC's spurious-interrupt vector */
};

/* Page-fault error code bits. */
#define PF_PRESENT      (1u << 0)       /* 0: the page was not present */
#define PF_WRITE        (1u << 1)
#define PF_USER         (1u << 2)
#define PF_RESERVED     (1u << 3)
#define PF_FETCH        (1u << 4)

struct trap_frame {
	uint64_t r15, r14, r13, r12, rbp, rbx, r11, rcx, rax;
	/* A system call's arguments in the ABI's order (abi/syscall.h): the frame keeps
	 * them so, and a handler's struct syscall_args is the frame itself, copied nowhere. */
	union {
		struct { uint64_t rdi, rsi, rdx, r10, r8, r9; };
		struct syscall_args { uint64_t a0, a1, a2, a3, a4, a5; } args;
	};
	uint64_t vector;
	uint64_t error;         /* the CPU's error code, or 0 for vectors without one */
	uint64_t rip, cs, rflags, rsp, ss;
};

typedef void trap_handler_fn(struct trap_frame *tf);

/* Installs fn for vector (NULL removes it) and returns the handler it replaces. The
 * handler runs with interrupts off. */
trap_handler_fn *trap_set_handler(unsigned vector, trap_handler_fn *fn);
void trap_dispatch(struct trap_frame *tf);
/* Prints the exception's name, error code and every register (the "register dump"). */
void trap_dump(const struct trap_frame *tf);
const char *trap_name(unsigned vector);

static inline bool trap_from_user(const struct trap_frame *tf)
{
	return (tf->cs & 3) != 0;
}
#endif
