/**
 * @file
 * smap.c — turning on SMEP and SMAP where the CPU has them.
 *
 * The one thing to know: both are conditional. QEMU's `-cpu max` has them (also under
 * TCG), but a real PC booted by GRUB may lack either, and then minim runs without it:
 * user pages are still unreachable through system calls (user_range_ok() and the copy
 * routines), but a kernel bug that follows a user pointer would no longer fault.
 */
#include <stdint.h>
#include <arch/x86_64/cpu.h>
#include <arch/x86_64/smap.h>

#define CPUID7_EBX_SMEP (1u << 7)
#define CPUID7_EBX_SMAP (1u << 20)
#define CR4_SMEP        (1u << 20)
#define CR4_SMAP        (1u << 21)

bool smap_enabled;

void smap_init(void)
{
	uint32_t max, a, b, c, d;

	cpuid(0, &max, &b, &c, &d);
	if (max < 7)
		return;         /* no leaf 7: a CPU older than both features */
	cpuid(7, &a, &b, &c, &d);
	uint64_t cr4 = read_cr4();
	/* Safe: no kernel leaf entry has PTE_USER (the CPU needs it at every level, so the
	 * permissive tables above do not count), and the kernel reaches user memory only
	 * through user_copy; everything else goes through the direct map. */
	if (b & CPUID7_EBX_SMEP)
		cr4 |= CR4_SMEP;
	if (b & CPUID7_EBX_SMAP) {
		cr4 |= CR4_SMAP;
		smap_enabled = true;
	}
	write_cr4(cr4);
}
