/**
 * @file
 * lab4_caps.c — scenarios for lab 4's capabilities: badges, rights, transfer in messages.
 *
 * The one thing to know: a capability's rights only ever shrink — by cap_copy, or by
 * the mask of a transferred item — and its badge, once set, is for ever; each scenario
 * tries to break one of those rules and prints the error it got.
 */
#include <minim.h>
#include <thread.h>
#include "utest.h"

#define STACK_SIZE 8192
static long endpoint;

/* ipc_badges: each client calls through its own badged copy with its own word. */
static long badge_slots[2];
static unsigned long badge_words[2];

static void badged_client(unsigned long i)
{
	struct msg m = { .tag = IPC_TAG(0, 1, 0), .mr0 = badge_words[i] };
	UCHECK_EQ(ipc_call(badge_slots[i], &m), 0);
}

/* The two badges, the refused re-badge and the clients' words come from the seed. */
UTEST(ipc_badges)
{
	struct challenge c = utest_challenge(bi);
	unsigned long badge_a = challenge_range(&c, 1, 1ul << 62);
	unsigned long badge_b = badge_a + challenge_range(&c, 1, 1ul << 62);  /* not a's */
	unsigned long rebadge = challenge_next(&c) | 1;
	badge_words[0] = challenge_next(&c);
	badge_words[1] = challenge_next(&c);

	endpoint = sys_endpoint_create();
	long a = sys_cap_copy(bi->self_task_slot, endpoint, RIGHT_SEND, badge_a);
	long b = sys_cap_copy(bi->self_task_slot, endpoint, RIGHT_SEND, badge_b);
	UCHECK(a > 0 && b > 0);
	badge_slots[0] = a;
	badge_slots[1] = b;
	printf("badge: rebadging a badged capability -> %ld\n",
	       sys_cap_copy(bi->self_task_slot, a, RIGHT_SEND, rebadge));
	printf("badge: copying with more rights -> %ld\n",
	       sys_cap_copy(bi->self_task_slot, a, RIGHT_SEND | RIGHT_RECEIVE, 0));
	utest_spawn(bi, 0, 10, badged_client, 0);       /* the first of the two to call */
	utest_spawn(bi, 1, 10, badged_client, 1);
	for (int i = 0; i < 2; i++) {
		struct msg m = { 0 };
		UCHECK_EQ(ipc_receive(endpoint, &m, 20), 0);
		printf("badge: a call with word %lx came with badge %lx\n", m.mr0, m.badge);
		UCHECK_EQ(ipc_reply(&m), 0);
	}
}

/* Prints the word it got XORed with its key. */
static void plain_receiver(unsigned long key)
{
	struct msg m = { 0 };
	long r = ipc_receive(endpoint, &m, IPC_TIMEOUT_INFINITE);
	printf("rights: the receiver got %ld: %lx\n", r, m.mr0 ^ key);
}

/* The word, the receiver's key, the empty slot and the unknown bit from the seed. */
UTEST(ipc_rights)
{
	struct challenge c = utest_challenge(bi);
	unsigned long word = challenge_next(&c), key = challenge_next(&c);
	long bad_slot = (long)challenge_range(&c, 1000, 1000000);
	unsigned long unknown_op = 1ul << challenge_range(&c, 4, 7);   /* 0x10 to 0x80 */

	endpoint = sys_endpoint_create();
	long recv_only = sys_cap_copy(bi->self_task_slot, endpoint, RIGHT_RECEIVE, 0);
	long send_only = sys_cap_copy(bi->self_task_slot, endpoint, RIGHT_SEND, 0);
	struct msg m = { .tag = IPC_TAG(0, 1, 0), .mr0 = word };
	printf("rights: call without the send right -> %ld\n", ipc_call(recv_only, &m));
	printf("rights: receive without the receive right -> %ld\n",
	       ipc_receive(send_only, &m, IPC_TIMEOUT_POLL));
	m = (struct msg){ .tag = IPC_TAG(0, 0, 1), .mr0 = IPC_ITEM_CAP, .mr1 = endpoint };
	printf("rights: sending a capability without the grant right -> %ld\n",
	       ipc_send(send_only, &m, IPC_TIMEOUT_POLL));
	printf("rights: ipc on a thread's slot -> %ld\n",
	       ipc_send(bi->self_thread_slot, &m, IPC_TIMEOUT_POLL));
	printf("rights: ipc on slot %ld -> %ld\n", bad_slot,
	       ipc_send(bad_slot, &m, IPC_TIMEOUT_POLL));
	printf("rights: unknown operation bit %lx -> %ld\n", unknown_op,
	       ipc(endpoint, endpoint, IPC_FLAGS(unknown_op, 0), &m));

	/* Fewer rights still leave the rights that remain working. */
	utest_spawn(bi, 0, 60, plain_receiver, key);
	UCHECK(sys_thread_priority(bi->self_thread_slot, 60) == 0);
	sys_yield();    /* the receiver waits now */
	m = (struct msg){ .tag = IPC_TAG(0, 1, 0), .mr0 = word };
	printf("rights: the send-only copy still sends -> %ld\n",
	       ipc_send(send_only, &m, IPC_TIMEOUT_POLL));
	sys_yield();
}

/*
 * In the second task: receives a word, a label and a capability, then sends through
 * the capability 3 * word + label, and tries to receive through it.
 */
static void cap_receiver(unsigned long my_endpoint)
{
	struct msg m = { 0 };
	utcb()->accept_caps = 1;
	long r = ipc_receive((long)my_endpoint, &m, IPC_TIMEOUT_INFINITE);
	long got = (long)utcb()->mr[2];
	printf("transfer: the other task received %ld with %lu item(s), label %lu, the "
	       "capability in slot %ld\n", r, IPC_TAG_TYPED(m.tag), IPC_TAG_LABEL(m.tag), got);
	struct msg hello = { .tag = IPC_TAG(0, 1, 0),
			     .mr0 = 3 * m.mr0 + IPC_TAG_LABEL(m.tag) };
	printf("transfer: it sends through the new capability -> %ld\n",
	       ipc_send(got, &hello, IPC_TIMEOUT_INFINITE));
	printf("transfer: it tries to receive through it -> %ld\n",
	       ipc_receive(got, &hello, IPC_TIMEOUT_POLL));
	thread_exit();
}

static char receiver_stack[STACK_SIZE] __attribute__((aligned(16)));

/*
 * The word and label from the seed, and how many of the other task's slots are taken
 * before the capability arrives: it lands in the lowest free one.
 */
UTEST(ipc_cap_transfer)
{
	struct challenge c = utest_challenge(bi);
	unsigned long word = challenge_next(&c);
	unsigned long label = challenge_range(&c, 1, 1ul << 40);
	unsigned long fillers = challenge_range(&c, 0, 8);

	long task = utest_task_clone(bi);
	UCHECK(task > 0);
	long to_child = sys_endpoint_create();
	long child_slot = sys_cap_copy(task, to_child, RIGHT_RECEIVE, 0);
	UCHECK(child_slot > 0);
	long t = sys_thread_create(task, 60);
	UCHECK(sys_thread_start(t, (unsigned long)cap_receiver,
				(unsigned long)receiver_stack + STACK_SIZE - 8,
				(unsigned long)child_slot) == 0);
	for (unsigned long i = 0; i < fillers; i++)
		UCHECK(sys_cap_copy(task, to_child, RIGHT_SEND, 0) > 0);

	long mine = sys_endpoint_create();
	long gift = sys_cap_copy(bi->self_task_slot, mine, RIGHT_SEND, 0);
	struct msg m = { .tag = IPC_TAG(label, 1, 1), .mr0 = word,
			 .mr1 = IPC_ITEM_CAP | IPC_ITEM_MOVE | IPC_ITEM_RIGHTS(RIGHTS_ALL) };
	utcb()->mr[2] = (unsigned long)gift;
	printf("transfer: moving a send-only capability -> %ld\n",
	       ipc_send(to_child, &m, IPC_TIMEOUT_INFINITE));
	printf("transfer: the moved slot is empty now -> %ld\n", sys_cap_delete(gift));
	struct msg got = { 0 };
	long r = ipc_receive(mine, &got, 20);
	printf("transfer: the root got %ld: %lx\n", r, got.mr0);
	UCHECK(sys_thread_priority(bi->self_thread_slot, 1) == 0);     /* let it finish */
}

/*
 * Prints the word it got XORed with its key; if a capability arrived, tries to receive
 * through it, then sends the word + 1 through it to the root.
 */
static unsigned long mask_keys[2];

static void mask_receiver(unsigned long i)
{
	struct msg m = { 0 };
	unsigned long accept = i == 0;
	utcb()->accept_caps = accept;
	utcb()->mr[2] = 0;
	long r = ipc_receive(endpoint, &m, IPC_TIMEOUT_INFINITE);
	long got = (long)utcb()->mr[2];
	printf("mask: a receiver %s capabilities got %ld, word %lx, slot %s\n",
	       accept ? "accepting" : "not accepting", r, m.mr0 ^ mask_keys[i],
	       got ? "new" : "0");
	if (got) {
		struct msg back = { .tag = IPC_TAG(0, 1, 0), .mr0 = m.mr0 + 1 };
		printf("mask: receiving through the send-only copy -> %ld\n",
		       ipc_receive(got, &m, IPC_TIMEOUT_POLL));
		UCHECK_EQ(ipc_send(got, &back, IPC_TIMEOUT_INFINITE), 0);
	}
}

/*
 * The item's rights mask narrows what arrives; a receiver may refuse capabilities. The
 * words and the receivers' keys come from the seed.
 */
UTEST(ipc_cap_mask)
{
	struct challenge c = utest_challenge(bi);
	unsigned long words[2];
	for (int i = 0; i < 2; i++) {
		words[i] = challenge_next(&c);
		mask_keys[i] = challenge_next(&c);
	}

	endpoint = sys_endpoint_create();
	long full = sys_endpoint_create();     /* send, receive and grant */
	UCHECK(sys_thread_priority(bi->self_thread_slot, 60) == 0);
	for (int i = 0; i < 2; i++) {
		utest_spawn(bi, i, 60, mask_receiver, (unsigned long)i);
		sys_yield();    /* the receiver waits now */
		struct msg m = { .tag = IPC_TAG(0, 1, 1), .mr0 = words[i],
				 .mr1 = IPC_ITEM_CAP | IPC_ITEM_RIGHTS(RIGHT_SEND) };
		utcb()->mr[2] = (unsigned long)full;
		UCHECK_EQ(ipc_send(endpoint, &m, IPC_TIMEOUT_POLL), 0);
		sys_yield();    /* let it report */
		if (i == 0) {   /* its answer waits at full, sent through the new slot */
			m = (struct msg){ 0 };
			long r = ipc_receive(full, &m, IPC_TIMEOUT_POLL);
			printf("mask: the root got %ld: %lx through the new slot\n", r, m.mr0);
		}
	}
}
