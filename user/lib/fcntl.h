/**
 * @file
 * fcntl.h — open(): a file of the file server as a descriptor.
 *
 * The one thing to know: the O_* flags are fs.h's (POSIX's numbers) and go to the
 * server as they are; a relative path is resolved against the process's working
 * directory here, in the libc, since the server takes only absolute paths.
 */
#ifndef USER_FCNTL_H
#define USER_FCNTL_H

#include <fs.h>

/* A descriptor (>= 3 unless 0, 1 or 2 was closed), or -1 and errno. The mode of a
 * created file is the server's (ext2 has no owners here); the argument is ignored. */
int open(const char *path, int flags, ...);

#endif
