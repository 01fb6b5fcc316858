/**
 * @file
 * server.c — the process manager's threads: requests, faults and deaths.
 *
 * The one thing to know: one main thread receives everything on one endpoint — a
 * process's requests (spawn, wait, exit, kill, ps) and its threads' page faults and
 * exceptions, told apart by label, and whose by badge (its pid) — and never blocks
 * anywhere else, so no process can stall it. The one request it cannot answer at once,
 * a wait for a child that still runs, goes to a waiter thread (PM_WAIT_AT), which keeps
 * the reply until the child ends. A process ends by exit, kill, a fault the pm will not
 * serve, or its parent's end; then its task is destroyed (the kernel takes everything
 * back, the tasks made on its account too), its pages go back to the pool, and it stays
 * a zombie until its parent waits for it.
 */
#include <ipc.h>
#include <stdio.h>
#include <string.h>
#include <syscall.h>
#include <thread.h>
#include <utcb.h>
#include <abi/error.h>
#include <abi/ipc.h>
#include <names.h>
#include <pm.h>
#include "pm_internal.h"

struct pm pm;

static char main_stack[16384] __attribute__((aligned(16)));
static char waiter_stacks[PM_WAITERS][8192] __attribute__((aligned(16)));

struct proc *pm_find(long pid)
{
	for (unsigned i = 0; i < PM_PROCS_MAX; i++)
		if (pid > 0 && pm.procs[i].pid == pid)
			return &pm.procs[i];
	return NULL;
}

unsigned long pm_pages_taken(void)
{
	return pm.pool_top;
}

unsigned long pm_pages_in_use(void)
{
	return pm.pool_top - pm.free_count;
}

/* A word of the message just received: MR0 and MR1 are registers, the rest UTCB. */
static unsigned long word(const struct msg *m, unsigned i)
{
	return i == 0 ? m->mr0 : i == 1 ? m->mr1 : utcb()->mr[i];
}

/* Deletes every capability that arrived with the message (the pm keeps none). */
static void drop_caps(const struct msg *m)
{
	unsigned untyped = IPC_TAG_UNTYPED(m->tag), typed = IPC_TAG_TYPED(m->tag);
	for (unsigned k = 0; k < typed && untyped + 2 * k + 1 < IPC_MR_COUNT; k++)
		if (IPC_ITEM_KIND(word(m, untyped + 2 * k)) == IPC_ITEM_CAP &&
		    (long)word(m, untyped + 2 * k + 1) > 0)
			sys_cap_delete((long)word(m, untyped + 2 * k + 1));
}

static void waiters_forget(long pid)
{
	for (unsigned i = 0; i < PM_WAITERS; i++) {
		struct waiter *w = &pm.waiters[i];
		if (w->pid == pid) {
			/* It waits (or will) for a child that has ended: tell it, without ever
			 * blocking here; if it is not listening yet, it reads the zombie. */
			struct msg n = { .tag = IPC_TAG(0, 0, 0) };
			ipc_send(w->notify, &n, IPC_TIMEOUT_POLL);
		}
		if (w->client == pid && w->pid && !w->called)
			w->pid = 0;     /* its client died before calling: the waiter is free */
	}
}

void pm_end(struct proc *p, long status)
{
	if (p->state != PM_RUNNING)
		return;
	/* The kernel takes back its task, and the tasks of its children, made on its
	 * account; the pm's own records of them follow below. */
	sys_task_destroy(p->task);
	sys_cap_delete(p->task);
	pool_free_owner((uint16_t)(p - pm.procs + 1));
	p->task = 0;
	p->pages = 0;
	p->state = PM_ZOMBIE;
	p->status = status;
	if (pm.names_notices)
		names_notify_death(pm.names_notices, (unsigned long)p->pid);
	for (unsigned i = 0; i < PM_PROCS_MAX; i++) {
		struct proc *c = &pm.procs[i];
		if (c->pid && c->parent == p->pid) {
			pm_end(c, PM_STATUS_KILLED);
			*c = (struct proc){ 0 };        /* nobody is left to wait for it */
		}
	}
	waiters_forget(p->pid);
	struct proc *parent = p->parent ? pm_find(p->parent) : NULL;
	if (p->parent && (!parent || parent->state != PM_RUNNING))
		*p = (struct proc){ 0 };
	else
		pm_supervise_ended(p);  /* a driver starts again (supervise.c) */
}

/* The reply to a wait for a zombie: its status, and its entry is free. */
static struct msg reap(struct proc *c)
{
	struct msg m = { .tag = IPC_TAG(0, 2, 0), .mr0 = (unsigned long)c->status, .mr1 = 0 };
	*c = (struct proc){ 0 };
	return m;
}

static struct msg error_reply(long err)
{
	return (struct msg){ .tag = IPC_TAG(0, 2, 0), .mr0 = (unsigned long)err,
			     .mr1 = (unsigned long)err };
}

/* A waiter: the client's call arrives (it holds the reply), then the child's end. */
static void waiter_run(unsigned long index)
{
	struct waiter *w = &pm.waiters[index];
	struct msg m;
	for (;;) {
		long r = ipc_receive(w->endpoint, &m, IPC_TIMEOUT_INFINITE);
		if (r != 0 || !w->pid || (long)m.badge != w->client || (long)m.mr0 != w->pid) {
			m = error_reply(E_INVAL);
			ipc_reply(&m);
			continue;
		}
		w->called = true;
		struct proc *c = pm_find(w->pid);
		if (c && c->state == PM_RUNNING) {
			struct msg n;
			ipc_receive(w->notify, &n, IPC_TIMEOUT_INFINITE);
		}
		c = pm_find(w->pid);
		m = c && c->state == PM_ZOMBIE && c->parent == w->client ? reap(c) :
							       error_reply(E_GONE);
		w->pid = 0;
		w->called = false;
		ipc_reply(&m);
	}
}

/* PM_WAIT of client for pid: now, or through a waiter. Returns true to reply m. */
static bool wait_request(long client, struct msg *m)
{
	struct proc *c = pm_find((long)m->mr0);
	if (!c || c->parent != client) {
		*m = error_reply(E_NOENT);
		return true;
	}
	if (c->state == PM_ZOMBIE) {
		*m = reap(c);
		return true;
	}
	struct waiter *w = NULL;
	for (unsigned i = 0; i < PM_WAITERS; i++) {
		if (pm.waiters[i].pid && pm.waiters[i].client == client) {
			*m = error_reply(E_FULL);       /* one wait at a time per client */
			return true;
		}
		if (!pm.waiters[i].pid && !w)
			w = &pm.waiters[i];
	}
	long cap = w ? sys_cap_copy(pm.self_task, w->endpoint, RIGHT_SEND, (unsigned long)client) : 0;
	if (cap <= 0) {
		*m = error_reply(E_FULL);
		return true;
	}
	w->pid = c->pid;
	w->client = client;
	*m = (struct msg){ .tag = IPC_TAG(PM_WAIT_AT, 1, 1), .mr0 = 0,
			   .mr1 = IPC_ITEM_CAP | IPC_ITEM_RIGHTS(RIGHT_SEND) };
	utcb()->mr[2] = (unsigned long)cap;
	ipc_reply(m);           /* a copy travels; the pm's own goes now */
	sys_cap_delete(cap);
	return false;
}

static void ps_reply(long from, struct msg *m)
{
	unsigned n = 0;
	for (unsigned i = 0; i < PM_PROCS_MAX && 4 * n + 4 < IPC_MR_COUNT - 1; i++) {
		const struct proc *p = &pm.procs[i];
		if (!p->pid || p->pid < from)
			continue;
		utcb()->mr[1 + 4 * n] = (unsigned long)p->pid;
		utcb()->mr[2 + 4 * n] = (unsigned long)p->parent;
		utcb()->mr[3 + 4 * n] = p->state;
		utcb()->mr[4 + 4 * n] = p->pages;
		n++;
	}
	*m = (struct msg){ .tag = IPC_TAG(0, 1 + 4 * n, 0), .mr0 = n, .mr1 = utcb()->mr[1] };
}

/* PM_SPAWN (or the root's PM_SUPERVISE) of m: the new pid, or an error. */
static long spawn(long from, const struct msg *m, bool supervise)
{
	long caps[PROC_CAPS_MAX];
	unsigned rights[PROC_CAPS_MAX], n = IPC_TAG_TYPED(m->tag);
	unsigned untyped = IPC_TAG_UNTYPED(m->tag);
	if (untyped < 2 || m->mr1 > (untyped - 2) * 8ul || n > PROC_CAPS_MAX)
		return E_INVAL;
	if (supervise && from != 0)
		return E_RIGHTS;        /* only the root starts drivers */
	for (unsigned k = 0; k < n; k++) {
		caps[k] = (long)word(m, untyped + 2 * k + 1);
		rights[k] = (unsigned)IPC_ITEM_RIGHTS_OF(word(m, untyped + 2 * k));
	}
	const char *args = (const char *)&utcb()->mr[2];
	return supervise ? pm_supervise_start(m->mr0, args, m->mr1, caps, rights, n) :
			   pm_spawn_request(from, m->mr0, args, m->mr1, caps, rights, n);
}

/* One message of process (or root, 0) `from`; true if m now holds the reply. */
static bool handle(struct msg *m)
{
	long from = (long)m->badge;
	struct proc *p = pm_find(from);
	unsigned long label = IPC_TAG_LABEL(m->tag);
	if ((unsigned long)from == PM_BADGE_LOADER && label == PM_INSTALL) {
		/* The loader's file (disk.c): checked and put in the table, nothing read. */
		char path[64];
		unsigned untyped = IPC_TAG_UNTYPED(m->tag);
		size_t room = untyped > 2 ? (untyped - 2) * 8ul : 0;
		size_t len = strnlen((const char *)&utcb()->mr[2], room < sizeof(path) ? room :
				     sizeof(path));
		long r = E_INVAL;
		if (len > 0 && len < sizeof(path) && len < room) {
			memcpy(path, &utcb()->mr[2], len + 1);
			r = program_add(path, (const uint8_t *)m->mr0, m->mr1);
		}
		*m = (struct msg){ .tag = IPC_TAG(0, 1, 0), .mr0 = (unsigned long)r };
		return true;
	}
	if (from && (!p || p->state != PM_RUNNING)) {
		drop_caps(m);
		return false;   /* a dead process's thread: it is already gone */
	}
	if (label == FAULT_PAGE || label == FAULT_EXCEPTION) {
		uint64_t item, fpage;
		if (p && label == FAULT_PAGE && pm_fault(p, m->mr0, utcb()->mr[2], &item, &fpage)) {
			*m = (struct msg){ .tag = IPC_TAG(0, 0, 1), .mr0 = item, .mr1 = fpage };
			return true;
		}
		if (p) {
			long status = p->status == PM_STATUS_NOMEM ? PM_STATUS_NOMEM : PM_STATUS_FAULT;
			printf("pm: process %ld (%s) ended: %s %lx at rip %lx\n", p->pid,
			       p->program->path, label == FAULT_PAGE ?
			       (status == PM_STATUS_NOMEM ? "out of memory at" : "fault at") :
			       "exception", m->mr0, m->mr1);
			pm_end(p, status);
		}
		return false;
	}
	bool reply = true;
	switch (label) {
	case PM_SPAWN:
	case PM_SUPERVISE: {
		long r = spawn(from, m, label == PM_SUPERVISE);
		drop_caps(m);           /* a supervised driver's are copied (supervise.c) */
		const char *path = (const char *)&utcb()->mr[2];
		if (r == E_NOENT && label == PM_SPAWN && path[0] == '/' && pm.loader > 0) {
			/* On the disk, perhaps: the loader reads it, not this thread. */
			*m = (struct msg){ .tag = IPC_TAG(PM_LOAD_AT, 1, 1), .mr0 = 0,
					   .mr1 = IPC_ITEM_CAP | IPC_ITEM_RIGHTS(RIGHT_SEND) };
			utcb()->mr[2] = (unsigned long)pm.loader;
			break;
		}
		*m = (struct msg){ .tag = IPC_TAG(0, 1, 0), .mr0 = (unsigned long)r };
		break;
	}
	case PM_WAIT:
		drop_caps(m);
		reply = wait_request(from, m);
		break;
	case PM_EXIT:
		drop_caps(m);
		if (p)
			pm_end(p, (long)(m->mr0 & 0xff));
		reply = !p;     /* the root cannot exit through the pm */
		*m = error_reply(E_INVAL);
		break;
	case PM_KILL: {
		drop_caps(m);
		struct proc *c = pm_find((long)m->mr0);
		long r = E_NOENT;
		if (c && (c->parent == from || from == 0)) {
			r = c->state == PM_RUNNING ? E_OK : E_STATE;
			pm_end(c, PM_STATUS_KILLED);
		}
		*m = (struct msg){ .tag = IPC_TAG(0, 1, 0), .mr0 = (unsigned long)r };
		break;
	}
	case PM_PS:
		drop_caps(m);
		ps_reply((long)m->mr0, m);
		break;
	default:
		drop_caps(m);
		*m = error_reply(E_INVAL);
	}
	return reply;
}

static void serve(unsigned long unused)
{
	(void)unused;
	struct msg m;
	bool reply = false;
	for (;;) {
		utcb()->accept_caps = 1;
		utcb()->map_window = 0;
		long r = reply ? ipc_reply_receive(pm.endpoint, &m) :
				 ipc_receive(pm.endpoint, &m, IPC_TIMEOUT_INFINITE);
		/* A reply to a caller that died meanwhile fails, and nothing was received. */
		reply = r == 0 && handle(&m);
	}
}

/*
 * The name server, bin/names, as the first process (if the bootfs has it): from the
 * root's thread, since only a thread at least as high may make one above the pm. Every
 * later process gets a capability to it badged with its pid, and the pm keeps one
 * badged NAMES_BADGE_PM for its death notices.
 */
static void start_names(void)
{
	static const char args[] = "bin/names";
	long ep = sys_endpoint_create();
	long notices = ep > 0 ? sys_cap_copy(pm.self_task, ep, RIGHT_SEND, NAMES_BADGE_PM) : ep;
	long caps[1] = { ep };
	unsigned rights[1] = { RIGHT_RECEIVE };
	if (notices > 0 && pm_spawn_at(0, 0, args, sizeof(args), caps, rights, 1,
				       PM_NAMES_PRIO, 0) > 0) {
		pm.names = ep;
		pm.names_notices = notices;
		return;
	}
	if (notices > 0)
		sys_cap_delete(notices);
	if (ep > 0)
		sys_cap_delete(ep);
}

long pm_names_slot(void)
{
	return pm.names;
}

long pm_start(const struct boot_info_page *bi)
{
	if (!bi->sigma0_slot || bootfs_open(&pm.bootfs, (const void *)bi->bootfs_start,
					    bi->bootfs_size) != 0)
		return E_NOENT;
	pm.self_task = bi->self_task_slot;
	pm.sigma0 = bi->sigma0_slot;
	pm.next_pid = 1;
	pm.endpoint = sys_endpoint_create();
	if (pm.endpoint < 0)
		return pm.endpoint;
	for (unsigned i = 0; i < PM_WAITERS; i++) {
		struct waiter *w = &pm.waiters[i];
		w->endpoint = sys_endpoint_create();
		w->notify = sys_endpoint_create();
		long t = w->endpoint > 0 && w->notify > 0 ?
			 thread_spawn(pm.self_task, PM_WAITER_PRIO, waiter_run, i,
				      waiter_stacks[i], sizeof(waiter_stacks[i])) : E_NOMEM;
		if (t < 0)
			return t;
		sys_cap_delete(t);
	}
	long t = thread_spawn(pm.self_task, PM_PRIO, serve, 0, main_stack, sizeof(main_stack));
	if (t < 0)
		return t;
	sys_cap_delete(t);
	start_names();
	if ((t = pm_loader_start()) < 0)
		return t;
	return pm.endpoint;
}
