/**
 * @file
 * main.c — mv FROM TO: renames a file or a directory; TO may be a directory to move
 * it into.
 *
 * The one thing to know: the file server renames within its one disk, so nothing is
 * copied: an entry moves.
 */
#include <errno.h>
#include <process.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 3) {
		dprintf(STDERR_FILENO, "usage: mv FROM TO\n");
		return 2;
	}
	char to[FS_PATH_MAX + 1];
	struct stat st;
	if (stat(argv[2], &st) == 0 && S_ISDIR(st.st_mode)) {
		const char *base = strrchr(argv[1], '/');
		base = base ? base + 1 : argv[1];
		if (snprintf(to, sizeof(to), "%s/%s", argv[2], base) >= (int)sizeof(to)) {
			dprintf(STDERR_FILENO, "mv: %s: %s\n", argv[2], strerror(ENAMETOOLONG));
			return 1;
		}
	} else {
		snprintf(to, sizeof(to), "%s", argv[2]);
	}
	if (rename(argv[1], to) < 0) {
		dprintf(STDERR_FILENO, "mv: %s -> %s: %s\n", argv[1], to, strerror(errno));
		return 1;
	}
	return 0;
}
