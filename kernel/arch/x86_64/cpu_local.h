/**
 * @file
 * cpu_local.h — the per-CPU data the system-call entry reaches through %gs.
 *
 * The one thing to know: in kernel mode the GS base points at `cpu`; in user mode it is
 * the user's, and `swapgs` exchanges the two on every entry from and exit to ring 3.
 * The syscall instruction leaves rsp at the user's stack, so the entry code's first
 * need is %gs:CPU_KERNEL_RSP. minim runs on one CPU, so C code simply uses `cpu`.
 */
#pragma once

/* Offsets for assembly; the static asserts in syscall_arch.c keep them honest. */
#define CPU_KERNEL_RSP  0
#define CPU_USER_RSP    8

#ifndef __ASSEMBLER__
#include <stdint.h>

struct thread;
struct task;
struct fpu_state;

struct cpu_local {
	uint64_t kernel_rsp;            /* top of the running thread's kernel stack */
	uint64_t user_rsp;              /* scratch: the user's rsp during syscall entry */
	struct thread *current;         /* the running thread */
	struct task *space;             /* whose page table CR3 holds (lazy for idle) */
	struct fpu_state *fpu_owner;    /* whose x87/SSE state the registers hold (fpu.c) */
	struct task *io_loaded;         /* whose I/O bitmap the TSS holds; NULL: none */
};

extern struct cpu_local cpu;
#endif
