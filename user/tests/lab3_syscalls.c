/**
 * @file
 * lab3_syscalls.c — scenarios for lab 3's system calls: bad arguments, kernel
 * pointers, faults, random calls, and the cost of the null call.
 *
 * The one thing to know: every bad call here must come back with an error code, and
 * the kernel must go on; the grader checks each code. The fuzz scenario draws its
 * "addresses" from a set of bad ones (never real code), so the threads it manages to
 * start only ever fault: it tests the kernel's checks, not random user programs. The
 * bad values, addresses, counts and words come from the boot's seed (grade/lab3.py
 * draws the same, in the same order), so the lines are this boot's.
 */
#include <minim.h>
#include <thread.h>
#include "utest.h"

#define KERNEL_TEXT     0xffffffff80000000ul
#define DIRECT_MAP      0xffff800000100000ul
#define NON_CANONICAL   0x0000800000000000ul
#define UNMAPPED        0x0000100000000000ul
#define UNMAPPED_LOW    0x0000000000400000ul    /* nothing below the image */

static char stacks[4][8192] __attribute__((aligned(16)));

static void started_after_all(unsigned long word)
{
	printf("bad: the thread started after all that runs with its word: %lx\n", word);
}

/* Every bad value is drawn from its kind by the seed (grade/lab3.py draws the same), so
 * a kernel that refuses only the values it expects (9999, slot 100) is caught. */
UTEST(syscall_bad_args)
{
	static const char msg[] = "bad: a valid write of a drawn length\n";
	struct challenge c = utest_challenge(bi);
	long self_thread = bi->self_thread_slot;
	long self_task = bi->self_task_slot;
	unsigned long v, len;

	v = challenge_range(&c, 1ul << 16, (1ul << 63) - 1);
	printf("bad: number %lx, past the last -> %ld\n", v, syscall_enter(v, 0, 0, 0, 0, 0, 0));
	v = -challenge_range(&c, 1, 1ul << 32);
	printf("bad: number %lx, negative -> %ld\n", v, syscall_enter(v, 0, 0, 0, 0, 0, 0));
	/* Negative if the kernel compares it as a signed number: then it indexes wildly. */
	v = (1ul << 63) + challenge_range(&c, 0, 1ul << 32);
	printf("bad: number %lx, 2^63 or more -> %ld\n", v, syscall_enter(v, 0, 0, 0, 0, 0, 0));
	/* 2^63 itself: as a long, eight times it wraps to 0, entry 0 (sys_null) answers. */
	printf("bad: number 2^63 -> %ld\n", syscall_enter(1ul << 63, 0, 0, 0, 0, 0, 0));
	/* The first number past the table, and null's number with high bits set: a bound
	 * off by one, or a number cut to 32 bits, lets each through. */
	printf("bad: number %d, one past the last -> %ld\n", SYSCALL_COUNT,
	       syscall_enter(SYSCALL_COUNT, 0, 0, 0, 0, 0, 0));
	v = challenge_range(&c, 1, 0x7fffffff) << 32 | SYS_null;
	printf("bad: number %lx, null's plus a multiple of 2^32 -> %ld\n", v,
	       syscall_enter(v, 0, 0, 0, 0, 0, 0));
	v = KERNEL_TEXT + challenge_range(&c, 0, 0x1fffff);
	len = challenge_range(&c, 1, 64);
	printf("bad: write from a kernel address, %lx + %lu -> %ld\n", v, len,
	       sys_debug_write((const char *)v, len));
	v = UNMAPPED + challenge_range(&c, 0, 0x3fffffffffff);
	len = challenge_range(&c, 1, 64);
	printf("bad: write from an unmapped address, %lx + %lu -> %ld\n", v, len,
	       sys_debug_write((const char *)v, len));
	v = NON_CANONICAL + challenge_range(&c, 0, 0xffff000000000000ul - NON_CANONICAL - 1);
	len = challenge_range(&c, 1, 64);
	printf("bad: write from a non-canonical address, %lx + %lu -> %ld\n", v, len,
	       sys_debug_write((const char *)v, len));
	v = challenge_range(&c, 1, 8);
	len = v + challenge_range(&c, 1, 8);
	printf("bad: write of %lu bytes from %lu bytes before the end of user space -> %ld\n",
	       len, v, sys_debug_write((const char *)(USER_TOP - v), len));
	len = ~0ul - challenge_range(&c, 0, 0xffff);
	printf("bad: write of a length that wraps, %lx -> %ld\n", len, sys_debug_write(msg, len));
	len = DEBUG_WRITE_MAX + challenge_range(&c, 1, 0xffffff);
	printf("bad: write of %lu bytes, longer than the limit -> %ld\n", len,
	       sys_debug_write(msg, len));
	len = challenge_range(&c, 5, sizeof(msg) - 2);	/* not its newline */
	long wrote = sys_debug_write(msg, len);
	printf("\nbad: a write of %lu bytes -> %ld\n", len, wrote);
	long slot = -(long)challenge_range(&c, 1, 1ul << 40);
	printf("bad: thread_create in slot %ld -> %ld\n", slot, sys_thread_create(slot, 10));
	slot = (long)challenge_range(&c, 4096, 1ul << 40);
	printf("bad: thread_create in slot %ld, past the table -> %ld\n", slot,
	       sys_thread_create(slot, 10));
	slot = (long)challenge_range(&c, 64, 127);	/* a table has 128 */
	printf("bad: thread_create in slot %ld, empty -> %ld\n", slot, sys_thread_create(slot, 10));
	printf("bad: thread_create in a thread's slot -> %ld\n",
	       sys_thread_create(self_thread, 10));
	printf("bad: thread_create at priority 0 -> %ld\n", sys_thread_create(self_task, 0));
	v = challenge_range(&c, PRIO_MAX + 1, ~0ul);
	printf("bad: thread_create at priority %lx, above PRIO_MAX -> %ld\n", v,
	       sys_thread_create(self_task, (long)v));

	long t = sys_thread_create(self_task, 10);
	UCHECK(t > 0);
	v = KERNEL_TEXT + challenge_range(&c, 0, 0x1fffff);
	printf("bad: thread_start at kernel address %lx -> %ld\n", v,
	       sys_thread_start(t, v, (unsigned long)stacks[0] + 4096, 0));
	v = DIRECT_MAP + challenge_range(&c, 0, 0xffffff) * 16;
	printf("bad: thread_start with kernel stack %lx -> %ld\n", v,
	       sys_thread_start(t, (unsigned long)main, v, 0));
	printf("bad: thread_start of a task's slot -> %ld\n",
	       sys_thread_start(self_task, (unsigned long)main, (unsigned long)stacks[0], 0));
	printf("bad: thread_start of the running thread -> %ld\n",
	       sys_thread_start(self_thread, (unsigned long)main, (unsigned long)stacks[0], 0));
	v = challenge_range(&c, PRIO_MAX + 1, ~0ul);
	printf("bad: thread_priority %lx, above one's own -> %ld\n", v,
	       sys_thread_priority(t, (long)v));
	printf("bad: thread_priority of slot 0 -> %ld\n", sys_thread_priority(0, 5));
	/* The thread the bad starts were refused for starts now, and gets its word. */
	UCHECK(thread_start_on(t, started_after_all, challenge_next(&c), stacks[1],
			       sizeof(stacks[1])) == 0);
	UCHECK_EQ(sys_thread_priority(self_thread, 1), 0);
	printf("bad: after all that, the null call -> %ld\n", sys_null());
}

static void read_kernel(unsigned long addr)
{
	printf("kptr: user code reads %lx directly\n", addr);
	printf("kptr: read %lx (must not appear)\n", *(volatile unsigned long *)addr);
}

/* The addresses come from the seed: the fault's address (cr2) is this boot's. */
UTEST(syscall_kernel_pointer)
{
	struct challenge c = utest_challenge(bi);
	unsigned long text = KERNEL_TEXT + challenge_range(&c, 0, 0x1fffff);
	unsigned long direct = DIRECT_MAP + challenge_range(&c, 0, 0x3ffffff);
	unsigned long read_at = DIRECT_MAP + challenge_range(&c, 0, 0x7fffff) * 8;
	printf("kptr: write from kernel text %lx -> %ld\n", text,
	       sys_debug_write((const char *)text, 16));
	printf("kptr: write from the direct map %lx -> %ld\n", direct,
	       sys_debug_write((const char *)direct, 16));
	thread_spawn(bi->self_task_slot, 10, read_kernel, read_at, stacks[0], sizeof(stacks[0]));
	UCHECK(sys_thread_priority(bi->self_thread_slot, 1) == 0);
	printf("kptr: root still running\n");
}

static unsigned long null_address;             /* drawn: below the image */

static void null_read(unsigned long arg)
{
	(void)arg;
	printf("fault: reading address %lx\n", null_address);
	(void)*(volatile char *)null_address;
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

static void write_text(unsigned long offset)
{
	unsigned long at = (unsigned long)write_text + offset;
	printf("fault: writing to my own code at %lx\n", at);
	*(volatile char *)at = 0;
}

/* The seed gives the address read, the offset written and the order the victims run. */
UTEST(user_fault_contained)
{
	void (*victims[])(unsigned long) = { null_read, divide_by_zero, invalid_opcode,
					     write_text };
	struct challenge c = utest_challenge(bi);
	null_address = challenge_range(&c, 0, UNMAPPED_LOW - 1);
	unsigned long offset = challenge_range(&c, 0, 63);
	for (int i = 3; i > 0; i--) {
		int j = (int)challenge_range(&c, 0, (unsigned long)i);
		void (*v)(unsigned long) = victims[i];
		victims[i] = victims[j];
		victims[j] = v;
	}
	for (int i = 0; i < 4; i++)
		UCHECK(thread_spawn(bi->self_task_slot, 10, victims[i],
				    victims[i] == write_text ? offset : 0, stacks[i],
				    sizeof(stacks[i])) > 0);
	UCHECK(sys_thread_priority(bi->self_thread_slot, 1) == 0);
	printf("fault: root still running after 4 faults\n");
}

static unsigned long rng_state;         /* from the seed: not 0 */

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

static void started_after_fuzz(unsigned long word)
{
	printf("fuzz: a thread started after them runs with its word: %lx\n", word);
}

/* The seed gives the calls' random sequence, their number and a last thread's word. */
UTEST(syscall_fuzz)
{
	struct challenge c = utest_challenge(bi);
	rng_state = challenge_next(&c) | 1;
	unsigned long calls = challenge_range(&c, 2000, 3000), word = challenge_next(&c);
	unsigned long errors = 0, made = 0, started = 0, tasks = 0;
	/* Made first: the calls may fill the capability table. None may name it. At the
	 * root's priority: the calls may delete the root's own thread capability, so the
	 * root yields to it rather than lowering itself. */
	long last = sys_thread_create(bi->self_task_slot, PRIO_MAX);
	UCHECK(last > 0);

	while (made < calls) {
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
		if (arg[0] == (unsigned long)last)
			continue;       /* the last thread's: it must start after the calls */
		if (number == SYS_cap_copy && (arg[1] == (unsigned long)bi->self_thread_slot ||
					       arg[1] == (unsigned long)last))
			continue;       /* a copy would let a later call kill either */
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
	printf("fuzz: %lu random calls made, %lu failed with an error\n", calls, errors);
	printf("fuzz: %lu threads started, %lu tasks made\n", started, tasks);
	printf("fuzz: the kernel still answers: null -> %ld\n", sys_null());
	UCHECK_EQ(thread_start_on(last, started_after_fuzz, word, stacks[0], sizeof(stacks[0])), 0);
	UCHECK_EQ(sys_yield(), 0);
}

/* The cheapest round trip into the kernel and back, in guest instructions; the seed
 * gives the number of runs, and as many calls again count those that come back 0. */
UTEST(syscall_null_cost)
{
	enum { WARMUP = 100 };
	struct challenge c = utest_challenge(bi);
	unsigned long runs = challenge_range(&c, 1000, 1200), zeros = 0;
	unsigned long best = ~0ul, overhead = ~0ul;

	for (unsigned long i = 0; i < WARMUP + runs; i++) {
		unsigned long t0 = __builtin_ia32_rdtsc();
		unsigned long t1 = __builtin_ia32_rdtsc();
		if (i >= WARMUP && t1 - t0 < overhead)
			overhead = t1 - t0;
	}
	utest_mark_begin();
	for (unsigned long i = 0; i < WARMUP + runs; i++) {
		unsigned long t0 = __builtin_ia32_rdtsc();
		sys_null();
		unsigned long t1 = __builtin_ia32_rdtsc();
		if (i >= WARMUP && t1 - t0 < best)
			best = t1 - t0;
	}
	utest_mark_end();
	for (unsigned long i = 0; i < WARMUP + runs; i++)    /* untimed: the count costs */
		zeros += sys_null() == 0;
	printf("null: %lu calls, %lu returned 0\n", WARMUP + runs, zeros);
	printf("syscall_null_rtt=%lu\n", best - overhead);
}
