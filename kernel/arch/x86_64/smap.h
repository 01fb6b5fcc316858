/**
 * @file
 * smap.h — SMEP and SMAP: the CPU refusing the kernel the use of user pages.
 *
 * The one thing to know: once smap_init() has run, a kernel instruction fetch from a
 * user page (SMEP) and a kernel load or store to one (SMAP) page-fault, except loads
 * and stores while RFLAGS.AC is set — the window `stac` opens and `clac` closes, which
 * only user_copy.S opens. Each is on only if the CPU has it (CR4 says which).
 */
#pragma once

#ifdef __ASSEMBLER__
/* `SMAP_INSN stac` or `SMAP_INSN clac`: the instruction, skipped unless smap_enabled,
 * because both are #UD on a CPU without SMAP. */
.macro SMAP_INSN insn
        testb $1, smap_enabled(%rip)
        jz .Lsmap_skip\@
        \insn
.Lsmap_skip\@:
.endm
#else
#include <stdbool.h>

/* True once CR4.SMAP is on; trap_entry.S and user_copy.S test it before clac and stac,
 * which are #UD on a CPU without SMAP. */
extern bool smap_enabled;

/* Turns on SMEP and SMAP, each if CPUID leaf 7 says the CPU has it. Call once, before
 * the first user page exists. */
void smap_init(void);
#endif
