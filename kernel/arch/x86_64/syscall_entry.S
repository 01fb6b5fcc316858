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
        movq %rsp, %rdi
        /* IPC tries its fast path first (ipc_fastpath.c); it falls back here. */
        cmpq $SYS_IPC_NUMBER, %rax
        jne 1f
        call ipc_fastpath
        testb %al, %al
        jnz syscall_return
        movq %rsp, %rdi
1:      call syscall_dispatch

        /*
         * Back to user mode with sysret, unless the saved rip is not a user address:
         * sysret with a non-canonical rcx raises #GP in ring 0 on the user's stack
         * (Intel), a classic kernel hole. The kernel never stores such a rip (every
         * rip it takes from a user is checked against USER_TOP), so the iretq below
         * is defence in depth: it is taken only after a kernel bug.
         */
        .globl syscall_return
syscall_return:
        RESTORE_REGISTERS
        addq $16, %rsp                  /* vector and error code: now at rip */
        movq (%rsp), %rcx
        shrq $47, %rcx                  /* user rips have bits 47..63 clear */
        jnz 2f
        movq (%rsp), %rcx               /* rip, for sysret */
        movq 16(%rsp), %r11             /* rflags, for sysret */
        movq 24(%rsp), %rsp             /* the user's stack: nothing kernel below it */
        swapgs
        sysretq
2:      swapgs
        iretq
