/**
 * @file
 * multiboot.c — reads the Multiboot 1 information structure into struct boot_info.
 *
 * The one thing to know: the structure is at a physical address, reached through the
 * direct map that boot.S set up for the first 4 GiB; any pointer in it beyond that is
 * ignored rather than followed. Field offsets are from the Multiboot 0.6.96 spec.
 */
#include <boot_info.h>
#include <cmdline.h>
#include <kprintf.h>
#include <string.h>
#include <arch/x86_64/layout.h>

#define MULTIBOOT_BOOTLOADER_MAGIC 0x2BADB002

#define MBI_FLAG_MEM            (1u << 0)
#define MBI_FLAG_CMDLINE        (1u << 2)
#define MBI_FLAG_MODS           (1u << 3)
#define MBI_FLAG_MMAP           (1u << 6)
#define MBI_FLAG_LOADER_NAME    (1u << 9)

struct multiboot_info {
	uint32_t flags;
	uint32_t mem_lower, mem_upper;
	uint32_t boot_device;
	uint32_t cmdline;
	uint32_t mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
	uint32_t drives_length, drives_addr;
	uint32_t config_table;
	uint32_t boot_loader_name;
} __attribute__((packed));

struct multiboot_mmap_entry {
	uint32_t size;          /* of the rest of the entry: the next is at +size+4 */
	uint64_t base;
	uint64_t length;
	uint32_t type;
} __attribute__((packed));

struct multiboot_module {
	uint32_t start, end;
	uint32_t name;
	uint32_t reserved;
} __attribute__((packed));

struct boot_info boot_info;

/* A pointer to len bytes at physical pa, or NULL if they are not all mapped yet. */
static const void *early_ptr(uint64_t pa, uint64_t len)
{
	if (pa == 0 || pa >= EARLY_MAP_LIMIT || len > EARLY_MAP_LIMIT - pa)
		return NULL;
	return P2V(pa);
}

/* Copies a C string at physical pa into out (n bytes), truncating; "" if unreachable. */
static void copy_string(char *out, size_t n, uint32_t pa)
{
	out[0] = '\0';
	const char *s = early_ptr(pa, 1);
	if (!s)
		return;
	uint64_t reachable = EARLY_MAP_LIMIT - pa;
	size_t len = strnlen(s, reachable < n - 1 ? (size_t)reachable : n - 1);
	memcpy(out, s, len);
	out[len] = '\0';
}

static void parse_mmap(const struct multiboot_info *mbi)
{
	const uint8_t *p = early_ptr(mbi->mmap_addr, mbi->mmap_length);
	if (!p)
		return;
	const uint8_t *end = p + mbi->mmap_length;
	while (p + sizeof(struct multiboot_mmap_entry) <= end &&
	       boot_info.region_count < BOOT_MAX_REGIONS) {
		const struct multiboot_mmap_entry *e = (const void *)p;
		struct mem_region *r = &boot_info.regions[boot_info.region_count++];
		*r = (struct mem_region){ .base = e->base, .length = e->length, .type = e->type };
		if (r->type == MEM_USABLE)
			boot_info.usable_bytes += r->length;
		if (e->size < sizeof(*e) - 4)
			break;          /* a malformed entry would make us loop */
		p += e->size + 4;
	}
}

static void parse_modules(const struct multiboot_info *mbi)
{
	uint32_t count = mbi->mods_count;
	if (count > BOOT_MAX_MODULES) {
		kprintf("boot: %u modules, using the first %d\n", count, BOOT_MAX_MODULES);
		count = BOOT_MAX_MODULES;
	}
	const struct multiboot_module *m = early_ptr(mbi->mods_addr, count * sizeof(*m));
	if (!m)
		return;
	for (uint32_t i = 0; i < count; i++) {
		if (m[i].end < m[i].start)
			continue;
		struct boot_module *b = &boot_info.modules[boot_info.module_count++];
		b->start = m[i].start;
		b->end = m[i].end;
		copy_string(b->name, sizeof(b->name), m[i].name);
	}
}

int multiboot_parse(uint32_t magic, uint32_t info_pa)
{
	if (magic != MULTIBOOT_BOOTLOADER_MAGIC) {
		kprintf("boot: not started by a Multiboot loader (magic %x)\n", magic);
		return -1;
	}
	const struct multiboot_info *mbi = early_ptr(info_pa, sizeof(*mbi));
	if (!mbi)
		return -1;
	if (mbi->flags & MBI_FLAG_CMDLINE)
		copy_string(boot_info.cmdline, sizeof(boot_info.cmdline), mbi->cmdline);
	if (mbi->flags & MBI_FLAG_MMAP)
		parse_mmap(mbi);
	if (mbi->flags & MBI_FLAG_MODS)
		parse_modules(mbi);
	if (mbi->flags & MBI_FLAG_LOADER_NAME) {
		static char loader[64];
		copy_string(loader, sizeof(loader), mbi->boot_loader_name);
		boot_info.loader = loader;
	}
	return 0;
}

int cmdline_get(const char *key, char *out, size_t n)
{
	return cmdline_find(boot_info.cmdline, key, out, n);
}
