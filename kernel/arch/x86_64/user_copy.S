/**
 * @file
 * user_copy.S — copying to and from user memory, surviving unmapped pages.
 *
 * The one thing to know: the caller (user_access.c) has already checked that the user
 * range lies in user space; what it cannot know is whether every page is mapped. A
 * page fault at the `rep movsb` below is in the fixup table, so trap_dispatch() resumes
 * at user_copy_failed and the copy returns the number of bytes it did not copy. With
 * SMAP on (smap.c), this is the one place the kernel opens user memory: `stac` before
 * the copy, `clac` on both ways out.
 */

#include <arch/x86_64/smap.h>

/* size_t user_copy(void *dst, const void *src, size_t n): bytes left uncopied (0: all). */
        .text
        .globl user_copy
user_copy:
        movq %rdx, %rcx
        SMAP_INSN stac
1:      rep movsb
        SMAP_INSN clac
        xorl %eax, %eax
        ret
user_copy_failed:
        SMAP_INSN clac
        movq %rcx, %rax                 /* rep movsb counts rcx down as it goes */
        ret

        .section .fixup_table, "a"
        .quad 1b, user_copy_failed
