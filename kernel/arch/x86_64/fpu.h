/**
 * @file
 * fpu.h — the x87, MMX and SSE registers of user threads, saved and restored per thread.
 *
 * The one thing to know: the CPU's floating-point registers always hold the state of one
 * user thread, the owner, and a user thread only ever runs with its own state loaded;
 * the kernel itself never touches those registers (it is built -mgeneral-regs-only).
 */
#pragma once

#include <stdint.h>
#include <arch/x86_64/cpu_local.h>

/*
 * The 512-byte image FXSAVE64 writes and FXRSTOR64 reads (Intel SDM vol. 1, §10.5.1).
 * It must be 16-byte aligned, or both instructions raise #GP: the first member's
 * alignment makes the struct, and every struct that holds one, a multiple of 16.
 */
struct fpu_state {
	_Alignas(16) uint16_t fcw;      /* x87 control word */
	uint16_t fsw;                   /* x87 status word: TOP, exception flags */
	uint8_t ftw;                    /* abridged tag word: bit i set = register i in use */
	uint8_t reserved0;
	uint16_t fop;
	uint64_t fip, fdp;              /* the last x87 instruction and operand addresses */
	uint32_t mxcsr;                 /* SSE control and status */
	uint32_t mxcsr_mask;            /* which MXCSR bits exist (FXSAVE fills it in) */
	uint8_t st[8][16];              /* st(0)..st(7), 10 bytes used each; MMX lives here */
	uint8_t xmm[16][16];
	uint8_t reserved1[96];
};

_Static_assert(sizeof(struct fpu_state) == 512, "the FXSAVE image is 512 bytes");

/* The values FNINIT and a processor reset give; a new thread starts with these. */
#define FPU_FCW_DEFAULT   0x037f        /* every x87 exception masked, 64-bit precision */
#define FPU_MXCSR_DEFAULT 0x1f80        /* every SSE exception masked, round to nearest */

extern const int32_t fpu_zero;          /* what fpu_switch() loads to reset x87 pointers */

/* Sets CR0 and CR4 for x87 and SSE in user mode; panics without FXSR and SSE. */
void fpu_init(void);
/* Fills s with the state a new thread starts from: defaults, every register zero. */
void fpu_state_init(struct fpu_state *s);
/* s's thread is dying: if it is the owner, no one is now (nothing is saved). */
void fpu_forget(const struct fpu_state *s);

/*
 * Makes `next` the owner: saves the owner's state and loads next's, unless next is
 * the owner already. Call it only for a user thread, before it runs. Inline because
 * every IPC between two threads comes here twice (fpu.c says why it is eager).
 */
static inline void fpu_switch(struct fpu_state *next)
{
	struct fpu_state *owner = cpu.fpu_owner;
	if (next == owner)
		return;
	/* Safe: both images are 16-byte aligned and in kernel memory; neither
	 * instruction raises #MF for a pending x87 error, and FXRSTOR64 of an image the
	 * CPU wrote (or fpu_state_init made) has only valid MXCSR bits, so no #GP. */
	if (owner)
		__asm__ volatile("fxsave64 %0" : "=m"(*owner));
	/* Many AMD CPUs save and restore the x87 last-instruction and operand pointers
	 * (fip, fdp, fop) only while an x87 error is pending, so FXRSTOR64 would leave the
	 * previous thread's there. Clear pending errors (FILD waits, and would raise the
	 * old owner's #MF here), empty the stack (so the push cannot overflow), and load a
	 * constant: the pointers now name this kernel code, never a user thread's. */
	__asm__ volatile("fnclex\n\t"
			 "emms\n\t"
			 "fildl %0"
			 :
			 : "m"(fpu_zero));
	__asm__ volatile("fxrstor64 %0" : : "m"(*next));
	cpu.fpu_owner = next;
}
