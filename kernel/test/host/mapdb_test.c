/**
 * @file
 * mapdb_test.c — host unit tests of the mapping database (kernel/mapdb.c).
 *
 * The one thing to know: mapdb.c is compiled unchanged for the host, beside
 * host_test.h's counted kmem and a struct task of this file's own, which mapdb only
 * compares by address. The database is one global, so each group works on frames and
 * addresses no other group used, measures counts from where it started, and removes
 * what it made; after each, mapdb's count must equal the objects kmem holds.
 *
 *     make unit                                 build and run every host unit test
 *     build/host/mapdb_test [group...]          run some groups alone
 *
 * The kernel build leaves kernel/test/host/ out: these files are for the host only.
 */

#include "host_test.h"
#include <mapdb.h>
#include <abi/ipc.h>
#include <stdint.h>

/* mapdb never looks inside a task: any object with an address will do. */
struct task {
	int id;
};

#define PAGE 4096ull

/* --- what unmap removed, in order ------------------------------------------------- */

struct removal {
	uintptr_t node;                 /* compared, never followed: it is freed by now */
	const struct task *task;        /* what the callback saw: the page to clear */
	uint64_t va;
};

static struct removal *removals;        /* of the last unmap() */
static size_t removals_len, removals_cap;
static uintptr_t frame_low, frame_high; /* the callback's stack frames, lowest and highest */

static void record_removal(struct mapping *m)
{
	uintptr_t frame = (uintptr_t)__builtin_frame_address(0);
	if (removals_len == 0 || frame < frame_low)
		frame_low = frame;
	if (removals_len == 0 || frame > frame_high)
		frame_high = frame;
	if (removals_len == removals_cap) {
		removals_cap = removals_cap ? 2 * removals_cap : 64;
		removals = realloc(removals, removals_cap * sizeof *removals);
		if (!removals) {
			fprintf(stderr, "mapdb_test: out of host memory\n");
			exit(2);
		}
	}
	removals[removals_len++] = (struct removal){ (uintptr_t)m, m->task, m->va };
}

/* An unmap with a budget it cannot use up: it must finish in one call. */
static unsigned unmap(struct mapping *m, bool self)
{
	unsigned budget = ~0u;
	removals_len = 0;
	bool done = mapdb_unmap(m, self, &budget, record_removal);
	CHECK(done);
	return ~0u - budget;
}

/* Where m was removed in the last unmap() (0: first); -1 if it was not, -2 if twice. */
static long removed_at(const struct mapping *m)
{
	long at = -1;
	for (size_t i = 0; i < removals_len; i++) {
		if (removals[i].node != (uintptr_t)m)
			continue;
		if (at != -1)
			return -2;
		at = (long)i;
	}
	return at;
}

/* Whether the last unmap() removed m, once, while it was still task's page at va. */
static bool removed_as(const struct mapping *m, const struct task *task, uint64_t va)
{
	long at = removed_at(m);
	return at >= 0 && removals[at].task == task && removals[at].va == va;
}

/* --- frames, addresses, tasks and trees ------------------------------------------- */

static struct task sigma0 = { 0 };
static struct task task_a = { 1 }, task_b = { 2 }, task_c = { 3 }, task_d = { 4 };
static uint64_t next_pa = 0x100000, next_va = 0x40000000;

static uint64_t fresh_pa(void)
{
	return next_pa += PAGE;
}

static uint64_t fresh_va(void)
{
	return next_va += PAGE;
}

/* sigma0's node of a frame no group has used yet; NULL if it was not made. */
static struct mapping *fresh_root(void)
{
	bool made = false;
	struct mapping *root = mapdb_root(&sigma0, fresh_pa(), &made);
	return made ? root : NULL;
}

static struct mapping *map(struct mapping *parent, struct task *task)
{
	return mapdb_map(parent, task, fresh_va(), MAP_RIGHTS_ALL);
}

static unsigned children(const struct mapping *m)
{
	unsigned n = 0;
	for (const struct mapping *c = m->children; c; c = c->next_sibling)
		n++;
	return n;
}

/*
 * The nodes of the tree under root (root included), counted along the links without
 * recursion (one test tree is 100,000 deep); -1 if a link is wrong: a child whose
 * parent or prev_sibling does not match, a node mapdb_find does not return, a child
 * with another frame or with rights its parent lacks, or a cycle.
 */
static long tree_size(const struct mapping *root)
{
	long n = 0;
	const struct mapping *m = root;
	for (;;) {
		if (++n > 10000000 || mapdb_find(m->task, m->va) != m)
			return -1;
		const struct mapping *prev = NULL;
		for (const struct mapping *c = m->children; c; prev = c, c = c->next_sibling)
			if (c->parent != m || c->prev_sibling != prev || c->pa != m->pa ||
			    (c->rights & ~m->rights))
				return -1;
		if (m->children) {
			m = m->children;
			continue;
		}
		while (m != root && !m->next_sibling)
			m = m->parent;
		if (m == root)
			return n;
		m = m->next_sibling;
	}
}

/* --- the groups ------------------------------------------------------------------- */

static void root_is_made_once_and_found(void)
{
	unsigned long count = mapdb_count();
	uint64_t pa = fresh_pa();
	bool made = false;
	struct mapping *root = mapdb_root(&sigma0, pa, &made);
	REQUIRE(root != NULL);
	CHECK(made);
	CHECK(root->task == &sigma0 && root->va == pa && root->pa == pa);
	CHECK(!root->parent && !root->children);
	CHECK((root->rights & MAP_RIGHTS_ALL) == MAP_RIGHTS_ALL);
	CHECK(mapdb_find(&sigma0, pa) == root);
	CHECK(mapdb_find(&sigma0, pa + PAGE) == NULL);
	CHECK(mapdb_find(&task_a, pa) == NULL);
	CHECK(mapdb_count() == count + 1);
	CHECK(mapdb_root(&sigma0, pa, &made) == root && !made);
	CHECK(mapdb_count() == count + 1);
	CHECK(unmap(root, true) == 1 && removed_as(root, &sigma0, pa));
	CHECK(mapdb_find(&sigma0, pa) == NULL);
	CHECK(mapdb_count() == count);
}

static void map_is_found_by_task_and_address(void)
{
	struct mapping *root = fresh_root();
	REQUIRE(root != NULL);
	unsigned long count = mapdb_count(), objects = live_objects();
	uint64_t va = fresh_va(), vb = fresh_va();
	struct mapping *a = mapdb_map(root, &task_a, va, MAP_RIGHTS_ALL);
	REQUIRE(a != NULL);
	CHECK(mapdb_find(&task_a, va) == a);
	CHECK(a->task == &task_a && a->va == va && a->pa == root->pa);
	CHECK(a->parent == root && root->children == a && !a->children);
	CHECK(mapdb_find(&task_a, va + PAGE) == NULL);
	CHECK(mapdb_find(&task_b, va) == NULL);
	CHECK(mapdb_find(&sigma0, va) == NULL);
	CHECK(mapdb_find(&sigma0, root->pa) == root);
	/* mapped on, into a second task at another address */
	struct mapping *b = mapdb_map(a, &task_b, vb, MAP_RIGHTS_ALL);
	REQUIRE(b != NULL);
	CHECK(mapdb_find(&task_b, vb) == b && mapdb_find(&task_a, va) == a);
	CHECK(mapdb_find(&task_b, va) == NULL && mapdb_find(&task_a, vb) == NULL);
	CHECK(b->pa == root->pa && b->parent == a && a->children == b);
	CHECK(mapdb_count() == count + 2 && live_objects() == objects + 2);
	CHECK(tree_size(root) == 3);
	CHECK(unmap(root, true) == 3);
	CHECK(mapdb_count() == count - 1);
}

static void map_gives_at_most_the_parents_rights(void)
{
	struct mapping *root = fresh_root();
	REQUIRE(root != NULL);
	struct mapping *rw = mapdb_map(root, &task_a, fresh_va(), MAP_WRITE);
	REQUIRE(rw != NULL);
	CHECK(rw->rights == MAP_WRITE);
	struct mapping *asked_all = mapdb_map(rw, &task_b, fresh_va(), MAP_RIGHTS_ALL);
	struct mapping *asked_exec = mapdb_map(rw, &task_c, fresh_va(), MAP_EXEC);
	REQUIRE(asked_all != NULL && asked_exec != NULL);
	CHECK(asked_all->rights == MAP_WRITE);
	CHECK(asked_exec->rights == 0);
	struct mapping *read_only = mapdb_map(asked_all, &task_c, fresh_va(), 0);
	REQUIRE(read_only != NULL);
	CHECK(read_only->rights == 0);
	struct mapping *below = mapdb_map(read_only, &task_d, fresh_va(), MAP_RIGHTS_ALL);
	REQUIRE(below != NULL);
	CHECK(below->rights == 0);
	struct mapping *all = mapdb_map(root, &task_d, fresh_va(), MAP_RIGHTS_ALL);
	REQUIRE(all != NULL);
	CHECK(all->rights == MAP_RIGHTS_ALL);
	struct mapping *exec = mapdb_map(all, &task_a, fresh_va(), MAP_EXEC);
	REQUIRE(exec != NULL);
	CHECK(exec->rights == MAP_EXEC);
	CHECK(tree_size(root) == 8);
	CHECK(unmap(root, true) == 8);
}

/*
 * The tree:  root ── s1 ── s1c        unmap(a, false) takes b, b2, c, c2:
 *                ├── a ─┬─ b ─┬─ c    a stays, and so do its siblings s1 and s2
 *                │      │     └─ c2   (one made before a, one after) with their
 *                │      └─ b2         children.
 *                └── s2 ── s2c
 */
static void unmap_takes_back_the_subtree_leaves_first(void)
{
	struct mapping *root = fresh_root();
	REQUIRE(root != NULL);
	uint64_t va = fresh_va(), vb = fresh_va(), vb2 = fresh_va();
	uint64_t vc = fresh_va(), vc2 = fresh_va();
	struct mapping *s1 = map(root, &task_d);
	struct mapping *a = mapdb_map(root, &task_a, va, MAP_RIGHTS_ALL);
	struct mapping *s2 = map(root, &task_d);
	REQUIRE(s1 && a && s2);
	struct mapping *s1c = map(s1, &task_c), *s2c = map(s2, &task_c);
	struct mapping *b = mapdb_map(a, &task_b, vb, MAP_RIGHTS_ALL);
	struct mapping *b2 = mapdb_map(a, &task_c, vb2, MAP_RIGHTS_ALL);
	REQUIRE(s1c && s2c && b && b2);
	struct mapping *c = mapdb_map(b, &task_c, vc, MAP_RIGHTS_ALL);
	struct mapping *c2 = mapdb_map(b, &task_d, vc2, MAP_RIGHTS_ALL);
	REQUIRE(c && c2);
	REQUIRE(tree_size(root) == 10);
	unsigned long count = mapdb_count(), objects = live_objects();

	CHECK(unmap(a, false) == 4);
	CHECK(removals_len == 4);
	CHECK(removed_as(b, &task_b, vb) && removed_as(b2, &task_c, vb2));
	CHECK(removed_as(c, &task_c, vc) && removed_as(c2, &task_d, vc2));
	CHECK(removed_at(c) < removed_at(b) && removed_at(c2) < removed_at(b));
	CHECK(removed_at(a) == -1);
	CHECK(removed_at(s1) == -1 && removed_at(s2) == -1);
	CHECK(mapdb_find(&task_b, vb) == NULL && mapdb_find(&task_c, vb2) == NULL);
	CHECK(mapdb_find(&task_c, vc) == NULL && mapdb_find(&task_d, vc2) == NULL);
	CHECK(mapdb_find(&task_a, va) == a && !a->children);
	CHECK(children(root) == 3 && children(s1) == 1 && children(s2) == 1);
	CHECK(tree_size(root) == 6);
	CHECK(mapdb_count() == count - 4 && live_objects() == objects - 4);
	/* nothing left below a */
	CHECK(unmap(a, false) == 0 && removals_len == 0);
	CHECK(mapdb_count() == count - 4);
	CHECK(unmap(root, true) == 6);
}

static void unmap_self_takes_the_node_too(void)
{
	struct mapping *root = fresh_root();
	REQUIRE(root != NULL);
	struct mapping *x[4];
	for (int i = 0; i < 4; i++) {
		x[i] = map(root, &task_a);
		REQUIRE(x[i] != NULL);
		REQUIRE(map(x[i], &task_b) != NULL);
	}
	unsigned long count = mapdb_count();

	/* a chain below one child: removed deepest first, the node itself last */
	uint64_t va = x[0]->va;
	struct mapping *b = map(x[0]->children, &task_c);
	REQUIRE(b != NULL);
	struct mapping *c = map(b, &task_d);
	REQUIRE(c != NULL);
	struct mapping *below = x[0]->children;
	CHECK(unmap(x[0], true) == 4);
	CHECK(removed_at(c) == 0 && removed_at(b) == 1 && removed_at(below) == 2);
	CHECK(removed_as(x[0], &task_a, va) && removed_at(x[0]) == 3);
	CHECK(mapdb_find(&task_a, va) == NULL);
	CHECK(children(root) == 3 && tree_size(root) == 7);
	CHECK(mapdb_count() == count - 2);

	/* out of the sibling list from its middle, its head and its tail */
	REQUIRE(children(root) == 3);
	struct mapping *middle = root->children->next_sibling;
	CHECK(unmap(middle, true) == 2 && removed_at(middle) == 1);
	REQUIRE(children(root) == 2);
	CHECK(tree_size(root) == 5);
	struct mapping *head = root->children;
	CHECK(unmap(head, true) == 2 && removed_at(head) == 1);
	REQUIRE(children(root) == 1);
	CHECK(tree_size(root) == 3);
	struct mapping *tail = root->children;
	CHECK(unmap(tail, true) == 2 && removed_at(tail) == 1);
	CHECK(!root->children && tree_size(root) == 1);
	CHECK(mapdb_count() == count - 8);
	CHECK(unmap(root, true) == 1);
}

static void unmap_of_a_leaf(void)
{
	struct mapping *root = fresh_root();
	REQUIRE(root != NULL);
	struct mapping *a = map(root, &task_a);
	REQUIRE(a != NULL);
	uint64_t va = fresh_va();
	struct mapping *leaf = mapdb_map(a, &task_b, va, MAP_WRITE);
	struct mapping *other = map(a, &task_c);
	REQUIRE(leaf && other);
	unsigned long count = mapdb_count(), objects = live_objects();

	CHECK(unmap(leaf, false) == 0 && removals_len == 0);
	CHECK(mapdb_find(&task_b, va) == leaf && mapdb_count() == count);
	CHECK(unmap(leaf, true) == 1 && removals_len == 1 && removed_as(leaf, &task_b, va));
	CHECK(mapdb_find(&task_b, va) == NULL);
	CHECK(a->children == other && !other->next_sibling && !other->prev_sibling);
	CHECK(tree_size(root) == 3);
	CHECK(mapdb_count() == count - 1 && live_objects() == objects - 1);
	CHECK(unmap(root, true) == 3);
}

#define DEEP 100000

/* sigma0 → 1 → 2 → ... → DEEP: a recursive unmap would need megabytes of stack. */
static void a_deep_chain_unmaps_without_recursion(void)
{
	static struct task deep = { 5 };
	struct mapping *root = fresh_root();
	REQUIRE(root != NULL);
	unsigned long count = mapdb_count();
	uint64_t base = next_va + PAGE;
	next_va += DEEP * PAGE;
	struct mapping *m = root, *top = NULL;
	long made = 0;
	for (; made < DEEP; made++) {
		m = mapdb_map(m, &deep, base + (uint64_t)made * PAGE, MAP_RIGHTS_ALL);
		if (!m)
			break;
		if (!top)
			top = m;
	}
	REQUIRE(made == DEEP);
	CHECK(mapdb_count() == count + DEEP);
	CHECK(tree_size(root) == DEEP + 1);

	CHECK(unmap(top, false) == DEEP - 1);
	bool deepest_first = removals_len == DEEP - 1;
	for (size_t i = 0; deepest_first && i < removals_len; i++)
		deepest_first = removals[i].va == base + (DEEP - 1 - i) * PAGE;
	CHECK(deepest_first);
	/* the callback ran at one stack depth each time: no frame per level */
	CHECK(frame_high - frame_low < 64 * 1024);
	CHECK(mapdb_find(&deep, base) == top && !top->children);
	CHECK(mapdb_find(&deep, base + PAGE) == NULL);
	CHECK(mapdb_find(&deep, base + (DEEP - 1) * PAGE) == NULL);
	CHECK(mapdb_count() == count + 1);
	CHECK(unmap(root, true) == 2);
}

/*
 * root → a → b → {c, c2}, and a → sib. Granting b moves the node: b's old name is gone,
 * its new one finds the same node, and parent, children and count do not change.
 */
#define WIDE 100
#define STEP 7

/*
 * A budget of STEP stops each call after STEP removals, and the next call goes on: a
 * root with WIDE children, each with a child, comes down in ceil(2 WIDE / STEP) calls,
 * leaves first, no node twice, the rest still findable in between.
 */
static void a_budget_stops_unmap_and_the_next_call_goes_on(void)
{
	static struct task wide = { 9 };
	struct mapping *root = fresh_root();
	REQUIRE(root != NULL);
	unsigned long count = mapdb_count();
	uint64_t base = next_va + PAGE;
	next_va += 2 * WIDE * PAGE;
	struct mapping *kids[WIDE];
	for (int i = 0; i < WIDE; i++) {
		kids[i] = mapdb_map(root, &wide, base + (uint64_t)i * PAGE, MAP_RIGHTS_ALL);
		REQUIRE(kids[i] != NULL);
		REQUIRE(mapdb_map(kids[i], &wide, base + (uint64_t)(WIDE + i) * PAGE,
				  MAP_RIGHTS_ALL) != NULL);
	}
	int calls = 0;
	unsigned long removed = 0;
	bool done = false, each_within = true, leaves_first = true, findable = true;
	while (!done && calls < 2 * WIDE) {
		unsigned budget = STEP;
		removals_len = 0;
		done = mapdb_unmap(root, false, &budget, record_removal);
		calls++;
		removed += STEP - budget;
		each_within = each_within && removals_len == STEP - budget &&
			      (done || budget == 0);
		/* a child goes only after its own child */
		for (size_t i = 0; i < removals_len; i++)
			if (removals[i].va < base + WIDE * PAGE)
				leaves_first = leaves_first &&
					mapdb_find(&wide, removals[i].va + WIDE * PAGE) == NULL;
		/* what is left is whole: every child not removed yet is still found */
		for (int i = 0; i < WIDE && !done; i++) {
			struct mapping *k = mapdb_find(&wide, base + (uint64_t)i * PAGE);
			findable = findable && (!k || (k == kids[i] && k->parent == root));
		}
	}
	CHECK(done);
	CHECK(calls == (2 * WIDE + STEP - 1) / STEP);
	CHECK(removed == 2 * WIDE);
	CHECK(each_within);
	CHECK(leaves_first);
	CHECK(findable);
	CHECK(!root->children && mapdb_count() == count);
	unsigned none = 0;
	CHECK(mapdb_unmap(root, false, &none, record_removal));   /* nothing left to do */
	CHECK(unmap(root, true) == 1);
}

static void grant_moves_the_node_with_its_tree(void)
{
	struct mapping *root = fresh_root();
	REQUIRE(root != NULL);
	struct mapping *a = map(root, &task_a);
	REQUIRE(a != NULL);
	uint64_t vb = fresh_va();
	struct mapping *b = mapdb_map(a, &task_b, vb, MAP_WRITE);
	struct mapping *sib = map(a, &task_c);
	REQUIRE(b && sib);
	struct mapping *c = map(b, &task_c), *c2 = map(b, &task_d);
	REQUIRE(c && c2);
	unsigned long count = mapdb_count(), objects = live_objects();

	uint64_t vd = fresh_va();
	mapdb_move(b, &task_d, vd);
	CHECK(mapdb_find(&task_b, vb) == NULL);
	CHECK(mapdb_find(&task_d, vd) == b);
	CHECK(b->task == &task_d && b->va == vd && b->pa == root->pa && b->rights == MAP_WRITE);
	CHECK(b->parent == a && c->parent == b && c2->parent == b && children(b) == 2);
	CHECK(children(a) == 2);
	CHECK(tree_size(root) == 6);
	CHECK(mapdb_count() == count && live_objects() == objects);

	/* on within one task, then back to where it started */
	uint64_t vd2 = fresh_va();
	mapdb_move(b, &task_d, vd2);
	CHECK(mapdb_find(&task_d, vd) == NULL && mapdb_find(&task_d, vd2) == b);
	mapdb_move(b, &task_b, vb);
	CHECK(mapdb_find(&task_d, vd2) == NULL && mapdb_find(&task_b, vb) == b);
	CHECK(tree_size(root) == 6);

	/* a leaf granted too: the parent's unmap finds moved nodes, by their new names */
	uint64_t vc = fresh_va();
	mapdb_move(c, &task_a, vc);
	mapdb_move(b, &task_d, vd);
	CHECK(tree_size(root) == 6);
	CHECK(unmap(a, false) == 4);
	CHECK(removed_as(b, &task_d, vd) && removed_as(c, &task_a, vc));
	CHECK(removed_at(c) < removed_at(b) && removed_at(c2) < removed_at(b));
	CHECK(mapdb_find(&task_d, vd) == NULL && mapdb_find(&task_a, vc) == NULL);
	CHECK(mapdb_count() == count - 4 && live_objects() == objects - 4);
	CHECK(unmap(root, true) == 2);
}

#define TASKS 4096

/*
 * More nodes than the index has buckets, so chains are long whatever the hash: 4,096
 * tasks with a page at one address, then one task with pages whose addresses differ
 * only in high bits. Removals and grants then take nodes from every place in a chain.
 */
static void many_tasks_and_crowded_buckets(void)
{
	static struct task tasks[TASKS];
	static struct mapping *nodes[TASKS];
	struct mapping *root = fresh_root();
	REQUIRE(root != NULL);
	unsigned long count = mapdb_count();
	uint64_t va = fresh_va(), moved_to = fresh_va();
	int made = 0;
	for (; made < TASKS; made++) {
		tasks[made].id = 100 + made;
		nodes[made] = mapdb_map(root, &tasks[made], va, MAP_WRITE);
		if (!nodes[made])
			break;
	}
	REQUIRE(made == TASKS);
	bool found = true;
	for (int i = 0; i < TASKS; i++)
		found = found && mapdb_find(&tasks[i], va) == nodes[i];
	CHECK(found);
	CHECK(mapdb_find(&tasks[0], moved_to) == NULL && mapdb_find(&sigma0, va) == NULL);

	/* every third node goes; every fifth of the others moves to another address */
	unsigned removed = 0, expect_removed = 0;
	for (int i = 0; i < TASKS; i += 3) {
		removed += unmap(nodes[i], true);
		expect_removed++;
		nodes[i] = NULL;
	}
	CHECK(removed == expect_removed);
	for (int i = 0; i < TASKS; i += 5)
		if (nodes[i])
			mapdb_move(nodes[i], &tasks[i], moved_to);
	bool right = true;
	for (int i = 0; i < TASKS; i++) {
		bool moved = nodes[i] && i % 5 == 0;
		right = right && mapdb_find(&tasks[i], va) == (moved ? NULL : nodes[i]) &&
			mapdb_find(&tasks[i], moved_to) == (moved ? nodes[i] : NULL);
	}
	CHECK(right);
	CHECK(tree_size(root) == 1 + TASKS - expect_removed);
	CHECK(mapdb_count() == count + TASKS - expect_removed);

	/* one task, 256 pages 4 TiB apart */
	uint64_t high = fresh_va();
	bool all_made = true;
	for (uint64_t k = 0; k < 256; k++)
		all_made = all_made && mapdb_map(root, &task_a, high + (k << 42), 0);
	REQUIRE(all_made);
	bool distinct = true;
	for (uint64_t k = 0; k < 256; k++) {
		struct mapping *m = mapdb_find(&task_a, high + (k << 42));
		distinct = distinct && m && m->va == high + (k << 42) && m->task == &task_a;
	}
	CHECK(distinct);
	CHECK(mapdb_find(&task_b, high) == NULL && mapdb_find(&task_a, high + PAGE) == NULL);
	CHECK(unmap(root, false) == TASKS - expect_removed + 256);
	CHECK(mapdb_count() == count);
	CHECK(unmap(root, true) == 1);
}

static void out_of_memory_changes_nothing(void)
{
	struct mapping *root = fresh_root();
	REQUIRE(root != NULL);
	struct mapping *a = map(root, &task_a);
	REQUIRE(a != NULL);
	struct mapping *b = map(a, &task_b);
	REQUIRE(b != NULL);
	unsigned long count = mapdb_count(), objects = live_objects();

	allocations_left = 0;
	uint64_t vc = fresh_va(), pa = fresh_pa();
	CHECK(mapdb_map(a, &task_c, vc, MAP_WRITE) == NULL);
	CHECK(mapdb_find(&task_c, vc) == NULL);
	CHECK(a->children == b && !b->next_sibling && !b->prev_sibling);
	CHECK(tree_size(root) == 3);
	CHECK(mapdb_count() == count && live_objects() == objects);
	bool made = true;
	CHECK(mapdb_root(&sigma0, pa, &made) == NULL && !made);
	CHECK(mapdb_find(&sigma0, pa) == NULL);
	CHECK(mapdb_count() == count && live_objects() == objects);

	/* memory runs out in the middle of a run of maps */
	allocations_left = 2;
	uint64_t v1 = fresh_va(), v2 = fresh_va(), v3 = fresh_va();
	struct mapping *m1 = mapdb_map(b, &task_c, v1, 0);
	struct mapping *m2 = mapdb_map(b, &task_d, v2, 0);
	struct mapping *m3 = mapdb_map(b, &task_a, v3, 0);
	CHECK(m1 && m2 && !m3);
	CHECK(mapdb_find(&task_a, v3) == NULL);
	CHECK(children(b) == 2 && tree_size(root) == 5);
	CHECK(mapdb_count() == count + 2 && live_objects() == objects + 2);

	/* and with memory back, the same map works */
	allocations_left = -1;
	m3 = mapdb_map(b, &task_a, v3, 0);
	CHECK(m3 && mapdb_find(&task_a, v3) == m3);
	CHECK(unmap(root, true) == 6);
}

/* Three frames, a fan of chains under each; the count is checked after every step. */
static void count_is_exact_through_map_grant_and_unmap(void)
{
	struct task *tasks[] = { &task_a, &task_b, &task_c, &task_d };
	unsigned long start = mapdb_count(), objects = live_objects(), expect = start;
	struct mapping *roots[3], *fans[3][10];
	bool exact = true;
	for (int r = 0; r < 3; r++) {
		roots[r] = fresh_root();
		REQUIRE(roots[r] != NULL);
		exact = exact && mapdb_count() == ++expect;
		for (int i = 0; i < 10; i++) {
			struct mapping *m = fans[r][i] = map(roots[r], tasks[i % 4]);
			for (int j = 0; m && j < 3; j++) {
				exact = exact && mapdb_count() == ++expect;
				m = map(m, tasks[j]);
			}
			REQUIRE(m != NULL);
			exact = exact && mapdb_count() == ++expect;
		}
	}
	CHECK(exact);
	CHECK(mapdb_count() == start + 3 * 41 && live_objects() == objects + 3 * 41);

	/* grants change no count */
	for (int r = 0; r < 3; r++)
		mapdb_move(fans[r][r]->children, &task_d, fresh_va());
	CHECK(mapdb_count() == expect);

	/* whole fan blades, then parts of them */
	for (int r = 0; r < 3; r++) {
		unsigned removed = unmap(fans[r][0], true) + unmap(fans[r][1]->children, false);
		CHECK(removed == 4 + 2);
		expect -= removed;
		CHECK(mapdb_count() == expect);
		CHECK(tree_size(roots[r]) == 41 - 6);
	}
	for (int r = 0; r < 3; r++)
		CHECK(unmap(roots[r], false) == 41 - 6 - 1);
	CHECK(mapdb_count() == start + 3);
	for (int r = 0; r < 3; r++)
		CHECK(unmap(roots[r], true) == 1);
	CHECK(mapdb_count() == start && live_objects() == objects);
}

/* Every group removed what it made: nothing is left, and every node was freed once. */
static void nothing_is_left_at_the_end(void)
{
	CHECK(mapdb_count() == 0);
	CHECK(live_objects() == 0);
	CHECK(bad_frees == 0);
}

/* --- running them ----------------------------------------------------------------- */

static const struct host_group groups[] = {
	GROUP(root_is_made_once_and_found),
	GROUP(map_is_found_by_task_and_address),
	GROUP(map_gives_at_most_the_parents_rights),
	GROUP(unmap_takes_back_the_subtree_leaves_first),
	GROUP(unmap_self_takes_the_node_too),
	GROUP(unmap_of_a_leaf),
	GROUP(a_deep_chain_unmaps_without_recursion),
	GROUP(a_budget_stops_unmap_and_the_next_call_goes_on),
	GROUP(grant_moves_the_node_with_its_tree),
	GROUP(many_tasks_and_crowded_buckets),
	GROUP(out_of_memory_changes_nothing),
	GROUP(count_is_exact_through_map_grant_and_unmap),
	GROUP(nothing_is_left_at_the_end),
};

/* After every group, however it ended: the count is exactly the nodes kmem holds. */
static void count_matches_kmem(void)
{
	CHECK(mapdb_count() == live_objects());
}

int main(int argc, char **argv)
{
	int status = host_run(groups, sizeof groups / sizeof groups[0], count_matches_kmem,
			      argc, argv);
	free(removals);
	return status;
}
