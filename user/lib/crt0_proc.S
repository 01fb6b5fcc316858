/*
 * crt0_proc.S — where a process starts: _start calls proc_start(), which never returns.
 *
 * The one thing to know: the process manager starts a process's first thread with
 * rdi = its proc_info page (user/lib/proc.h), which is proc_start()'s first argument
 * under the SysV ABI, so _start must leave rdi alone. The root task and sigma0 start
 * at crt0.S instead: the kernel gives them a boot-info page, not a proc_info.
 */
        .text
        .globl _start
        .type _start, @function
_start:
        xorl %ebp, %ebp         /* ends the frame-pointer chain for gdb's backtraces */
        andq $-16, %rsp
        call proc_start
        ud2                     /* proc_start never returns */
        .size _start, . - _start
