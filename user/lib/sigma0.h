/**
 * @file
 * sigma0.h — the protocol between sigma0 and the tasks it gives memory to.
 *
 * The one thing to know: this is a user-level protocol, not the kernel's: sigma0 is a
 * server like any other, which happens to own all physical memory. Ask with a call to
 * its endpoint (boot_info_page.sigma0_slot); the reply is a map item, so set your
 * utcb()->map_window first — the page lands at the window's base plus the hot spot you
 * send, modulo the window's size.
 */
#ifndef USER_SIGMA0_H
#define USER_SIGMA0_H

#define SIGMA0_ALLOC    1ul     /* MR0: hot spot, MR1 (optional): rights, else MAP_WRITE.
				 * Reply: one fresh, zeroed page mapped */
#define SIGMA0_NO_MEMORY 2ul    /* the reply's label when sigma0 has nothing left */
#define SIGMA0_IO       3ul     /* MR0: an IO_FPAGE. Reply: access to those ports */
#define SIGMA0_DMA      4ul     /* MR0: hot spot, MR1: log2 of the size. Reply: MR0 the
				 * physical address, then the map item: 2^log2 zeroed
				 * bytes, physically contiguous, aligned to their size */
#define SIGMA0_MMIO     5ul     /* MR0: hot spot, MR1: FPAGE(physical address, log2).
				 * Reply: that device memory mapped uncached, or nothing
				 * (the item's count 0) where it is not device memory */
#define SIGMA0_DMA_MAX_LOG2 15  /* what one map item may carry (IPC_MAP_PAGES_MAX) */

/* Asks sigma0 for one zeroed page, mapped read-write at `va` in the caller's space. */
long sigma0_alloc_page(long sigma0_slot, unsigned long va);
/* The same with the rights asked for (MAP_WRITE, MAP_EXEC: read is implied). */
long sigma0_alloc_page_rights(long sigma0_slot, unsigned long va, unsigned long rights);
/* Asks sigma0 for the I/O ports of io_fpage; returns how many were given. */
long sigma0_io_ports(long sigma0_slot, unsigned long io_fpage);
/* Asks for a DMA buffer of 2^log2 bytes at va (aligned to its size); its physical
 * address in *pa. 0, or E_NOMEM. */
long sigma0_dma(long sigma0_slot, unsigned long va, unsigned log2, unsigned long *pa);
/* Maps the device memory FPAGE(pa, log2) at va (aligned to its size), uncached;
 * returns how many pages arrived. */
long sigma0_mmio(long sigma0_slot, unsigned long va, unsigned long pa, unsigned log2);

#endif
