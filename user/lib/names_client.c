/**
 * @file
 * names_client.c — asking the name server: the stubs, and names packed into words.
 *
 * The one thing to know: a stub checks the name before it sends anything, but the
 * server checks it again (names_valid): a client is free not to use these stubs.
 * Capabilities are accepted only for the lookup's call, so a later, unrelated reply
 * cannot put one in the caller's table by surprise.
 */
#include <ipc.h>
#include <names.h>
#include <string.h>
#include <utcb.h>
#include <abi/error.h>

static int names_char_ok(unsigned long ch)
{
	return ch >= NAMES_CHAR_FIRST && ch <= NAMES_CHAR_LAST;
}

long names_pack(const char *name, struct names_name *out)
{
	size_t len = strnlen(name, NAMES_NAME_MAX + 1);
	if (len < 1 || len > NAMES_NAME_MAX)
		return E_INVAL;
	*out = (struct names_name){ .len = len };
	for (size_t i = 0; i < len; i++) {
		unsigned long ch = (unsigned char)name[i];
		if (!names_char_ok(ch))
			return E_INVAL;
		out->words[i / 8] |= ch << (8 * (i % 8));
	}
	return (long)len;
}

int names_valid(const struct names_name *n)
{
	if (n->len < 1 || n->len > NAMES_NAME_MAX)
		return 0;
	for (unsigned long i = 0; i < 8 * NAMES_NAME_WORDS; i++) {
		unsigned long ch = n->words[i / 8] >> (8 * (i % 8)) & 0xff;
		/* Past the name, only zeros: one name, one spelling on the wire. */
		if (i < n->len ? !names_char_ok(ch) : ch != 0)
			return 0;
	}
	return 1;
}

/* Puts a request for *n in m and the UTCB: MR0 the length, then the name's words. */
static void names_request(struct msg *m, unsigned long label, const struct names_name *n,
			  unsigned long typed)
{
	unsigned long words = NAMES_WORDS_FOR(n->len);
	*m = (struct msg){ .tag = IPC_TAG(label, words, typed), .mr0 = n->len,
			   .mr1 = n->words[0] };
	for (unsigned long i = 2; i < words; i++)
		utcb()->mr[i] = n->words[i - 1];
}

/* A call whose reply is MR0 = 0 or an error. */
static long names_simple_call(long names_slot, struct msg *m)
{
	long r = ipc_call(names_slot, m);
	return r < 0 ? r : (long)m->mr0;
}

long names_register(long names_slot, const char *name, long cap_slot)
{
	struct names_name n;
	struct msg m;
	if (names_pack(name, &n) < 0)
		return E_INVAL;
	names_request(&m, NAMES_REGISTER, &n, 1);
	unsigned long item = NAMES_WORDS_FOR(n.len);        /* the item follows the words */
	utcb()->mr[item] = IPC_ITEM_CAP;
	utcb()->mr[item + 1] = (unsigned long)cap_slot;
	return names_simple_call(names_slot, &m);
}

long names_lookup(long names_slot, const char *name)
{
	struct names_name n;
	struct msg m;
	if (names_pack(name, &n) < 0)
		return E_INVAL;
	names_request(&m, NAMES_LOOKUP, &n, 0);
	struct utcb *u = utcb();
	unsigned long accepted = u->accept_caps;
	u->accept_caps = 1;
	long r = ipc_call(names_slot, &m);
	u->accept_caps = accepted;
	if (r < 0)
		return r;
	if ((long)m.mr0 < 0)
		return (long)m.mr0;
	/* The item is MR1 (its kind) and MR2 (our new slot; 0: it found no room). */
	if (m.mr0 != 0 || IPC_TAG_UNTYPED(m.tag) != 1 || IPC_TAG_TYPED(m.tag) != 1 ||
	    IPC_ITEM_KIND(m.mr1) != IPC_ITEM_CAP)
		return E_INVAL;
	long slot = (long)u->mr[2];
	return slot > 0 ? slot : E_FULL;
}

long names_unregister(long names_slot, const char *name)
{
	struct names_name n;
	struct msg m;
	if (names_pack(name, &n) < 0)
		return E_INVAL;
	names_request(&m, NAMES_UNREGISTER, &n, 0);
	return names_simple_call(names_slot, &m);
}

long names_notify_death(long names_slot, unsigned long pid)
{
	struct msg m = { .tag = IPC_TAG(NAMES_DEATH, 1, 0), .mr0 = pid };
	return ipc_send(names_slot, &m, IPC_TIMEOUT_POLL);
}
