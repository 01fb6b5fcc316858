/**
 * @file
 * idt.c — fills the IDT: every vector enters trap_entry.S, which calls trap_dispatch().
 *
 * The one thing to know: trap_entry.S lays its 256 entry stubs out 16 bytes apart from
 * trap_vectors, so the stub of vector v is at trap_vectors + 16 * v; no table of
 * addresses is needed.
 */
#include <stdint.h>
#include <arch/x86_64/gdt.h>
#include <arch/x86_64/idt.h>
#include <arch/x86_64/trap.h>

extern char trap_vectors[];

static struct idt_gate idt[256] __attribute__((aligned(16)));

/* The vectors that switch to a stack of their own (gdt.h says why); the rest: 0, none. */
static const uint8_t ist_of[T_EXCEPTIONS] = {
	[T_DEBUG] = IST_DEBUG,
	[T_NMI] = IST_NMI,
	[T_DOUBLE_FAULT] = IST_DOUBLE_FAULT,
	[T_MACHINE_CHECK] = IST_MACHINE_CHECK,
};

/**
 * Encodes one gate: `handler` (a 64-bit kernel address) split over three fields, the
 * kernel code selector, the present bit, `dpl` (the most privileged ring allowed to
 * raise the vector with an `int` instruction) and `type`, and the IST slot.
 */
static void idt_set_gate(struct idt_gate *gate, uint64_t handler, unsigned type,
			 unsigned dpl, unsigned ist)
{
	/* LAB 1 BEGIN: an IDT gate descriptor */
	gate->offset_low = handler & 0xffff;
	gate->offset_mid = (handler >> 16) & 0xffff;
	gate->offset_high = handler >> 32;
	gate->selector = SEL_KERNEL_CODE;
	gate->ist = ist & 0x7;
	gate->type_attr = 0x80 | ((dpl & 3) << 5) | (type & 0xf);   /* 0x80: present */
	gate->reserved = 0;
	/* LAB 1 STUB
	// Fill in every field of *gate; see the layout in idt.h and Intel SDM vol. 3,
	// section 6.14.1 ("64-bit mode IDT").
	(void)gate;
	(void)handler;
	(void)type;
	(void)dpl;
	(void)ist;
	*/
	/* LAB 1 END */
}

void idt_init(void)
{
	for (unsigned v = 0; v < 256; v++) {
		unsigned ist = v < T_EXCEPTIONS ? ist_of[v] : 0;
		unsigned dpl = v == T_BREAKPOINT ? 3 : 0;       /* user code may use int3 */
		idt_set_gate(&idt[v], (uint64_t)trap_vectors + 16 * v, GATE_INTERRUPT, dpl, ist);
	}

	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) pointer = { sizeof(idt) - 1, (uint64_t)idt };
	__asm__ volatile("lidt %0" : : "m"(pointer));
}
