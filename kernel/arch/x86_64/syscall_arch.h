/**
 * @file
 * syscall_arch.h — enabling the syscall instruction, and the user's FS base.
 */
#pragma once

#include <stdint.h>
#include <arch/x86_64/cpu.h>

void syscall_arch_init(void);

/* Sets the FS base user code sees (minim: the running thread's UTCB). */
static inline void cpu_set_user_fs(uint64_t base)
{
	wrmsr(MSR_FS_BASE, base);
}
