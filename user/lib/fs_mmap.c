/**
 * @file
 * fs_mmap.c — files mapped into a process, their page faults served by the file server:
 * the region mapper of the L4 tradition, in the libc.
 *
 * The one thing to know: a fault goes to the faulting thread's pager, so a thread that
 * touches a mapped file must have this library's mapper thread as its pager
 * (fs_thread_spawn). The mapper asks the file server (FS_MAP, on a connection of its
 * own, so a thread that faults while it holds the process's connection cannot block
 * it) for a fault inside a mapped range, and passes every other fault on to the
 * process manager, as the kernel would have: either way the page lands in this task
 * and the mapper's empty reply lets the thread go on. Mapped files are read-only: a
 * write to one stops the thread, as a write to any read-only page does.
 */
#include <fs.h>
#include <ipc.h>
#include <process.h>
#include <thread.h>
#include <abi/error.h>

#define MAPPINGS        8
#define MAPPER_WINDOW   (FS_CLIENT_BUF + 0x1000)        /* its connection's page */

struct mapping {
	uintptr_t start, end;           /* end 0: free */
	long handle;
};

static struct mapping maps[MAPPINGS];
static struct fs_conn conn;
static long endpoint;
static char stack[16384] __attribute__((aligned(16)));
static unsigned long faults_served;

/* A fault passed on to the process manager (the pager the thread would have had). */
static void to_pm(unsigned long addr, unsigned long rip, unsigned long access)
{
	struct msg m = { .tag = IPC_TAG(FAULT_PAGE, 3, 0), .mr0 = addr, .mr1 = rip };
	utcb()->mr[2] = access;
	utcb()->map_window = FPAGE(addr & ~0xffful, 12);
	ipc_call((long)proc->pm_slot, &m);
	utcb()->map_window = 0;
}

static void mapper(unsigned long unused)
{
	(void)unused;
	struct msg m;
	long r = ipc_receive(endpoint, &m, IPC_TIMEOUT_INFINITE);
	for (;;) {
		if (r == 0 && IPC_TAG_LABEL(m.tag) == FAULT_PAGE) {
			unsigned long addr = m.mr0, rip = m.mr1, access = utcb()->mr[2];
			const struct mapping *in = NULL;
			for (unsigned i = 0; i < MAPPINGS; i++)
				if (maps[i].end && addr >= maps[i].start && addr < maps[i].end)
					in = &maps[i];
			if (in && access != FAULT_WRITE) {
				uintptr_t page = addr & ~(uintptr_t)0xfff;
				if (fs_map(&conn, in->handle, page - in->start, (void *)page) == 0)
					faults_served++;
			} else if (!in) {
				to_pm(addr, rip, access);
			}
		} else if (r == 0 && IPC_TAG_LABEL(m.tag) == FAULT_EXCEPTION) {
			/* Not ours to judge: the pm ends the process, as for any exception. */
			struct msg e = m;
			ipc_call((long)proc->pm_slot, &e);
		}
		/* The reply is empty: the kernel resumes the thread if the page is there. */
		m = (struct msg){ .tag = IPC_TAG(0, 0, 0) };
		r = r == 0 ? ipc_reply_receive(endpoint, &m) :
			     ipc_receive(endpoint, &m, IPC_TIMEOUT_INFINITE);
	}
}

static long mapper_start(void)
{
	if (endpoint > 0)
		return 0;
	long r = fs_connect(&conn, (long)proc->names_slot, (void *)MAPPER_WINDOW);
	if (r != 0)
		return r;
	endpoint = sys_endpoint_create();
	if (endpoint < 0)
		return endpoint;
	long t = sys_thread_create(proc->task_slot, PROC_PRIO);
	/* Its own faults (its stack, say) go to the pm, as the main thread's do. */
	r = t < 0 ? t : sys_thread_handlers(t, (long)proc->pm_slot, (long)proc->pm_slot);
	if (r == 0)
		r = thread_start_on(t, mapper, 0, stack, sizeof(stack));
	if (t > 0)
		sys_cap_delete(t);
	return r;
}

long fs_mmap(const char *path, void *addr, unsigned long len)
{
	if (((uintptr_t)addr & 0xfff) || len == 0 || (uintptr_t)addr + len < (uintptr_t)addr)
		return E_INVAL;
	long r = mapper_start();
	if (r != 0)
		return r;
	for (unsigned i = 0; i < MAPPINGS; i++) {
		if (maps[i].end)
			continue;
		uint64_t size;
		long h = fs_open(&conn, path, O_RDONLY, &size);
		if (h < 0)
			return h;
		maps[i] = (struct mapping){ (uintptr_t)addr,
					    ((uintptr_t)addr + len + 0xfff) & ~(uintptr_t)0xfff, h };
		return 0;
	}
	return E_FULL;
}

long fs_thread_spawn(void (*fn)(unsigned long), unsigned long arg, void *stack_base,
		     unsigned long size)
{
	long r = mapper_start();
	if (r != 0)
		return r;
	long t = sys_thread_create(proc->task_slot, PROC_PRIO);
	r = t < 0 ? t : sys_thread_handlers(t, endpoint, endpoint);
	if (r == 0)
		r = thread_start_on(t, fn, arg, stack_base, size);
	if (t > 0 && r != 0)
		sys_cap_delete(t);
	return r == 0 ? t : r;
}

unsigned long fs_mmap_faults(void)
{
	return faults_served;
}
