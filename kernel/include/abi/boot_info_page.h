/**
 * @file
 * abi/boot_info_page.h — what the root task finds at USER_BOOT_INFO when it starts.
 *
 * The one thing to know: the page is the task's copy (read-only), made by the kernel
 * from what the boot loader said; module addresses are physical, for the pagers of
 * lab 5 to map. The first thread of the root task (and of sigma0) gets its address
 * in rdi. The root's page also says where its read-only copy of the bootfs is
 * (bootfs_start and bootfs_size, both 0 when the boot has no module named bootfs).
 */
#ifndef ABI_BOOT_INFO_PAGE_H
#define ABI_BOOT_INFO_PAGE_H

#include <stdint.h>

#define BOOT_INFO_MAGIC         0x6d696e696d424f4full   /* "minimBOO" */
#define BOOT_INFO_REGIONS       32
#define BOOT_INFO_MODULES       16

struct boot_info_page {
	uint64_t magic;
	char cmdline[256];              /* the kernel command line, NUL-terminated */
	uint32_t region_count;
	uint32_t module_count;
	struct {
		uint64_t base, length;
		uint32_t type;          /* 1: usable RAM; anything else: reserved */
		uint32_t reserved;
	} regions[BOOT_INFO_REGIONS];
	struct {
		uint64_t start, end;    /* physical; module 0 is the root task itself */
		char name[128];
	} modules[BOOT_INFO_MODULES];
	/* Capability slots the task starts with. */
	uint32_t self_task_slot;
	uint32_t self_thread_slot;
	/* Lab 5: the root's capability to sigma0's endpoint (send), or sigma0's own
	 * (receive); 0 when there is no sigma0. */
	uint32_t sigma0_slot;
	/* The root's only: its debug capability, which ends the run (debug_shutdown). */
	uint32_t debug_slot;
	/* sigma0's page only: the physical memory it owns and hands out. */
	uint32_t sigma0_range_count;
	struct {
		uint64_t base, length;
	} sigma0_ranges[BOOT_INFO_REGIONS];
	/* The root's only: the bootfs module's bytes, copied to this user address
	 * (USER_BOOTFS, read-only); 0 and 0 when there is none. */
	uint64_t bootfs_start;
	uint64_t bootfs_size;
	/* The root's only (lab 7): its IRQ control capability, for irq_control. */
	uint32_t irq_control_slot;
};

_Static_assert(sizeof(struct boot_info_page) <= 4096, "the boot-info page is one page");

#endif
