/**
 * @file
 * fuzz_ops.c — the random system calls of the concurrent fuzzers (fuzz.h).
 *
 * The one thing to know: the worker keeps the fuzzing honest about itself — it never
 * deletes or moves its fixed slots, never waits for ever (a helper thread may: helpers
 * are killed at the end), never makes another thread it would lose track of — and
 * leaves everything else to chance, so the kernel sees live objects used from several
 * threads and tasks at once, with preemption at any instruction between the calls.
 */
#include <minim.h>
#include <thread.h>
#include "fuzz.h"
#include "utest.h"

static unsigned long rnd(struct fuzz_worker *w)
{
	return utest_random(&w->rng);
}

static unsigned long below(struct fuzz_worker *w, unsigned long n)
{
	return rnd(w) % n;
}

/* A slot number: mostly a low one, where the task's capabilities are; sometimes hostile. */
static long any_slot(struct fuzz_worker *w)
{
	static const long hostile[] = { -1, 0, 127, 128, 5000, (long)(1ul << 63),
					(long)(~0ul >> 1) };
	if (below(w, 16) == 0)
		return hostile[below(w, sizeof(hostile) / sizeof(hostile[0]))];
	return (long)below(w, FUZZ_SLOTS);
}

static long endpoint_slot(struct fuzz_worker *w)
{
	if (w->endpoint_count && below(w, 2))
		return w->endpoints[below(w, (unsigned long)w->endpoint_count)];
	return any_slot(w);
}

/* The worker whose helper table says which slots hold helpers: the helper's parent. */
static struct fuzz_worker *owner(struct fuzz_worker *w)
{
	return w->is_helper ? w->helpers[0].parent : w;
}

/* A slot this worker may delete or move: not fixed, not a helper it must kill later. */
static int disposable(struct fuzz_worker *w, long slot)
{
	struct fuzz_worker *o = owner(w);
	if (slot < o->first_dynamic || slot >= 128)
		return 0;
	for (int i = 0; i < FUZZ_HELPERS; i++)
		if (o->helpers[i].slot == slot)
			return 0;
	return 1;
}

static unsigned long window_fpage(struct fuzz_worker *w)
{
	/* 4 to 64 KiB: up to 8 pages fit a message (IPC_MAP_PAGES_MAX), 16 do not. */
	unsigned log2 = 12 + (unsigned)below(w, 5);
	unsigned long offset = below(w, 1ul << (FUZZ_WINDOW_LOG2 - log2)) << log2;
	return FPAGE(w->window + offset, log2);
}

static void set_mr(struct msg *m, unsigned i, unsigned long v)
{
	if (i == 0)
		m->mr0 = v;
	else if (i == 1)
		m->mr1 = v;
	else if (i < IPC_MR_COUNT)
		utcb()->mr[i] = v;
}

/* One typed item for a message: a capability, pages, ports, or garbage. */
static void add_item(struct fuzz_worker *w, struct msg *m, unsigned at)
{
	unsigned long kind, what;
	unsigned long choice = below(w, 8);
	int pages = (w->ops & FUZZ_PAGES) && w->window;
	if (choice < 4 || !pages) {
		long slot = any_slot(w);
		kind = IPC_ITEM_CAP | IPC_ITEM_RIGHTS(below(w, 16));
		/* Only the worker moves, and only what it may lose. */
		if (!w->is_helper && disposable(w, slot) && below(w, 2))
			kind |= IPC_ITEM_MOVE;
		what = (unsigned long)slot;
	} else if (choice < 7) {
		unsigned long hotspot = below(w, 1ul << (FUZZ_WINDOW_LOG2 - 12)) << 12;
		kind = IPC_MAP_ITEM(below(w, 3) ? IPC_ITEM_MAP : IPC_ITEM_GRANT, hotspot,
				    below(w, 8) & MAP_RIGHTS_ALL);
		what = below(w, 16) ? window_fpage(w) : rnd(w);
	} else {
		unsigned log2 = (unsigned)below(w, 4);
		kind = IPC_ITEM_IO | (below(w, 2) ? IPC_ITEM_MOVE : 0);
		what = IO_FPAGE(below(w, 65536) & ~((1ul << log2) - 1), log2);
	}
	set_mr(m, at, kind);
	set_mr(m, at + 1, what);
}

static void ipc_step(struct fuzz_worker *w)
{
	static const unsigned long ops[] = {
		IPC_OP_SEND, IPC_OP_RECEIVE, IPC_OP_CALL, IPC_OP_REPLY_RECEIVE,
		IPC_SEND | IPC_RECEIVE, IPC_REPLY, IPC_OP_CALL, IPC_OP_REPLY_RECEIVE,
	};
	unsigned long op = ops[below(w, sizeof(ops) / sizeof(ops[0]))];
	/* A call waits for its reply without a timeout. A helper may: it is killed at the
	 * end of the phase. A worker must not: two workers each calling the other's helper,
	 * which then waits for ever holding the reply, could never end their phases. */
	if (op == IPC_OP_CALL && !w->is_helper)
		op = IPC_OP_SEND;
	/* Mostly a poll, sometimes a tick; a helper may wait for ever (the fast path's
	 * case): it is killed at the end of the phase if nobody comes. */
	unsigned long timeout = below(w, 4) ? IPC_TIMEOUT_POLL : 1;
	if (w->is_helper && below(w, 3) == 0)
		timeout = IPC_TIMEOUT_INFINITE;

	struct utcb *u = utcb();
	u->buffer_words = below(w, 4) ? 0 : below(w, 70);
	u->accept_caps = below(w, 2);
	u->map_window = (w->ops & FUZZ_PAGES) && w->window && below(w, 2)
			? FPAGE(w->window, FUZZ_WINDOW_LOG2) : 0;

	unsigned untyped = below(w, 12) ? (unsigned)below(w, 4) : (unsigned)below(w, 66);
	unsigned typed = below(w, 3) ? 0 : 1 + (unsigned)below(w, 2);
	struct msg m = { .tag = IPC_TAG(below(w, 4), untyped, typed), .mr0 = rnd(w),
			 .mr1 = rnd(w) };
	for (unsigned i = 2; i < untyped && i < IPC_MR_COUNT; i++)
		u->mr[i] = rnd(w);
	for (unsigned k = 0; k < typed; k++)
		add_item(w, &m, untyped + 2 * k);
	if (ipc(endpoint_slot(w), endpoint_slot(w), IPC_FLAGS(op, timeout), &m) < 0)
		w->errors++;
}

/* Starts a helper in a free helper place; its cap is remembered before it runs. */
static void helper_main(unsigned long arg);

static void helper_start(struct fuzz_worker *w)
{
	struct fuzz_helper *h = 0;
	int index = 0;
	for (int i = 0; i < FUZZ_HELPERS && !h; i++)
		if (w->helpers[i].slot == 0)
			h = &w->helpers[index = i];
	if (!h)
		return;
	long prio = 1 + (long)below(w, (unsigned long)w->prio);
	long slot = sys_thread_create(w->task, prio);
	if (slot <= 0) {
		w->errors++;
		return;
	}
	*h = (struct fuzz_helper){ .slot = slot, .prio = prio, .parent = w, .seed = rnd(w) | 1 };
	if (w->endpoint_count && below(w, 2)) {
		long pager = w->endpoints[below(w, (unsigned long)w->endpoint_count)];
		h->has_pager = sys_thread_handlers(slot, pager, below(w, 2) ? pager : 0) == 0;
	}
	if (thread_start_on(slot, helper_main, (unsigned long)h, w->stacks[index],
			    FUZZ_HELPER_STACK) < 0) {
		w->errors++;
		sys_cap_delete(slot);   /* a stopped thread nobody names: the kernel ends it */
		h->slot = 0;
	}
}

/* Forgets helpers that have ended by themselves, so their places can be reused. */
static void helper_reap(struct fuzz_worker *w)
{
	for (int i = 0; i < FUZZ_HELPERS; i++) {
		struct fuzz_helper *h = &w->helpers[i];
		if (h->slot > 0 && sys_thread_priority(h->slot, h->prio) == E_STATE) {
			sys_cap_delete(h->slot);
			h->slot = 0;
		}
	}
}

static void thread_step(struct fuzz_worker *w)
{
	struct fuzz_helper *h = &w->helpers[below(w, FUZZ_HELPERS)];
	long stopped;
	switch (below(w, 7)) {
	case 0:
		helper_start(w);
		break;
	case 1:
		helper_reap(w);
		break;
	case 2:                 /* kill one: whatever it was doing, its partners hear E_GONE */
		if (h->slot > 0) {
			sys_thread_kill(h->slot);
			sys_cap_delete(h->slot);
			h->slot = 0;
		}
		break;
	case 3:
		if (h->slot > 0) {
			h->prio = 1 + (long)below(w, (unsigned long)w->prio);
			if (sys_thread_priority(h->slot, h->prio) < 0)
				w->errors++;
		}
		break;
	case 4:
		if (h->slot > 0 && sys_thread_handlers(h->slot, endpoint_slot(w),
						       below(w, 2) ? endpoint_slot(w) : 0) < 0)
			w->errors++;
		break;
	case 5:                 /* a thread never started; its name dropped now or later */
		stopped = sys_thread_create(w->task, 1 + (long)below(w, (unsigned long)w->prio));
		if (stopped > 0 && below(w, 2))
			sys_cap_delete(stopped);
		break;
	default:
		sys_yield();
		break;
	}
}

static void cap_step(struct fuzz_worker *w)
{
	long r;
	switch (below(w, 4)) {
	case 0:
		r = sys_endpoint_create();
		break;
	case 1:
		r = sys_cap_copy(below(w, 4) ? w->task : any_slot(w), any_slot(w), below(w, 16),
				 below(w, 3) ? 0 : rnd(w));
		break;
	default: {
		long slot = any_slot(w);
		/* A helper deletes nothing: its parent may be about to use the slot. */
		if (w->is_helper || !disposable(w, slot))
			return;
		r = sys_cap_delete(slot);
		break;
	}
	}
	if (r < 0)
		w->errors++;
}

static void page_step(struct fuzz_worker *w)
{
	if (!w->window)
		return;
	if (w->is_helper && w->helpers[0].has_pager && below(w, 8) == 0) {
		/* A fault goes to whichever worker receives at its pager endpoint. */
		volatile unsigned long *p = (volatile unsigned long *)(w->window +
								       below(w, 512) * 4096);
		if (below(w, 2))
			*p = rnd(w);
		else
			(void)*p;
		return;
	}
	unsigned long fpage = below(w, 16) ? window_fpage(w) : rnd(w);
	if (sys_unmap(fpage, below(w, 2) ? UNMAP_SELF : 0) < 0)
		w->errors++;
}

/* Any system call with random arguments, but none that would end the run, starve the
 * fuzzer or make an object no one would clean up: a thread it creates stays stopped,
 * and when its slot is emptied the kernel must end it. Nor task_destroy: every worker
 * holds its own task's capability, and the root's worker the workers'. */
static void hostile_step(struct fuzz_worker *w)
{
	unsigned long n = below(w, SYSCALL_COUNT + 2);
	if (n == SYS_thread_exit || n == SYS_debug_shutdown || n == SYS_debug_stats ||
	    n == SYS_thread_start || n == SYS_task_create || n == SYS_task_destroy ||
	    n == SYS_task_quota || n == SYS_cap_delete || n == SYS_ipc || n == SYS_yield)
		return;
	unsigned long a[6];
	for (int i = 0; i < 6; i++)
		a[i] = below(w, 2) ? (unsigned long)any_slot(w) : rnd(w);
	if (n == SYS_debug_write)
		a[0] |= 1ul << 62;      /* never readable: nothing printed */
	/* The root's worker shares the root's table: its fixed threads are not fair game. */
	if ((n == SYS_thread_kill || n == SYS_thread_priority || n == SYS_thread_handlers) &&
	    !disposable(w, (long)a[0]))
		return;
	if (syscall_enter(n, a[0], a[1], a[2], a[3], a[4], a[5]) < 0)
		w->errors++;
}

void fuzz_step(struct fuzz_worker *w)
{
	w->calls++;
	for (;;) {
		switch (below(w, 8)) {
		case 0:
		case 1:
			if (!(w->ops & FUZZ_THREADS) || w->is_helper)
				continue;
			thread_step(w);
			return;
		case 2:
			if (!(w->ops & FUZZ_CAPS))
				continue;
			cap_step(w);
			return;
		case 3:
		case 4:
		case 5:
			if (!(w->ops & FUZZ_IPC))
				continue;
			ipc_step(w);
			return;
		case 6:
			if (!(w->ops & FUZZ_PAGES))
				continue;
			page_step(w);
			return;
		default:
			hostile_step(w);
			return;
		}
	}
}

static void helper_main(unsigned long arg)
{
	struct fuzz_helper *h = (struct fuzz_helper *)arg;
	struct fuzz_worker *p = h->parent;
	/* Its own worker state on its own stack; helpers[0] says who its parent is. */
	struct fuzz_worker w = {
		.rng = h->seed, .ops = p->ops & ~FUZZ_THREADS, .task = p->task,
		.first_dynamic = p->first_dynamic, .endpoints = p->endpoints,
		.endpoint_count = p->endpoint_count, .window = p->window, .prio = h->prio,
		.is_helper = 1,
	};
	w.helpers[0] = (struct fuzz_helper){ .parent = p, .has_pager = h->has_pager };
	for (int i = 0; i < FUZZ_HELPER_STEPS; i++)
		fuzz_step(&w);
}

void fuzz_quiesce(struct fuzz_worker *w)
{
	for (int i = 0; i < FUZZ_HELPERS; i++) {
		struct fuzz_helper *h = &w->helpers[i];
		if (h->slot > 0) {
			sys_thread_kill(h->slot);
			sys_cap_delete(h->slot);
		}
		h->slot = 0;
	}
}

void fuzz_clean(struct fuzz_worker *w)
{
	for (long slot = w->first_dynamic; slot < 128; slot++)
		sys_cap_delete(slot);
	struct msg m = { .tag = IPC_TAG(0, 0, 0) };
	ipc_reply(&m);          /* a caller waiting on us: E_GONE is not an answer to wait for */
	utcb()->accept_caps = 0;
	utcb()->map_window = 0;
	utcb()->buffer_words = 0;
}
