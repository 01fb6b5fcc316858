/**
 * @file
 * serial.c — polled output on COM1, the kernel's only console.
 *
 * The one thing to know: output is polled (wait until the transmit register is empty,
 * then write), never interrupt-driven, so it works from any context — a trap handler, a
 * panic, before the IDT exists. The user-level serial driver of lab 7 owns input.
 */
#include <arch/x86_64/cpu.h>
#include <arch/x86_64/serial.h>

#define COM1            0x3f8
#define REG_DATA        0       /* with DLAB: divisor low byte */
#define REG_IER         1       /* with DLAB: divisor high byte */
#define REG_FCR         2
#define REG_LCR         3
#define REG_MCR         4
#define REG_LSR         5
#define LCR_DLAB        0x80
#define LCR_8N1         0x03
#define LSR_THR_EMPTY   0x20

void serial_init(void)
{
	outb(COM1 + REG_IER, 0x00);             /* no interrupts: we poll */
	outb(COM1 + REG_LCR, LCR_DLAB);
	outb(COM1 + REG_DATA, 1);               /* divisor 1: 115200 baud */
	outb(COM1 + REG_IER, 0);
	outb(COM1 + REG_LCR, LCR_8N1);
	outb(COM1 + REG_FCR, 0xc7);             /* enable and clear the FIFOs */
	outb(COM1 + REG_MCR, 0x03);             /* DTR, RTS */
}

void serial_putc(char c)
{
	/* A terminal wants CR LF; the grader strips the CR. */
	if (c == '\n')
		serial_putc('\r');
	/* Bounded, so a missing UART cannot hang the kernel. */
	for (int spin = 0; spin < 100000; spin++)
		if (inb(COM1 + REG_LSR) & LSR_THR_EMPTY)
			break;
	outb(COM1 + REG_DATA, (uint8_t)c);
}
