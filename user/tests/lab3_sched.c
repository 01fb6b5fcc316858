/**
 * @file
 * lab3_sched.c — scenarios for lab 3's run queues and time slices: where a preempted
 * thread goes back in its queue, and how long a slice lasts.
 *
 * The one thing to know: as in lab3_threads.c, the root runs above everything it
 * starts and lowers itself to priority 1 to let them run, so the order of events is
 * exact. Guest time counts instructions (-icount), one per nanosecond, and the timer
 * ticks every millisecond, so a slice of TIME_SLICE_TICKS ticks lasts 10 million
 * instructions, as sys_debug_clock() shows it, whatever the machine running QEMU.
 */
#include <stdbool.h>
#include <minim.h>
#include <thread.h>
#include "utest.h"

static const struct boot_info_page *boot_info;

/* Lets every thread above priority 1 run to its end, then returns. */
static void wait_for_others(void)
{
	UCHECK(sys_thread_priority(boot_info->self_thread_slot, 1) == 0);
}

#define MAX_RUNNERS 4
#define ABOVE_STACK 8192
static unsigned long runner_words[MAX_RUNNERS];
static long above_prio[MAX_RUNNERS], above_slot[MAX_RUNNERS];
static char above_stacks[MAX_RUNNERS][ABOVE_STACK] __attribute__((aligned(16)));

static long runner_of(unsigned long word)
{
	for (long i = 0; i < MAX_RUNNERS; i++)
		if (runner_words[i] == word)
			return i;
	return -1;
}

/* What each thread finds at %fs:0 (its UTCB's own address): runner i's in 2 i, the
 * thread it starts in 2 i + 1. Volatile: each read must happen where it is written. */
static unsigned long fs_seen[2 * MAX_RUNNERS];
static unsigned long runners_kept_fs;

static unsigned long fs_word(void)
{
	unsigned long u;
	__asm__ volatile("movq %%fs:0, %0" : "=r"(u));
	return u;
}

static void above(unsigned long word)
{
	long i = runner_of(word ^ 0x5a5a);
	if (i >= 0)
		fs_seen[2 * i + 1] = fs_word();
	printf("first: a thread at %ld, started by runner %ld, runs at once, word %lx\n",
	       i < 0 ? -1 : above_prio[i], i, word);
}

/* Starts a thread above itself (which preempts it), then goes on when that one ends.
 * The root made the thread: no thread may create one above its own priority. */
static void runner(unsigned long word)
{
	long i = runner_of(word);
	UCHECK(i >= 0);
	fs_seen[2 * i] = fs_word();
	printf("first: runner %ld runs\n", i);
	UCHECK(thread_start_on(above_slot[i], above, word ^ 0x5a5a, above_stacks[i],
			       ABOVE_STACK) == 0);
	printf("first: runner %ld goes on, before the runners behind it\n", i);
	runners_kept_fs += fs_word() == fs_seen[2 * i];
}

/*
 * 2 to 4 runners at one priority; each, when its turn comes, starts a thread at a
 * priority the seed picks above its own, which runs at once. The preempted runner is
 * first in line again: it must go on before the runners queued behind it.
 */
UTEST(threads_preempted_first)
{
	struct challenge c = utest_challenge(bi);
	unsigned long n = challenge_range(&c, 2, MAX_RUNNERS);
	boot_info = bi;
	for (unsigned long i = 0; i < n; i++) {
		above_prio[i] = (long)challenge_range(&c, 11, PRIO_MAX - 1);
		runner_words[i] = challenge_next(&c);
		above_slot[i] = sys_thread_create(bi->self_task_slot, above_prio[i]);
		UCHECK(above_slot[i] > 0);
	}
	for (unsigned long i = 0; i < n; i++)
		utest_spawn(bi, (int)i, 10, runner, runner_words[i]);
	wait_for_others();
	printf("first: root runs again after all %lu runners\n", n);
	/* Threads of one task, no CR3 switch between them: each still has its own UTCB. */
	unsigned long seen = 2 * n + 1, distinct = 0, root_fs = fs_word();
	for (unsigned long k = 0; k < 2 * n; k++) {
		bool fresh = fs_seen[k] != root_fs;
		for (unsigned long j = 0; j < k; j++)
			fresh = fresh && fs_seen[j] != fs_seen[k];
		distinct += fresh;
	}
	printf("first: %lu threads of one task saw %lu distinct UTCBs through %%fs; %lu runners "
	       "kept theirs after being preempted\n", seen, distinct + 1, runners_kept_fs);
}

#define MAX_TURNS 9
#define TICK 1000000ul          /* guest instructions between timer ticks */
static volatile unsigned long owner, turns, turns_wanted;
static unsigned long turn_start[MAX_TURNS];
static unsigned turn_owner[MAX_TURNS];

/* Spins, noting the clock each time it finds that another spinner ran meanwhile: the
 * start of a turn. Stops after the turns wanted, or if the others never run. */
static void slicer(unsigned long me)
{
	unsigned long began = (unsigned long)sys_debug_clock();
	for (;;) {
		/* Read again below: a tick may preempt this thread as the call returns, and
		 * `now` would then be from before the others' turns. A turn's start cannot be
		 * preempted (its slice is new). */
		unsigned long now = (unsigned long)sys_debug_clock();
		if (now - began > (turns_wanted + 2) * 12 * TICK)
			break;
		if (owner != me + 1) {
			if (turns >= turns_wanted)
				break;
			owner = me + 1;
			turn_owner[turns] = (unsigned)me;
			turn_start[turns] = (unsigned long)sys_debug_clock();
			turns++;
		}
	}
}

/*
 * 3 spinners at one priority, 6 to 9 turns in all (the seed says), none of them yielding: the
 * timer moves them round in order, each turn one full slice. The first turn is
 * shorter (the first spinner starts between ticks), so it is not measured.
 */
UTEST(threads_slice_ticks)
{
	struct challenge c = utest_challenge(bi);
	unsigned long spinners = 3;    /* 2 would hide a queue whose head moves backwards */
	turns_wanted = challenge_range(&c, 6, MAX_TURNS);
	boot_info = bi;
	for (unsigned long i = 0; i < spinners; i++)
		utest_spawn(bi, (int)i, 10, slicer, i);
	wait_for_others();
	printf("slice: %lu spinners, %lu turns, in the order:", spinners, turns);
	for (unsigned long k = 0; k < turns; k++)
		printf(" %u", turn_owner[k]);
	printf("\nslice: the turns after the first lasted (ticks):");
	for (unsigned long k = 1; k + 1 < turns; k++)
		printf(" %lu", (turn_start[k + 1] - turn_start[k] + TICK / 2) / TICK);
	printf("\n");
}
