/**
 * @file
 * lab6_proc.c — scenarios for lab 6: processes spawned from the bootfs by the process
 * manager, waited for, killed, and everything they held coming back.
 *
 * The one thing to know: the root task starts the process manager in itself
 * (pm_start) and then acts as a client, with badge 0; every process is bin/t6 from
 * the bootfs (user/t6/main.c; bin/t6-odd is the same program laid out by
 * user/t6/odd.ld), in the role its argv names. What the grader checks are
 * exit statuses that travel through wait, lines the processes print about what reached
 * them, and the kernel's and the pm's counts before and after.
 */
#include <stdbool.h>
#include <minim.h>
#include <pm.h>
#include <proc.h>
#include <abi/debug.h>
#include <bootfs.h>
#include "utest.h"



static long start_pm(const struct boot_info_page *bi)
{
	long pm_ep = pm_start(bi);
	UCHECK(pm_ep > 0);
	return pm_ep;
}

static long run(long pm_ep, const char *const argv[], unsigned long quota)
{
	long pid = pm_spawn(pm_ep, argv, quota, NULL, NULL, 0);
	UCHECK(pid > 0);
	return pid;
}

static long wait_for(long pm_ep, long pid)
{
	long status;
	UCHECK_EQ(pm_wait(pm_ep, pid, &status), 0);
	return status;
}

/* Waits for a process that must end by itself at once (a fault): if it still runs
 * after 50 ticks (its faults answered again and again, say), it is killed, and the
 * status says so: -9 and " (still running after 50 ticks: killed)" in *why. */
static long wait_faulting(long pm_ep, long pid, const char **why)
{
	utest_sleep_ticks(50);
	*why = pm_kill(pm_ep, pid) == 0 ? " (still running after 50 ticks: killed)" : "";
	return wait_for(pm_ep, pid);
}

/* Spawns bin/t6 exit code and waits for it: its status. */
static long run_exit(long pm_ep, unsigned long code)
{
	char n[24];
	snprintf(n, sizeof(n), "%lu", code);
	const char *argv[] = { "bin/t6", "exit", n, NULL };
	return wait_for(pm_ep, run(pm_ep, argv, 0));
}

/* The counts that must come back: the kernel's, and the pm's pages in use. */
struct counts {
	struct kernel_stats k;
	unsigned long pm_pages;
};

static struct counts counts(const struct boot_info_page *bi)
{
	return (struct counts){ utest_stats(bi), pm_pages_in_use() };
}

static void print_deltas(const char *who, const struct counts *a, const struct counts *b)
{
	printf("%s: free frames %ld, frames free or pooled %ld, objects %ld, mappings %ld\n", who,
	       (long)(b->k.free_frames - a->k.free_frames),
	       utest_frames(&b->k) - utest_frames(&a->k),
	       (long)(b->k.objects - a->k.objects), (long)(b->k.mappings - a->k.mappings));
	printf("%s: tasks %ld, threads %ld, the root's account %ld, the pm's pages in use %ld\n",
	       who, (long)(b->k.tasks - a->k.tasks),
	       (long)(b->k.live_threads - a->k.live_threads),
	       (long)(b->k.account_used - a->k.account_used),
	       (long)(b->pm_pages - a->pm_pages));
}

/* A spawn tree: each node spawns its children and waits for them; its exit status is
 * the number of nodes below and including it. Then a plain exit with a seeded status. */
UTEST(proc_spawn_tree)
{
	struct challenge c = utest_challenge(bi);
	unsigned long depth = challenge_range(&c, 1, 2), width = challenge_range(&c, 2, 3);
	unsigned long code = challenge_range(&c, 0, 255);
	long pm_ep = start_pm(bi);
	char d[24], w[24], n[24];
	snprintf(d, sizeof(d), "%lu", depth);
	snprintf(w, sizeof(w), "%lu", width);
	snprintf(n, sizeof(n), "%lu", code);
	const char *tree[] = { "bin/t6", "tree", d, w, "1024", NULL };
	long pid = run(pm_ep, tree, 1024);
	printf("proc: a tree of depth %lu, %lu children a node: the root's child %ld ended "
	       "with %ld\n", depth, width, pid, wait_for(pm_ep, pid));
	const char *exits[] = { "bin/t6", "exit", n, NULL };
	pid = run(pm_ep, exits, 0);
	printf("proc: a child that exits with %lu: wait says %ld\n", code, wait_for(pm_ep, pid));
	long status;
	printf("proc: waiting for it again -> %ld; for pid 999 -> %ld\n",
	       pm_wait(pm_ep, pid, &status), pm_wait(pm_ep, 999, &status));
}

/* argv arrives intact: seeded words, as hex strings of seeded lengths. */
UTEST(proc_argv)
{
	struct challenge c = utest_challenge(bi);
	unsigned long count = challenge_range(&c, 1, 6);
	static char words[6][24];
	const char *argv[10] = { "bin/t6", "argv" };
	for (unsigned long i = 0; i < count; i++) {
		unsigned long v = challenge_next(&c), len = challenge_range(&c, 1, 16);
		snprintf(words[i], sizeof(words[i]), "%lx", v);
		words[i][len] = 0;
		argv[2 + i] = words[i];
	}
	argv[2 + count] = NULL;
	long pm_ep = start_pm(bi);
	long pid = run(pm_ep, argv, 0);
	printf("proc: the argv child ended with %ld\n", wait_for(pm_ep, pid));
	const char *missing[] = { "bin/nothing", NULL };
	const char *empty[] = { NULL };
	printf("proc: spawning a path the bootfs lacks -> %ld; no argv at all -> %ld\n",
	       pm_spawn(pm_ep, missing, 0, NULL, NULL, 0),
	       pm_spawn(pm_ep, empty, 0, NULL, NULL, 0));
}

/* Kill: a child running, one blocked in IPC, one with a thread blocked in a page fault,
 * one that spawned a child of its own (which must die with it). */
UTEST(proc_kill)
{
	struct challenge c = utest_challenge(bi);
	unsigned long page = challenge_range(&c, 0x10000, 0x20000);
	char addr[24], words[4][24];
	snprintf(addr, sizeof(addr), "%lu", page);
	for (unsigned i = 0; i < 4; i++)
		snprintf(words[i], sizeof(words[i]), "%lx", challenge_next(&c));
	long pm_ep = start_pm(bi);
	static const char *const roles[4] = { "spin", "block-ipc", "block-fault", "spawn-block" };
	struct counts before = { 0 };
	long pid = 0;
	/* Every role once first, so the pools, the pm's pool and the program's shared
	 * pages have grown once; then again, counted. */
	for (unsigned round = 0; round < 2; round++) {
		if (round == 1)
			before = counts(bi);
		for (unsigned i = 0; i < 4; i++) {
			const char *argv[] = { "bin/t6", roles[i], addr, round ? words[i] : "-",
					       NULL };
			pid = run(pm_ep, argv, i == 3 ? 256 : 0);
			utest_sleep_ticks(2);   /* it runs, blocks, faults, or spawns */
			long r = pm_kill(pm_ep, pid), status = wait_for(pm_ep, pid);
			if (round == 1)
				printf("proc: killing the %s child -> %ld, then wait -> %ld\n",
				       roles[i], r, status);
		}
	}
	long status;
	printf("proc: killing it again -> %ld; waiting again -> %ld\n", pm_kill(pm_ep, pid),
	       pm_wait(pm_ep, pid, &status));
	struct pm_ps_entry ps[8];
	long n = pm_ps(pm_ep, 0, ps, 8);
	printf("proc: ps lists %ld process(es):", n);
	for (long i = 0; i < n; i++)
		printf(" %ld (parent %ld, state %lu)", ps[i].pid, ps[i].parent, ps[i].state);
	printf("\n");
	struct counts after = counts(bi);
	print_deltas("kill", &before, &after);
}

/* 200 processes spawned and ended (half exit with a seeded status, half are killed
 * while they spin): every count is where it was after the first. */
UTEST(proc_reclaim_200)
{
	struct challenge c = utest_challenge(bi);
	long pm_ep = start_pm(bi);
	struct counts before = { 0 };
	unsigned long h = DIGEST_START;
	/* Two first, one of each kind, so that every pool has grown once; then 200. */
	for (unsigned long i = 0; i < 202; i++) {
		if (i == 2)
			before = counts(bi);
		long pid, status;
		if (i % 2) {
			char n[24];
			snprintf(n, sizeof(n), "%lu", challenge_range(&c, 0, 255));
			const char *argv[] = { "bin/t6", "exit", n, NULL };
			pid = run(pm_ep, argv, 0);
		} else {
			const char *argv[] = { "bin/t6", "spin", NULL };
			pid = run(pm_ep, argv, 0);
			utest_sleep_ticks(1);
			UCHECK_EQ(pm_kill(pm_ep, pid), 0);
		}
		status = wait_for(pm_ep, pid);
		if (i >= 2)
			h = digest_add(h, (unsigned long)status);
	}
	struct counts after = counts(bi);
	printf("reclaim: 200 processes ended; their statuses: digest %lx\n", h);
	print_deltas("reclaim", &before, &after);
	printf("spawn_kill_free_frames_delta=%ld\n",
	       (long)(after.k.free_frames - before.k.free_frames));
}

/* A fork bomb: it spawns itself until its account is full; the rest goes on. */
UTEST(proc_fork_bomb)
{
	struct challenge c = utest_challenge(bi);
	unsigned long quota = challenge_range(&c, 200, 300), code = challenge_range(&c, 0, 255);
	long pm_ep = start_pm(bi);
	const char *bomb[] = { "bin/t6", "bomb", NULL };
	struct counts before = { 0 };
	/* Twice: the first round grows every pool (and the pm's) to what a round needs. */
	for (unsigned round = 0; round < 2; round++) {
		if (round == 1)
			before = counts(bi);
		long pid = run(pm_ep, bomb, quota);
		utest_sleep_ticks(5);
		struct counts during = counts(bi);
		long other = run_exit(pm_ep, code);
		long killed = pm_kill(pm_ep, pid);      /* first: the wait would never end */
		long status = wait_for(pm_ep, pid);
		if (round == 0)
			continue;
		printf("bomb: a bomb of %lu pages made %s processes, then was stopped\n", quota,
		       during.k.tasks - before.k.tasks > 2 ? "several" : "too few");
		printf("bomb: meanwhile another child exits with %ld\n", other);
		printf("bomb: killing it -> %ld, wait -> %ld\n", killed, status);
	}
	struct counts after = counts(bi);
	print_deltas("bomb", &before, &after);
}

/* A process that writes to its code is ended by the pm with PM_STATUS_FAULT. */
UTEST(proc_fault)
{
	struct challenge c = utest_challenge(bi);
	unsigned long code = challenge_range(&c, 0, 255);
	long pm_ep = start_pm(bi);
	char word[24];
	snprintf(word, sizeof(word), "%lx", challenge_next(&c));
	const char *argv[] = { "bin/t6", "fault", word, NULL };
	const char *why;
	long status = wait_faulting(pm_ep, run(pm_ep, argv, 0), &why);
	printf("fault: the child ended with %ld%s\n", status, why);
	printf("fault: the next child exits with %ld\n", run_exit(pm_ep, code));
}

/* malloc in a process: blocks of seeded sizes over its heap region, freed and grown. */
UTEST(proc_heap)
{
	struct challenge c = utest_challenge(bi);
	unsigned long blocks = challenge_range(&c, 40, 200), x = challenge_range(&c, 1, 1ul << 40);
	char n[24], seed[24];
	snprintf(n, sizeof(n), "%lu", blocks);
	snprintf(seed, sizeof(seed), "%lu", x);
	long pm_ep = start_pm(bi);
	const char *argv[] = { "bin/t6", "heap", n, seed, NULL };
	printf("heap: the child ended with %ld\n", wait_for(pm_ep, run(pm_ep, argv, 0)));
}

/* Every malformed program of the bootfs (bad/, grade/badelf.sh), in a seeded order, is
 * refused, and the pm goes on spawning. */
UTEST(proc_bad_elf)
{
	struct challenge c = utest_challenge(bi);
	static char paths[32][BOOTFS_PATH_MAX];
	struct bootfs fs;
	struct bootfs_entry e;
	UCHECK(bootfs_open(&fs, (const void *)bi->bootfs_start, bi->bootfs_size) == 0);
	unsigned n = 0;
	for (size_t at = 0; n < 32 && bootfs_next(&fs, &at, &e) == 1;)
		if (e.type == BOOTFS_FILE && strncmp(e.path, "bad/", 4) == 0)
			memcpy(paths[n++], e.path, sizeof(e.path));
	unsigned order[32];
	for (unsigned i = 0; i < n; i++)
		order[i] = i;
	for (unsigned i = n - 1; n > 1 && i > 0; i--) {        /* Challenge.shuffled() */
		unsigned j = (unsigned)challenge_range(&c, 0, i), t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	unsigned long code = challenge_range(&c, 0, 255);
	long pm_ep = start_pm(bi);
	for (unsigned i = 0; i < n; i++) {
		const char *argv[] = { paths[order[i]], NULL };
		printf("elf: %s -> %ld\n", paths[order[i]],
		       pm_spawn(pm_ep, argv, 0, NULL, NULL, 0));
	}
	printf("elf: then bin/t6 exits with %ld\n", run_exit(pm_ep, code));
}

/* The name server through processes: a server registers, a client looks it up and
 * calls it; the server is killed, and the pm's death notice frees its name. */
UTEST(proc_names)
{
	struct challenge c = utest_challenge(bi);
	char name[24], key[24], w[2][24];
	snprintf(name, sizeof(name), "svc-%lx", challenge_range(&c, 1, 1ul << 32));
	snprintf(key, sizeof(key), "%lx", challenge_next(&c));
	for (int i = 0; i < 2; i++)
		snprintf(w[i], sizeof(w[i]), "%lx", challenge_next(&c));
	long pm_ep = start_pm(bi);
	const char *serve[] = { "bin/t6", "serve", name, key, NULL };
	long server = run(pm_ep, serve, 0);
	utest_sleep_ticks(2);
	const char *look[] = { "bin/t6", "lookup", name, w[0], NULL };
	printf("names: the client ended with %ld\n", wait_for(pm_ep, run(pm_ep, look, 0)));
	long killed = pm_kill(pm_ep, server);
	printf("names: killing the server -> %ld, wait -> %ld\n", killed, wait_for(pm_ep, server));
	const char *again[] = { "bin/t6", "lookup", name, w[1], NULL };
	printf("names: a client after its death ended with %ld\n",
	       wait_for(pm_ep, run(pm_ep, again, 0)));
	server = run(pm_ep, serve, 0);
	utest_sleep_ticks(2);
	UCHECK(pm_kill(pm_ep, server) == 0 && wait_for(pm_ep, server) == PM_STATUS_KILLED);
}

/* The cost of a process: spawn of the smallest program (bin/t6 exit), its run, its
 * exit, and the wait that returns its status, in guest instructions; the least of a
 * seeded number of rounds, after two that grow the pools and the shared pages. */
UTEST(proc_spawn_cost)
{
	struct challenge c = utest_challenge(bi);
	unsigned long rounds = challenge_range(&c, 8, 16), best = ~0ul, h = DIGEST_START;
	long pm_ep = start_pm(bi);
	for (unsigned long i = 0; i < rounds + 2; i++) {
		char n[24];
		unsigned long code = challenge_range(&c, 0, 255);
		snprintf(n, sizeof(n), "%lu", code);
		const char *argv[] = { "bin/t6", "exit", n, NULL };
		unsigned long t0 = (unsigned long)sys_debug_clock();
		long status = wait_for(pm_ep, run(pm_ep, argv, 0));
		unsigned long t = (unsigned long)sys_debug_clock() - t0;
		if (i >= 2 && t < best)
			best = t;
		h = digest_add(h, (unsigned long)status);
	}
	printf("spawn: %lu rounds, their statuses: digest %lx\n", rounds + 2, h);
	printf("spawn_exit_wait=%lu\n", best);
}

/* A process's own thread, started by thread_spawn, gets the pm as its pager (the
 * libc's start sets thread_default_pager): its stack's pages fault in as the main
 * thread's do. A kit self-test (grade/selftest.py). */
UTEST(proc_thread_stack)
{
	long pm_ep = start_pm(bi);
	const char *argv[] = { "bin/t6", "deep-thread", NULL };
	long pid = run(pm_ep, argv, 0);
	printf("threads: t6 ended with %ld\n", wait_for(pm_ep, pid));
}

/* The shared pages once the instances started have reached their wait (the count
 * the same two ticks running): a fixed sleep would race with their first faults. */
static unsigned long shared_settled(void)
{
	unsigned long s = pm_pages_shared();
	for (int i = 0; i < 50; i++) {
		utest_sleep_ticks(1);
		unsigned long t = pm_pages_shared();
		if (t == s)
			break;
		s = t;
	}
	return s;
}

/* Two instances of one program at once: each has its own data (initialised from the
 * file), and they share the code pages, which the second does not add to. */
UTEST(proc_private_data)
{
	struct challenge c = utest_challenge(bi);
	char w[2][24];
	for (int i = 0; i < 2; i++)
		snprintf(w[i], sizeof(w[i]), "%lx", challenge_next(&c));
	long pm_ep = start_pm(bi);
	const char *first[] = { "bin/t6", "mark", w[0], NULL };
	const char *second[] = { "bin/t6", "mark", w[1], NULL };
	long a = run(pm_ep, first, 0);
	unsigned long shared = shared_settled();
	long b = run(pm_ep, second, 0);
	printf("data: the code is shared: %s\n",
	       shared > 0 && shared_settled() == shared ? "yes" : "no");
	long sa = wait_for(pm_ep, a), sb = wait_for(pm_ep, b);
	printf("data: both ended: %ld %ld\n", sa, sb);
}

/* A process that touches more pages than it may hold ends with PM_STATUS_NOMEM; the
 * pages it had come back. */
UTEST(proc_page_limit)
{
	struct challenge c = utest_challenge(bi);
	char word[24];
	snprintf(word, sizeof(word), "%lx", challenge_next(&c));
	long pm_ep = start_pm(bi);
	UCHECK_EQ(run_exit(pm_ep, 0), 0);
	unsigned long before = pm_pages_in_use();
	const char *argv[] = { "bin/t6", "hog", word, NULL };
	long status = wait_for(pm_ep, run(pm_ep, argv, 0));
	printf("limit: the hog ended with %ld; the pm's pages in use %ld\n", status,
	       (long)(pm_pages_in_use() - before));
}

/* The segment loader's bounds and rights: bin/t6-odd, whose constants and data start
 * mid-page (user/t6/odd.ld), finds its bytes where they belong up to the last byte of
 * its image; a read of the page past the image, and a ret run from the constants or
 * from the heap, each end their process with a fault. */
UTEST(proc_segments)
{
	struct challenge c = utest_challenge(bi);
	char word[24];
	snprintf(word, sizeof(word), "%lx", challenge_next(&c));
	unsigned long code = challenge_range(&c, 0, 255);
	long pm_ep = start_pm(bi);
	const char *odd[] = { "bin/t6-odd", "layout", word, NULL };
	printf("segments: bin/t6-odd ended with %ld\n", wait_for(pm_ep, run(pm_ep, odd, 0)));
	const char *past[] = { "bin/t6", "past-image", word, NULL };
	const char *why[3];
	long status = wait_faulting(pm_ep, run(pm_ep, past, 0), &why[0]);
	printf("segments: the read past the image ended with %ld%s\n", status, why[0]);
	const char *constants[] = { "bin/t6", "exec", "constants", NULL };
	long from_constants = wait_faulting(pm_ep, run(pm_ep, constants, 0), &why[1]);
	const char *heap[] = { "bin/t6", "exec", "heap", NULL };
	long from_heap = wait_faulting(pm_ep, run(pm_ep, heap, 0), &why[2]);
	printf("segments: code from the constants ended with %ld%s, from the heap with %ld%s\n",
	       from_constants, why[1], from_heap, why[2]);
	printf("segments: the next child exits with %ld\n", run_exit(pm_ep, code));
}
