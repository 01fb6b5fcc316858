/*
 * trap_entry.S — the first instructions of every interrupt and exception.
 *
 * The one thing to know: each vector's stub makes the stack look the same — it pushes
 * a zero where the CPU pushes no error code, then the vector number — so trap_common
 * can save the registers into one struct trap_frame shape (trap.h) for all 256 vectors.
 * Stubs are 16 bytes apart; idt.c relies on it.
 */
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
        pushq %rax
        pushq %rbx
        pushq %rcx
        pushq %rdx
        pushq %rsi
        pushq %rdi
        pushq %rbp
        pushq %r8
        pushq %r9
        pushq %r10
        pushq %r11
        pushq %r12
        pushq %r13
        pushq %r14
        pushq %r15
        /* From ring 3, GS still holds the user's base: switch to the kernel's. */
        testb $3, 144(%rsp)             /* the saved CS */
        jz 1f
        swapgs
1:      movq %rsp, %rdi
        cld                             /* the C ABI expects DF clear */
        call trap_dispatch
        .globl trap_return
trap_return:
        testb $3, 144(%rsp)
        jz 2f
        swapgs
2:      popq %r15
        popq %r14
        popq %r13
        popq %r12
        popq %r11
        popq %r10
        popq %r9
        popq %r8
        popq %rbp
        popq %rdi
        popq %rsi
        popq %rdx
        popq %rcx
        popq %rbx
        popq %rax
        addq $16, %rsp                  /* the vector and error code */
        iretq
