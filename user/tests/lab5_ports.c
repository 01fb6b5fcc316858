/**
 * @file
 * lab5_ports.c — scenarios for lab 5: I/O ports passed from task to task, given and
 * moved, and the TSS bitmap that must follow each change at once.
 *
 * The one thing to know: a task's ports live in its bitmap, and the CPU checks the copy
 * in the TSS, loaded on the first #GP after a switch. A change to the bitmap of the
 * task whose copy is loaded must unload it, or the CPU keeps checking the old one, so
 * each scenario passes ports while one side's copy is loaded and uses them at once,
 * with no switch between that would unload it anyway. The ports are the ISA DMA page
 * registers (0x80-0x8f in QEMU's PC: harmless, and a page register keeps what is
 * written, so a thread reads back what it wrote).
 */
#include <ioport.h>
#include <minim.h>
#include <sigma0.h>
#include <thread.h>
#include "utest.h"

#define STACK_SIZE 8192

static char stacks[1][STACK_SIZE] __attribute__((aligned(16)));
static char child_stack[STACK_SIZE] __attribute__((aligned(16)));

/* The page registers whose bit k is 0, for k = 0, 1, 2: the lower half of their block
 * of 2^(k+1) ports. */
static const unsigned char lower_half[3][6] = {
	{ 0x82, 0x8a }, { 0x81, 0x89 }, { 0x81, 0x82, 0x83, 0x89, 0x8a, 0x8b },
};
static const unsigned lower_count[3] = { 2, 2, 6 };

/* A thread in a new task at prio, running fn on the task's copy of endpoint; returns
 * the thread's slot. */
static long start_child(const struct boot_info_page *bi, long prio, long endpoint,
			void (*fn)(unsigned long))
{
	long task = utest_task_clone(bi);
	long there = sys_cap_copy(task, endpoint, RIGHT_SEND | RIGHT_RECEIVE, 0);
	UCHECK(there > 0);
	return utest_spawn_in_task(task, prio, fn, child_stack, STACK_SIZE, (unsigned long)there);
}

/* An I/O item of FPAGE io (moved if `move`), with two words, to ep. */
static long send_ports(long ep, unsigned long io, int move, unsigned long mr0,
		       unsigned long mr1)
{
	struct msg m = { .tag = IPC_TAG(0, 2, 1), .mr0 = mr0, .mr1 = mr1 };
	utcb()->mr[2] = IPC_ITEM_IO | (move ? IPC_ITEM_MOVE : 0);
	utcb()->mr[3] = io;
	return ipc_send(ep, &m, IPC_TIMEOUT_INFINITE);
}

/* Receives an I/O item on ep (MR0, MR1 into *m) and returns how many ports arrived. */
static unsigned long receive_ports(long ep, struct msg *m)
{
	utcb()->map_window = FPAGE(0, 12);      /* non-zero: it accepts; ports need no place */
	UCHECK_EQ(ipc_receive(ep, m, IPC_TIMEOUT_INFINITE), 0);
	return IPC_TAG_TYPED(m->tag) == 1 ? utcb()->mr[3] : 0;
}

/*
 * The root holds a block of 2^(k+1) ports and gives the task the lower half; the task
 * uses a port P there, then takes the next item — the root's whole block of 2^(k+2),
 * of which only the root's half arrives — while its own bitmap is loaded, and at once
 * writes the port Q = P + 2^k it just got, then R = P ^ 2^(k+1), which it was never
 * given. k, P and the byte written: the seed's. MR0: P, Q and R; MR1: the byte.
 */
static void port_taker(unsigned long ep)
{
	struct msg m;
	unsigned long got = receive_ports((long)ep, &m);
	unsigned long p = m.mr0 & 0xff, q = m.mr0 >> 16 & 0xff, r = m.mr0 >> 32 & 0xff;
	unsigned char value = (unsigned char)m.mr1;
	printf("io: the task got %lu port(s)\n", got);
	utest_sleep_ticks(2);           /* the root sends the next item meanwhile */
	outb((uint16_t)p, value);
	printf("io: it writes port %lx, which reads back %x\n", p, inb((uint16_t)p));
	got = receive_ports((long)ep, &m);     /* here, its own bitmap loaded */
	outb((uint16_t)q, value);
	printf("io: then the block: %lu port(s); it writes port %lx\n", got, q);
	printf("io: it writes port %lx, which it was never given\n", r);
	outb((uint16_t)r, value);
	printf("io: port %lx written (must not appear)\n", r);
	sys_thread_exit();
}

UTEST(io_ports_given)
{
	struct challenge c = utest_challenge(bi);
	unsigned long k = challenge_range(&c, 0, 2);
	unsigned long p = lower_half[k][challenge_range(&c, 0, lower_count[k] - 1)];
	unsigned long value = challenge_range(&c, 0, 0xff);
	unsigned long q = p + (1ul << k), r = p ^ (2ul << k);
	unsigned long block = p & ~((2ul << k) - 1);
	printf("io: sigma0 gives the root %ld port(s)\n",
	       sigma0_io_ports(bi->sigma0_slot, IO_FPAGE(block, k + 1)));
	long ep = sys_endpoint_create();
	UCHECK(ep > 0);
	start_child(bi, 50, ep, port_taker);
	UCHECK(sys_thread_priority(bi->self_thread_slot, 40) == 0);    /* it waits for ports */
	printf("io: the root gives it %lu port(s) -> %ld\n", 1ul << k,
	       send_ports(ep, IO_FPAGE(block, k), 0, p | q << 16 | r << 32, value));
	printf("io: and all %lu of their block -> %ld\n", 4ul << k,
	       send_ports(ep, IO_FPAGE(p & ~((4ul << k) - 1), k + 2), 0, 0, 0));
	UCHECK(sys_thread_priority(bi->self_thread_slot, 1) == 0);
	printf("io: root runs on\n");
}

/*
 * A thread of the root uses a port of its block (its bitmap is loaded), moves the
 * block to a task waiting at a lower priority (no switch follows), and uses the port
 * again at once: it must fault. Then the task uses it. The block, the port and the two
 * bytes: the seed's.
 */
static struct {
	unsigned long port, log2, value[2];
	long ep;
} moved;

static void port_receiver(unsigned long ep)
{
	struct msg m;
	unsigned long got = receive_ports((long)ep, &m);
	outb((uint16_t)m.mr0, (unsigned char)m.mr1);
	printf("io: the other task got %lu port(s); port %lx reads back %x\n", got, m.mr0,
	       inb((uint16_t)m.mr0));
	sys_thread_exit();
}

static void port_mover(unsigned long arg)
{
	(void)arg;
	uint16_t port = (uint16_t)moved.port;
	outb(port, (unsigned char)moved.value[0]);
	printf("io: a thread of the root writes port %x, which reads back %x\n", port, inb(port));
	printf("io: it moves its ports to the other task -> %ld\n",
	       send_ports(moved.ep, IO_FPAGE(moved.port & ~((1ul << moved.log2) - 1), moved.log2),
			  1, moved.port, moved.value[1]));
	printf("io: it writes port %x again\n", port);
	outb(port, (unsigned char)moved.value[0]);
	printf("io: port %x written after the move (must not appear)\n", port);
}

UTEST(io_ports_moved)
{
	static const unsigned short dma_pages[] = { 0x81, 0x82, 0x83, 0x87,
						    0x89, 0x8a, 0x8b, 0x8f };
	struct challenge c = utest_challenge(bi);
	moved.port = dma_pages[challenge_range(&c, 0, 7)];
	moved.log2 = challenge_range(&c, 0, 3);
	moved.value[0] = challenge_range(&c, 0, 0xff);
	moved.value[1] = challenge_range(&c, 0, 0xff);
	printf("io: sigma0 gives the root %ld port(s)\n",
	       sigma0_io_ports(bi->sigma0_slot,
			       IO_FPAGE(moved.port & ~((1ul << moved.log2) - 1), moved.log2)));
	moved.ep = sys_endpoint_create();
	UCHECK(moved.ep > 0);
	long receiver = start_child(bi, 50, moved.ep, port_receiver);
	UCHECK(sys_thread_priority(bi->self_thread_slot, 48) == 0);    /* it waits for ports */
	UCHECK(sys_thread_priority(receiver, 30) == 0);        /* below the mover, now */
	UCHECK(thread_spawn(bi->self_task_slot, 45, port_mover, 0, stacks[0], STACK_SIZE) > 0);
	UCHECK(sys_thread_priority(bi->self_thread_slot, 1) == 0);
	printf("io: root runs on\n");
}
