/**
 * @file
 * mapdb.c — the mapping database's trees and its (task, address) index.
 *
 * The one thing to know: a node is in two structures at once — its frame's tree
 * (parent, children, siblings: what unmap walks) and a hash chain keyed by
 * (task, page address: what a map, a grant or a page fault looks up). Every change
 * keeps both in step. This file is host-compiled by the unit tests
 * (kernel/test/host/mapdb_test.c), so it uses nothing but kmem.
 */
#include <kmem.h>
#include <mapdb.h>
#include <stddef.h>
#include <abi/ipc.h>

#define BUCKETS 1024           /* = 2^(64 - 54): see bucket() */

static KMEM_POOL(mapping_pool, struct mapping);
static struct mapping *buckets[BUCKETS];
static unsigned long live;

static struct mapping **bucket(const struct task *task, uint64_t va)
{
	/* Multiply both in, then take the top bits: tasks from one pool frame differ
	 * only in low bits, and the same page address is common to every task. */
	uint64_t key = (((uint64_t)(uintptr_t)task >> 4) ^ (va >> 12)) * 0x9e3779b97f4a7c15ull;
	return &buckets[key >> 54];
}

static void hash_insert(struct mapping *m)
{
	struct mapping **b = bucket(m->task, m->va);
	m->hash_next = *b;
	*b = m;
}

static void hash_remove(struct mapping *m)
{
	struct mapping **p = bucket(m->task, m->va);
	while (*p != m)
		p = &(*p)->hash_next;
	*p = m->hash_next;
}

struct mapping *mapdb_find(const struct task *task, uint64_t va)
{
	for (struct mapping *m = *bucket(task, va); m; m = m->hash_next)
		if (m->task == task && m->va == va)
			return m;
	return NULL;
}

static struct mapping *node_new(struct task *task, uint64_t va, uint64_t pa, unsigned rights)
{
	struct mapping *m = kmem_alloc(&mapping_pool);
	if (!m)
		return NULL;
	m->task = task;
	m->va = va;
	m->pa = pa;
	m->rights = (uint8_t)rights;
	hash_insert(m);
	live++;
	return m;
}

struct mapping *mapdb_root(struct task *sigma0, uint64_t pa, bool *made)
{
	struct mapping *m = mapdb_find(sigma0, pa);
	*made = false;
	if (m)
		return m;
	m = node_new(sigma0, pa, pa, MAP_RIGHTS_ALL);
	*made = m != NULL;
	return m;
}

struct mapping *mapdb_map(struct mapping *parent, struct task *task, uint64_t va,
			  unsigned rights)
{
	/* LAB 5 BEGIN: a mapping in the tree */
	struct mapping *m = node_new(task, va, parent->pa, rights & parent->rights);
	if (!m)
		return NULL;
	m->parent = parent;
	m->next_sibling = parent->children;
	if (parent->children)
		parent->children->prev_sibling = m;
	parent->children = m;
	return m;
	/* LAB 5 STUB
	// Make a node for (task, va) with the parent's frame and at most its rights
	// (node_new), and link it as a child of parent.
	(void)parent; (void)task; (void)va; (void)rights; (void)node_new;
	return NULL;
	*/
	/* LAB 5 END */
}

void mapdb_move(struct mapping *m, struct task *task, uint64_t va)
{
	hash_remove(m);
	m->task = task;
	m->va = va;
	hash_insert(m);
}

/* Takes m out of its parent's list of children. */
static void unlink_sibling(struct mapping *m)
{
	if (m->prev_sibling)
		m->prev_sibling->next_sibling = m->next_sibling;
	else if (m->parent)
		m->parent->children = m->next_sibling;
	if (m->next_sibling)
		m->next_sibling->prev_sibling = m->prev_sibling;
}

bool mapdb_unmap(struct mapping *m, bool self, unsigned *budget, mapdb_remove_fn *remove)
{
	/* LAB 5 BEGIN: recursive unmap */
	/* Post-order without recursion: go down to a leaf, remove it, climb back up. */
	struct mapping *node = m;
	for (;;) {
		while (node->children)
			node = node->children;
		if (node == m && !self)
			return true;    /* all of m's descendants are gone */
		if (*budget == 0)
			return false;   /* stopped between two nodes: the rest is still a tree */
		--*budget;
		struct mapping *parent = node->parent;
		bool last = node == m;
		unlink_sibling(node);
		hash_remove(node);
		remove(node);
		kmem_free(&mapping_pool, node);
		live--;
		if (last)
			return true;
		node = parent;
	}
	/* LAB 5 STUB
	// Remove every descendant of m (and m itself if `self`), leaves first: unlink
	// each from its parent and from the hash chain, call remove() on it, free it.
	// Without recursion, and at most *budget nodes, counted off: false if it stops.
	(void)m; (void)self; (void)budget; (void)remove; (void)unlink_sibling;
	(void)hash_remove;
	return true;
	*/
	/* LAB 5 END */
}

unsigned long mapdb_count(void)
{
	return live;
}
