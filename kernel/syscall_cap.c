/**
 * @file
 * syscall_cap.c — the system calls on capabilities and endpoints.
 *
 * The one thing to know: cap_copy is how capabilities spread outside IPC — into a
 * task the caller controls (a child it created), with rights narrowed and a badge
 * added, so a server can hand each client its own badged capability. A badge, once
 * set, cannot be changed: a client cannot pretend to be another.
 */
#include <cap.h>
#include <endpoint.h>
#include <ipc_core.h>
#include <sched.h>
#include <syscall_handlers.h>
#include <stddef.h>
#include <task.h>
#include <thread.h>
#include <abi/error.h>
#include <arch/x86_64/cpu_local.h>

long sys_endpoint_create(const struct syscall_args *a)
{
	(void)a;
	struct endpoint *ep = endpoint_create(cpu.current->task);
	if (!ep)
		return E_NOMEM;
	long slot = cap_insert(cpu.current->task, CAP_ENDPOINT, ep, RIGHTS_ALL & ~RIGHT_CONTROL,
			       0);
	if (slot < 0)
		endpoint_refs(ep, 0);   /* nobody names it: it goes */
	return slot;
}

long sys_endpoint_signal(const struct syscall_args *a)
{
	struct task *self = cpu.current->task;
	int err;
	struct endpoint *ep = cap_lookup(self, (long)a->a0, CAP_ENDPOINT, RIGHT_SEND, &err);
	if (!ep)
		return err;
	if (!self->caps[a->a0].badge)
		return E_INVAL;         /* no bits to set: the receiver could not tell */
	ipc_notify(ep, self->caps[a->a0].badge);
	sched_preempt_check();
	return E_OK;
}

long sys_cap_copy(const struct syscall_args *a)
{
	struct task *self = cpu.current->task;
	int err;
	struct task *target = cap_lookup(self, (long)a->a0, CAP_TASK, RIGHT_CONTROL, &err);
	if (!target)
		return err;
	struct cap *src = cap_slot(self, (long)a->a1, &err);
	if (!src)
		return err;
	uint64_t rights = a->a2, badge = a->a3;
	if (rights & ~(uint64_t)src->rights)
		return E_RIGHTS;        /* rights never grow */
	if (badge && src->badge)
		return E_RIGHTS;        /* a badge is for ever */
	return cap_insert(target, (enum cap_type)src->type, src->object, (unsigned)rights,
			  badge ? badge : src->badge);
}

long sys_cap_delete(const struct syscall_args *a)
{
	long err = cap_delete(cpu.current->task, (long)a->a0);
	sched_preempt_check();  /* deleting an endpoint may have woken its waiters */
	return err;
}
