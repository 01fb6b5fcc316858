/**
 * @file
 * kprintf.h — formatted output for the kernel, to the console.
 *
 * The conversions are format.h's (%d %u %x %p %s %c, flags, widths); format_buffer()
 * prints into a buffer instead.
 */
#pragma once

#include <stdarg.h>

int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int kvprintf(const char *fmt, va_list ap);
