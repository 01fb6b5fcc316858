/**
 * @file
 * block_client.c — the block server's client stubs (protocol: block.h), and the
 * retry after the server restarted.
 *
 * The one thing to know: the buffer is lent to the server as a map item of its page
 * for the one call; the server unmaps it before it answers, so the page is the
 * client's alone again when the stub returns. E_GONE is the one error that means "ask
 * the new server": every other answer, an error too, is the server's word.
 */
#include <stdbool.h>
#include <stddef.h>
#include <block.h>
#include <ipc.h>
#include <names.h>
#include <syscall.h>
#include <utcb.h>
#include <abi/error.h>

long block_connect(struct block_conn *c, long names_slot)
{
	c->names = names_slot;
	if (c->slot > 0)
		sys_cap_delete(c->slot);
	c->slot = 0;
	long quiet = sys_endpoint_create();
	struct msg m;
	for (unsigned t = 0; t < BLOCK_LOOKUP_TICKS && c->slot <= 0; t++) {
		c->slot = names_lookup(names_slot, BLOCK_NAME);
		if (c->slot <= 0 && quiet > 0)
			ipc_receive(quiet, &m, 1);      /* it may still be starting */
	}
	if (quiet > 0)
		sys_cap_delete(quiet);
	if (c->slot <= 0) {
		long err = c->slot;
		c->slot = 0;
		return err ? err : E_NOENT;
	}
	return 0;
}

/* One request, sent again to a restarted server while the old one is gone. The
 * request's words are rebuilt for each try: a failed call may have changed the UTCB. */
static long request(struct block_conn *c, unsigned long label, unsigned long sector,
		    unsigned long count, const void *buf, unsigned long rights, bool page)
{
	if (page && ((unsigned long)buf & 0xfff))
		return E_INVAL;
	for (unsigned tries = 0;; tries++) {
		struct msg m = { .tag = IPC_TAG(label, page ? 2 : 0, page ? 1 : 0), .mr0 = sector,
				 .mr1 = count };
		utcb()->mr[2] = IPC_MAP_ITEM(IPC_ITEM_MAP, 0, rights);
		utcb()->mr[3] = FPAGE((unsigned long)buf, 12);
		long r = c->slot > 0 ? ipc_call(c->slot, &m) : E_GONE;
		if (r == 0 && (long)m.mr0 != E_GONE)
			return (long)m.mr0;
		if ((r != 0 && r != E_GONE) || tries == BLOCK_RETRIES)
			return r != 0 ? r : E_GONE;
		c->retries++;
		long err = block_connect(c, c->names);
		if (err != 0)
			return err;
	}
}

long block_info(struct block_conn *c)
{
	return request(c, BLOCK_INFO, 0, 0, NULL, 0, false);
}

long block_read(struct block_conn *c, unsigned long sector, unsigned long count, void *buf)
{
	return request(c, BLOCK_READ, sector, count, buf, MAP_WRITE, true);
}

long block_write(struct block_conn *c, unsigned long sector, unsigned long count,
		 const void *buf)
{
	return request(c, BLOCK_WRITE, sector, count, buf, 0, true);
}

long block_flush(struct block_conn *c)
{
	return request(c, BLOCK_FLUSH, 0, 0, NULL, 0, false);
}

long block_stats(struct block_conn *c)
{
	return request(c, BLOCK_STATS, 0, 0, NULL, 0, false);
}
