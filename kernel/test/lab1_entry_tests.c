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
#include <stddef.h>
#include <stdint.h>
#include <arch/x86_64/gdt.h>
#include <arch/x86_64/idt.h>
#include <arch/x86_64/trap.h>
#include <test/ktest.h>
#include <test/probe.h>

extern const uint64_t fixup_table_start[], fixup_table_end[];

/* Vectors that a probe or user copy cannot raise: none of them may be fixed up. */
static const unsigned not_fixed_up[] = { T_DEBUG, T_NMI, T_GENERAL_PROTECTION,
					 T_MACHINE_CHECK };

static volatile unsigned handler_runs[T_EXCEPTIONS];
static volatile uint64_t handler_rip, handler_key;

/* Counts the run, notes rip, and changes rax as only a handler that ran can. */
static void on_vector(struct trap_frame *tf)
{
	handler_runs[tf->vector]++;
	handler_rip = tf->rip;
	tf->rax = tf->rax * 3 + handler_key + tf->vector;
}

/* What trap_entry.S passes for vector v taken in kernel mode with rip at `rip`. */
static struct trap_frame kernel_frame(unsigned v, uint64_t rip)
{
	return (struct trap_frame){ .vector = v, .rip = rip, .cs = SEL_KERNEL_CODE,
				    .rflags = 0x2, .ss = SEL_KERNEL_DATA };
}

/*
 * An NMI, #DB, #GP or #MC at a fixup-listed instruction reaches its handler with rip
 * unchanged; a #PF there resumes at the fixup, and no handler touches its registers.
 * The seed gives the number of frames per vector, the listed instruction of each and
 * its rax, and the handler's key: the sums of rax afterwards show who ran.
 */
KTEST(trap_fixup_vectors, STAGE_TRAPS)
{
	struct challenge c = ktest_challenge();
	unsigned entries = (unsigned)(fixup_table_end - fixup_table_start) / 2;
	KCHECK(entries > 0);
	kprintf("fixup: %u instructions listed\n", entries);
	handler_key = challenge_next(&c);

	for (unsigned k = 0; k < sizeof(not_fixed_up) / sizeof(not_fixed_up[0]); k++) {
		unsigned v = not_fixed_up[k], ran = 0, kept = 0;
		unsigned trials = (unsigned)challenge_range(&c, 8, 40);
		uint64_t sum = 0;
		trap_set_handler(v, on_vector);
		for (unsigned t = 0; t < trials; t++) {
			uint64_t at = fixup_table_start[2 * (challenge_next(&c) % entries)];
			struct trap_frame tf = kernel_frame(v, at);
			tf.rax = challenge_next(&c);
			unsigned before = handler_runs[v];
			handler_rip = 0;
			trap_dispatch(&tf);
			ran += handler_runs[v] == before + 1 && handler_rip == at;
			kept += tf.rip == at;
			sum += tf.rax;
		}
		trap_set_handler(v, NULL);
		kprintf("fixup: %s, %u frames: handler ran %u times, rip kept %u times, "
			"rax sum %lx\n", trap_name(v), trials, ran, kept, sum);
	}

	/* A #PF handler (lab 5 has one, for user faults) must not see a fixed-up fault. */
	unsigned trials = (unsigned)challenge_range(&c, 8, 40), redirected = 0;
	unsigned runs_before = handler_runs[T_PAGE_FAULT];
	trap_handler_fn *previous = trap_set_handler(T_PAGE_FAULT, on_vector);
	uint64_t sum = 0;
	for (unsigned t = 0; t < trials; t++) {
		uint64_t pick = challenge_next(&c);
		unsigned i = (unsigned)(pick % entries);
		struct trap_frame tf = kernel_frame(T_PAGE_FAULT, fixup_table_start[2 * i]);
		/* Read or write, not present or a protection fault: a probe meets all four. */
		tf.error = (pick >> 40) & (PF_PRESENT | PF_WRITE);
		tf.rax = challenge_next(&c);
		trap_dispatch(&tf);
		redirected += tf.rip == fixup_table_start[2 * i + 1];
		sum += tf.rax;
	}
	trap_set_handler(T_PAGE_FAULT, previous);
	kprintf("fixup: %s, %u frames: resumed at its fixup %u times, handler ran %u times, "
		"rax sum %lx\n", trap_name(T_PAGE_FAULT), trials, redirected,
		handler_runs[T_PAGE_FAULT] - runs_before, sum);
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

static volatile uint64_t ist_frame, ist_key;

/* Notes where the frame is, and changes rax so the interrupted code can tell it ran. */
static void on_ist_vector(struct trap_frame *tf)
{
	ist_frame = (uint64_t)tf;
	tf->rax ^= ist_key + tf->vector;
}

/* `int $v` goes through vector v's gate, IST and all; rax goes in and comes back. */
static uint64_t raise_vector(unsigned v, uint64_t rax)
{
	if (v == T_DEBUG)
		__asm__ volatile("int $1" : "+a"(rax) : : "memory");
	else if (v == T_NMI)
		__asm__ volatile("int $2" : "+a"(rax) : : "memory");
	else
		__asm__ volatile("int $18" : "+a"(rax) : : "memory");
	return rax;
}

/*
 * Reads the loaded IDT and TSS: #DB, NMI, #DF and #MC must each name a different IST
 * slot, and those slots different stacks (tops at least a page apart), all mapped.
 * Then #DB, NMI and #MC (which push no error code, so `int` can raise them), in an
 * order the seed picks, each with a rax and key from the seed: each handler's frame
 * must lie right below the top of its own IST stack.
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

	struct challenge c = ktest_challenge();
	unsigned order[] = { T_DEBUG, T_NMI, T_MACHINE_CHECK };
	ist_key = challenge_next(&c);
	for (unsigned i = 2; i > 0; i--) {
		unsigned j = (unsigned)challenge_range(&c, 0, i), t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	for (unsigned i = 0; i < 3; i++) {
		unsigned v = order[i], s = idt[v].ist & 7;
		uint64_t rax = challenge_next(&c);
		ist_frame = 0;
		trap_set_handler(v, on_ist_vector);
		rax = raise_vector(v, rax);
		trap_set_handler(v, NULL);
		uint64_t stack_top = s ? tss->ist[s - 1] : 0;
		kprintf("ist: int $%u ran its handler %ld bytes below the top of its stack, "
			"rax %lx\n", v, (long)(stack_top - ist_frame), rax);
	}
}
