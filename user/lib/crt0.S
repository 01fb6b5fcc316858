/*
 * crt0.S — where a user program starts: _start calls main, then ends the thread.
 *
 * The one thing to know: the kernel starts the thread with rdi = the boot-info page,
 * which is already main's first argument under the SysV ABI, so _start must leave rdi
 * alone. The ABI also wants rsp 16-byte aligned at every call.
 */
        .text
        .globl _start
        .type _start, @function
_start:
        xorl %ebp, %ebp         /* ends the frame-pointer chain for gdb's backtraces */
        andq $-16, %rsp         /* the kernel promises this; a stray entry may not */
        call main
        call thread_exit
        ud2                     /* thread_exit never returns */
        .size _start, . - _start
