/**
 * @file
 * helpers.c — what several scenarios need: helper threads, second tasks that run this
 * program, random numbers, and a pager that reports faults (lab 5).
 *
 * The one thing to know: the stacks are static and numbered by the caller, and a
 * scenario runs once per boot, so a number is never given to two live threads; the
 * random numbers are a fixed sequence, so every run makes the same calls.
 */
#include <minim.h>
#include <abi/debug.h>
#include <thread.h>
#include "utest.h"

static char stacks[UTEST_STACKS][UTEST_STACK_SIZE] __attribute__((aligned(16)));

long utest_spawn(const struct boot_info_page *bi, int stack, long prio,
		 void (*fn)(unsigned long), unsigned long arg)
{
	UCHECK(stack >= 0 && stack < UTEST_STACKS);
	long slot = thread_spawn(bi->self_task_slot, prio, fn, arg, stacks[stack],
				 UTEST_STACK_SIZE);
	UCHECK(slot > 0);
	return slot;
}

long utest_spawn_in_task(long task_slot, long prio, void (*fn)(unsigned long),
			 void *stack, unsigned long size, unsigned long arg)
{
	long slot = sys_thread_create(task_slot, prio);
	UCHECK(slot > 0);
	UCHECK(sys_thread_start(slot, (unsigned long)fn, (unsigned long)stack + size - 8,
				arg) == 0);
	return slot;
}

long utest_task_clone(const struct boot_info_page *bi)
{
	long task = sys_task_create(0, UTEST_TASK_QUOTA_PAGES);
	UCHECK(task > 0);
	UCHECK(sys_debug_clone(bi->debug_slot, task) == 0);
	return task;
}

void utest_sleep_ticks(unsigned long ticks)
{
	struct msg m;
	long quiet = sys_endpoint_create();
	UCHECK(quiet > 0);
	UCHECK_EQ(ipc_receive(quiet, &m, ticks), E_TIMEOUT);
	UCHECK_EQ(sys_cap_delete(quiet), 0);
}

struct kernel_stats utest_stats(const struct boot_info_page *bi)
{
	struct kernel_stats s;
	UCHECK(sys_debug_stats(bi->debug_slot, &s) == 0);
	return s;
}

long utest_frames(const struct kernel_stats *s)
{
	return (long)(s->free_frames + s->pool_frames + s->kstack_tables + s->io_bitmap_frames);
}

/* Empty, and never inlined: the grader's breakpoints are on their addresses. */
__attribute__((noinline)) void utest_mark_begin(void)
{
	__asm__ volatile("" ::: "memory");
}

__attribute__((noinline)) void utest_mark_end(void)
{
	__asm__ volatile("" ::: "memory");
}

struct challenge utest_challenge(const struct boot_info_page *bi)
{
	return challenge_from_cmdline(bi->cmdline);
}

unsigned long utest_random(unsigned long *state)
{
	/* xorshift64: small, and the same sequence on every run */
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

static const char *access_name(unsigned long access)
{
	return access & FAULT_EXEC ? "exec" : access & FAULT_WRITE ? "write" : "read";
}

/*
 * Prints every fault it gets and answers without a mapping: the thread stops. The
 * same fault twice means the kernel resumed a thread the answer did not fix: that
 * thread gets no answer (it waits for ever), so the scenario goes on and says so.
 */
void utest_reporting_pager(unsigned long ep)
{
	struct msg m;
	unsigned long last_addr = 0, last_badge = 0;
	long r = ipc_receive((long)ep, &m, IPC_TIMEOUT_INFINITE);
	for (;;) {
		if (m.mr0 == last_addr && m.badge == last_badge) {
			printf("reporter: the same fault again at %lx, from badge %lu: it was "
			       "resumed unmapped (must not appear)\n", m.mr0, m.badge);
			r = ipc_receive((long)ep, &m, IPC_TIMEOUT_INFINITE);
			continue;
		}
		last_addr = m.mr0;
		last_badge = m.badge;
		printf("reporter: %s fault at %lx from the thread with badge %lu\n",
		       access_name(utcb()->mr[2]), m.mr0, m.badge);
		m = (struct msg){ .tag = IPC_TAG(0, 0, 0) };
		r = ipc_reply_receive((long)ep, &m);
		(void)r;
	}
}
