/**
 * @file
 * lab6_names.c — scenarios for lab 6: the name server (user/names/names.c).
 *
 * The one thing to know: names runs as a thread of the root task (names_serve), above
 * every other thread of the scenario but the root's own, and the root plays several
 * clients, each a copy of the root's capability to names with its own badge. The
 * servers behind the names are echo threads that answer a call's word XORed with their
 * key plus the badge of the capability it came through, so an answer shows that the
 * looked-up capability reached the registered server with the registered badge. Keys,
 * words, badges, counts and name bytes come from the seed.
 */
#include <minim.h>
#include <names.h>
#include <thread.h>
#include "utest.h"

#define NAMES_PRIO      60      /* above the servers and the child; below the root */
#define SERVER_PRIO     50
#define CHILD_PRIO      40
#define BADGE_MAX       (1ul << 48)
#define STACK_SIZE      8192

#define PACK3(a, b, c)  ((unsigned long)(a) | (unsigned long)(b) << 8 | \
			 (unsigned long)(c) << 16)
#define SLOT_OF(arg, i) ((long)(((arg) >> (8 * (i))) & 0xff))

static void names_thread(unsigned long ep)
{
	long r = names_serve((long)ep);
	printf("names: stopped serving (%ld; must not appear)\n", r);
}

/* Starts names on a new endpoint; returns the root's capability to it (unbadged). */
static long names_start(const struct boot_info_page *bi)
{
	long ep = sys_endpoint_create();
	UCHECK(ep > 0);
	utest_spawn(bi, 0, NAMES_PRIO, names_thread, (unsigned long)ep);
	return ep;
}

/* A client's capability to names: send and grant, with its badge. */
static long names_client(const struct boot_info_page *bi, long names, unsigned long badge)
{
	long slot = sys_cap_copy(bi->self_task_slot, names, RIGHT_SEND | RIGHT_GRANT, badge);
	UCHECK(slot > 0);
	return slot;
}

/* ---- echo servers ---- */

struct echo {
	long ep;                        /* the root's, all rights */
	unsigned long key;
	long names, reg, ready;         /* names != 0: first registers reg as name, reports */
	char name[NAMES_NAME_MAX + 1];
};
static struct echo echoes[4];

/* Answers each call's MR0 with (MR0 ^ key) + the badge it came with. */
static void echo_thread(unsigned long i)
{
	struct echo *e = &echoes[i];
	struct msg m;
	if (e->names) {
		m = (struct msg){ .tag = IPC_TAG(0, 1, 0),
				  .mr0 = (unsigned long)names_register(e->names, e->name, e->reg) };
		UCHECK(ipc_send(e->ready, &m, IPC_TIMEOUT_INFINITE) == 0);
	}
	for (;;) {
		long r = ipc_receive(e->ep, &m, IPC_TIMEOUT_INFINITE);
		if (r != 0 && r != E_TOOLONG)
			return;
		while (r == 0) {
			m = (struct msg){ .tag = IPC_TAG(0, 1, 0), .mr0 = (m.mr0 ^ e->key) + m.badge };
			r = ipc_reply_receive(e->ep, &m);
		}
	}
}

/* Echo server i (helper stack 1 + i) with `key`; returns its endpoint. */
static long echo_start(const struct boot_info_page *bi, int i, unsigned long key)
{
	echoes[i].ep = sys_endpoint_create();
	echoes[i].key = key;
	UCHECK(echoes[i].ep > 0);
	utest_spawn(bi, 1 + i, SERVER_PRIO, echo_thread, (unsigned long)i);
	return echoes[i].ep;
}

/* A copy of the root's capability in `slot`, with `rights` and `badge`. */
static long copy_cap(const struct boot_info_page *bi, long slot, unsigned long rights,
		     unsigned long badge)
{
	long c = sys_cap_copy(bi->self_task_slot, slot, rights, badge);
	UCHECK(c > 0);
	return c;
}

/* A call through `slot` with word w: the answer, or the error (as a number). */
static unsigned long call_word(long slot, unsigned long w)
{
	struct msg m = { .tag = IPC_TAG(0, 1, 0), .mr0 = w };
	long r = ipc_call(slot, &m);
	return r < 0 ? (unsigned long)r : m.mr0;
}

/* Looks `name` up, calls through the copy with w, and deletes the copy; the answer,
 * or the lookup's error (as a number). */
static unsigned long lookup_call(long client, const char *name, unsigned long w)
{
	long slot = names_lookup(client, name);
	if (slot < 0)
		return (unsigned long)slot;
	unsigned long answer = call_word(slot, w);
	UCHECK_EQ(sys_cap_delete(slot), 0);
	return answer;
}

/* ---- names from the seed ---- */

/* lo to hi bytes from the seed, each in the names' set. */
static void prefix_draw(struct challenge *c, char *out, unsigned long lo, unsigned long hi)
{
	unsigned long n = challenge_range(c, lo, hi);
	for (unsigned long i = 0; i < n; i++)
		out[i] = (char)challenge_range(c, NAMES_CHAR_FIRST, NAMES_CHAR_LAST);
	out[n] = 0;
}

/* Name i of a family: the prefix (at most 28 bytes), '#', i in two hex digits, so the
 * names of one family differ only in their last two bytes. */
static const char *name_of(char *out, const char *prefix, unsigned long i)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = strlen(prefix);
	memcpy(out, prefix, n);
	out[n] = '#';
	out[n + 1] = hex[i >> 4 & 15];
	out[n + 2] = hex[i & 15];
	out[n + 3] = 0;
	return out;
}

/* ---- register and look up ---- */

/* 2 to 4 servers register themselves under names of one family; a client looks each up
 * and calls it; names it never registered are not found. */
UTEST(names_register_lookup)
{
	struct challenge c = utest_challenge(bi);
	unsigned long n = challenge_range(&c, 2, 4), key[4], sb[4], nb[4], w[4];
	char prefix[NAMES_NAME_MAX + 1], name[NAMES_NAME_MAX + 1], longer[NAMES_NAME_MAX + 2];
	prefix_draw(&c, prefix, 6, 27);
	unsigned long cb = challenge_range(&c, 1, BADGE_MAX);
	for (unsigned long i = 0; i < n; i++) {
		key[i] = challenge_next(&c);
		sb[i] = challenge_range(&c, 1, BADGE_MAX);
		nb[i] = challenge_range(&c, 1, BADGE_MAX);
		w[i] = challenge_next(&c);
	}
	long names = names_start(bi), ready = sys_endpoint_create();
	UCHECK(ready > 0);
	for (unsigned long i = 0; i < n; i++) {
		struct echo *e = &echoes[i];
		e->names = names_client(bi, names, nb[i]);
		e->ready = ready;
		name_of(e->name, prefix, i);
		/* A server registers a badged copy: its calls say which name they came by. */
		long ep = sys_endpoint_create();
		UCHECK(ep > 0);
		e->reg = copy_cap(bi, ep, RIGHT_SEND, sb[i]);
		echoes[i].ep = ep;
		echoes[i].key = key[i];
		utest_spawn(bi, 1 + (int)i, SERVER_PRIO, echo_thread, i);
		struct msg m;
		UCHECK_EQ(ipc_receive(ready, &m, 20), 0);
		printf("lookup: server %lu registered its name -> %ld\n", i, (long)m.mr0);
	}
	long client = names_client(bi, names, cb);
	for (unsigned long i = 0; i < n; i++)
		printf("lookup: a call through name %lu answers %lx\n", i,
		       lookup_call(client, name_of(name, prefix, i), w[i]));
	long first = names_lookup(client, name_of(name, prefix, 0));
	long again = names_lookup(client, name);
	printf("lookup: name 0 twice: two capabilities %s; the second answers %lx\n",
	       first > 0 && again > 0 && first != again ? "yes" : "no",
	       call_word(again, w[0] + 1));
	size_t len = strlen(name_of(longer, prefix, 0));
	longer[len] = '~';
	longer[len + 1] = 0;
	printf("lookup: unknown names (the prefix, the next of the family, name 0 and one "
	       "byte more) -> %ld %ld %ld\n", names_lookup(client, prefix),
	       names_lookup(client, name_of(name, prefix, n)), names_lookup(client, longer));
}

/* ---- a name taken, a table full ---- */

/* Two clients register one server under 64 names of a family, the second client on
 * the odd ones: a name is taken once, the 65th does not fit, and a name unregistered
 * makes room. */
UTEST(names_table_full)
{
	struct challenge c = utest_challenge(bi);
	char prefix[NAMES_NAME_MAX + 1], name[NAMES_NAME_MAX + 1];
	prefix_draw(&c, prefix, 6, 28);
	unsigned long key = challenge_next(&c), sb = challenge_range(&c, 1, BADGE_MAX);
	unsigned long ba = challenge_range(&c, 1, BADGE_MAX), bb = challenge_range(&c, 1, BADGE_MAX);
	unsigned long j = challenge_range(&c, 1, NAMES_TABLE_SIZE - 1), w = challenge_next(&c);
	long names = names_start(bi);
	long client[2] = { names_client(bi, names, ba), names_client(bi, names, bb) };
	long reg = copy_cap(bi, echo_start(bi, 0, key), RIGHT_SEND, sb);
	long first = names_register(client[0], name_of(name, prefix, 0), reg);
	long other = names_register(client[1], name, reg);
	long again = names_register(client[0], name, reg);
	printf("table: name 0 by one client -> %ld, by another -> %ld, by the first again -> "
	       "%ld\n", first, other, again);
	unsigned long count = first == 0;
	long r = 0;
	for (unsigned long i = 1; i < 2 * NAMES_TABLE_SIZE; i++, count++)
		if ((r = names_register(client[i % 2], name_of(name, prefix, i), reg)) != 0)
			break;
	printf("table: %lu names registered, then %ld\n", count, r);
	long out = names_unregister(client[j % 2], name_of(name, prefix, j));
	long in = names_register(client[0], name_of(name, prefix, 0x80), reg);
	printf("table: name %lu unregistered -> %ld; a new name then -> %ld\n", j, out, in);
	long gone = names_lookup(client[1], name_of(name, prefix, j));
	unsigned long new_answer = lookup_call(client[1], name_of(name, prefix, 0x80), w);
	printf("table: name %lu -> %ld; the new name answers %lx; name 0 answers %lx\n", j,
	       gone, new_answer, lookup_call(client[1], name_of(name, prefix, 0), w + 1));
}

/* ---- unregister: only by its registrant ---- */

UTEST(names_unregister_badge)
{
	struct challenge c = utest_challenge(bi);
	char prefix[NAMES_NAME_MAX + 1], name[NAMES_NAME_MAX + 1], other[NAMES_NAME_MAX + 1];
	prefix_draw(&c, prefix, 6, 28);
	unsigned long ba = challenge_range(&c, 1, BADGE_MAX), bb = challenge_range(&c, 1, BADGE_MAX);
	unsigned long ka = challenge_next(&c), kb = challenge_next(&c);
	unsigned long sa = challenge_range(&c, 1, BADGE_MAX), sb = challenge_range(&c, 1, BADGE_MAX);
	unsigned long wa = challenge_next(&c), wb = challenge_next(&c);
	unsigned long cycles = challenge_range(&c, 130, 200);
	long names = names_start(bi);
	long a = names_client(bi, names, ba), b = names_client(bi, names, bb);
	long reg_a = copy_cap(bi, echo_start(bi, 0, ka), RIGHT_SEND, sa);
	long reg_b = copy_cap(bi, echo_start(bi, 1, kb), RIGHT_SEND, sb);
	name_of(name, prefix, 1);
	printf("unregister: registered by one client -> %ld\n", names_register(a, name, reg_a));
	long r = names_unregister(b, name);
	printf("unregister: by another client -> %ld; the name still answers %lx\n", r,
	       lookup_call(b, name, wa));
	printf("unregister: a name nobody registered -> %ld\n",
	       names_unregister(a, name_of(other, prefix, 2)));
	r = names_unregister(a, name);
	long found = names_lookup(b, name);
	printf("unregister: by its registrant -> %ld; then a lookup -> %ld, and again -> %ld\n",
	       r, found, names_unregister(a, name));
	r = names_register(b, name, reg_b);
	printf("unregister: the name registered by the other client -> %ld, answers %lx\n", r,
	       lookup_call(a, name, wb));
	/* Each registration leaves names a capability: one not deleted with its name would
	 * fill a table of 128 slots long before the last cycle. */
	unsigned long ok = 0;
	name_of(other, prefix, 3);
	for (unsigned long i = 0; i < cycles; i++)
		ok += names_register(a, other, reg_a) == 0 && names_unregister(a, other) == 0;
	printf("unregister: %lu of %lu register-unregister cycles; then the name answers %lx\n",
	       ok, cycles, lookup_call(a, name, wb + 1));
}

/* ---- rights: a lookup gives no more than was registered ---- */

/* The rights of a capability, found by copying it with each right alone. */
static unsigned long rights_of(const struct boot_info_page *bi, long slot)
{
	unsigned long rights = 0;
	for (unsigned long bit = 1; bit <= RIGHTS_ALL; bit <<= 1) {
		long copy = sys_cap_copy(bi->self_task_slot, slot, bit, 0);
		if (copy > 0) {
			rights |= bit;
			UCHECK_EQ(sys_cap_delete(copy), 0);
		}
	}
	return rights;
}

UTEST(names_lookup_rights)
{
	struct challenge c = utest_challenge(bi);
	unsigned long key = challenge_next(&c), sb = challenge_range(&c, 1, BADGE_MAX);
	unsigned long grant = challenge_range(&c, 0, 1), w = challenge_next(&c);
	unsigned long ba = challenge_range(&c, 1, BADGE_MAX), bb = challenge_range(&c, 1, BADGE_MAX);
	/* Always the receive right, which names never hands out; the grant right or not. */
	unsigned long rights = RIGHT_SEND | RIGHT_RECEIVE | (grant ? RIGHT_GRANT : 0);
	long names = names_start(bi);
	long a = names_client(bi, names, ba), b = names_client(bi, names, bb);
	long ep = echo_start(bi, 0, key);
	long reg = copy_cap(bi, ep, rights, sb);
	printf("rights: registered with rights %lx -> %ld\n", rights,
	       names_register(a, "rights.test", reg));
	long slot = names_lookup(b, "rights.test");
	printf("rights: the looked-up capability has rights %lx; a call through it answers "
	       "%lx\n", slot > 0 ? rights_of(bi, slot) : 0, call_word(slot, w));
	/* A capability rides along only with the grant right. */
	struct msg m = { .tag = IPC_TAG(0, 1, 1), .mr0 = w, .mr1 = IPC_ITEM_CAP };
	utcb()->mr[2] = (unsigned long)slot;
	printf("rights: a call through it carrying a capability -> %ld\n", ipc_call(slot, &m));
	long recv_only = copy_cap(bi, ep, RIGHT_RECEIVE, 0);
	printf("rights: registering a capability without the send right -> %ld, a task "
	       "capability -> %ld\n", names_register(a, "rights.recv", recv_only),
	       names_register(a, "rights.task", bi->self_task_slot));
}

/* ---- hostile requests: each an error, and names serves on ---- */

/* Calls names with a request made by hand: tag, then w (its words and items); returns
 * the IPC's error or the reply's MR0. */
static long raw_call(long names, unsigned long tag, const unsigned long *w)
{
	unsigned long n = IPC_TAG_UNTYPED(tag) + 2 * IPC_TAG_TYPED(tag);
	struct msg m = { .tag = tag, .mr0 = n > 0 ? w[0] : 0, .mr1 = n > 1 ? w[1] : 0 };
	for (unsigned long i = 2; i < n && i < IPC_MR_COUNT; i++)
		utcb()->mr[i] = w[i];
	long r = ipc_call(names, &m);
	return r < 0 ? r : (long)m.mr0;
}

/* A register request for the 3-byte name "a?b" whose middle byte is `ch`. */
static long raw_byte(long names, unsigned long ch, long cap)
{
	unsigned long w[] = { 3, 'a' | ch << 8 | 'b' << 16, IPC_ITEM_CAP, (unsigned long)cap };
	return raw_call(names, IPC_TAG(NAMES_REGISTER, 2, 1), w);
}

UTEST(names_hostile)
{
	static const char stale[] = "hostile.stale.words!";     /* 20 bytes: 3 words */
	struct challenge c = utest_challenge(bi);
	unsigned long hb = challenge_range(&c, 1, BADGE_MAX), key = challenge_next(&c);
	unsigned long sb = challenge_range(&c, 1, BADGE_MAX);
	unsigned long label = challenge_range(&c, NAMES_DEATH + 1, 1ul << 40);
	unsigned long flood = challenge_range(&c, 100, 160);
	char longest[NAMES_NAME_MAX + 1], shortest[2];
	prefix_draw(&c, longest, NAMES_NAME_MAX, NAMES_NAME_MAX);
	prefix_draw(&c, shortest, 1, 1);
	unsigned long w1 = challenge_next(&c), w2 = challenge_next(&c);
	long names = names_start(bi), h = names_client(bi, names, hb);
	long reg = copy_cap(bi, echo_start(bi, 0, key), RIGHT_SEND, sb);

	/* Names's UTCB keeps the words of the refused second register: a server that
	 * read past the tag's count would find the name in the short lookup. */
	long r1 = names_register(h, stale, reg), r2 = names_register(h, stale, reg);
	printf("hostile: a 20-byte name registered -> %ld, registered again -> %ld\n", r1, r2);
	struct names_name n;
	UCHECK_EQ(names_pack(stale, &n), 20);
	unsigned long w[IPC_MR_COUNT] = { 20, n.words[0], n.words[1], n.words[2] };
	long shorter = raw_call(h, IPC_TAG(NAMES_LOOKUP, 2, 0), w);
	printf("hostile: a lookup of it in 2 words where its length needs 4 -> %ld; in 4 -> "
	       "%ld\n", shorter, raw_call(h, IPC_TAG(NAMES_LOOKUP, 4, 0), w));
	unsigned long three[] = { 3, 'a' | 'b' << 8 | 'c' << 16, 0 };
	printf("hostile: a 3-byte name in 3 words -> %ld\n",
	       raw_call(h, IPC_TAG(NAMES_LOOKUP, 3, 0), three));
	unsigned long len0[] = { 0, IPC_ITEM_CAP, (unsigned long)reg };
	unsigned long len32[] = { 32, ~0ul, ~0ul, ~0ul, ~0ul, IPC_ITEM_CAP, (unsigned long)reg };
	unsigned long lenmax[] = { ~0ul, 'a', IPC_ITEM_CAP, (unsigned long)reg };
	printf("hostile: lengths 0, 32 and 2^64-1 -> %ld %ld %ld\n",
	       raw_call(h, IPC_TAG(NAMES_REGISTER, 1, 1), len0),
	       raw_call(h, IPC_TAG(NAMES_REGISTER, 5, 1), len32),
	       raw_call(h, IPC_TAG(NAMES_REGISTER, 2, 1), lenmax));
	printf("hostile: bytes 00 0a 20 7f 80 ff in a name -> %ld %ld %ld %ld %ld %ld\n",
	       raw_byte(h, 0x00, reg), raw_byte(h, 0x0a, reg), raw_byte(h, 0x20, reg),
	       raw_byte(h, 0x7f, reg), raw_byte(h, 0x80, reg), raw_byte(h, 0xff, reg));
	unsigned long padded[] = { 3, 'a' | 'b' << 8 | 'c' << 16 | 0x41ul << 32 };
	printf("hostile: padding after the name that is not 0 -> %ld\n",
	       raw_call(h, IPC_TAG(NAMES_LOOKUP, 2, 0), padded));
	char unterminated[40];
	memset(unterminated, 'a', sizeof(unterminated));
	printf("hostile: the stubs refuse an unterminated name, an empty one, a space -> %ld "
	       "%ld %ld\n", names_lookup(h, unterminated), names_register(h, "", reg),
	       names_register(h, "a b", reg));
	unsigned long none[] = { 1, 'x' };
	unsigned long map[] = { 1, 'x', IPC_MAP_ITEM(IPC_ITEM_MAP, 0, 0),
				FPAGE(0x300000000000ul, 12) };
	unsigned long empty[] = { 1, 'x', IPC_ITEM_CAP, 0 };
	unsigned long two[] = { 1, 'x', IPC_ITEM_CAP, (unsigned long)reg, IPC_ITEM_CAP,
				(unsigned long)reg };
	printf("hostile: a register with no item -> %ld, a map item -> %ld, a capability item "
	       "naming an empty slot -> %ld, two capabilities -> %ld\n",
	       raw_call(h, IPC_TAG(NAMES_REGISTER, 2, 0), none),
	       raw_call(h, IPC_TAG(NAMES_REGISTER, 2, 1), map),
	       raw_call(h, IPC_TAG(NAMES_REGISTER, 2, 1), empty),
	       raw_call(h, IPC_TAG(NAMES_REGISTER, 2, 2), two));
	unsigned long one[] = { 1, 'x', IPC_ITEM_CAP, (unsigned long)reg };
	printf("hostile: a lookup carrying a capability -> %ld; a register through an "
	       "unbadged capability -> %ld\n", raw_call(h, IPC_TAG(NAMES_LOOKUP, 2, 1), one),
	       names_register(names, "x", reg));
	unsigned long junk[IPC_MR_COUNT] = { 1, 'x' };
	printf("hostile: labels 0 and a large one -> %ld %ld; 10 words -> %ld\n",
	       raw_call(h, IPC_TAG(0, 2, 0), junk), raw_call(h, IPC_TAG(label, 2, 0), junk),
	       raw_call(h, IPC_TAG(NAMES_LOOKUP, 10, 0), junk));
	struct msg m = { .tag = IPC_TAG(NAMES_LOOKUP, 2, 0), .mr0 = 1, .mr1 = 'x' };
	long sent = ipc_send(h, &m, IPC_TIMEOUT_POLL);
	printf("hostile: a lookup sent, not called -> %ld; a death notice from a client -> "
	       "%ld\n", sent, raw_call(h, IPC_TAG(NAMES_DEATH, 1, 0), &hb));
	/* Three capabilities each: names's table (128 slots) would be full after 42. */
	unsigned long caps[] = { IPC_ITEM_CAP, (unsigned long)reg, IPC_ITEM_CAP,
				 (unsigned long)reg, IPC_ITEM_CAP, (unsigned long)reg };
	unsigned long refused = 0;
	for (unsigned long i = 0; i < flood; i++)
		refused += raw_call(h, IPC_TAG(label + i, 0, 3), caps) == E_NOSYS;
	printf("hostile: %lu garbage messages with 3 capabilities each: %lu answered %d\n",
	       flood, refused, E_NOSYS);
	long r31 = names_register(h, longest, reg), r1b = names_register(h, shortest, reg);
	unsigned long a31 = lookup_call(h, longest, w1);
	printf("hostile: then a 31-byte name -> %ld, answers %lx; a 1-byte name -> %ld, answers "
	       "%lx\n", r31, a31, r1b, lookup_call(h, shortest, w2));
}

/* ---- a dead server: its names go ---- */

/*
 * The server is a thread of a second task (a copy of this program: it sees none of the
 * root's variables, so the root's answer to its first call says how many names and
 * its key). It registers k names of its own endpoint and an alias, the root's echo
 * server, which lives on after the task; then it serves. The root destroys the task.
 */
static char child_stack[STACK_SIZE] __attribute__((aligned(16)));

static const char *dead_name(char *out, unsigned long i)
{
	return name_of(out, "dead.server", i);
}

/* In the child: arg packs (its capability to names, to the alias, to the root's inbox). */
static void dead_server(unsigned long arg)
{
	long names = SLOT_OF(arg, 0), alias = SLOT_OF(arg, 1), inbox = SLOT_OF(arg, 2);
	long own = sys_endpoint_create();
	char name[NAMES_NAME_MAX + 1];
	UCHECK(own > 0);
	struct msg m = { .tag = IPC_TAG(0, 0, 0) };
	UCHECK_EQ(ipc_call(inbox, &m), 0);
	unsigned long k = m.mr0, key = m.mr1, registered = 0;
	for (unsigned long i = 0; i < k; i++)
		registered += names_register(names, dead_name(name, i), own) == 0;
	registered += names_register(names, "dead.alias", alias) == 0;
	m = (struct msg){ .tag = IPC_TAG(0, 1, 0), .mr0 = registered };
	UCHECK_EQ(ipc_send(inbox, &m, IPC_TIMEOUT_INFINITE), 0);
	long r = ipc_receive(own, &m, IPC_TIMEOUT_INFINITE);
	while (r == 0) {
		m = (struct msg){ .tag = IPC_TAG(0, 1, 0), .mr0 = m.mr0 ^ key };
		r = ipc_reply_receive(own, &m);
	}
	sys_thread_exit();
}

/* A death notice called (not sent, as the pm does), so its answer shows. */
static long notice_call(long names, unsigned long pid)
{
	return raw_call(names, IPC_TAG(NAMES_DEATH, 1, 0), &pid);
}

UTEST(names_dead_server)
{
	struct challenge c = utest_challenge(bi);
	unsigned long k = challenge_range(&c, 3, 6), pid = challenge_range(&c, 1, BADGE_MAX);
	unsigned long key = challenge_next(&c), cb = challenge_range(&c, 1, BADGE_MAX);
	unsigned long ab = challenge_range(&c, 1, BADGE_MAX), rb = challenge_range(&c, 1, BADGE_MAX);
	unsigned long key2 = challenge_next(&c), w[3];
	for (int i = 0; i < 3; i++)
		w[i] = challenge_next(&c);
	char name[NAMES_NAME_MAX + 1];
	long names = names_start(bi), client = names_client(bi, names, cb);
	long pm = copy_cap(bi, names, RIGHT_SEND, NAMES_BADGE_PM);
	long alias = echo_start(bi, 0, key2), inbox = sys_endpoint_create();
	UCHECK(inbox > 0);

	long task = utest_task_clone(bi);
	long names_there = sys_cap_copy(task, names, RIGHT_SEND | RIGHT_GRANT, pid);
	long alias_there = sys_cap_copy(task, alias, RIGHT_SEND, ab);
	long inbox_there = sys_cap_copy(task, inbox, RIGHT_SEND, 0);
	UCHECK(names_there > 0 && alias_there > 0 && inbox_there > 0);
	utest_spawn_in_task(task, CHILD_PRIO, dead_server, child_stack, STACK_SIZE,
			    PACK3(names_there, alias_there, inbox_there));
	struct msg m;
	UCHECK_EQ(ipc_receive(inbox, &m, 20), 0);
	m = (struct msg){ .tag = IPC_TAG(0, 2, 0), .mr0 = k, .mr1 = key };
	UCHECK_EQ(ipc_reply(&m), 0);
	UCHECK_EQ(ipc_receive(inbox, &m, 20), 0);
	printf("dead: the server registered %lu of %lu names\n", m.mr0, k + 1);
	long first = names_lookup(client, dead_name(name, 0));
	printf("dead: a call through its first name answers %lx\n", call_word(first, w[0]));
	printf("dead: destroying its task -> %ld\n", sys_task_destroy(task));
	printf("dead: a call through the capability names gave -> %ld; a death notice from a "
	       "client -> %ld\n", (long)call_word(first, w[0]), notice_call(client, pid));
	printf("dead: a lookup of its second name -> %ld\n",
	       names_lookup(client, dead_name(name, 1)));
	long reg = copy_cap(bi, alias, RIGHT_SEND, rb);
	printf("dead: its third name, registered by another client -> %ld\n",
	       names_register(client, dead_name(name, 2), reg));
	printf("dead: its alias, an endpoint that lives on, answers %lx\n",
	       lookup_call(client, "dead.alias", w[1]));
	long freed = notice_call(pm, pid), again = notice_call(pm, pid);
	printf("dead: the pm's notice frees %ld names; a second one %ld; the pm's poll send "
	       "-> %ld\n", freed, again, names_notify_death(pm, pid));
	long gone = names_lookup(client, dead_name(name, 0));
	printf("dead: then its first name -> %ld, its alias -> %ld; its third answers %lx\n",
	       gone, names_lookup(client, "dead.alias"),
	       lookup_call(client, dead_name(name, 2), w[2]));
}
