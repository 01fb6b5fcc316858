/*
 * probe.S — loads and stores that are allowed to fault (see probe.h): test support,
 * compiled into every image, never used by the kernel proper.
 *
 * Each entry of .fixup_table is a pair: the address of an instruction that may fault,
 * and where to resume if it does. The fixup returns false from the probe.
 */

/* bool probe_read_u64(uint64_t va, uint64_t *out) */
        .text
        .globl probe_read_u64
probe_read_u64:
1:      movq (%rdi), %rax
        movq %rax, (%rsi)
        movl $1, %eax
        ret

/* bool probe_write_u64(uint64_t va, uint64_t value) */
        .globl probe_write_u64
probe_write_u64:
2:      movq %rsi, (%rdi)
        movl $1, %eax
        ret

probe_failed:
        xorl %eax, %eax
        ret

        .section .fixup_table, "a"
        .quad 1b, probe_failed
        .quad 2b, probe_failed
