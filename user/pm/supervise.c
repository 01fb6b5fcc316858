/**
 * @file
 * supervise.c — the supervisor: drivers the process manager starts again whenever
 * they end (lab 7; Minix 3's reincarnation server in small).
 *
 * The one thing to know: a supervised process keeps its pid across restarts, and the
 * pm keeps its own copies of the capabilities it was started with (its interrupt
 * line, sigma0), so each new instance starts exactly as the first did: from the same
 * file of the bootfs, with the same arguments and capabilities. The old instance's
 * endpoints died with its task, so its clients' calls ended with E_GONE and its name
 * went with them (names drops a name whose endpoint is dead); the new instance
 * registers the name again, and clients look it up again (block_client.c). A driver
 * that cannot stay up is given up after PM_RESTARTS_MAX restarts.
 */
#include <stdio.h>
#include <string.h>
#include <syscall.h>
#include <abi/error.h>
#include <abi/ipc.h>
#include "pm_internal.h"

#define PM_SUPERVISED           4
#define PM_RESTARTS_MAX         100000

static struct supervised {
	long pid;                               /* 0: a free entry */
	unsigned long quota, restarts;
	char args[PROC_ARGS_BYTES];
	size_t len;
	long caps[PROC_CAPS_MAX];               /* the pm's own copies */
	unsigned rights[PROC_CAPS_MAX], cap_count;
} sup[PM_SUPERVISED];

static void forget(struct supervised *s)
{
	for (unsigned i = 0; i < s->cap_count; i++)
		if (s->caps[i] > 0)
			sys_cap_delete(s->caps[i]);
	*s = (struct supervised){ 0 };
}

long pm_supervise_start(unsigned long quota, const char *args, size_t len, const long *caps,
		  const unsigned *rights, unsigned cap_count)
{
	struct supervised *s = NULL;
	for (unsigned i = 0; i < PM_SUPERVISED && !s; i++)
		if (!sup[i].pid)
			s = &sup[i];
	if (!s)
		return E_FULL;
	if (len == 0 || len > PROC_ARGS_BYTES || cap_count > PROC_CAPS_MAX)
		return E_INVAL;
	memcpy(s->args, args, len);
	s->len = len;
	s->quota = quota;
	for (unsigned i = 0; i < cap_count; i++) {
		s->caps[i] = caps[i] ? sys_cap_copy(pm.self_task, caps[i], rights[i], 0) : 0;
		s->rights[i] = rights[i];
		s->cap_count = i + 1;
		if (s->caps[i] < 0) {
			long err = s->caps[i];
			s->caps[i] = 0;
			forget(s);
			return err;
		}
	}
	long pid = pm_spawn_at(0, quota, s->args, s->len, s->caps, s->rights, s->cap_count,
			       PROC_PRIO, 0);
	if (pid < 0) {
		forget(s);
		return pid;
	}
	s->pid = pid;
	return pid;
}

void pm_supervise_ended(struct proc *p)
{
	struct supervised *s = NULL;
	for (unsigned i = 0; i < PM_SUPERVISED && !s; i++)
		if (sup[i].pid && sup[i].pid == p->pid)
			s = &sup[i];
	if (!s || p->state != PM_ZOMBIE)
		return;
	/* Nobody waits for a driver: its entry is free for the new instance at once. */
	long status = p->status;
	*p = (struct proc){ 0 };
	if (s->restarts == PM_RESTARTS_MAX) {
		printf("pm: %s (pid %ld) ended (%ld) %lu times: not restarted\n", s->args, s->pid,
		       status, s->restarts);
		forget(s);
		return;
	}
	long pid = pm_spawn_at(0, s->quota, s->args, s->len, s->caps, s->rights, s->cap_count,
			       PROC_PRIO, s->pid);
	s->restarts++;
	printf("pm: %s (pid %ld) ended (%ld); restart %lu -> %ld\n", s->args, s->pid, status,
	       s->restarts, pid);
	if (pid < 0)
		forget(s);
}
