/**
 * @file
 * ipc.h — sending and receiving messages: the user side of abi/ipc.h.
 *
 * The one thing to know: struct msg is the part of a message that travels in registers
 * (the tag, MR0, MR1, and the badge on arrival); words from MR2 on are in the UTCB,
 * utcb()->mr[i], and are written there before sending and read there after receiving.
 * Every function returns 0 or a negative error (E_TIMEOUT, E_GONE, E_TOOLONG, ...).
 */
#ifndef USER_IPC_H
#define USER_IPC_H

#include <abi/ipc.h>
#include <abi/syscall.h>
#include <syscall.h>

struct msg {
	unsigned long tag;      /* IPC_TAG(label, untyped words, typed items) */
	unsigned long mr0, mr1;
	unsigned long badge;    /* on arrival: the badge of the sender's capability */
};

/* The IPC system call itself: dest and src are endpoint slots, flags IPC_FLAGS(op, t). */
static inline long ipc(long dest, long src, unsigned long flags, struct msg *m)
{
	unsigned long r[6] = { (unsigned long)dest, (unsigned long)src, flags, m->tag, m->mr0,
			       m->mr1 };
	long result = syscall_inout(SYS_ipc, r);
	m->tag = r[3];
	m->mr0 = r[4];
	m->mr1 = r[5];
	m->badge = r[1];
	return result;
}

/* Sends m to ep and waits for the reply, which replaces m. */
static inline long ipc_call(long ep, struct msg *m)
{
	return ipc(ep, 0, IPC_FLAGS(IPC_OP_CALL, IPC_TIMEOUT_INFINITE), m);
}

static inline long ipc_send(long ep, struct msg *m, unsigned long timeout)
{
	return ipc(ep, 0, IPC_FLAGS(IPC_OP_SEND, timeout), m);
}

/* Waits (up to timeout) at ep for a message, into m (which need not be set before). */
static inline long ipc_receive(long ep, struct msg *m, unsigned long timeout)
{
	*m = (struct msg){ 0 };
	return ipc(0, ep, IPC_FLAGS(IPC_OP_RECEIVE, timeout), m);
}

/* Replies m to the last caller, then waits at ep for the next message, into m. */
static inline long ipc_reply_receive(long ep, struct msg *m)
{
	return ipc(0, ep, IPC_FLAGS(IPC_OP_REPLY_RECEIVE, IPC_TIMEOUT_INFINITE), m);
}

/* Replies m to the last caller without waiting. */
static inline long ipc_reply(struct msg *m)
{
	return ipc(0, 0, IPC_FLAGS(IPC_REPLY, IPC_TIMEOUT_POLL), m);
}

#endif
