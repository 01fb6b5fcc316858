/**
 * @file
 * uart.c — the 16550 on COM1, driven by its interrupt: received bytes in, queued bytes
 * out, never polling in a loop that waits.
 *
 * The one thing to know: the UART holds its interrupt line up while any enabled cause
 * remains — a byte in the receive FIFO, or (with IER's transmit bit) an empty transmit
 * FIFO — and the kernel keeps the line masked from its interrupt until our irq_ack. So
 * uart_serve() must leave no cause behind it did not mean to: it drains the receive
 * FIFO, and keeps the transmit interrupt enabled only while bytes wait in the ring;
 * otherwise the line, asserted still, would fire again the moment we acknowledge. The
 * kernel writes its own debug lines (panics, the grader's done line) to the same UART
 * by polling, with interrupts off: each of its lines goes out whole, between two of
 * ours, since the UART's FIFO keeps the bytes of both in the order they were written.
 */
#include <ioport.h>
#include <console.h>
#include "console_server.h"

#define UART_DATA       0       /* RBR (read) / THR (write) */
#define UART_IER        1
#define UART_FCR        2
#define UART_MCR        4
#define UART_LSR        5
#define IER_RX          0x01
#define IER_TX          0x02
#define FCR_ENABLE      0x07    /* FIFOs on and cleared; receive trigger at 1 byte */
#define MCR_OUT2        0x0b    /* DTR, RTS and OUT2, which gates the line on a PC */
#define LSR_DATA        0x01
#define LSR_THRE        0x20    /* the transmit FIFO is empty */
#define FIFO_DEPTH      16
#define RX_PER_SERVE    256     /* a flood of input cannot keep us here */

void uart_init(void)
{
	/* The speed and format stay as the firmware and the kernel set them. */
	outb(COM1 + UART_IER, 0);
	outb(COM1 + UART_FCR, FCR_ENABLE & ~0x02);     /* keep what was received */
	outb(COM1 + UART_MCR, MCR_OUT2);
	/* Bytes typed before we started stay in the FIFO: they were typed for us. */
	outb(COM1 + UART_IER, IER_RX);
}

/* Fills the transmit FIFO from the ring if it is empty; the transmit interrupt stays
 * on exactly while bytes wait. */
static void transmit(struct console *con)
{
	/* LAB 7 BEGIN: sending */
	if (inb(COM1 + UART_LSR) & LSR_THRE)
		for (unsigned n = 0; n < FIFO_DEPTH && con->tx.count > 0; n++)
			outb(COM1 + UART_DATA, (uint8_t)ring_get(&con->tx));
	con->tx_busy = con->tx.count > 0 || !(inb(COM1 + UART_LSR) & LSR_THRE);
	outb(COM1 + UART_IER, (line_room(con) ? IER_RX : 0) | (con->tx.count > 0 ? IER_TX : 0));
	/* LAB 7 STUB
	// If the transmit FIFO is empty (LSR), move up to FIFO_DEPTH bytes of the ring into
	// it. Then say whether the UART still has work (tx_busy: bytes in the ring, or the
	// FIFO not yet empty), and enable each interrupt only while it has something to do:
	// receive while a line still fits (line_room), transmit while the ring holds bytes.
	// An enabled cause with nothing to do keeps the line asserted.
	(void)con;
	*/
	/* LAB 7 END */
}

void uart_serve(struct console *con)
{
	/* LAB 7 BEGIN: receiving */
	for (unsigned n = 0; n < RX_PER_SERVE && line_room(con) &&
			     (inb(COM1 + UART_LSR) & LSR_DATA); n++)
		line_input(con, (char)inb(COM1 + UART_DATA));
	/* LAB 7 STUB
	// Hand the bytes in the receive FIFO (LSR says whether one is there) to
	// line_input(), at most RX_PER_SERVE of them, and only while line_room() says a
	// whole line still fits: the rest wait in the UART.
	(void)RX_PER_SERVE;
	*/
	/* LAB 7 END */
	transmit(con);
}

void uart_kick(struct console *con)
{
	transmit(con);
}
