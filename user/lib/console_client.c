/**
 * @file
 * console_client.c — the console's client stubs (protocol: console.h).
 *
 * The one thing to know: a write longer than CONSOLE_CHUNK is several calls, each
 * answered when its bytes are queued, so the bytes keep their order even when the
 * console defers a reply; nothing here keeps state between calls.
 */
#include <console.h>
#include <string.h>
#include <abi/error.h>

long console_write(long console_slot, const char *buf, unsigned long n)
{
	unsigned long done = 0;
	while (done < n) {
		unsigned long chunk = n - done < CONSOLE_CHUNK ? n - done : CONSOLE_CHUNK;
		struct msg m = console_bytes_msg(CONSOLE_WRITE, chunk, buf + done);
		long r = ipc_call(console_slot, &m);
		if (r < 0)
			return r;
		if ((long)m.mr0 < 0)
			return (long)m.mr0;
		done += chunk;
	}
	return (long)n;
}

long console_read(long console_slot, char *buf, unsigned long max)
{
	if (max == 0 || max > CONSOLE_LINE_MAX)
		return E_INVAL;
	struct msg m = { .tag = IPC_TAG(CONSOLE_READ, 1, 0), .mr0 = max };
	long r = ipc_call(console_slot, &m);
	if (r < 0)
		return r;
	long n = (long)m.mr0;
	if (n < 0)
		return n;
	/* The console's word is checked too: never more than asked, and all there. */
	if ((unsigned long)n > max || IPC_TAG_UNTYPED(m.tag) != 1 + ((unsigned long)n + 7) / 8)
		return E_INVAL;
	for (long i = 0; i < n; i++)
		buf[i] = console_byte(&m, (unsigned long)i);
	return n;
}

long console_sync(long console_slot)
{
	struct msg m = { .tag = IPC_TAG(CONSOLE_SYNC, 0, 0) };
	long r = ipc_call(console_slot, &m);
	return r < 0 ? r : (long)m.mr0;
}
