/**
 * @file
 * lab2_tests.c — scenarios for lab 2: the frame allocator and the kernel page table.
 *
 * The one thing to know: the frame scenarios run before paging_init() (so the allocator
 * can be tested alone), the paging ones after it, on the kernel's own page table, so
 * they also prove that the kernel survived the switch. They undo what they do (free
 * what they allocate, unmap what they map), and check the free count to prove it.
 */
#include <frame.h>
#include <kprintf.h>
#include <string.h>
#include <abi/error.h>
#include <arch/x86_64/cpu.h>
#include <arch/x86_64/layout.h>
#include <arch/x86_64/paging.h>
#include <test/ktest.h>
#include <test/probe.h>

extern char kernel_phys_start[], kernel_phys_end[];
extern char kernel_text_start[], kernel_rodata_start[];

static int frame_is_kernel(uint64_t pa)
{
	return pa + PAGE_SIZE > (uint64_t)kernel_phys_start && pa < (uint64_t)kernel_phys_end;
}

/* The word that frame_alloc_basic writes at word j of its frame i. */
static uint64_t frame_word(uint64_t key, unsigned i, unsigned j)
{
	return key ^ ((uint64_t)i << 16 | j);
}

/*
 * The seed gives the number of frames and their contents; every frame is filled before
 * any is read back, so two allocations of one frame change the digest.
 */
KTEST(frame_alloc_basic, STAGE_FRAMES)
{
	enum { MAX = 48 };
	struct challenge c = ktest_challenge();
	unsigned n = (unsigned)challenge_range(&c, 3, MAX);
	uint64_t key = challenge_next(&c), f[MAX];
	size_t before = frame_free_count();
	unsigned aligned = 0, high = 0, outside = 0, distinct = 0;

	for (unsigned i = 0; i < n; i++) {
		f[i] = frame_alloc();
		KCHECK(f[i] != 0);      /* filling frame 0 would overwrite low memory */
		aligned += (f[i] & (PAGE_SIZE - 1)) == 0;
		high += f[i] >= 0x100000;
		outside += !frame_is_kernel(f[i]);
		bool fresh = true;
		for (unsigned j = 0; j < i; j++)
			fresh = fresh && f[j] != f[i];
		distinct += fresh;
		uint64_t *w = P2V(f[i] & ~(uint64_t)(PAGE_SIZE - 1));
		for (unsigned j = 0; j < PAGE_SIZE / 8; j++)
			w[j] = frame_word(key, i, j);
	}
	kprintf("frames: %u allocated: %u aligned, %u above 1 MiB, %u outside the kernel, "
		"%u distinct\n", n, aligned, high, outside, distinct);
	kprintf("frames: free %zu, %zu fewer after allocating\n", before,
		before - frame_free_count());
	uint64_t h = DIGEST_START;
	for (unsigned i = 0; i < n; i++) {
		const uint64_t *w = P2V(f[i] & ~(uint64_t)(PAGE_SIZE - 1));
		for (unsigned j = 0; j < PAGE_SIZE / 8; j++)
			h = digest_add(h, w[j]);
	}
	kprintf("frames: contents read back: digest %lx\n", h);
	for (unsigned i = 0; i < n; i++)
		frame_free(f[i]);
	kprintf("frames: %u freed; free %zu\n", n, frame_free_count());
}

/* One bit per frame of the 128 MiB the grader gives the machine, and then some. */
static uint64_t seen[(1u << 30) / PAGE_SIZE / 64];

/* Pops up to `count` frames off the chain at *head into out[] and frees them. */
static unsigned hand_back(uint64_t *head, uint64_t *out, unsigned count)
{
	unsigned given = 0;
	for (; given < count && *head; given++) {
		out[given] = *head;
		*head = *(uint64_t *)P2V(*head);
		frame_free(out[given]);
	}
	return given;
}

/*
 * Allocates up to `most` frames onto the chain; counts them in *taken and, in *among,
 * those found in handed[] (each found once).
 */
static void take_again(uint64_t *head, uint64_t *handed, unsigned n, unsigned most,
		       unsigned *taken, unsigned *among)
{
	uint64_t pa;
	for (*taken = 0; *taken < most && (pa = frame_alloc()) != 0; ++*taken) {
		for (unsigned i = 0; i < n; i++)
			if (handed[i] == pa) {
				++*among;
				handed[i] = 0;
				break;
			}
		*(uint64_t *)P2V(pa) = *head;
		*head = pa;
	}
}

/*
 * Every free frame once, then nothing. Then, with the allocator empty, the seed's
 * number of frames handed back and some of them taken again, more handed back, and
 * allocation until it runs out: exactly the frames handed back must come out.
 */
KTEST(frame_alloc_exhaust, STAGE_FRAMES)
{
	enum { MAX_BACK = 256 };
	static uint64_t handed[2 * MAX_BACK];
	struct challenge c = ktest_challenge();
	unsigned back1 = (unsigned)challenge_range(&c, 1, MAX_BACK);
	unsigned again1 = (unsigned)challenge_range(&c, 0, back1);
	unsigned back2 = (unsigned)challenge_range(&c, 1, MAX_BACK);
	size_t before = frame_free_count();
	uint64_t head = 0;      /* the allocated frames, chained through their first word */
	size_t n = 0, dup = 0;

	for (uint64_t pa; (pa = frame_alloc()) != 0; n++) {
		uint64_t bit = pa / PAGE_SIZE;
		if (bit < sizeof(seen) * 8) {
			if (seen[bit / 64] & (1ull << (bit % 64)))
				dup++;
			seen[bit / 64] |= 1ull << (bit % 64);
		}
		*(uint64_t *)P2V(pa) = head;
		head = pa;
	}
	kprintf("frames: allocated %zu of %zu before running out, %zu duplicates\n", n, before,
		dup);
	kprintf("frames: one more allocation: %lx\n", frame_alloc());

	unsigned given1 = hand_back(&head, handed, back1), taken1, among = 0;
	take_again(&head, handed, given1, again1, &taken1, &among);
	unsigned given2 = hand_back(&head, handed + given1, back2), taken2;
	take_again(&head, handed, given1 + given2, given1 + given2 + 1, &taken2, &among);
	kprintf("frames: %u handed back while empty, %u taken again; %u more handed back, "
		"then %u allocated before running out; %u of them among those handed back\n",
		given1, taken1, given2, taken2, among);
	while (head) {
		uint64_t next = *(uint64_t *)P2V(head);
		frame_free(head);
		head = next;
	}
	kprintf("frames: all returned; free %zu\n", frame_free_count());
}

#define SPEED_FRAMES 10000
#define GOLDEN 0x9e3779b97f4a7c15ull

/* The timed loops allocate and free; between them (untimed) each frame gets a word. */
KTEST(frame_alloc_speed, STAGE_FRAMES)
{
	static uint64_t frames[SPEED_FRAMES];
	struct challenge c = ktest_challenge();
	uint64_t key = challenge_next(&c);

	uint64_t start = rdtsc();
	for (int i = 0; i < SPEED_FRAMES; i++)
		frames[i] = frame_alloc();
	uint64_t cost = rdtsc() - start;

	for (int i = 0; i < SPEED_FRAMES; i++)
		KCHECK(frames[i] != 0);
	for (int i = 0; i < SPEED_FRAMES; i++)
		*(uint64_t *)P2V(frames[i]) = key + (uint64_t)i * GOLDEN;
	uint64_t h = DIGEST_START;
	for (int i = 0; i < SPEED_FRAMES; i++)
		h = digest_add(h, *(uint64_t *)P2V(frames[i]));
	kprintf("frames: %d allocated, first words read back: digest %lx\n", SPEED_FRAMES, h);

	start = rdtsc();
	for (int i = 0; i < SPEED_FRAMES; i++)
		frame_free(frames[i]);
	cost += rdtsc() - start;
	ktest_figure("frame_alloc_free_10000", cost);
}

/* Below the direct map, where the kernel page table has nothing: free for tests. */
#define TEST_VA 0x0000004000000000ul
#define TEST_SIZE TEST_VA       /* up to 0x8000000000: the rest of PML4 slot 0 */

/* A page of the test region that the seed picks. */
static uint64_t draw_test_page(struct challenge *c)
{
	return TEST_VA + (challenge_range(c, 0, TEST_SIZE / PAGE_SIZE - 1) * PAGE_SIZE);
}

KTEST(paging_map_page, STAGE_PAGING)
{
	struct challenge c = ktest_challenge();
	uint64_t va = draw_test_page(&c), word = challenge_next(&c), word2 = challenge_next(&c);
	unsigned at = (unsigned)challenge_range(&c, 1, PAGE_SIZE / 8 - 1);
	uint64_t byte = challenge_range(&c, 0, PAGE_SIZE - 1);
	uint64_t misaligned = challenge_range(&c, 1, PAGE_SIZE - 1);
	uint64_t pa = frame_alloc();
	KCHECK(pa != 0);
	*(volatile uint64_t *)P2V(pa) = word;

	KCHECK(pt_translate(kernel_pml4, va) == PT_NO_MAPPING);
	int err = pt_map(kernel_pml4, va, pa, 1, PTE_WRITE | pte_nx);
	kprintf("paging: map %lx -> %lx: %d\n", va, pa, err);
	KCHECK(err == E_OK);    /* the accesses below would fault */
	kprintf("paging: translate %lx: the frame + %lx\n", va + byte,
		pt_translate(kernel_pml4, va + byte) - pa);
	kprintf("paging: read through the new mapping: %lx\n", *(volatile uint64_t *)va);
	((volatile uint64_t *)va)[at] = word2;
	kprintf("paging: word %u written, seen through the direct map: %lx\n", at,
		((volatile uint64_t *)P2V(pa))[at]);
	kprintf("paging: mapping it again: %d\n", pt_map(kernel_pml4, va, pa, 1, 0));
	kprintf("paging: a misaligned address: %d\n",
		pt_map(kernel_pml4, va + misaligned, pa, 1, 0));
	KCHECK(pt_unmap(kernel_pml4, va) == E_OK);
	frame_free(pa);

	/* The direct map uses 2 MiB pages: there is no page table to walk into. */
	uint64_t inside_large = PHYS_BASE + challenge_range(&c, 0, 62) * LARGE_PAGE_SIZE +
				(challenge_range(&c, 0, 511) * PAGE_SIZE);
	kprintf("paging: walk into a large page: %s\n",
		pt_walk(kernel_pml4, inside_large, 1, false) ? "an entry" : "none");
	kprintf("paging: unmap inside a large page: %d\n", pt_unmap(kernel_pml4, inside_large));
	kprintf("paging: map inside a large page: %d\n",
		pt_map(kernel_pml4, inside_large, pa, 1, 0));
}

KTEST(paging_unmap_page, STAGE_PAGING)
{
	struct challenge c = ktest_challenge();
	uint64_t va = draw_test_page(&c), word = challenge_next(&c);
	uint64_t pa = frame_alloc(), v = 0;
	KCHECK(pa != 0);
	*(volatile uint64_t *)P2V(pa) = word;
	KCHECK(pt_map(kernel_pml4, va, pa, 1, PTE_WRITE | pte_nx) == E_OK);
	bool ok = probe_read_u64(va, &v);      /* also puts the entry in the TLB */
	kprintf("paging: read at %lx: %d, value %lx\n", va, ok, v);
	kprintf("paging: unmap: %d\n", pt_unmap(kernel_pml4, va));
	v = ~word;
	ok = probe_read_u64(va, &v);
	kprintf("paging: read after unmap %s, value %lx\n", ok ? "succeeded" : "faulted", v);
	kprintf("paging: translate after unmap: %s\n",
		pt_translate(kernel_pml4, va) == PT_NO_MAPPING ? "none" : "still mapped");
	kprintf("paging: unmap again: %d\n", pt_unmap(kernel_pml4, va));
	frame_free(pa);

	/* In another 1 GiB of the region (no page directory there): a lookup and an
	 * unmap find nothing, and must not make tables to find it. */
	uint64_t gib = ((va - TEST_VA) >> 30) + 1 + challenge_range(&c, 0, 253);
	uint64_t far = TEST_VA + ((gib % 256) << 30) + challenge_range(&c, 0, 262143) * PAGE_SIZE;
	size_t before = frame_free_count();
	bool found = pt_walk(kernel_pml4, far, 1, false) != NULL;
	int err = pt_unmap(kernel_pml4, far);
	kprintf("paging: walk and unmap where no table is: %s, %d, %zu frames used\n",
		found ? "an entry" : "none", err, before - frame_free_count());
}

/*
 * Pages in one 2 MiB region share their page table: mapping the first costs three
 * tables, the others none. The seed picks the region, the count and the pages.
 */
KTEST(paging_table_reuse, STAGE_PAGING)
{
	enum { MAX = 24 };
	static unsigned slot[PAGE_SIZE / 8];
	struct challenge c = ktest_challenge();
	uint64_t region = TEST_VA +
		(challenge_range(&c, 0, TEST_SIZE / LARGE_PAGE_SIZE - 1) * LARGE_PAGE_SIZE);
	unsigned n = (unsigned)challenge_range(&c, 2, MAX);
	uint64_t frame[MAX] = { 0 }, va[MAX] = { 0 };

	for (unsigned i = 0; i < PAGE_SIZE / 8; i++)
		slot[i] = i;
	for (unsigned i = 0; i < n; i++) {      /* n distinct pages of the region */
		unsigned j = (unsigned)challenge_range(&c, i, PAGE_SIZE / 8 - 1), t = slot[i];
		slot[i] = slot[j];
		slot[j] = t;
		va[i] = region + ((uint64_t)slot[i] * PAGE_SIZE);
		frame[i] = frame_alloc();
		KCHECK(frame[i] != 0);
		*(uint64_t *)P2V(frame[i]) = challenge_next(&c);
	}
	size_t free0 = frame_free_count();
	KCHECK(pt_map(kernel_pml4, va[0], frame[0], 1, pte_nx) == E_OK);
	size_t free1 = frame_free_count();
	for (unsigned i = 1; i < n; i++)
		KCHECK(pt_map(kernel_pml4, va[i], frame[i], 1, pte_nx) == E_OK);
	size_t free2 = frame_free_count();
	kprintf("paging: first page in a new region took %zu table frames, the other %u took %zu\n",
		free0 - free1, n - 1, free1 - free2);
	uint64_t h = DIGEST_START;
	for (unsigned i = 0; i < n; i++)
		h = digest_add(h, *(volatile uint64_t *)va[i]);
	kprintf("paging: %u pages read through their mappings: digest %lx\n", n, h);
	for (unsigned i = 0; i < n; i++) {
		KCHECK(pt_unmap(kernel_pml4, va[i]) == E_OK);
		frame_free(frame[i]);
	}
}

/*
 * New page tables must start empty. Frames that held garbage (here: every entry
 * "present", pointing at a frame the seed picks) are freed first, so a LIFO allocator
 * hands them to the walk as tables. The seed picks the fresh 1 GiB region and the pages
 * mapped in its first 4 MiB; none of the others may translate.
 */
KTEST(paging_tables_zeroed, STAGE_PAGING)
{
	enum { DIRTY = 16, MAX = 8, AROUND = 1024 };
	struct challenge c = ktest_challenge();
	uint64_t dirty[DIRTY], frame[MAX], va[MAX];
	uint64_t region = TEST_VA + (challenge_range(&c, 0, TEST_SIZE / (1ul << 30) - 1) << 30);
	unsigned n = (unsigned)challenge_range(&c, 2, MAX);

	for (int i = 0; i < DIRTY; i++) {
		dirty[i] = frame_alloc();
		KCHECK(dirty[i] != 0);
		uint64_t *e = P2V(dirty[i]);
		uint64_t garbage = (challenge_range(&c, 0x100, 0x7fff) * PAGE_SIZE) | 0x67;
		for (unsigned j = 0; j < PAGE_SIZE / 8; j++)
			e[j] = garbage;         /* present, writable, user, accessed, dirty */
	}
	for (int i = DIRTY - 1; i >= 0; i--)
		frame_free(dirty[i]);

	for (unsigned i = 0; i < n; i++) {      /* one page in each eighth of 4 MiB */
		va[i] = region + (((uint64_t)i * (AROUND / MAX) +
				   challenge_range(&c, 0, AROUND / MAX - 1)) * PAGE_SIZE);
		frame[i] = frame_alloc();
		KCHECK(frame[i] != 0);
		*(uint64_t *)P2V(frame[i]) = challenge_next(&c);
		KCHECK(pt_map(kernel_pml4, va[i], frame[i], 1, pte_nx) == E_OK);
	}
	unsigned right = 0, stray = 0;
	uint64_t h = DIGEST_START;
	for (unsigned i = 0; i < n; i++) {
		right += pt_translate(kernel_pml4, va[i]) == frame[i];
		h = digest_add(h, *(volatile uint64_t *)va[i]);
	}
	for (uint64_t off = 0; off < AROUND * PAGE_SIZE; off += PAGE_SIZE) {
		bool mapped = false;
		for (unsigned i = 0; i < n; i++)
			mapped = mapped || va[i] == region + off;
		if (!mapped && pt_translate(kernel_pml4, region + off) != PT_NO_MAPPING)
			stray++;
	}
	kprintf("paging: %u pages mapped in a fresh region, %u at their frames, digest %lx; "
		"pages mapped around them: %u\n", n, right, h, stray);
	for (unsigned i = 0; i < n; i++) {
		KCHECK(pt_unmap(kernel_pml4, va[i]) == E_OK);
		frame_free(frame[i]);
	}
}

/*
 * The page below the boot stack is a guard: overflowing into it is a double fault. The
 * stack fills with a word from the seed until a push reaches the guard; the dump shows
 * that word (rax), a second one (rbx), the stack's last address and the push's target.
 */
KTEST(paging_stack_guard, STAGE_PAGING)
{
	extern char kernel_stack_guard[];
	struct challenge c = ktest_challenge();
	uint64_t word = challenge_next(&c), other = challenge_next(&c), v;
	uint64_t guard = (uint64_t)kernel_stack_guard;
	kprintf("guard: stack guard page at %016lx is %s\n", guard,
		probe_read_u64(guard, &v) ? "mapped" : "unmapped");
	kprintf("guard: the stack ends at %016lx, its last word at %016lx\n", guard + PAGE_SIZE,
		guard + PAGE_SIZE - 8);
	kprintf("guard: pushing without end\n");
	__asm__ volatile("1: pushq %%rax\n\t"
			 "jmp 1b"
			 :
			 : "a"(word), "b"(other)
			 : "memory");
}

static const uint64_t some_constant = 0xc0ffee;
static uint64_t some_variable = 1;

/* The 8-byte-aligned address of a word in [start, end) that the seed picks. */
static uint64_t draw_word_in(struct challenge *c, const char *start, const char *end)
{
	uint64_t words = (uint64_t)(end - start) / 8;
	return (uint64_t)start + challenge_range(c, 0, words - 1) * 8;
}

/*
 * W^X: the kernel cannot write its code or constants, nor run its data or constants;
 * low memory is gone; every page of the image is global. The seed picks the words of
 * text and read-only data written (each with what it holds, so a kernel that lets the
 * write through does not crash), the value written to data, and the address of page 0
 * that is read.
 */
KTEST(paging_kernel_protection, STAGE_PAGING)
{
	extern char kernel_text_end[], kernel_rodata_end[];
	struct challenge c = ktest_challenge();
	uint64_t text = draw_word_in(&c, kernel_text_start, kernel_text_end);
	uint64_t rodata = draw_word_in(&c, kernel_rodata_start, kernel_rodata_end);
	uint64_t value = challenge_next(&c), low = challenge_range(&c, 0, PAGE_SIZE / 8 - 1) * 8;
	uint64_t v;

	kprintf("protect: write to kernel text %s\n",
		probe_write_u64(text, *(volatile uint64_t *)text) ? "succeeded" : "faulted");
	kprintf("protect: write to read-only data %s\n",
		probe_write_u64(rodata, *(volatile uint64_t *)rodata) ? "succeeded" : "faulted");
	bool ok = probe_write_u64((uint64_t)&some_constant, value);
	kprintf("protect: write to a constant %s, it holds %lx\n", ok ? "succeeded" : "faulted",
		*(volatile const uint64_t *)&some_constant);
	ok = probe_write_u64((uint64_t)&some_variable, value);
	kprintf("protect: write of %lx to data %s, it holds %lx\n", value,
		ok ? "succeeded" : "faulted", *(volatile uint64_t *)&some_variable);
	kprintf("protect: read of address %lx %s\n", low,
		probe_read_u64(low, &v) ? "succeeded" : "faulted");

	pte_t *data = pt_walk(kernel_pml4, (uint64_t)&some_variable, 1, false);
	pte_t *code = pt_walk(kernel_pml4, text, 1, false);
	pte_t *constants = pt_walk(kernel_pml4, rodata, 1, false);
	KCHECK(data && code && constants);
	kprintf("protect: data is %s, read-only data is %s, text is %s\n",
		(*data & pte_nx) || !pte_nx ? "no-execute" : "executable",
		(*constants & pte_nx) || !pte_nx ? "no-execute" : "executable",
		(*code & PTE_NX) ? "no-execute" : "executable");
	/* Every address space shares the kernel's pages: global, they stay in the TLB
	 * when CR3 changes (QEMU's TLB does not show that, so the entries are read). */
	kprintf("protect: global pages: text %s, read-only data %s, data %s\n",
		*code & PTE_GLOBAL ? "yes" : "no", *constants & PTE_GLOBAL ? "yes" : "no",
		*data & PTE_GLOBAL ? "yes" : "no");
}
