/**
 * @file
 * fpu.c — the x87, MMX and SSE registers of user threads: one owner at a time.
 *
 * The one thing to know: the registers belong to one thread, the owner (cpu.fpu_owner),
 * and are moved eagerly, "on demand": a switch to a user thread that is not the owner
 * saves the owner's state into its struct fpu_state (FXSAVE64) and loads the new
 * thread's (FXRSTOR64) before it can run (fpu_switch() in fpu.h, which thread_switch()
 * calls); a switch to idle, or back to the owner, touches nothing. So a thread that
 * blocks while only idle runs keeps its registers at no cost. A switch between two
 * user threads costs a dozen instructions, FXSAVE64 and FXRSTOR64 among them (each
 * several dozen cycles on hardware), whether or not they use the registers.
 *
 * Why not lazy switching (set CR0.TS on a switch, and swap on the device-not-available
 * trap at a thread's first floating-point instruction)? It spares threads that never
 * use the registers the save and restore, but it leaves the old owner's values in the
 * registers while another thread runs, guarded only by the trap: CPUs read them
 * speculatively before the trap is taken (LazyFP, CVE-2018-3665). It also costs a trap
 * per switch for threads that do use them, as the libc of later labs will. Eager it
 * is; CR0.TS stays clear.
 *
 * Only the FXSAVE image (x87, MMX, XMM0-15, MXCSR) is switched. CR4.OSXSAVE stays
 * clear, so XSAVE and every AVX (VEX-encoded) instruction raise an invalid-opcode
 * exception in user mode, handled like any other (fault.c): the YMM/ZMM upper halves,
 * which FXSAVE does not cover, can therefore never carry one thread's values to another.
 * CPUID leaf 1 then reports OSXSAVE clear: that is how user code (a libc picking its
 * memcpy) learns not to use AVX.
 */
#include <panic.h>
#include <string.h>
#include <arch/x86_64/cpu.h>
#include <arch/x86_64/fpu.h>

#define CPUID1_EDX_FXSR (1u << 24)
#define CPUID1_EDX_SSE  (1u << 25)

const int32_t fpu_zero = 0;

void fpu_init(void)
{
	uint32_t a, b, c, d;
	cpuid(1, &a, &b, &c, &d);
	if (!(d & CPUID1_EDX_FXSR) || !(d & CPUID1_EDX_SSE))     /* every x86-64 CPU has */
		panic("fpu: the CPU has no FXSAVE or no SSE");
	/* MP: WAIT obeys TS. NE: x87 errors raise #MF, not the legacy FERR# interrupt.
	 * EM clear: x87/MMX run, not trap. TS clear: no #NM (eager switching). */
	write_cr0((read_cr0() | CR0_MP | CR0_NE) & ~(uint64_t)(CR0_EM | CR0_TS));
	/* OSFXSR: SSE instructions run and FXSAVE covers the XMM registers. OSXMMEXCPT:
	 * unmasked SSE errors raise #XM, not #UD. Not OSXSAVE: see the top of the file. */
	write_cr4((read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT) & ~(uint64_t)CR4_OSXSAVE);
	cpu.fpu_owner = NULL;   /* the first user thread loads its own state */
}

void fpu_state_init(struct fpu_state *s)
{
	memset(s, 0, sizeof(*s));
	s->fcw = FPU_FCW_DEFAULT;       /* FSW 0 (TOP 0, no flags), every tag empty */
	s->mxcsr = FPU_MXCSR_DEFAULT;
}

void fpu_forget(const struct fpu_state *s)
{
	/* A dead thread's struct may be freed and reused: keep no pointer to it. Its
	 * values stay in the registers only until the next user thread's are loaded,
	 * which happens before any user thread runs (no one is the owner). */
	if (cpu.fpu_owner == s)
		cpu.fpu_owner = NULL;
}
