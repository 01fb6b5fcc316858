/**
 * @file
 * unistd.h — descriptors (read, write, lseek, close), paths (unlink, rmdir, rename)
 * and the working directory (getcwd, chdir).
 *
 * The one thing to know: 0, 1 and 2 start as the console (0 reads whole lines through
 * console_read, 1 and 2 write through console_write) unless the spawner redirected
 * them (MINIM_STDIN, MINIM_STDOUT, MINIM_APPEND: proc.h); any other descriptor is a
 * file of the file server, whose position the libc keeps (the server keeps none).
 * Every call returns -1 and sets errno (errno.h) on failure.
 */
#ifndef USER_UNISTD_H
#define USER_UNISTD_H

#include <stddef.h>
#include <stdint.h>

typedef long ssize_t;
typedef int64_t off_t;

#define STDIN_FILENO    0
#define STDOUT_FILENO   1
#define STDERR_FILENO   2
#define FD_MAX          16      /* descriptors a process may hold at once */

#define SEEK_SET        0
#define SEEK_CUR        1
#define SEEK_END        2

/* A console read returns one line (at most CONSOLE_LINE_MAX bytes); a file read the
 * bytes up to the end of the file (0 at the end). */
ssize_t read(int fd, void *buf, size_t n);
ssize_t write(int fd, const void *buf, size_t n);
/* The new position; a console is not seekable (ESPIPE). */
off_t lseek(int fd, off_t offset, int whence);
int close(int fd);
int unlink(const char *path);
int rmdir(const char *path);
int rename(const char *from, const char *to);
/* The working directory ("/" at first, or the spawner's PWD): buf, or NULL (ERANGE
 * is E2BIG here) when it does not fit in size bytes. */
char *getcwd(char *buf, size_t size);
int chdir(const char *path);
/* Writes everything the file server holds back to the disk: 0, or -1 and errno (not
 * POSIX's void sync: a program may want to know). */
int sync(void);

#endif
