/**
 * @file
 * core.c — the console's core: the one thread that owns the UART, the rings and the
 * line being typed, and answers at once.
 *
 * The one thing to know: the core never waits for anything but its next message. A
 * worker's request it cannot finish now (no room for the bytes, no whole line typed,
 * output not yet sent) is answered CORE_PARK, and the core remembers which worker
 * waits; after every interrupt it signals the parked workers, which simply ask again. Every message's
 * length is checked before a byte of it is read.
 */
#include <console.h>
#include <minim.h>
#include "console_server.h"

static char tx_bytes[TX_RING], line_bytes[RX_LINES];
static struct console con = {
	.tx = { .bytes = tx_bytes, .size = TX_RING },
	.lines = { .bytes = line_bytes, .size = RX_LINES },
};
static unsigned long parked;                    /* workers to signal: bit i, worker i */
static unsigned long reading;                   /* workers whose read waits for a line */
static uint32_t interrupts_seen[CONSOLE_WORKERS];       /* Ctrl-Cs when their read began */

static struct msg reply_word(long value)
{
	return (struct msg){ .tag = IPC_TAG(0, 1, 0), .mr0 = (unsigned long)value };
}

static struct msg park(unsigned worker)
{
	parked |= 1ul << worker;
	return (struct msg){ .tag = IPC_TAG(CORE_PARK, 0, 0) };
}

static struct msg do_write(unsigned worker, const struct msg *m)
{
	unsigned long n = m->mr0;
	if (n > CONSOLE_CHUNK || IPC_TAG_UNTYPED(m->tag) != 1 + (n + 7) / 8 || IPC_TAG_TYPED(m->tag))
		return reply_word(E_INVAL);
	if (con.tx.size - con.tx.count < n)
		return park(worker);
	for (unsigned long i = 0; i < n; i++)
		ring_put(&con.tx, console_byte(m, i));
	uart_kick(&con);
	return reply_word((long)n);
}

static struct msg do_read(unsigned worker, const struct msg *m)
{
	unsigned long max = m->mr0, bit = 1ul << worker;
	if (max == 0 || max > CONSOLE_LINE_MAX || IPC_TAG_UNTYPED(m->tag) != 1 ||
	    IPC_TAG_TYPED(m->tag))
		return reply_word(E_INVAL);
	if ((reading & bit) && con.interrupts != interrupts_seen[worker]) {
		reading &= ~bit;
		return reply_word(CONSOLE_INTERRUPTED);
	}
	if (con.complete == 0) {
		if (!(reading & bit))
			interrupts_seen[worker] = con.interrupts;
		reading |= bit;
		return park(worker);
	}
	reading &= ~bit;
	char line[CONSOLE_LINE_MAX];
	uint32_t n = line_take(&con, line, (uint32_t)max);
	uart_kick(&con);        /* a line taken may be room to receive again */
	return console_bytes_msg(0, n, line);
}

static struct msg do_sync(unsigned worker, const struct msg *m)
{
	if (IPC_TAG_UNTYPED(m->tag) != 0 || IPC_TAG_TYPED(m->tag))
		return reply_word(E_INVAL);
	uart_kick(&con);
	return con.tx_busy ? park(worker) : reply_word(0);
}

/* Workers that waited may go on now: they ask again, and park again if not. */
static void wake_parked(const long wake[])
{
	for (unsigned i = 0; i < CONSOLE_WORKERS; i++)
		if (parked & (1ul << i))
			sys_endpoint_signal(wake[i]);
	parked = 0;
}

static struct msg request(unsigned worker, const struct msg *m)
{
	switch (IPC_TAG_LABEL(m->tag)) {
	case CONSOLE_WRITE:
		return do_write(worker, m);
	case CONSOLE_READ:
		return do_read(worker, m);
	case CONSOLE_SYNC:
		return do_sync(worker, m);
	default:
		return reply_word(E_NOSYS);
	}
}

_Noreturn void core_run(long ep, long irq, const long wake[])
{
	uart_init();
	struct msg m;
	long r = ipc_receive(ep, &m, IPC_TIMEOUT_INFINITE);
	for (;;) {
		if (r == 0 && IPC_TAG_LABEL(m.tag) == IPC_LABEL_NOTIFY && m.badge == BADGE_IRQ) {
			uart_serve(&con);
			sys_irq_ack(irq);
			wake_parked(wake);
			r = ipc_receive(ep, &m, IPC_TIMEOUT_INFINITE);
			continue;
		}
		unsigned worker = CONSOLE_WORKERS;
		for (unsigned i = 0; i < CONSOLE_WORKERS; i++)
			if (r == 0 && m.badge == BADGE_WORKER(i))
				worker = i;
		if (worker == CONSOLE_WORKERS) {
			r = ipc_receive(ep, &m, IPC_TIMEOUT_INFINITE);  /* nobody we know */
			continue;
		}
		/* Only the UART frees what a parked worker waits for: room in the output
		 * ring, a whole line, Ctrl-C, the last byte sent. */
		m = request(worker, &m);
		r = ipc_reply_receive(ep, &m);
	}
}
