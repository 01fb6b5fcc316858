/**
 * @file
 * stdio_fd.c — the descriptor side of stdio: putchar, getchar, dprintf, perror.
 *
 * The one thing to know: getchar reads a whole line from descriptor 0 into its own
 * buffer and hands it out a byte at a time (the console gives nothing until Enter
 * anyway); EOF is the end of a redirected file, or an error (errno says which).
 */
#include <errno.h>
#include <format.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int putchar(int c)
{
	char b = (char)c;
	return write(STDOUT_FILENO, &b, 1) == 1 ? (unsigned char)c : EOF;
}

int getchar(void)
{
	static char line[256];
	static long len, pos;
	if (pos >= len) {
		len = read(STDIN_FILENO, line, sizeof(line));
		pos = 0;
		if (len <= 0) {
			len = 0;
			return EOF;
		}
	}
	return (unsigned char)line[pos++];
}

int vdprintf(int fd, const char *fmt, va_list ap)
{
	char buf[PRINTF_MAX];
	size_t len = (size_t)format_buffer(buf, sizeof(buf), fmt, ap);
	if (len >= sizeof(buf))
		len = sizeof(buf) - 1;  /* cut: as printf, but without its marker */
	return (int)write(fd, buf, len);
}

int dprintf(int fd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vdprintf(fd, fmt, ap);
	va_end(ap);
	return n;
}

void perror(const char *s)
{
	int err = errno;
	if (s && *s)
		dprintf(STDERR_FILENO, "%s: %s\n", s, strerror(err));
	else
		dprintf(STDERR_FILENO, "%s\n", strerror(err));
}
