/**
 * @file
 * lab4_bounds.c — lab 4's bounded-work scenario: the longest interrupt-disabled stretch
 * that IPC, timeouts, endpoints and threads let a task cause, in guest instructions.
 *
 * The one thing to know: each operation is set up at its worst (the longest message,
 * hundreds of waiters with deadlines, an endpoint deleted under hundreds of waiters,
 * a hundred threads killed at once) and timed with bounds.h; the grader bounds each
 * figure and irq_off_worst, their maximum. The waiters are threads with no stack: a
 * few instructions that make one ipc call and then exit, so a scenario can have
 * hundreds of them. The tick's cost is measured twice, with no waiter and with all of
 * them, and tick_growth is the difference: it must not grow with the waiters.
 */
#include "bounds.h"

#define WAITERS_MIN     192     /* stackless waiters per phase: the seed says how */
#define WAITERS_MAX     256     /* many, never more than the figures' comments assume */
#define KILLED          100     /* threads killed before one switch */
#define WAITER_PRIO     10      /* below every other thread: they run when all block */

_Static_assert(SYS_ipc == 10 && SYS_thread_exit == 6, "the numbers in bounds_waiter");

/* What the stackless waiters receive with, and what they got. */
unsigned long bounds_waiter_flags;
unsigned long bounds_waiters_timed_out, bounds_waiters_gone;
void bounds_waiter(void);

/* A waiter: ipc(0, rdi, bounds_waiter_flags) as a receive, count the result, exit. It
 * touches no stack: an interrupt or a system call saves its registers in the kernel. */
__asm__(".text\n"
	".globl bounds_waiter\n"
	"bounds_waiter:\n"
	"	movq %rdi, %rsi\n"
	"	movq bounds_waiter_flags(%rip), %rdx\n"
	"	xorl %edi, %edi\n"
	"	xorl %r10d, %r10d\n"
	"	xorl %r8d, %r8d\n"
	"	xorl %r9d, %r9d\n"
	"	movl $10, %eax\n"
	"	syscall\n"
	"	cmpq $-12, %rax\n"
	"	jne 1f\n"
	"	lock incq bounds_waiters_timed_out(%rip)\n"
	"1:	cmpq $-13, %rax\n"
	"	jne 2f\n"
	"	lock incq bounds_waiters_gone(%rip)\n"
	"2:	movl $6, %eax\n"
	"	syscall\n"
	"	ud2\n");

/* Starts a stackless waiter at ep; keeps its capability only if asked. */
static long waiter_start(const struct boot_info_page *bi, long ep, int keep)
{
	long t = sys_thread_create(bi->self_task_slot, WAITER_PRIO);
	UCHECK(t > 0);
	UCHECK_EQ(sys_thread_start(t, (unsigned long)bounds_waiter, 0, (unsigned long)ep), 0);
	if (!keep)
		UCHECK_EQ(sys_cap_delete(t), 0);
	return t;
}

/* Receives messages with capabilities, counts and deletes what arrived, and keeps a
 * digest of the two words (caps_digest). */
static unsigned long caps_arrived, caps_digest;

static void cap_receiver(unsigned long ep)
{
	utcb()->accept_caps = 1;
	for (;;) {
		struct msg m;
		UCHECK_EQ(ipc_receive((long)ep, &m, IPC_TIMEOUT_INFINITE), 0);
		unsigned long untyped = IPC_TAG_UNTYPED(m.tag), typed = IPC_TAG_TYPED(m.tag);
		caps_digest = digest_add(digest_add(DIGEST_START, m.mr0), m.mr1);
		caps_arrived = 0;
		for (unsigned long k = 0; k < typed; k++) {
			unsigned long at = untyped + 2 * k + 1;
			unsigned long slot = at == 1 ? m.mr1 : utcb()->mr[at];
			if (slot) {
				caps_arrived++;
				UCHECK_EQ(sys_cap_delete((long)slot), 0);
			}
		}
	}
}

static void yield_once(unsigned long arg)
{
	(void)arg;
	sys_yield();
}

static void report(const char *name, unsigned long value, unsigned long *worst)
{
	printf("%s=%lu\n", name, value);
	*worst = bounds_max(*worst, value);
}

/* The message's two words and the number of waiters in each phase from the seed. */
UTEST(ipc_bounded_work)
{
	struct challenge c = utest_challenge(bi);
	unsigned long word0 = challenge_next(&c), word1 = challenge_next(&c);
	int timed_waiters = (int)challenge_range(&c, WAITERS_MIN, WAITERS_MAX);
	int gone_waiters = (int)challenge_range(&c, WAITERS_MIN, WAITERS_MAX);
	long nap = sys_endpoint_create(), ep = sys_endpoint_create();
	UCHECK(nap > 0 && ep > 0);
	unsigned long worst = 0, t0;

	/* The longest console write. */
	static char line[DEBUG_WRITE_MAX];
	memset(line, ' ', sizeof(line));
	line[sizeof(line) - 1] = '\n';
	t0 = bounds_clock();
	long n = sys_debug_write(line, sizeof(line));
	report("debug_write_max", bounds_clock() - t0, &worst);
	UCHECK(n == (long)sizeof(line));

	/* The longest message: 2 words and 31 capabilities, to a waiting receiver. */
	utest_spawn(bi, 0, 50, cap_receiver, (unsigned long)ep);
	bounds_sleep(nap, 1);
	struct msg m = { .tag = IPC_TAG(0, 2, 31), .mr0 = word0, .mr1 = word1 };
	for (int k = 0; k < 31; k++) {
		utcb()->mr[2 + 2 * k] = IPC_ITEM_CAP;
		utcb()->mr[3 + 2 * k] = (unsigned long)nap;
	}
	t0 = bounds_clock();
	long r = ipc_send(ep, &m, IPC_TIMEOUT_INFINITE);
	report("ipc_max_message", bounds_clock() - t0, &worst);
	UCHECK_EQ(r, 0);
	bounds_sleep(nap, 1);
	printf("bounds: a message of 2 words (digest %lx) and 31 capabilities: %lu arrived\n",
	       caps_digest, caps_arrived);

	/* The tick, with no waits with deadlines and then with many. */
	unsigned long alone = bounds_spin_worst_gap(12);
	long wep = sys_endpoint_create();
	UCHECK(wep > 0);
	bounds_waiter_flags = IPC_FLAGS(IPC_OP_RECEIVE, 30);
	for (int i = 0; i < timed_waiters; i++)
		waiter_start(bi, wep, 0);
	bounds_sleep(nap, 1);           /* they run, and wait with deadlines */
	unsigned long loaded = bounds_spin_worst_gap(12);
	printf("tick_growth=%lu\n", loaded > alone ? loaded - alone : 0);
	/* All their deadlines fall on one or two ticks while we spin through them. */
	report("tick_expire_worst", bounds_spin_worst_gap(25), &worst);
	bounds_sleep(nap, 25);
	printf("bounds: %d waits with deadlines timed out: %lu\n", timed_waiters,
	       bounds_waiters_timed_out);
	UCHECK_EQ(sys_cap_delete(wep), 0);

	/* An endpoint deleted under many waiters. */
	long dep = sys_endpoint_create();
	UCHECK(dep > 0);
	bounds_waiter_flags = IPC_FLAGS(IPC_OP_RECEIVE, IPC_TIMEOUT_INFINITE);
	for (int i = 0; i < gone_waiters; i++)
		waiter_start(bi, dep, 0);
	bounds_sleep(nap, 1);
	t0 = bounds_clock();
	r = sys_cap_delete(dep);
	report("endpoint_delete", bounds_clock() - t0, &worst);
	UCHECK_EQ(r, 0);
	bounds_sleep(nap, 25);
	printf("bounds: %d waiters of a deleted endpoint woke with E_GONE: %lu\n", gone_waiters,
	       bounds_waiters_gone);

	/* Many threads killed, then one switch. */
	static long killed[KILLED];
	long kep = sys_endpoint_create();
	UCHECK(kep > 0);
	for (int i = 0; i < KILLED; i++)
		killed[i] = waiter_start(bi, kep, 1);
	bounds_sleep(nap, 1);
	unsigned long kill_worst = 0;
	for (int i = 0; i < KILLED; i++) {
		t0 = bounds_clock();
		r = sys_thread_kill(killed[i]);
		kill_worst = bounds_max(kill_worst, bounds_clock() - t0);
		UCHECK_EQ(r, 0);
		UCHECK_EQ(sys_cap_delete(killed[i]), 0);
	}
	report("thread_kill", kill_worst, &worst);
	utest_spawn(bi, 1, PRIO_MAX, yield_once, 0);
	t0 = bounds_clock();
	sys_yield();                    /* to yield_once and back: one switch each way */
	report("thread_switch_after_kills", bounds_clock() - t0, &worst);

	printf("irq_off_worst=%lu\n", worst);
}
