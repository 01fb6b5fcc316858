/**
 * @file
 * thread.h — starting a thread on a function, with a stack the caller provides.
 *
 * The one thing to know: a thread has no one to return to, so thread_spawn() puts the
 * address of a landing that ends the thread where the function's return address would
 * be. That needs the stack to be writable by the caller: for a thread in another task
 * (whose memory the caller cannot reach), start it with sys_thread_start directly and
 * end the function with sys_thread_exit().
 */
#ifndef USER_THREAD_H
#define USER_THREAD_H

#include <stddef.h>

/*
 * Creates a thread at `priority` in the task named by task_slot and starts it running
 * fn(arg) on [stack, stack + size). Returns the new thread's capability slot, or a
 * negative error (the thread is not started then).
 */
long thread_spawn(long task_slot, long priority, void (*fn)(unsigned long),
		  unsigned long arg, void *stack, size_t size);
/* Starts the stopped thread in thread_slot (of this task) running fn(arg) on
 * [stack, stack + size), as thread_spawn() does; returns 0 or a negative error. */
long thread_start_on(long thread_slot, void (*fn)(unsigned long), unsigned long arg,
		     void *stack, size_t size);

/* The pager and exception handler thread_spawn gives its threads: 0 (none, the
 * kernel's default) in the root task; a process's start sets its capability to the
 * process manager, so a worker's fault (its stack growing past the first page, say)
 * is served as the main thread's are, not fatal. */
extern long thread_default_pager;

#endif
