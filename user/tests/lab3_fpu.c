/**
 * @file
 * lab3_fpu.c — scenarios for the x87, MMX and SSE registers: each thread keeps its own
 * across switches, a new thread starts clean, and their errors are exceptions.
 *
 * The one thing to know: user code is compiled without x87/MMX/SSE code generation
 * (-mgeneral-regs-only), so the compiler never touches those registers and whatever a
 * thread's inline asm puts there stays until the thread changes it — or until a kernel
 * that shares one register file among all threads lets another thread's values in.
 * Each thread's values are derived from its own number, so a neighbour's are noticed.
 */
#include <stdbool.h>
#include <stdint.h>
#include <minim.h>
#include <thread.h>
#include "utest.h"

#define STACK_SIZE 8192
static char cross_stack[STACK_SIZE] __attribute__((aligned(16)));      /* the second task's */

enum { THREAD_A = 1, THREAD_B = 2, THREAD_C = 3, ROUNDS = 3 };

/* A value for register `reg` of thread k: never 0, never another thread's. */
static uint64_t pattern(unsigned long k, unsigned reg)
{
	uint64_t x = (k << 8 | reg) * 0x9e3779b97f4a7c15ul;
	return (x ^ x >> 29) | 1;
}

/* 64-bit precision is FNINIT's: use 53 (PC = 10), and rounding mode k mod 4. */
static uint16_t x87_cw(unsigned long k)
{
	return (uint16_t)(0x027f | (k % 4) << 10);
}

/* Flush-to-zero on (never the default), and rounding mode k mod 4. */
static uint32_t sse_mxcsr(unsigned long k)
{
	return 0x9f80u | (uint32_t)(k % 4) << 13;
}

/* What a thread loads and reads back. */
struct fpu_values {
	uint16_t cw;
	uint32_t mxcsr;
	int64_t st0;                    /* x87 st(0), loaded as an integer */
	uint64_t mm[2];                 /* mm1, mm2 (mm0 and mm7 alias st(0) around a push) */
	uint64_t xmm[16][2];
};

static void values_of(unsigned long k, struct fpu_values *v)
{
	v->cw = x87_cw(k);
	v->mxcsr = sse_mxcsr(k);
	v->st0 = (int64_t)(pattern(k, 0) >> 2);       /* exact in x87's 64-bit mantissa */
	v->mm[0] = pattern(k, 1);
	v->mm[1] = pattern(k, 2);
	for (unsigned i = 0; i < 16; i++) {
		v->xmm[i][0] = pattern(k, 3 + 2 * i);
		v->xmm[i][1] = pattern(k, 4 + 2 * i);
	}
}

/*
 * No clobbers name x87, MMX or XMM registers: the compiler never uses them here (the
 * top of the file), and the point is that they keep their values after the asm.
 * MMX first, then EMMS (every x87 register free again), then the x87 push into st(0).
 */
static void fpu_load(const struct fpu_values *v)
{
	__asm__ volatile("fninit\n\t"
			 "movq %0, %%mm1\n\t"
			 "movq %1, %%mm2\n\t"
			 "emms\n\t"
			 "fildq %2\n\t"
			 "fldcw %3\n\t"
			 "ldmxcsr %4"
			 : : "m"(v->mm[0]), "m"(v->mm[1]), "m"(v->st0), "m"(v->cw), "m"(v->mxcsr));
	__asm__ volatile("movdqu 0(%0), %%xmm0\n\t"    "movdqu 16(%0), %%xmm1\n\t"
			 "movdqu 32(%0), %%xmm2\n\t"   "movdqu 48(%0), %%xmm3\n\t"
			 "movdqu 64(%0), %%xmm4\n\t"   "movdqu 80(%0), %%xmm5\n\t"
			 "movdqu 96(%0), %%xmm6\n\t"   "movdqu 112(%0), %%xmm7\n\t"
			 "movdqu 128(%0), %%xmm8\n\t"  "movdqu 144(%0), %%xmm9\n\t"
			 "movdqu 160(%0), %%xmm10\n\t" "movdqu 176(%0), %%xmm11\n\t"
			 "movdqu 192(%0), %%xmm12\n\t" "movdqu 208(%0), %%xmm13\n\t"
			 "movdqu 224(%0), %%xmm14\n\t" "movdqu 240(%0), %%xmm15"
			 : : "r"(v->xmm) : "memory");
}

/* Reads back what fpu_load() put there; reading MMX resets the x87 stack: reload. */
static void fpu_read(struct fpu_values *v)
{
	__asm__ volatile("fnstcw %0\n\t"
			 "fld %%st(0)\n\t"     /* a copy to pop, so st(0) itself stays */
			 "fistpq %1\n\t"
			 "movq %%mm1, %2\n\t"
			 "movq %%mm2, %3\n\t"
			 "stmxcsr %4"
			 : "=m"(v->cw), "=m"(v->st0), "=m"(v->mm[0]), "=m"(v->mm[1]),
			   "=m"(v->mxcsr));
	__asm__ volatile("movdqu %%xmm0, 0(%0)\n\t"    "movdqu %%xmm1, 16(%0)\n\t"
			 "movdqu %%xmm2, 32(%0)\n\t"   "movdqu %%xmm3, 48(%0)\n\t"
			 "movdqu %%xmm4, 64(%0)\n\t"   "movdqu %%xmm5, 80(%0)\n\t"
			 "movdqu %%xmm6, 96(%0)\n\t"   "movdqu %%xmm7, 112(%0)\n\t"
			 "movdqu %%xmm8, 128(%0)\n\t"  "movdqu %%xmm9, 144(%0)\n\t"
			 "movdqu %%xmm10, 160(%0)\n\t" "movdqu %%xmm11, 176(%0)\n\t"
			 "movdqu %%xmm12, 192(%0)\n\t" "movdqu %%xmm13, 208(%0)\n\t"
			 "movdqu %%xmm14, 224(%0)\n\t" "movdqu %%xmm15, 240(%0)"
			 : : "r"(v->xmm) : "memory");
}

/* Whether thread k's registers still hold its values; loads them again either way. */
static bool fpu_still_mine(unsigned long k)
{
	struct fpu_values want, seen;
	values_of(k, &want);
	fpu_read(&seen);
	bool same = seen.cw == want.cw && seen.mxcsr == want.mxcsr && seen.st0 == want.st0 &&
		    seen.mm[0] == want.mm[0] && seen.mm[1] == want.mm[1] &&
		    memcmp(seen.xmm, want.xmm, sizeof(want.xmm)) == 0;
	fpu_load(&want);
	return same;
}

/* The FXSAVE image, as the CPU writes it (Intel SDM vol. 1, §10.5.1). */
struct fxsave_image {
	uint16_t fcw, fsw;
	uint8_t ftw, reserved0;
	uint16_t fop;
	uint64_t fip, fdp;
	uint32_t mxcsr, mxcsr_mask;
	uint8_t st[8][16];
	uint8_t xmm[16][16];
	uint8_t reserved1[96];
} __attribute__((aligned(16)));

/*
 * Prints whether this, a thread that has not touched the registers yet, sees the state
 * of a fresh FNINIT with MXCSR 0x1f80 and every register zero. (fip/fdp/fop are not
 * compared: kernel/arch/x86_64/fpu.h says why they may name kernel code on AMD CPUs.)
 */
static void report_clean(const char *who)
{
	static struct fxsave_image img;         /* one such thread per task at a time */
	__asm__ volatile("fxsave64 %0" : "=m"(img));
	bool x87 = img.fcw == 0x037f && img.fsw == 0 && img.ftw == 0, mmx = true, xmm = true;
	for (int i = 0; i < 8; i++)
		for (int b = 0; b < 10; b++)    /* bytes 0-7: the MMX register; 8-9: exponent */
			if (img.st[i][b])
				*(b < 8 ? &mmx : &x87) = false;
	for (int i = 0; i < 16; i++)
		for (int b = 0; b < 16; b++)
			if (img.xmm[i][b])
				xmm = false;
	printf("fpu: a new thread %s starts clean: x87 %s, mmx %s, xmm %s, mxcsr %s\n", who,
	       x87 ? "yes" : "no", mmx ? "yes" : "no", xmm ? "yes" : "no",
	       img.mxcsr == 0x1f80 ? "yes" : "no");
}

/*
 * Spins, never yielding, until the clock reaches `deadline` (the same for every
 * thread, four time slices after they start): the threads spin side by side, so the
 * timer must switch among them. Returns how often the clock jumped by over 1,000,000
 * instructions between two readings: a tenth of a slice that someone else spun.
 */
static int spin_until(uint64_t deadline)
{
	int switched = 0;
	uint64_t last = (uint64_t)sys_debug_clock();
	while (last < deadline) {
		uint64_t now = (uint64_t)sys_debug_clock();
		if (now - last > 1000000)
			switched++;
		last = now;
	}
	return switched;
}

struct verdict {
	bool yields, preempted, after_preemption;
};

/* Thread k loads its values, yields ROUNDS times, then spins until `deadline`,
 * checking its registers after every yield and after the spin. */
static void fpu_worker(unsigned long k, uint64_t deadline, struct verdict *v)
{
	struct fpu_values mine;
	values_of(k, &mine);
	fpu_load(&mine);
	v->yields = true;
	for (int i = 0; i < ROUNDS; i++) {
		UCHECK(sys_yield() == 0);
		v->yields &= fpu_still_mine(k);
	}
	v->preempted = spin_until(deadline) > 0;
	v->after_preemption = fpu_still_mine(k);
}

static struct verdict verdicts[THREAD_B + 1];
static volatile bool new_thread_ran;
static uint64_t spin_deadline;

static void same_task_thread(unsigned long k)
{
	fpu_worker(k, spin_deadline, &verdicts[k]);
}

static void new_thread(unsigned long arg)
{
	(void)arg;
	report_clean("in the same task");
	new_thread_ran = true;
}

/* In the second task (its own copy of this program, so the deadline comes as the
 * argument): reports for itself. */
static void cross_task_thread(unsigned long deadline)
{
	report_clean("in another task");
	struct verdict v;
	fpu_worker(THREAD_C, deadline, &v);
	printf("fpu: thread C (another task) sees its own x87, mmx, xmm, mxcsr after %d "
	       "yields: %s\n", ROUNDS, v.yields ? "yes" : "no");
	printf("fpu: thread C was preempted while it spun: %s; sees its own after: %s\n",
	       v.preempted ? "yes" : "no", v.after_preemption ? "yes" : "no");
	thread_exit();
}

UTEST(fpu_switch)
{
	/* At priority 10 they run in this order, in turns: A, B and C load their values
	 * before the new thread starts, so a shared register file holds C's then. */
	spin_deadline = (uint64_t)sys_debug_clock() + 4 * 10000000ul;
	utest_spawn(bi, 0, 10, same_task_thread, THREAD_A);
	utest_spawn(bi, 1, 10, same_task_thread, THREAD_B);
	long task = sys_task_create();
	UCHECK(task > 0);
	utest_spawn_in_task(task, 10, cross_task_thread, cross_stack, STACK_SIZE,
			    spin_deadline);
	utest_spawn(bi, 2, 10, new_thread, 0);
	UCHECK(sys_thread_priority(bi->self_thread_slot, 1) == 0);
	UCHECK(new_thread_ran);
	for (unsigned long k = THREAD_A; k <= THREAD_B; k++) {
		const struct verdict *v = &verdicts[k];
		printf("fpu: thread %c sees its own x87, mmx, xmm, mxcsr after %d yields: %s\n",
		       (int)('A' + k - 1), ROUNDS, v->yields ? "yes" : "no");
		printf("fpu: thread %c was preempted while it spun: %s; sees its own "
		       "after: %s\n", (int)('A' + k - 1), v->preempted ? "yes" : "no",
		       v->after_preemption ? "yes" : "no");
	}
}

/*
 * Masked, as a new thread's MXCSR has it: QEMU 7.2 under TCG only sets the flag even
 * when the exception is unmasked (no #XM), so the unmasked case cannot be tested here;
 * fault.c treats #XM (vector 19) as it does #MF. This shows that SSE runs at all.
 */
static void sse_divide_by_zero(unsigned long arg)
{
	(void)arg;
	uint32_t mxcsr, one = 0x3f800000, result;      /* 1.0f */
	__asm__ volatile("movd %2, %%xmm0\n\t"
			 "pxor %%xmm1, %%xmm1\n\t"
			 "divss %%xmm1, %%xmm0\n\t"
			 "movd %%xmm0, %1\n\t"
			 "stmxcsr %0"
			 : "=m"(mxcsr), "=r"(result) : "r"(one));
	printf("fpu: SSE 1/0, masked: +inf %s, MXCSR.ZE set %s\n",
	       result == 0x7f800000 ? "yes" : "no", mxcsr & (1u << 2) ? "yes" : "no");
}

static void x87_divide_by_zero(unsigned long arg)
{
	(void)arg;
	printf("fpu: x87 1/0 with the divide-by-zero exception unmasked\n");
	uint16_t cw = 0x037f & ~(1u << 2);      /* ZM clear */
	uint32_t zero = 0;                      /* 0.0f */
	/* The error is pending after fdivs; with CR0.NE the next waiting instruction
	 * (fwait) raises #MF. Without NE it would go out as FERR#, and nothing happens. */
	__asm__ volatile("fldcw %0\n\t"
			 "fld1\n\t"
			 "fdivs %1\n\t"
			 "fwait"
			 : : "m"(cw), "m"(zero));
}

static void avx_instruction(unsigned long arg)
{
	(void)arg;
	printf("fpu: an AVX instruction, with XSAVE not enabled\n");
	__asm__ volatile("vpxor %xmm0, %xmm0, %xmm0");
}

UTEST(fpu_exceptions)
{
	void (*victims[])(unsigned long) = { sse_divide_by_zero, x87_divide_by_zero,
					     avx_instruction };
	for (int i = 0; i < 3; i++)
		utest_spawn(bi, i, 10, victims[i], 0);
	UCHECK(sys_thread_priority(bi->self_thread_slot, 1) == 0);
	printf("fpu: root still running after 2 faults\n");
}
