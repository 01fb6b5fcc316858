/**
 * @file
 * lab3_syscalls.c — scenarios for lab 3's system calls: bad arguments, kernel
 * pointers, faults, random calls, and the cost of the null call.
 *
 * The one thing to know: every bad call here must come back with an error code, and
 * the kernel must go on; the grader checks each code. The fuzz scenario draws its
 * "addresses" from a set of bad ones (never real code), so the threads it manages to
 * start only ever fault: it tests the kernel's checks, not random user programs.
 */
#include <minim.h>
#include <thread.h>
#include "utest.h"

#define KERNEL_TEXT     0xffffffff80000000ul
#define DIRECT_MAP      0xffff800000100000ul
#define NON_CANONICAL   0x0000800000000000ul
#define UNMAPPED        0x0000100000000000ul

static char stacks[4][8192] __attribute__((aligned(16)));

UTEST(syscall_bad_args)
{
	static const char msg[] = "x";
	long self_thread = bi->self_thread_slot;
	long self_task = bi->self_task_slot;

	printf("bad: number 9999 -> %ld\n", syscall_enter(9999, 0, 0, 0, 0, 0, 0));
	printf("bad: number -1 -> %ld\n", syscall_enter((unsigned long)-1, 0, 0, 0, 0, 0, 0));
	/* Negative if the kernel compares it as a signed number: then it indexes wildly. */
	printf("bad: number 2^63 -> %ld\n", syscall_enter(1ul << 63, 0, 0, 0, 0, 0, 0));
	printf("bad: write from a kernel address -> %ld\n",
	       sys_debug_write((const char *)KERNEL_TEXT, 8));
	printf("bad: write from an unmapped address -> %ld\n",
	       sys_debug_write((const char *)UNMAPPED, 8));
	printf("bad: write from a non-canonical address -> %ld\n",
	       sys_debug_write((const char *)NON_CANONICAL, 8));
	printf("bad: write running past the end of user space -> %ld\n",
	       sys_debug_write((const char *)(USER_TOP - 4), 8));
	printf("bad: write of a length that wraps -> %ld\n", sys_debug_write(msg, ~0ul - 2));
	printf("bad: write longer than the limit -> %ld\n",
	       sys_debug_write(msg, DEBUG_WRITE_MAX + 1));
	printf("bad: thread_create in slot -1 -> %ld\n", sys_thread_create(-1, 10));
	printf("bad: thread_create in slot 9999 -> %ld\n", sys_thread_create(9999, 10));
	printf("bad: thread_create in an empty slot -> %ld\n", sys_thread_create(100, 10));
	printf("bad: thread_create in a thread's slot -> %ld\n",
	       sys_thread_create(self_thread, 10));
	printf("bad: thread_create at priority 0 -> %ld\n", sys_thread_create(self_task, 0));
	printf("bad: thread_create above PRIO_MAX -> %ld\n",
	       sys_thread_create(self_task, PRIO_MAX + 1));

	long t = sys_thread_create(self_task, 10);
	UCHECK(t > 0);
	printf("bad: thread_start at a kernel address -> %ld\n",
	       sys_thread_start(t, KERNEL_TEXT, (unsigned long)stacks[0] + 4096, 0));
	printf("bad: thread_start with a kernel stack -> %ld\n",
	       sys_thread_start(t, (unsigned long)main, DIRECT_MAP, 0));
	printf("bad: thread_start of a task's slot -> %ld\n",
	       sys_thread_start(self_task, (unsigned long)main, (unsigned long)stacks[0], 0));
	printf("bad: thread_start of the running thread -> %ld\n",
	       sys_thread_start(self_thread, (unsigned long)main, (unsigned long)stacks[0], 0));
	printf("bad: thread_priority above one's own -> %ld\n",
	       sys_thread_priority(t, PRIO_MAX + 1));
	printf("bad: thread_priority of slot 0 -> %ld\n", sys_thread_priority(0, 5));
	printf("bad: after all that, the null call -> %ld\n", sys_null());
}

static void read_kernel(unsigned long addr)
{
	printf("kptr: user code reads %lx directly\n", addr);
	printf("kptr: read %lx (must not appear)\n", *(volatile unsigned long *)addr);
}

UTEST(syscall_kernel_pointer)
{
	printf("kptr: write from kernel text -> %ld\n",
	       sys_debug_write((const char *)KERNEL_TEXT, 16));
	printf("kptr: write from the direct map -> %ld\n",
	       sys_debug_write((const char *)DIRECT_MAP, 16));
	thread_spawn(bi->self_task_slot, 10, read_kernel, DIRECT_MAP, stacks[0], sizeof(stacks[0]));
	UCHECK(sys_thread_priority(bi->self_thread_slot, 1) == 0);
	printf("kptr: root still running\n");
}

static void null_read(unsigned long arg)
{
	(void)arg;
	printf("fault: reading address 0\n");
	(void)*(volatile int *)0;
}

static void divide_by_zero(unsigned long zero)
{
	printf("fault: dividing by zero\n");
	/* In asm: a C division by zero is undefined, and the compiler may drop it. */
	__asm__ volatile("divq %0" : : "r"(zero), "a"(1ul), "d"(0ul));
}

static void invalid_opcode(unsigned long arg)
{
	(void)arg;
	printf("fault: executing ud2\n");
	__asm__ volatile("ud2");
}

static void write_text(unsigned long arg)
{
	(void)arg;
	printf("fault: writing to my own code\n");
	*(volatile char *)(unsigned long)write_text = 0;
}

UTEST(user_fault_contained)
{
	void (*victims[])(unsigned long) = { null_read, divide_by_zero, invalid_opcode,
					     write_text };
	for (int i = 0; i < 4; i++)
		UCHECK(thread_spawn(bi->self_task_slot, 10, victims[i], 0, stacks[i],
				    sizeof(stacks[i])) > 0);
	UCHECK(sys_thread_priority(bi->self_thread_slot, 1) == 0);
	printf("fault: root still running after 4 faults\n");
}

static unsigned long rng_state = 0x2545f4914f6cdd1dul;

static unsigned long rng(void)
{
	return utest_random(&rng_state);
}

static unsigned long random_arg(void)
{
	static const unsigned long bad[] = {
		0, 1, 2, 3, 127, 128, 9999, ~0ul, 1ul << 63, KERNEL_TEXT, DIRECT_MAP,
		NON_CANONICAL, UNMAPPED, USER_TOP - 1, USER_TOP - 4096, USER_BOOT_INFO,
		(unsigned long)-7,
	};
	unsigned long dice = rng() % 8;
	if (dice < 2)
		return rng();
	if (dice < 4)
		return rng() % 16;      /* small numbers: real capability slots and priorities */
	return bad[rng() % (sizeof(bad) / sizeof(bad[0]))];
}

UTEST(syscall_fuzz)
{
	enum { CALLS = 3000 };
	unsigned long errors = 0, made = 0, started = 0, tasks = 0;

	while (made < CALLS) {
		unsigned long number = rng() % (SYSCALL_COUNT + 3);
		unsigned long arg[6];
		for (int i = 0; i < 6; i++)
			arg[i] = random_arg();
		/* Keep the fuzzer itself alive and running, and the console readable: */
		if (number == SYS_thread_exit || number == SYS_debug_shutdown ||
		    number == SYS_thread_priority)
			continue;       /* these would end or starve the scenario */
		if (number == SYS_thread_kill && arg[0] == bi->self_thread_slot)
			continue;
		if (number == SYS_cap_delete && arg[0] == bi->debug_slot)
			continue;       /* without it, the scenario could not end the run */
		if (number == SYS_ipc)
			arg[2] &= 0xff;         /* never wait: a poll */
		if (number == SYS_debug_write)
			arg[0] |= 1ul << 62;    /* never a readable buffer: no garbage printed */
		long r = syscall_enter(number, arg[0], arg[1], arg[2], arg[3], arg[4], arg[5]);
		errors += r < 0;
		started += number == SYS_thread_start && r == 0;
		tasks += number == SYS_task_create && r > 0;
		made++;
	}
	printf("fuzz: %d random calls made, %lu failed with an error\n", CALLS, errors);
	printf("fuzz: %lu threads started, %lu tasks made\n", started, tasks);
	printf("fuzz: the kernel still answers: null -> %ld\n", sys_null());
}

/* The cheapest round trip into the kernel and back, in guest instructions. */
UTEST(syscall_null_cost)
{
	enum { WARMUP = 100, RUNS = 1000 };
	unsigned long best = ~0ul, overhead = ~0ul;

	for (int i = 0; i < WARMUP + RUNS; i++) {
		unsigned long t0 = __builtin_ia32_rdtsc();
		unsigned long t1 = __builtin_ia32_rdtsc();
		if (i >= WARMUP && t1 - t0 < overhead)
			overhead = t1 - t0;
	}
	for (int i = 0; i < WARMUP + RUNS; i++) {
		unsigned long t0 = __builtin_ia32_rdtsc();
		sys_null();
		unsigned long t1 = __builtin_ia32_rdtsc();
		if (i >= WARMUP && t1 - t0 < best)
			best = t1 - t0;
	}
	printf("syscall_null_rtt=%lu\n", best - overhead);
}
