/**
 * @file
 * fuzz_mt.c — the concurrent fuzzers: several workers in several tasks, each with helper
 * threads, making random system calls at once, in phases, with the kernel's counts
 * checked after each phase.
 *
 * The one thing to know: after every phase each worker undoes what it made (fuzz_clean)
 * and the root takes back every page it passed out, so the kernel's object and mapping
 * counts must be exactly what they were before the phase, and its frames (free, or held
 * for good by pools and kernel-stack page tables) what they were after the first phase; a worker that does not report
 * by its deadline is stuck. `fuzz_mt` takes seed=, calls= and phases= from the command
 * line (make fuzz); lab 5's graded variant draws them from the boot's seed (the same
 * seed, the same run), lab 3's uses fixed seeds.
 */
#include <cmdline.h>
#include <minim.h>
#include <sigma0.h>
#include <thread.h>
#include <abi/debug.h>
#include "fuzz.h"
#include "utest.h"

#define TASKS           4
#define ROOT_PAGES      0x0000310000000000ul    /* the pages the root passes out */
#define PAGES_LOG2      15      /* 8 pages for each task: the most one message carries */
#define CHILD_WINDOW    0x0000500000000000ul
#define WORKER_STACK    16384

/* A child's fixed slots, in the order the root copies them in. */
#define SLOT_TASK       1
#define SLOT_CONTROL    2                       /* send, badged: where it reports */
#define SLOT_GATE       3                       /* receive: where its phases start */
#define SLOT_SHARED     4                       /* 4 endpoints every worker shares */
#define SHARED          4
#define FIRST_DYNAMIC   (SLOT_SHARED + SHARED)

#define LABEL_GO        0xf1                    /* root -> worker: run a phase */
#define LABEL_REPORT    0xf2                    /* worker -> root: done, with counts */
#define LABEL_CLEAN     0xf3                    /* root -> worker: all are quiet, clean up */

static const long shared_slots[SHARED] = { SLOT_SHARED, SLOT_SHARED + 1, SLOT_SHARED + 2,
					   SLOT_SHARED + 3 };
static char worker_stack[WORKER_STACK] __attribute__((aligned(16)));   /* each task's own */
static char helper_stacks[FUZZ_HELPERS][FUZZ_HELPER_STACK] __attribute__((aligned(16)));
static struct fuzz_worker worker;

/* A child task's one worker: waits at its gate, runs the phase it is given, cleans up,
 * reports, and waits again. Runs in its own task: everything static here is its own. */
static void worker_main(unsigned long arg)
{
	(void)arg;
	for (;;) {
		struct msg m = { 0 };
		utcb()->map_window = FPAGE(CHILD_WINDOW, FUZZ_WINDOW_LOG2);
		long r = ipc(0, SLOT_GATE, IPC_FLAGS(IPC_OP_RECEIVE, IPC_TIMEOUT_INFINITE), &m);
		utcb()->map_window = 0;
		if (r != 0 || IPC_TAG_LABEL(m.tag) != LABEL_GO || IPC_TAG_UNTYPED(m.tag) != 5)
			continue;
		unsigned long calls = m.mr1;
		unsigned long pages = IPC_TAG_TYPED(m.tag) ? utcb()->mr[6] : 0;
		worker = (struct fuzz_worker){
			.rng = utcb()->mr[2] | 1, .ops = (unsigned)utcb()->mr[3], .task = SLOT_TASK,
			.first_dynamic = FIRST_DYNAMIC, .endpoints = shared_slots,
			.endpoint_count = SHARED, .prio = (long)utcb()->mr[4],
			.window = (utcb()->mr[3] & FUZZ_PAGES) ? CHILD_WINDOW : 0,
			.stacks = helper_stacks,
		};
		while (worker.calls < calls)
			fuzz_step(&worker);
		fuzz_quiesce(&worker);
		m = (struct msg){ .tag = IPC_TAG(LABEL_REPORT, 3, 0), .mr0 = worker.calls,
				  .mr1 = worker.errors };
		utcb()->mr[2] = pages;
		ipc_send(SLOT_CONTROL, &m, IPC_TIMEOUT_INFINITE);
		/* Every worker is quiet now: nobody can put a capability into our table. */
		do
			r = ipc(0, SLOT_GATE, IPC_FLAGS(IPC_OP_RECEIVE, IPC_TIMEOUT_INFINITE), &m);
		while (r != 0 || IPC_TAG_LABEL(m.tag) != LABEL_CLEAN);
		fuzz_clean(&worker);
		m = (struct msg){ .tag = IPC_TAG(LABEL_REPORT, 3, 0) };
		ipc_send(SLOT_CONTROL, &m, IPC_TIMEOUT_INFINITE);
	}
}

static struct kernel_stats stats(const struct boot_info_page *bi)
{
	struct kernel_stats s;
	UCHECK(sys_debug_stats(bi->debug_slot, &s) == 0);
	return s;
}

/* Frames that come back when everything made is deleted: free, or held for good by a
 * pool, a kernel-stack page table or a task's I/O bitmap (abi/debug.h). */
/*
 * Waits (each wait up to `deadline` ticks) until every worker has reported, adding up
 * the reports' three words in sums. Workers' random calls reach the control endpoint
 * too (it is in their tables): those are answered, so no caller waits on the root.
 */
static void collect_reports(long control, unsigned long phase, unsigned long deadline,
			    unsigned long sums[3])
{
	for (int reports = 0; reports < TASKS;) {
		struct msg m;
		long r = ipc_receive(control, &m, deadline);
		if (r != 0)
			printf("fuzz: phase %lu: only %d of %d workers reported: stuck\n", phase,
			       reports, TASKS);
		UCHECK_EQ(r, 0);
		if (IPC_TAG_LABEL(m.tag) != LABEL_REPORT || IPC_TAG_UNTYPED(m.tag) != 3 ||
		    m.badge < 1 || m.badge > TASKS) {
			struct msg none = { .tag = IPC_TAG(0, 0, 0) };
			ipc_reply(&none);
			continue;
		}
		reports++;
		sums[0] += m.mr0;
		sums[1] += m.mr1;
		sums[2] += utcb()->mr[2];
	}
}

static unsigned long frames(struct kernel_stats s)
{
	return s.free_frames + s.pool_frames + s.kstack_tables + s.io_bitmap_frames;
}

/*
 * Lets the kernel finish what it does a little at a time, on the next ticks (unnamed
 * endpoints whose last waiters are gone are freed there): waits a few ticks at the
 * control endpoint, answering any stray message, so the counts read after are final.
 */
static void settle(long control)
{
	struct msg m;
	while (ipc_receive(control, &m, 3) != E_TIMEOUT) {
		struct msg none = { .tag = IPC_TAG(0, 0, 0) };
		ipc_reply(&none);
	}
}

struct fuzz_run {
	unsigned long seed, calls, phases;
	unsigned ops;
	unsigned long pages_log2;       /* each task's flexpage: 12 to PAGES_LOG2; 0: the most */
};

/* Sets up TASKS tasks with a worker each, runs the phases, checks after each. */
static void fuzz_run(const struct boot_info_page *bi, struct fuzz_run run)
{
	int pages = (run.ops & FUZZ_PAGES) && bi->sigma0_slot;
	if (!pages)
		run.ops &= ~FUZZ_PAGES;
	if (run.pages_log2 < 12 || run.pages_log2 > PAGES_LOG2)
		run.pages_log2 = PAGES_LOG2;
	unsigned long per_task = 1ul << (run.pages_log2 - 12);
	/* Any seed, 0 too, gives a non-zero state, and neighbouring seeds differ at once. */
	unsigned long rng = run.seed * 0x9e3779b97f4a7c15ul + 0x2545f4914f6cdd1dul;
	if (!rng)
		rng = 1;
	long control = sys_endpoint_create(), shared[SHARED], gate[TASKS], task[TASKS];
	UCHECK(control > 0);
	for (int i = 0; i < SHARED; i++)
		UCHECK((shared[i] = sys_endpoint_create()) > 0);
	for (int t = 0; t < TASKS; t++) {
		UCHECK((gate[t] = sys_endpoint_create()) > 0);
		UCHECK((task[t] = utest_task_clone(bi)) > 0);
		UCHECK(sys_cap_copy(task[t], task[t], RIGHT_CONTROL, 0) == SLOT_TASK);
		UCHECK(sys_cap_copy(task[t], control, RIGHT_SEND, (unsigned long)t + 1) ==
		       SLOT_CONTROL);
		UCHECK(sys_cap_copy(task[t], gate[t], RIGHT_RECEIVE, 0) == SLOT_GATE);
		for (int i = 0; i < SHARED; i++)
			UCHECK(sys_cap_copy(task[t], shared[i], RIGHT_SEND | RIGHT_RECEIVE | RIGHT_GRANT,
					   0) == SLOT_SHARED + i);
		long worker_prio = 4 + t % 3;
		utest_spawn_in_task(task[t], worker_prio, worker_main, worker_stack, WORKER_STACK,
				    0);
		for (unsigned long p = 0; pages && p < per_task; p++)
			UCHECK(sigma0_alloc_page(bi->sigma0_slot, ROOT_PAGES +
						 ((unsigned long)t << PAGES_LOG2) + p * 4096) == 0);
	}
	printf("fuzz: seed %lu, %lu calls in %lu phases, %d tasks with a worker each",
	       run.seed, run.calls, run.phases, TASKS);
	printf(pages ? ", %lu pages each\n" : "\n", per_task);

	unsigned long per_worker = run.calls / run.phases / TASKS, total = 0, errors = 0;
	struct kernel_stats before = stats(bi), after_first = before;
	for (unsigned long phase = 1; phase <= run.phases; phase++) {
		for (int t = 0; t < TASKS; t++) {
			struct msg m = { .tag = IPC_TAG(LABEL_GO, 5, pages ? 1 : 0), .mr0 = phase,
					 .mr1 = per_worker };
			utcb()->mr[2] = utest_random(&rng);
			utcb()->mr[3] = run.ops;
			utcb()->mr[4] = 4 + (unsigned long)(t % 3);
			utcb()->mr[5] = IPC_MAP_ITEM(IPC_ITEM_MAP, 0, MAP_RIGHTS_ALL);
			utcb()->mr[6] = FPAGE(ROOT_PAGES + ((unsigned long)t << PAGES_LOG2),
					      run.pages_log2);
			long r = ipc_send(gate[t], &m, 1000);
			if (r != 0)
				printf("fuzz: phase %lu: the worker of task %d is not at its gate: %ld\n",
				       phase, t, r);
			UCHECK_EQ(r, 0);
		}
		/* Every call waits at most a tick, or for a reply that comes: a worker that
		 * does not report within 2 ticks a call is stuck. */
		unsigned long sums[3] = { 0 };
		collect_reports(control, phase, 2 * per_worker + 1000, sums);
		/* All quiet: now each may empty its table, with nobody putting more in. */
		for (int t = 0; t < TASKS; t++) {
			struct msg m = { .tag = IPC_TAG(LABEL_CLEAN, 0, 0) };
			UCHECK_EQ(ipc_send(gate[t], &m, 1000), 0);
		}
		unsigned long none[3];
		collect_reports(control, phase, 1000, none);
		total += sums[0];
		errors += sums[1];
		unsigned long passed = sums[2];
		if (pages)
			sys_unmap(FPAGE(ROOT_PAGES, PAGES_LOG2 + 2), 0);
		settle(control);
		struct kernel_stats now = stats(bi);
		if (phase == 1)
			after_first = now;
		int held = now.objects == before.objects && now.mappings == before.mappings &&
			   frames(now) == frames(after_first) && sys_null() == 0;
		printf("fuzz: phase %lu: %lu pages passed out; objects %lu (before %lu), mappings "
		       "%lu (before %lu), frames %lu (after phase 1: %lu): %s\n", phase, passed,
		       now.objects, before.objects, now.mappings, before.mappings, frames(now),
		       frames(after_first), held ? "held" : "BROKEN");
		if (pages && passed != TASKS * per_task)
			printf("fuzz: phase %lu: BROKEN: %lu pages arrived, not %lu\n", phase, passed,
			       TASKS * per_task);
		UCHECK(held && (!pages || passed == TASKS * per_task));
	}
	printf("fuzz: %lu calls made (%lu failed), no panic, no hang, every invariant held\n",
	       total, errors);
}

static unsigned long cmdline_number(const struct boot_info_page *bi, const char *key,
				    unsigned long fallback)
{
	char text[32];
	if (!cmdline_find(bi->cmdline, key, text, sizeof(text)))
		return fallback;
	unsigned long v = 0;
	for (const char *c = text; *c >= '0' && *c <= '9'; c++)
		v = v * 10 + (unsigned long)(*c - '0');
	return v ? v : fallback;
}

/* make fuzz: everything, as long as asked for. */
UTEST(fuzz_mt)
{
	struct fuzz_run run = { .seed = cmdline_number(bi, "seed", 1),
				.calls = cmdline_number(bi, "calls", 100000),
				.phases = cmdline_number(bi, "phases", 10), .ops = FUZZ_ALL };
	fuzz_run(bi, run);
}

/* Lab 5's graded variant: every operation, pages included; the fuzzer's seed, the
 * phases, the calls and the pages each task gets come from the boot's seed. */
UTEST(paging_fuzz_concurrent)
{
	struct challenge c = utest_challenge(bi);
	unsigned long seed = challenge_next(&c), phases = challenge_range(&c, 3, 5);
	unsigned long per_worker = challenge_range(&c, 1000, 1500);
	unsigned long log2 = challenge_range(&c, 12, PAGES_LOG2);
	fuzz_run(bi, (struct fuzz_run){ .seed = seed, .calls = per_worker * TASKS * phases,
					.phases = phases, .ops = FUZZ_ALL, .pages_log2 = log2 });
}

/*
 * Lab 3's graded variant: threads and capabilities only, no IPC (lab 4) and no pages
 * (lab 5), so it needs nothing a lab-3 student has not written. One worker in each of
 * three tasks, each with its helpers; the root only watches. No task capability travels
 * (there is no IPC), so no worker can put anything into another's table; nothing blocks,
 * so when the root (lowered to priority 1) runs again, every worker must have ended.
 * Each worker's word (its argument) comes from the boot's seed: it seeds the calls,
 * sets how many it makes, and how many endpoints it keeps when it has cleaned up, so the
 * kernel's count of objects after is the count before plus the seed's number.
 */
#define LAB3_TASKS 3

static unsigned long lab3_calls(unsigned long word)
{
	return 1000 + (word >> 32) % 501;
}

static unsigned long lab3_kept(unsigned long word)
{
	return (word >> 60) % 4 + 1;
}

static void lab3_worker_main(unsigned long word)
{
	worker = (struct fuzz_worker){ .rng = word | 1, .ops = FUZZ_THREADS | FUZZ_CAPS,
				       .task = SLOT_TASK, .first_dynamic = SLOT_TASK + 1,
				       .prio = 5, .stacks = helper_stacks };
	while (worker.calls < lab3_calls(word))
		fuzz_step(&worker);
	fuzz_quiesce(&worker);
	fuzz_clean(&worker);
	for (unsigned long i = 0; i < lab3_kept(word); i++)
		sys_endpoint_create();
	sys_thread_exit();
}

UTEST(syscall_fuzz_concurrent)
{
	struct challenge c = utest_challenge(bi);
	long task[LAB3_TASKS], thread[LAB3_TASKS];
	unsigned long word[LAB3_TASKS], calls = 0, kept = 0;
	for (int t = 0; t < LAB3_TASKS; t++) {
		UCHECK((task[t] = utest_task_clone(bi)) > 0);
		UCHECK(sys_cap_copy(task[t], task[t], RIGHT_CONTROL, 0) == SLOT_TASK);
		word[t] = challenge_next(&c);
		calls += lab3_calls(word[t]);
		kept += lab3_kept(word[t]);
	}
	struct kernel_stats before = stats(bi);
	for (int t = 0; t < LAB3_TASKS; t++) {
		thread[t] = utest_spawn_in_task(task[t], 5, lab3_worker_main, worker_stack,
						WORKER_STACK, word[t]);
	}
	UCHECK(sys_thread_priority(bi->self_thread_slot, 1) == 0);
	int ended = 0;
	for (int t = 0; t < LAB3_TASKS; t++) {
		ended += sys_thread_priority(thread[t], 5) == E_STATE;
		UCHECK_EQ(sys_cap_delete(thread[t]), 0);
	}
	struct kernel_stats after = stats(bi);
	printf("fuzz: %d workers in %d tasks made %lu calls with their helpers; all ended: %s\n",
	       LAB3_TASKS, LAB3_TASKS, calls, ended == LAB3_TASKS ? "yes" : "no");
	printf("fuzz: kernel objects when all is deleted but the %lu endpoints kept: "
	       "before + %ld\n", kept, (long)(after.objects - before.objects));
	printf("fuzz: live threads: before + %ld\n",
	       (long)(after.live_threads - before.live_threads));
	printf("fuzz: the kernel still answers: null -> %ld\n", sys_null());
}
