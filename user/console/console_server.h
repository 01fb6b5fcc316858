/**
 * @file
 * console_server.h — the console server's parts: the 16550 driver, the line discipline, the
 * core that owns them, and the workers that hold clients' replies.
 *
 * The one thing to know: one thread, the core, owns every byte of state and never
 * blocks: it waits on one endpoint for the UART's interrupts and for its workers'
 * calls, and answers each at once. A client's request is received by a worker (four of
 * them wait on the clients' endpoint); the worker asks the core, and when the core says
 * "not yet" (a full output ring, no line typed) it waits for the core's signal on its
 * own endpoint and asks again. So a worker holds a client's reply right as long as the
 * client must wait, and the core holds none: worker threads are minim's deferred
 * replies (handouts/lab7.md says why not reply capabilities).
 */
#ifndef CONSOLE_SERVER_H
#define CONSOLE_SERVER_H

#include <stdbool.h>
#include <stdint.h>

#define COM1                    0x3f8
#define COM1_LINE               4
#define CONSOLE_WORKERS         4
#define TX_RING                 4096            /* output bytes waiting for the UART */
#define RX_LINES                1024            /* typed bytes of whole lines, unread */
#define BADGE_IRQ               (1ul << 0)      /* the core's endpoint: the UART */
#define BADGE_WORKER(i)         (1ul << (1 + (i)))      /* and worker i's calls */
#define CORE_PARK               1ul             /* a core reply's label: wait, ask again */

/* A byte ring. */
struct ring {
	char *bytes;
	uint32_t size, head, count;     /* head: the oldest byte */
};

static inline bool ring_put(struct ring *r, char c)
{
	if (r->count == r->size)
		return false;
	r->bytes[(r->head + r->count++) % r->size] = c;
	return true;
}

static inline char ring_get(struct ring *r)
{
	char c = r->bytes[r->head];
	r->head = (r->head + 1) % r->size;
	r->count--;
	return c;
}

/* What the core keeps: the rings and the line being typed. */
struct console {
	struct ring tx;                 /* to the UART */
	struct ring lines;              /* whole typed lines, each ending in '\n' */
	uint32_t complete;              /* how many lines `lines` holds */
	char edit[256];                 /* the line being typed */
	uint32_t edit_len;
	uint32_t interrupts;            /* Ctrl-Cs so far */
	bool tx_busy;                   /* the UART has bytes of ours it has not sent */
};

/* core.c: the core's loop, on ep (the UART's interrupt and the workers' calls); wake[i]
 * signals worker i. */
_Noreturn void core_run(long ep, long irq, const long wake[]);

/* uart.c: the 16550 on COM1, driven by its interrupt. */
void uart_init(void);
/* Serves the UART after its interrupt: received bytes to line_input(), then as many
 * output bytes as its FIFO takes. */
void uart_serve(struct console *con);
/* Starts sending, if the UART is idle and bytes wait. */
void uart_kick(struct console *con);

/* line.c: the line discipline. */
/* Whether one more typed byte can be taken: room for the longest line, whole. */
static inline bool line_room(const struct console *con)
{
	return con->lines.size - con->lines.count > sizeof(con->edit);
}
/* One typed byte: edit the line, echo it, complete it on Enter, drop it on Ctrl-C. */
void line_input(struct console *con, char c);
/* Takes the oldest whole line (at most max bytes of it; the rest stays) into buf. */
uint32_t line_take(struct console *con, char *buf, uint32_t max);

#endif
