/**
 * @file
 * names.c — the name server: its table of names, and the loop that answers requests.
 *
 * The one thing to know: every capability in the table is names's own copy, in names's
 * own capability table; a lookup hands the client another copy in the reply, so a
 * client never holds names's copy and a name lives exactly as long as its entry. Every
 * capability that arrives and is not kept is deleted at once, so no message, however
 * hostile, fills names's capability table.
 *
 * Dead servers, two ways (handouts/lab6.md, "The name server"):
 * - Eagerly: the process manager tells names that a pid died (NAMES_DEATH, from the
 *   NAMES_BADGE_PM capability), and names frees every name that badge registered,
 *   whatever those names' capabilities are. The pm sends with a poll timeout, so it
 *   never blocks on names; it still never finds names busy, because names runs at a
 *   higher priority than the pm and blocks nowhere but in its receive (no call out,
 *   no wait: its replies and its probes never block). Whenever the pm runs, names is
 *   therefore waiting in that receive, and the poll send is delivered.
 * - Lazily: before it hands out a name, or refuses one as taken, names probes the
 *   name's endpoint (endpoint_probe: a call that fails before it sends anything), and
 *   frees a name whose endpoint's owner was destroyed. So a dead name is never handed
 *   out, even without the pm's notice, and a restarted server can take its old name
 *   back at once.
 */
#include <ipc.h>
#include <names.h>
#include <string.h>
#include <utcb.h>
#include <abi/error.h>

struct names_entry {
	struct names_name name;         /* name.len 0: the entry is free */
	long slot;                      /* names's own copy of the registered capability */
	unsigned long badge;            /* the registrant's: who may unregister it */
};

static struct names_entry table[NAMES_TABLE_SIZE];

/* LAB 6 BEGIN: the name server's table */
/* The entry holding name *n, or NULL. */
static struct names_entry *table_find(const struct names_name *n)
{
	for (int i = 0; i < NAMES_TABLE_SIZE; i++)
		if (table[i].name.len == n->len &&
		    memcmp(table[i].name.words, n->words, sizeof(n->words)) == 0)
			return &table[i];
	return NULL;
}

/* Enters *n with names's capability `slot`, registered by `badge`: 0, E_EXISTS if the
 * name is there already, E_FULL if no entry is free. */
static long table_insert(const struct names_name *n, long slot, unsigned long badge)
{
	if (table_find(n))
		return E_EXISTS;
	for (int i = 0; i < NAMES_TABLE_SIZE; i++) {
		if (table[i].name.len == 0) {
			table[i] = (struct names_entry){ .name = *n, .slot = slot, .badge = badge };
			return 0;
		}
	}
	return E_FULL;
}

/* Frees an entry, and names's copy of its capability with it. */
static void table_remove(struct names_entry *e)
{
	sys_cap_delete(e->slot);
	*e = (struct names_entry){ 0 };
}

/* Frees every name `badge` registered; returns how many. */
static long table_remove_badge(unsigned long badge)
{
	long freed = 0;
	for (int i = 0; i < NAMES_TABLE_SIZE; i++) {
		if (table[i].name.len != 0 && table[i].badge == badge) {
			table_remove(&table[i]);
			freed++;
		}
	}
	return freed;
}
/* LAB 6 STUB
// Four operations on `table` (a free entry has name.len 0): find by name (its length
// and words), insert (E_EXISTS, E_FULL), remove (names's copy of the capability too),
// and remove every entry of a badge (returning how many).
static struct names_entry *table_find(const struct names_name *n)
{
	(void)n; (void)table;
	return NULL;
}

static long table_insert(const struct names_name *n, long slot, unsigned long badge)
{
	(void)n; (void)slot; (void)badge;
	return E_FULL;
}

static void table_remove(struct names_entry *e)
{
	(void)e;
}

static long table_remove_badge(unsigned long badge)
{
	(void)badge;
	return 0;
}
*/
/* LAB 6 END */

/*
 * What the kernel says of the endpoint in `slot`, without sending anything: an IPC
 * that would send to it and then receive from slot 0. sys_ipc looks both capabilities
 * up before it does anything (kernel/ipc.c: a failed call changes nothing), and slot 0
 * is always empty, so the call fails: E_CAP when `slot` is a live endpoint with the
 * send right, E_GONE when the endpoint's owner was destroyed, E_TYPE when it names no
 * endpoint, E_RIGHTS without the send right. The server behind it sees nothing.
 */
static long endpoint_probe(long slot)
{
	struct msg probe = { .tag = IPC_TAG(0, 0, 0) };
	return ipc(slot, 0, IPC_FLAGS(IPC_SEND | IPC_RECEIVE, IPC_TIMEOUT_POLL), &probe);
}

/* A request as it arrived: its registers and UTCB words copied once, before anything
 * (a probe, a reply) can change the UTCB. */
struct request {
	unsigned long label, badge, untyped, typed;
	unsigned long w[IPC_MR_COUNT];
};

/* The name in a request: exactly the words its length needs, else E_INVAL. */
static long request_name(const struct request *q, struct names_name *n)
{
	unsigned long len = q->untyped ? q->w[0] : 0;
	if (len < 1 || len > NAMES_NAME_MAX || q->untyped != NAMES_WORDS_FOR(len))
		return E_INVAL;
	*n = (struct names_name){ .len = len };
	for (unsigned long i = 1; i < q->untyped; i++)
		n->words[i - 1] = q->w[i];
	return names_valid(n) ? 0 : E_INVAL;
}

/* The slot of the k-th item if it is a capability that arrived in our table, else 0. */
static long request_cap(const struct request *q, unsigned long k)
{
	unsigned long at = q->untyped + 2 * k;
	return IPC_ITEM_KIND(q->w[at]) == IPC_ITEM_CAP ? (long)q->w[at + 1] : 0;
}

/* A name whose endpoint died goes; *e becomes NULL then. */
static void drop_if_dead(struct names_entry **e)
{
	if (*e && endpoint_probe((*e)->slot) == E_GONE) {
		table_remove(*e);
		*e = NULL;
	}
}

static long serve_register(const struct request *q, const struct names_name *n, long cap)
{
	if (!q->badge)
		return E_RIGHTS;        /* unbadged: no one, who could never unregister it */
	if (q->typed != 1 || !cap)
		return E_INVAL;
	long probe = endpoint_probe(cap);
	if (probe != E_CAP)
		return probe < 0 ? probe : E_INVAL;     /* dead, not an endpoint, no send */
	struct names_entry *e = table_find(n);
	drop_if_dead(&e);                       /* a dead server's name is free again */
	return table_insert(n, cap, q->badge);
}

static long serve_lookup(const struct request *q, const struct names_name *n, long *give)
{
	if (q->typed)
		return E_INVAL;
	struct names_entry *e = table_find(n);
	drop_if_dead(&e);
	if (!e)
		return E_NOENT;
	*give = e->slot;
	return 0;
}

static long serve_unregister(const struct request *q, const struct names_name *n)
{
	if (q->typed)
		return E_INVAL;
	struct names_entry *e = table_find(n);
	if (!e)
		return E_NOENT;
	if (e->badge != q->badge)
		return E_RIGHTS;
	table_remove(e);
	return 0;
}

/* The pm's notice that the pid in MR0 died: its names go, whatever they name. */
static long serve_death(const struct request *q)
{
	if (q->badge != NAMES_BADGE_PM)
		return E_RIGHTS;
	if (q->untyped != 1 || q->typed)
		return E_INVAL;
	return table_remove_badge(q->w[0]);
}

/* The answer to one request; every capability that came with it and is not kept in
 * the table is deleted. */
static struct msg names_answer(const struct msg *m)
{
	struct request q = { .label = IPC_TAG_LABEL(m->tag), .badge = m->badge,
			     .untyped = IPC_TAG_UNTYPED(m->tag), .typed = IPC_TAG_TYPED(m->tag) };
	/* The kernel delivers at most 64 words; a tag saying more is not believed. */
	if (q.untyped > NAMES_REQUEST_WORDS || q.untyped + 2 * q.typed > IPC_MR_COUNT)
		q.untyped = q.typed = 0;
	for (unsigned long i = 0; i < q.untyped + 2 * q.typed; i++)
		q.w[i] = i == 0 ? m->mr0 : i == 1 ? m->mr1 : utcb()->mr[i];

	struct names_name n;
	long cap = q.typed ? request_cap(&q, 0) : 0, kept = 0, give = 0, r;
	if (q.label == NAMES_DEATH)
		r = serve_death(&q);
	else if (q.label != NAMES_REGISTER && q.label != NAMES_LOOKUP &&
		 q.label != NAMES_UNREGISTER)
		r = E_NOSYS;
	else if (request_name(&q, &n) < 0)
		r = E_INVAL;
	else if (q.label == NAMES_REGISTER)
		r = serve_register(&q, &n, cap);
	else if (q.label == NAMES_LOOKUP)
		r = serve_lookup(&q, &n, &give);
	else
		r = serve_unregister(&q, &n);
	if (q.label == NAMES_REGISTER && r == 0)
		kept = cap;
	for (unsigned long k = 0; k < q.typed; k++) {
		long slot = request_cap(&q, k);
		if (slot && slot != kept)
			sys_cap_delete(slot);
	}

	if (!give)
		return (struct msg){ .tag = IPC_TAG(0, 1, 0), .mr0 = (unsigned long)r };
	/* A copy of names's capability, never with the receive right. */
	utcb()->mr[2] = (unsigned long)give;
	return (struct msg){ .tag = IPC_TAG(0, 1, 1), .mr0 = 0,
			     .mr1 = IPC_ITEM_CAP | IPC_ITEM_RIGHTS(NAMES_LOOKUP_RIGHTS) };
}

long names_serve(long endpoint)
{
	struct utcb *u = utcb();
	memset(table, 0, sizeof(table));
	u->buffer_words = NAMES_REQUEST_WORDS;  /* a longer message is refused: E_TOOLONG */
	u->accept_caps = 1;
	u->map_window = 0;                      /* pages and ports never land here */
	struct msg m;
	long r = ipc_receive(endpoint, &m, IPC_TIMEOUT_INFINITE);
	for (;;) {
		while (r == 0) {
			m = names_answer(&m);
			r = ipc_reply_receive(endpoint, &m);
		}
		/*
		 * Nothing was received: E_TOOLONG, a message longer than any request,
		 * refused by the kernel; E_GONE from the reply, the sender had not called
		 * (a death notice is a send) or died waiting. Wait afresh; a receive that
		 * fails again for any reason means the endpoint itself is unusable.
		 */
		if (r != E_TOOLONG && r != E_GONE)
			return r;
		r = ipc_receive(endpoint, &m, IPC_TIMEOUT_INFINITE);
		if (r < 0 && r != E_TOOLONG)
			return r;
	}
}
