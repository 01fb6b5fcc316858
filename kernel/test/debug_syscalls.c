/**
 * @file
 * debug_syscalls.c — the system calls that need the debug capability: debug_shutdown,
 * debug_clone and debug_stats.
 *
 * The one thing to know: this is test support compiled into every image (like
 * challenge.c), not part of the kernel proper. The system-call table names the three
 * handlers (abi/syscall.h), and each needs the debug capability, which only the root
 * task, the test program, holds (syscall_debug.c makes it). debug_shutdown ends the run
 * with the done line the grader trusts (ktest.c); debug_clone fills an empty task with a
 * copy of the root's program, for the tests of labs 3 to 5, which run before any
 * user-level loader exists; debug_stats reports the kernel's counts, which tests
 * compare before and after to find leaks.
 */
#include <boot_info.h>
#include <cap.h>
#include <elf.h>
#include <frame.h>
#include <kmem.h>
#include <mapdb.h>
#include <sched.h>
#include <space.h>
#include <syscall_handlers.h>
#include <task.h>
#include <thread.h>
#include <user_access.h>
#include <abi/debug.h>
#include <abi/error.h>
#include <arch/x86_64/cpu_local.h>
#include <arch/x86_64/layout.h>
#include <arch/x86_64/paging.h>
#include <test/ktest.h>

/* E_OK if the caller's slot holds the debug capability, else why not. */
static int debug_allowed(long slot)
{
	int err = E_OK;
	cap_lookup(cpu.current->task, slot, CAP_DEBUG, RIGHT_CONTROL, &err);
	return err;
}

long sys_debug_shutdown(const struct syscall_args *a)
{
	int err = debug_allowed((long)a->a0);
	if (err != E_OK)
		return err;
	ktest_user_finished((long)a->a1);
}

/*
 * The copy is one kernel entry, about 190,000 instructions for utest.elf, and its pages
 * are the kernel's (uncharged, freed with the task), which is why only the debug
 * capability's holder may ask for it. Module 0 is the root's program (root.c); the
 * frame allocator never hands out a module's frames, so it is still intact.
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
	const struct boot_module *image = &boot_info.modules[0];
	uint64_t entry;         /* a page already where the image goes: E_EXISTS */
	const char *why;
	return elf_load(task, P2V(image->start), image->end - image->start, &entry, &why);
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
		.free_frames = frame_free_count(), .pool_frames = kmem_frames_taken,
		.objects = kmem_objects_alive, .mappings = mapdb_count(),
		.live_threads = sched_live_threads, .kstack_tables = kstack_tables(),
		.io_bitmap_frames = space_io_bitmap_frames,
		.account_used = cpu.current->task->kmem_used,
		.account_limit = cpu.current->task->kmem_limit,
		.tasks = task_count,
	};
	return copy_to_user(a->a1, &s, sizeof(s));
}
