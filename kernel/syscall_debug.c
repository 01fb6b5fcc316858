/**
 * @file
 * syscall_debug.c — the debug system calls: console output, the clock, ending a run,
 * the kernel's counts, and a copy of the root's program for the tests of labs 3 to 5.
 *
 * The one thing to know: these exist for tests and early labs; from lab 7 programs
 * print through the console server. Printing and the clock are open to every task;
 * ending the run (and the done line the grader trusts) needs the debug capability,
 * which only the root task gets at boot. debug_write copies the user's bytes into the
 * kernel before printing them, never reading user memory in place.
 */
#include <cap.h>
#include <elf.h>
#include <frame.h>
#include <kmem.h>
#include <mapdb.h>
#include <root.h>
#include <sched.h>
#include <space.h>
#include <syscall_handlers.h>
#include <task.h>
#include <thread.h>
#include <user_access.h>
#include <abi/debug.h>
#include <abi/error.h>
#include <arch/x86_64/cpu.h>
#include <arch/x86_64/serial.h>
#include <arch/x86_64/cpu_local.h>
#include <arch/x86_64/layout.h>
#include <arch/x86_64/paging.h>
#include <test/ktest.h>

/* What a debug capability points at: its address is its identity, nothing more. */
static const char debug_object;

/* E_OK if the caller's slot holds the debug capability, else why not. */
static int debug_allowed(long slot)
{
	int err = E_OK;
	cap_lookup(cpu.current->task, slot, CAP_DEBUG, RIGHT_CONTROL, &err);
	return err;
}

long debug_cap_give(struct task *task)
{
	return cap_insert(task, CAP_DEBUG, (void *)&debug_object, RIGHT_CONTROL, 0);
}

/*
 * Test scaffolding (abi/syscall.h): the copy is one kernel entry, about 190,000
 * instructions for utest.elf, and its pages are the kernel's (uncharged, freed with the
 * task), which is why only the debug capability's holder may ask for it.
 */
long sys_debug_clone(const struct syscall_args *a)
{
	int err = debug_allowed((long)a->a0);
	if (err != E_OK)
		return err;
	struct task *task = cap_lookup(cpu.current->task, (long)a->a1, CAP_TASK, RIGHT_CONTROL,
				       &err);
	if (!task)
		return err;
	uint64_t entry;         /* a page already where the image goes: E_EXISTS */
	const char *why;
	return elf_load(task, boot_image, boot_image_size, &entry, &why);
}

long sys_debug_write(const struct syscall_args *a)
{
	static char buf[DEBUG_WRITE_MAX];      /* one CPU, no preemption in the kernel */
	uint64_t len = a->a1;

	if (len > DEBUG_WRITE_MAX)
		return E_INVAL;
	int err = copy_from_user(buf, a->a0, len);
	if (err != E_OK)
		return err;
	for (uint64_t i = 0; i < len; i++)
		serial_putc(buf[i]);
	return (long)len;
}

long sys_debug_clock(const struct syscall_args *a)
{
	(void)a;
	return (long)rdtsc();
}

/* Page tables the kernel-stack area has needed so far (one per 2 MiB used). */
static uint64_t kstack_tables(void)
{
	uint64_t n = 0;
	for (uint64_t va = KSTACK_AREA; va < KSTACK_AREA + KSTACK_AREA_SIZE; va += LARGE_PAGE_SIZE) {
		pte_t *pde = pt_walk(kernel_pml4, va, 2, false);
		n += pde && (*pde & PTE_PRESENT);
	}
	return n;
}

long sys_debug_stats(const struct syscall_args *a)
{
	int err = debug_allowed((long)a->a0);
	if (err != E_OK)
		return err;
	struct kernel_stats s = {
		.free_frames = frame_free_count(), .pool_frames = kmem_frames(),
		.objects = kmem_objects(), .mappings = mapdb_count(),
		.live_threads = sched_live_threads, .kstack_tables = kstack_tables(),
		.io_bitmap_frames = space_io_bitmap_frames,
		.account_used = cpu.current->task->kmem_used,
		.account_limit = cpu.current->task->kmem_limit,
		.tasks = task_count,
	};
	return copy_to_user(a->a1, &s, sizeof(s));
}

long sys_debug_shutdown(const struct syscall_args *a)
{
	int err = debug_allowed((long)a->a0);
	if (err != E_OK)
		return err;
	ktest_user_finished((long)a->a1);
}
