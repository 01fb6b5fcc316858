/**
 * @file
 * lab7_irq.c — scenarios for lab 7: interrupts as notifications on endpoints.
 *
 * The one thing to know: the device is a 16550 UART on COM2 (ports 0x2f8-0x2ff, line
 * 3) in loopback mode, where every byte written to it arrives in its own receive FIFO
 * and raises its line: the scenario makes interrupts exactly when it wants, each
 * carrying a seeded byte, and nothing outside the machine sees them (the grader boots
 * these with `-serial null` as COM2). The line stays asserted while bytes are unread,
 * so an acknowledgement before the FIFO is drained fires again, and one after it does
 * not. Badges, bytes, counts and words come from the seed.
 */
#include <ioport.h>
#include <minim.h>
#include <sigma0.h>
#include <thread.h>
#include "utest.h"

#define COM2            0x2f8
#define COM2_LINE       3
#define UART_DATA       0       /* RBR (read) / THR (write) */
#define UART_IER        1
#define UART_FCR        2
#define UART_LCR        3
#define UART_MCR        4
#define UART_LSR        5
#define IER_RX          0x01
#define FCR_ENABLE      0x07    /* FIFOs on and cleared; receive trigger at 1 byte */
#define LCR_8N1         0x03
#define MCR_LOOP        0x18    /* loopback, OUT2 */
#define LSR_DATA        0x01
#define FIFO_BYTES      16
#define IRQ_LINES       24      /* the I/O APIC's: lines 0 to 23 */

#define DRIVER_PRIO     40
#define MAIN_PRIO       30
#define SERVER_PRIO     20
#define CLIENT_PRIO     25

struct line {
	long irq;               /* the IRQ capability */
	long ep;                /* the endpoint, all rights, no badge */
	long badged;            /* a send capability to it with the line's badge */
};

/* COM2 in loopback with its receive interrupt on, its FIFO empty. */
static void uart_open(const struct boot_info_page *bi)
{
	UCHECK(sigma0_io_ports(bi->sigma0_slot, IO_FPAGE(COM2, 3)) == 8);
	outb(COM2 + UART_IER, 0);
	outb(COM2 + UART_LCR, LCR_8N1);
	outb(COM2 + UART_FCR, FCR_ENABLE);
	outb(COM2 + UART_MCR, MCR_LOOP);
	/* No UART answers 0xff (a boot without COM2): stop rather than drain for ever. */
	UCHECK(inb(COM2 + UART_LSR) != 0xff);
	while (inb(COM2 + UART_LSR) & LSR_DATA)
		(void)inb(COM2 + UART_DATA);
	outb(COM2 + UART_IER, IER_RX);
}

/* Reads every byte waiting in the FIFO into the digest; returns how many. */
static unsigned uart_drain(uint64_t *h)
{
	unsigned n = 0;
	while (n < 4 * FIFO_BYTES && (inb(COM2 + UART_LSR) & LSR_DATA)) {
		*h = digest_add(*h, inb(COM2 + UART_DATA));
		n++;
	}
	return n;
}

/* A capability to ep with the badge (copied into our own task). */
static long badged(const struct boot_info_page *bi, long ep, unsigned long badge)
{
	long slot = sys_cap_copy(bi->self_task_slot, ep, RIGHT_SEND, badge);
	UCHECK(slot > 0);
	return slot;
}

/* The line's capability, a fresh endpoint and the badged one; the bind's result in *r. */
static struct line line_bind(const struct boot_info_page *bi, unsigned long badge, long *r)
{
	struct line l = { .irq = sys_irq_control(bi->irq_control_slot, COM2_LINE),
			  .ep = sys_endpoint_create() };
	UCHECK(l.irq > 0 && l.ep > 0);
	l.badged = badged(bi, l.ep, badge);
	*r = sys_irq_bind(l.irq, l.badged);
	return l;
}

/* A notification's bits if the receive got one, the error if it failed, or -99 if it
 * got an ordinary message instead. */
static long poll_bits(long ep)
{
	struct msg m;
	long r = ipc_receive(ep, &m, IPC_TIMEOUT_POLL);
	if (r < 0)
		return r;
	if (IPC_TAG_LABEL(m.tag) != IPC_LABEL_NOTIFY || m.mr0 != m.badge)
		return -99;
	return (long)m.badge;
}

/* --- irq_delivery: one interrupt, one notification, to a waiting driver ------------- */

static struct {
	struct line line;
	unsigned long badge;
	unsigned long notes, wrong, bytes, empty;
	uint64_t h;
} dv;

/* Above main: each interrupt wakes it at once, before main writes the next byte. */
static void delivery_driver(unsigned long arg)
{
	(void)arg;
	struct msg m;
	while (ipc_receive(dv.line.ep, &m, IPC_TIMEOUT_INFINITE) == 0) {
		dv.notes++;
		if (IPC_TAG_LABEL(m.tag) != IPC_LABEL_NOTIFY || m.badge != dv.badge ||
		    m.mr0 != dv.badge || IPC_TAG_UNTYPED(m.tag) != 1)
			dv.wrong++;
		unsigned n = uart_drain(&dv.h);
		dv.bytes += n;
		dv.empty += n == 0;
		sys_irq_ack(dv.line.irq);
	}
	thread_exit();
}

UTEST(irq_delivery)
{
	struct challenge c = utest_challenge(bi);
	unsigned n = (unsigned)challenge_range(&c, 24, 48);
	dv.badge = challenge_next(&c) | 1;
	uart_open(bi);
	long r;
	dv.line = line_bind(bi, dv.badge, &r);
	printf("irq: binding line %d to an endpoint with badge %lx -> %ld\n", COM2_LINE,
	       dv.badge, r);
	dv.h = DIGEST_START;
	utest_spawn(bi, 0, DRIVER_PRIO, delivery_driver, 0);
	UCHECK(sys_thread_priority(bi->self_thread_slot, MAIN_PRIO) == 0);
	uint64_t sent = DIGEST_START;
	for (unsigned i = 0; i < n; i++) {
		uint8_t byte = (uint8_t)challenge_next(&c);
		sent = digest_add(sent, byte);
		outb(COM2 + UART_DATA, byte);
	}
	printf("irq: %u bytes sent, digest %lx\n", n, sent);
	printf("irq: the driver read %lu bytes in %lu notifications (%lu wrong, %lu with no "
	       "byte), digest %lx\n", dv.bytes, dv.notes, dv.wrong, dv.empty, dv.h);
}

/* --- irq_pending: nothing lost while the driver is busy, nothing twice ----------------- */

UTEST(irq_pending)
{
	struct challenge c = utest_challenge(bi);
	unsigned long a = challenge_next(&c) | 1, b = challenge_next(&c) << 1;
	unsigned k = (unsigned)challenge_range(&c, 2, FIFO_BYTES - 4);
	uart_open(bi);
	long r;
	struct line l = line_bind(bi, a, &r);
	long signaller = badged(bi, l.ep, b);
	UCHECK_EQ(r, 0);

	/* Nobody receives: the first byte's interrupt waits in the endpoint; the line is
	 * masked, so the others add nothing. A signal adds its own bits. */
	uint64_t sent = DIGEST_START;
	for (unsigned i = 0; i < k; i++) {
		uint8_t byte = (uint8_t)challenge_next(&c);
		sent = digest_add(sent, byte);
		outb(COM2 + UART_DATA, byte);
	}
	/* Every call in its own statement: the order of a printf's arguments is not C's. */
	long sig = sys_endpoint_signal(signaller);
	printf("pending: %u bytes sent unread; a signal with badge %lx -> %ld\n", k, b, sig);
	long got1 = poll_bits(l.ep), got2 = poll_bits(l.ep);
	printf("pending: a receive gets %lx; again: %ld\n", got1, got2);
	long ack = sys_irq_ack(l.irq);
	got1 = poll_bits(l.ep);
	printf("pending: an ack with the bytes unread -> %ld; the line fires again: %lx\n", ack,
	       got1);
	uint64_t h = DIGEST_START;
	unsigned drained = uart_drain(&h);
	printf("pending: drained %u bytes, digest %lx (sent %lx)\n", drained, h, sent);
	ack = sys_irq_ack(l.irq);
	got1 = poll_bits(l.ep);
	printf("pending: an ack with the FIFO empty -> %ld; then a receive: %ld\n", ack, got1);

	/* A driver that never acknowledges hears nothing more from its line. */
	outb(COM2 + UART_DATA, (uint8_t)challenge_next(&c));
	got1 = poll_bits(l.ep);
	for (int i = 0; i < 3; i++)
		outb(COM2 + UART_DATA, (uint8_t)challenge_next(&c));
	got2 = poll_bits(l.ep);
	printf("pending: unacknowledged: a byte gives %lx, three more give %ld\n", got1, got2);
	h = DIGEST_START;
	drained = uart_drain(&h);
	ack = sys_irq_ack(l.irq);
	got1 = poll_bits(l.ep);
	printf("pending: drained %u, digest %lx; ack -> %ld; a receive: %ld\n", drained, h, ack,
	       got1);

	/* Unbound, the line is masked and has nobody to acknowledge; bound again with a
	 * byte unread, it fires at once. */
	printf("pending: unbinding -> %ld\n", sys_irq_bind(l.irq, 0));
	outb(COM2 + UART_DATA, (uint8_t)challenge_next(&c));
	ack = sys_irq_ack(l.irq);
	got1 = poll_bits(l.ep);
	printf("pending: unbound: ack -> %ld, a receive: %ld\n", ack, got1);
	long bind = sys_irq_bind(l.irq, l.badged);
	got1 = poll_bits(l.ep);
	printf("pending: bound again -> %ld; a receive: %lx\n", bind, got1);
	uart_drain(&h);

	/* Bound again elsewhere, through a capability of another badge: the line's next
	 * interrupt goes there with that badge alone, and nothing to the first. */
	unsigned long d = challenge_next(&c) | 1;
	long ep2 = sys_endpoint_create();
	UCHECK(ep2 > 0);
	bind = sys_irq_bind(l.irq, badged(bi, ep2, d));
	outb(COM2 + UART_DATA, (uint8_t)challenge_next(&c));
	got1 = poll_bits(ep2);
	got2 = poll_bits(l.ep);
	printf("pending: bound to another endpoint with badge %lx -> %ld; a byte gives %lx there, "
	       "%ld at the first\n", d, bind, got1, got2);
	uart_drain(&h);
}

/* --- irq_bad_calls: hostile arguments get errors ---------------------------------------- */

UTEST(irq_bad_calls)
{
	struct challenge c = utest_challenge(bi);
	long line = (long)challenge_range(&c, IRQ_LINES, 1000);
	long irq = sys_irq_control(bi->irq_control_slot, COM2_LINE);
	long ep = sys_endpoint_create();
	UCHECK(irq > 0 && ep > 0);
	long nobadge = sys_cap_copy(bi->self_task_slot, ep, RIGHT_SEND, 0);
	long norights = sys_cap_copy(bi->self_task_slot, ep, RIGHT_RECEIVE, 1);
	UCHECK(nobadge > 0 && norights > 0);
	long r[12] = {
		sys_irq_control(bi->irq_control_slot, line), sys_irq_control(bi->irq_control_slot, -1),
		sys_irq_control(ep, COM2_LINE), sys_irq_bind(irq, nobadge),
		sys_irq_bind(irq, norights), sys_irq_bind(irq, irq), sys_irq_bind(irq, line),
		sys_irq_ack(ep), sys_irq_ack(irq), sys_endpoint_signal(nobadge),
		sys_endpoint_signal(irq), sys_irq_bind(ep, nobadge),
	};
	printf("bad: line %ld -> %ld; line -1 -> %ld; with an endpoint as control -> %ld\n",
	       line, r[0], r[1], r[2]);
	printf("bad: bind to no badge -> %ld; without the send right -> %ld; to an IRQ -> %ld; "
	       "to slot %ld -> %ld; an endpoint as the IRQ -> %ld\n", r[3], r[4], r[5], line,
	       r[6], r[11]);
	printf("bad: ack an endpoint -> %ld; ack unbound -> %ld; signal with no badge -> %ld; "
	       "signal an IRQ -> %ld\n", r[7], r[8], r[9], r[10]);
}

/* --- irq_with_calls: one receive waits for clients and interrupts alike ---------------- */

static struct {
	struct line line;
	unsigned long key;
	char log[160];
	unsigned len;
	uint64_t h;
	unsigned long reply;
} sv;

static void log_add(const char *what, unsigned long value)
{
	sv.len += (unsigned)snprintf(sv.log + sv.len, sizeof(sv.log) - sv.len, "%s%s %lx",
				     sv.len ? ", " : "", what, value);
}

/* Waits on the one endpoint; answers calls, drains and acks on notifications. */
static void server(unsigned long rounds)
{
	struct msg m;
	long r = ipc_receive(sv.line.ep, &m, IPC_TIMEOUT_INFINITE);
	for (unsigned long i = 0; i < rounds && r == 0; i++) {
		if (IPC_TAG_LABEL(m.tag) == IPC_LABEL_NOTIFY) {
			log_add("notify", m.badge);
			uart_drain(&sv.h);
			sys_irq_ack(sv.line.irq);
			r = ipc_receive(sv.line.ep, &m, IPC_TIMEOUT_INFINITE);
		} else {
			log_add("call", m.badge);
			m = (struct msg){ .tag = IPC_TAG(0, 1, 0), .mr0 = m.mr0 ^ sv.key };
			r = ipc_reply_receive(sv.line.ep, &m);
		}
	}
	thread_exit();
}

static void client(unsigned long arg)
{
	struct msg m = { .tag = IPC_TAG(0, 1, 0), .mr0 = arg >> 8 };
	sv.reply = ipc_call((long)(arg & 0xff), &m) == 0 ? m.mr0 : 0;
	thread_exit();
}

UTEST(irq_with_calls)
{
	struct challenge c = utest_challenge(bi);
	unsigned long irq_badge = challenge_next(&c) | 1, client_badge = challenge_next(&c) | 2;
	unsigned long word = challenge_next(&c) >> 8;
	sv.key = challenge_next(&c);
	uart_open(bi);
	long r;
	sv.line = line_bind(bi, irq_badge, &r);
	UCHECK_EQ(r, 0);
	sv.h = DIGEST_START;
	long to_server = badged(bi, sv.line.ep, client_badge);

	/* The client calls first and waits in the queue; then a byte arrives; then the
	 * server starts: the notification comes first, then the call. */
	utest_spawn(bi, 1, CLIENT_PRIO, client, word << 8 | (unsigned long)to_server);
	uint8_t first = (uint8_t)challenge_next(&c), second = (uint8_t)challenge_next(&c);
	outb(COM2 + UART_DATA, first);
	utest_spawn(bi, 0, SERVER_PRIO, server, 3);
	utest_sleep_ticks(2);
	/* The server waits now: the next interrupt reaches it without a queue. */
	outb(COM2 + UART_DATA, second);
	utest_sleep_ticks(2);
	uint64_t h = digest_add(digest_add(DIGEST_START, first), second);
	printf("calls: the server saw: %s\n", sv.log);
	printf("calls: the client's answer %lx; the bytes' digest %lx (sent %lx)\n", sv.reply,
	       sv.h, h);
}
