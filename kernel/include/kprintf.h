/**
 * @file
 * kprintf.h — formatted output for the kernel: to the console, or into a buffer.
 *
 * The conversions are format.h's (%d %u %x %p %s %c, flags, widths).
 */
#ifndef KPRINTF_H
#define KPRINTF_H

#include <stdarg.h>
#include <stddef.h>

int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int kvprintf(const char *fmt, va_list ap);
/* Like snprintf: writes at most n - 1 characters and a NUL; returns the full length. */
int ksnprintf(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
