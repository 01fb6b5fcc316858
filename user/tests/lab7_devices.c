/**
 * @file
 * lab7_devices.c — scenarios for lab 7: device memory and DMA buffers from sigma0.
 *
 * The one thing to know: QEMU's pc machine has an HPET at physical 0xfed00000, in the
 * PCI hole above RAM: its first register says who made it (bits 16-31, Intel's 8086)
 * and its clock period (bits 32-63, in femtoseconds), so reading it through a mapping
 * shows that the mapping reaches the device. RAM, the kernel's own pages and the
 * interrupt controllers must never arrive that way.
 */
#include <stdbool.h>
#include <minim.h>
#include <sigma0.h>
#include "utest.h"

#define HPET            0xfed00000ul
#define LAPIC           0xfee00000ul
#define IOAPIC          0xfec00000ul
#define KERNEL_IMAGE    0x100000ul
#define DEVICE_VA       0x0000340000000000ul
#define DMA_VA          0x0000350000000000ul
#define FOUR_GIB        0x100000000ul

UTEST(sigma0_devices)
{
	struct challenge c = utest_challenge(bi);
	long s0 = bi->sigma0_slot;
	long hpet = sigma0_mmio(s0, DEVICE_VA, HPET, 12);
	unsigned long caps = hpet == 1 ? *(volatile unsigned long *)DEVICE_VA : 0;
	printf("devices: the HPET's page -> %ld; vendor %lx, period %lu fs\n", hpet,
	       (caps >> 16) & 0xffff, caps >> 32);
	long lapic = sigma0_mmio(s0, DEVICE_VA + 0x10000, LAPIC, 12);
	long ioapic = sigma0_mmio(s0, DEVICE_VA + 0x20000, IOAPIC, 12);
	long kernel = sigma0_mmio(s0, DEVICE_VA + 0x30000, KERNEL_IMAGE, 12);
	long low = sigma0_mmio(s0, DEVICE_VA + 0x40000, 0xb8000, 12);
	printf("devices: the local APIC -> %ld, the I/O APIC -> %ld, the kernel's image -> %ld, "
	       "memory below the top of RAM -> %ld\n", lapic, ioapic, kernel, low);
	/* The ends of the range: the top of RAM below 4 GiB, as the memory map says. */
	unsigned long top = 0;
	for (uint32_t i = 0; i < bi->region_count; i++) {
		unsigned long end = bi->regions[i].base + bi->regions[i].length;
		end = end < FOUR_GIB ? end : FOUR_GIB;
		if (bi->regions[i].type == 1 && bi->regions[i].base < FOUR_GIB && end > top)
			top = end;
	}
	top = (top + 0xfff) & ~0xffful;
	long above = sigma0_mmio(s0, DEVICE_VA + 0x50000, top, 12);
	long below = sigma0_mmio(s0, DEVICE_VA + 0x60000, top - 0x1000, 12);
	long last = sigma0_mmio(s0, DEVICE_VA + 0x70000, FOUR_GIB - 0x1000, 12);
	long past = sigma0_mmio(s0, DEVICE_VA + 0x80000, FOUR_GIB, 12);
	printf("devices: the first page above RAM -> %ld, the last page of RAM -> %ld, the last "
	       "page below 4 GiB -> %ld, the page at 4 GiB -> %ld\n", above, below, last, past);

	/* Two buffers: each aligned to its size, apart, zeroed; what we write stays. */
	unsigned long pa[2];
	unsigned log2[2] = { (unsigned)challenge_range(&c, 12, 15),
			     (unsigned)challenge_range(&c, 12, 15) };
	unsigned long va[2] = { DMA_VA, DMA_VA + 0x100000 };
	for (int i = 0; i < 2; i++)
		UCHECK_EQ(sigma0_dma(s0, va[i], log2[i], &pa[i]), 0);
	bool aligned = !(pa[0] & ((1ul << log2[0]) - 1)) && !(pa[1] & ((1ul << log2[1]) - 1));
	bool apart = pa[0] + (1ul << log2[0]) <= pa[1] || pa[1] + (1ul << log2[1]) <= pa[0];
	bool zeroed = true;
	uint64_t h = DIGEST_START, back = DIGEST_START;
	for (int i = 0; i < 2; i++) {
		unsigned long *w = (unsigned long *)va[i];
		for (unsigned long j = 0; j < (1ul << log2[i]) / 8; j++) {
			zeroed &= w[j] == 0;
			w[j] = j % 64 == 0 ? challenge_next(&c) : 0;
			h = j % 64 == 0 ? digest_add(h, w[j]) : h;
		}
	}
	for (int i = 0; i < 2; i++)
		for (unsigned long j = 0; j < (1ul << log2[i]) / 8; j += 64)
			back = digest_add(back, ((unsigned long *)va[i])[j]);
	printf("devices: DMA buffers of %lu and %lu bytes: aligned %s, apart %s, zeroed %s\n",
	       1ul << log2[0], 1ul << log2[1], aligned ? "yes" : "no", apart ? "yes" : "no",
	       zeroed ? "yes" : "no");
	printf("devices: written %lx, read back %lx\n", h, back);
	unsigned long ignored;
	printf("devices: a DMA buffer of 2^16 bytes -> %ld, of 2^11 -> %ld\n",
	       sigma0_dma(s0, DMA_VA + 0x200000, 16, &ignored),
	       sigma0_dma(s0, DMA_VA + 0x300000, 11, &ignored));
}
