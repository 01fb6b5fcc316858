/**
 * @file
 * main.c — kmain(), the order in which the kernel comes up.
 *
 * The one thing to know: boot is a sequence of stages, one per lab, and the test
 * scenario chosen on the command line runs as soon as its stage is up — so each lab's
 * tests depend only on that lab and the ones before it.
 */
#include <boot_info.h>
#include <fault.h>
#include <frame.h>
#include <ipc_core.h>
#include <irq.h>
#include <kprintf.h>
#include <root.h>
#include <sched.h>
#include <thread.h>
#include <timer.h>
#include <abi/error.h>
#include <arch/x86_64/fpu.h>
#include <arch/x86_64/gdt.h>
#include <arch/x86_64/idt.h>
#include <arch/x86_64/layout.h>
#include <arch/x86_64/machine.h>
#include <arch/x86_64/paging.h>
#include <arch/x86_64/serial.h>
#include <arch/x86_64/smap.h>
#include <arch/x86_64/syscall_arch.h>
#include <test/ktest.h>

#define MINIM_VERSION "0.3"

_Noreturn void kmain(uint32_t magic, uint32_t info_pa);

_Noreturn void kmain(uint32_t magic, uint32_t info_pa)
{
	/* Stage 1 (lab 1): a console, then traps, so every later fault is reported. */
	serial_init();
	gdt_init();
	idt_init();
	kprintf("minim %s x86_64\n", MINIM_VERSION);
	multiboot_parse(magic, info_pa);
	kprintf("boot: loader '%s', command line '%s'\n",
		boot_info.loader ? boot_info.loader : "unknown", boot_info.cmdline);
	kprintf("mem: %lu KiB usable in %zu regions, %zu boot modules\n",
		boot_info.usable_bytes / 1024, boot_info.region_count, boot_info.module_count);
	for (size_t i = 0; i < boot_info.module_count; i++)
		kprintf("boot: module %zu '%s' at %lx, %lu bytes\n", i, boot_info.modules[i].name,
			boot_info.modules[i].start,
			boot_info.modules[i].end - boot_info.modules[i].start);
	const struct ktest *test = ktest_selected();
	ktest_run_stage(test, STAGE_TRAPS);

	/* Lab 2: physical memory, then the kernel's own page table. */
	frame_init(&boot_info, EARLY_MAP_LIMIT);
	kprintf("mem: %zu frames free\n", frame_free_count());
	ktest_run_stage(test, STAGE_FRAMES);
	paging_init(&boot_info);
	frame_add_above(&boot_info, EARLY_MAP_LIMIT);
	kprintf("paging: kernel page table at %p, %zu frames free\n", (void *)kernel_pml4,
		frame_free_count());
	ktest_run_stage(test, STAGE_PAGING);

	/* Lab 3: SMEP/SMAP, system calls, user faults, the timer, then the root task. */
	smap_init();
	syscall_arch_init();
	fpu_init();
	char word[8];
	if (cmdline_get("fastpath", word, sizeof(word)) && word[0] == '0') {
		ipc_fastpath_entry = ipc_declines;      /* fastpath=0: the general path only */
		kprintf("ipc: the fast path is off (fastpath=0)\n");   /* the grader's proof */
	}
	fault_init();
	timer_init();
	irq_init();
	sched_init(thread_init_idle());
	ktest_run_stage(test, STAGE_USER);
	if (root_start() != E_OK) {
		kprintf("minim: nothing to run; shutting down\n");
		machine_exit(EXIT_SUCCESS_CODE);
	}
	/* From here on, this flow of control is the idle thread. */
	for (;;)
		__asm__ volatile("sti; hlt; cli");
}
