/**
 * @file
 * file.c — calls on paths (stat, mkdir, unlink, rmdir, rename, sync) and the working
 * directory the libc keeps for them.
 *
 * The one thing to know: the server takes only absolute paths, so every path is made
 * absolute here and "." and ".." are taken out by their spelling ("/a/b/.." is
 * "/a"), as a shell's cd does; with no symbolic links on minim's disks that is what
 * the disk's own ".." entries would say, and a path never grows with each cd.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <abi/error.h>
#include "libc.h"

static char cwd[FS_PATH_MAX + 1] = "/";

/* Appends the components of s to out[0..*len) (no trailing '/'; "" is the root). */
static long path_walk(const char *s, char *out, size_t *len)
{
	while (*s) {
		while (*s == '/')
			s++;
		const char *e = s;
		while (*e && *e != '/')
			e++;
		size_t n = (size_t)(e - s);
		if (n == 0 || (n == 1 && s[0] == '.')) {
			/* nothing: "//" or "." */
		} else if (n == 2 && s[0] == '.' && s[1] == '.') {
			while (*len > 0 && out[*len - 1] != '/')
				(*len)--;
			if (*len > 0)
				(*len)--;
		} else {
			if (*len + 1 + n > FS_PATH_MAX)
				return E_NAMETOOLONG;
			out[(*len)++] = '/';
			memcpy(out + *len, s, n);
			*len += n;
		}
		s = e;
	}
	return 0;
}

long libc_path(const char *path, char *out)
{
	if (!path || !*path)
		return E_NOENT;
	size_t len = 0;
	long r = path[0] == '/' ? 0 : path_walk(cwd, out, &len);
	if (r == 0)
		r = path_walk(path, out, &len);
	if (r < 0)
		return r;
	if (len == 0)
		out[len++] = '/';
	out[len] = 0;
	return 0;
}

char *getcwd(char *buf, size_t size)
{
	if (strlen(cwd) + 1 > size) {
		libc_fail(E_TOOLONG);
		return NULL;
	}
	strcpy(buf, cwd);
	return buf;
}

int chdir(const char *path)
{
	char abs[FS_PATH_MAX + 1];
	struct stat st;
	long r = libc_path(path, abs);
	if (r < 0)
		return libc_fail(r);
	if (stat(abs, &st) < 0)
		return -1;
	if (!S_ISDIR(st.st_mode))
		return libc_fail(E_NOTDIR);
	strcpy(cwd, abs);
	return 0;
}

void libc_cwd_init(const char *pwd)
{
	char abs[FS_PATH_MAX + 1];
	if (pwd && pwd[0] == '/' && libc_path(pwd, abs) == 0)
		strcpy(cwd, abs);
}

int stat(const char *path, struct stat *st)
{
	char abs[FS_PATH_MAX + 1];
	long r = libc_path(path, abs);
	if (r < 0)
		return libc_fail(r);
	struct fs_conn *c = libc_fs();
	if (!c)
		return -1;
	struct fs_stat s;
	r = libc_fs_error(fs_stat(c, abs, &s));
	if (r < 0)
		return libc_fail(r);
	*st = (struct stat){ s.ino, s.size, s.mode, s.links, s.blocks, s.mtime, s.ctime };
	return 0;
}

/* A call whose one argument is a path. */
static int path_call(const char *path, long (*stub)(struct fs_conn *, const char *))
{
	char abs[FS_PATH_MAX + 1];
	long r = libc_path(path, abs);
	if (r < 0)
		return libc_fail(r);
	struct fs_conn *c = libc_fs();
	if (!c)
		return -1;
	r = libc_fs_error(stub(c, abs));
	return r < 0 ? libc_fail(r) : 0;
}

int mkdir(const char *path, unsigned mode)
{
	(void)mode;
	return path_call(path, fs_mkdir);
}

int unlink(const char *path)
{
	return path_call(path, fs_unlink);
}

int rmdir(const char *path)
{
	return path_call(path, fs_rmdir);
}

int rename(const char *from, const char *to)
{
	char a[FS_PATH_MAX + 1], b[FS_PATH_MAX + 1];
	long r = libc_path(from, a);
	if (r == 0)
		r = libc_path(to, b);
	if (r < 0)
		return libc_fail(r);
	struct fs_conn *c = libc_fs();
	if (!c)
		return -1;
	r = libc_fs_error(fs_rename(c, a, b));
	return r < 0 ? libc_fail(r) : 0;
}

int sync(void)
{
	struct fs_conn *c = libc_fs();
	if (!c)
		return -1;
	long r = libc_fs_error(fs_sync(c));
	return r < 0 ? libc_fail(r) : 0;
}
