/**
 * @file
 * lab4_ipc.c — scenarios for lab 4: synchronous IPC, timeouts, badges, capabilities.
 *
 * The one thing to know: servers here are threads of the root task (or of a second
 * task) started at a priority just below the root's, so the root runs until it calls,
 * and the order of every exchange is exact. Each scenario prints what it received;
 * the grader checks the values.
 */
#include <minim.h>
#include <thread.h>
#include "utest.h"

static long endpoint;   /* the endpoint slot the scenario's server receives on */

/*
 * Replies 3 * MR0 + key to every call, for ever: the answer depends on the word that
 * arrived, so a kernel that delivers nothing cannot be taken for one that does.
 */
static void pingpong_server(unsigned long key)
{
	struct msg m;
	long r = ipc_receive(endpoint, &m, IPC_TIMEOUT_INFINITE);
	for (;;) {
		UCHECK_EQ(r, 0);
		m = (struct msg){ .tag = IPC_TAG(0, 1, 0), .mr0 = 3 * m.mr0 + key };
		r = ipc_reply_receive(endpoint, &m);
	}
}

/* The count, the first word and the server's key come from the boot's seed. */
UTEST(ipc_ping_pong)
{
	struct challenge c = utest_challenge(bi);
	unsigned long calls = challenge_range(&c, 50, 150);
	unsigned long value = challenge_next(&c);
	unsigned long key = challenge_next(&c);

	endpoint = sys_endpoint_create();
	UCHECK(endpoint > 0);
	utest_spawn(bi, 0, 50, pingpong_server, key);
	unsigned long answered = 0;
	for (unsigned long i = 0; i < calls; i++) {
		struct msg m = { .tag = IPC_TAG(0, 1, 0), .mr0 = value };
		if (ipc_call(endpoint, &m) == 0)
			answered++;
		value = m.mr0 + 1;
	}
	printf("pingpong: %lu calls answered, value now %lx\n", answered, value);
}

/* A digest of n words: any word lost, moved or left as it was changes it. */
static unsigned long digest(const unsigned long *w, unsigned long n)
{
	unsigned long h = DIGEST_START;
	for (unsigned long i = 0; i < n; i++)
		h = digest_add(h, w[i]);
	return h;
}

/*
 * Prints a digest of the words it got and sends back each word XORed with the key
 * (its thread argument): a reply the kernel did not copy still holds the caller's own
 * words, which would not match.
 */
static void echo_server(unsigned long key)
{
	struct msg m;
	unsigned long words[IPC_MR_COUNT];
	long r = ipc_receive(endpoint, &m, IPC_TIMEOUT_INFINITE);
	for (;;) {
		unsigned long n = IPC_TAG_UNTYPED(m.tag);
		for (unsigned long i = 0; i < n; i++)
			words[i] = i == 0 ? m.mr0 : i == 1 ? m.mr1 : utcb()->mr[i];
		printf("echo: server got label %lu, %lu words, digest %lx, result %ld\n",
		       IPC_TAG_LABEL(m.tag), n, digest(words, n), r);
		for (unsigned long i = 2; i < n; i++)
			utcb()->mr[i] ^= key;
		m.mr0 ^= key;
		m.mr1 ^= key;
		m.tag = IPC_TAG(IPC_TAG_LABEL(m.tag) + 1, n, 0);
		r = ipc_reply_receive(endpoint, &m);
	}
}

/* The words, the labels and the server's key come from the boot's seed. */
UTEST(ipc_echo)
{
	struct challenge c = utest_challenge(bi);
	unsigned long key = challenge_next(&c);
	unsigned long label = challenge_range(&c, 1, 1000);
	unsigned long words[IPC_MR_COUNT];

	endpoint = sys_endpoint_create();
	utest_spawn(bi, 0, 50, echo_server, key);

	for (int i = 0; i < IPC_MR_COUNT; i++)
		words[i] = challenge_next(&c);
	struct msg m = { .tag = IPC_TAG(label, IPC_MR_COUNT, 0), .mr0 = words[0],
			 .mr1 = words[1] };
	for (int i = 2; i < IPC_MR_COUNT; i++)
		utcb()->mr[i] = words[i];
	long r = ipc_call(endpoint, &m);
	words[0] = m.mr0;
	words[1] = m.mr1;
	for (int i = 2; i < IPC_MR_COUNT; i++)
		words[i] = utcb()->mr[i];
	printf("echo: the maximum message: %ld, label %lu, %lu words, digest %lx\n", r,
	       IPC_TAG_LABEL(m.tag), IPC_TAG_UNTYPED(m.tag), digest(words, IPC_MR_COUNT));

	m = (struct msg){ .tag = IPC_TAG(label + 7, 0, 0), .mr0 = challenge_next(&c) };
	r = ipc_call(endpoint, &m);
	printf("echo: an empty message: %ld, label %lu, %lu words\n", r, IPC_TAG_LABEL(m.tag),
	       IPC_TAG_UNTYPED(m.tag));
}

/*
 * ipc_too_long: the words the receiver holds in its UTCB before the refused message
 * (which must still be there after it) and the words of the message that fits, from
 * the seed.
 */
static unsigned long tl_own[4], tl_words[4];

static unsigned long tl_digest_of(const struct msg *m)
{
	unsigned long w[4] = { m->mr0, m->mr1, utcb()->mr[2], utcb()->mr[3] };
	return digest(w, 4);
}

static void small_buffer_server(unsigned long arg)
{
	(void)arg;
	struct msg m = { .mr0 = tl_own[0], .mr1 = tl_own[1] };
	utcb()->mr[2] = tl_own[2];
	utcb()->mr[3] = tl_own[3];
	utcb()->buffer_words = 4;
	long r = ipc_receive(endpoint, &m, IPC_TIMEOUT_INFINITE);
	/* Its MR0 and MR1 come back as the kernel's return leaves them; MR2, MR3 are its. */
	printf("toolong: the receiver with a 4-word buffer got %ld, its MR2, MR3 digest %lx\n",
	       r, digest(&utcb()->mr[2], 2));
	r = ipc_receive(endpoint, &m, IPC_TIMEOUT_INFINITE);
	printf("toolong: then a 4-word message: %ld, %lu words, label %lu, digest %lx\n", r,
	       IPC_TAG_UNTYPED(m.tag), IPC_TAG_LABEL(m.tag), tl_digest_of(&m));
}

/* The label and the words from the seed; the refused message carries the same words. */
UTEST(ipc_too_long)
{
	struct challenge c = utest_challenge(bi);
	unsigned long label = challenge_range(&c, 1, 1000);
	for (int i = 0; i < 4; i++)
		tl_own[i] = challenge_next(&c);
	for (int i = 0; i < 4; i++)
		tl_words[i] = challenge_next(&c);

	endpoint = sys_endpoint_create();
	struct msg m = { .tag = IPC_TAG(label, IPC_MR_COUNT + 1, 0) };
	printf("toolong: 65 words -> %ld\n", ipc_send(endpoint, &m, IPC_TIMEOUT_POLL));
	m.tag = IPC_TAG(label, 60, 3);
	printf("toolong: 60 words and 3 items -> %ld\n", ipc_send(endpoint, &m, IPC_TIMEOUT_POLL));
	utest_spawn(bi, 0, 50, small_buffer_server, 0);
	sys_yield();
	UCHECK(sys_thread_priority(bi->self_thread_slot, 50) == 0);
	sys_yield();    /* the server is now waiting */
	m = (struct msg){ .tag = IPC_TAG(label, 10, 0), .mr0 = tl_words[0], .mr1 = tl_words[1] };
	utcb()->mr[2] = tl_words[2];
	utcb()->mr[3] = tl_words[3];
	printf("toolong: 10 words to it -> %ld\n", ipc_send(endpoint, &m, IPC_TIMEOUT_INFINITE));
	m = (struct msg){ .tag = IPC_TAG(label + 1, 4, 0), .mr0 = tl_words[0],
			  .mr1 = tl_words[1] };
	printf("toolong: 4 words to it -> %ld\n", ipc_send(endpoint, &m, IPC_TIMEOUT_INFINITE));
}

/*
 * ipc_timeouts: every word and every timeout but the polls from the seed. Each later
 * wait outlasts the deadline of the one before, which must be gone with it.
 */
static unsigned long to_sleep;   /* the ticks sleepy_sender waits before it sends */

static void late_sender(unsigned long arg)
{
	struct msg m = { .tag = IPC_TAG(0, 1, 0), .mr0 = arg };
	UCHECK_EQ(ipc_send(endpoint, &m, IPC_TIMEOUT_INFINITE), 0);
}

/* Waits to_sleep ticks (a receive nobody answers), then sends. */
static void sleepy_sender(unsigned long arg)
{
	struct msg m;
	long quiet = sys_endpoint_create();
	UCHECK_EQ(ipc_receive(quiet, &m, to_sleep), E_TIMEOUT);
	late_sender(arg);
}

/* Sends with a finite timeout, is taken at once, then waits without one. */
static long second_endpoint;
static unsigned long to_send_ticks, to_wait_ticks;

static void timed_sender(unsigned long arg)
{
	struct msg m = { .tag = IPC_TAG(0, 1, 0), .mr0 = arg };
	UCHECK_EQ(ipc_send(endpoint, &m, to_send_ticks), 0);
	m.mr0 = 0;
	long r = ipc_receive(second_endpoint, &m, IPC_TIMEOUT_INFINITE);
	printf("timeout: a sender taken in time, waiting again for %lu ticks -> %ld, %lx\n",
	       to_wait_ticks, r, m.mr0);
}

UTEST(ipc_timeouts)
{
	struct challenge c = utest_challenge(bi);
	unsigned long ticks = challenge_range(&c, 3, 8);
	unsigned long w_infinite = challenge_next(&c), w_first = challenge_next(&c);
	unsigned long first = challenge_range(&c, 25, 45);
	unsigned long w_sleepy = challenge_next(&c);
	to_sleep = first + challenge_range(&c, 10, 15);
	unsigned long w_timed = challenge_next(&c);
	to_send_ticks = challenge_range(&c, 25, 45);
	to_wait_ticks = to_send_ticks + challenge_range(&c, 10, 15);
	unsigned long w_again = challenge_next(&c);

	endpoint = sys_endpoint_create();
	struct msg m = { .tag = IPC_TAG(0, 1, 0) };
	printf("timeout: send, poll, nobody there -> %ld\n", ipc_send(endpoint, &m, IPC_TIMEOUT_POLL));
	printf("timeout: receive, poll, nobody there -> %ld\n",
	       ipc_receive(endpoint, &m, IPC_TIMEOUT_POLL));

	unsigned long t0 = (unsigned long)sys_debug_clock();
	long r = ipc_receive(endpoint, &m, ticks);
	unsigned long waited = (unsigned long)sys_debug_clock() - t0;
	/* Ticks of 1,000,000 instructions, in tenths: the grader wants ticks +- 1. */
	printf("timeout: receive, %lu ticks -> %ld after %lu tenths of a tick\n", ticks, r,
	       waited / 100000);

	utest_spawn(bi, 0, 10, late_sender, w_infinite);
	m.mr0 = 0;
	r = ipc_receive(endpoint, &m, IPC_TIMEOUT_INFINITE);
	printf("timeout: receive, infinite, until a lower thread sends -> %ld, %lx\n", r, m.mr0);

	utest_spawn(bi, 1, 10, late_sender, w_first);
	m.mr0 = 0;
	r = ipc_receive(endpoint, &m, first);
	printf("timeout: receive, %lu ticks, a sender comes first -> %ld, %lx\n", first, r, m.mr0);

	/* The first deadline must be gone with that wait: this one outlasts it. */
	utest_spawn(bi, 2, 10, sleepy_sender, w_sleepy);
	m.mr0 = 0;
	r = ipc_receive(endpoint, &m, IPC_TIMEOUT_INFINITE);
	printf("timeout: then infinite again, a sender after %lu ticks -> %ld, %lx\n", to_sleep,
	       r, m.mr0);

	/* The same on the sending side: the receiver that takes a message ends its
	 * sender's deadline too. */
	second_endpoint = sys_endpoint_create();
	utest_spawn(bi, 3, 10, timed_sender, w_timed);
	UCHECK(sys_thread_priority(bi->self_thread_slot, 5) == 0);    /* it runs and queues */
	m.mr0 = 0;
	r = ipc_receive(endpoint, &m, IPC_TIMEOUT_POLL);
	printf("timeout: the root takes the %lu-tick sender's message -> %ld, %lx\n",
	       to_send_ticks, r, m.mr0);
	long quiet = sys_endpoint_create();
	UCHECK(ipc_receive(quiet, &m, to_wait_ticks) == E_TIMEOUT);  /* past its deadline */
	m = (struct msg){ .tag = IPC_TAG(0, 1, 0), .mr0 = w_again };
	UCHECK_EQ(ipc_send(second_endpoint, &m, IPC_TIMEOUT_POLL), 0);
	UCHECK(sys_thread_priority(bi->self_thread_slot, 1) == 0);
}

/*
 * A timeout wakes a higher thread, which preempts a running one; the preempted thread
 * goes back to the head of its queue, not the tail: it has not used up its time
 * slice. The interrupter wakes after 2 to 5 ticks (from the seed), well inside the
 * spinner's 10-tick slice. Each thread folds its token (from the seed) into a digest
 * as it reports, so the digest shows the order the threads ran in.
 */
static volatile int place_stop;
static unsigned long place_order = DIGEST_START;
static unsigned long place_ticks;

static void place_ran(unsigned long token)
{
	place_order = digest_add(place_order, token);
}

static void place_spinner(unsigned long token)
{
	while (!place_stop)
		;
	place_ran(token);
	printf("place: the preempted spinner runs again first\n");
}

static void place_waiter(unsigned long token)
{
	place_ran(token);
	printf("place: the thread behind it runs second\n");
}

static void place_interrupter(unsigned long token)
{
	struct msg m;
	long ep = sys_endpoint_create();
	unsigned long t0 = (unsigned long)sys_debug_clock();
	UCHECK_EQ(ipc_receive(ep, &m, place_ticks), E_TIMEOUT);
	unsigned long slept = (unsigned long)sys_debug_clock() - t0;
	place_ran(token);
	printf("place: the higher thread wakes after %lu ticks (%lu tenths) and preempts the "
	       "spinner\n", place_ticks, slept / 100000);
	place_stop = 1;
}

UTEST(ipc_timeout_preempts)
{
	struct challenge c = utest_challenge(bi);
	place_ticks = challenge_range(&c, 2, 5);
	unsigned long t_interrupter = challenge_next(&c), t_spinner = challenge_next(&c);
	unsigned long t_waiter = challenge_next(&c), t_root = challenge_next(&c);

	utest_spawn(bi, 0, 20, place_interrupter, t_interrupter);
	utest_spawn(bi, 1, 10, place_spinner, t_spinner);
	utest_spawn(bi, 2, 10, place_waiter, t_waiter);
	UCHECK(sys_thread_priority(bi->self_thread_slot, 1) == 0);
	place_ran(t_root);
	printf("place: done, order digest %lx\n", place_order);
}

/* Receives one call, prints its word XORed with its key, then ends without replying. */
static void vanishing_server(unsigned long key)
{
	struct msg m;
	UCHECK_EQ(ipc_receive(endpoint, &m, IPC_TIMEOUT_INFINITE), 0);
	printf("gone: the server received %lx and exits without replying\n", m.mr0 ^ key);
}

static void doomed_caller(unsigned long word)
{
	struct msg m = { .tag = IPC_TAG(0, 1, 0), .mr0 = word };
	ipc_call(endpoint, &m);
	printf("gone: the killed caller runs on (must not appear)\n");
}

static void blocked_receiver(unsigned long arg)
{
	(void)arg;
	struct msg m;
	printf("gone: a receiver whose endpoint loses its last capability -> %ld\n",
	       ipc_receive(endpoint, &m, IPC_TIMEOUT_INFINITE));
}

/* The server's key and the two calls' words from the seed. */
UTEST(ipc_partner_gone)
{
	struct challenge c = utest_challenge(bi);
	unsigned long key = challenge_next(&c), w_server = challenge_next(&c);
	unsigned long w_doomed = challenge_next(&c);

	endpoint = sys_endpoint_create();
	utest_spawn(bi, 0, 50, vanishing_server, key);
	struct msg m = { .tag = IPC_TAG(0, 1, 0), .mr0 = w_server };
	printf("gone: a caller whose server dies -> %ld\n", ipc_call(endpoint, &m));

	/* The root receives a call, its caller is killed, then the root replies. */
	long caller = utest_spawn(bi, 1, 50, doomed_caller, w_doomed);
	m.mr0 = 0;
	UCHECK_EQ(ipc_receive(endpoint, &m, IPC_TIMEOUT_INFINITE), 0);
	printf("gone: the root received %lx from a caller it then kills\n", m.mr0);
	UCHECK_EQ(sys_thread_kill(caller), 0);
	printf("gone: a reply to a killed caller -> %ld\n", ipc_reply(&m));

	utest_spawn(bi, 2, 50, blocked_receiver, 0);
	sys_yield();
	UCHECK(sys_thread_priority(bi->self_thread_slot, 50) == 0);
	sys_yield();    /* the receiver waits now */
	UCHECK_EQ(sys_cap_delete(endpoint), 0);
	sys_yield();
	printf("gone: the deleted endpoint's slot -> %ld\n", ipc_send(endpoint, &m, 0));
}
