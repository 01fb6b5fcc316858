/**
 * @file
 * irq.c — interrupts as messages: a capability to a device line, bound to an endpoint.
 *
 * The one thing to know: an interrupt never makes the kernel wait or allocate. The
 * line is masked, the binding's badge is OR-ed into the endpoint's notification word
 * (ipc_notify), which ends a receiver's wait at once or stays pending there until the
 * next receive, and the line stays masked until the driver calls irq_ack. So every
 * interrupt reaches the driver exactly once; one that comes while the driver is busy
 * waits in the word (or, if the line is masked, in the device, which keeps its level
 * line asserted until it is served: ioapic.c).
 */
#include <cap.h>
#include <endpoint.h>
#include <ipc_core.h>
#include <irq.h>
#include <sched.h>
#include <syscall_handlers.h>
#include <task.h>
#include <thread.h>
#include <abi/error.h>
#include <arch/x86_64/cpu_local.h>
#include <arch/x86_64/ioapic.h>
#include <arch/x86_64/lapic.h>
#include <arch/x86_64/trap.h>

struct irq_line {
	struct endpoint *ep;    /* bound to (NULL: unbound, and masked) */
	uint64_t badge;         /* what it OR-s into ep's notification word */
};

static struct irq_line lines[IOAPIC_LINES];
/* What the IRQ control capability points at: its address is its identity. */
static const char irq_control_object;

static void on_irq(struct trap_frame *tf)
{
	/* LAB 7 BEGIN: interrupt delivery */
	unsigned line = (unsigned)tf->vector - T_IRQ_BASE;
	ioapic_mask(line, true);        /* until the driver acknowledges */
	lapic_eoi();
	if (lines[line].ep) {
		ipc_notify(lines[line].ep, lines[line].badge);
		sched_preempt_check();  /* the driver may outrank what we interrupted */
	}
	/* An unbound line stays masked: nobody would serve it. */
	/* LAB 7 STUB
	// Mask the line (it fires again only when the driver acknowledges), tell the
	// local APIC the interrupt is handled, and notify the endpoint bound to the line
	// with its badge (ipc_notify); the driver may outrank the interrupted thread.
	(void)tf; (void)lines;
	lapic_eoi();
	*/
	/* LAB 7 END */
}

void irq_init(void)
{
	ioapic_init(T_IRQ_BASE);
	for (unsigned line = 0; line < IOAPIC_LINES; line++)
		trap_set_handler(T_IRQ_BASE + line, on_irq);
}

long irq_control_give(struct task *task)
{
	return cap_insert(task, CAP_IRQ_CONTROL, (void *)&irq_control_object, RIGHT_CONTROL, 0);
}

void irq_endpoint_gone(struct endpoint *ep)
{
	for (unsigned line = 0; line < IOAPIC_LINES; line++) {
		if (lines[line].ep == ep) {
			ioapic_mask(line, true);
			lines[line].ep = NULL;
		}
	}
}

long sys_irq_control(const struct syscall_args *a)
{
	struct task *task = cpu.current->task;
	int err;
	if (!cap_lookup(task, (long)a->a0, CAP_IRQ_CONTROL, RIGHT_CONTROL, &err))
		return err;
	if (a->a1 >= IOAPIC_LINES)
		return E_INVAL;
	return cap_insert(task, CAP_IRQ, &lines[a->a1], RIGHT_CONTROL, 0);
}

long sys_irq_bind(const struct syscall_args *a)
{
	struct task *task = cpu.current->task;
	int err;
	struct irq_line *l = cap_lookup(task, (long)a->a0, CAP_IRQ, RIGHT_CONTROL, &err);
	if (!l)
		return err;
	unsigned line = (unsigned)(l - lines);
	if (a->a1 == 0) {
		ioapic_mask(line, true);
		l->ep = NULL;
		return E_OK;
	}
	struct endpoint *ep = cap_lookup(task, (long)a->a1, CAP_ENDPOINT, RIGHT_SEND, &err);
	if (!ep)
		return err;
	if (!task->caps[a->a1].badge)
		return E_INVAL;         /* a notification of no bits would say nothing */
	/* LAB 7 BEGIN: binding a line */
	l->ep = ep;
	l->badge = task->caps[a->a1].badge;
	ioapic_mask(line, false);       /* a device already asserting fires at once */
	return E_OK;
	/* LAB 7 STUB
	// Remember where the line's interrupts go (the endpoint and the badge of the
	// capability) and unmask the line.
	(void)ep; (void)line;
	return E_NOSYS;
	*/
	/* LAB 7 END */
}

long sys_irq_ack(const struct syscall_args *a)
{
	int err;
	struct irq_line *l = cap_lookup(cpu.current->task, (long)a->a0, CAP_IRQ, RIGHT_CONTROL,
					&err);
	if (!l)
		return err;
	/* LAB 7 BEGIN: acknowledging */
	if (!l->ep)
		return E_STATE;         /* unbound lines stay masked */
	ioapic_mask((unsigned)(l - lines), false);
	return E_OK;
	/* LAB 7 STUB
	// Unmask the line again, if it is bound (E_STATE if not: nobody would serve it).
	(void)l;
	return E_NOSYS;
	*/
	/* LAB 7 END */
}
