/**
 * @file
 * lab5_quota.c — scenarios for lab 5: unmap gives a task's kernel memory back, and a
 * quota too large to mean anything is refused.
 *
 * The one thing to know: a page mapped into an empty 512 GiB slot of a task costs it
 * three page tables, 12 KiB of its quota. With a quota of 16 pages only five such
 * mappings fit at once, so a task that receives some 300 of them one after another (each
 * unmapped before the next) gets them only because unmap freed the tables and
 * refunded them. The root passes one page of its own; a thread in a second task
 * receives it into a window over all of user space, reads it and says what it read.
 * A grant is the other way a page leaves a task: it must give the tables back too.
 */
#include <minim.h>
#include <sigma0.h>
#include "utest.h"

#define STACK_SIZE   8192
#define PAGE_VA      0x0000300000000000ul       /* the root's pages to pass on */
#define QUOTA_PAGES  16
#define SLOT         (1ul << 39)                /* what one PML4 entry maps */
#define RETURN_VA    0x0000310000000000ul       /* where granted pages come back */

static char child_stack[STACK_SIZE] __attribute__((aligned(16)));

/* In the second task: for each item, how many pages arrived and the first word of the
 * first one (MR0 of the message says where), as the reply. */
static void receiver(unsigned long ep)
{
	struct msg m;
	utcb()->map_window = FPAGE_USER_SPACE;
	long r = ipc_receive((long)ep, &m, IPC_TIMEOUT_INFINITE);
	for (;;) {
		unsigned long pages = r == 0 && IPC_TAG_TYPED(m.tag) == 1 ? utcb()->mr[2] : 0;
		unsigned long word = pages ? *(volatile unsigned long *)m.mr0 : 0;
		m = (struct msg){ .tag = IPC_TAG(0, 2, 0), .mr0 = pages, .mr1 = word };
		r = ipc_reply_receive((long)ep, &m);
	}
}

/* In the second task: each page that arrives (MR0 says where) is granted straight
 * back to the caller, in the reply; MR0 of the reply says how many pages arrived. */
static void granter(unsigned long ep)
{
	struct msg m;
	utcb()->map_window = FPAGE_USER_SPACE;
	long r = ipc_receive((long)ep, &m, IPC_TIMEOUT_INFINITE);
	for (;;) {
		unsigned long pages = r == 0 && IPC_TAG_TYPED(m.tag) == 1 ? utcb()->mr[2] : 0;
		unsigned long at = m.mr0;
		m = (struct msg){ .tag = IPC_TAG(0, 1, 1), .mr0 = pages,
				  .mr1 = IPC_MAP_ITEM(IPC_ITEM_GRANT, 0, MAP_WRITE) };
		utcb()->mr[2] = FPAGE(at, 12);
		r = ipc_reply_receive((long)ep, &m);
	}
}

/* A second task whose thread runs fn on ep; returns its task slot. */
static long start_task_on(const struct boot_info_page *bi, long ep,
			  void (*fn)(unsigned long))
{
	long task = utest_task_clone(bi);
	UCHECK(task > 0);
	long ep_there = sys_cap_copy(task, ep, RIGHT_RECEIVE, 0);
	UCHECK(ep_there > 0);
	utest_spawn_in_task(task, 50, fn, child_stack, STACK_SIZE, (unsigned long)ep_there);
	return task;
}

static long start_receiver(const struct boot_info_page *bi, long ep)
{
	return start_task_on(bi, ep, receiver);
}

/* Where round i's page goes, from the seed: slots 1 to 254 (0 holds the task's image,
 * 255 its UTCBs), then the next 1 GiB of each, and a page of that 1 GiB. */
static unsigned long round_address(struct challenge *c, unsigned long i)
{
	unsigned long page = challenge_range(c, 0, (1ul << 18) - 1);
	return (i % 254 + 1) * SLOT + (i / 254) * (1ul << 30) + page * 4096;
}

/* Maps the root's 2^log2 bytes at PAGE_VA to `at` in the receiver, with `token` at
 * word `index` of the first page; the receiver says how many pages arrived (*pages)
 * and what it read there (*word). Then unmaps them from it and returns how many
 * mappings that took back. */
static long pass_and_take(long ep, unsigned long at, unsigned log2, unsigned long index,
			  unsigned long token, unsigned long *pages, unsigned long *word)
{
	((volatile unsigned long *)PAGE_VA)[index] = token;
	struct msg m = { .tag = IPC_TAG(0, 1, 1), .mr0 = at + index * 8,
			 .mr1 = IPC_MAP_ITEM(IPC_ITEM_MAP, at, 0) };
	utcb()->mr[2] = FPAGE(PAGE_VA, log2);
	UCHECK_EQ(ipc_call(ep, &m), 0);
	*pages = m.mr0;
	*word = m.mr1;
	return sys_unmap(FPAGE(PAGE_VA, log2), 0);
}

/* How many rounds, where, and the words read back: from the seed. */
UTEST(paging_quota_refund)
{
	struct challenge c = utest_challenge(bi);
	unsigned long rounds = challenge_range(&c, 260, 340);
	UCHECK(sigma0_alloc_page(bi->sigma0_slot, PAGE_VA) == 0);
	long ep = sys_endpoint_create();
	UCHECK(ep > 0);
	long task = start_receiver(bi, ep);
	printf("refund: limiting a task to %d pages -> %ld\n", QUOTA_PAGES,
	       sys_task_quota(task, QUOTA_PAGES));

	unsigned long arrived = 0, taken = 0, pages, word, h = DIGEST_START;
	for (unsigned long i = 0; i < rounds; i++) {
		unsigned long at = round_address(&c, i);
		unsigned long index = challenge_range(&c, 0, 511);
		taken += (unsigned long)pass_and_take(ep, at, 12, index, challenge_next(&c),
						      &pages, &word);
		arrived += pages;
		h = digest_add(h, word);
	}
	printf("refund: %lu of %lu pages arrived, each in an empty 512 GiB slot; read back, "
	       "digest %lx; unmap took back %lu\n", arrived, rounds, h, taken);

	/* Beside the kernel's own pages: their tables must stay, or the task dies. The
	 * last page of the 2 MiB its image starts in (USER_IMAGE_BASE; the image, data and
	 * bss too, is well under 2 MiB, but past 1 MiB) shares the page table of its code. */
	static const struct {
		const char *what;
		unsigned long at;
	} beside[] = {
		{ "its code", USER_IMAGE_BASE + 0x1ff000 },
		{ "its UTCBs", USER_UTCB_BASE + 256 * 4096ul },
	};
	for (unsigned i = 0; i < 2; i++) {
		unsigned long index = challenge_range(&c, 0, 511);
		long back = pass_and_take(ep, beside[i].at, 12, index, challenge_next(&c), &pages,
					  &word);
		printf("refund: a page beside %s: %lu arrived, read back %lx, taken back: %ld\n",
		       beside[i].what, pages, word, back);
	}
	struct msg m = { .tag = IPC_TAG(0, 1, 0), .mr0 = 0 };
	printf("refund: the task still answers: %ld\n", ipc_call(ep, &m));
}

UTEST(paging_quota_absurd)
{
	struct challenge c = utest_challenge(bi);
	unsigned long at = challenge_range(&c, 1, 254) * SLOT, index = challenge_range(&c, 0, 511);
	unsigned long token = challenge_next(&c);
	for (unsigned long i = 0; i < 8; i++)      /* the most pages one message carries */
		UCHECK(sigma0_alloc_page(bi->sigma0_slot, PAGE_VA + i * 4096) == 0);
	long ep = sys_endpoint_create();
	UCHECK(ep > 0);
	long task = start_receiver(bi, ep);
	printf("absurd: limiting a task to its thread and 4 pages -> %ld\n",
	       sys_task_quota(task, THREAD_COST_PAGES + 4));
	/* 2^62 pages wrap to a limit of 0 bytes, 2^52 + 64 to 64 pages, if multiplied. */
	printf("absurd: a quota of 2^62 pages -> %ld\n", sys_task_quota(task, 1ul << 62));
	printf("absurd: a quota of 2^52 + 64 pages -> %ld\n",
	       sys_task_quota(task, (1ul << 52) + 64));
	printf("absurd: a quota of one page more than the largest -> %ld\n",
	       sys_task_quota(task, TASK_QUOTA_MAX_PAGES + 1));
	/* Four pages: room for the tables of one mapping, so one page of 8 arrives. */
	unsigned long pages, word;
	long back = pass_and_take(ep, at, 15, index, token, &pages, &word);
	printf("absurd: the task got %lu of 8 pages (read back %lx); taken back: %ld\n", pages,
	       word, back);
}

/* How many rounds, where, and the words granted back: from the seed. */
UTEST(paging_grant_refund)
{
	struct challenge c = utest_challenge(bi);
	unsigned long rounds = challenge_range(&c, 260, 340);
	UCHECK(sigma0_alloc_page(bi->sigma0_slot, PAGE_VA) == 0);
	long ep = sys_endpoint_create();
	UCHECK(ep > 0);
	long task = start_task_on(bi, ep, granter);
	printf("grant: limiting a task to %d pages -> %ld\n", QUOTA_PAGES,
	       sys_task_quota(task, QUOTA_PAGES));
	unsigned long arrived = 0, back = 0, h = DIGEST_START;
	for (unsigned long i = 0; i < rounds; i++) {
		unsigned long at = round_address(&c, i);
		unsigned long index = challenge_range(&c, 0, 511);
		((volatile unsigned long *)PAGE_VA)[index] = challenge_next(&c);
		struct msg m = { .tag = IPC_TAG(0, 1, 1), .mr0 = at,
				 .mr1 = IPC_MAP_ITEM(IPC_ITEM_MAP, at, MAP_WRITE) };
		utcb()->mr[2] = FPAGE(PAGE_VA, 12);
		utcb()->map_window = FPAGE(RETURN_VA, 12);
		UCHECK_EQ(ipc_call(ep, &m), 0);
		utcb()->map_window = 0;
		arrived += m.mr0;
		int came = IPC_TAG_TYPED(m.tag) == 1 && utcb()->mr[2] == 1;
		back += came;
		h = digest_add(h, came ? ((volatile unsigned long *)RETURN_VA)[index] : 0);
		sys_unmap(FPAGE(RETURN_VA, 12), UNMAP_SELF);
	}
	printf("grant: %lu of %lu pages arrived, each in an empty 512 GiB slot, and %lu came "
	       "back granted; read back, digest %lx\n", arrived, rounds, back, h);
}
