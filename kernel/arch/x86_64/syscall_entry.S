/**
 * @file
 * syscall_entry.S — the `syscall` instruction's landing point, and the way back.
 *
 * The one thing to know: `syscall` switches neither stack nor GS: it saves the user's
 * rip in rcx and rflags in r11, and clears IF (SFMASK), so the first instructions run on
 * the user's stack with interrupts off. They swap in the kernel's GS, switch to the
 * thread's kernel stack, and build the same struct trap_frame that trap_entry.S
 * builds, so a thread's user registers always sit at the top of its kernel stack.
 */
#include <arch/x86_64/cpu_local.h>
#include <arch/x86_64/gdt.h>
#include <arch/x86_64/trap.h>

/* abi/syscall.h's SYS_ipc, which the assembler cannot read from the enum. */
#define SYS_IPC_NUMBER 10

        .text
        .globl syscall_entry
syscall_entry:
        swapgs
        movq %rsp, %gs:CPU_USER_RSP
        movq %gs:CPU_KERNEL_RSP, %rsp
        pushq $SEL_USER_DATA            /* ss */
        pushq %gs:CPU_USER_RSP          /* rsp */
        pushq %r11                      /* rflags */
        pushq $SEL_USER_CODE            /* cs */
        pushq %rcx                      /* rip */
        pushq $0                        /* error code */
        pushq $T_SYSCALL                /* vector: not an IDT vector */
        SAVE_REGISTERS
        /* IPC tries its fast path first (ipc_fastpath.c), which returns if it declines;
         * with fastpath=0 the kernel points ipc_fastpath_entry at a function that always
         * does, once at boot, so no call tests a flag. */
        cmpq $SYS_IPC_NUMBER, %rax
        jne 1f
        movq %rsp, %rdi
        call *ipc_fastpath_entry(%rip)
1:      movq %rsp, %rdi
        call syscall_dispatch

        /*
         * Back to user mode with sysret, unless the saved rip is not a user address:
         * sysret with a non-canonical rcx raises #GP in ring 0 on the user's stack
         * (Intel), a classic kernel hole. Every rip the kernel takes from a user is
         * checked against USER_TOP, so trap_return's iretq is taken only for a
         * `syscall` that ends the last user page (its rip is USER_TOP itself) or after
         * a kernel bug.
         */
        .globl syscall_return
syscall_return:
        movq FRAME_CS - 8(%rsp), %rcx   /* the saved rip, just below cs */
        shrq $47, %rcx                  /* user rips have bits 47..63 clear */
        jnz trap_return                 /* iretq, which takes any rip without a #GP */
        RESTORE_REGISTERS
        movq 16(%rsp), %rcx             /* rip, for sysret (past vector and error code) */
        movq 32(%rsp), %r11             /* rflags, for sysret */
        movq 40(%rsp), %rsp             /* the user's stack: nothing kernel below it */
        swapgs
        sysretq

/* Where a thread parked by thread_handoff() (thread.c) resumes: context_switch()'s
 * return lands here, with rsp at the thread's frame. */
        .globl syscall_resume
syscall_resume:
        call syscall_resumed
        jmp syscall_return

/* With fastpath=0, what syscall_entry calls instead of ipc_fastpath(): it declines. */
        .globl ipc_declines
ipc_declines:
        ret
