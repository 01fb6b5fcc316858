/**
 * @file
 * line.c — the console's line discipline: echo, backspace, whole lines, Ctrl-C.
 *
 * The one thing to know: a reader gets nothing until Enter: the line being typed is
 * the console's (edit[], where backspace can still take bytes back), and only a
 * finished line, with its '\n', moves to the ring readers take from. Echo goes into
 * the same output ring as programs' writes, so a line and its echo come out in the
 * order they happened; when the ring is full, echo is what is dropped, never a typed
 * byte: uart.c takes a byte from the UART only while line_room() says a whole line
 * still fits, and otherwise leaves the UART (and QEMU, or the sender) holding it.
 */
#include <console.h>
#include "console_server.h"

#define CTRL_C          0x03
#define BACKSPACE       0x08
#define DELETE          0x7f

static void echo(struct console *con, const char *s)
{
	while (*s)
		ring_put(&con->tx, *s++);
}

void line_input(struct console *con, char c)
{
	static char last;
	char was = last;
	last = c;
	if (c == '\n' && was == '\r')
		return;                 /* CR LF is one Enter */
	if (c == '\r' || c == '\n') {
		for (uint32_t i = 0; i < con->edit_len; i++)
			ring_put(&con->lines, con->edit[i]);
		ring_put(&con->lines, '\n');
		con->complete++;
		con->edit_len = 0;
		echo(con, "\r\n");
	} else if (c == BACKSPACE || c == DELETE) {
		if (con->edit_len > 0) {
			con->edit_len--;
			echo(con, "\b \b");
		}
	} else if (c == CTRL_C) {
		con->edit_len = 0;
		con->interrupts++;
		echo(con, "^C\r\n");
	} else if ((c >= ' ' && c < DELETE) || c == '\t') {
		if (con->edit_len < sizeof(con->edit) - 1 && con->edit_len < CONSOLE_LINE_MAX - 1) {
			con->edit[con->edit_len++] = c;
			char e[2] = { c, 0 };
			echo(con, e);
		}
	}
}

uint32_t line_take(struct console *con, char *buf, uint32_t max)
{
	uint32_t n = 0;
	while (n < max && con->lines.count > 0) {
		char c = ring_get(&con->lines);
		buf[n++] = c;
		if (c == '\n') {
			con->complete--;
			break;
		}
	}
	return n;
}
