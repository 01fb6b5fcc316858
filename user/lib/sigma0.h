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

/* Asks sigma0 for one zeroed page, mapped read-write at `va` in the caller's space. */
long sigma0_alloc_page(long sigma0_slot, unsigned long va);
/* The same with the rights asked for (MAP_WRITE, MAP_EXEC: read is implied). */
long sigma0_alloc_page_rights(long sigma0_slot, unsigned long va, unsigned long rights);
/* Asks sigma0 for the I/O ports of io_fpage; returns how many were given. */
long sigma0_io_ports(long sigma0_slot, unsigned long io_fpage);

#endif
