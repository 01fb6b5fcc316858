/**
 * @file
 * main.c — the block server (bin/blk): the core that owns the virtqueue, and the
 * workers that hold clients' requests while the disk works.
 *
 * The one thing to know: it is built like the console (user/console/): the core thread
 * owns the device and never blocks — it submits a worker's request and answers at
 * once, and on each interrupt marks the finished requests and signals their workers;
 * each worker holds one client's reply right from the call to the answer, so
 * BLK_WORKERS requests are in flight at once. A client's page lands in the worker's
 * own window for the length of the request, and leaves it (unmap) before the answer:
 * the server keeps nothing of a client's. A write is answered only after the device
 * has also flushed it: an acknowledged write survives a crash of this server.
 */
#include <block.h>
#include <names.h>
#include <process.h>
#include "blk.h"

#define WINDOW_VA       0x0000620000000000ul    /* worker i's client page: + i pages */
#define WORKER_STACK    8192
#define BADGE_IRQ       (1ul << 0)
#define BADGE_WORKER(i) (1ul << (1 + (i)))

static struct vq queue;
static struct request req[BLK_WORKERS];
static long sectors;
static unsigned inflight, most_inflight;        /* requests the device has now; the most */
static long requests, core, wake_ep[BLK_WORKERS], to_core[BLK_WORKERS], wake[BLK_WORKERS];
static char stacks[BLK_WORKERS][WORKER_STACK] __attribute__((aligned(16)));

/* Worker w's request through the device: the core submits it, we wait until done. */
static long disk(unsigned w, uint32_t type, unsigned long sector, unsigned long count)
{
	struct msg m = { .tag = IPC_TAG(0, 3, 0), .mr0 = type, .mr1 = sector };
	utcb()->mr[2] = count;
	if (ipc_call(to_core[w], &m) != 0)
		return E_GONE;
	struct msg note;
	while (!req[w].done)
		ipc_receive(wake_ep[w], &note, IPC_TIMEOUT_INFINITE);
	return *req[w].status == BLK_S_OK ? 0 : E_IO;
}

static struct msg answer(long value)
{
	return (struct msg){ .tag = IPC_TAG(0, 1, 0), .mr0 = (unsigned long)value };
}

/* A read or a write: every word of the request checked before the disk is asked. */
static long transfer(unsigned w, const struct msg *m, bool read)
{
	unsigned long sector = m->mr0, count = m->mr1;
	unsigned long kind = utcb()->mr[2], pages = utcb()->mr[3];
	unsigned long rights = IPC_MAP_RIGHTS_OF(kind);
	if (IPC_TAG_UNTYPED(m->tag) != 2 || IPC_TAG_TYPED(m->tag) != 1 ||
	    IPC_ITEM_KIND(kind) != IPC_ITEM_MAP || pages != 1 || (read && !(rights & MAP_WRITE)))
		return E_INVAL;
	if (count == 0 || count > BLOCK_MAX_SECTORS || sector >= (unsigned long)sectors ||
	    count > (unsigned long)sectors - sector)
		return E_INVAL;
	char *page = (char *)(WINDOW_VA + w * 4096ul);
	if (!read)
		memcpy(req[w].data, page, count * BLOCK_SECTOR);
	long r = disk(w, read ? BLK_T_IN : BLK_T_OUT, sector, count);
	if (r == 0 && read)
		memcpy(page, req[w].data, count * BLOCK_SECTOR);
	if (r == 0 && !read)
		r = disk(w, BLK_T_FLUSH, 0, 0);
	return r;
}

static struct msg serve(unsigned w, const struct msg *m)
{
	switch (IPC_TAG_LABEL(m->tag)) {
	case BLOCK_INFO:
		return (struct msg){ .tag = IPC_TAG(0, 2, 0), .mr0 = (unsigned long)sectors,
				     .mr1 = BLOCK_SECTOR };
	case BLOCK_READ:
		return answer(transfer(w, m, true));
	case BLOCK_WRITE:
		return answer(transfer(w, m, false));
	case BLOCK_STATS:
		return answer(most_inflight);
	case BLOCK_FLUSH:
		return answer(IPC_TAG_TYPED(m->tag) ? E_INVAL : disk(w, BLK_T_FLUSH, 0, 0));
	default:
		return answer(E_NOSYS);
	}
}

static void worker(unsigned long w)
{
	unsigned long window = WINDOW_VA + w * 4096ul;
	struct msg m;
	utcb()->map_window = FPAGE(window, 12);
	long r = ipc_receive(requests, &m, IPC_TIMEOUT_INFINITE);
	for (;;) {
		if (r != 0) {
			r = ipc_receive(requests, &m, IPC_TIMEOUT_INFINITE);
			continue;
		}
		m = serve((unsigned)w, &m);
		sys_unmap(FPAGE(window, 12), UNMAP_SELF);       /* the client's page goes */
		r = ipc_reply_receive(requests, &m);
	}
}

/* The core: submits workers' requests, and finishes them on interrupts. */
static _Noreturn void core_run(long irq)
{
	struct msg m;
	long r = ipc_receive(core, &m, IPC_TIMEOUT_INFINITE);
	for (;;) {
		if (r == 0 && IPC_TAG_LABEL(m.tag) == IPC_LABEL_NOTIFY && m.badge == BADGE_IRQ) {
			(void)*queue.isr;       /* reading it lowers the device's line */
			unsigned done = ring_complete(&queue, req);
			for (unsigned w = 0; w < BLK_WORKERS; w++) {
				if (done & (1u << w)) {
					inflight--;
					sys_endpoint_signal(wake[w]);
				}
			}
			sys_irq_ack(irq);
			r = ipc_receive(core, &m, IPC_TIMEOUT_INFINITE);
			continue;
		}
		unsigned w = BLK_WORKERS;
		for (unsigned i = 0; i < BLK_WORKERS; i++)
			if (r == 0 && m.badge == BADGE_WORKER(i) && IPC_TAG_UNTYPED(m.tag) == 3)
				w = i;
		if (w == BLK_WORKERS) {
			r = ipc_receive(core, &m, IPC_TIMEOUT_INFINITE);
			continue;
		}
		ring_submit(&queue, req, w, (uint32_t)m.mr0, m.mr1, (unsigned)utcb()->mr[2]);
		if (++inflight > most_inflight)
			most_inflight = inflight;
		m = answer(0);
		r = ipc_reply_receive(core, &m);
	}
}

static long badged_copy(long ep, unsigned long badge)
{
	return sys_cap_copy(proc->task_slot, ep, RIGHT_SEND, badge);
}

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	long line = -1;
	if (proc->cap_count < 2) {
		printf("blk: started without sigma0 and an interrupt line: stopping\n");
		return 1;
	}
	long irq = (long)proc->caps[1];
	sectors = virtio_start((long)proc->caps[0], &queue, req, &line);
	if (sectors < 0) {
		printf("blk: no virtio block device to drive (%ld): stopping\n", sectors);
		return 1;
	}
	core = sys_endpoint_create();
	requests = sys_endpoint_create();
	long irq_badged = badged_copy(core, BADGE_IRQ);
	if (core < 0 || requests < 0 || irq_badged < 0 || sys_irq_bind(irq, irq_badged) != 0) {
		printf("blk: cannot bind interrupt line %ld: stopping\n", line);
		return 1;
	}
	for (unsigned w = 0; w < BLK_WORKERS; w++) {
		wake_ep[w] = sys_endpoint_create();
		to_core[w] = badged_copy(core, BADGE_WORKER(w));
		wake[w] = badged_copy(wake_ep[w], 1);
		if (wake_ep[w] < 0 || to_core[w] < 0 || wake[w] < 0 ||
		    thread_spawn(proc->task_slot, PROC_PRIO, worker, w, stacks[w], WORKER_STACK) < 0) {
			printf("blk: cannot start worker %u: stopping\n", w);
			return 1;
		}
	}
	/* Clients lend pages, typed items: the capability they get must carry GRANT. */
	long name = sys_cap_copy(proc->task_slot, requests, RIGHT_SEND | RIGHT_GRANT, 1);
	long r = name < 0 ? name : names_register((long)proc->names_slot, BLOCK_NAME, name);
	if (r != 0) {
		printf("blk: cannot register '%s' (%ld): stopping\n", BLOCK_NAME, r);
		return 1;
	}
	printf("blk: %ld sectors, interrupt line %ld\n", sectors, line);
	core_run(irq);
}
