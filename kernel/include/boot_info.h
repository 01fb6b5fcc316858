/**
 * @file
 * boot_info.h — what the boot loader told us, copied into kernel memory.
 *
 * The one thing to know: multiboot_parse() copies everything it needs out of the boot
 * loader's structures (which live in memory the frame allocator will hand out), with
 * every count and length bounded, so nothing later reads the loader's memory.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define BOOT_MAX_REGIONS        32
#define BOOT_MAX_MODULES        16
#define BOOT_CMDLINE_MAX        256
#define BOOT_MODULE_NAME_MAX    64

enum mem_type { MEM_USABLE = 1, MEM_RESERVED = 2, MEM_ACPI = 3, MEM_NVS = 4, MEM_BAD = 5 };

struct mem_region {
	uint64_t base;
	uint64_t length;
	uint32_t type;          /* enum mem_type; other values count as reserved */
};

struct boot_module {
	uint64_t start;         /* physical, page-aligned (we ask the loader for that) */
	uint64_t end;           /* physical, exclusive */
	char name[BOOT_MODULE_NAME_MAX];
};

struct boot_info {
	char cmdline[BOOT_CMDLINE_MAX];
	struct mem_region regions[BOOT_MAX_REGIONS];
	size_t region_count;
	struct boot_module modules[BOOT_MAX_MODULES];
	size_t module_count;
	uint64_t usable_bytes;  /* the sum of the usable regions */
	const char *loader;     /* the boot loader's name, if it gave one */
};

extern struct boot_info boot_info;

/* Returns 0, or -1 (and says why) if magic is not Multiboot's. */
int multiboot_parse(uint32_t magic, uint32_t info_pa);

/**
 * Copies the value of `key=value` on the kernel command line into out (at most n bytes,
 * NUL-terminated) and returns 1; returns 0 if the key is absent.
 */
int cmdline_get(const char *key, char *out, size_t n);
