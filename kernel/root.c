/**
 * @file
 * root.c — the root task: boot module 0, loaded, given a stack and a boot-info page.
 *
 * The one thing to know: this is the only place the kernel decides what a user
 * address space contains (with elf.c). The root task starts with capabilities to
 * itself and to its own thread and builds everything else from there. From lab 5, a
 * second module named sigma0 becomes the first pager: it gets all physical memory but
 * the kernel's reserve, the root task a capability to it, and the root's faults go
 * to it. A module named bootfs (any position after 0) is copied read-only into the
 * root task at USER_BOOTFS, for its process manager to load programs from.
 */
#include <boot_info.h>
#include <elf.h>
#include <endpoint.h>
#include <frame.h>
#include <irq.h>
#include <kprintf.h>
#include <root.h>
#include <sched.h>
#include <space.h>
#include <string.h>
#include <task.h>
#include <thread.h>
#include <abi/boot_info_page.h>
#include <abi/error.h>
#include <abi/layout.h>
#include <abi/syscall.h>
#include <arch/x86_64/layout.h>

/* Frames the kernel keeps for itself when sigma0 takes the rest (16 MiB). */
#define KERNEL_RESERVE_MIN 4096
/* The part of that reserve (1 in 8) no task's account can reach. */
#define ROOT_MARGIN_SHARE 8

static void fill_boot_info(struct boot_info_page *page, long task_slot, long thread_slot)
{
	page->magic = BOOT_INFO_MAGIC;
	memcpy(page->cmdline, boot_info.cmdline, sizeof(page->cmdline));
	page->region_count = (uint32_t)boot_info.region_count;
	for (size_t i = 0; i < boot_info.region_count && i < BOOT_INFO_REGIONS; i++) {
		page->regions[i].base = boot_info.regions[i].base;
		page->regions[i].length = boot_info.regions[i].length;
		page->regions[i].type = boot_info.regions[i].type;
	}
	page->module_count = (uint32_t)boot_info.module_count;
	for (size_t i = 0; i < boot_info.module_count && i < BOOT_INFO_MODULES; i++) {
		page->modules[i].start = boot_info.modules[i].start;
		page->modules[i].end = boot_info.modules[i].end;
		memcpy(page->modules[i].name, boot_info.modules[i].name,
		       sizeof(boot_info.modules[i].name));
	}
	page->self_task_slot = (uint32_t)task_slot;
	page->self_thread_slot = (uint32_t)thread_slot;
}

/* A task from boot module `index`, with a stack, a boot-info page and one thread. */
static int load_boot_task(size_t index, struct task **task_out, struct thread **thread_out,
			  struct boot_info_page **page_out)
{
	const struct boot_module *m = &boot_info.modules[index];
	struct task *task = task_create(NULL, TASK_KMEM_DEFAULT);
	struct thread *thread = task ? thread_create(task, PRIO_ROOT) : NULL;
	if (!thread) {
		kprintf("boot: out of memory for module %zu\n", index);
		return E_NOMEM;
	}
	uint64_t entry, info_pa;
	const char *why = "out of memory";
	int err = elf_load(task, P2V(m->start), m->end - m->start, &entry, &why);
	if (err == E_OK)
		err = task_map_fresh(task, USER_STACK_TOP - USER_STACK_PAGES * PAGE_SIZE,
				     USER_STACK_PAGES, PTE_WRITE | pte_nx, NULL);
	if (err == E_OK)
		err = task_map_fresh(task, USER_BOOT_INFO, 1, pte_nx, &info_pa);
	if (err != E_OK) {
		kprintf("boot: cannot load module %zu '%s': %s\n", index, m->name, why);
		return err;
	}
	task->pinned = true;            /* a boot task: the system stands on it */
	long task_slot = cap_insert(task, CAP_TASK, task, RIGHT_CONTROL, 0);
	long thread_slot = cap_insert(task, CAP_THREAD, thread, RIGHT_CONTROL, 0);
	fill_boot_info(P2V(info_pa), task_slot, thread_slot);
	thread->user_frame->rip = entry;        /* thread_start() sets it again */
	*task_out = task;
	*thread_out = thread;
	*page_out = P2V(info_pa);
	return E_OK;
}

/*
 * Hands sigma0 all free frames but a reserve for the kernel's own objects, and tells
 * it which in its boot-info page. Frames come off the allocator's free list from the
 * top of memory down, so they form a few long ranges.
 */
static uint64_t give_memory_to_sigma0(struct task *sigma0, struct boot_info_page *page)
{
	size_t reserve = frame_free_count() / 4;
	if (reserve < KERNEL_RESERVE_MIN)
		reserve = KERNEL_RESERVE_MIN;
	uint64_t given = 0, above_4g = 0;       /* frames sigma0 cannot name: kept aside */
	while (frame_free_count() > reserve) {
		uint64_t pa = frame_alloc();
		if (pa >= (1ull << 32)) {
			*(uint64_t *)P2V(pa) = above_4g;
			above_4g = pa;
			continue;
		}
		uint32_t n = page->sigma0_range_count;
		if (n > 0 && page->sigma0_ranges[n - 1].base == pa + PAGE_SIZE) {
			page->sigma0_ranges[n - 1].base = pa;
			page->sigma0_ranges[n - 1].length += PAGE_SIZE;
		} else if (n < BOOT_INFO_REGIONS) {
			page->sigma0_ranges[n].base = pa;
			page->sigma0_ranges[n].length = PAGE_SIZE;
			page->sigma0_range_count = n + 1;
		} else {
			frame_free(pa);         /* no room to describe more: keep the rest */
			break;
		}
		space_give_sigma0(sigma0, pa);
		given += PAGE_SIZE;
	}
	while (above_4g) {              /* back to the kernel: its own objects can use them */
		uint64_t next = *(uint64_t *)P2V(above_4g);
		frame_free(above_4g);
		above_4g = next;
	}
	return given;
}

/* True if the module name's first word, after its last '/', starts with want: so
 * "bootfs", "build/bootfs.tar" and "/boot/bootfs.tar x" all name the bootfs, and a
 * folder called bootfs on the way to another module does not. */
static bool module_named(const char *name, const char *want)
{
	const char *base = name;
	for (const char *p = name; *p && *p != ' '; p++)
		if (*p == '/')
			base = p + 1;
	return strncmp(base, want, strlen(want)) == 0;
}

/*
 * Copies the first module after 0 named bootfs into fresh pages of the root task at
 * USER_BOOTFS, read-only and NX, and says where in the root's boot-info page.
 * Copied, not mapped: task_destroy() frees every page it finds without a
 * mapping-database node as the allocator's, which the module's frames never were
 * (frame.c keeps them out), and the module's last frame may hold other bytes after
 * its end. The copy's pages are the kernel's, like the boot-info page: uncharged, and
 * freed with the task. Called before sigma0 takes its share of memory.
 */
static void bootfs_give(struct task *root, struct boot_info_page *page)
{
	for (size_t i = 1; i < boot_info.module_count; i++) {
		const struct boot_module *m = &boot_info.modules[i];
		if (!module_named(m->name, "bootfs"))
			continue;
		uint64_t size = m->end - m->start;
		unsigned pages = (unsigned)((size + PAGE_SIZE - 1) / PAGE_SIZE);
		int err = size == 0 || size > USER_BOOTFS_MAX ? E_INVAL :
			  task_map_fresh(root, USER_BOOTFS, pages, pte_nx, NULL);
		if (err != E_OK) {
			kprintf("bootfs: module %zu '%s' of %lu bytes not mapped (%d)\n", i,
				m->name, size, err);
			return;
		}
		for (uint64_t done = 0; done < size; done += PAGE_SIZE) {
			uint64_t pa = pt_translate(root->pml4, USER_BOOTFS + done);
			memcpy(P2V(pa), P2V(m->start + done),
			       size - done < PAGE_SIZE ? size - done : PAGE_SIZE);
		}
		page->bootfs_start = USER_BOOTFS;
		page->bootfs_size = size;
		kprintf("bootfs: module %zu '%s', %lu bytes, read-only at %lx\n", i, m->name,
			size, (uint64_t)USER_BOOTFS);
		return;
	}
}

/* Module 1, if its name says sigma0: the first pager. Returns its thread, not started. */
static struct thread *sigma0_prepare(struct task *root, struct thread *root_thread,
				     struct boot_info_page *root_page)
{
	struct task *task;
	struct thread *thread;
	struct boot_info_page *page;
	struct endpoint *ep = endpoint_create(NULL);     /* the kernel's: nobody pays */
	if (!ep || load_boot_task(1, &task, &thread, &page) != E_OK)
		return NULL;
	task->is_sigma0 = true;
	page->sigma0_slot = (uint32_t)cap_insert(task, CAP_ENDPOINT, ep, RIGHT_RECEIVE, 0);
	root_page->sigma0_slot = (uint32_t)cap_insert(root, CAP_ENDPOINT, ep, RIGHT_SEND, 0);
	/* sigma0 pages the root task; badge 1 says "the root's first thread". */
	thread_set_handlers(root_thread, ep, 1, NULL, 0);
	uint64_t bytes = give_memory_to_sigma0(task, page);
	kprintf("sigma0: task %u from module 1 '%s', %lu KiB of memory in %u ranges\n",
		task->id, boot_info.modules[1].name, bytes / 1024, page->sigma0_range_count);
	return thread;
}

int root_start(void)
{
	if (boot_info.module_count == 0) {
		kprintf("root: no boot module, so no root task\n");
		return E_NOENT;
	}
	const struct boot_module *m = &boot_info.modules[0];

	struct task *task;
	struct thread *thread;
	struct boot_info_page *page;
	int err = load_boot_task(0, &task, &thread, &page);
	if (err != E_OK)
		return err;
	uint64_t entry = thread->user_frame->rip;
	kprintf("root: task %u from module 0 '%s', entry %lx\n", task->id, m->name, entry);
	bootfs_give(task, page);
	struct thread *sigma0 = NULL;
	if (boot_info.module_count > 1 && module_named(boot_info.modules[1].name, "sigma0") &&
	    !(sigma0 = sigma0_prepare(task, thread, page)))
		kprintf("sigma0: cannot start; the root task runs without it\n");
	/* The root's account is the kernel's memory, but for a margin for what no task
	 * pays for (pools' partly used frames, the kernel-stack area's tables): every
	 * task it makes is carved out of it, so together they cannot exhaust the kernel. */
	uint64_t reserve = frame_free_count() * PAGE_SIZE;
	if (reserve - reserve / ROOT_MARGIN_SHARE > task->kmem_limit)
		task->kmem_limit = reserve - reserve / ROOT_MARGIN_SHARE;
	/* Only the root may end the run: sigma0 and every task the root makes get none. */
	page->debug_slot = (uint32_t)debug_cap_give(task);
	page->irq_control_slot = (uint32_t)irq_control_give(task);
	/* Both ready before either runs; sigma0 first in line, so it waits for requests
	 * before the root makes any. */
	if (sigma0) {
		thread_prepare(sigma0, sigma0->user_frame->rip, USER_STACK_TOP, USER_BOOT_INFO);
		sched_enqueue(sigma0);
	}
	thread_prepare(thread, entry, USER_STACK_TOP, USER_BOOT_INFO);
	sched_enqueue(thread);
	sched_preempt_check();
	return E_OK;
}
