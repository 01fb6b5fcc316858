/**
 * @file
 * loader.c — spawn: a program of the bootfs becomes a process.
 *
 * The one thing to know: the loader copies nothing into the new address space. It
 * checks the ELF file (elf_parse(), the kernel's own parser: every field is hostile),
 * turns each loadable segment into a region, adds the heap, the stack and the
 * proc_info page, makes an empty task on the parent's account, and starts one thread
 * at the entry point with the pm as its pager: the first instruction's fetch is the
 * first fault, and regions.c answers it. Every failure undoes what was done before it.
 */
#include <string.h>
#include <syscall.h>
#include <abi/error.h>
#include <abi/ipc.h>
#include <abi/layout.h>
#include "pm_internal.h"

/* The program at path, if the table has it. */
static const struct program *program_find(const char *path)
{
	for (unsigned i = 0; i < PM_PROGRAMS; i++)
		if (pm.programs[i].file && strcmp(pm.programs[i].path, path) == 0)
			return &pm.programs[i];
	return NULL;
}

long program_add(const char *path, const uint8_t *data, size_t size)
{
	if (strlen(path) >= sizeof(pm.programs[0].path))
		return E_NOENT;
	if (program_find(path))
		return 0;
	for (unsigned i = 0; i < PM_PROGRAMS; i++) {
		struct program *p = &pm.programs[i];
		if (p->file)
			continue;
		/* Below the heap's room, above the first page (a null pointer faults). */
		if (elf_parse(data, size, 4096, USER_LOAD_TOP - PM_HEAP_SIZE - 4096, &p->image,
			      NULL) != 0)
			return E_INVAL;
		memcpy(p->path, path, strlen(path) + 1);
		p->file = data;
		p->size = size;
		return 0;
	}
	return E_FULL;
}

/* The program at path, checked once and kept: from the table, else the bootfs. An
 * absolute path is the disk's first: the loader (disk.c) adds it to the table, from
 * the disk or else from the bootfs, before the spawn comes again. */
static const struct program *program_get(const char *path, long *err)
{
	const struct program *p = program_find(path);
	if (p)
		return p;
	struct bootfs_entry e;
	if (path[0] == '/' || strlen(path) >= sizeof(pm.programs[0].path) ||
	    bootfs_find(&pm.bootfs, path, &e) != 0) {
		*err = E_NOENT;
		return NULL;
	}
	if ((*err = program_add(path, e.data, e.size)) != 0)
		return NULL;
	return program_find(path);
}

/* The regions of a process running prog: its segments, heap, stack, info page. */
static void make_regions(struct proc *p, const struct program *prog)
{
	uint64_t top = 0;
	p->nregions = 0;
	/* LAB 6 BEGIN: the ELF segment loader */
	for (unsigned i = 0; i < prog->image.count; i++) {
		const struct elf_segment *s = &prog->image.seg[i];
		struct region *r = &p->regions[p->nregions++];
		r->start = s->vaddr & ~0xffful;
		r->end = (s->vaddr + s->memsz + 0xfff) & ~0xffful;
		r->segment = (uint8_t)i;
		r->kind = s->flags & PF_W ? REGION_PRIVATE : REGION_SHARED;
		r->rights = (uint8_t)((s->flags & PF_W ? MAP_WRITE : 0) |
				      (s->flags & PF_X ? MAP_EXEC : 0));
		if (r->end > top)
			top = r->end;
	}
	/* LAB 6 STUB
	// For each loadable segment of prog->image, a region of p covering its pages
	// (from vaddr rounded down to vaddr + memsz rounded up): a writable segment's
	// pages are each instance's own (REGION_PRIVATE), a read-only one's shared
	// (REGION_SHARED); its rights are MAP_WRITE if the segment has PF_W, MAP_EXEC if
	// PF_X; remember the segment's index. top must end as the highest region end.
	(void)prog;
	*/
	/* LAB 6 END */
	/* A page of nothing between the image and the heap catches a run off its end. */
	p->regions[p->nregions++] = (struct region){ top + 4096, top + 4096 + PM_HEAP_SIZE,
						     REGION_ZERO, MAP_WRITE, 0 };
	p->regions[p->nregions++] = (struct region){ USER_STACK_TOP - PM_STACK_PAGES * 4096ul,
						     USER_STACK_TOP, REGION_ZERO, MAP_WRITE, 0 };
	p->regions[p->nregions++] = (struct region){ USER_BOOT_INFO, USER_BOOT_INFO + 4096,
						     REGION_INFO, 0, 0 };
}

/* The proc_info page: pid, capability slots, heap, argv and the environment (args:
 * len bytes, NUL-separated, the first argc of them arguments; 0: all). */
static void fill_info(struct proc_info *info, const struct proc *p, const char *args,
		      size_t len, unsigned argc)
{
	info->magic = PROC_INFO_MAGIC;
	info->pid = (uint64_t)p->pid;
	info->heap_base = p->regions[p->nregions - 3].start;
	info->heap_size = PM_HEAP_SIZE;
	memcpy(info->args, args, len);
	for (size_t off = 0; off < len && info->argc < PROC_ARGS_MAX;) {
		info->argv_offset[info->argc++] = (uint32_t)off;
		off += strlen(args + off) + 1;
	}
	if (argc > 0 && argc < info->argc) {
		info->envc = info->argc - argc;
		info->argc = argc;
	}
}

/* A capability of the root's copied into the new task (badged); its slot there. */
static long give(long task, long slot, unsigned long rights, unsigned long badge)
{
	return slot ? sys_cap_copy(task, slot, rights, badge) : 0;
}

long pm_spawn_request(long parent, unsigned long quota, const char *args, size_t len,
		      const long *caps, const unsigned *rights, unsigned cap_count)
{
	return pm_spawn_at(parent, quota, args, len, caps, rights, cap_count, PROC_PRIO, 0);
}

long pm_spawn_at(long parent, unsigned long quota, const char *args, size_t len,
		 const long *caps, const unsigned *rights, unsigned cap_count, long prio,
		 long pid)
{
	/* MR0 of PM_SPAWN: the quota in the low half, the arguments' count in the high. */
	unsigned argc = (unsigned)(quota >> 32);
	quota &= 0xfffffffful;
	if (len == 0 || len > PROC_ARGS_BYTES || args[len - 1] != 0 || cap_count > PROC_CAPS_MAX)
		return E_INVAL;
	long err = E_OK;
	const struct program *prog = program_get(args, &err);
	if (!prog)
		return err;
	struct proc *p = NULL, *parent_proc = parent ? pm_find(parent) : NULL;
	if (parent && !parent_proc)
		return E_GONE;
	for (unsigned i = 0; i < PM_PROCS_MAX && !p; i++)
		if (pm.procs[i].pid == 0)
			p = &pm.procs[i];
	if (!p)
		return E_FULL;
	long info_slot = pool_alloc((uint16_t)(p - pm.procs + 1));
	if (info_slot < 0)
		return info_slot;
	/* Its task on its parent's account: a process that spawns without end exhausts
	 * only what it was given. */
	long task = sys_task_create(parent_proc ? parent_proc->task : 0,
				    quota ? quota : PM_QUOTA_DEFAULT);
	if (task < 0) {
		pool_free_owner((uint16_t)(p - pm.procs + 1));
		return task;
	}
	*p = (struct proc){ .pid = pid ? pid : pm.next_pid++, .parent = parent, .state = PM_RUNNING,
			    .task = task, .program = prog, .page_limit = PM_PAGES_DEFAULT,
			    .info_slot = (uint32_t)info_slot };
	make_regions(p, prog);
	struct proc_info *info = pool_page((uint32_t)info_slot);
	fill_info(info, p, args, len, argc);
	long pager = sys_cap_copy(pm.self_task, pm.endpoint, RIGHT_SEND, (unsigned long)p->pid);
	long thread = sys_thread_create(task, prio);
	long r = pager > 0 && thread > 0 ? E_OK : E_NOMEM;
	if (r == E_OK) {
		long s;
		info->pm_slot = (uint32_t)(s = give(task, pm.endpoint, RIGHT_SEND | RIGHT_GRANT,
						     (unsigned long)p->pid));
		r = s < 0 ? s : r;
		info->names_slot = (uint32_t)(s = give(task, pm.names, RIGHT_SEND | RIGHT_GRANT,
							(unsigned long)p->pid));
		r = s < 0 ? s : r;
		info->task_slot = (uint32_t)(s = give(task, task, RIGHT_CONTROL, 0));
		r = s < 0 ? s : r;
		for (unsigned i = 0; i < cap_count && r == E_OK; i++) {
			s = caps[i] ? sys_cap_copy(task, caps[i], rights[i], 0) : E_CAP;
			r = s < 0 ? s : r;
			info->caps[info->cap_count++] = (uint32_t)(s > 0 ? s : 0);
		}
	}
	if (r == E_OK)
		r = sys_thread_handlers(thread, pager, pager);
	if (r == E_OK)
		r = sys_thread_start(thread, prog->image.entry, USER_STACK_TOP, USER_BOOT_INFO);
	if (pager > 0)
		sys_cap_delete(pager);  /* the thread holds its own reference */
	if (thread > 0)
		sys_cap_delete(thread); /* a started thread lives without a name */
	if (r != E_OK) {
		sys_task_destroy(task);
		sys_cap_delete(task);
		pool_free_owner((uint16_t)(p - pm.procs + 1));
		*p = (struct proc){ 0 };
		return r;
	}
	return p->pid;
}
