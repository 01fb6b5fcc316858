/**
 * @file
 * dirent.h — reading a directory: opendir, readdir, closedir over FS_READDIR.
 *
 * The one thing to know: readdir returns the entries as the disk has them, "." and
 * ".." too, in the disk's order (sort them yourself); a DIR holds one page of records
 * at a time, fetched again with the server's cookie when it is used up.
 */
#ifndef USER_DIRENT_H
#define USER_DIRENT_H

#include <stdint.h>
#include <fs.h>

#define DT_UNKNOWN      FS_DT_UNKNOWN
#define DT_REG          FS_DT_REG
#define DT_DIR          FS_DT_DIR

struct dirent {
	uint64_t d_ino;
	unsigned char d_type;           /* DT_* */
	char d_name[FS_NAME_MAX + 1];
};

typedef struct dir DIR;

/* NULL and errno on failure (ENOTDIR for a file). */
DIR *opendir(const char *path);
/* The next entry (valid until the next readdir or closedir), or NULL at the end or
 * on an error (errno then not 0: set it to 0 first to tell them apart). */
struct dirent *readdir(DIR *d);
int closedir(DIR *d);

#endif
