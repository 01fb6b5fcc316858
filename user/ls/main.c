/**
 * @file
 * main.c — ls [-l] [-a] [PATH...]: a directory's names, one a line, sorted; with -l
 * each one's type, size and name.
 *
 * The one thing to know: readdir gives the disk's order, so ls collects the names
 * first (in malloc's memory) and sorts them; names starting with '.' are left out
 * unless -a.
 */
#include <stdbool.h>
#include <dirent.h>
#include <errno.h>
#include <malloc.h>
#include <process.h>
#include <sys/stat.h>
#include <unistd.h>

static bool long_form, all;

static char type_of(unsigned mode)
{
	return S_ISDIR(mode) ? 'd' : S_ISLNK(mode) ? 'l' : S_ISREG(mode) ? '-' : '?';
}

static void entry_print(const char *dir, const char *name)
{
	if (!long_form) {
		printf("%s\n", name);
		return;
	}
	char path[FS_PATH_MAX + 1];
	struct stat st;
	if (dir)
		snprintf(path, sizeof(path), "%s/%s", dir, name);
	else
		snprintf(path, sizeof(path), "%s", name);
	if (stat(path, &st) < 0)
		printf("? %8s %s\n", "?", name);
	else
		printf("%c %8lu %s\n", type_of(st.st_mode), (unsigned long)st.st_size, name);
}

static int names_compare(const char *a, const char *b)
{
	return strcmp(a, b);
}

/* Lists directory path; 0, or 1 after saying what failed. */
static int list(const char *path)
{
	DIR *d = opendir(path);
	if (!d) {
		dprintf(STDERR_FILENO, "ls: %s: %s\n", path, strerror(errno));
		return 1;
	}
	char **names = NULL;
	unsigned n = 0, cap = 0;
	int status = 0;
	struct dirent *e;
	errno = 0;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' && !all)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 32;
			char **more = realloc(names, cap * sizeof(*names));
			if (!more)
				break;
			names = more;
		}
		if (!(names[n] = strdup(e->d_name)))
			break;
		n++;
	}
	if (errno) {
		dprintf(STDERR_FILENO, "ls: %s: %s\n", path, strerror(errno));
		status = 1;
	}
	closedir(d);
	for (unsigned i = 1; i < n; i++)        /* insertion sort: directories are small */
		for (unsigned j = i; j > 0 && names_compare(names[j - 1], names[j]) > 0; j--) {
			char *t = names[j];
			names[j] = names[j - 1];
			names[j - 1] = t;
		}
	for (unsigned i = 0; i < n; i++) {
		entry_print(path, names[i]);
		free(names[i]);
	}
	free(names);
	return status;
}

int main(int argc, char **argv)
{
	int first = 1;
	for (; first < argc && argv[first][0] == '-' && argv[first][1]; first++)
		for (const char *f = argv[first] + 1; *f; f++) {
			if (*f == 'l') {
				long_form = true;
			} else if (*f == 'a') {
				all = true;
			} else {
				dprintf(STDERR_FILENO, "usage: ls [-l] [-a] [PATH...]\n");
				return 2;
			}
		}
	if (first == argc)
		return list(".");
	int status = 0;
	for (int i = first; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) < 0) {
			dprintf(STDERR_FILENO, "ls: %s: %s\n", argv[i], strerror(errno));
			status = 1;
			continue;
		}
		if (!S_ISDIR(st.st_mode)) {
			entry_print(NULL, argv[i]);
			continue;
		}
		if (argc - first > 1)
			printf("%s%s:\n", i > first ? "\n" : "", argv[i]);
		status |= list(argv[i]);
	}
	return status;
}
