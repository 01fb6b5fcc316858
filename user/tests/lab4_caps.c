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

static void badged_client(unsigned long slot)
{
	struct msg m = { .tag = IPC_TAG(0, 1, 0), .mr0 = slot };
	UCHECK(ipc_call((long)slot, &m) == 0);
}

UTEST(ipc_badges)
{
	endpoint = sys_endpoint_create();
	long a = sys_cap_copy(bi->self_task_slot, endpoint, RIGHT_SEND, 111);
	long b = sys_cap_copy(bi->self_task_slot, endpoint, RIGHT_SEND, 222);
	UCHECK(a > 0 && b > 0);
	printf("badge: rebadging a badged capability -> %ld\n",
	       sys_cap_copy(bi->self_task_slot, a, RIGHT_SEND, 333));
	printf("badge: copying with more rights -> %ld\n",
	       sys_cap_copy(bi->self_task_slot, a, RIGHT_SEND | RIGHT_RECEIVE, 0));
	utest_spawn(bi, 0, 10, badged_client, (unsigned long)a);
	utest_spawn(bi, 1, 10, badged_client, (unsigned long)b);
	for (int i = 0; i < 2; i++) {
		struct msg m;
		UCHECK(ipc_receive(endpoint, &m, 20) == 0);
		printf("badge: a call through slot %s came with badge %lu\n",
		       m.mr0 == (unsigned long)a ? "a" : "b", m.badge);
		UCHECK(ipc_reply(&m) == 0);
	}
}

static void plain_receiver(unsigned long arg)
{
	(void)arg;
	struct msg m;
	long r = ipc_receive(endpoint, &m, IPC_TIMEOUT_INFINITE);
	printf("rights: the receiver got %ld: %lu\n", r, m.mr0);
}

UTEST(ipc_rights)
{
	endpoint = sys_endpoint_create();
	long recv_only = sys_cap_copy(bi->self_task_slot, endpoint, RIGHT_RECEIVE, 0);
	long send_only = sys_cap_copy(bi->self_task_slot, endpoint, RIGHT_SEND, 0);
	struct msg m = { .tag = IPC_TAG(0, 1, 0) };
	printf("rights: call without the send right -> %ld\n", ipc_call(recv_only, &m));
	printf("rights: receive without the receive right -> %ld\n",
	       ipc_receive(send_only, &m, IPC_TIMEOUT_POLL));
	m = (struct msg){ .tag = IPC_TAG(0, 0, 1), .mr0 = IPC_ITEM_CAP, .mr1 = endpoint };
	printf("rights: sending a capability without the grant right -> %ld\n",
	       ipc_send(send_only, &m, IPC_TIMEOUT_POLL));
	printf("rights: ipc on a thread's slot -> %ld\n",
	       ipc_send(bi->self_thread_slot, &m, IPC_TIMEOUT_POLL));
	printf("rights: ipc on slot 5000 -> %ld\n", ipc_send(5000, &m, IPC_TIMEOUT_POLL));
	printf("rights: unknown operation bits -> %ld\n",
	       ipc(endpoint, endpoint, IPC_FLAGS(0x80, 0), &m));

	/* Fewer rights still leave the rights that remain working. */
	utest_spawn(bi, 0, 60, plain_receiver, 0);
	UCHECK(sys_thread_priority(bi->self_thread_slot, 60) == 0);
	sys_yield();    /* the receiver waits now */
	m = (struct msg){ .tag = IPC_TAG(0, 1, 0), .mr0 = 31 };
	printf("rights: the send-only copy still sends -> %ld\n",
	       ipc_send(send_only, &m, IPC_TIMEOUT_POLL));
	sys_yield();
}

/* In the second task: receives a capability, then uses it. */
static void cap_receiver(unsigned long my_endpoint)
{
	struct msg m;
	utcb()->accept_caps = 1;
	long r = ipc_receive((long)my_endpoint, &m, IPC_TIMEOUT_INFINITE);
	long got = (long)m.mr1;
	printf("transfer: the other task received %ld with %lu item(s), the capability in "
	       "slot %ld\n", r, IPC_TAG_TYPED(m.tag), got);
	struct msg hello = { .tag = IPC_TAG(0, 1, 0), .mr0 = 7 };
	printf("transfer: it sends through the new capability -> %ld\n",
	       ipc_send(got, &hello, IPC_TIMEOUT_INFINITE));
	printf("transfer: it tries to receive through it -> %ld\n",
	       ipc_receive(got, &hello, IPC_TIMEOUT_POLL));
	thread_exit();
}

static char receiver_stack[STACK_SIZE] __attribute__((aligned(16)));

UTEST(ipc_cap_transfer)
{
	long task = sys_task_create();
	UCHECK(task > 0);
	long to_child = sys_endpoint_create();
	long child_slot = sys_cap_copy(task, to_child, RIGHT_RECEIVE, 0);
	UCHECK(child_slot > 0);
	long t = sys_thread_create(task, 60);
	UCHECK(sys_thread_start(t, (unsigned long)cap_receiver,
				(unsigned long)receiver_stack + STACK_SIZE - 8,
				(unsigned long)child_slot) == 0);

	long mine = sys_endpoint_create();
	long gift = sys_cap_copy(bi->self_task_slot, mine, RIGHT_SEND, 0);
	struct msg m = { .tag = IPC_TAG(0, 0, 1),
			 .mr0 = IPC_ITEM_CAP | IPC_ITEM_MOVE | IPC_ITEM_RIGHTS(RIGHTS_ALL),
			 .mr1 = (unsigned long)gift };
	printf("transfer: moving a send-only capability -> %ld\n",
	       ipc_send(to_child, &m, IPC_TIMEOUT_INFINITE));
	printf("transfer: the moved slot is empty now -> %ld\n", sys_cap_delete(gift));
	struct msg got;
	long r = ipc_receive(mine, &got, 20);
	printf("transfer: the root got %ld: %lu\n", r, got.mr0);
	UCHECK(sys_thread_priority(bi->self_thread_slot, 1) == 0);     /* let it finish */
}

static void mask_receiver(unsigned long accept)
{
	struct msg m;
	utcb()->accept_caps = accept;
	long r = ipc_receive(endpoint, &m, IPC_TIMEOUT_INFINITE);
	long got = (long)m.mr1;
	printf("mask: a receiver %s capabilities got %ld, slot %s\n",
	       accept ? "accepting" : "not accepting", r, got ? "new" : "0");
	if (got)
		printf("mask: receiving through the send-only copy -> %ld\n",
		       ipc_receive(got, &m, IPC_TIMEOUT_POLL));
}

/* The item's rights mask narrows what arrives; a receiver may refuse capabilities. */
UTEST(ipc_cap_mask)
{
	endpoint = sys_endpoint_create();
	long full = sys_endpoint_create();     /* send, receive and grant */
	UCHECK(sys_thread_priority(bi->self_thread_slot, 60) == 0);
	for (int i = 0; i < 2; i++) {
		unsigned long accept = i == 0;
		utest_spawn(bi, i, 60, mask_receiver, accept);
		sys_yield();    /* the receiver waits now */
		struct msg m = { .tag = IPC_TAG(0, 0, 1),
				 .mr0 = IPC_ITEM_CAP | IPC_ITEM_RIGHTS(RIGHT_SEND),
				 .mr1 = (unsigned long)full };
		UCHECK(ipc_send(endpoint, &m, IPC_TIMEOUT_POLL) == 0);
		sys_yield();    /* let it report */
	}
}
