/**
 * @file
 * block.h — the block server's protocol (lab 7) and its client stubs.
 *
 * The one thing to know: data never travels in message registers. A read or a write
 * carries one map item: the client's page (FPAGE(buffer, 12)), which lands in the
 * server's window for as long as the request lasts — writable for a read, which the
 * server fills; readable is enough for a write. The server answers when the disk has
 * done it, and keeps several requests in flight at once (one per worker thread).
 *
 *   label         untyped words                 item         reply MR0
 *   BLOCK_INFO    none                          none         sectors (MR1: 512)
 *   BLOCK_READ    MR0 = sector, MR1 = count     the page     0 or an error
 *   BLOCK_WRITE   MR0 = sector, MR1 = count     the page     0 or an error
 *   BLOCK_FLUSH   none                          none         0 or an error
 *   BLOCK_STATS   none                          none         the most requests the
 *                                                            device had at once
 *
 * count is 1 to BLOCK_MAX_SECTORS (one page); E_INVAL for a count out of range, a
 * range past the end of the disk, a missing page or one without the rights needed;
 * E_IO when the device reports an error. A write the server acknowledged is on the
 * disk: the server asks the device to flush before it answers (BLOCK_FLUSH is there
 * for clients that want to say so explicitly).
 */
#ifndef USER_BLOCK_H
#define USER_BLOCK_H

#define BLOCK_INFO              1ul
#define BLOCK_READ              2ul
#define BLOCK_WRITE             3ul
#define BLOCK_FLUSH             4ul
#define BLOCK_STATS             5ul
#define BLOCK_SECTOR            512
#define BLOCK_MAX_SECTORS       8       /* a page */
#define BLOCK_NAME              "blk"
#define E_IO                    (-20l)

/*
 * A client's connection: the server's capability, looked up in names, and looked up
 * again when the server has died and the supervisor restarted it (lab 7). A request
 * that fails because the server is gone (E_GONE: the call, or the reply, was lost with
 * it) is sent again to the new one, up to BLOCK_RETRIES times: reads and writes of
 * whole sectors may be repeated without harm.
 */
struct block_conn {
	long names;             /* the client's capability to names */
	long slot;              /* the server's, or 0 until found */
	unsigned long retries;  /* requests sent again so far */
};
#define BLOCK_RETRIES           64
#define BLOCK_LOOKUP_TICKS      200     /* how long to wait for a (re)started server */

/* Finds the server (waiting up to BLOCK_LOOKUP_TICKS for it); 0 or an error. */
long block_connect(struct block_conn *c, long names_slot);
/* The disk's size in sectors, or an error. */
long block_info(struct block_conn *c);
/* Reads count sectors from `sector` into the page at buf (page-aligned). */
long block_read(struct block_conn *c, unsigned long sector, unsigned long count, void *buf);
/* Writes count sectors from the page at buf to `sector`; 0 once they are on the disk. */
long block_write(struct block_conn *c, unsigned long sector, unsigned long count,
		 const void *buf);
long block_flush(struct block_conn *c);
long block_stats(struct block_conn *c);

#endif
