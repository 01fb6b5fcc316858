/**
 * @file
 * host_test.h — what the host unit tests share: checks, a counted kmem, the runner.
 *
 * The one thing to know: include it once, from the test's .c file — it defines
 * kmem_alloc and kmem_free (calloc and free underneath, every object counted, failing
 * on demand through allocations_left) for the kernel file under test to link against.
 * A test is a list of groups, each a function of CHECKs; host_run() runs them, or the
 * ones named on the command line, prints a line per group and then "N passed, N
 * failed", and returns the exit status: 0 only if every group passed.
 */
#pragma once

#include <kmem.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- checks ----------------------------------------------------------------------- */

static unsigned checks, failures;       /* in the group that is running */

static inline bool check(bool ok, const char *what, const char *file, int line)
{
	checks++;
	if (!ok) {
		failures++;
		printf("    %s:%d: %s\n", file, line, what);
	}
	return ok;
}

#define CHECK(cond) check((cond), #cond, __FILE__, __LINE__)
/* A check the rest of the group builds on: the group stops when it fails. */
#define REQUIRE(cond)                                                                  \
	do {                                                                           \
		if (!CHECK(cond))                                                      \
			return;                                                        \
	} while (0)

/* --- kmem over the C library ------------------------------------------------------ */

static unsigned long allocated, freed;  /* objects handed out, objects given back */
static unsigned long bad_frees;         /* of NULL, or more than the pool handed out */
static long allocations_left = -1;      /* kmem_alloc fails when this is 0; -1: never */

void *kmem_alloc(struct kmem_pool *pool)
{
	if (allocations_left == 0)
		return NULL;
	if (allocations_left > 0)
		allocations_left--;
	void *obj = calloc(1, pool->size);      /* zeroed, as the kernel's pools hand out */
	if (obj) {
		allocated++;
		pool->in_use++;
	}
	return obj;
}

void kmem_free(struct kmem_pool *pool, void *obj)
{
	if (!obj || pool->in_use == 0) {
		bad_frees++;
		return;
	}
	freed++;
	pool->in_use--;
	memset(obj, 0x5a, pool->size);  /* a use after free reads junk, even without ASan */
	free(obj);
}

static inline unsigned long live_objects(void)
{
	return allocated - freed;
}

/* --- running groups --------------------------------------------------------------- */

struct host_group {
	const char *name;
	void (*run)(void);
};

#define GROUP(fn) { #fn, fn }

static inline bool host_chosen(const char *name, int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return true;
	return argc == 1;
}

/*
 * Runs the groups named in argv (all of them if none is), each followed by after_each
 * (its CHECKs count in that group; NULL: none). Returns the exit status: 0 if every
 * group passed, 1 if one failed, 2 if argv names a group there is not.
 */
static inline int host_run(const struct host_group *groups, size_t n,
			   void (*after_each)(void), int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);       /* lines out before a sanitizer abort */
	for (int i = 1; i < argc; i++) {
		size_t g = 0;
		while (g < n && strcmp(groups[g].name, argv[i]) != 0)
			g++;
		if (g == n) {
			fprintf(stderr, "%s: no group %s\n", argv[0], argv[i]);
			return 2;
		}
	}
	unsigned passed = 0, failed = 0;
	for (size_t g = 0; g < n; g++) {
		if (!host_chosen(groups[g].name, argc, argv))
			continue;
		checks = failures = 0;
		groups[g].run();
		allocations_left = -1;
		if (after_each)
			after_each();
		if (failures) {
			printf("[FAIL] %s: %u of %u checks failed\n", groups[g].name, failures,
			       checks);
			failed++;
		} else {
			printf("[PASS] %s (%u checks)\n", groups[g].name, checks);
			passed++;
		}
	}
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
