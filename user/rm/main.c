/**
 * @file
 * main.c — rm: removes each file named, or each empty directory.
 *
 * The one thing to know: a directory is removed only when it is empty (rmdir): there
 * is no -r.
 */
#include <errno.h>
#include <process.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int status = 0;
	if (argc < 2) {
		dprintf(STDERR_FILENO, "usage: rm PATH...\n");
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		int r = unlink(argv[i]);
		if (r < 0 && errno == EISDIR)
			r = rmdir(argv[i]);
		if (r < 0) {
			dprintf(STDERR_FILENO, "rm: %s: %s\n", argv[i], strerror(errno));
			status = 1;
		}
	}
	return status;
}
