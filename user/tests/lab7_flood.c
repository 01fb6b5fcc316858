/**
 * @file
 * lab7_flood.c — scenarios for lab 7: a flooding driver cannot stall anyone, and how
 * long an interrupt takes to reach its driver, alone and under a hostile load.
 *
 * The one thing to know: the latency source is the PIT (line 2; the kernel's clock is
 * the local APIC), in mode 0: its output rises, and stays up, when the count it was
 * loaded with runs out, at load time + count * 10^9 / 1,193,182 ns of guest time, and
 * under -icount a guest nanosecond is an instruction, as a TSC tick is. So the driver
 * knows when its interrupt was raised to within a few instructions, and the latency is
 * the TSC when its receive returns minus that. Reloading the PIT lowers the line.
 */
#include <stdbool.h>
#include <ioport.h>
#include <minim.h>
#include <sigma0.h>
#include <thread.h>
#include "utest.h"

#define PIT_DATA        0x40
#define PIT_COMMAND     0x43
#define PIT_MODE0       0x30    /* channel 0, low byte then high byte, mode 0, binary */
#define PIT_LINE        2       /* ISA IRQ 0 arrives on the I/O APIC's pin 2 */
#define PIT_HZ          1193182ul
#define COM2            0x2f8
#define COM2_LINE       3

#define WORK_PRIO       20
#define LOAD_PRIO       10
#define SAMPLES         24
#define LOAD_PAGES      8               /* one map item's most (abi/ipc.h) */
#define LOAD_VA         0x0000320000000000ul
#define LOAD_WINDOW     0x0000330000000000ul
#define TIMEOUT_WAITERS 6

static inline unsigned long tsc(void)
{
	unsigned int lo, hi;
	__asm__ volatile("rdtscp" : "=a"(lo), "=d"(hi) : : "rcx");
	return ((unsigned long)hi << 32) | lo;
}

static long bound_endpoint(const struct boot_info_page *bi, long line, unsigned long badge,
			   long *irq)
{
	*irq = sys_irq_control(bi->irq_control_slot, line);
	long ep = sys_endpoint_create();
	UCHECK(*irq > 0 && ep > 0);
	long badged = sys_cap_copy(bi->self_task_slot, ep, RIGHT_SEND, badge);
	UCHECK(badged > 0 && sys_irq_bind(*irq, badged) == 0);
	return ep;
}

/* --- irq_flood: a driver that acknowledges without serving the device ------------------ */

static struct {
	long irq, ep;
	unsigned long notes;
	volatile bool stop;
	volatile bool done;
	uint64_t h;
} fl;

/* Acks at once and never reads: the line, still asserted, fires again at once. */
static void flooder(unsigned long arg)
{
	(void)arg;
	struct msg m;
	while (!fl.stop && ipc_receive(fl.ep, &m, IPC_TIMEOUT_INFINITE) == 0) {
		fl.notes++;
		sys_irq_ack(fl.irq);
	}
	thread_exit();
}

/* Rounds of arithmetic at the flooder's own priority: the time slices are shared. */
static void worker(unsigned long rounds)
{
	uint64_t h = DIGEST_START;
	for (unsigned long i = 0; i < rounds; i++)
		h = digest_add(h, i * 0x9e3779b97f4a7c15ul);
	fl.h = h;
	fl.done = true;
	thread_exit();
}

UTEST(irq_flood)
{
	struct challenge c = utest_challenge(bi);
	unsigned long rounds = challenge_range(&c, 200000, 400000);
	UCHECK(sigma0_io_ports(bi->sigma0_slot, IO_FPAGE(COM2, 3)) == 8);
	UCHECK(inb(COM2 + 5) != 0xff);
	outb(COM2 + 3, 0x03);
	outb(COM2 + 2, 0x07);
	outb(COM2 + 4, 0x18);           /* loopback */
	outb(COM2 + 1, 0x01);
	fl.ep = bound_endpoint(bi, COM2_LINE, 1, &fl.irq);
	outb(COM2, (uint8_t)challenge_next(&c));        /* never read: the line stays up */
	utest_spawn(bi, 0, WORK_PRIO, flooder, 0);
	utest_spawn(bi, 1, WORK_PRIO, worker, rounds);
	unsigned ticks = 0;
	while (!fl.done && ticks < 400) {
		utest_sleep_ticks(5);
		ticks += 5;
	}
	fl.stop = true;
	UCHECK_EQ(sys_irq_bind(fl.irq, 0), 0);
	(void)inb(COM2);
	printf("flood: the worker beside the flooding driver finished: %s, %lu rounds, "
	       "digest %lx\n", fl.done ? "yes" : "no", rounds, fl.h);
	printf("flood: the driver took more than 1000 interrupts meanwhile: %s\n",
	       fl.notes > 1000 ? "yes" : "no");
}

/* --- irq_latency: device interrupt to driver thread ------------------------------------ */

static struct {
	long irq, ep;
	unsigned long worst, sum, badges, count;
	volatile bool load_on;
	unsigned long load_rounds;
} lt;

/* One sample: load the PIT, wait for its interrupt, return how late we woke. */
static unsigned long latency_sample(unsigned count)
{
	struct msg m;
	outb(PIT_COMMAND, PIT_MODE0);   /* the line drops */
	outb(PIT_DATA, (uint8_t)count);
	outb(PIT_DATA, (uint8_t)(count >> 8));
	unsigned long loaded = tsc();
	long r = ipc_receive(lt.ep, &m, IPC_TIMEOUT_INFINITE);
	unsigned long woke = tsc();
	UCHECK(r == 0 && IPC_TAG_LABEL(m.tag) == IPC_LABEL_NOTIFY);
	lt.badges |= m.badge;
	lt.count++;
	unsigned long due = loaded + count * 1000000000ul / PIT_HZ;
	outb(PIT_COMMAND, PIT_MODE0);   /* lower it before the ack, or it fires again */
	UCHECK_EQ(sys_irq_ack(lt.irq), 0);
	return woke > due ? woke - due : 0;
}

static void sample_run(struct challenge *c, unsigned n)
{
	lt.worst = lt.sum = 0;
	for (unsigned i = 0; i < n; i++) {
		unsigned long late = latency_sample((unsigned)challenge_range(c, 60, 1200));
		lt.sum += late;
		if (late > lt.worst)
			lt.worst = late;
	}
}

/* The hostile load: the longest kernel operations a task can ask for, back to back —
 * a map item of the most pages one message may carry, the unmap of all of them, and
 * waits that all time out on the same tick. */
static void map_receiver(unsigned long ep)
{
	struct msg m;
	utcb()->map_window = FPAGE(LOAD_WINDOW, 15);
	long r = ipc_receive((long)ep, &m, IPC_TIMEOUT_INFINITE);
	for (;;) {
		m = (struct msg){ .tag = IPC_TAG(0, 1, 0), .mr0 = (unsigned long)r };
		r = ipc_reply_receive((long)ep, &m);
	}
}

static void mapper(unsigned long ep)
{
	while (lt.load_on) {
		struct msg m = { .tag = IPC_TAG(0, 0, 1),
				 .mr0 = IPC_MAP_ITEM(IPC_ITEM_MAP, 0, MAP_WRITE),
				 .mr1 = FPAGE(LOAD_VA, 15) };
		ipc_call((long)ep, &m);
		sys_unmap(FPAGE(LOAD_VA, 15), 0);
		lt.load_rounds++;
	}
	thread_exit();
}

static void timeouts(unsigned long arg)
{
	(void)arg;
	long quiet = sys_endpoint_create();
	struct msg m;
	while (lt.load_on)
		ipc_receive(quiet, &m, 1);
	thread_exit();
}

UTEST(irq_latency)
{
	struct challenge c = utest_challenge(bi);
	UCHECK(sigma0_io_ports(bi->sigma0_slot, IO_FPAGE(PIT_DATA, 2)) == 4);
	unsigned long badge = challenge_next(&c) | 1;
	lt.ep = bound_endpoint(bi, PIT_LINE, badge, &lt.irq);
	outb(PIT_COMMAND, PIT_MODE0);
	sample_run(&c, 4);              /* warm: the pages and paths are touched once */
	sample_run(&c, SAMPLES);
	printf("irq_latency=%lu\n", lt.worst);
	unsigned long quiet_mean = lt.sum / SAMPLES;

	/* The load, below us: it runs whenever we wait for the PIT. */
	for (unsigned long p = 0; p < LOAD_PAGES; p++)
		UCHECK(sigma0_alloc_page(bi->sigma0_slot, LOAD_VA + p * 4096) == 0);
	long ep = sys_endpoint_create();
	UCHECK(ep > 0);
	lt.load_on = true;
	utest_spawn(bi, 0, LOAD_PRIO, map_receiver, (unsigned long)ep);
	utest_spawn(bi, 1, LOAD_PRIO, mapper, (unsigned long)ep);
	for (int i = 0; i < TIMEOUT_WAITERS; i++)
		utest_spawn(bi, 2 + i, LOAD_PRIO, timeouts, 0);
	sample_run(&c, SAMPLES);
	lt.load_on = false;
	printf("irq_latency_hostile=%lu\n", lt.worst);
	printf("latency: quiet mean %lu, under load mean %lu; the load ran %s\n", quiet_mean,
	       lt.sum / SAMPLES, lt.load_rounds > SAMPLES ? "throughout" : "too little");
	printf("latency: %lu interrupts, their badges together %lx\n", lt.count, lt.badges);
}
