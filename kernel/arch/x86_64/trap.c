/**
 * @file
 * trap.c — deciding what to do with an interrupt or exception, and the register dump.
 *
 * The one thing to know: trap_dispatch() is the single C entry point for all 256
 * vectors. An exception in kernel code is a kernel bug — dump and panic — unless it is
 * a page fault at an instruction in the fixup table (a probe or user copy that expects
 * to fault). Later labs add handlers: the timer (lab 3), faults of user threads as IPC
 * (lab 5), IRQs (lab 7).
 */
#include <kprintf.h>
#include <stddef.h>
#include <panic.h>
#include <arch/x86_64/cpu.h>
#include <arch/x86_64/trap.h>

_Static_assert(offsetof(struct trap_frame, cs) == FRAME_CS, "trap_entry.S's FRAME_CS");
_Static_assert(sizeof(struct trap_frame) == TRAP_FRAME_SIZE, "trap_entry.S's TRAP_FRAME_SIZE");

static trap_handler_fn *handlers[256];

static const char *const exception_names[T_EXCEPTIONS] = {
	[T_DIVIDE] = "#DE divide error",
	[T_DEBUG] = "#DB debug",
	[T_NMI] = "NMI",
	[T_BREAKPOINT] = "#BP breakpoint",
	[T_OVERFLOW] = "#OF overflow",
	[T_BOUND] = "#BR bound range exceeded",
	[T_INVALID_OPCODE] = "#UD invalid opcode",
	[T_NO_DEVICE] = "#NM device not available",
	[T_DOUBLE_FAULT] = "#DF double fault",
	[T_INVALID_TSS] = "#TS invalid TSS",
	[T_NO_SEGMENT] = "#NP segment not present",
	[T_STACK] = "#SS stack-segment fault",
	[T_GENERAL_PROTECTION] = "#GP general protection",
	[T_PAGE_FAULT] = "#PF page fault",
	[T_X87] = "#MF x87 floating-point error",
	[T_ALIGNMENT] = "#AC alignment check",
	[T_MACHINE_CHECK] = "#MC machine check",
	[T_SIMD] = "#XM SIMD floating-point",
	[T_VIRTUALIZATION] = "#VE virtualization",
	[T_CONTROL_PROTECTION] = "#CP control protection",
};

const char *trap_name(unsigned vector)
{
	if (vector < T_EXCEPTIONS)
		return exception_names[vector] ? exception_names[vector] : "reserved exception";
	return "interrupt";
}

trap_handler_fn *trap_set_handler(unsigned vector, trap_handler_fn *fn)
{
	KASSERT(vector < 256);
	trap_handler_fn *previous = handlers[vector];
	handlers[vector] = fn;
	return previous;
}

static void dump_page_fault(const struct trap_frame *tf)
{
	uint64_t e = tf->error;
	kprintf("  page fault: %s %s a %s page in %s mode%s\n",
		e & PF_FETCH ? "instruction fetch" : e & PF_WRITE ? "write" : "read",
		e & PF_FETCH ? "from" : e & PF_WRITE ? "to" : "from",
		e & PF_PRESENT ? "present (protection violation)" : "not-present",
		e & PF_USER ? "user" : "kernel", e & PF_RESERVED ? ", reserved bit set" : "");
}

void trap_dump(const struct trap_frame *tf)
{
	kprintf("EXCEPTION: %s (vector %lu, error 0x%lx)\n", trap_name(tf->vector), tf->vector,
		tf->error);
	kprintf("  rip=%016lx cs=%04lx rflags=%016lx\n", tf->rip, tf->cs, tf->rflags);
	kprintf("  rsp=%016lx ss=%04lx\n", tf->rsp, tf->ss);
	kprintf("  rax=%016lx rbx=%016lx rcx=%016lx\n", tf->rax, tf->rbx, tf->rcx);
	kprintf("  rdx=%016lx rsi=%016lx rdi=%016lx\n", tf->rdx, tf->rsi, tf->rdi);
	kprintf("  rbp=%016lx r8 =%016lx r9 =%016lx\n", tf->rbp, tf->r8, tf->r9);
	kprintf("  r10=%016lx r11=%016lx r12=%016lx\n", tf->r10, tf->r11, tf->r12);
	kprintf("  r13=%016lx r14=%016lx r15=%016lx\n", tf->r13, tf->r14, tf->r15);
	kprintf("  cr2=%016lx cr3=%016lx\n", read_cr2(), read_cr3());
	if (tf->vector == T_PAGE_FAULT)
		dump_page_fault(tf);
}

/*
 * The address to resume at when the kernel instruction at rip faults, or 0 if none:
 * the linker collects the (instruction, fixup) pairs of every .fixup_table section
 * (user_copy.S, the tests' probes) between fixup_table_start and fixup_table_end.
 */
static uint64_t fixup_lookup(uint64_t rip)
{
	extern const uint64_t fixup_table_start[], fixup_table_end[];
	for (const uint64_t *f = fixup_table_start; f < fixup_table_end; f += 2)
		if (f[0] == rip)
			return f[1];
	return 0;
}

/**
 * Called by trap_entry.S with interrupts off, for every vector. Returns to the
 * interrupted code (through trap_return), with whatever changes a handler made to *tf.
 */
void trap_dispatch(struct trap_frame *tf)
{
	/* LAB 1 BEGIN: trap dispatch */
	/*
	 * A kernel page fault the code expected: resume at its fixup. Only #PF: a probe or
	 * a user copy touches canonical addresses only, so a page fault is all it can
	 * raise; an NMI, #DB or #MC merely arriving at such an instruction is not its
	 * fault and must reach its handler with rip unchanged.
	 */
	if (tf->vector == T_PAGE_FAULT && !trap_from_user(tf)) {
		uint64_t fixup = fixup_lookup(tf->rip);
		if (fixup) {
			tf->rip = fixup;
			return;
		}
	}
	trap_handler_fn *handler = handlers[tf->vector];
	if (handler) {
		handler(tf);
		return;
	}
	if (tf->vector < T_EXCEPTIONS) {
		trap_dump(tf);
		panic("unhandled exception in %s mode", trap_from_user(tf) ? "user" : "kernel");
	}
	kprintf("trap: spurious interrupt, vector %lu\n", tf->vector);
	/* LAB 1 STUB
	// Decide what this trap is and act: a kernel page fault (only #PF) at a fixed-up
	// instruction (fixup_lookup), a vector with a handler (handlers[]), an unhandled
	// exception (dump the registers and panic), or a stray interrupt (report it).
	(void)tf;
	(void)fixup_lookup;
	panic("trap_dispatch is not written yet (lab 1)");
	*/
	/* LAB 1 END */
}
