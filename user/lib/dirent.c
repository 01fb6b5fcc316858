/**
 * @file
 * dirent.c — opendir, readdir, closedir: a directory's records, a page at a time.
 *
 * The one thing to know: the stub (fs_readdir) has already checked that every record
 * of a page lies inside it and ends its name with a NUL, so readdir walks the page by
 * reclen alone; the cookie the server gave says where the next page starts.
 */
#include <stdbool.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <string.h>
#include <unistd.h>
#include "libc.h"

struct dir {
	int fd;                         /* a descriptor, so the handle is checked as any */
	uint64_t cookie;
	unsigned long len, off;         /* records in buf, and the next one's offset */
	bool end;
	struct dirent entry;
	char buf[FS_IO_MAX];
};

DIR *opendir(const char *path)
{
	DIR *d = malloc(sizeof(*d));
	if (!d) {
		errno = ENOMEM;
		return NULL;
	}
	d->fd = open(path, O_RDONLY | O_DIRECTORY);
	if (d->fd < 0) {
		free(d);
		return NULL;
	}
	d->cookie = 0;
	d->len = d->off = 0;
	d->end = false;
	return d;
}

struct dirent *readdir(DIR *d)
{
	if (d->off >= d->len) {
		if (d->end)
			return NULL;
		long h = libc_fd_handle(d->fd);
		if (h < 0) {
			libc_fail(h);
			return NULL;
		}
		long r = libc_fs_error(fs_readdir(libc_fs(), h, &d->cookie, d->buf, sizeof(d->buf)));
		if (r <= 0) {
			d->end = true;
			if (r < 0)
				libc_fail(r);
			return NULL;
		}
		d->len = (unsigned long)r;
		d->off = 0;
	}
	struct fs_dirent rec;
	memcpy(&rec, d->buf + d->off, sizeof(rec));
	d->entry.d_ino = rec.ino;
	d->entry.d_type = rec.type;
	memcpy(d->entry.d_name, d->buf + d->off + sizeof(rec), rec.namelen);
	d->entry.d_name[rec.namelen] = 0;
	d->off += rec.reclen;
	return &d->entry;
}

int closedir(DIR *d)
{
	int r = close(d->fd);
	free(d);
	return r;
}
