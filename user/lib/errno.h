/**
 * @file
 * errno.h — the libc's error numbers: POSIX-style calls return -1 and set errno.
 *
 * The one thing to know: errno is a minim error negated (abi/error.h, fs.h): ENOENT
 * is -E_NOENT, so a stub's result -r is the errno without a table between them.
 * The names beyond minim's own (EINTR, ENOFS, ESPIPE) are the libc's, numbered after
 * the last of fs.h's. One errno for the whole process: a program whose threads make
 * file calls at once must not trust it across them.
 */
#ifndef USER_ERRNO_H
#define USER_ERRNO_H

extern int errno;

#define EINVAL          1       /* E_INVAL */
#define ENOMEM          2       /* E_NOMEM */
#define EEXIST          3       /* E_EXISTS */
#define ENOENT          4       /* E_NOENT */
#define ENOSYS          5       /* E_NOSYS */
#define EFAULT          6       /* E_FAULT */
#define ECAP            7       /* E_CAP */
#define ETYPE           8       /* E_TYPE */
#define EPERM           9       /* E_RIGHTS */
#define EBUSY           10      /* E_STATE */
#define EMFILE          11      /* E_FULL: no slot left (descriptors, sessions, files) */
#define ETIMEDOUT       12      /* E_TIMEOUT */
#define EGONE           13      /* E_GONE: the server died */
#define E2BIG           14      /* E_TOOLONG */
#define EIO             20      /* E_IO */
#define ENOTDIR         21      /* E_NOTDIR */
#define EISDIR          22      /* E_ISDIR */
#define ENOTEMPTY       23      /* E_NOTEMPTY */
#define ENOSPC          24      /* E_NOSPC */
#define EROFS           25      /* E_ROFS */
#define ENAMETOOLONG    26      /* E_NAMETOOLONG */
#define ECORRUPT        27      /* E_CORRUPT */
#define EBADF           28      /* E_BADF: a descriptor (or a session) not open */
#define EINTR           29      /* a console read ended by Ctrl-C */
#define ENOFS           30      /* no file server to connect to */
#define ESPIPE          31      /* lseek on the console */
#define ERRNO_MAX       31

/* A short English text for err (errno, or a negative minim error); "unknown error"
 * for a number that is neither. */
const char *strerror(int err);

#endif
