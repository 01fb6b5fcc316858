/**
 * @file
 * format.h — printf-style formatting into a sink: a function or a buffer.
 *
 * Conversions: %d %i %u %x %X %p %s %c %%, with the flags '-' (left-align) and '0'
 * (zero-pad), a field width, and the length modifiers l, ll, z. %p prints 0x and 16 hex
 * digits. There are no floating-point conversions: the kernel has no FPU state.
 * Shared, freestanding code: the kernel and the user library both use it.
 */
#pragma once

#include <stdarg.h>
#include <stddef.h>

struct sink {
	void (*putc)(char c);   /* if set, every character goes here */
	char *buf;              /* else into buf, */
	size_t cap;             /* which has room for cap bytes, including the final NUL */
	size_t len;             /* characters produced so far (also those that did not fit) */
};

void format(struct sink *s, const char *fmt, va_list ap);
/* Like snprintf: writes at most n - 1 characters and a NUL; returns the full length. */
int format_buffer(char *buf, size_t n, const char *fmt, va_list ap);
