/**
 * @file
 * lab1_entry_tests.c — lab 1 scenarios for the hardened trap entry: which vectors a
 * fixup may redirect, and which vectors run on IST stacks of their own.
 *
 * The one thing to know: trap_fixup_vectors hands trap_dispatch() frames made by hand,
 * as trap_entry.S would build them for a kernel-mode trap at each instruction of the
 * fixup table; no real NMI or machine check is needed to see what dispatch does with one.
 */
#include <kprintf.h>
#include <stdint.h>
#include <arch/x86_64/gdt.h>
#include <arch/x86_64/idt.h>
#include <arch/x86_64/probe.h>
#include <arch/x86_64/trap.h>
#include <test/ktest.h>

extern const uint64_t fixup_table_start[], fixup_table_end[];

/* Vectors that a probe or user copy cannot raise: none of them may be fixed up. */
static const unsigned not_fixed_up[] = { T_DEBUG, T_NMI, T_GENERAL_PROTECTION,
					 T_MACHINE_CHECK };

static volatile unsigned handler_runs[T_EXCEPTIONS];
static volatile uint64_t handler_rip;

static void on_vector(struct trap_frame *tf)
{
	handler_runs[tf->vector]++;
	handler_rip = tf->rip;
}

/* What trap_entry.S passes for vector v taken in kernel mode with rip at `rip`. */
static struct trap_frame kernel_frame(unsigned v, uint64_t rip)
{
	return (struct trap_frame){ .vector = v, .rip = rip, .cs = SEL_KERNEL_CODE,
				    .rflags = 0x2, .ss = SEL_KERNEL_DATA };
}

/*
 * An NMI, #DB, #GP or #MC at a fixup-listed instruction reaches its handler with rip
 * unchanged; a #PF there resumes at the fixup. Every entry of the table is tried.
 */
KTEST(trap_fixup_vectors, STAGE_TRAPS)
{
	unsigned entries = (unsigned)(fixup_table_end - fixup_table_start) / 2;
	KCHECK(entries > 0);
	kprintf("fixup: %u instructions listed\n", entries);

	for (unsigned k = 0; k < sizeof(not_fixed_up) / sizeof(not_fixed_up[0]); k++) {
		unsigned v = not_fixed_up[k], ran = 0, kept = 0;
		trap_set_handler(v, on_vector);
		for (unsigned i = 0; i < entries; i++) {
			uint64_t at = fixup_table_start[2 * i];
			struct trap_frame tf = kernel_frame(v, at);
			unsigned before = handler_runs[v];
			handler_rip = 0;
			trap_dispatch(&tf);
			ran += handler_runs[v] == before + 1 && handler_rip == at;
			kept += tf.rip == at;
		}
		trap_set_handler(v, NULL);
		kprintf("fixup: %s at each: handler ran %u times, rip kept %u times\n",
			trap_name(v), ran, kept);
	}

	unsigned redirected = 0;
	for (unsigned i = 0; i < entries; i++) {
		struct trap_frame tf = kernel_frame(T_PAGE_FAULT, fixup_table_start[2 * i]);
		tf.error = PF_WRITE;
		trap_dispatch(&tf);
		redirected += tf.rip == fixup_table_start[2 * i + 1];
	}
	kprintf("fixup: %s at each: resumed at its fixup %u times\n", trap_name(T_PAGE_FAULT),
		redirected);
}

/* Vectors that can arrive on a bad or user-chosen stack, each of which needs its own. */
static const unsigned ist_vectors[] = { T_DEBUG, T_NMI, T_DOUBLE_FAULT, T_MACHINE_CHECK };
#define IST_VECTORS (sizeof(ist_vectors) / sizeof(ist_vectors[0]))

struct descriptor_pointer {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

/* The TSS the CPU uses, found as the CPU finds it: TR's selector in the GDT. */
static const struct tss *loaded_tss(void)
{
	struct descriptor_pointer gdtr;
	uint16_t tr;
	/* Both only store a register: the GDT's base and limit, TR's selector. */
	__asm__ volatile("sgdt %0" : "=m"(gdtr));
	__asm__ volatile("str %0" : "=r"(tr));
	const uint64_t *d = (const uint64_t *)(gdtr.base + (tr & ~7u));
	uint64_t base = ((d[0] >> 16) & 0xffffff) | (((d[0] >> 56) & 0xff) << 24) |
			(d[1] << 32);
	return (const struct tss *)base;
}

/*
 * Reads the loaded IDT and TSS: #DB, NMI, #DF and #MC must each name a different IST
 * slot, and those slots different stacks (tops at least a page apart), all mapped.
 */
KTEST(trap_ist_stacks, STAGE_TRAPS)
{
	struct descriptor_pointer idtr;
	__asm__ volatile("sidt %0" : "=m"(idtr));      /* stores the IDT's base and limit */
	const struct idt_gate *idt = (const struct idt_gate *)idtr.base;
	const struct tss *tss = loaded_tss();
	unsigned slot[IST_VECTORS];
	uint64_t top[IST_VECTORS];
	unsigned slots = 0, stacks = 0;

	for (unsigned i = 0; i < IST_VECTORS; i++) {
		slot[i] = idt[ist_vectors[i]].ist & 7;
		top[i] = slot[i] ? tss->ist[slot[i] - 1] : 0;
		uint64_t word;
		bool usable = top[i] && top[i] % 16 == 0 && probe_read_u64(top[i] - 8, &word);
		kprintf("ist: vector %u (%s): slot %u, stack top %016lx%s\n", ist_vectors[i],
			trap_name(ist_vectors[i]), slot[i], top[i], usable ? "" : " (unusable)");
		bool new_slot = slot[i] != 0, new_stack = usable;
		for (unsigned j = 0; j < i; j++) {
			new_slot = new_slot && slot[j] != slot[i];
			uint64_t gap = top[i] > top[j] ? top[i] - top[j] : top[j] - top[i];
			new_stack = new_stack && gap >= 4096;
		}
		slots += new_slot;
		stacks += new_stack;
	}
	kprintf("ist: vectors 1, 2, 8, 18: %u distinct IST slots, %u distinct usable stacks\n",
		slots, stacks);
}
