/**
 * @file
 * server.h — the file server's own state: sessions, their handles, the open inodes.
 *
 * The one thing to know: the server is one thread. It never waits but at its receive
 * and on the block server, so no request sees another half done and nothing needs a
 * lock; the price is that a request that misses the cache holds up the others while
 * the disk works (a server with workers would need a lock per inode and per block).
 */
#ifndef FS_SERVER_H
#define FS_SERVER_H

#include <stdbool.h>
#include <stdint.h>
#include <fs.h>
#include "ext2.h"

#define FS_SESSIONS             24
#define FS_FILES                64      /* open handles a session may hold */
#define FS_OPEN_INODES          256     /* inodes open at once, in all sessions */
#define FS_BADGE_PUBLIC         (1ul << 63)     /* the capability names hands out */

struct handle {
	uint32_t ino;                   /* 0: free */
	uint8_t access;                 /* O_RDONLY, O_WRONLY, O_RDWR */
	bool dir;
};

struct session {
	uint64_t gen;                   /* badge = gen << 8 | (index + 1); 0: free */
	long token;                     /* the client's endpoint: gone means the client is */
	struct handle handle[FS_FILES];
};

struct opened {
	uint32_t ino, count;            /* count 0: free */
	bool orphan;                    /* its last name went: freed at the last close */
};

extern struct ext2 fs;
extern struct cache cache;
extern struct session sessions[FS_SESSIONS];
extern uint64_t sessions_reaped;

/* session.c */
struct session *session_of(unsigned long badge, uint8_t **page);
long session_open(unsigned long *badge, long token);
void session_end(struct session *s);
unsigned long session_reap(void);
long handle_add(struct session *s, uint32_t ino, uint8_t access, bool dir);
struct handle *handle_of(struct session *s, unsigned long h);
long handle_close(struct session *s, unsigned long h);
/* The inode's last name went: free it now, or at its last close if it is open. */
long inode_unlinked(uint32_t ino);
unsigned open_handles(void);

/* mmap.c: the server's page holding 4 KiB of ino at offset (page-aligned), filled if
 * need be; every mapping of ino's pages taken back (it was written or cut). */
long map_page_of(uint32_t ino, uint64_t offset, unsigned long *page);
void map_forget(uint32_t ino);
extern uint64_t map_fills;

#endif
