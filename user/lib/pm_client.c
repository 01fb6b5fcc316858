/**
 * @file
 * pm_client.c — the calls a program makes to the process manager (proc.h).
 *
 * The one thing to know: a wait whose child still runs comes back with a capability
 * to one of the pm's waiter threads (PM_WAIT_AT), and the stub calls it at once: that
 * thread keeps the call's reply until the child ends. A thread holds one reply right
 * at a time, so the pm's main thread cannot keep many waiting callers itself; when
 * every waiter is busy the pm says E_FULL, and the stub tries again a tick later.
 */
#include <ipc.h>
#include <proc.h>
#include <string.h>
#include <syscall.h>
#include <utcb.h>
#include <abi/error.h>

/* A PM_SPAWN-shaped request (PM_SPAWN, PM_SUPERVISE) in *m and the UTCB; 0 or an
 * error (nothing sent). */
static long spawn_words(struct msg *m, unsigned long label, const char *const argv[],
			const char *const envp[], unsigned long quota_pages, const long caps[],
			const unsigned rights[], unsigned cap_count)
{
	/* The path, arguments and environment, NUL-separated, from MR2 on. */
	char *block = (char *)&utcb()->mr[2];
	size_t room = (IPC_MR_COUNT - 2 - 2 * PROC_CAPS_MAX) * 8, used = 0;
	unsigned strings = 0, argc = 0;
	for (unsigned part = 0; part < 2; part++) {
		const char *const *list = part == 0 ? argv : envp;
		for (unsigned i = 0; list && list[i]; i++) {
			size_t n = strlen(list[i]) + 1;
			if (strings >= PROC_ARGS_MAX || n > room - used)
				return E_TOOLONG;
			memcpy(block + used, list[i], n);
			used += n;
			strings++;
		}
		if (part == 0)
			argc = strings;
	}
	if (used == 0 || argc == 0 || cap_count > PROC_CAPS_MAX || quota_pages >> 32)
		return E_INVAL;
	/* argc in MR0's high half only when there is an environment: 0 says "all argv". */
	if (strings > argc)
		quota_pages |= (unsigned long)argc << 32;
	unsigned words = 2 + (unsigned)((used + 7) / 8);
	memset(block + used, 0, (words - 2) * 8 - used);
	for (unsigned i = 0; i < cap_count; i++) {
		utcb()->mr[words + 2 * i] = IPC_ITEM_CAP | IPC_ITEM_RIGHTS(rights[i]);
		utcb()->mr[words + 2 * i + 1] = (unsigned long)caps[i];
	}
	*m = (struct msg){ .tag = IPC_TAG(label, words, cap_count), .mr0 = quota_pages,
			   .mr1 = used };
	return 0;
}

/* The request, and the reply's MR0. A program the pm must read from the disk first
 * (PM_LOAD_AT, lab 8) is the same request to the pm's loader, then the spawn again.
 * The words are rebuilt for each call: a call's reply overwrites the UTCB. */
static long spawn_call(unsigned long label, long pm_slot, const char *const argv[],
		       const char *const envp[], unsigned long quota_pages, const long caps[],
		       const unsigned rights[], unsigned cap_count)
{
	for (unsigned round = 0; round < 2; round++) {
		struct msg m;
		long r = spawn_words(&m, label, argv, envp, quota_pages, caps, rights, cap_count);
		if (r != 0)
			return r;
		utcb()->accept_caps = 1;
		r = ipc_call(pm_slot, &m);
		utcb()->accept_caps = 0;
		if (r < 0)
			return r;
		if (IPC_TAG_LABEL(m.tag) != PM_LOAD_AT)
			return (long)m.mr0;
		long loader = IPC_TAG_TYPED(m.tag) == 1 ? (long)utcb()->mr[2] : 0;
		if (loader <= 0)
			return E_GONE;
		r = spawn_words(&m, label, argv, envp, quota_pages, caps, rights, cap_count);
		if (r == 0)
			r = ipc_call(loader, &m);
		sys_cap_delete(loader);
		if (r == 0)
			r = (long)m.mr0;
		if (r != 0)
			return r;
	}
	return E_NOENT;
}

long pm_spawn(long pm_slot, const char *const argv[], unsigned long quota_pages,
	      const long caps[], const unsigned rights[], unsigned cap_count)
{
	return spawn_call(PM_SPAWN, pm_slot, argv, NULL, quota_pages, caps, rights, cap_count);
}

long pm_spawn_env(long pm_slot, const char *const argv[], const char *const envp[],
		  unsigned long quota_pages, const long caps[], const unsigned rights[],
		  unsigned cap_count)
{
	return spawn_call(PM_SPAWN, pm_slot, argv, envp, quota_pages, caps, rights, cap_count);
}

long pm_supervise(long pm_slot, const char *const argv[], unsigned long quota_pages,
		  const long caps[], const unsigned rights[], unsigned cap_count)
{
	return spawn_call(PM_SUPERVISE, pm_slot, argv, NULL, quota_pages, caps, rights,
			  cap_count);
}

/* One tick of nothing: a receive nobody answers. */
static void pause_a_tick(void)
{
	long quiet = sys_endpoint_create();
	struct msg m;
	if (quiet > 0) {
		ipc_receive(quiet, &m, 1);
		sys_cap_delete(quiet);
	}
}

long pm_wait(long pm_slot, long pid, long *status)
{
	struct msg m;
	long r;
	/* Every waiter busy (E_FULL, in MR1): one frees when its child ends. */
	do {
		m = (struct msg){ .tag = IPC_TAG(PM_WAIT, 1, 0), .mr0 = (unsigned long)pid };
		utcb()->accept_caps = 1;
		utcb()->mr[2] = 0;
		r = ipc_call(pm_slot, &m);
		utcb()->accept_caps = 0;
		if (r == 0 && IPC_TAG_LABEL(m.tag) != PM_WAIT_AT && (long)m.mr1 == E_FULL)
			pause_a_tick();
	} while (r == 0 && IPC_TAG_LABEL(m.tag) != PM_WAIT_AT && (long)m.mr1 == E_FULL);
	if (r == 0 && IPC_TAG_LABEL(m.tag) == PM_WAIT_AT) {
		long waiter = (long)utcb()->mr[2];
		if (waiter <= 0)
			return E_GONE;
		m = (struct msg){ .tag = IPC_TAG(PM_WAIT, 1, 0), .mr0 = (unsigned long)pid };
		r = ipc_call(waiter, &m);
		sys_cap_delete(waiter);
	}
	if (r < 0)
		return r;
	if ((long)m.mr1 < 0)
		return (long)m.mr1;     /* the pm's error: not a child, a full waiter pool */
	*status = (long)m.mr0;
	return 0;
}

long pm_kill(long pm_slot, long pid)
{
	struct msg m = { .tag = IPC_TAG(PM_KILL, 1, 0), .mr0 = (unsigned long)pid };
	long r = ipc_call(pm_slot, &m);
	return r < 0 ? r : (long)m.mr0;
}

_Noreturn void pm_exit(long pm_slot, long status)
{
	struct msg m = { .tag = IPC_TAG(PM_EXIT, 1, 0), .mr0 = (unsigned long)status };
	ipc_call(pm_slot, &m);
	/* Not reached: the pm destroys the task. If it is not there, end the thread. */
	for (;;)
		sys_thread_exit();
}

long pm_ps(long pm_slot, long from, struct pm_ps_entry *out, unsigned max)
{
	struct msg m = { .tag = IPC_TAG(PM_PS, 1, 0), .mr0 = (unsigned long)from };
	long r = ipc_call(pm_slot, &m);
	if (r < 0)
		return r;
	unsigned long n = m.mr0, words = IPC_TAG_UNTYPED(m.tag);
	if (n > (words - 1) / 4)
		n = (words - 1) / 4;    /* never past what the reply holds */
	for (unsigned long i = 0; i < n && i < max; i++)
		out[i] = (struct pm_ps_entry){
			.pid = (long)(i == 0 ? m.mr1 : utcb()->mr[1 + 4 * i]),
			.parent = (long)utcb()->mr[2 + 4 * i], .state = utcb()->mr[3 + 4 * i],
			.pages = utcb()->mr[4 + 4 * i] };
	return (long)(n < max ? n : max);
}
