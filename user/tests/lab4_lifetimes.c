/**
 * @file
 * lab4_lifetimes.c — scenarios for lab 4 where an object dies, or a path is chosen,
 * while an IPC is under way: what the kernel may still assume afterwards.
 *
 * The one thing to know: each scenario arranges, by priorities and short sleeps, that
 * the dangerous moment really happens — a capability deleted while a thread is blocked
 * in the middle of a system call, a thread that has died being reconfigured, the same
 * message taking the general path and then the fast path — and prints what each side
 * saw, so a kernel that keeps a stale pointer or lets its two paths disagree prints
 * something else.
 */
#include <minim.h>
#include <thread.h>
#include "utest.h"

/*
 * Send+receive: the receive endpoint is named when the call starts, but used only after
 * the send phase, which blocks. Meanwhile its last capability goes, its slot is filled
 * with a thread capability, and a new endpoint is made (the kernel's pool hands out the
 * freed one's memory first). The receive must go by what the slot holds now (a thread:
 * E_TYPE), never by the pointer it looked up before blocking.
 */
static long sr_send_ep, sr_recv_ep, sr_new_ep;
static unsigned long sr_timeout;        /* the sender's, in ticks, from the seed */

static void sr_blocked_thread(unsigned long arg)
{
	struct msg m = { .tag = IPC_TAG(0, 1, 0), .mr0 = arg };
	long r = ipc(sr_send_ep, sr_recv_ep, IPC_FLAGS(IPC_SEND | IPC_RECEIVE, IPC_TIMEOUT_INFINITE),
		     &m);
	printf("sendrecv: its receive, on the slot now holding a thread -> %ld\n", r);
	if (r == 0)
		printf("sendrecv: must not appear: it took %lu from an endpoint it never named\n",
		       m.mr0);
}

static void sr_sender(unsigned long arg)
{
	struct msg m = { .tag = IPC_TAG(0, 1, 0), .mr0 = arg };
	printf("sendrecv: a send to the new endpoint, where nobody receives -> %ld\n",
	       ipc_send(sr_new_ep, &m, sr_timeout));
}

/* The blocked thread's word and the sender's timeout come from the seed. */
UTEST(ipc_send_receive_lifetime)
{
	struct challenge c = utest_challenge(bi);
	unsigned long word = challenge_next(&c);
	sr_timeout = challenge_range(&c, 3, 8);

	sr_send_ep = sys_endpoint_create();
	sr_recv_ep = sys_endpoint_create();
	UCHECK(sr_send_ep > 0 && sr_recv_ep > 0);
	utest_spawn(bi, 0, 10, sr_blocked_thread, word);
	utest_sleep_ticks(1);                   /* it sends, finds no receiver, and waits */

	UCHECK_EQ(sys_cap_delete(sr_recv_ep), 0);
	long filler = sys_cap_copy(bi->self_task_slot, bi->self_thread_slot, RIGHT_CONTROL, 0);
	UCHECK(filler == sr_recv_ep);           /* the lowest free slot: the deleted one */
	sr_new_ep = sys_endpoint_create();
	UCHECK(sr_new_ep > 0 && sr_new_ep != sr_recv_ep);

	struct msg m = { 0 };
	long r = ipc_receive(sr_send_ep, &m, IPC_TIMEOUT_POLL);
	printf("sendrecv: the root takes the blocked thread's message: %ld, %lx\n", r, m.mr0);
	utest_spawn(bi, 1, 5, sr_sender, challenge_next(&c));
	UCHECK(sys_thread_priority(bi->self_thread_slot, 1) == 0);
	utest_sleep_ticks(sr_timeout + 5);            /* past the sender's timeout */
	printf("sendrecv: done\n");
}

/*
 * A thread that has exited is only a name: setting its pager must fail (E_STATE) and
 * take no reference, or the endpoint could never die and its waiters would never hear
 * E_GONE.
 */
static long dh_endpoint;
static unsigned long dh_timeout;        /* the receiver's, in ticks, from the seed */

static void dh_exits(unsigned long arg)
{
	(void)arg;
}

/* Takes one word (printed XORed with its key), then waits again. */
static void dh_receiver(unsigned long key)
{
	struct msg m = { 0 };
	long r = ipc_receive(dh_endpoint, &m, dh_timeout);
	printf("handlers: the receiver got %ld: %lx\n", r, m.mr0 ^ key);
	printf("handlers: a receiver, after the endpoint's last capability went -> %ld\n",
	       ipc_receive(dh_endpoint, &m, dh_timeout));
}

/* The receiver's key, the word it gets and its timeout come from the seed. */
UTEST(ipc_dead_thread_handlers)
{
	struct challenge c = utest_challenge(bi);
	unsigned long key = challenge_next(&c), word = challenge_next(&c);
	dh_timeout = challenge_range(&c, 20, 40);

	dh_endpoint = sys_endpoint_create();
	UCHECK(dh_endpoint > 0);
	long dead = utest_spawn(bi, 0, 10, dh_exits, 0);
	utest_sleep_ticks(1);                   /* it runs and ends */
	printf("handlers: setting the pager of a thread that has exited -> %ld\n",
	       sys_thread_handlers(dead, dh_endpoint, dh_endpoint));
	printf("handlers: its priority -> %ld\n", sys_thread_priority(dead, 5));
	utest_spawn(bi, 1, 10, dh_receiver, key);
	utest_sleep_ticks(1);                   /* it waits at the endpoint */
	struct msg m = { .tag = IPC_TAG(0, 1, 0), .mr0 = word };
	UCHECK_EQ(ipc_send(dh_endpoint, &m, IPC_TIMEOUT_POLL), 0);
	utest_sleep_ticks(1);                   /* it reports, and waits again */
	UCHECK_EQ(sys_cap_delete(dh_endpoint), 0);
	UCHECK(sys_thread_priority(bi->self_thread_slot, 1) == 0);
	utest_sleep_ticks(dh_timeout + 10);           /* past the receiver's timeout */
	printf("handlers: done\n");
}

/*
 * The general path and the fast path deliver the same message the same way: only the
 * words the tag counts, so a receiver's MR0/MR1 beyond them keep their own values, and
 * buffer_words means the same (over 64: all 64). A server that waits with a timeout,
 * or replies with one, takes the general path; without, the fast path (client and
 * server at one priority, nothing queued).
 */
static long pa_endpoint;
/* The server's own words are pa_server_base + n, its reply words pa_reply_base + n,
 * the client's words pa_client_base + n: all from the seed. */
static unsigned long pa_server_base, pa_reply_base, pa_client_base;
#define S(n) (pa_server_base + (n))
#define A(n) (pa_reply_base + (n))
#define C(n) (pa_client_base + (n))

static void pa_show(const char *who, long r, const struct msg *m)
{
	printf("paths: %s: %ld, %lu word(s), MR0 %lx, MR1 %lx\n", who, r, IPC_TAG_UNTYPED(m->tag),
	       m->mr0, m->mr1);
}

static void pa_server(unsigned long arg)
{
	(void)arg;
	const unsigned long finite = 50;      /* ticks: never reached */
	struct msg m = { .mr0 = S(0), .mr1 = S(1) };
	long r = ipc(0, pa_endpoint, IPC_FLAGS(IPC_OP_RECEIVE, finite), &m);
	pa_show("general call, 1 word, the server has", r, &m);

	m = (struct msg){ .tag = IPC_TAG(0, 1, 0), .mr0 = A(1), .mr1 = S(2) };
	r = ipc(0, pa_endpoint, IPC_FLAGS(IPC_OP_REPLY_RECEIVE, finite), &m);
	pa_show("general call, 0 words, the server has", r, &m);

	m = (struct msg){ .tag = IPC_TAG(0, 1, 0), .mr0 = A(2), .mr1 = S(3) };
	r = ipc_reply_receive(pa_endpoint, &m);
	pa_show("fast call, 1 word, the server has", r, &m);

	m = (struct msg){ .tag = IPC_TAG(0, 0, 0), .mr0 = S(4), .mr1 = S(5) };
	r = ipc_reply_receive(pa_endpoint, &m);
	pa_show("fast call, 0 words, the server has", r, &m);

	utcb()->buffer_words = (1ul << 32) + 1;         /* over 64: all 64 */
	m = (struct msg){ .tag = IPC_TAG(0, 0, 0) };
	r = ipc_reply_receive(pa_endpoint, &m);
	pa_show("fast call, 2 words, buffer_words 2^32 + 1, the server has", r, &m);
	m = (struct msg){ .tag = IPC_TAG(0, 0, 0) };
	r = ipc(0, pa_endpoint, IPC_FLAGS(IPC_OP_REPLY_RECEIVE, finite), &m);
	pa_show("general send, 2 words, buffer_words 2^32 + 1, the server has", r, &m);
}

static void pa_client(unsigned long arg)
{
	(void)arg;
	struct msg m = { .tag = IPC_TAG(0, 1, 0), .mr0 = C(0), .mr1 = C(1) };
	long r = ipc_call(pa_endpoint, &m);
	pa_show("general reply, 1 word, the client has", r, &m);

	m = (struct msg){ .tag = IPC_TAG(0, 0, 0), .mr0 = C(2), .mr1 = C(3) };
	r = ipc_call(pa_endpoint, &m);
	pa_show("fast reply, 1 word, the client has", r, &m);

	m = (struct msg){ .tag = IPC_TAG(0, 1, 0), .mr0 = C(4), .mr1 = C(5) };
	r = ipc_call(pa_endpoint, &m);
	pa_show("fast reply, 0 words, the client has", r, &m);

	m = (struct msg){ .tag = IPC_TAG(0, 0, 0), .mr0 = C(6), .mr1 = C(7) };
	r = ipc_call(pa_endpoint, &m);
	pa_show("fast reply, 0 words, the client has", r, &m);

	m = (struct msg){ .tag = IPC_TAG(0, 2, 0), .mr0 = C(8), .mr1 = C(9) };
	r = ipc_call(pa_endpoint, &m);
	pa_show("general reply, 0 words, the client has", r, &m);

	m = (struct msg){ .tag = IPC_TAG(0, 2, 0), .mr0 = C(10), .mr1 = C(11) };
	printf("paths: the 2-word send -> %ld\n", ipc_send(pa_endpoint, &m, IPC_TIMEOUT_INFINITE));
}

UTEST(ipc_paths_agree)
{
	struct challenge c = utest_challenge(bi);
	pa_server_base = challenge_next(&c);
	pa_reply_base = challenge_next(&c);
	pa_client_base = challenge_next(&c);

	pa_endpoint = sys_endpoint_create();
	UCHECK(pa_endpoint > 0);
	utest_spawn(bi, 0, 40, pa_server, 0);   /* first of the two at priority 40 */
	utest_spawn(bi, 1, 40, pa_client, 0);
	UCHECK(sys_thread_priority(bi->self_thread_slot, 1) == 0);
	printf("paths: done\n");
}
