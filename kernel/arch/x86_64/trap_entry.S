/*
 * trap_entry.S — the first instructions of every interrupt and exception.
 *
 * The one thing to know: each vector's stub makes the stack look the same — it pushes
 * a zero where the CPU pushes no error code, then the vector number — so trap_common
 * can save the registers into one struct trap_frame shape (trap.h) for all 256 vectors.
 * Stubs are 16 bytes apart; idt.c relies on it.
 */
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
        /* From ring 3, GS still holds the user's base: switch to the kernel's. */
        testb $3, FRAME_CS(%rsp)             /* the saved CS */
        jz 1f
        swapgs
1:      movq %rsp, %rdi
        cld                             /* the C ABI expects DF clear */
        call trap_dispatch
        .globl trap_return
trap_return:
        testb $3, FRAME_CS(%rsp)
        jz 2f
        swapgs
2:      RESTORE_REGISTERS
        addq $16, %rsp                  /* the vector and error code */
        iretq
