/**
 * @file
 * machine.c — the exit door: QEMU's isa-debug-exit device, else a halt.
 */
#include <arch/x86_64/cpu.h>
#include <arch/x86_64/machine.h>

#define DEBUG_EXIT_PORT 0xf4

_Noreturn void machine_exit(enum machine_exit_code code)
{
	outl(DEBUG_EXIT_PORT, (uint32_t)code);
	/* Still here: no such device (real hardware, or QEMU started without it). */
	cpu_halt_forever();
}
