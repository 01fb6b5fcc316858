/**
 * @file
 * lab5_quota.c — scenarios for lab 5: unmap gives a task's kernel memory back, and a
 * quota too large to mean anything is refused.
 *
 * The one thing to know: a page mapped into an empty 512 GiB slot of a task costs it
 * three page tables, 12 KiB of its quota. With a quota of 16 pages only five such
 * mappings fit at once, so a task that receives 300 of them one after another (each
 * unmapped before the next) gets them only because unmap freed the tables and
 * refunded them. The root passes one page of its own; a thread in a second task
 * receives it into a window over all of user space, reads it and says what it read.
 * A grant is the other way a page leaves a task: it must give the tables back too.
 */
#include <stdbool.h>
#include <minim.h>
#include <sigma0.h>
#include "utest.h"

#define STACK_SIZE   8192
#define PAGE_VA      0x0000300000000000ul       /* the root's pages to pass on */
#define ROUNDS       300
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
static long start_task_on(long ep, void (*fn)(unsigned long))
{
	long task = sys_task_create();
	UCHECK(task > 0);
	long ep_there = sys_cap_copy(task, ep, RIGHT_RECEIVE, 0);
	UCHECK(ep_there > 0);
	utest_spawn_in_task(task, 50, fn, child_stack, STACK_SIZE, (unsigned long)ep_there);
	return task;
}

static long start_receiver(long ep)
{
	return start_task_on(ep, receiver);
}

/* Maps the root's 2^log2 bytes at PAGE_VA to `at` in the receiver, which says how many
 * pages arrived (*pages) and whether it read `token` there; then unmaps them from it
 * and returns how many mappings that took back. */
static long pass_and_take(long ep, unsigned long at, unsigned log2, unsigned long token,
			  unsigned long *pages, bool *read_back)
{
	*(volatile unsigned long *)PAGE_VA = token;
	struct msg m = { .tag = IPC_TAG(0, 1, 1), .mr0 = at,
			 .mr1 = IPC_MAP_ITEM(IPC_ITEM_MAP, at, 0) };
	utcb()->mr[2] = FPAGE(PAGE_VA, log2);
	UCHECK(ipc_call(ep, &m) == 0);
	*pages = m.mr0;
	*read_back = m.mr0 > 0 && m.mr1 == token;
	return sys_unmap(FPAGE(PAGE_VA, log2), 0);
}

UTEST(paging_quota_refund)
{
	UCHECK(sigma0_alloc_page(bi->sigma0_slot, PAGE_VA) == 0);
	long ep = sys_endpoint_create();
	UCHECK(ep > 0);
	long task = start_receiver(ep);
	printf("refund: limiting a task to %d pages -> %ld\n", QUOTA_PAGES,
	       sys_task_quota(task, QUOTA_PAGES));

	/* Slots 1 to 254: 0 holds the task's image, 255 its UTCBs; then the next 1 GiB. */
	unsigned long arrived = 0, read = 0, taken = 0, pages, state = 0x5eed;
	bool ok;
	for (unsigned long i = 0; i < ROUNDS; i++) {
		unsigned long at = (i % 254 + 1) * SLOT + (i / 254) * (1ul << 30);
		taken += (unsigned long)pass_and_take(ep, at, 12, utest_random(&state), &pages,
						      &ok);
		arrived += pages;
		read += ok;
	}
	printf("refund: %lu of %d pages arrived, each in an empty 512 GiB slot; %lu read "
	       "back; unmap took back %lu\n", arrived, ROUNDS, read, taken);

	/* Beside the kernel's own pages: their tables must stay, or the task dies. */
	static const struct {
		const char *what;
		unsigned long at;
	} beside[] = {
		{ "its code", 0x500000 },
		{ "its UTCBs", USER_UTCB_BASE + 256 * 4096ul },
	};
	for (unsigned i = 0; i < 2; i++) {
		long back = pass_and_take(ep, beside[i].at, 12, utest_random(&state), &pages,
					  &ok);
		printf("refund: a page beside %s: %lu arrived, read back: %s, taken back: "
		       "%ld\n", beside[i].what, pages, ok ? "yes" : "no", back);
	}
	struct msg m = { .tag = IPC_TAG(0, 1, 0), .mr0 = 0 };
	printf("refund: the task still answers: %ld\n", ipc_call(ep, &m));
}

UTEST(paging_quota_absurd)
{
	for (unsigned long i = 0; i < 8; i++)      /* the most pages one message carries */
		UCHECK(sigma0_alloc_page(bi->sigma0_slot, PAGE_VA + i * 4096) == 0);
	long ep = sys_endpoint_create();
	UCHECK(ep > 0);
	long task = start_receiver(ep);
	printf("absurd: limiting a task to 4 pages -> %ld\n", sys_task_quota(task, 4));
	/* 2^62 pages wrap to a limit of 0 bytes, 2^52 + 64 to 64 pages, if multiplied. */
	printf("absurd: a quota of 2^62 pages -> %ld\n", sys_task_quota(task, 1ul << 62));
	printf("absurd: a quota of 2^52 + 64 pages -> %ld\n",
	       sys_task_quota(task, (1ul << 52) + 64));
	printf("absurd: a quota of one page more than the largest -> %ld\n",
	       sys_task_quota(task, TASK_QUOTA_MAX_PAGES + 1));
	/* Four pages: room for the tables of one mapping, so one page of 8 arrives. */
	unsigned long pages;
	bool ok;
	long back = pass_and_take(ep, 5 * SLOT, 15, 0xab5e, &pages, &ok);
	printf("absurd: the task got %lu of 8 pages (read back: %s); taken back: %ld\n", pages,
	       ok ? "yes" : "no", back);
}

UTEST(paging_grant_refund)
{
	UCHECK(sigma0_alloc_page(bi->sigma0_slot, PAGE_VA) == 0);
	long ep = sys_endpoint_create();
	UCHECK(ep > 0);
	long task = start_task_on(ep, granter);
	printf("grant: limiting a task to %d pages -> %ld\n", QUOTA_PAGES,
	       sys_task_quota(task, QUOTA_PAGES));
	unsigned long arrived = 0, back = 0, state = 0x9a47;
	for (unsigned long i = 0; i < ROUNDS; i++) {
		unsigned long at = (i % 254 + 1) * SLOT + (i / 254) * (1ul << 30);
		unsigned long token = utest_random(&state);
		*(volatile unsigned long *)PAGE_VA = token;
		struct msg m = { .tag = IPC_TAG(0, 1, 1), .mr0 = at,
				 .mr1 = IPC_MAP_ITEM(IPC_ITEM_MAP, at, MAP_WRITE) };
		utcb()->mr[2] = FPAGE(PAGE_VA, 12);
		utcb()->map_window = FPAGE(RETURN_VA, 12);
		UCHECK(ipc_call(ep, &m) == 0);
		utcb()->map_window = 0;
		arrived += m.mr0;
		if (IPC_TAG_TYPED(m.tag) == 1 && utcb()->mr[2] == 1 &&
		    *(volatile unsigned long *)RETURN_VA == token)
			back++;
		sys_unmap(FPAGE(RETURN_VA, 12), UNMAP_SELF);
	}
	printf("grant: %lu of %d pages arrived, each in an empty 512 GiB slot, and %lu came "
	       "back granted\n", arrived, ROUNDS, back);
}
