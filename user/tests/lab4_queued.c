/**
 * @file
 * lab4_queued.c — the general path the other way round: callers queued before the server.
 *
 * The one thing to know: most lab-4 scenarios have the server wait first, so the send
 * phase meets a waiting receiver. Here the callers come first and wait in the send
 * queue, so everything the receive phase takes from a queued sender — its badge (0
 * too), its call flag, its grant right, its place in the queue, the reply right it
 * leaves — shows in what the server prints. The root runs at PRIO_MAX and watches:
 * the callers at HIGH queue while it sleeps, then the server at LOW takes them.
 * ipc_cap_table_full, at the end, moves capabilities into a table with no room.
 */
#include <minim.h>
#include <thread.h>
#include "utest.h"

#define HIGH    50
#define LOW     30
#define FINISH_TICKS 400        /* the root's patience: far more than any scenario needs */
/* A wait of 1 tick may end at once, on the next tick: 2 leave the others a whole tick. */

static long q_ep, q_done, q_back;       /* the server's endpoint, the root's two */
static long q_slots[4];                 /* each caller's capability to q_ep */
static unsigned long q_words[4], q_key;

/* A thread's last act: tell the root. */
static void q_finished(void)
{
	struct msg m = { .tag = IPC_TAG(0, 0, 0) };
	UCHECK_EQ(ipc_send(q_done, &m, IPC_TIMEOUT_INFINITE), 0);
}

/* The root waits for `threads` threads to finish, and says how many did. */
static void q_wait(const char *name, unsigned threads)
{
	unsigned finished = 0;
	struct msg m;
	while (finished < threads && ipc_receive(q_done, &m, FINISH_TICKS) == 0)
		finished++;
	printf("%s: %u of %u threads finished\n", name, finished, threads);
}

/* What a receiver found in an item's word 1: 0, a slot, or something else. */
static const char *slot_name(long got)
{
	return got == 0 ? "0" : got > 0 && got < 128 ? "new" : "not a slot";
}

/*
 * Caller i: a one-word call, except caller 2 (a word and a capability item that moves
 * a badged copy of q_back, in utcb mr[2..3]) and caller 3 (two words).
 */
static long q_gift;

static void queued_caller(unsigned long i)
{
	struct msg m = { .tag = IPC_TAG(0, 1, 0), .mr0 = q_words[i] };
	if (i == 2) {
		m.tag = IPC_TAG(0, 1, 1);
		m.mr1 = IPC_ITEM_CAP | IPC_ITEM_MOVE;
		utcb()->mr[2] = (unsigned long)q_gift;
	} else if (i == 3) {
		m.tag = IPC_TAG(0, 2, 0);
		m.mr1 = q_key;
	}
	long r = ipc_call(q_slots[i], &m);
	printf("queued: caller %lu's call with %lx -> %ld, %lx\n", i, q_words[i], r, m.mr0);
	q_finished();
}

/*
 * Takes the four queued calls in turn: the second receive without a reply ends the
 * first caller's wait (its right is dropped); the fourth fails (-14) and must leave the
 * right to the third in place, which it then answers.
 */
static void queued_server(unsigned long arg)
{
	(void)arg;
	struct msg m;
	long r = ipc_receive(q_ep, &m, IPC_TIMEOUT_INFINITE);
	printf("queued: the server took %lx, badge %lx (%ld), and receives again\n", m.mr0,
	       m.badge, r);
	r = ipc_receive(q_ep, &m, IPC_TIMEOUT_INFINITE);
	printf("queued: then it took %lx, badge %lx (%ld), and replies\n", m.mr0, m.badge, r);
	m = (struct msg){ .tag = IPC_TAG(0, 1, 0), .mr0 = m.mr0 + q_key };
	UCHECK_EQ(ipc_reply(&m), 0);

	/* One word and one item fit a one-word buffer: an item is not an untyped word. */
	utcb()->buffer_words = 1;
	utcb()->accept_caps = 1;
	utcb()->mr[2] = 0;
	r = ipc_receive(q_ep, &m, IPC_TIMEOUT_INFINITE);
	long got = (long)utcb()->mr[2];
	printf("queued: with a 1-word buffer it took %lx, badge %lx, %lu item(s), slot %s (%ld)\n",
	       m.mr0, m.badge, IPC_TAG_TYPED(m.tag), slot_name(got), r);
	unsigned long word = m.mr0;
	r = ipc_receive(q_ep, &m, IPC_TIMEOUT_INFINITE);
	printf("queued: a 2-word call to that buffer -> %ld, its MR0 still %lx\n", r, m.mr0);
	utcb()->buffer_words = 0;
	m = (struct msg){ .tag = IPC_TAG(0, 1, 0), .mr0 = word + q_key };
	printf("queued: its reply to the caller before -> %ld\n", ipc_reply(&m));

	/* The capability it got names q_back, with the badge the root gave it. */
	m = (struct msg){ .tag = IPC_TAG(0, 1, 0), .mr0 = word ^ q_key };
	ipc_send(got, &m, IPC_TIMEOUT_POLL);     /* the root waits there, if it arrived */
	q_finished();
}

/* Receivers queue in order too: the oldest gets the first message. */
static void queued_receiver(unsigned long i)
{
	struct msg m;
	long r = ipc_receive(q_ep, &m, IPC_TIMEOUT_INFINITE);
	printf("queued: receiver %lu, %s to wait, got %lx (%ld)\n", i, i ? "second" : "first",
	       m.mr0, r);
	q_finished();
}

/* The words, the badges and the server's key from the seed; one caller has no badge. */
UTEST(ipc_queued_callers)
{
	struct challenge c = utest_challenge(bi);
	long task = bi->self_task_slot;
	q_key = challenge_next(&c);
	unsigned long badges[4], gift_badge;
	for (int i = 0; i < 4; i++) {
		q_words[i] = challenge_next(&c);
		badges[i] = i == 1 ? 0 : challenge_range(&c, 1, 1ul << 62);
	}
	gift_badge = challenge_range(&c, 1, 1ul << 62);
	unsigned long to_receivers[2] = { challenge_next(&c), challenge_next(&c) };

	q_ep = sys_endpoint_create();
	q_done = sys_endpoint_create();
	q_back = sys_endpoint_create();
	UCHECK(q_ep > 0 && q_done > 0 && q_back > 0);
	/* The grant right too: a queued call that may grant is still a call. */
	for (int i = 0; i < 4; i++)
		q_slots[i] = sys_cap_copy(task, q_ep, RIGHT_SEND | RIGHT_GRANT, badges[i]);
	q_gift = sys_cap_copy(task, q_back, RIGHT_SEND, gift_badge);
	UCHECK(q_slots[0] > 0 && q_slots[1] > 0 && q_slots[2] > 0 && q_slots[3] > 0 &&
	       q_gift > 0);

	for (int i = 0; i < 4; i++)
		utest_spawn(bi, i, HIGH, queued_caller, (unsigned long)i);
	utest_sleep_ticks(2);           /* they call in turn, find nobody, queue */
	utest_spawn(bi, 4, LOW, queued_server, 0);
	q_wait("queued: the callers", 4);
	struct msg m;
	long r = ipc_receive(q_back, &m, FINISH_TICKS);
	printf("queued: through the capability it got: %ld, %lx, badge %lx\n", r, m.mr0, m.badge);
	q_wait("queued: the server", 1);

	utest_spawn(bi, 5, HIGH, queued_receiver, 0);
	utest_spawn(bi, 6, HIGH, queued_receiver, 1);
	utest_sleep_ticks(2);           /* they wait in turn */
	for (int i = 0; i < 2; i++) {
		m = (struct msg){ .tag = IPC_TAG(0, 1, 0), .mr0 = to_receivers[i] };
		UCHECK_EQ(ipc_send(q_ep, &m, IPC_TIMEOUT_POLL), 0);
	}
	q_wait("queued: the receivers", 2);
}

/*
 * ipc_cap_table_full: a capability moved to a receiver whose table has no free slot
 * arrives as slot 0 and stays the sender's; once there is room it moves. The receiver
 * is a thread of the root task, whose table the root fills with copies. Then a thread
 * capability travels too: any type may.
 */
static long full_ep, full_mine;

static void full_receiver(unsigned long arg)
{
	(void)arg;
	struct msg m;
	utcb()->accept_caps = 1;
	for (int i = 0; i < 3; i++) {
		utcb()->mr[2] = 0;
		long r = ipc_receive(full_ep, &m, IPC_TIMEOUT_INFINITE);
		long got = (long)utcb()->mr[2];
		printf("full: the receiver got %ld, %lx, %lu item(s), slot %s\n", r, m.mr0,
		       IPC_TAG_TYPED(m.tag), slot_name(got));
		if (i == 1) {   /* its answer reaches the root only if the rights came too */
			m = (struct msg){ .tag = IPC_TAG(0, 1, 0), .mr0 = m.mr0 + 1 };
			ipc_send(got, &m, IPC_TIMEOUT_POLL);
		} else if (i == 2) {
			printf("full: setting its own priority through it -> %ld\n",
			       sys_thread_priority(got, HIGH));
		}
	}
}

/* The words and the moved capability's badge from the seed. */
UTEST(ipc_cap_table_full)
{
	struct challenge c = utest_challenge(bi);
	long task = bi->self_task_slot;
	unsigned long word = challenge_next(&c);
	unsigned long badge = challenge_range(&c, 1, 1ul << 62);

	full_ep = sys_endpoint_create();
	full_mine = sys_endpoint_create();
	long gift = sys_cap_copy(task, full_mine, RIGHT_SEND, badge);
	UCHECK(full_ep > 0 && full_mine > 0 && gift > 0);
	long receiver = utest_spawn(bi, 0, HIGH, full_receiver, 0);
	utest_sleep_ticks(2);           /* the receiver waits now */

	static long fillers[128];
	unsigned n = 0;
	long r;
	while ((r = sys_cap_copy(task, full_mine, RIGHT_SEND, 0)) > 0 && n < 128)
		fillers[n++] = r;
	printf("full: copies until the table is full -> %ld\n", r);
	struct msg m = { .tag = IPC_TAG(0, 1, 1), .mr0 = word, .mr1 = IPC_ITEM_CAP | IPC_ITEM_MOVE };
	utcb()->mr[2] = (unsigned long)gift;
	printf("full: moving a capability to the full table -> %ld\n",
	       ipc_send(full_ep, &m, IPC_TIMEOUT_POLL));
	struct msg poll = { .tag = IPC_TAG(0, 0, 0) };
	printf("full: it stays the root's: a poll through it -> %ld\n",
	       ipc_send(gift, &poll, IPC_TIMEOUT_POLL));
	while (n > 0)
		UCHECK_EQ(sys_cap_delete(fillers[--n]), 0);
	utest_sleep_ticks(2);           /* the receiver reports and waits again */

	/* A mask of 0 keeps every right: the receiver can send through what arrives. */
	m = (struct msg){ .tag = IPC_TAG(0, 1, 1), .mr0 = word + 1,
			  .mr1 = IPC_ITEM_CAP | IPC_ITEM_MOVE };
	utcb()->mr[2] = (unsigned long)gift;
	printf("full: with room, moving it again -> %ld\n", ipc_send(full_ep, &m, IPC_TIMEOUT_POLL));
	printf("full: the moved slot is empty now -> %ld\n", sys_cap_delete(gift));
	m = (struct msg){ 0 };
	r = ipc_receive(full_mine, &m, FINISH_TICKS);
	printf("full: through the moved capability: %ld, %lx, badge %lx\n", r, m.mr0, m.badge);

	utest_sleep_ticks(2);           /* the receiver waits again */
	m = (struct msg){ .tag = IPC_TAG(0, 1, 1), .mr0 = word + 3, .mr1 = IPC_ITEM_CAP };
	utcb()->mr[2] = (unsigned long)receiver;
	printf("full: sending the receiver's thread capability -> %ld\n",
	       ipc_send(full_ep, &m, IPC_TIMEOUT_POLL));
	utest_sleep_ticks(2);           /* it reports */
}
