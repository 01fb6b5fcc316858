/**
 * @file
 * syscall_arch.c — programs the MSRs behind `syscall`/`sysret`, and the per-CPU GS base.
 *
 * The one thing to know: STAR holds two selector bases, not selectors: syscall loads
 * CS = STAR[47:32] and SS = that + 8; sysret loads SS = STAR[63:48] + 8 and CS = that
 * + 16 (with RPL 3). gdt.h orders the descriptors so both work.
 */
#include <stddef.h>
#include <abi/syscall.h>
#include <arch/x86_64/cpu.h>
#include <arch/x86_64/cpu_local.h>
#include <arch/x86_64/gdt.h>
#include <arch/x86_64/syscall_arch.h>

#define MSR_STAR                0xC0000081
#define MSR_LSTAR               0xC0000082
#define MSR_SFMASK              0xC0000084
#define MSR_GS_BASE             0xC0000101
#define MSR_KERNEL_GS_BASE      0xC0000102
#define EFER_SCE                (1u << 0)

/* Flags cleared on entry: IF (no interrupts until we are on the kernel stack), TF, DF,
 * AC, NT. */
#define SFMASK_BITS             ((1u << 9) | (1u << 8) | (1u << 10) | (1u << 18) | (1u << 14))

_Static_assert(offsetof(struct cpu_local, kernel_rsp) == CPU_KERNEL_RSP, "cpu_local layout");
_Static_assert(offsetof(struct cpu_local, user_rsp) == CPU_USER_RSP, "cpu_local layout");
_Static_assert(SEL_USER_DATA == ((SEL_KERNEL_DATA + 8) | 3), "sysret needs data then code");
_Static_assert(SEL_USER_CODE == ((SEL_KERNEL_DATA + 16) | 3), "sysret needs data then code");

_Static_assert(SYS_ipc == 10, "syscall_entry.S's SYS_IPC_NUMBER");

struct cpu_local cpu;

extern char syscall_entry[];

void syscall_arch_init(void)
{
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	wrmsr(MSR_STAR, ((uint64_t)SEL_KERNEL_DATA << 48) | ((uint64_t)SEL_KERNEL_CODE << 32));
	wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	wrmsr(MSR_SFMASK, SFMASK_BITS);
	/* Kernel mode runs with GS = &cpu; the user's GS base waits in KERNEL_GS_BASE. */
	wrmsr(MSR_GS_BASE, (uint64_t)&cpu);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
}
