/**
 * @file
 * mapdb_seeded_test.c — lab 5's mapping database (kernel/mapdb.c) on the host, under
 * AddressSanitizer and UBSan, driven by the grader's seed: roots, maps, grants,
 * lookups and budgeted unmaps in a random order over a few tasks and frames.
 *
 * The one thing to know: this file keeps its own account of the trees (which node
 * came from which, where each page is, with which rights) to choose operations that
 * are legal, and prints what mapdb did: the node each call returned, its rights and
 * parent, the nodes an unmap removed, whether the links and the (task, address)
 * index still agree with the account. grade/lab5.py's mapdb_sanitized computes the
 * same lines from the seed (test=mapdb_sanitized nonce=... seed=..., engine/host.py);
 * run alone (`make unit`) it compares with its own account and fails on a difference.
 * A freed node still linked or still indexed is the sanitizer's to report.
 */

#include "host_test.h"
#include <abi/ipc.h>
#include <mapdb.h>
#include <stdint.h>
#include "host_graded.h"

struct task {
	int id;
};

#define PAGE 4096ull
#define TASKS 4                 /* task 0 is sigma0 */
#define FRAMES 6
#define PAGES 12                /* addresses per task */
#define STEPS 400
#define MAX_NODES (STEPS + FRAMES + 1)
#define FRAME_BASE 0x200000ull
#define VA_BASE 0x40000000ull

static struct task tasks[TASKS];

/* The account: node i as the file expects it to be. */
static struct node {
	struct mapping *m;
	int parent;             /* -1: a root */
	int task;
	uint64_t va;
	unsigned rights;
	bool alive;
} nodes[MAX_NODES];
static int made;                /* nodes[0..made) were ever made */
static bool graded;
static unsigned differences;    /* run alone: lines that differ from the account */

/* The account's number of the node at m, or -1: what the lines show of a pointer. */
static int number_of(const struct mapping *m)
{
	for (int i = 0; m && i < made; i++)
		if (nodes[i].alive && nodes[i].m == m)
			return i;
	return -1;
}

static int node_at(int task, uint64_t va)
{
	for (int i = 0; i < made; i++)
		if (nodes[i].alive && nodes[i].task == task && nodes[i].va == va)
			return i;
	return -1;
}

/* The k-th live node (in the order made), counting only roots or non-roots if asked. */
static int pick(struct challenge *c, int roots)  /* roots: 1 only, 0 none, -1 both */
{
	int live = 0;
	for (int i = 0; i < made; i++)
		live += nodes[i].alive && (roots < 0 || (nodes[i].parent < 0) == roots);
	if (live == 0)
		return -1;
	int k = (int)challenge_range(c, 0, (uint64_t)live - 1);
	for (int i = 0; i < made; i++)
		if (nodes[i].alive && (roots < 0 || (nodes[i].parent < 0) == roots) && k-- == 0)
			return i;
	return -1;
}

/* Prints a line; run alone, also compares it with the account's. */
static void say(const char *got, const char *want)
{
	if (graded) {
		printf("%s\n", got);
	} else if (strcmp(got, want) != 0) {
		differences++;
		printf("    got  %s\n    want %s\n", got, want);
	}
}

/* Whether mapdb's links and index agree with the account: every live node found at
 * its page, with its parent, among its parent's children, linked both ways. */
static bool links_agree(void)
{
	for (int i = 0; i < made; i++) {
		const struct node *n = &nodes[i];
		if (!n->alive)
			continue;
		if (mapdb_find(&tasks[n->task], n->va) != n->m)
			return false;
		if (n->m->parent != (n->parent < 0 ? NULL : nodes[n->parent].m))
			return false;
		int children = 0;
		const struct mapping *prev = NULL;
		for (const struct mapping *c = n->m->children; c; prev = c, c = c->next_sibling) {
			if (c->prev_sibling != prev || c->parent != n->m || ++children > made)
				return false;
		}
		for (int j = 0; j < made; j++)
			children -= nodes[j].alive && nodes[j].parent == i;
		if (children != 0)
			return false;
	}
	return true;
}

/* --- unmap: what the callback saw ------------------------------------------------- */

static int removed[MAX_NODES], removed_len;
static bool leaves_first, seen_right;

static void record(struct mapping *m)
{
	int i = number_of(m);
	if (i < 0 || mapdb_find(m->task, m->va) == m || m->task != &tasks[nodes[i].task] ||
	    m->va != nodes[i].va) {
		seen_right = false;     /* not a node of ours, still indexed, or moved */
		return;
	}
	for (int j = 0; j < made; j++)
		if (nodes[j].alive && nodes[j].parent == i)
			leaves_first = false;   /* a child of it is still there */
	nodes[i].alive = false;
	removed[removed_len++] = i;
}

static int by_number(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* --- the steps -------------------------------------------------------------------- */

static void step_root(struct challenge *c, char *got, char *want, size_t n)
{
	unsigned f = (unsigned)challenge_range(c, 0, FRAMES - 1);
	uint64_t pa = FRAME_BASE + f * PAGE;
	int before = node_at(0, pa);
	bool was_made = false;
	struct mapping *m = mapdb_root(&tasks[0], pa, &was_made);
	if (before < 0 && m && was_made) {
		nodes[made] = (struct node){ m, -1, 0, pa, MAP_RIGHTS_ALL, true };
		made++;
	}
	int now = number_of(m);
	snprintf(got, n, "root %u: %s #%d rights %u", f, was_made ? "made" : "found", now,
		 m ? m->rights : 99u);
	snprintf(want, n, "root %u: %s #%d rights %u", f, before < 0 ? "made" : "found",
		 before < 0 ? made - 1 : before, (unsigned)MAP_RIGHTS_ALL);
}

static void step_map(struct challenge *c, char *got, char *want, size_t n)
{
	int p = pick(c, -1);
	int t = (int)challenge_range(c, 1, TASKS - 1);
	uint64_t va = VA_BASE + challenge_range(c, 0, PAGES - 1) * PAGE;
	unsigned rights = (unsigned)challenge_range(c, 0, 3) << 1;
	if (p < 0 || node_at(t, va) >= 0) {
		snprintf(got, n, "map: nothing to do");
		snprintf(want, n, "map: nothing to do");
		return;
	}
	struct mapping *m = mapdb_map(nodes[p].m, &tasks[t], va, rights);
	unsigned want_rights = rights & nodes[p].rights;
	int i = made;
	if (m) {
		nodes[made] = (struct node){ m, p, t, va, want_rights, true };
		made++;
	}
	snprintf(got, n, "map #%d to %d:%lx rights %u: #%d rights %u frame %lx", p, t,
		 (unsigned long)va, rights, m ? number_of(m) : -1, m ? m->rights : 99u,
		 m ? (unsigned long)m->pa : 0ul);
	snprintf(want, n, "map #%d to %d:%lx rights %u: #%d rights %u frame %lx", p, t,
		 (unsigned long)va, rights, i, want_rights, (unsigned long)nodes[p].m->pa);
}

static void step_move(struct challenge *c, char *got, char *want, size_t n)
{
	int i = pick(c, 0);
	int t = (int)challenge_range(c, 1, TASKS - 1);
	uint64_t va = VA_BASE + challenge_range(c, 0, PAGES - 1) * PAGE;
	if (i < 0 || node_at(t, va) >= 0) {
		snprintf(got, n, "grant: nothing to do");
		snprintf(want, n, "grant: nothing to do");
		return;
	}
	int old_task = nodes[i].task;
	uint64_t old_va = nodes[i].va;
	mapdb_move(nodes[i].m, &tasks[t], va);
	nodes[i].task = t;
	nodes[i].va = va;
	snprintf(got, n, "grant #%d to %d:%lx: found #%d there, #%d at the old page", i, t,
		 (unsigned long)va, number_of(mapdb_find(&tasks[t], va)),
		 number_of(mapdb_find(&tasks[old_task], old_va)));
	snprintf(want, n, "grant #%d to %d:%lx: found #%d there, #%d at the old page", i, t,
		 (unsigned long)va, i, -1);
}

static void step_unmap(struct challenge *c, char *got, char *want, size_t n)
{
	int i = pick(c, -1);
	bool self = challenge_next(c) & 1;
	unsigned budget = (unsigned)challenge_range(c, 1, 5);
	if (i < 0) {
		snprintf(got, n, "unmap: nothing to do");
		snprintf(want, n, "unmap: nothing to do");
		return;
	}
	/* The account's answer first: i's descendants, and i if self. */
	static int expect[MAX_NODES];
	int expected = 0;
	for (int j = 0; j < made; j++) {
		int a = j;
		while (a >= 0 && a != i)
			a = nodes[a].parent;
		if (nodes[j].alive && a == i && (j != i || self))
			expect[expected++] = j;
	}
	removed_len = 0;
	leaves_first = seen_right = true;
	bool budget_kept = true, done = false;
	struct mapping *m = nodes[i].m;
	for (int call = 0; !done && call <= MAX_NODES; call++) {
		unsigned left = budget;
		int before = removed_len;
		done = mapdb_unmap(m, self, &left, record);
		int used = removed_len - before;
		/* A call stops early only when its budget is used up, and counts each node. */
		if ((!done && left != 0) || used != (int)(budget - left))
			budget_kept = false;
	}
	qsort(removed, (size_t)removed_len, sizeof(int), by_number);
	char list[2][1200];
	for (int k = 0; k < 2; k++) {
		const int *v = k ? expect : removed;
		int len = k ? expected : removed_len, at = 0;
		list[k][0] = 0;
		for (int j = 0; j < len && at < (int)sizeof(list[k]) - 8; j++)
			at += snprintf(list[k] + at, sizeof(list[k]) - at, " #%d", v[j]);
	}
	snprintf(got, n, "unmap #%d%s budget %u: %s%s, %s, %s, removed%s", i,
		 self ? " and itself" : "", budget, done ? "done" : "never done",
		 budget_kept ? "" : " (budget broken)", leaves_first ? "leaves first" :
		 "a parent before its child", seen_right ? "each out of the index" :
		 "one still indexed or not ours", list[0]);
	snprintf(want, n, "unmap #%d%s budget %u: done, leaves first, each out of the "
		 "index, removed%s", i, self ? " and itself" : "", budget, list[1]);
}

static void step_find(struct challenge *c, char *got, char *want, size_t n)
{
	int t = (int)challenge_range(c, 0, TASKS - 1);
	uint64_t va = t ? VA_BASE + challenge_range(c, 0, PAGES - 1) * PAGE
			: FRAME_BASE + challenge_range(c, 0, FRAMES - 1) * PAGE;
	snprintf(got, n, "find %d:%lx: #%d", t, (unsigned long)va,
		 number_of(mapdb_find(&tasks[t], va)));
	snprintf(want, n, "find %d:%lx: #%d", t, (unsigned long)va, node_at(t, va));
}

int main(int argc, char **argv)
{
	static char got[2048], want[2048];
	struct host_run run = host_run_start(argc, argv);
	struct challenge c = run.challenge;

	graded = run.graded;
	for (int i = 0; i < TASKS; i++)
		tasks[i].id = i;

	for (int s = 0; s < STEPS; s++) {
		unsigned op = (unsigned)challenge_range(&c, 0, 9);
		if (op <= 1)
			step_root(&c, got, want, sizeof(got));
		else if (op <= 4)
			step_map(&c, got, want, sizeof(got));
		else if (op == 5)
			step_move(&c, got, want, sizeof(got));
		else if (op <= 7)
			step_unmap(&c, got, want, sizeof(got));
		else
			step_find(&c, got, want, sizeof(got));
		say(got, want);
		int live = 0;
		for (int i = 0; i < made; i++)
			live += nodes[i].alive;
		snprintf(got, sizeof(got), "  count %lu, %s", mapdb_count(),
			 links_agree() ? "links agree" : "links broken");
		snprintf(want, sizeof(want), "  count %d, links agree", live);
		say(got, want);
	}
	/* Everything back: every root and its tree, and nothing left in kmem. */
	for (int i = 0; i < made; i++) {
		if (nodes[i].alive && nodes[i].parent < 0) {
			unsigned budget = ~0u;
			leaves_first = seen_right = true;
			removed_len = 0;
			mapdb_unmap(nodes[i].m, true, &budget, record);
		}
	}
	snprintf(got, sizeof(got), "end: count %lu, %lu objects held", mapdb_count(),
		 live_objects());
	say(got, "end: count 0, 0 objects held");
	if (!graded)
		printf("mapdb_seeded: %d steps, %u lines differ from the account\n", STEPS,
		       differences);
	return host_run_end(&run, differences == 0);
}
