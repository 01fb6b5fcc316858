/*
 * trap_entry.S — the first instructions of every interrupt and exception.
 *
 * The one thing to know: each vector's stub makes the stack look the same — it pushes
 * a zero where the CPU pushes no error code, then the vector number — so trap_common
 * can save the registers into one struct trap_frame shape (trap.h) for all 256 vectors.
 * Stubs are 16 bytes apart; idt.c relies on it. A trap from ring 3 always leaves its
 * frame at the top of the thread's kernel stack, even when its gate switched to an IST
 * stack: trap_common moves it there.
 */
#include <arch/x86_64/cpu_local.h>
#include <arch/x86_64/smap.h>
#include <arch/x86_64/trap.h>

        .altmacro

/* The vectors for which the CPU pushes an error code itself. */
.macro vector_stub n
        .align 16
        .if (\n == 8) || (\n >= 10 && \n <= 14) || (\n == 17) || (\n == 21) || (\n == 29) || (\n == 30)
        .else
        pushq $0
        .endif
        pushq $\n
        jmp trap_common
.endm

        .text
        .align 16
        .globl trap_vectors
trap_vectors:
        .set vec, 0
        .rept 256
        vector_stub %vec
        .set vec, vec + 1
        .endr

trap_common:
        SAVE_REGISTERS
        /*
         * User code can set RFLAGS.AC (popf), and no trap clears it: with AC set, SMAP
         * would let this kernel path read user memory. Only user_copy may open that
         * window.
         */
        SMAP_INSN clac
        /* From ring 3, GS still holds the user's base: switch to the kernel's. */
        testb $3, FRAME_CS(%rsp)             /* the saved CS */
        jz 3f
        swapgs
        /*
         * The CPU may run ahead down either side of the branch above before it knows
         * the saved CS: without a fence, a %gs-relative load on the wrong side would use
         * the other GS base (the swapgs variant of Spectre v1). So both sides fence.
         */
        lfence
        /*
         * A gate with an IST stack (#DB, NMI, #DF, #MC) leaves even a trap from ring 3
         * on that stack, not on the thread's kernel stack. Move the frame to where every
         * other entry from ring 3 puts it (t->user_frame, just below cpu.kernel_rsp), or
         * a thread that blocks in this trap would share the IST stack with the next one.
         * Safe: in ring 3 the thread's kernel stack holds nothing.
         */
        movq %gs:CPU_KERNEL_RSP, %rax
        subq $TRAP_FRAME_SIZE, %rax
        cmpq %rsp, %rax
        je 4f
        movq %rsp, %rsi
        movq %rax, %rdi
        movl $TRAP_FRAME_SIZE / 8, %ecx
        cld                             /* the user may have left DF set */
        rep movsq
        movq %rax, %rsp
        jmp 4f
3:      lfence
4:      movq %rsp, %rdi
        cld                             /* the C ABI expects DF clear */
        call trap_dispatch
        .globl trap_return
trap_return:
        testb $3, FRAME_CS(%rsp)
        jz 5f
        swapgs
5:      RESTORE_REGISTERS
        addq $16, %rsp                  /* the vector and error code */
        iretq
