/**
 * @file
 * lab3_fpu.c — scenarios for the x87, MMX and SSE registers: each thread keeps its own
 * across switches, a new thread starts clean, and their errors are exceptions.
 *
 * The one thing to know: user code is compiled without x87/MMX/SSE code generation
 * (-mgeneral-regs-only), so the compiler never touches those registers and whatever a
 * thread's inline asm puts there stays until the thread changes it — or until a kernel
 * that shares one register file among all threads lets another thread's values in.
 * Each thread's values are derived from its own word, drawn from the boot's seed, and
 * each prints a digest of what it read back: grade/lab3.py computes the digests of the
 * values it loaded, so a neighbour's (or nobody's) values are noticed.
 */
#include <stdbool.h>
#include <stdint.h>
#include <minim.h>
#include <thread.h>
#include "utest.h"

#define STACK_SIZE 8192
static char cross_stack[STACK_SIZE] __attribute__((aligned(16)));      /* the second task's */

enum { THREAD_A = 0, THREAD_B = 1, THREAD_C = 2 };

/* The yields every thread makes before it spins, 2 to 4, from thread C's word: the
 * same for all, so that all of them spin side by side; C has only its own word. */
static unsigned long rounds_of(unsigned long word_c)
{
	return 2 + (word_c >> 61) % 3;
}

/* A value for register `reg` of the thread with word k: never 0. */
static uint64_t pattern(unsigned long k, unsigned reg)
{
	uint64_t x = (k ^ reg * 0x9e3779b97f4a7c15ul) * 0xbf58476d1ce4e5b9ul;
	return (x ^ x >> 29) | 1;
}

/* 64-bit precision is FNINIT's: use 53 (PC = 10), and rounding mode k mod 4. */
static uint16_t x87_cw(unsigned long k)
{
	return (uint16_t)(0x027f | (k % 4) << 10);
}

/* Flush-to-zero on (never the default), and rounding mode (k / 4) mod 4. */
static uint32_t sse_mxcsr(unsigned long k)
{
	return 0x9f80u | (uint32_t)(k / 4 % 4) << 13;
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

/* FNV-1a, from h on, over the registers read: cw, mxcsr, st(0), mm1, mm2, xmm0-15. */
static uint64_t fpu_digest(uint64_t h, const struct fpu_values *v)
{
	uint64_t words[5 + 32] = { v->cw, v->mxcsr, (uint64_t)v->st0, v->mm[0], v->mm[1] };
	memcpy(&words[5], v->xmm, sizeof(v->xmm));
	for (unsigned i = 0; i < 5 + 32; i++)
		h = digest_add(h, words[i]);
	return h;
}

/* The digest, from h on, of what thread k's registers hold; loads its values again. */
static uint64_t fpu_read_back(unsigned long k, uint64_t h)
{
	struct fpu_values want, seen;
	values_of(k, &want);
	fpu_read(&seen);
	fpu_load(&want);
	return fpu_digest(h, &seen);
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
 * Prints what this, a thread that has not touched the registers yet, sees: a fresh
 * FNINIT has FCW 37f, FSW and FTW 0, MXCSR 1f80 and every register zero; the bytes
 * counted are the eight 80-bit registers' and the sixteen XMM registers' that are not 0.
 * (fip/fdp/fop are not shown: kernel/arch/x86_64/fpu.h says why they may name kernel
 * code on AMD CPUs.)
 */
static void report_clean(const char *who)
{
	static struct fxsave_image img;         /* one such thread per task at a time */
	__asm__ volatile("fxsave64 %0" : "=m"(img));
	unsigned st = 0, xmm = 0;
	for (int i = 0; i < 8; i++)
		for (int b = 0; b < 10; b++)    /* bytes 0-7: the MMX register; 8-9: exponent */
			st += img.st[i][b] != 0;
	for (int i = 0; i < 16; i++)
		for (int b = 0; b < 16; b++)
			xmm += img.xmm[i][b] != 0;
	printf("fpu: a new thread %s starts with fcw %x, fsw %x, ftw %x, mxcsr %x; "
	       "%u st bytes and %u xmm bytes not 0\n", who, img.fcw, img.fsw, img.ftw,
	       img.mxcsr, st, xmm);
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
	uint64_t after_yields, after_spin;      /* digests of what was read back */
	bool preempted;
};

/* Thread k loads its values, yields `rounds` times, then spins until `deadline`,
 * reading its registers back after every yield and after the spin. */
static void fpu_worker(unsigned long k, unsigned long rounds, uint64_t deadline,
		       struct verdict *v)
{
	struct fpu_values mine;
	values_of(k, &mine);
	fpu_load(&mine);
	v->after_yields = DIGEST_START;
	for (unsigned long i = 0; i < rounds; i++) {
		UCHECK_EQ(sys_yield(), 0);
		v->after_yields = fpu_read_back(k, v->after_yields);
	}
	v->preempted = spin_until(deadline) > 0;
	v->after_spin = fpu_read_back(k, DIGEST_START);
}

static void verdict_print(char name, const char *where, unsigned long rounds,
			  const struct verdict *v)
{
	printf("fpu: thread %c%s reads back after %lu yields: %lx\n", name, where,
	       rounds, v->after_yields);
	printf("fpu: thread %c was preempted while it spun: %s; reads back after: %lx\n", name,
	       v->preempted ? "yes" : "no", v->after_spin);
}

static unsigned long thread_words[THREAD_C + 1];
static struct verdict verdicts[THREAD_B + 1];
static volatile bool new_thread_ran;
static uint64_t spin_deadline;

static void same_task_thread(unsigned long k)
{
	unsigned i = k == thread_words[THREAD_A] ? THREAD_A : THREAD_B;
	UCHECK(k == thread_words[i]);
	fpu_worker(k, rounds_of(thread_words[THREAD_C]), spin_deadline, &verdicts[i]);
}

static void new_thread(unsigned long arg)
{
	(void)arg;
	report_clean("in the same task");
	new_thread_ran = true;
}

/* In the second task, its own copy of this program: its word comes as the argument,
 * and its deadline is its own, four slices from its start, a little after the others'. */
static void cross_task_thread(unsigned long k)
{
	report_clean("in another task");
	struct verdict v;
	fpu_worker(k, rounds_of(k), (uint64_t)sys_debug_clock() + 4 * 10000000ul, &v);
	verdict_print('C', " (another task)", rounds_of(k), &v);
	thread_exit();
}

UTEST(fpu_switch)
{
	/* At priority 10 they run in this order, in turns: A, B and C load their values
	 * before the new thread starts, so a shared register file holds C's then. */
	struct challenge c = utest_challenge(bi);
	for (int i = THREAD_A; i <= THREAD_C; i++)
		thread_words[i] = challenge_next(&c);
	spin_deadline = (uint64_t)sys_debug_clock() + 4 * 10000000ul;
	utest_spawn(bi, 0, 10, same_task_thread, thread_words[THREAD_A]);
	utest_spawn(bi, 1, 10, same_task_thread, thread_words[THREAD_B]);
	long task = utest_task_clone(bi);
	UCHECK(task > 0);
	utest_spawn_in_task(task, 10, cross_task_thread, cross_stack, STACK_SIZE,
			    thread_words[THREAD_C]);
	utest_spawn(bi, 2, 10, new_thread, 0);
	UCHECK(sys_thread_priority(bi->self_thread_slot, 1) == 0);
	UCHECK(new_thread_ran);
	verdict_print('A', "", rounds_of(thread_words[THREAD_C]),
		      &verdicts[THREAD_A]);
	verdict_print('B', "", rounds_of(thread_words[THREAD_C]),
		      &verdicts[THREAD_B]);
}

/*
 * Masked, as a new thread's MXCSR has it: QEMU 7.2 under TCG only sets the flag even
 * when the exception is unmasked (no #XM), so the unmasked case cannot be tested here;
 * fault.c treats #XM (vector 19) as it does #MF. This shows that SSE runs at all: a
 * division of two numbers from the word (its argument), then the first by zero; the
 * grader computes both doubles and the flags (ZE, and PE if the quotient is inexact).
 */
static void sse_divide(unsigned long word)
{
	long a = (int32_t)word | 1, b = (int32_t)(word >> 32) | 1;     /* never 0 */
	uint64_t quotient, infinity;
	uint32_t mxcsr;
	__asm__ volatile("cvtsi2sdq %3, %%xmm0\n\t"
			 "cvtsi2sdq %4, %%xmm1\n\t"
			 "divsd %%xmm1, %%xmm0\n\t"
			 "movq %%xmm0, %0\n\t"
			 "cvtsi2sdq %3, %%xmm0\n\t"
			 "pxor %%xmm1, %%xmm1\n\t"
			 "divsd %%xmm1, %%xmm0\n\t"
			 "movq %%xmm0, %1\n\t"
			 "stmxcsr %2"
			 : "=r"(quotient), "=r"(infinity), "=m"(mxcsr) : "r"(a), "r"(b));
	printf("fpu: SSE %ld / %ld = %lx, %ld / 0 = %lx, MXCSR %x\n", a, b, quotient, a,
	       infinity, mxcsr);
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

/* The word for the SSE division and the order the three run in come from the seed. */
UTEST(fpu_exceptions)
{
	void (*victims[])(unsigned long) = { sse_divide, x87_divide_by_zero, avx_instruction };
	struct challenge c = utest_challenge(bi);
	unsigned long word = challenge_next(&c);
	for (int i = 2; i > 0; i--) {
		int j = (int)challenge_range(&c, 0, (unsigned long)i);
		void (*v)(unsigned long) = victims[i];
		victims[i] = victims[j];
		victims[j] = v;
	}
	for (int i = 0; i < 3; i++)
		utest_spawn(bi, i, 10, victims[i], victims[i] == sse_divide ? word : 0);
	UCHECK(sys_thread_priority(bi->self_thread_slot, 1) == 0);
	printf("fpu: root still running after 2 faults\n");
}
