/**
 * @file
 * stdio.h — formatted output for user programs: to the kernel console, or a process's
 * descriptor 1.
 *
 * The one thing to know: output goes through the debug_write system call, one call per
 * printf, so a line printed by one thread is never split by another's. A printf that
 * would print PRINTF_MAX characters or more is cut, and ends in "[cut]" and a newline;
 * puts takes a string of any length. The conversions are format.h's: no floating point.
 */
#ifndef USER_STDIO_H
#define USER_STDIO_H

#include <stdarg.h>
#include <stddef.h>

/* The most a printf prints, plus one: its buffer is on the caller's stack. */
#define PRINTF_MAX 512

/* printf and vprintf return the number of characters printed, or a negative error. */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
/* Write at most n - 1 characters and a NUL; return the full length, as in C. */
/* Where printf and puts send their bytes; NULL: the kernel's debug console. */
extern long (*stdout_write)(const char *s, unsigned long len);
/* Writes len bytes to the kernel's debug console (debug_write takes at most
 * DEBUG_WRITE_MAX bytes a call); len, or an error. */
long debug_write_all(const char *s, unsigned long len);
int snprintf(char *buf, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int vsnprintf(char *buf, size_t n, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
/* Prints s and a newline; returns a non-negative number, or a negative error. */
int puts(const char *s);

/* The descriptor side (stdio_fd.c, lab 8): a process's printf and puts go to its
 * descriptor 1 (the console, or the file its spawner redirected it to). */
#define EOF (-1)
int putchar(int c);
/* The next byte of descriptor 0, or EOF at its end or on an error (errno). */
int getchar(void);
int dprintf(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int vdprintf(int fd, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* "s: the text of errno" and a newline, to descriptor 2. */
void perror(const char *s);

#endif
