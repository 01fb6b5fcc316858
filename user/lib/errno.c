/**
 * @file
 * errno.c — errno, and strerror's texts for every error of abi/error.h, fs.h and the
 * libc's own (errno.h).
 *
 * The one thing to know: the table is indexed by the positive number, so a new error
 * is one line here and one in errno.h; a number without a text says so, it never
 * indexes past the table.
 */
#include <errno.h>

int errno;

static const char *const texts[ERRNO_MAX + 1] = {
	[0] = "no error",
	[EINVAL] = "invalid argument",
	[ENOMEM] = "out of memory",
	[EEXIST] = "file exists",
	[ENOENT] = "no such file or directory",
	[ENOSYS] = "not supported",
	[EFAULT] = "bad address",
	[ECAP] = "no such capability",
	[ETYPE] = "wrong kind of object",
	[EPERM] = "permission denied",
	[EBUSY] = "busy (wrong state)",
	[EMFILE] = "too many open files or sessions",
	[ETIMEDOUT] = "timed out",
	[EGONE] = "the server is gone",
	[E2BIG] = "too long",
	[EIO] = "input/output error",
	[ENOTDIR] = "not a directory",
	[EISDIR] = "is a directory",
	[ENOTEMPTY] = "directory not empty",
	[ENOSPC] = "no space left on the disk",
	[EROFS] = "read-only",
	[ENAMETOOLONG] = "name too long",
	[ECORRUPT] = "the file system is damaged",
	[EBADF] = "bad file descriptor",
	[EINTR] = "interrupted",
	[ENOFS] = "no file server",
	[ESPIPE] = "not seekable",
};

const char *strerror(int err)
{
	if (err < 0)
		err = -err;
	return err <= ERRNO_MAX && texts[err] ? texts[err] : "unknown error";
}
