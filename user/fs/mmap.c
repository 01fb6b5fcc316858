/**
 * @file
 * mmap.c — the file server as an external pager: pages of files mapped into clients.
 *
 * The one thing to know: a mapped page is the server's, and so is every mapping of it.
 * FS_MAP fills one of FS_MAP_PAGES pages with 4 KiB of a file (from the block cache;
 * past the end, zeros) and maps it read-only into the client's window. The server
 * takes a page back by unmapping what was derived from it: when the page is reused
 * for another part of a file (the clock again), and when the file is written or cut
 * (so a client's next access faults and sees the new bytes). A client cannot keep a
 * page the server took back, nor make the server fault: it only ever has mappings
 * derived from the server's own.
 */
#include <string.h>
#include <syscall.h>
#include <abi/error.h>
#include <abi/ipc.h>
#include "server.h"

#define FS_MAP_PAGES            64

struct map_page {
	uint32_t ino;                   /* 0: free */
	uint64_t index;                 /* the file's page */
	bool referenced;
};

static struct map_page maps[FS_MAP_PAGES];
static uint8_t map_pool[FS_MAP_PAGES][4096] __attribute__((aligned(4096)));
static unsigned hand;
uint64_t map_fills;

static void map_revoke(unsigned i)
{
	sys_unmap(FPAGE((unsigned long)map_pool[i], 12), 0);    /* the clients' copies */
	maps[i].ino = 0;
}

long map_page_of(uint32_t ino, uint64_t offset, unsigned long *page)
{
	if (offset % 4096)
		return E_INVAL;
	uint64_t index = offset / 4096;
	for (unsigned i = 0; i < FS_MAP_PAGES; i++) {
		if (maps[i].ino == ino && maps[i].index == index) {
			maps[i].referenced = true;
			*page = (unsigned long)map_pool[i];
			return 0;
		}
	}
	unsigned victim = FS_MAP_PAGES;
	for (unsigned step = 0; step < 2 * FS_MAP_PAGES && victim == FS_MAP_PAGES; step++) {
		unsigned i = hand;
		hand = (hand + 1) % FS_MAP_PAGES;
		if (maps[i].ino && maps[i].referenced)
			maps[i].referenced = false;
		else
			victim = i;
	}
	if (victim == FS_MAP_PAGES)
		return E_NOMEM;
	if (maps[victim].ino)
		map_revoke(victim);
	struct ext2_file f = { .ino = ino };
	long n = ext2_inode_read(&fs, ino, &f.in);
	if (n == 0)
		n = ext2_read(&fs, &f, offset, map_pool[victim], 4096);
	if (n < 0)
		return n;
	memset(map_pool[victim] + n, 0, 4096 - (size_t)n);
	maps[victim] = (struct map_page){ ino, index, true };
	map_fills++;
	*page = (unsigned long)map_pool[victim];
	return 0;
}

void map_forget(uint32_t ino)
{
	for (unsigned i = 0; i < FS_MAP_PAGES; i++)
		if (maps[i].ino == ino)
			map_revoke(i);
}
