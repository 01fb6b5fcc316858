/**
 * @file
 * tsc.h — reading the time-stamp counter around a measured stretch of code, as
 * sel4bench does: cpuid then rdtsc before, rdtscp then cpuid after.
 *
 * The one thing to know: under the grader's TCG -icount the counter counts guest
 * instructions (identical on every run); under KVM, cycles. The fences keep the
 * measured instructions inside the two reads; user mode may read the counter.
 */
#ifndef USER_TSC_H
#define USER_TSC_H

static inline unsigned long timer_start(void)
{
	unsigned int lo, hi;
	__asm__ volatile("cpuid\n\trdtsc" : "=a"(lo), "=d"(hi) : "a"(0) : "rbx", "rcx");
	return ((unsigned long)hi << 32) | lo;
}

static inline unsigned long timer_end(void)
{
	unsigned int lo, hi;
	__asm__ volatile("rdtscp\n\tmovl %%eax, %0\n\tmovl %%edx, %1\n\tmovl $0, %%eax\n\tcpuid"
			 : "=r"(lo), "=r"(hi) : : "rax", "rbx", "rcx", "rdx");
	return ((unsigned long)hi << 32) | lo;
}

/* The counter now, unfenced: for coarse clocks (a write-back timer). */
static inline unsigned long tsc_now(void)
{
	unsigned int lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((unsigned long)hi << 32) | lo;
}

#endif
