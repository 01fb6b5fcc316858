/**
 * @file
 * root.c — the root task: boot module 0, loaded, given a stack and a boot-info page.
 *
 * The one thing to know: this is the only place the kernel decides what a user
 * address space contains (with elf.c); the root task starts with capabilities to
 * itself and to its own thread, and builds everything else from there.
 */
#include <boot_info.h>
#include <elf.h>
#include <kprintf.h>
#include <root.h>
#include <string.h>
#include <task.h>
#include <thread.h>
#include <abi/boot_info_page.h>
#include <abi/error.h>
#include <abi/layout.h>
#include <abi/syscall.h>
#include <arch/x86_64/layout.h>

const void *boot_image;
size_t boot_image_size;

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

int root_start(void)
{
	if (boot_info.module_count == 0) {
		kprintf("root: no boot module, so no root task\n");
		return E_NOENT;
	}
	const struct boot_module *m = &boot_info.modules[0];
	boot_image = P2V(m->start);
	boot_image_size = m->end - m->start;

	struct task *task = task_create();
	struct thread *thread = task ? thread_create(task, PRIO_ROOT) : NULL;
	if (!thread) {
		kprintf("root: out of memory\n");
		return E_NOMEM;
	}
	uint64_t entry, info_pa;
	const char *why = "out of memory";
	int err = elf_load(task, boot_image, boot_image_size, &entry, &why);
	if (err == E_OK)
		err = task_map_fresh(task, USER_STACK_TOP - USER_STACK_PAGES * PAGE_SIZE,
				     USER_STACK_PAGES, PTE_WRITE | pte_nx, NULL);
	if (err == E_OK)
		err = task_map_fresh(task, USER_BOOT_INFO, 1, pte_nx, &info_pa);
	if (err != E_OK) {
		kprintf("root: cannot load module 0 '%s': %s\n", m->name, why);
		return err;
	}
	long task_slot = cap_insert(task, CAP_TASK, task, RIGHT_CONTROL, 0);
	long thread_slot = cap_insert(task, CAP_THREAD, thread, RIGHT_CONTROL, 0);
	fill_boot_info(P2V(info_pa), task_slot, thread_slot);
	kprintf("root: task %u from module 0 '%s', entry %lx\n", task->id, m->name, entry);
	thread_start(thread, entry, USER_STACK_TOP, USER_BOOT_INFO);
	return E_OK;
}
