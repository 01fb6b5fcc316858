/**
 * @file
 * session.c — the file server's sessions: one per client, with its page, its open
 * handles, and the token whose death ends it.
 *
 * The one thing to know: a session is found by the badge of the capability the
 * request came on, and the badge carries a generation: a session that ended and was
 * reused has a new one, so the capability a dead (or disconnected) client held names
 * nothing. Ending a session closes its handles (an unlinked file open nowhere else is
 * freed then), takes the page back from the client (unmap of what was derived from
 * it: the server's own mapping stays) and clears it for the next client.
 */
#include <string.h>
#include <ipc.h>
#include <syscall.h>
#include <abi/error.h>
#include "server.h"

struct session sessions[FS_SESSIONS];
uint64_t sessions_reaped;
static struct opened opened[FS_OPEN_INODES];
static uint8_t pages[FS_SESSIONS][4096] __attribute__((aligned(4096)));
static uint64_t next_gen = 1;

struct session *session_of(unsigned long badge, uint8_t **page)
{
	unsigned long index = (badge & 0xff) - 1;
	if (index >= FS_SESSIONS || sessions[index].gen != badge >> 8 || !sessions[index].gen)
		return NULL;
	*page = pages[index];
	return &sessions[index];
}

long session_open(unsigned long *badge, long token)
{
	for (unsigned i = 0; i < FS_SESSIONS; i++) {
		struct session *s = &sessions[i];
		if (s->gen)
			continue;
		*s = (struct session){ .gen = next_gen++, .token = token };
		/* Touched, so that it is there to map: the pm fills bss on demand. */
		memset(pages[i], 0, sizeof(pages[i]));
		*badge = s->gen << 8 | (i + 1);
		return i;
	}
	return E_FULL;
}

/* An inode whose last name and handle went: its mapped pages first (the number may
 * soon be another file's), then its blocks and itself. */
static long release(uint32_t ino)
{
	map_forget(ino);
	return ext2_release(&fs, ino);
}

static struct opened *opened_find(uint32_t ino)
{
	for (unsigned i = 0; i < FS_OPEN_INODES; i++)
		if (opened[i].count && opened[i].ino == ino)
			return &opened[i];
	return NULL;
}

long handle_add(struct session *s, uint32_t ino, uint8_t access, bool dir)
{
	for (unsigned h = 0; h < FS_FILES; h++) {
		if (s->handle[h].ino)
			continue;
		struct opened *o = opened_find(ino);
		for (unsigned i = 0; !o && i < FS_OPEN_INODES; i++)
			if (!opened[i].count)
				o = &opened[i], *o = (struct opened){ .ino = ino };
		if (!o)
			return E_FULL;
		o->count++;
		s->handle[h] = (struct handle){ ino, access, dir };
		return h;
	}
	return E_FULL;
}

struct handle *handle_of(struct session *s, unsigned long h)
{
	return h < FS_FILES && s->handle[h].ino ? &s->handle[h] : NULL;
}

long handle_close(struct session *s, unsigned long h)
{
	struct handle *hd = handle_of(s, h);
	if (!hd)
		return E_INVAL;
	struct opened *o = opened_find(hd->ino);
	hd->ino = 0;
	if (o && --o->count == 0 && o->orphan)
		return release(o->ino);
	return 0;
}

long inode_unlinked(uint32_t ino)
{
	struct opened *o = opened_find(ino);
	if (o) {
		o->orphan = true;
		return 0;
	}
	return release(ino);
}

unsigned open_handles(void)
{
	unsigned n = 0;
	for (unsigned i = 0; i < FS_SESSIONS; i++)
		for (unsigned h = 0; sessions[i].gen && h < FS_FILES; h++)
			n += sessions[i].handle[h].ino != 0;
	return n;
}

void session_end(struct session *s)
{
	unsigned i = (unsigned)(s - sessions);
	for (unsigned h = 0; h < FS_FILES; h++)
		if (s->handle[h].ino)
			handle_close(s, h);
	sys_unmap(FPAGE((unsigned long)pages[i], 12), 0);
	memset(pages[i], 0, sizeof(pages[i]));
	if (s->token > 0)
		sys_cap_delete(s->token);
	*s = (struct session){ 0 };
}

/* Whether the client behind a token is alive: a send that cannot wait finds its
 * endpoint gone (E_GONE), or nobody receiving there (E_TIMEOUT: alive). */
static bool token_alive(long token)
{
	struct msg m = { .tag = IPC_TAG(0, 0, 0) };
	long r = ipc_send(token, &m, IPC_TIMEOUT_POLL);
	return r == 0 || r == E_TIMEOUT;
}

unsigned long session_reap(void)
{
	unsigned long n = 0;
	for (unsigned i = 0; i < FS_SESSIONS; i++) {
		if (sessions[i].gen && !token_alive(sessions[i].token)) {
			session_end(&sessions[i]);
			n++;
		}
	}
	sessions_reaped += n;
	return n;
}
