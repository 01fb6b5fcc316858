/**
 * @file
 * mapdb.h — the mapping database: who mapped which page to whom.
 *
 * The one thing to know: every page a task received by map or grant has a node here,
 * and each node's parent is the mapping it was made from; the roots are sigma0's
 * frames. The nodes of one frame form a tree, so unmap can take back, recursively,
 * everything derived from a mapping — in every address space — by walking the
 * subtree. The database knows nothing of page tables: a callback removes each page.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct task;

struct mapping {
	struct task *task;
	uint64_t va;                    /* the page's address in task (sigma0: = pa) */
	uint64_t pa;                    /* the frame */
	uint8_t rights;                 /* MAP_WRITE | MAP_EXEC (read is implied) */
	struct mapping *parent;
	struct mapping *children;       /* the first child; the rest via siblings */
	struct mapping *next_sibling, *prev_sibling;
	struct mapping *hash_next;      /* (task, va) lookup chain */
};

/* Called for each node unmap removes, before it is freed: clear the page-table entry. */
typedef void mapdb_remove_fn(struct mapping *m);

/* The node of task's page at va, or NULL. */
struct mapping *mapdb_find(const struct task *task, uint64_t va);
/* sigma0's node for frame pa: found, or made (then *made is true). NULL: no memory. */
struct mapping *mapdb_root(struct task *sigma0, uint64_t pa, bool *made);
/* A new mapping of parent's frame at va in task, with rights (no more than parent's).
 * NULL if out of memory. The caller has checked va is free in task. */
struct mapping *mapdb_map(struct mapping *parent, struct task *task, uint64_t va,
			  unsigned rights);
/* Grant: the node itself moves to va in task; its parent and children stay. The
 * caller has made sure (task, va) holds no mapping. */
void mapdb_move(struct mapping *m, struct task *task, uint64_t va);
/*
 * Removes every mapping derived from m, and m too if `self`, calling remove (not
 * NULL) for each — leaves first, already out of the (task, address) index — before
 * freeing it; but at most *budget of them, each counted off *budget. Returns true when
 * it is done (m's descendants gone, and m if self: then m is freed), false when the
 * budget ran out first: what is left is still a well-formed tree under m, which is
 * removed last, so a second call goes on where this one stopped. The budget is what
 * keeps one kernel entry short: a subtree can have any size (sys_unmap restarts).
 * Iterative: a chain of any depth does not grow the kernel stack.
 */
bool mapdb_unmap(struct mapping *m, bool self, unsigned *budget, mapdb_remove_fn *remove);
/* The number of live nodes (for tests and quotas). */
unsigned long mapdb_count(void);
