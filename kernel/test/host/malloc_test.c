/**
 * @file
 * malloc_test.c — host unit tests of the user heap (user/lib/malloc.c).
 *
 * The one thing to know: the heap's region is an anonymous mapping, as fresh as the
 * process manager's (untouched, reading as zero), with an inaccessible page after it,
 * so a write past the region ends the test with SIGSEGV; mincore() says which pages
 * malloc has touched. malloc.c is compiled with -DMALLOC_HOST_TEST, which renames its
 * malloc, free, calloc and realloc (malloc.h): after that header is included below,
 * those names are the allocator under test, and the host's C library keeps its own.
 * A refusal's console line is read back from stdout (capture_begin/capture_end).
 *
 *     make unit                                 build and run every host unit test
 *     build/host/malloc_test [group...]         run some groups alone
 */
#define _DEFAULT_SOURCE /* mmap, mincore and dup2 under -std=c11 */
#include "host_test.h"
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>
#include "malloc.h" /* last: from here on, malloc is the one under test */

#define PAGE 4096ul
#define REGION_MAX (64ul << 20)

/* The block size malloc.c's design gives n bytes: a 16-byte header, a multiple of 16,
 * and 48 at least (a free block's header, links and tag). */
static size_t block_for(size_t n)
{
	size_t b = (n + 16 + 15) & ~15ul;
	return b < 48 ? 48 : b;
}

/* --- the region, as the process manager would give it ----------------------------- */

static unsigned char *region;   /* region_len bytes, then a guard page */
static size_t region_len;

/* A fresh region of len bytes (a multiple of PAGE, at most REGION_MAX), made the heap. */
static unsigned char *region_fresh(size_t len)
{
	if (region)
		munmap(region, region_len + PAGE);
	region = mmap(NULL, len + PAGE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (region == MAP_FAILED || mprotect(region + len, PAGE, PROT_NONE) != 0) {
		perror("malloc_test: the region");
		exit(2);
	}
	region_len = len;
	malloc_init(region, len);
	return region;
}

/* Pages of the region that something has read or written. */
static size_t pages_touched(void)
{
	static unsigned char resident[REGION_MAX / PAGE];
	if (mincore(region, region_len, resident) != 0) {
		perror("malloc_test: mincore");
		exit(2);
	}
	size_t n = 0;
	for (size_t i = 0; i < region_len / PAGE; i++)
		n += resident[i] & 1;
	return n;
}

static struct malloc_stats stats(void)
{
	struct malloc_stats s = { 0 };
	CHECK(malloc_check(&s) == 0);
	return s;
}

static bool all_bytes(const unsigned char *p, size_t n, unsigned char value)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != value)
			return false;
	return true;
}

/* Whether s holds part (the kernel's string.h, which the tests see, has no strstr). */
static bool contains(const char *s, const char *part)
{
	for (size_t n = strlen(part); *s; s++)
		if (strncmp(s, part, n) == 0)
			return true;
	return false;
}

/* --- what a refusal prints -------------------------------------------------------- */

static FILE *capture_file;
static int capture_saved = -1;
static char captured[1024];

static void capture_begin(void)
{
	fflush(stdout);
	capture_file = tmpfile();
	capture_saved = dup(1);
	if (!capture_file || capture_saved < 0 || dup2(fileno(capture_file), 1) < 0) {
		perror("malloc_test: capturing stdout");
		exit(2);
	}
}

static const char *capture_end(void)
{
	fflush(stdout);
	dup2(capture_saved, 1);
	close(capture_saved);
	rewind(capture_file);
	size_t n = fread(captured, 1, sizeof(captured) - 1, capture_file);
	captured[n] = '\0';
	fclose(capture_file);
	return captured;
}

/*
 * Whether free(p) (or realloc(p, 1) if `realloc_it`) is refused with the line
 * "malloc: <who>(...) refused: <why>", counted, and with every byte of the heap and
 * every figure as they were.
 */
static bool refused(void *p, bool realloc_it, const char *why)
{
	static unsigned char before_bytes[1 << 20];
	struct malloc_stats before = stats(), after;
	if (before.below_break > sizeof(before_bytes)) {
		printf("    refused(): the heap is too large to compare\n");
		return false;
	}
	memcpy(before_bytes, region, before.below_break);
	capture_begin();
	void *r = NULL;
	if (realloc_it)
		r = realloc(p, 1);
	else
		free(p);
	const char *out = capture_end();
	const char *prefix = realloc_it ? "malloc: realloc(" : "malloc: free(";
	char tail[200];
	snprintf(tail, sizeof(tail), " refused: %s\n", why);
	bool ok = malloc_check(&after) == 0 && r == NULL &&
		  strncmp(out, prefix, strlen(prefix)) == 0 && contains(out, tail) &&
		  after.refused == before.refused + 1 &&
		  memcmp(before_bytes, region, before.below_break) == 0;
	after.refused = before.refused;
	ok = ok && memcmp(&after, &before, sizeof(after)) == 0;
	if (!ok)
		printf("    refused(%p, \"%s\"): printed \"%s\"\n", p, why, out);
	return ok;
}

/* --- the groups ------------------------------------------------------------------- */

/* malloc_init writes nothing; a block touches the page of its header, not its payload. */
static void pages_touched_only_where_blocks_are(void)
{
	region_fresh(REGION_MAX);
	CHECK(pages_touched() == 0);
	struct malloc_stats s = stats();
	CHECK(s.region == REGION_MAX && s.below_break == 0 && s.free_blocks == 0);
	CHECK(pages_touched() == 0);            /* the check reads only headers: none yet */

	unsigned char *big = malloc(1 << 20);
	REQUIRE(big == region + 16);
	CHECK(pages_touched() == 1);            /* its header */
	unsigned char *zeroed = calloc(1, 1 << 20);
	REQUIRE(zeroed == big + (1 << 20) + 16);
	CHECK(pages_touched() == 2);            /* its header: the rest came zero */
	CHECK(all_bytes(zeroed, 1 << 20, 0));

	/* 1000 small blocks lie end to end: pages = their bytes, rounded up, and no more. */
	region_fresh(REGION_MAX);
	for (int i = 0; i < 1000; i++)
		REQUIRE(malloc(32) != NULL);
	s = stats();
	CHECK(s.below_break == 1000 * block_for(32));
	CHECK(pages_touched() == (s.below_break + PAGE - 1) / PAGE);
}

/* calloc clears what an earlier block dirtied, and only trusts the region above the break. */
static void calloc_clears_reused_memory(void)
{
	region_fresh(1 << 20);
	unsigned char *a = malloc(4000);
	unsigned char *fence = malloc(16);
	REQUIRE(a && fence);
	memset(a, 0xff, 4000);
	free(a);
	unsigned char *b = calloc(4000, 1);
	CHECK(b == a);
	CHECK(b && all_bytes(b, 4000, 0));

	/* The free block below the break grows into the region: its old part is cleared. */
	unsigned char *top = malloc(300);
	REQUIRE(top);
	memset(top, 0xee, 300);
	free(top);
	unsigned char *c = calloc(10, 100);
	CHECK(c == top);
	CHECK(c && all_bytes(c, 1000, 0));
	CHECK(stats().free_blocks == 0);

	/* Products that overflow, and zeros. */
	CHECK(calloc(SIZE_MAX, 2) == NULL);
	CHECK(calloc(2, SIZE_MAX) == NULL);
	CHECK(calloc((SIZE_MAX >> 1) + 1, 2) == NULL);
	CHECK(calloc(1ul << 32, 1ul << 32) == NULL);
	CHECK(calloc(0, 16) == NULL);
	CHECK(calloc(16, 0) == NULL);
	CHECK(calloc(1ul << 20, 2) == NULL);    /* no overflow, but no room either */
	CHECK(stats().used_blocks == 3);       /* b, fence and c */
}

/* Every size gets a 16-byte-aligned block inside the region, from any base. */
static void alignment_from_any_base(void)
{
	static unsigned char *blocks[600];
	for (size_t skew = 0; skew < 32; skew += 3) {
		region_fresh(1 << 20);
		malloc_init(region + skew, (1 << 20) - skew);
		for (size_t n = 1; n <= 600; n++) {
			unsigned char *p = blocks[n - 1] = malloc(n);
			REQUIRE(p);
			CHECK((uintptr_t)p % 16 == 0);
			CHECK(p >= region + skew + 16 && p + n <= region + region_len);
			memset(p, (int)n, n);
		}
		for (size_t n = 1; n <= 600; n++) {
			CHECK(all_bytes(blocks[n - 1], n, (unsigned char)n));
			free(blocks[n - 1]);
		}
		struct malloc_stats s = stats();
		CHECK(s.used_blocks == 0 && s.free_blocks == 1 && s.free_bytes == s.below_break);
	}
}

/* Sizes of 0, sizes too large, sizes that overflow when rounded: NULL, nothing changed. */
static void bad_sizes_return_null(void)
{
	region_fresh(1 << 20);
	unsigned char *keep = malloc(100);
	REQUIRE(keep);
	memset(keep, 0x42, 100);
	struct malloc_stats before = stats(), after;
	static const size_t sizes[] = { 0, SIZE_MAX, SIZE_MAX - 1, SIZE_MAX - 15, SIZE_MAX - 16,
					SIZE_MAX - 30, SIZE_MAX - 31, SIZE_MAX - 32, SIZE_MAX / 2,
					1 << 20, (1 << 20) - 15 };
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		CHECK(malloc(sizes[i]) == NULL);
		CHECK(realloc(NULL, sizes[i]) == NULL);
		if (sizes[i])                   /* realloc(p, 0) frees: not a failure */
			CHECK(realloc(keep, sizes[i]) == NULL);
		after = stats();
		CHECK(memcmp(&before, &after, sizeof(after)) == 0);
	}
	CHECK(all_bytes(keep, 100, 0x42));
	CHECK(after.refused == 0);

	/* Exactly what is left still fits, and then nothing does. */
	CHECK(malloc((1 << 20) - block_for(100) - 15) == NULL);
	unsigned char *rest = malloc((1 << 20) - block_for(100) - 16);
	CHECK(rest == keep + block_for(100));
	CHECK(malloc(1) == NULL);
	CHECK(stats().below_break == 1 << 20);
	CHECK(realloc(keep, 0) == NULL);        /* frees keep */
	CHECK(realloc(NULL, 0) == NULL);
	free(rest);
	struct malloc_stats s = stats();
	CHECK(s.used_blocks == 0 && s.free_blocks == 1 && s.free_bytes == 1 << 20);
}

/* Regions that hold nothing: every malloc is NULL, every free refused, no crash. */
static void empty_heaps(void)
{
	region_fresh(PAGE);
	unsigned char dummy[32];
	struct { void *base; size_t max; } empty[] = {
		{ NULL, 1 << 20 }, { region, 0 }, { region, 15 }, { region + 1, 47 },
		{ region, 47 }, { (void *)(UINTPTR_MAX - 100), 1000 }, { region, SIZE_MAX },
	};
	for (size_t i = 0; i < sizeof(empty) / sizeof(empty[0]); i++) {
		malloc_init(empty[i].base, empty[i].max);
		CHECK(malloc(1) == NULL);
		CHECK(calloc(1, 1) == NULL);
		CHECK(realloc(NULL, 1) == NULL);
		CHECK(refused(dummy + 16, false, "not a block from malloc"));
		CHECK(refused(region + 16, true, "not a block from malloc"));
		struct malloc_stats s = stats();
		CHECK(s.below_break == 0 && s.used_blocks == 0 && s.free_blocks == 0);
	}
	CHECK(pages_touched() == 0);
	malloc_init(region, 48);                /* the smallest heap that holds a block */
	CHECK(malloc(32) == region + 16);
	CHECK(malloc(1) == NULL);
}

/* Filling the region: exactly as many blocks as fit, the break ends at the end. */
static void region_exhausted(void)
{
	enum { LEN = 64 << 10 };
	static unsigned char *blocks[LEN / 48 + 1];
	size_t n = 0;
	region_fresh(LEN);
	while ((blocks[n] = malloc(100)) != NULL)
		memset(blocks[n++], 0x5c, 100);
	CHECK(n == LEN / block_for(100));
	struct malloc_stats s = stats();
	CHECK(s.below_break == LEN && s.used_blocks == n);
	for (size_t i = 0; i < n; i += 2)
		free(blocks[i]);
	CHECK(malloc(200) == NULL);             /* half free, but in pieces of 128 */
	for (size_t i = 1; i < n; i += 2) {
		CHECK(all_bytes(blocks[i], 100, 0x5c));
		free(blocks[i]);
	}
	s = stats();
	CHECK(s.used_blocks == 0 && s.free_blocks == 1 && s.free_bytes == LEN);
	CHECK(malloc(LEN - 16) == region + 16);

	/* Blocks of 48: 16 bytes are left over at the top, too few for a block. */
	region_fresh(LEN);
	for (n = 0; malloc(1); n++)
		;
	s = stats();
	CHECK(n == LEN / 48 && s.below_break == LEN - LEN % 48);
}

/* Frees of what malloc did not hand out, or of what is already free: refused loudly. */
static void bad_frees_refused(void)
{
	region_fresh(1 << 20);
	unsigned char *a = malloc(64), *b = malloc(64), *c = malloc(64), *d = malloc(64);
	REQUIRE(a && b && c && d);
	memset(a, 0, 64);
	int local;
	free(NULL);
	CHECK(stats().refused == 0);
	CHECK(refused(&local, false, "not a block from malloc"));
	CHECK(refused(a + 1, false, "not a block from malloc"));
	CHECK(refused(a + 16, false, "not a block from malloc"));   /* zeros: no header */
	CHECK(refused(region, false, "not a block from malloc"));
	CHECK(refused(region + (1 << 19), false, "not a block from malloc"));
	CHECK(refused(d + 64, true, "not a block from malloc"));      /* the break */

	free(b);
	CHECK(refused(b, false, "double free"));
	CHECK(refused(b, true, "double free"));
	free(a);                                /* b merges into a */
	CHECK(refused(a, false, "double free"));
	CHECK(refused(b, false, "double free"));
	free(c);                                /* c is merged into the block below: a */
	CHECK(refused(c, false, "double free"));
	CHECK(stats().free_blocks == 1);

	/* A header whose magic is intact but whose size was overwritten (from below, say):
	 * malloc_check sees it too, so refused() cannot be used. */
	size_t *header = (size_t *)d - 2, saved = header[0];
	static const size_t damage[] = { 1ul << 40, 16 };
	for (int i = 0; i < 2; i++) {
		header[0] = damage[i];
		capture_begin();
		free(d);
		const char *out = capture_end();
		CHECK(strncmp(out, "malloc: free(", 13) == 0);
		CHECK(contains(out, " refused: a damaged header\n"));
	}
	header[0] = saved;
	free(d);
	struct malloc_stats s = stats();
	CHECK(s.refused == 13 && s.used_blocks == 0 && s.free_blocks == 1);
}

/* However four neighbours are freed, they end as one block; a fence above stays. */
static void coalescing_every_order(void)
{
	static const int perms[24][4] = {
		{ 0, 1, 2, 3 }, { 0, 1, 3, 2 }, { 0, 2, 1, 3 }, { 0, 2, 3, 1 }, { 0, 3, 1, 2 },
		{ 0, 3, 2, 1 }, { 1, 0, 2, 3 }, { 1, 0, 3, 2 }, { 1, 2, 0, 3 }, { 1, 2, 3, 0 },
		{ 1, 3, 0, 2 }, { 1, 3, 2, 0 }, { 2, 0, 1, 3 }, { 2, 0, 3, 1 }, { 2, 1, 0, 3 },
		{ 2, 1, 3, 0 }, { 2, 3, 0, 1 }, { 2, 3, 1, 0 }, { 3, 0, 1, 2 }, { 3, 0, 2, 1 },
		{ 3, 1, 0, 2 }, { 3, 1, 2, 0 }, { 3, 2, 0, 1 }, { 3, 2, 1, 0 },
	};
	static const size_t sizes[4] = { 40, 1000, 16, 300 };
	size_t total = 0;
	for (int i = 0; i < 4; i++)
		total += block_for(sizes[i]);
	for (int fence = 0; fence < 2; fence++) {
		for (int p = 0; p < 24; p++) {
			region_fresh(1 << 20);
			void *blocks[4];
			for (int i = 0; i < 4; i++)
				REQUIRE((blocks[i] = malloc(sizes[i])) != NULL);
			void *above = fence ? malloc(1) : NULL;
			for (int i = 0; i < 4; i++) {
				free(blocks[perms[p][i]]);
				CHECK(malloc_check(NULL) == 0);
			}
			struct malloc_stats s = stats();
			CHECK(s.free_blocks == 1 && s.free_bytes == total);
			CHECK(s.used_blocks == (size_t)fence);
			/* The one block serves a request for all of it, where the first was. */
			CHECK(malloc(total - 16) == blocks[0]);
			CHECK(stats().below_break == s.below_break);
			free(above);
		}
	}
}

/* realloc grows and shrinks in place when it can, and keeps the contents when it moves. */
static void realloc_in_place_and_moving(void)
{
	region_fresh(1 << 20);
	unsigned char *a = malloc(100);
	REQUIRE(a);
	memset(a, 0x11, 100);
	CHECK(realloc(a, 5000) == a);           /* the top block: the break moves */
	CHECK(stats().below_break == block_for(5000));
	CHECK(all_bytes(a, 100, 0x11));

	unsigned char *b = malloc(200), *c = malloc(300);
	REQUIRE(b && c);
	memset(b, 0x22, 200);
	free(b);                                /* a grows into b exactly */
	CHECK(realloc(a, block_for(5000) + block_for(200) - 16) == a);
	CHECK(all_bytes(a, 100, 0x11));
	struct malloc_stats s = stats();
	CHECK(s.free_blocks == 0 && s.used_blocks == 2);

	/* Shrinking gives back the rest, merged with a free block above. */
	free(c);
	CHECK(realloc(a, 100) == a);
	s = stats();
	CHECK(s.used_blocks == 1 && s.free_blocks == 1);
	CHECK(s.free_bytes == s.below_break - block_for(100));
	CHECK(malloc(3000) == a + block_for(100));

	/* A block boxed in by used ones moves; the old place becomes free. */
	region_fresh(1 << 20);
	a = malloc(64);
	unsigned char *fence = malloc(1);
	REQUIRE(a && fence);
	for (int i = 0; i < 64; i++)
		a[i] = (unsigned char)i;
	unsigned char *moved = realloc(a, 10000);
	REQUIRE(moved && moved != a);
	for (int i = 0; i < 64; i++)
		CHECK(moved[i] == i);
	s = stats();
	CHECK(s.used_blocks == 2 && s.free_blocks == 1 && s.free_bytes == block_for(64));

	/* A block below a free top block grows through it and past the break. */
	region_fresh(1 << 20);
	a = malloc(100);
	b = malloc(100);
	REQUIRE(a && b);
	memset(a, 0x33, 100);
	free(b);
	CHECK(realloc(a, 1000) == a);
	s = stats();
	CHECK(s.free_blocks == 0 && s.below_break == block_for(1000));
	CHECK(all_bytes(a, 100, 0x33));
	CHECK(realloc(a, 1 << 20) == NULL);     /* no room: a unchanged */
	CHECK(all_bytes(a, 100, 0x33) && stats().below_break == block_for(1000));
}

/* --- random sequences against a model --------------------------------------------- */

#define SLOTS 256

struct slot {
	unsigned char *p;               /* NULL: empty */
	size_t n;
	unsigned char seed;             /* p[i] == pattern(seed, i) */
};

static struct slot slots[SLOTS];
static uint64_t rng;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static unsigned char pattern(unsigned char seed, size_t i)
{
	return (unsigned char)(seed + i * 7 + (i >> 8));
}

static void slot_fill(struct slot *s, size_t from)
{
	for (size_t i = from; i < s->n; i++)
		s->p[i] = pattern(s->seed, i);
}

static bool slot_intact(const struct slot *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s->p[i] != pattern(s->seed, i))
			return false;
	return true;
}

/* Mostly small sizes, some of a page or more, a few large. */
static size_t size_draw(void)
{
	unsigned r = rnd() % 100;
	if (r < 60)
		return 1 + rnd() % 64;
	if (r < 90)
		return 1 + rnd() % 1024;
	if (r < 99)
		return 1 + rnd() % 16384;
	return 1 + rnd() % 262144;
}

/* A NULL for n bytes is genuine: no free block is large enough, nor the region above. */
static void null_genuine(size_t n)
{
	struct malloc_stats st = stats();
	CHECK(block_for(n) > st.largest_free);
	CHECK(block_for(n) > st.region - st.below_break);
}

/* Slot s takes p, a new block of n bytes (or, if p is NULL, stays as it is). */
static void slot_take(struct slot *s, unsigned char *p, size_t n, unsigned char seed)
{
	if (!p) {
		null_genuine(n);
		return;
	}
	CHECK((uintptr_t)p % 16 == 0);
	CHECK(p >= region + 16 && p + n <= region + region_len);
	*s = (struct slot){ p, n, seed };
}

/* No two live blocks overlap, the figures match the model, the heap is sound. */
static void model_check(bool contents)
{
	static struct slot live[SLOTS];
	size_t n = 0, bytes = 0;
	for (size_t i = 0; i < SLOTS; i++)
		if (slots[i].p) {
			live[n++] = slots[i];
			bytes += block_for(slots[i].n);
			if (contents)
				CHECK(slot_intact(&slots[i], slots[i].n));
		}
	for (size_t i = 1; i < n; i++)          /* insertion sort by address */
		for (size_t j = i; j > 0 && live[j - 1].p > live[j].p; j--) {
			struct slot t = live[j];
			live[j] = live[j - 1];
			live[j - 1] = t;
		}
	for (size_t i = 1; i < n; i++)
		CHECK(live[i - 1].p + live[i - 1].n + 16 <= live[i].p);
	struct malloc_stats s = stats();
	CHECK(s.used_blocks == n && s.used_bytes >= bytes);
	CHECK(s.below_break <= s.region && s.region <= region_len);
	CHECK(s.used_bytes + s.free_bytes == s.below_break);
}

static void random_run(uint64_t seed, size_t len, long ops)
{
	region_fresh(len);
	memset(slots, 0, sizeof(slots));
	rng = seed;
	unsigned char next_seed = 1;
	for (long op = 0; op < ops; op++) {
		struct slot *s = &slots[rnd() % SLOTS];
		unsigned r = rnd() % 100;
		size_t n = size_draw();
		if (!s->p) {
			unsigned char *p;
			if (r < 70) {
				p = malloc(n);
			} else if (r < 85) {
				p = calloc(1 + n % 4, (n + 3) / 4);
				n = (1 + n % 4) * ((n + 3) / 4);
				CHECK(!p || all_bytes(p, n, 0));
			} else {
				p = realloc(NULL, n);
			}
			slot_take(s, p, n, next_seed);
			if (s->p)
				slot_fill(s, 0);
		} else if (r < 40) {
			CHECK(slot_intact(s, s->n));
			free(s->p);
			s->p = NULL;
		} else if (r < 85) {
			CHECK(slot_intact(s, s->n));
			unsigned char *p = realloc(s->p, n);
			if (!p) {               /* no room: the old block stays */
				CHECK(slot_intact(s, s->n));
				null_genuine(n);
			} else {
				CHECK(slot_intact(&(struct slot){ p, n, s->seed },
						  n < s->n ? n : s->n));
				size_t old = s->n;
				slot_take(s, p, n, s->seed);
				slot_fill(s, old < n ? old : n);
			}
		} else if (r < 90) {
			CHECK(slot_intact(s, s->n));
			CHECK(realloc(s->p, 0) == NULL);
			s->p = NULL;
		} else {
			CHECK(slot_intact(s, s->n));
		}
		next_seed++;
		if (op % 64 == 0)
			model_check(op % 4096 == 0);
		if (failures)
			return;
	}
	model_check(true);
	for (size_t i = 0; i < SLOTS; i++) {
		struct slot *s = &slots[(i * 97) % SLOTS];      /* an order not by address */
		if (s->p) {
			CHECK(slot_intact(s, s->n));
			free(s->p);
			s->p = NULL;
		}
	}
	struct malloc_stats st = stats();
	CHECK(st.used_blocks == 0 && st.refused == 0);
	CHECK(st.free_blocks == (st.below_break ? 1u : 0u));
	CHECK(st.free_bytes == st.below_break && st.below_break <= len);
	if (st.below_break)                     /* the one block, whole, without the break */
		CHECK(malloc(st.below_break - 16) == region + 16 &&
		      stats().below_break == st.below_break);
}

/* Room to spare: every kind of call, checked against the model. */
static void random_roomy(void)
{
	static const uint64_t seeds[] = { 0x6d616c6c6f63ull, 1, 0x9e3779b97f4a7c15ull };
	for (size_t i = 0; i < sizeof(seeds) / sizeof(seeds[0]) && !failures; i++)
		random_run(seeds[i], 16ul << 20, 100000);
}

/* A region so small that calls fail often: the failures must be genuine. */
static void random_tight(void)
{
	static const uint64_t seeds[] = { 0x7469676874ull, 2, 0xdeadbeefcafef00dull };
	for (size_t i = 0; i < sizeof(seeds) / sizeof(seeds[0]) && !failures; i++)
		random_run(seeds[i], 256ul << 10, 100000);
}

static void heap_sound(void)
{
	CHECK(malloc_check(NULL) == 0);
}

int main(int argc, char **argv)
{
	static const struct host_group groups[] = {
		GROUP(pages_touched_only_where_blocks_are),
		GROUP(calloc_clears_reused_memory),
		GROUP(alignment_from_any_base),
		GROUP(bad_sizes_return_null),
		GROUP(empty_heaps),
		GROUP(region_exhausted),
		GROUP(bad_frees_refused),
		GROUP(coalescing_every_order),
		GROUP(realloc_in_place_and_moving),
		GROUP(random_roomy),
		GROUP(random_tight),
	};
	return host_run(groups, sizeof(groups) / sizeof(groups[0]), heap_sound, argc, argv);
}
