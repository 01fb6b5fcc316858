/**
 * @file
 * abi/layout.h — where things are in a user address space.
 *
 * The one thing to know: user space is the lower half, below USER_TOP; every address a
 * system call takes from user code must lie there, or the call fails with E_FAULT or
 * E_INVAL. The kernel puts the boot-info page, the stack and the UTCBs of the root task
 * at the fixed addresses below, and a copy of the bootfs (the boot module named
 * bootfs: a ustar archive of programs and files, read-only) at USER_BOOTFS; programs
 * are linked at USER_IMAGE_BASE. A program's segments must lie in [USER_LOAD_MIN,
 * USER_LOAD_TOP): below it is the null page, which stays unmapped so that a null
 * pointer faults; above it, from the UTCB area up, are the pages the kernel itself
 * places (UTCBs, the root's stack, its boot-info page, the bootfs).
 */
#ifndef ABI_LAYOUT_H
#define ABI_LAYOUT_H

#define USER_TOP                0x0000800000000000ull   /* first non-user address */
#define USER_IMAGE_BASE         0x0000000000400000ull   /* programs are linked here */
#define USER_STACK_TOP          0x00007ffffff00000ull   /* the root thread's stack */
#define USER_STACK_PAGES        16
#define USER_UTCB_BASE          0x00007fffe0000000ull   /* thread i's UTCB: + i * 4096 */
#define USER_UTCB_MAX           512
#define USER_BOOT_INFO          0x00007fffff000000ull   /* the root's boot-info page */
#define USER_LOAD_MIN           0x0000000000001000ull   /* the lowest a segment may go */
#define USER_LOAD_TOP           USER_UTCB_BASE          /* segments end at or below */
#define USER_BOOTFS             0x00007fff00000000ull   /* the root's copy of the bootfs */
#define USER_BOOTFS_MAX         0x0000000010000000ull   /* a larger one is not mapped */

#endif
