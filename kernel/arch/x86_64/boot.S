/*
 * boot.S — from GRUB's 32-bit protected mode to kmain() in 64-bit long mode.
 *
 * The one thing to know: this code runs at its physical address (the linker puts it in
 * .boot, below the high half), with paging off. It builds just enough page tables to
 * reach the linked addresses — the first 4 GiB mapped three times: at 0 (so the next
 * instruction after enabling paging still exists), at the direct map PHYS_BASE, and the
 * first 2 GiB at KERNEL_VMA — and enters long mode. Lab 2's paging_init() replaces these
 * tables with the kernel's real ones.
 *
 * Multiboot hands us: eax = 0x2BADB002, ebx = physical address of the info structure.
 */
#include <arch/x86_64/layout.h>

#define MB_MAGIC        0x1BADB002
#define MB_FLAGS        0x00000003      /* page-aligned modules, give us the memory map */

#define PG_PRESENT      0x001
#define PG_WRITE        0x002
#define PG_LARGE        0x080

#define CR0_PG          (1 << 31)
#define CR0_WP          (1 << 16)
#define CR4_PAE         (1 << 5)
#define MSR_EFER        0xC0000080
#define EFER_LME        (1 << 8)
#define EFER_NXE        (1 << 11)

        .section .multiboot, "a"
        .align 4
        .long MB_MAGIC
        .long MB_FLAGS
        .long -(MB_MAGIC + MB_FLAGS)

        .section .boot.text, "ax"
        .code32
        .globl boot_entry
boot_entry:
        cli
        cld
        movl $boot_stack_top, %esp
        pushl %ebx                      /* kmain's arguments, popped before the jump */
        pushl %eax

        /* Long mode needs CPUID leaf 0x80000001, EDX bit 29. */
        movl $0x80000000, %eax
        cpuid
        cmpl $0x80000001, %eax
        jb no_long_mode
        movl $0x80000001, %eax
        cpuid
        btl $29, %edx
        jnc no_long_mode
        movl %edx, %ebp                 /* keep bit 20 (NX) for EFER below */

        /* Four page directories of 2 MiB pages: physical 0 .. 4 GiB. */
        movl $boot_pd, %ebx
        xorl %ecx, %ecx
1:      movl %ecx, %eax
        shll $21, %eax
        orl $(PG_PRESENT | PG_WRITE | PG_LARGE), %eax
        movl %eax, (%ebx, %ecx, 8)
        movl %ecx, %eax
        shrl $11, %eax                  /* bits 32.. of the physical address */
        movl %eax, 4(%ebx, %ecx, 8)
        incl %ecx
        cmpl $(4 * 512), %ecx
        jne 1b

        /* The low PDPT points at all four; the high one at the first two (-2 GiB). */
        movl $boot_pdpt_low, %edi
        movl $(boot_pd + PG_PRESENT + PG_WRITE), %eax
        movl %eax, 0(%edi)
        addl $4096, %eax
        movl %eax, 8(%edi)
        addl $4096, %eax
        movl %eax, 16(%edi)
        addl $4096, %eax
        movl %eax, 24(%edi)
        movl $boot_pdpt_high, %edi
        movl $(boot_pd + PG_PRESENT + PG_WRITE), %eax
        movl %eax, (510 * 8)(%edi)
        addl $4096, %eax
        movl %eax, (511 * 8)(%edi)

        movl $boot_pml4, %edi
        movl $(boot_pdpt_low + PG_PRESENT + PG_WRITE), %eax
        movl %eax, 0(%edi)                          /* identity, for the jump below */
        movl %eax, (PML4_INDEX_PHYS_BASE * 8)(%edi) /* the direct map */
        movl $(boot_pdpt_high + PG_PRESENT + PG_WRITE), %eax
        movl %eax, (511 * 8)(%edi)                  /* the kernel image */

        movl %cr4, %eax
        orl $CR4_PAE, %eax
        movl %eax, %cr4
        movl $boot_pml4, %eax
        movl %eax, %cr3

        movl $MSR_EFER, %ecx
        rdmsr
        orl $EFER_LME, %eax
        btl $20, %ebp
        jnc 2f
        orl $EFER_NXE, %eax             /* only where the CPU has NX: else the bit faults */
2:      wrmsr

        movl %cr0, %eax
        orl $(CR0_PG | CR0_WP), %eax
        movl %eax, %cr0

        popl %edi                       /* the magic */
        popl %ebx                       /* the info structure's address */
        lgdt boot_gdt_pointer
        ljmp $0x08, $boot_long_mode

no_long_mode:
        /* Say why on COM1 (already set up by the BIOS or GRUB well enough), then stop. */
        movl $no_long_mode_msg, %esi
        movw $0x3f8, %dx
3:      lodsb
        testb %al, %al
        jz 4f
        outb %al, %dx
        jmp 3b
4:      hlt
        jmp 4b

        .code64
boot_long_mode:
        movw $0x10, %ax
        movw %ax, %ds
        movw %ax, %es
        movw %ax, %ss
        xorl %eax, %eax
        movw %ax, %fs
        movw %ax, %gs
        /* Leave the identity map behind: stack and code in the high half from here. */
        movabsq $kernel_boot_stack_top, %rsp
        movl %edi, %edi                 /* zero-extend: upper halves are undefined */
        movl %ebx, %esi
        xorl %ebp, %ebp
        movabsq $kmain, %rax
        callq *%rax
5:      hlt
        jmp 5b

        .section .boot.data, "a"
        .align 16
boot_gdt:
        .quad 0
        .quad 0x00AF9A000000FFFF        /* 0x08: 64-bit code, ring 0 */
        .quad 0x00CF92000000FFFF        /* 0x10: data, ring 0 */
boot_gdt_end:
boot_gdt_pointer:
        .word boot_gdt_end - boot_gdt - 1
        .long boot_gdt
no_long_mode_msg:
        .asciz "minim: this CPU has no 64-bit long mode; stopped.\r\n"

        .section .boot.bss, "aw", @nobits
        .align 4096
boot_pml4:      .space 4096
boot_pdpt_low:  .space 4096
boot_pdpt_high: .space 4096
boot_pd:        .space 4 * 4096
boot_stack:     .space 4096
boot_stack_top:

        /*
         * The stack kmain runs on; each thread gets its own in lab 3. The page below
         * it is a guard: paging_init() leaves it unmapped, so an overflow faults (and
         * the double fault lands on its IST stack) instead of overwriting data.
         */
        .section .bss
        .align 4096
        .globl kernel_stack_guard, kernel_boot_stack, kernel_boot_stack_top
kernel_stack_guard:
        .space 4096
kernel_boot_stack:
        .space KERNEL_STACK_SIZE
kernel_boot_stack_top:
