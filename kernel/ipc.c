/**
 * @file
 * ipc.c — the IPC system call: send, receive, call, reply; rendezvous and blocking.
 *
 * The one thing to know: IPC is synchronous. A send finds a waiting receiver or waits
 * for one; a receive finds a waiting sender or waits for one; the message moves at the
 * moment they meet, so the kernel never stores a message. A call is a send that leaves
 * the receiver a one-shot right to reply (thread.caller) and then waits for that reply.
 * Everything the user passes is checked before anything changes.
 */
#include <cap.h>
#include <endpoint.h>
#include <ipc_core.h>
#include <panic.h>
#include <sched.h>
#include <stddef.h>
#include <syscall_handlers.h>
#include <task.h>
#include <thread.h>
#include <timeout.h>
#include <abi/error.h>
#include <abi/ipc.h>
#include <arch/x86_64/cpu_local.h>

/* What a queued sender asked for (thread.send_flags). */
#define SENDER_CALLS    0x1     /* it called: it will wait for a reply */
#define SENDER_GRANTS   0x2     /* its capability may transfer capabilities */

void ipc_wake(struct thread *t, long result)
{
	if (t->queued_on)
		endpoint_dequeue(t);
	timeout_cancel(t);
	t->ipc_result = result;
	sched_enqueue(t);       /* the caller decides when to check for preemption */
}

void ipc_timeouts_tick(uint64_t now)
{
	/* Earliest first, and only so many per tick, however many fall due at once: the
	 * rest end on the next ticks (abi/ipc.h), so a tick's work stays bounded. */
	struct thread *t;
	for (unsigned n = 0; n < IPC_TIMEOUT_WAKES_PER_TICK && (t = timeout_expired(now)); n++)
		ipc_wake(t, E_TIMEOUT);
}

/*
 * receiver now owes caller a reply. A thread holds one reply right at a time: one it
 * did not use is dropped, and that caller's wait ends with E_GONE.
 */
static void take_reply_right(struct thread *receiver, struct thread *caller)
{
	struct thread *old = receiver->caller;
	if (old) {
		old->callee = NULL;
		ipc_wake(old, E_GONE);
	}
	receiver->caller = caller;
	caller->callee = receiver;
}

/* Blocks the current thread in the given state until someone wakes it. */
static long block(struct thread *cur, enum thread_state state)
{
	cur->state = state;
	schedule();
	return cur->ipc_result;
}

/*
 * The send phase of send and call: deliver to a waiting receiver, or wait for one (up
 * to `timeout`). A call then waits for the reply. Returns the result of the whole
 * operation for the sender.
 */
static long send_phase(struct thread *cur, struct endpoint *ep, uint64_t badge, bool grant,
		       unsigned flags, uint64_t timeout)
{
	bool call = flags & IPC_CALL;
	/* LAB 4 BEGIN: the rendezvous, sending side */
	struct thread *r = ep->receivers;
	if (r) {
		endpoint_dequeue(r);
		timeout_cancel(r);
		long err = ipc_transfer(cur, r, badge, grant);
		r->ipc_result = err;
		if (!call || err != E_OK) {
			sched_make_ready(r);
			return err;
		}
		/* The receiver owes us a reply; we wait for it. */
		take_reply_right(r, cur);
		sched_enqueue(r);
		return block(cur, THREAD_WAITING_REPLY);
	}
	if (timeout == IPC_TIMEOUT_POLL)
		return E_TIMEOUT;
	cur->send_badge = badge;
	cur->send_flags = (uint8_t)((call ? SENDER_CALLS : 0) | (grant ? SENDER_GRANTS : 0));
	endpoint_enqueue(&ep->senders, ep, cur);
	timeout_arm(cur, timeout);
	return block(cur, THREAD_SENDING);
	/* LAB 4 STUB
	// If a receiver waits at ep, take it out of the queue, transfer the message
	// (ipc_transfer), and either wake it (send) or give it our reply right
	// (take_reply_right) and wait for the reply (call). Else fail at once (poll), or
	// queue up in ep->senders with the badge and flags the receiver needs, and block.
	(void)cur; (void)ep; (void)badge; (void)grant; (void)call; (void)timeout; (void)block;
	(void)timeout_arm; (void)take_reply_right;
	return E_TIMEOUT;
	*/
	/* LAB 4 END */
}

/* The receive phase: take a waiting sender's message, or wait for one. */
static long receive_phase(struct thread *cur, struct endpoint *ep, uint64_t timeout)
{
	/* LAB 4 BEGIN: the rendezvous, receiving side */
	struct thread *s = ep->senders;
	if (s) {
		endpoint_dequeue(s);
		timeout_cancel(s);
		bool call = s->send_flags & SENDER_CALLS;
		long err = ipc_transfer(s, cur, s->send_badge, s->send_flags & SENDER_GRANTS);
		if (call && err == E_OK) {
			take_reply_right(cur, s);
			s->state = THREAD_WAITING_REPLY;
		} else {
			s->ipc_result = err;
			sched_make_ready(s);
		}
		return err;
	}
	if (timeout == IPC_TIMEOUT_POLL)
		return E_TIMEOUT;
	endpoint_enqueue(&ep->receivers, ep, cur);
	timeout_arm(cur, timeout);
	return block(cur, THREAD_RECEIVING);
	/* LAB 4 STUB
	// If a sender waits at ep, take its message; if it was a call, keep its reply
	// right (take_reply_right) and leave it waiting for the reply; else wake it. Otherwise
	// fail at once (poll) or queue up in ep->receivers and block.
	(void)cur; (void)ep; (void)timeout;
	return E_TIMEOUT;
	*/
	/* LAB 4 END */
}

/* Sends the reply the current thread owes; E_GONE if the caller is gone (or none). */
static long reply_phase(struct thread *cur)
{
	struct thread *c = cur->caller;
	if (!c)
		return E_GONE;
	cur->caller = NULL;
	c->callee = NULL;
	long err = ipc_transfer(cur, c, 0, true);
	c->ipc_result = err;
	sched_enqueue(c);       /* runs when we block or are preempted: no switch yet */
	return err;
}

/* Gives t the notification bits as its received message (abi/ipc.h). */
static void take_bits(struct thread *t, uint64_t bits)
{
	t->user_frame->r10 = IPC_TAG(IPC_LABEL_NOTIFY, 1, 0);
	t->user_frame->r8 = bits;
	t->user_frame->rsi = bits;
}

void ipc_notify(struct endpoint *ep, uint64_t bits)
{
	struct thread *r = ep->receivers;
	if (!r) {
		ep->pending |= bits;    /* for the next receive: nothing is lost */
		return;
	}
	take_bits(r, bits);
	ipc_wake(r, E_OK);
}

static bool message_fits(uint64_t tag)
{
	return IPC_TAG_UNTYPED(tag) + 2 * IPC_TAG_TYPED(tag) <= IPC_MR_COUNT;
}

/* The general path: syscall_entry.S tried ipc_fastpath() first. */
long sys_ipc(const struct syscall_args *a)
{
	struct thread *cur = cpu.current;
	unsigned flags = a->a2 & 0xff;
	uint64_t timeout = a->a2 >> 8;
	long src_slot = (long)a->a1;    /* a is our frame: a message we receive overwrites it */
	bool sends = flags & (IPC_SEND | IPC_CALL | IPC_REPLY);
	int err = E_OK;
	/* What every switch to a thread leaves, the fast path's included: it runs, and it
	 * waits for no reply (a caller's callee is cleared by the reply or its failure). */
	KASSERT(cur->state == THREAD_RUNNING && !cur->callee);

	if ((flags & ~(IPC_SEND | IPC_RECEIVE | IPC_CALL | IPC_REPLY)) || !flags ||
	    ((flags & IPC_CALL) && (flags & (IPC_SEND | IPC_RECEIVE | IPC_REPLY))) ||
	    ((flags & IPC_SEND) && (flags & IPC_REPLY)))
		return E_INVAL;
	if (sends && !message_fits(a->a3))
		return E_TOOLONG;

	/* Look everything up first: a failed call must change nothing. */
	struct cap *dest = NULL;
	struct endpoint *dest_ep = NULL, *src_ep = NULL;
	if (flags & (IPC_SEND | IPC_CALL)) {
		dest_ep = cap_lookup(cur->task, (long)a->a0, CAP_ENDPOINT, RIGHT_SEND, &err);
		if (!dest_ep)
			return err;
		dest = &cur->task->caps[a->a0];
		if (IPC_TAG_TYPED(a->a3) && !(dest->rights & RIGHT_GRANT))
			return E_RIGHTS;
	}
	if (flags & IPC_RECEIVE) {
		src_ep = cap_lookup(cur->task, src_slot, CAP_ENDPOINT, RIGHT_RECEIVE, &err);
		if (!src_ep)
			return err;
	}

	long r = E_OK;
	if (flags & IPC_REPLY)
		r = reply_phase(cur);   /* never blocks: src_ep stays valid across it */
	if (r == E_OK && dest_ep) {
		r = send_phase(cur, dest_ep, dest->badge, dest->rights & RIGHT_GRANT, flags, timeout);
		/*
		 * The send may have blocked, or woken a partner that preempted us: src_ep may
		 * have lost its last capability meanwhile and been freed, even reused as
		 * someone else's endpoint. Look the slot up again; the receive uses what the
		 * task holds now (handouts/lifetimes.md).
		 */
		if (r == E_OK && src_ep) {
			src_ep = cap_lookup(cur->task, src_slot, CAP_ENDPOINT, RIGHT_RECEIVE, &err);
			if (!src_ep)
				r = err;
		}
	}
	if (r == E_OK && src_ep && src_ep->pending) {
		take_bits(cur, src_ep->pending);        /* before any sender (abi/ipc.h) */
		src_ep->pending = 0;
	} else if (r == E_OK && src_ep) {
		r = receive_phase(cur, src_ep, timeout);
	}
	/* A partner we woke without blocking may outrank us. */
	sched_preempt_check();
	return r;
}

long ipc_fault_call(struct thread *t, struct endpoint *ep, uint64_t badge)
{
	if (ep->dead)
		return E_GONE;  /* its pager's task was destroyed: nobody will answer */
	long r = send_phase(t, ep, badge, false, IPC_CALL, IPC_TIMEOUT_INFINITE);
	sched_preempt_check();
	return r;
}

void ipc_thread_dies(struct thread *t)
{
	if (t->queued_on)
		endpoint_dequeue(t);
	timeout_cancel(t);
	if (t->callee) {                /* it waited for a reply: the replier finds it gone */
		if (t->callee->caller == t)
			t->callee->caller = NULL;
		t->callee = NULL;
	}
	if (t->caller) {                /* it owed a reply: the caller's wait fails */
		struct thread *c = t->caller;
		t->caller = NULL;
		c->callee = NULL;
		ipc_wake(c, E_GONE);
	}
}
