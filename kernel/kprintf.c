/**
 * @file
 * kprintf.c — the kernel's printf: format.c's engine with the serial console as sink.
 */
#include <format.h>
#include <kprintf.h>
#include <arch/x86_64/serial.h>

int kvprintf(const char *fmt, va_list ap)
{
	struct sink s = { .putc = serial_putc };
	format(&s, fmt, ap);
	return (int)s.len;
}

int kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = kvprintf(fmt, ap);
	va_end(ap);
	return n;
}

int ksnprintf(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int len = format_buffer(buf, n, fmt, ap);
	va_end(ap);
	return len;
}
