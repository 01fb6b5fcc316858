/**
 * @file
 * sys/stat.h — stat, fstat, mkdir: what the file server says of a file.
 *
 * The one thing to know: struct stat is fs.h's struct fs_stat under POSIX names; the
 * mode's type bits are ext2's, which are POSIX's, so S_ISDIR and friends read it as is.
 */
#ifndef USER_SYS_STAT_H
#define USER_SYS_STAT_H

#include <stdint.h>
#include <fs.h>

struct stat {
	uint64_t st_ino;
	uint64_t st_size;
	uint32_t st_mode;
	uint32_t st_nlink;
	uint64_t st_blocks;             /* 512-byte sectors */
	uint32_t st_mtime, st_ctime;    /* seconds since 1970, as the disk says */
};

#define S_IFMT          FS_S_IFMT
#define S_IFREG         FS_S_IFREG
#define S_IFDIR         FS_S_IFDIR
#define S_IFLNK         FS_S_IFLNK
#define S_ISDIR(m)      (((m) & S_IFMT) == S_IFDIR)
#define S_ISREG(m)      (((m) & S_IFMT) == S_IFREG)
#define S_ISLNK(m)      (((m) & S_IFMT) == S_IFLNK)

int stat(const char *path, struct stat *st);
int fstat(int fd, struct stat *st);
/* The mode is the server's (as open's); the argument is ignored. */
int mkdir(const char *path, unsigned mode);

#endif
