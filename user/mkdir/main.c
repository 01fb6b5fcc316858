/**
 * @file
 * main.c — mkdir: makes each directory named (its parent must exist).
 *
 * The one thing to know: a failure is reported and the next name is tried; the
 * status is 1 if any failed.
 */
#include <errno.h>
#include <process.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int status = 0;
	if (argc < 2) {
		dprintf(STDERR_FILENO, "usage: mkdir DIR...\n");
		return 2;
	}
	for (int i = 1; i < argc; i++)
		if (mkdir(argv[i], 0755) < 0) {
			dprintf(STDERR_FILENO, "mkdir: %s: %s\n", argv[i], strerror(errno));
			status = 1;
		}
	return status;
}
