/**
 * @file
 * libc.h — what the libc's own files share: the process's file-server connection,
 * path resolution, errno, and the descriptor table's insides.
 *
 * The one thing to know: no program includes this; it is the libc's, and its
 * functions keep one invariant: a negative minim error goes to errno in exactly one
 * place (libc_fail), so every call's failure is -1 with errno set, as POSIX says.
 */
#ifndef USER_LIBC_H
#define USER_LIBC_H

#include <stdint.h>
#include <fs.h>

/* The process's one connection, made at the first file call (its page at
 * FS_CLIENT_BUF); NULL and errno set (ENOFS when there is no file server). */
struct fs_conn *libc_fs(void);
/* What a stub's error means for the connection: a dead server (E_GONE) or a stale
 * session (E_BADF) drops it, so the next call connects again. Returns err. */
long libc_fs_error(long err);
/* Sets errno from a negative minim error; returns -1. */
int libc_fail(long err);
/* path made absolute against the working directory, "." and ".." taken out, into
 * out (FS_PATH_MAX + 1 bytes); 0, or a negative error. */
long libc_path(const char *path, char *out);
/* The working directory a spawner gave (PWD), if it is an absolute path. */
void libc_cwd_init(const char *pwd);
/* Opens path with flags as descriptor fd (closing what fd was): the start's
 * redirections (start.c). 0, or -1 and errno. */
int libc_open_at(int fd, const char *path, int flags);
/* The server's handle behind descriptor fd; E_BADF unless it is an open file. */
long libc_fd_handle(int fd);
/* printf's bytes: to descriptor 1 (start.c installs it as stdout_write). */
long libc_stdout_write(const char *s, unsigned long len);

#endif
