/**
 * @file
 * printf.c — printf and friends: format.c's engine into a buffer, then debug_write, or
 * whatever stdout_write says (a process: the console server, lab 7).
 *
 * The one thing to know: nothing here is shared between threads — each printf formats
 * into its own stack buffer — so any thread may print at any time without a lock.
 */
#include <format.h>
#include <stdio.h>
#include <string.h>
#include <syscall.h>

long (*stdout_write)(const char *s, unsigned long len);

long debug_write_all(const char *s, unsigned long len)
{
	unsigned long done = 0;
	while (done < len) {
		unsigned long n = len - done < DEBUG_WRITE_MAX ? len - done : DEBUG_WRITE_MAX;
		long err = sys_debug_write(s + done, n);
		if (err < 0)
			return err;
		done += n;
	}
	return (long)done;
}

static int write_all(const char *s, size_t len)
{
	return (int)(stdout_write ? stdout_write(s, len) : debug_write_all(s, len));
}

int vprintf(const char *fmt, va_list ap)
{
	static const char cut[] = "[cut]\n";
	char buf[PRINTF_MAX];
	size_t len = (size_t)format_buffer(buf, sizeof(buf), fmt, ap);

	if (len >= sizeof(buf)) {
		/* Say that the end is missing, and end the line: the next print starts one. */
		memcpy(buf + sizeof(buf) - sizeof(cut), cut, sizeof(cut));
		len = sizeof(buf) - 1;
	}
	return write_all(buf, len);
}

int printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}

int vsnprintf(char *buf, size_t n, const char *fmt, va_list ap)
{
	return format_buffer(buf, n, fmt, ap);
}

int snprintf(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int len = vsnprintf(buf, n, fmt, ap);
	va_end(ap);
	return len;
}

int puts(const char *s)
{
	int n = write_all(s, strlen(s));
	return n < 0 ? n : write_all("\n", 1);
}
