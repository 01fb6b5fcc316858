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
#include <block.h>
#include <challenge.h>
#include <console.h>
#include <names.h>
#include <process.h>
#include <stdlib.h>

/* A number from a decimal (num) or hexadecimal (hex) argument; 0 for garbage. */
static unsigned long num(const char *s)
{
	return s ? strtoul(s, NULL, 10) : 0;
}

static unsigned long hex(const char *s)
{
	return s ? strtoul(s, NULL, 16) : 0;
}

/* A server's capability: it may still be starting, so ask names for a while. */
static long server(const char *name)
{
	long slot = 0, quiet = sys_endpoint_create();
	struct msg m;
	for (int i = 0; i < 100 && slot <= 0; i++) {
		slot = names_lookup((long)proc->names_slot, name);
		if (slot <= 0)
			ipc_receive(quiet, &m, 1);
	}
	sys_cap_delete(quiet);
	if (slot <= 0) {
		printf("t7: no %s (%ld)\n", name, slot);
		exit(1);
	}
	return slot;
}

static long console(void)
{
	static long slot;
	if (!slot)
		slot = server(CONSOLE_NAME);
	return slot;
}

/* The disk's pattern, which the grader wrote (grade/lab7.py): word k of sector s. */
static uint64_t pattern(uint64_t key, uint64_t s, uint64_t k)
{
	uint64_t z = (key ^ (s * 64 + k)) + 0x9e3779b97f4a7c15ul;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ul;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebul;
	return z ^ (z >> 31);
}

static uint64_t page[512] __attribute__((aligned(4096)));
static char spin_stack[8192] __attribute__((aligned(16)));
static volatile unsigned long spins;

static void spinner(unsigned long unused)
{
	(void)unused;
	for (;;)
		spins++;
}

/*
 * Guest instructions the software spends on a 4 KiB read through the server. The
 * device's part is not instructions: QEMU does the I/O on the host, in its own time,
 * and a guest that halts meanwhile has its clock jump to the next timer tick. So a
 * spinner below us keeps the CPU busy while the disk works, and what it counted is
 * taken off: the figure is the same whatever the host's disk is like (to within one
 * spinner round per interrupt).
 */
static unsigned long read_cost(struct block_conn *blk)
{
	if (thread_spawn(proc->task_slot, PROC_PRIO - 1, spinner, 0, spin_stack,
			 sizeof(spin_stack)) < 0)
		return 0;
	long quiet = sys_endpoint_create();
	struct msg m;
	unsigned long t0 = (unsigned long)sys_debug_clock(), s0 = spins;
	ipc_receive(quiet, &m, 4);      /* the spinner alone: its cost per round */
	unsigned long per_1000 = 1000 * ((unsigned long)sys_debug_clock() - t0) /
				 (spins - s0 ? spins - s0 : 1);
	unsigned long spent = 0;
	for (unsigned long i = 0; i < 20; i++) {
		t0 = (unsigned long)sys_debug_clock();
		s0 = spins;
		block_read(blk, 8 * i, BLOCK_MAX_SECTORS, page);
		unsigned long t = (unsigned long)sys_debug_clock() - t0;
		unsigned long spun = (spins - s0) * per_1000 / 1000;
		spent += i >= 4 && t > spun ? t - spun : 0;     /* the first four warm up */
	}
	return spent / 16;
}

/* disk KEY SEED READS WRITES: seeded reads checked against the pattern, seeded
 * writes (which the grader finds in the image), and requests that must fail. */
static int disk(uint64_t key, uint64_t seed, unsigned long reads, unsigned long writes)
{
	struct block_conn conn = { 0 }, *blk = &conn;
	if (block_connect(blk, (long)proc->names_slot) != 0) {
		printf("t7: no block server\n");
		return 1;
	}
	long sectors = block_info(blk);
	printf("t7: the disk has %ld sectors\n", sectors);
	if (sectors <= 16)
		return 1;
	struct challenge c = { .state = seed };
	unsigned long bad = 0, total = 0;
	uint64_t h = DIGEST_START;
	for (unsigned long i = 0; i < reads; i++) {
		unsigned long n = challenge_range(&c, 1, BLOCK_MAX_SECTORS);
		unsigned long s = challenge_range(&c, 0, (unsigned long)sectors - n);
		page[0] = 0;     /* present and writable before it is lent */
		long r = block_read(blk, s, n, page);
		for (unsigned long k = 0; k < n * 64; k++) {
			bad += r != 0 || page[k] != pattern(key, s + k / 64, k % 64);
			h = digest_add(h, page[k]);
		}
		total += n;
	}
	printf("t7: %lu reads, %lu sectors, %lu words unlike the pattern, digest %lx\n", reads,
	       total, bad, h);
	printf("blk_read_4k=%lu\n", read_cost(blk));
	for (unsigned long i = 0; i < writes; i++) {
		unsigned long n = challenge_range(&c, 1, BLOCK_MAX_SECTORS);
		unsigned long s = challenge_range(&c, 0, (unsigned long)sectors - n);
		for (unsigned long k = 0; k < n * 64; k++)
			page[k] = challenge_next(&c);
		long r = block_write(blk, s, n, page);
		if (r != 0)
			printf("t7: write %lu of %lu sectors at %lu -> %ld\n", i, n, s, r);
	}
	printf("t7: %lu writes done\n", writes);
	long past = block_read(blk, (unsigned long)sectors, 1, page);
	long across = block_read(blk, (unsigned long)sectors - 2, 4, page);
	long none = block_read(blk, 0, 0, page);
	long many = block_read(blk, 0, BLOCK_MAX_SECTORS + 1, page);
	long huge = block_read(blk, ~0ul - 1, 4, page);
	printf("t7: past the end -> %ld, across it -> %ld, 0 sectors -> %ld, 9 -> %ld, "
	       "at 2^64 - 2 -> %ld\n", past, across, none, many, huge);
	/* A page lent read-only cannot be read into; the server must not even try. */
	struct msg m = { .tag = IPC_TAG(BLOCK_READ, 2, 1), .mr0 = 0, .mr1 = 1 };
	utcb()->mr[2] = IPC_MAP_ITEM(IPC_ITEM_MAP, 0, 0);
	utcb()->mr[3] = FPAGE((unsigned long)page, 12);
	long ro = ipc_call(blk->slot, &m) == 0 ? (long)m.mr0 : -99;
	m = (struct msg){ .tag = IPC_TAG(BLOCK_WRITE, 2, 0), .mr0 = 0, .mr1 = 1 };
	long nopage = ipc_call(blk->slot, &m) == 0 ? (long)m.mr0 : -99;
	m = (struct msg){ .tag = IPC_TAG(77, 0, 0) };
	long label = ipc_call(blk->slot, &m) == 0 ? (long)m.mr0 : -99;
	printf("t7: a read into a read-only page -> %ld, a write with no page -> %ld, "
	       "label 77 -> %ld; flush -> %ld\n", ro, nopage, label, block_flush(blk));
	return 0;
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

/* stream KEY N: writes sectors 0 to N - 1 one after another, each with its own seeded
 * words, while the root kills the block server again and again; each write is sent
 * again until the (restarted) server acknowledges it, and then it must be on the
 * disk. Then everything is read back. */
static int stream(uint64_t key, unsigned long n)
{
	struct block_conn conn = { 0 }, *blk = &conn;
	if (block_connect(blk, (long)proc->names_slot) != 0) {
		printf("t7: no block server\n");
		return 1;
	}
	unsigned long acked = 0, failed = 0, unlike = 0;
	for (unsigned long s = 0; s < n; s++) {
		for (unsigned long k = 0; k < 64; k++)
			page[k] = pattern(key, s, k);
		long r;
		while ((r = block_write(blk, s, 1, page)) == E_GONE)
			;       /* gave up its retries: the server was down that long; again */
		acked += r == 0;
		failed += r != 0;
	}
	printf("t7: stream: %lu sectors written and acknowledged, %lu failed, %lu requests "
	       "sent again\n", acked, failed, blk->retries);
	for (unsigned long s = 0; s < n; s++) {
		page[0] = 0;
		long r;
		while ((r = block_read(blk, s, 1, page)) == E_GONE)
			;
		for (unsigned long k = 0; k < 64; k++)
			unlike += r != 0 || page[k] != pattern(key, s, k);
	}
	printf("t7: stream: read back, %lu words unlike what was written\n", unlike);
	return acked == n && unlike == 0 ? 0 : 3;
}

/* restart TICKS: calls block_info for TICKS ticks while the root kills the server
 * once; the longest call is the time from its death to its successor's answer. */
static int restart(unsigned long ticks)
{
	struct block_conn conn = { 0 }, *blk = &conn;
	if (block_connect(blk, (long)proc->names_slot) != 0)
		return 1;
	unsigned long worst = 0, calls = 0, bad = 0;
	unsigned long until = (unsigned long)sys_debug_clock() + ticks * 1000000ul;
	printf("t7: restart: calling\n");
	while ((unsigned long)sys_debug_clock() < until) {
		unsigned long t0 = (unsigned long)sys_debug_clock();
		bad += block_info(blk) <= 0;
		unsigned long t = (unsigned long)sys_debug_clock() - t0;
		worst = t > worst ? t : worst;
		calls++;
	}
	printf("t7: restart: %lu calls, %lu failed, %lu sent again\n", calls, bad, blk->retries);
	printf("blk_restart=%lu\n", worst);
	return 0;
}

/* pread KEY SEED N: N seeded reads of whole pages, checked against the pattern; with
 * others like it at once, so the server has several requests in flight. */
static int pread(uint64_t key, uint64_t seed, unsigned long n)
{
	struct block_conn conn = { 0 }, *blk = &conn;
	if (block_connect(blk, (long)proc->names_slot) != 0)
		return 1;
	long sectors = block_info(blk);
	struct challenge c = { .state = seed };
	unsigned long bad = 0;
	for (unsigned long i = 0; i < n && sectors > BLOCK_MAX_SECTORS; i++) {
		unsigned long s = challenge_range(&c, 0, (unsigned long)sectors - BLOCK_MAX_SECTORS);
		page[0] = 0;
		long r = block_read(blk, s, BLOCK_MAX_SECTORS, page);
		for (unsigned long k = 0; k < 512; k++)
			bad += r != 0 || page[k] != pattern(key, s + k / 64, k % 64);
	}
	return bad == 0 && sectors > BLOCK_MAX_SECTORS ? 0 : 3;
}

/* stats: what the server says of itself. */
static int stats(void)
{
	struct block_conn conn = { 0 };
	if (block_connect(&conn, (long)proc->names_slot) != 0)
		return 1;
	printf("t7: the most requests in flight at once: %ld\n", block_stats(&conn));
	return 0;
}

int main(int argc, char **argv)
{
	const char *role = argc > 1 ? argv[1] : "";
	if (strcmp(role, "lines") == 0 || strcmp(role, "busy") == 0 ||
	    strcmp(role, "burst") == 0 || strcmp(role, "interrupt") == 0 ||
	    strcmp(role, "sync") == 0)
		console();      /* before the first printf, which looks it up once (start.c) */
	if (strcmp(role, "lines") == 0 && argc == 4)
		return lines(num(argv[2]), hex(argv[3]));
	if (strcmp(role, "busy") == 0 && argc == 5)
		return busy(num(argv[2]), num(argv[3]), hex(argv[4]));
	if (strcmp(role, "burst") == 0 && argc == 4)
		return burst(num(argv[2]), hex(argv[3]));
	if (strcmp(role, "interrupt") == 0 && argc == 3)
		return interrupt(hex(argv[2]));
	if (strcmp(role, "disk") == 0 && argc == 6)
		return disk(hex(argv[2]), hex(argv[3]), num(argv[4]), num(argv[5]));
	if (strcmp(role, "stream") == 0 && argc == 4)
		return stream(hex(argv[2]), num(argv[3]));
	if (strcmp(role, "restart") == 0 && argc == 3)
		return restart(num(argv[2]));
	if (strcmp(role, "pread") == 0 && argc == 5)
		return pread(hex(argv[2]), hex(argv[3]), num(argv[4]));
	if (strcmp(role, "stats") == 0)
		return stats();
	if (strcmp(role, "sync") == 0)
		return console_sync(console()) == 0 ? 0 : 1;
	printf("t7: no such role '%s'\n", role);
	return 2;
}
