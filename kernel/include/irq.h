/**
 * @file
 * irq.h — device interrupts as notifications on endpoints (lab 7).
 *
 * The one thing to know: the kernel keeps one static record per interrupt line and
 * allocates nothing when an interrupt comes; an endpoint bound to a line must never be
 * freed while bound, so endpoint.c calls irq_endpoint_gone() before it frees one.
 */
#pragma once

struct endpoint;
struct task;

/* Routes every line to its vector, all masked, and installs the handler. */
void irq_init(void);
/* Gives task the IRQ control capability (the root, at boot); returns its slot. */
long irq_control_give(struct task *task);
/* ep is dead or about to be freed: every line bound to it is unbound and masked. */
void irq_endpoint_gone(struct endpoint *ep);
