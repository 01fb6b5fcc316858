/**
 * @file
 * cap.h — capabilities: a task's table of the kernel objects it may name.
 *
 * The one thing to know: user code names kernel objects by slot number in its own
 * task's table, like file descriptors; a slot holds the object's type, a pointer to it
 * and the rights this task has to it. Every system call that takes a slot goes through
 * cap_lookup(), which checks the number, the type and the rights — never trusting them.
 */
#pragma once

#include <stdint.h>
#include <abi/ipc.h>

#define CAP_SLOTS 128

/* CAP_DEBUG names no object: it is the right to end the run (debug_shutdown), which
 * only the root task holds at boot — trusted test code, never a task it starts unless
 * it passes the capability on. CAP_IRQ_CONTROL is the root's right to make CAP_IRQs,
 * which name one of irq.c's static interrupt lines (neither is counted: never freed). */
enum cap_type { CAP_NULL = 0, CAP_TASK, CAP_THREAD, CAP_ENDPOINT, CAP_DEBUG, CAP_IRQ,
		CAP_IRQ_CONTROL };

struct cap {
	uint8_t type;           /* enum cap_type */
	uint8_t rights;
	uint16_t reserved;
	uint32_t reserved2;
	void *object;
	uint64_t badge;
	uint64_t reserved3;
};

struct task;

/*
 * The object in slot `slot` of task's table, if it has type `type` and all of
 * `rights`; else NULL, with *err set to E_CAP (bad or empty slot), E_TYPE or E_RIGHTS.
 */
void *cap_lookup(struct task *task, long slot, enum cap_type type, unsigned rights,
		 int *err);
/* Puts the object in the lowest free slot and counts the reference; returns the slot,
 * or E_FULL. */
long cap_insert(struct task *task, enum cap_type type, void *object, unsigned rights,
		uint64_t badge);
/* Empties a slot, dropping its reference (the last one destroys an endpoint). */
int cap_delete(struct task *task, long slot);
/* The capability in slot, or NULL (*err set) — any type; for copying and deleting. */
struct cap *cap_slot(struct task *task, long slot, int *err);
/* Gives task the debug capability (syscall_debug.c); returns its slot, or E_FULL. */
long debug_cap_give(struct task *task);
