/**
 * @file
 * ipc_core.h — synchronous IPC between threads: the kernel's internal interface.
 *
 * The one thing to know: a thread's message is always read from and written to the
 * same place — its user registers in user_frame (tag in r10, MR0 in r8, MR1 in r9,
 * badge in rsi) and its UTCB (MR2 on) — whether it is running or blocked; so a sender
 * that waits in a queue needs no copy of its message in the kernel.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <abi/ipc.h>

struct thread;
struct syscall_args;

/*
 * Copies the message of `from` to `to`: untyped words, and capabilities if may_grant.
 * `to` sees `badge`. Returns 0, or E_TOOLONG if the receiver's buffer is too small
 * (then nothing is delivered).
 */
long ipc_transfer(struct thread *from, struct thread *to, uint64_t badge, bool may_grant);

/*
 * The untyped words a receiver takes, from its UTCB's buffer_words (read once by the
 * caller): 0, or more than a message can hold, mean all IPC_MR_COUNT. The general path
 * and the fast path both ask here, so they cannot disagree.
 */
static inline unsigned ipc_room(uint64_t buffer_words)
{
	return buffer_words == 0 || buffer_words > IPC_MR_COUNT ? IPC_MR_COUNT
								: (unsigned)buffer_words;
}

/* Ends t's wait: its ipc system call returns `result`, and t becomes ready (without
 * preempting anyone: the caller calls sched_preempt_check() when it is safe). */
void ipc_wake(struct thread *t, long result);
/*
 * Thread t (the current one, in a trap handler) "calls" ep on behalf of the kernel:
 * the message is t->fault_tag and t->fault_msg, and the reply comes back there
 * (label in fault_tag) with its map items applied to t's whole address space.
 * Returns 0 after a reply, or an error (E_GONE: the handler died).
 */
struct endpoint;
long ipc_fault_call(struct thread *t, struct endpoint *ep, uint64_t badge);
/* OR-s bits into ep's notification word, or gives them to a waiting receiver at once
 * (made ready, not run: the caller checks for preemption). Never blocks (lab 7). */
void ipc_notify(struct endpoint *ep, uint64_t bits);
/* A thread is dying: take it out of every queue and wait, and fail its partners. */
void ipc_thread_dies(struct thread *t);
/* Times out the waits whose time has come (called on every tick). */
void ipc_timeouts_tick(uint64_t now);

/* The fast path, tried by syscall_entry.S for every ipc call: it returns only when it
 * declines (the general path then does the call), else it ends in thread_handoff(). */
struct trap_frame;
void ipc_fastpath(struct trap_frame *tf);
/* What syscall_entry.S calls for SYS_ipc: ipc_fastpath, or (fastpath=0) ipc_declines. */
extern void (*ipc_fastpath_entry)(struct trap_frame *tf);
void ipc_declines(struct trap_frame *tf);       /* syscall_entry.S: returns at once */
