/**
 * @file
 * lab1_gate_tests.c — lab 1 scenarios for the IDT's gates: what each descriptor says,
 * and what an interrupt gate does to the interrupt flag.
 *
 * The one thing to know: a gate's DPL only matters to user code (an `int` from ring 0
 * passes every gate), and lab 1 has no user mode yet, so trap_gate_descriptors reads
 * the loaded IDT back, as the CPU reads it, and prints what each gate says; lab 3's
 * user programs are the ones that depend on it. trap_interrupts_off is behaviour: it
 * raises vectors with interrupts on, and the handler looks at its own RFLAGS.
 */
#include <kprintf.h>
#include <stddef.h>
#include <stdint.h>
#include <arch/x86_64/cpu.h>
#include <arch/x86_64/gdt.h>
#include <arch/x86_64/idt.h>
#include <arch/x86_64/trap.h>
#include <test/ktest.h>

extern char trap_vectors[];

#define RFLAGS_IF (1ul << 9)

struct idt_pointer {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

static const struct idt_gate *loaded_idt(void)
{
	struct idt_pointer idtr;
	__asm__ volatile("sidt %0" : "=m"(idtr));      /* stores the IDT's base and limit */
	return (const struct idt_gate *)idtr.base;
}

static uint64_t gate_handler(const struct idt_gate *g)
{
	return g->offset_low | (uint64_t)g->offset_mid << 16 | (uint64_t)g->offset_high << 32;
}

/* Prints what gate v says: its entry stub (as a vector number), selector, type, DPL, IST. */
static void print_gate(const struct idt_gate *idt, unsigned v)
{
	const struct idt_gate *g = &idt[v];
	long stub = ((long)gate_handler(g) - (long)trap_vectors) / 16;
	kprintf("gate %u: %s, entry stub %ld%s, selector %x, type %x, dpl %u, ist %u\n", v,
		g->type_attr & 0x80 ? "present" : "not present", stub,
		(gate_handler(g) - (uint64_t)trap_vectors) % 16 ? " (misaligned)" : "",
		g->selector, g->type_attr & 0x1f, (g->type_attr >> 5) & 3, g->ist & 7);
}

/*
 * All 256 gates tallied: present, at their own stub, the kernel's code selector, an
 * interrupt gate; the vectors user code may raise with `int` (DPL 3) listed. Then four
 * gates the seed picks (three exceptions, one interrupt vector), field by field.
 */
KTEST(trap_gate_descriptors, STAGE_TRAPS)
{
	const struct idt_gate *idt = loaded_idt();
	unsigned present = 0, at_stub = 0, kernel_code = 0, interrupt = 0, user = 0;
	unsigned user_list[4];

	for (unsigned v = 0; v < 256; v++) {
		const struct idt_gate *g = &idt[v];
		present += (g->type_attr & 0x80) != 0;
		at_stub += gate_handler(g) == (uint64_t)trap_vectors + 16 * v;
		kernel_code += g->selector == SEL_KERNEL_CODE;
		interrupt += (g->type_attr & 0x1f) == GATE_INTERRUPT;
		if (((g->type_attr >> 5) & 3) == 3 && user++ < 4)
			user_list[user - 1] = v;
	}
	kprintf("gates: %u present, %u at their entry stubs, %u with the kernel code selector, "
		"%u interrupt gates\n", present, at_stub, kernel_code, interrupt);
	kprintf("gates: user code may raise %u vectors with int:", user);
	for (unsigned i = 0; i < user && i < 4; i++)
		kprintf(" %u", user_list[i]);
	kprintf("%s\n", user == 0 ? " none" : user > 4 ? " ..." : "");

	struct challenge c = ktest_challenge();
	for (int i = 0; i < 3; i++)
		print_gate(idt, (unsigned)challenge_range(&c, 0, T_EXCEPTIONS - 1));
	print_gate(idt, (unsigned)challenge_range(&c, T_EXCEPTIONS, 255));
}

/* `int $v; ret; nop` for every vector from 32 up: 4 bytes each, so the seed can pick. */
__asm__(".pushsection .text\n"
	".balign 16\n"
	"gate_test_vectors:\n"
	".set gate_test_vector, 32\n"
	".rept 224\n"
	"int $gate_test_vector\n"
	"ret\n"
	"nop\n"
	".set gate_test_vector, gate_test_vector + 1\n"
	".endr\n"
	".popsection");

static volatile uint64_t handler_rflags, frame_rflags, irq_key;

/* Reads the flags it runs with, and those the CPU saved, and changes rax. */
static void on_raised(struct trap_frame *tf)
{
	uint64_t flags;
	__asm__ volatile("pushfq; popq %0" : "=r"(flags));    /* only reads RFLAGS */
	handler_rflags = flags;
	frame_rflags = tf->rflags;
	tf->rax ^= irq_key + tf->vector;
}

/*
 * An interrupt gate clears IF on entry: a handler never runs with interrupts on, or
 * a device's interrupt could nest inside it. The seed picks 2 to 4 vectors and a rax
 * and key for each; each is raised with interrupts on (the legacy PICs masked first,
 * so that nothing real arrives) and must come back with them on again.
 */
KTEST(trap_interrupts_off, STAGE_TRAPS)
{
	extern char gate_test_vectors[];
	struct challenge c = ktest_challenge();
	unsigned raised = (unsigned)challenge_range(&c, 2, 4);

	outb(0x21, 0xff);       /* both 8259s: every line masked */
	outb(0xa1, 0xff);
	irq_key = challenge_next(&c);
	for (unsigned i = 0; i < raised; i++) {
		unsigned v = (unsigned)challenge_range(&c, T_EXCEPTIONS, 255);
		uint64_t rax = challenge_next(&c), after;
		void *stub = gate_test_vectors + 4 * (v - T_EXCEPTIONS);
		handler_rflags = frame_rflags = 0;
		trap_set_handler(v, on_raised);
		/* The stub preserves every register but rax (the handler's doing). */
		__asm__ volatile("sti\n\t"
				 "call *%2\n\t"
				 "pushfq\n\t"
				 "popq %1\n\t"
				 "cli"
				 : "+a"(rax), "=&r"(after)
				 : "r"(stub)
				 : "memory", "cc");
		trap_set_handler(v, NULL);
		kprintf("irq: int $%u with interrupts on: the handler ran with them %s, the "
			"frame saved them %s, back with them %s; rax %lx\n", v,
			handler_rflags & RFLAGS_IF ? "on" : "off",
			frame_rflags & RFLAGS_IF ? "on" : "off", after & RFLAGS_IF ? "on" : "off",
			rax);
	}
}
