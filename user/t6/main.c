/**
 * @file
 * main.c — t6, the process that lab 6's scenarios spawn: one program, many roles,
 * chosen by argv[1].
 *
 * The one thing to know: this is an ordinary process (process.h), loaded from the
 * bootfs by the process manager, so everything it does goes through the mechanisms
 * under test — its pages arrive by faults, its children are spawned on its own account,
 * its exit status travels back through wait. Each role prints what it did, so the
 * scenario that spawned it (user/tests/lab6_proc.c) and the grader can check it.
 */
#include <challenge.h>
#include <malloc.h>
#include <names.h>
#include <process.h>
#include <stdlib.h>

static char thread_stack[8192] __attribute__((aligned(16)));
/* In the data segment, with a value from the file: each instance has its own copy. */
static unsigned long mark = 0x5eed5eedul;

/* A number from a decimal (num) or hexadecimal (hex) argument; 0 for garbage. */
static unsigned long num(const char *s)
{
	return s ? strtoul(s, NULL, 10) : 0;
}

static unsigned long hex(const char *s)
{
	return s ? strtoul(s, NULL, 16) : 0;
}

/* argv[2], or "-": the seeded word a role prints. */
static const char *word_of(char **argv)
{
	return argv[1] && argv[2] ? argv[2] : "-";
}

/* Where odd.ld put the data segment and where the image ends (bin/t6-odd); 0 in bin/t6. */
extern char t6_data_start[] __attribute__((weak));
extern char t6_image_end[] __attribute__((weak));
/* A `ret`, in the constants: a process must not be able to run it. */
static const unsigned char ret_insn[] = { 0xc3 };

/* layout W: bin/t6-odd looks at its own segments, which start mid-page: the file's
 * bytes where they belong, zeroes around them up to the last byte of the image's last
 * page, and that byte writable. Its status: 0 if all is as it must be. */
static int layout(unsigned long w)
{
	if (!t6_data_start || !t6_image_end)
		return 1;
	const char *page = (const char *)((unsigned long)t6_data_start & ~0xffful);
	unsigned long before = 0, after = 0;
	for (const char *b = page; b < t6_data_start; b++)
		before += *b != 0;
	volatile char *last = (volatile char *)(((unsigned long)t6_image_end + 0xfff) & ~0xffful) - 1;
	for (const volatile char *b = t6_image_end; b <= last; b++)
		after += *b != 0;
	char was = *last;
	*last = (char)w;
	printf("t6: pid %lu, data at page offset %lx: mark %lx, a constant %02x; nonzero bytes "
	       "before the data %lu, after the image %lu; the image's last byte %d, then %02x\n",
	       proc->pid, (unsigned long)t6_data_start & 0xfff, mark, ret_insn[0], before, after,
	       was, (unsigned char)*last);
	return before || after || was || mark != 0x5eed5eedul || (unsigned char)*last != (w & 0xff);
}

static _Noreturn void block_for_ever(void)
{
	long never = sys_endpoint_create();
	struct msg m;
	for (;;)
		ipc_receive(never, &m, IPC_TIMEOUT_INFINITE);
}

/* tree D W Q: a node of a spawn tree of depth D, W children each, quota Q pages;
 * returns the number of nodes below and including it. */
static int tree(unsigned long depth, unsigned long width, unsigned long quota)
{
	if (depth == 0)
		return 1;
	char d[24], w[24], q[24];
	snprintf(d, sizeof(d), "%lu", depth - 1);
	snprintf(w, sizeof(w), "%lu", width);
	unsigned long child_quota = (quota - 24) / width - TASK_FIXED_COST_PAGES;
	snprintf(q, sizeof(q), "%lu", child_quota);
	const char *argv[] = { "bin/t6", "tree", d, w, q, NULL };
	long pids[8];
	int nodes = 1;
	for (unsigned long i = 0; i < width && i < 8; i++) {
		pids[i] = pm_spawn(proc->pm_slot, argv, child_quota, NULL, NULL, 0);
		if (pids[i] < 0) {
			printf("t6: tree: spawn failed: %ld\n", pids[i]);
			return 0;
		}
	}
	for (unsigned long i = 0; i < width && i < 8; i++) {
		long status = wait(pids[i]);
		nodes += status > 0 ? (int)status : 0;
	}
	return nodes;
}

/* The second thread of block-fault: touches a page its pager never answers for. */
static void touch(unsigned long addr)
{
	(void)*(volatile unsigned long *)addr;
	printf("t6: the fault was answered (must not appear)\n");
	sys_thread_exit();
}

/* deep-thread: a thread started by thread_spawn that uses 24 KiB of its stack, which
 * nothing touched before: each page is a fault the pm must serve (thread.h). */
static char deep_stack[32768] __attribute__((aligned(4096)));
static long deep_reply;

static unsigned long deep(unsigned level)
{
	volatile unsigned char frame[1024];
	for (unsigned i = 0; i < sizeof(frame); i += 64)
		frame[i] = (unsigned char)(level + i);
	unsigned long below = level ? deep(level - 1) : 0;
	return below + frame[64] + level;
}

static void deep_thread(unsigned long levels)
{
	struct msg m = { .tag = IPC_TAG(0, 1, 0), .mr0 = deep((unsigned)levels) };
	ipc_send(deep_reply, &m, IPC_TIMEOUT_INFINITE);
}

int main(int argc, char **argv)
{
	const char *role = argc > 1 ? argv[1] : "";
	if (strcmp(role, "exit") == 0)
		return (int)num(argc > 2 ? argv[2] : "0");
	if (strcmp(role, "argv") == 0) {
		unsigned long h = DIGEST_START;
		for (int i = 0; i < argc; i++) {
			for (const char *c = argv[i]; *c; c++)
				h = digest_add(h, (unsigned char)*c);
			printf("t6: argv[%d] = %s\n", i, argv[i]);
		}
		printf("t6: pid %lu, %d arguments, digest %lx\n", proc->pid, argc, h);
		return (int)(h & 0xff);
	}
	if (strcmp(role, "deep-thread") == 0) {
		deep_reply = sys_endpoint_create();
		struct msg m;
		long t = thread_spawn(proc->task_slot, PROC_PRIO, deep_thread, 24, deep_stack,
				      sizeof(deep_stack));
		long r = t < 0 ? t : ipc_receive(deep_reply, &m, 100);
		unsigned long want = 0;
		for (unsigned l = 0; l <= 24; l++)
			want += (unsigned char)(l + 64) + l;
		printf("t6: a thread used 24 KiB of its stack -> %ld: %s\n", r,
		       r == 0 && m.mr0 == want ? "it ran to the end" : "it did not");
		return 0;
	}
	if (strcmp(role, "tree") == 0 && argc > 4)
		return tree(num(argv[2]), num(argv[3]), num(argv[4]));
	/* The roles that block print the word they were given (argv[3]): a transcript of
	 * another boot does not have it. */
	const char *word = argc > 3 ? argv[3] : "-";
	if (strcmp(role, "spin") == 0) {
		printf("t6: pid %lu spins (%s)\n", proc->pid, word);
		for (;;)
			__asm__ volatile("pause");
	}
	if (strcmp(role, "block-ipc") == 0) {
		long ep = sys_endpoint_create();
		struct msg m = { .tag = IPC_TAG(0, 0, 0) };
		printf("t6: pid %lu blocks in a call nobody answers (%s)\n", proc->pid, word);
		ipc_call(ep, &m);
		printf("t6: the call returned (must not appear)\n");
		return 1;
	}
	if (strcmp(role, "block-fault") == 0 && argc > 2) {
		/* Its own endpoint is the second thread's pager; nobody receives there. */
		long ep = sys_endpoint_create();
		long pager = sys_cap_copy(proc->task_slot, ep, RIGHT_SEND, 1);
		long t = sys_thread_create(proc->task_slot, PROC_PRIO);
		if (ep < 0 || pager < 0 || t < 0 || sys_thread_handlers(t, pager, 0) != 0 ||
		    thread_start_on(t, touch, num(argv[2]) << 12, thread_stack,
				    sizeof(thread_stack)) != 0)
			return 2;
		sys_yield();
		printf("t6: pid %lu has a thread blocked in a page fault (%s)\n", proc->pid, word);
		block_for_ever();
	}
	if (strcmp(role, "spawn-block") == 0) {
		const char *child[] = { "bin/t6", "block-ipc", "-", word, NULL };
		long pid = spawn(child, NULL, NULL, 0);
		printf("t6: pid %lu spawned %ld and blocks (%s)\n", proc->pid, pid, word);
		block_for_ever();
	}
	if (strcmp(role, "bomb") == 0) {
		const char *self[] = { "bin/t6", "bomb", NULL };
		while (pm_spawn(proc->pm_slot, self, 40, NULL, NULL, 0) > 0)
			;
		block_for_ever();
	}
	if (strcmp(role, "heap") == 0 && argc > 3) {
		/* n blocks of seeded sizes, each filled with its index; every other one
		 * freed, the rest grown by realloc; then every byte checked. */
		unsigned long n = num(argv[2]), x = num(argv[3]) | 1, bad = 0;
		static unsigned char *blocks[256];
		static size_t sizes[256];
		for (unsigned long i = 0; i < n && i < 256; i++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			sizes[i] = 1 + x % 9000;
			blocks[i] = malloc(sizes[i]);
			if (!blocks[i])
				return 254;
			memset(blocks[i], (int)i, sizes[i]);
		}
		for (unsigned long i = 0; i < n && i < 256; i += 2)
			free(blocks[i]);
		for (unsigned long i = 1; i < n && i < 256; i += 2) {
			blocks[i] = realloc(blocks[i], sizes[i] * 2);
			for (size_t k = 0; blocks[i] && k < sizes[i]; k++)
				bad += blocks[i][k] != (unsigned char)i;
			free(blocks[i]);
		}
		struct malloc_stats st = { 0 };
		int sound = malloc_check(&st) == 0;
		printf("t6: heap: %lu blocks of sizes from %s, %lu bad bytes, the heap %s, %lu used "
		       "blocks left\n", n, argv[3], bad, sound ? "is sound" : "is broken",
		       (unsigned long)st.used_blocks);
		return (int)(bad ? 1 : 0);
	}
	if (strcmp(role, "serve") == 0 && argc > 3) {
		/* Registers an endpoint of its own as argv[2] and answers every call with
		 * the word XORed with its key (argv[3], hex). */
		unsigned long key = hex(argv[3]);
		long ep = sys_endpoint_create();
		long r = names_register(proc->names_slot, argv[2], ep);
		printf("t6: pid %lu registers %s -> %ld\n", proc->pid, argv[2], r);
		struct msg m;
		long got = ipc_receive(ep, &m, IPC_TIMEOUT_INFINITE);
		for (;;) {
			m = (struct msg){ .tag = IPC_TAG(0, 1, 0), .mr0 = got == 0 ? m.mr0 ^ key : 0 };
			got = ipc_reply_receive(ep, &m);
		}
	}
	if (strcmp(role, "lookup") == 0 && argc > 3) {
		long slot = names_lookup(proc->names_slot, argv[2]);
		if (slot < 0) {
			printf("t6: pid %lu looks up %s -> %ld\n", proc->pid, argv[2], slot);
			return 1;
		}
		struct msg m = { .tag = IPC_TAG(0, 1, 0), .mr0 = hex(argv[3]) };
		long r = ipc_call(slot, &m);
		printf("t6: pid %lu looks up %s and calls it: %ld, answer %lx\n", proc->pid, argv[2],
		       r, m.mr0);
		return r == 0 ? 0 : 2;
	}
	if (strcmp(role, "mark") == 0 && argc > 2) {
		unsigned long w = hex(argv[2]);
		printf("t6: pid %lu: mark was %lx, now %lx\n", proc->pid, mark, w);
		mark = w;
		long quiet = sys_endpoint_create();
		struct msg m;
		ipc_receive(quiet, &m, 3);      /* the other instance runs meanwhile */
		printf("t6: pid %lu: mark is still %lx\n", proc->pid, mark);
		return 0;
	}
	if (strcmp(role, "hog") == 0) {
		/* Touches one heap page after another, past what a process may hold. */
		printf("t6: pid %lu touches its heap page by page (%s)\n", proc->pid, word_of(argv));
		for (unsigned long va = proc->heap_base;; va += 4096)
			*(volatile unsigned long *)va = va;
	}
	if (strcmp(role, "fault") == 0) {
		printf("t6: pid %lu writes to its code (%s)\n", proc->pid, argc > 2 ? argv[2] : "-");
		*(volatile unsigned long *)main = 0;    /* its code is read-only */
		printf("t6: wrote to its code (must not appear)\n");
		return 3;
	}
	if (strcmp(role, "layout") == 0 && argc > 2)
		return layout(hex(argv[2]));
	if (strcmp(role, "past-image") == 0) {
		/* The page between the image and the heap belongs to no region. */
		unsigned long va = proc->heap_base - 4096;
		printf("t6: pid %lu reads the page past its image (%s)\n", proc->pid, word_of(argv));
		(void)*(volatile unsigned long *)va;
		printf("t6: read past its image (must not appear)\n");
		return 3;
	}
	if (strcmp(role, "exec") == 0 && argc > 2) {
		/* Code from the constants, or from the heap: neither region may run. */
		int heap = strcmp(argv[2], "heap") == 0;
		void (*f)(void) = (void (*)(void))(unsigned long)(heap ? (const unsigned char *)
								    proc->heap_base : ret_insn);
		if (heap)
			*(volatile unsigned char *)proc->heap_base = 0xc3;
		printf("t6: pid %lu calls a ret in its %s\n", proc->pid, heap ? "heap" : "constants");
		f();
		printf("t6: ran code from its %s (must not appear)\n", argv[2]);
		return 3;
	}
	printf("t6: unknown role '%s'\n", role);
	return 255;
}
