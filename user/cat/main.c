/**
 * @file
 * main.c — cat: each file named (or descriptor 0 when none is) to descriptor 1.
 *
 * The one thing to know: reading the console gives a line at a time and never ends
 * by itself: Ctrl-C ends `cat` reading it (the read fails with EINTR).
 */
#include <errno.h>
#include <fcntl.h>
#include <process.h>
#include <unistd.h>

static char buf[FS_IO_MAX];

/* Copies fd to descriptor 1; 0, or 1 after saying what failed. */
static int copy(int fd, const char *name)
{
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n == 0 || (n < 0 && errno == EINTR && fd == STDIN_FILENO))
			return 0;
		if (n < 0) {
			dprintf(STDERR_FILENO, "cat: %s: %s\n", name, strerror(errno));
			return 1;
		}
		if (write(STDOUT_FILENO, buf, (size_t)n) != n) {
			dprintf(STDERR_FILENO, "cat: write: %s\n", strerror(errno));
			return 1;
		}
	}
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return copy(STDIN_FILENO, "stdin");
	int status = 0;
	for (int i = 1; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY);
		if (fd < 0) {
			dprintf(STDERR_FILENO, "cat: %s: %s\n", argv[i], strerror(errno));
			status = 1;
			continue;
		}
		status |= copy(fd, argv[i]);
		close(fd);
	}
	return status;
}
