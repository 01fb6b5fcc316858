/**
 * @file
 * main.c — echo: its arguments, one space between them, and a newline.
 *
 * The one thing to know: the line is written in one write(), so it lands whole in a
 * redirected file or between other programs' lines on the console.
 */
#include <process.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char line[PROC_ARGS_BYTES + 2];
	size_t n = 0;
	for (int i = 1; i < argc; i++) {
		size_t len = strlen(argv[i]);
		if (n + len + 2 > sizeof(line))
			break;
		if (i > 1)
			line[n++] = ' ';
		memcpy(line + n, argv[i], len);
		n += len;
	}
	line[n++] = '\n';
	return write(STDOUT_FILENO, line, n) == (ssize_t)n ? 0 : 1;
}
