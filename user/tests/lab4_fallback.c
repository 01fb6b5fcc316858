/**
 * @file
 * lab4_fallback.c — the cases the IPC fast path must leave to the general path.
 *
 * The one thing to know: every exchange here would take the fast path but for one
 * condition — a queued sender, a deadline, an unused reply right, the priorities, a
 * long message, an item, a small buffer, a timeout, a notification — and prints what
 * the general path does about it. A fast path that skips the check changes a line, the
 * order of two lines, or leaves a thread waiting for ever; the grader also boots each
 * scenario with `fastpath=0` and requires the very same lines (grade/engine/twin.py).
 * The root runs at PRIO_MAX: it starts the threads, lets the servers reach their
 * receive (one tick), then waits until the clients say they are done.
 */
#include <minim.h>
#include <thread.h>
#include "utest.h"

#define HIGH    50
#define MIDDLE  40
#define LOW     30
#define FINISH_TICKS 400        /* the root's patience: far more than any scenario needs */

static long fb_ep, fb_done, fb_second;  /* the server's endpoint, the root's, a side one */
static unsigned long fb_key;            /* what servers add to a word to answer it */
static const char *fb_name;             /* the prefix of every line of the scenario */
static long fb_task;                    /* the root task's own slot */

static void fb_setup(const struct boot_info_page *bi, const char *name, struct challenge *c)
{
	fb_task = bi->self_task_slot;
	fb_name = name;
	fb_key = challenge_next(c);
	fb_ep = sys_endpoint_create();
	fb_done = sys_endpoint_create();
	fb_second = sys_endpoint_create();
	UCHECK(fb_ep > 0 && fb_done > 0 && fb_second > 0);
}

/* A thread's last act: tell the root. */
static void fb_finished(void)
{
	struct msg m = { .tag = IPC_TAG(0, 0, 0) };
	UCHECK_EQ(ipc_send(fb_done, &m, IPC_TIMEOUT_INFINITE), 0);
}

/* The root waits for `threads` threads to finish, and says how many did. */
static void fb_wait(unsigned threads)
{
	unsigned finished = 0;
	struct msg m;
	while (finished < threads && ipc_receive(fb_done, &m, FINISH_TICKS) == 0)
		finished++;
	printf("%s: done, %u of %u threads finished\n", fb_name, finished, threads);
}

/* A one-word call, printed with its result and the word that came back. */
static void fb_call(const char *what, long slot, unsigned long word)
{
	struct msg m = { .tag = IPC_TAG(0, 1, 0), .mr0 = word };
	long r = ipc_call(slot, &m);
	printf("%s: %s %lx -> %ld, %lx\n", fb_name, what, word, r, m.mr0);
}

static void fb_client(unsigned long word)
{
	fb_call("the call with", fb_ep, word);
	fb_finished();
}

/* The answer to m: one word, its first word plus the key. */
static struct msg fb_answer(const struct msg *m)
{
	return (struct msg){ .tag = IPC_TAG(0, 1, 0), .mr0 = m->mr0 + fb_key };
}

/*
 * A sender queued when the server replies and receives: the general path takes its
 * message at once, without blocking. A fast path that ignores the queue blocks the
 * server in the receive queue while the sender waits in the send queue, for ever.
 */
static void queued_server(unsigned long arg)
{
	(void)arg;
	struct msg m;
	long r = ipc_receive(fb_ep, &m, IPC_TIMEOUT_INFINITE);
	printf("queued: the server got %lx (%ld); a second caller queues meanwhile\n", m.mr0, r);
	utest_sleep_ticks(2);           /* the lower caller runs, finds nobody, queues */
	m = fb_answer(&m);
	r = ipc_reply_receive(fb_ep, &m);
	printf("queued: replying, the server took %lx at once (%ld)\n", m.mr0, r);
	m = fb_answer(&m);
	ipc_reply_receive(fb_ep, &m);
}

UTEST(ipc_fallback_queued_sender)
{
	struct challenge c = utest_challenge(bi);
	fb_setup(bi, "queued", &c);
	unsigned long first = challenge_next(&c), second = challenge_next(&c);
	utest_spawn(bi, 0, HIGH, queued_server, 0);
	utest_spawn(bi, 1, HIGH, fb_client, first);     /* calls the server at once */
	utest_spawn(bi, 2, MIDDLE, fb_client, second);  /* runs while the server sleeps */
	fb_wait(2);
}

/*
 * A receiver with a deadline: the call that comes in time must cancel it, or the old
 * deadline ends the server's next (infinite) wait with E_TIMEOUT.
 */
static unsigned long deadline_ticks;

static void deadline_server(unsigned long arg)
{
	(void)arg;
	struct msg m;
	long r = ipc_receive(fb_ep, &m, deadline_ticks);
	printf("deadline: the server, waiting %lu ticks, got %lx (%ld)\n", deadline_ticks,
	       m.mr0, r);
	m = fb_answer(&m);
	r = ipc_reply_receive(fb_ep, &m);
	printf("deadline: then, waiting for ever, it got %lx (%ld)\n", m.mr0, r);
	m = fb_answer(&m);
	UCHECK_EQ(ipc_reply(&m), 0);
	fb_finished();
}

static void deadline_client(unsigned long word)
{
	fb_call("the call in time with", fb_ep, word);
	utest_sleep_ticks(deadline_ticks + 10);         /* past the first deadline */
	fb_call("the call after the deadline with", fb_ep, word + 1);
	fb_finished();
}

UTEST(ipc_fallback_deadline)
{
	struct challenge c = utest_challenge(bi);
	fb_setup(bi, "deadline", &c);
	deadline_ticks = challenge_range(&c, 10, 30);
	unsigned long word = challenge_next(&c);
	utest_spawn(bi, 0, HIGH, deadline_server, 0);
	utest_sleep_ticks(1);                           /* the server waits, with its deadline */
	utest_spawn(bi, 1, MIDDLE, deadline_client, word);
	fb_wait(2);
}

/*
 * A receiver that holds an unused reply right: the next call takes its place, and the
 * caller it belonged to must hear E_GONE — a fast path that just overwrites the right
 * leaves that caller waiting for ever.
 */
static void right_server(unsigned long arg)
{
	(void)arg;
	struct msg m;
	long r = ipc_receive(fb_ep, &m, IPC_TIMEOUT_INFINITE);
	printf("right: the server got %lx (%ld) and receives again without replying\n", m.mr0,
	       r);
	r = ipc_receive(fb_ep, &m, IPC_TIMEOUT_INFINITE);
	printf("right: then it got %lx (%ld)\n", m.mr0, r);
	m = fb_answer(&m);
	printf("right: its reply -> %ld\n", ipc_reply(&m));
	fb_finished();
}

UTEST(ipc_fallback_reply_right)
{
	struct challenge c = utest_challenge(bi);
	fb_setup(bi, "right", &c);
	unsigned long first = challenge_next(&c), second = challenge_next(&c);
	utest_spawn(bi, 0, HIGH, right_server, 0);
	utest_spawn(bi, 1, MIDDLE, fb_client, first);
	utest_spawn(bi, 2, MIDDLE, fb_client, second);
	fb_wait(3);
}

/*
 * The priorities: the fast path switches only to a partner that the scheduler would
 * pick too — at least the current priority, and no other thread of that priority
 * ready before it. Each phase has a third thread the order would change for.
 */
static void order_ran(unsigned long what)
{
	printf("order: %s ran\n", (const char *)what);
	fb_finished();
}

/* Waits at fb_second until a server wakes it, then says so. */
static void order_woken(unsigned long what)
{
	struct msg m;
	UCHECK_EQ(ipc_receive(fb_second, &m, IPC_TIMEOUT_INFINITE), 0);
	order_ran(what);
}

/* Answers one call; `wake` non-zero: wakes the thread at fb_second before replying. */
static void order_server(unsigned long wake)
{
	struct msg m;
	long r = ipc_receive(fb_ep, &m, IPC_TIMEOUT_INFINITE);
	printf("order: the server got %lx (%ld)\n", m.mr0, r);
	if (wake) {
		struct msg w = { .tag = IPC_TAG(0, 0, 0) };
		UCHECK_EQ(ipc_send(fb_second, &w, IPC_TIMEOUT_INFINITE), 0);
	}
	m = fb_answer(&m);
	ipc_reply_receive(fb_ep, &m);
}

UTEST(ipc_fallback_priority)
{
	struct challenge c = utest_challenge(bi);
	fb_setup(bi, "order", &c);
	unsigned long words[3] = { challenge_next(&c), challenge_next(&c), challenge_next(&c) };

	printf("order: a call to a lower server while a middle thread is ready\n");
	utest_spawn(bi, 0, LOW, order_server, 0);
	utest_sleep_ticks(1);
	utest_spawn(bi, 1, MIDDLE, order_ran, (unsigned long)"the middle thread");
	utest_spawn(bi, 2, HIGH, fb_client, words[0]);
	fb_wait(2);

	fb_ep = sys_endpoint_create();
	printf("order: a reply to a lower client while a middle thread is ready\n");
	utest_spawn(bi, 3, HIGH, order_server, 1);
	utest_spawn(bi, 4, MIDDLE, order_woken, (unsigned long)"the middle thread");
	utest_sleep_ticks(1);
	utest_spawn(bi, 5, LOW, fb_client, words[1]);
	fb_wait(2);

	fb_ep = sys_endpoint_create();
	fb_second = sys_endpoint_create();
	printf("order: a call and a reply between equals, each while another equal is ready\n");
	utest_spawn(bi, 6, MIDDLE, order_server, 1);
	utest_spawn(bi, 7, MIDDLE, order_woken, (unsigned long)"the woken equal");
	utest_sleep_ticks(1);
	utest_spawn(bi, 1, MIDDLE, fb_client, words[2]);       /* their old threads ended */
	utest_spawn(bi, 2, MIDDLE, order_ran, (unsigned long)"the ready equal");
	fb_wait(3);
}

/*
 * What the registers cannot carry: a third word (MR2, in the UTCB), a typed item, an
 * item without the grant right. Client and server share a priority, nothing else is
 * ready: both directions would be fast but for the message.
 */
static unsigned long long_words[3];

static void long_server(unsigned long arg)
{
	(void)arg;
	struct msg m;
	utcb()->accept_caps = 1;
	long r = ipc_receive(fb_ep, &m, IPC_TIMEOUT_INFINITE);
	printf("long: the server got %lu words %lx %lx %lx (%ld)\n", IPC_TAG_UNTYPED(m.tag),
	       m.mr0, m.mr1, utcb()->mr[2], r);
	m = (struct msg){ .tag = IPC_TAG(0, 3, 0), .mr0 = m.mr0 + fb_key, .mr1 = m.mr1 + fb_key };
	utcb()->mr[2] += fb_key;
	r = ipc_reply_receive(fb_ep, &m);
	long slot = (long)m.mr1;        /* the item is MR0 and MR1: no untyped words */
	struct msg poll = { .tag = IPC_TAG(0, 0, 0) };
	printf("long: then %lu word(s) and %lu item(s) (%ld); a poll through the new slot -> "
	       "%ld\n", IPC_TAG_UNTYPED(m.tag), IPC_TAG_TYPED(m.tag), r,
	       ipc_send(slot, &poll, IPC_TIMEOUT_POLL));
	m = (struct msg){ .tag = IPC_TAG(0, 0, 0) };
	r = ipc_reply_receive(fb_ep, &m);
	printf("long: then %lu word(s), %lx (%ld)\n", IPC_TAG_UNTYPED(m.tag), m.mr0, r);
	m = (struct msg){ .tag = IPC_TAG(0, 0, 0) };
	UCHECK_EQ(ipc_reply(&m), 0);
}

static void long_client(unsigned long arg)
{
	(void)arg;
	struct msg m = { .tag = IPC_TAG(0, 3, 0), .mr0 = long_words[0], .mr1 = long_words[1] };
	utcb()->mr[2] = long_words[2];
	long r = ipc_call(fb_ep, &m);
	printf("long: the caller got back %lu words %lx %lx %lx (%ld)\n", IPC_TAG_UNTYPED(m.tag),
	       m.mr0, m.mr1, utcb()->mr[2], r);

	const unsigned long item = IPC_ITEM_CAP | IPC_ITEM_RIGHTS(RIGHT_SEND);
	m = (struct msg){ .tag = IPC_TAG(0, 0, 1), .mr0 = item, .mr1 = fb_second };
	printf("long: an item alone -> %ld\n", ipc_call(fb_ep, &m));

	long no_grant = sys_cap_copy(fb_task, fb_ep, RIGHT_SEND, 0);
	UCHECK(no_grant > 0);
	m = (struct msg){ .tag = IPC_TAG(0, 0, 1), .mr0 = item, .mr1 = fb_second };
	printf("long: an item through a copy without the grant right -> %ld\n",
	       ipc_call(no_grant, &m));
	fb_call("and the server still waits: the call with", fb_ep, long_words[0]);
	fb_finished();
}

UTEST(ipc_fallback_long)
{
	struct challenge c = utest_challenge(bi);
	fb_setup(bi, "long", &c);
	for (int i = 0; i < 3; i++)
		long_words[i] = challenge_next(&c);
	utest_spawn(bi, 0, MIDDLE, long_server, 0);
	utest_spawn(bi, 1, MIDDLE, long_client, 0);
	fb_wait(1);
}

/*
 * Buffers too small for the message, on either side: E_TOOLONG to both, nothing
 * delivered — the receiver keeps its own MR0 and MR1.
 */
static unsigned long small_own[2], small_words[2];

static void small_server(unsigned long arg)
{
	(void)arg;
	utcb()->buffer_words = 1;
	struct msg m = { .mr0 = small_own[0], .mr1 = small_own[1] };
	long r = ipc(0, fb_ep, IPC_FLAGS(IPC_OP_RECEIVE, IPC_TIMEOUT_INFINITE), &m);
	printf("small: the server, taking 1 word, got %ld, MR0 %lx, MR1 %lx\n", r, m.mr0, m.mr1);
	r = ipc_receive(fb_ep, &m, IPC_TIMEOUT_INFINITE);
	printf("small: then %ld, %lu word(s), %lx\n", r, IPC_TAG_UNTYPED(m.tag), m.mr0);
	m = (struct msg){ .tag = IPC_TAG(0, 2, 0), .mr0 = m.mr0 + fb_key, .mr1 = fb_key };
	r = ipc_reply_receive(fb_ep, &m);
	printf("small: its 2-word reply to a caller taking 1 -> %ld\n", r);
	r = ipc_receive(fb_ep, &m, IPC_TIMEOUT_INFINITE);
	printf("small: then %ld, %lu word(s), %lx\n", r, IPC_TAG_UNTYPED(m.tag), m.mr0);
	m = fb_answer(&m);
	ipc_reply_receive(fb_ep, &m);
}

static void small_client(unsigned long arg)
{
	(void)arg;
	struct msg m = { .tag = IPC_TAG(0, 2, 0), .mr0 = small_words[0], .mr1 = small_words[1] };
	printf("small: a 2-word call -> %ld\n", ipc_call(fb_ep, &m));
	utcb()->buffer_words = 1;
	fb_call("taking 1 word, a call with", fb_ep, small_words[0]);
	utcb()->buffer_words = 0;
	fb_call("taking all again, a call with", fb_ep, small_words[1]);
	fb_finished();
}

UTEST(ipc_fallback_small_buffer)
{
	struct challenge c = utest_challenge(bi);
	fb_setup(bi, "small", &c);
	for (int i = 0; i < 2; i++) {
		small_own[i] = challenge_next(&c);
		small_words[i] = challenge_next(&c);
	}
	utest_spawn(bi, 0, MIDDLE, small_server, 0);
	utest_spawn(bi, 1, MIDDLE, small_client, 0);
	fb_wait(1);
}

/*
 * Badges of 0 are delivered too: the receiver's badge register holds 0 after a call
 * through an unbadged capability, and a caller's after any reply — never what the
 * register held before (here: the receive slot, a badge, a number the caller put there).
 */
static long badge_copy;
static unsigned long badge_value, badge_junk;

static void badge_server(unsigned long arg)
{
	(void)arg;
	struct msg m;
	long r = ipc_receive(fb_ep, &m, IPC_TIMEOUT_INFINITE);
	printf("badge: through the badged copy: %ld, badge %lx\n", r, m.badge);
	m = fb_answer(&m);
	r = ipc_reply_receive(fb_ep, &m);
	printf("badge: through the unbadged one: %ld, badge %lx\n", r, m.badge);
	m = fb_answer(&m);
	ipc_reply_receive(fb_ep, &m);
}

/* A call with the badge register (the receive slot's, rsi) set to something else. */
static void badge_call(long slot, unsigned long word)
{
	struct msg m = { .tag = IPC_TAG(0, 1, 0), .mr0 = word };
	long r = ipc(slot, (long)badge_junk, IPC_FLAGS(IPC_OP_CALL, IPC_TIMEOUT_INFINITE), &m);
	printf("badge: the caller got %ld, %lx, badge %lx\n", r, m.mr0, m.badge);
}

static void badge_client(unsigned long word)
{
	badge_call(badge_copy, word);
	badge_call(fb_ep, word + 1);
	fb_finished();
}

UTEST(ipc_fallback_badges)
{
	struct challenge c = utest_challenge(bi);
	fb_setup(bi, "badge", &c);
	badge_value = challenge_range(&c, 1, 1ul << 62);
	badge_junk = challenge_range(&c, 1, 1ul << 62);
	badge_copy = sys_cap_copy(bi->self_task_slot, fb_ep, RIGHT_SEND, badge_value);
	UCHECK(badge_copy > 0);
	utest_spawn(bi, 0, MIDDLE, badge_server, 0);
	utest_spawn(bi, 1, MIDDLE, badge_client, challenge_next(&c));
	fb_wait(1);
}

/*
 * While a server waits, calls it must not take: no send right, a thread's slot, a slot
 * past the table; then a reply-and-receive with a timeout (the general path arms it)
 * and one with a notification pending on the endpoint (taken at once, before anyone).
 */
static long refuse_recv_only, refuse_signal;
static unsigned long refuse_slot, refuse_ticks, refuse_bits;

static void refuse_server(unsigned long arg)
{
	(void)arg;
	struct msg m;
	long r = ipc_receive(fb_ep, &m, IPC_TIMEOUT_INFINITE);
	printf("refuse: the server, still waiting, got %lx (%ld)\n", m.mr0, r);
	m = fb_answer(&m);
	r = ipc(0, fb_ep, IPC_FLAGS(IPC_OP_REPLY_RECEIVE, refuse_ticks), &m);
	printf("refuse: replying and waiting %lu ticks -> %ld\n", refuse_ticks, r);
	r = ipc_receive(fb_ep, &m, IPC_TIMEOUT_INFINITE);
	printf("refuse: then it got %lx (%ld)\n", m.mr0, r);
	UCHECK_EQ(sys_endpoint_signal(refuse_signal), 0);
	m = fb_answer(&m);
	r = ipc_reply_receive(fb_ep, &m);
	printf("refuse: replying with a notification pending: %ld, label %s, bits %lx\n", r,
	       IPC_TAG_LABEL(m.tag) == IPC_LABEL_NOTIFY ? "notify" : "other", m.mr0);
	m = (struct msg){ .tag = IPC_TAG(0, 0, 0) };
	ipc_receive(fb_ep, &m, IPC_TIMEOUT_INFINITE);
}

static void refuse_client(unsigned long word)
{
	struct msg m = { .tag = IPC_TAG(0, 1, 0), .mr0 = word };
	printf("refuse: a call without the send right -> %ld\n", ipc_call(refuse_recv_only, &m));
	printf("refuse: a call on a task's slot -> %ld\n", ipc_call(fb_task, &m));
	printf("refuse: a call on slot %lx -> %ld\n", refuse_slot, ipc_call((long)refuse_slot, &m));
	fb_call("the call with", fb_ep, word);
	utest_sleep_ticks(refuse_ticks + 5);            /* the server's wait times out */
	fb_call("the call after that with", fb_ep, word + 1);
	fb_finished();
}

UTEST(ipc_fallback_refusals)
{
	struct challenge c = utest_challenge(bi);
	fb_setup(bi, "refuse", &c);
	refuse_slot = challenge_range(&c, 1000, 1ul << 62);
	refuse_ticks = challenge_range(&c, 5, 15);
	refuse_bits = challenge_range(&c, 1, 1ul << 62);
	refuse_recv_only = sys_cap_copy(bi->self_task_slot, fb_ep, RIGHT_RECEIVE, 0);
	refuse_signal = sys_cap_copy(bi->self_task_slot, fb_ep, RIGHT_SEND, refuse_bits);
	UCHECK(refuse_recv_only > 0 && refuse_signal > 0);
	utest_spawn(bi, 0, MIDDLE, refuse_server, 0);
	utest_spawn(bi, 1, MIDDLE, refuse_client, challenge_next(&c));
	fb_wait(1);
}
