/**
 * @file
 * main.c — t7, the process that lab 7's console scenarios spawn: one program, several
 * roles, chosen by argv[1].
 *
 * The one thing to know: t7 is an ordinary process that prints with printf — which,
 * from lab 7 on, goes to the console server — and reads lines with console_read(), so
 * what the grader sees on the serial line went through the console's workers, its
 * core, the line discipline and the UART's interrupts. The seeded values come in argv.
 */
#include <challenge.h>
#include <console.h>
#include <names.h>
#include <process.h>

static unsigned long num(const char *s)
{
	unsigned long n = 0;
	for (; s && *s >= '0' && *s <= '9'; s++)
		n = n * 10 + (unsigned long)(*s - '0');
	return n;
}

static unsigned long hex(const char *s)
{
	unsigned long n = 0;
	for (; s && ((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')); s++)
		n = n * 16 + (unsigned long)(*s <= '9' ? *s - '0' : *s - 'a' + 10);
	return n;
}

/* The console's capability: it may still be starting, so ask names for a while. */
static long console(void)
{
	static long slot;
	long quiet = sys_endpoint_create();
	struct msg m;
	for (int i = 0; i < 100 && slot <= 0; i++) {
		slot = names_lookup((long)proc->names_slot, CONSOLE_NAME);
		if (slot <= 0)
			ipc_receive(quiet, &m, 1);
	}
	sys_cap_delete(quiet);
	if (slot <= 0) {
		printf("t7: no console (%ld)\n", slot);
		exit(1);
	}
	return slot;
}

/* lines N KEY: reads N lines and prints each with its length and its bytes' digest
 * keyed, so a byte lost, added or reordered by the line discipline shows. */
static int lines(unsigned long n, unsigned long key)
{
	long con = console();
	printf("t7: ready for %lu lines\n", n);
	for (unsigned long i = 0; i < n; i++) {
		char buf[CONSOLE_LINE_MAX + 1];
		long len = console_read(con, buf, CONSOLE_LINE_MAX);
		if (len < 0) {
			printf("t7: read %lu -> %ld\n", i, len);
			continue;
		}
		uint64_t h = digest_add(DIGEST_START, key);
		for (long j = 0; j < len; j++)
			h = digest_add(h, (unsigned char)buf[j]);
		buf[len > 0 && buf[len - 1] == '\n' ? len - 1 : len] = 0;
		printf("t7: line %lu: %ld bytes, digest %lx: [%s]\n", i, len, h, buf);
	}
	return 0;
}

/* busy TICKS N KEY: spins first, so what is typed meanwhile waits in the console. */
static int busy(unsigned long ticks, unsigned long n, unsigned long key)
{
	printf("t7: busy for %lu ticks; type now\n", ticks);
	unsigned long until = (unsigned long)sys_debug_clock() + ticks * 1000000ul;
	while ((unsigned long)sys_debug_clock() < until)
		;
	printf("t7: done being busy\n");
	return lines(n, key);
}

/* burst BYTES KEY: BYTES bytes of lines, each its number and a seeded word, then the
 * digest of all the words. */
static int burst(unsigned long bytes, unsigned long key)
{
	uint64_t h = DIGEST_START, x = key;
	unsigned long sent = 0, count = 0;
	while (sent < bytes) {
		x = x * 6364136223846793005ul + 1442695040888963407ul;
		h = digest_add(h, x);
		int n = printf("b %lu %016lx\n", count++, x);
		if (n < 0) {
			printf("t7: a write failed: %d\n", n);
			return 1;
		}
		sent += (unsigned long)n;
	}
	printf("t7: burst of %lu lines, %lu bytes, digest %lx\n", count, sent, h);
	return 0;
}

/* interrupt KEY: a read that Ctrl-C ends, then a line read normally. */
static int interrupt(unsigned long key)
{
	long con = console();
	char buf[CONSOLE_LINE_MAX];
	printf("t7: reading until Ctrl-C\n");
	long r = console_read(con, buf, sizeof(buf));
	printf("t7: the read ended with %ld\n", r);
	return lines(1, key);
}

int main(int argc, char **argv)
{
	const char *role = argc > 1 ? argv[1] : "";
	console();      /* before the first printf, which looks it up once (start.c) */
	if (strcmp(role, "lines") == 0 && argc == 4)
		return lines(num(argv[2]), hex(argv[3]));
	if (strcmp(role, "busy") == 0 && argc == 5)
		return busy(num(argv[2]), num(argv[3]), hex(argv[4]));
	if (strcmp(role, "burst") == 0 && argc == 4)
		return burst(num(argv[2]), hex(argv[3]));
	if (strcmp(role, "interrupt") == 0 && argc == 3)
		return interrupt(hex(argv[2]));
	if (strcmp(role, "sync") == 0)
		return console_sync(console()) == 0 ? 0 : 1;
	printf("t7: no such role '%s'\n", role);
	return 2;
}
