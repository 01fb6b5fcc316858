/**
 * @file
 * timeout.h — the deadlines of IPC waits: which thread's wait ends first.
 *
 * The one thing to know: the waits with a deadline form a binary heap ordered by
 * thread.wake_tick, so arming, cancelling and taking the earliest are O(log n) and a
 * tick that ends no wait costs one comparison, however many threads wait. A thread's
 * wake_tick is 0 exactly when it is in no heap slot (the fast path relies on it).
 */
#pragma once

#include <stdint.h>

struct thread;

/* Gives t's wait a deadline `ticks` from now (IPC_TIMEOUT_INFINITE: none). */
void timeout_arm(struct thread *t, uint64_t ticks);
/* Takes t's deadline away, if it has one. */
void timeout_cancel(struct thread *t);
/* The thread whose deadline is earliest, if it is at most `now`: taken out of the heap
 * (wake_tick 0 again); NULL if no deadline has come. */
struct thread *timeout_expired(uint64_t now);
