/**
 * @file
 * console.h — the console server's protocol (lab 7) and its client stubs.
 *
 * The one thing to know: the console is a character device behind one endpoint,
 * registered with names as "console". Bytes travel in message registers, packed
 * little-endian 8 to a word (byte i in word 1 + i / 8 of the message, bits
 * 8 * (i % 8)), at most CONSOLE_CHUNK bytes a message: a character device moves few
 * bytes at a time, and a page shared for each write would cost more than it saves.
 * Every request is a call, and the reply may be deferred: a write waits while the
 * output ring is full, a read until a whole line was typed.
 *
 *   label           untyped words                    reply
 *   CONSOLE_WRITE   MR0 = n, MR1.. = n bytes          MR0 = n (all queued for output)
 *   CONSOLE_READ    MR0 = the most bytes wanted       MR0 = n, MR1.. = n bytes: one line
 *                                                     (with its '\n', if it fits), or
 *                                                     CONSOLE_INTERRUPTED on Ctrl-C
 *   CONSOLE_SYNC    none                              0, once every byte queued so far
 *                                                     has left the UART
 *
 * A request that fails gets its (negative) error in MR0: E_INVAL for a length out of
 * range or the wrong number of words, E_NOSYS for an unknown label. When every worker
 * is busy, a call waits in the endpoint's queue for the first one free.
 */
#ifndef USER_CONSOLE_H
#define USER_CONSOLE_H

#define CONSOLE_WRITE           1ul
#define CONSOLE_READ            2ul
#define CONSOLE_SYNC            3ul
#define CONSOLE_CHUNK           248             /* bytes a message: 31 words after MR0 */
#define CONSOLE_LINE_MAX        248             /* a typed line longer is cut there */
#define CONSOLE_INTERRUPTED     (-4l)           /* a read ended by Ctrl-C */
#define CONSOLE_NAME            "console"

#include <ipc.h>
#include <utcb.h>

/* Byte i of a message's bytes (in MR1 onwards; the caller checked the length). */
static inline char console_byte(const struct msg *m, unsigned long i)
{
	unsigned long w = 1 + i / 8;
	unsigned long word = w == 1 ? m->mr1 : utcb()->mr[w];
	return (char)(word >> (8 * (i % 8)));
}

/* A message of `label` with MR0 = n and the n bytes packed after it (MR2.. in the
 * UTCB, where the send takes them from). */
static inline struct msg console_bytes_msg(unsigned long label, unsigned long n,
					   const char *bytes)
{
	struct msg m = { .tag = IPC_TAG(label, 1 + (n + 7) / 8, 0), .mr0 = n };
	for (unsigned long w = 1; w <= (n + 7) / 8; w++) {
		unsigned long word = 0;
		for (unsigned long i = 0; i < 8 && 8 * (w - 1) + i < n; i++)
			word |= (unsigned long)(unsigned char)bytes[8 * (w - 1) + i] << (8 * i);
		if (w == 1)
			m.mr1 = word;
		else
			utcb()->mr[w] = word;
	}
	return m;
}

/* Writes n bytes, CONSOLE_CHUNK at a time; n, or a negative error. */
long console_write(long console_slot, const char *buf, unsigned long n);
/* Reads one line (at most max bytes, max <= CONSOLE_LINE_MAX); its length, or an
 * error (CONSOLE_INTERRUPTED on Ctrl-C). */
long console_read(long console_slot, char *buf, unsigned long max);
/* Waits until all output so far has been sent. */
long console_sync(long console_slot);

#endif
