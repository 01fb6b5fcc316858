/**
 * @file
 * kprintf.c — the kernel's printf: format.c's engine with the serial console as sink.
 * (Only the tests print into a buffer: lab1_tests.c's ksnprintf().)
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
