/**
 * @file
 * lab1_tests.c — scenarios for lab 1: the console, printf and traps.
 *
 * The one thing to know: the trap scenarios that end in a panic are meant to — the
 * grader checks that the register dump names the right exception, address and error
 * code, which only a correct IDT and trap_dispatch() produce.
 */
#include <boot_info.h>
#include <format.h>
#include <kprintf.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <arch/x86_64/layout.h>
#include <arch/x86_64/trap.h>
#include <test/ktest.h>
#include <test/probe.h>

/* Like snprintf: writes at most n - 1 characters and a NUL; returns the full length. */
__attribute__((format(printf, 3, 4)))
static int ksnprintf(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int len = format_buffer(buf, n, fmt, ap);
	va_end(ap);
	return len;
}

/*
 * The banner and memory lines come from kmain; the grader checks them. The scenario
 * adds 8 bytes of boot module 1 from each of four offsets the seed picks: only a kernel
 * that found the module and prints numbers right shows them.
 */
KTEST(boot_banner, STAGE_TRAPS)
{
	struct challenge c = ktest_challenge();
	KCHECK(boot_info.module_count >= 2);
	const struct boot_module *m = &boot_info.modules[1];
	uint64_t size = m->end - m->start;
	KCHECK(size >= 8 && m->end <= EARLY_MAP_LIMIT);
	for (int i = 0; i < 4; i++) {
		uint64_t at = challenge_range(&c, 0, size - 8), word;
		memcpy(&word, (const char *)P2V(m->start) + at, sizeof(word));
		kprintf("boot: module 1 from byte %lu: %016lx\n", at, word);
	}
}

/* Boots through GRUB in `make check`: the memory stage too, with GRUB's memory map. */
KTEST(iso_boot, STAGE_PAGING)
{
}

static const char *const int_convs[] = { "d", "u", "x", "X", "ld", "lu", "lx", "lX" };
static const char *const int_flags[] = { "", "-", "0", "-0" };

/* A number of a random count of significant bits, so every width gets padded sometimes. */
static uint64_t draw_number(struct challenge *c)
{
	unsigned bits = (unsigned)challenge_range(c, 1, 64);
	return challenge_next(c) >> (64 - bits);
}

/* "%<flags><width><conv>" built at run time: the seed picks flags, width and conversion. */
static void print_drawn_conversion(struct challenge *c)
{
	unsigned conv = (unsigned)challenge_range(c, 0, 7);
	unsigned flags = (unsigned)challenge_range(c, 0, 3);
	unsigned width = (unsigned)challenge_range(c, 0, 22);
	uint64_t v = draw_number(c);
	bool negative = challenge_next(c) & 1;
	char spec[16], fmt[48];

	if (width)
		ksnprintf(spec, sizeof(spec), "%%%s%u%s", int_flags[flags], width, int_convs[conv]);
	else
		ksnprintf(spec, sizeof(spec), "%%%s%s", int_flags[flags], int_convs[conv]);
	ksnprintf(fmt, sizeof(fmt), "fmt %%%s: [%s]\n", spec, spec);
	switch (conv) {
	case 0: {
		int mag = (int)(v & 0x7fffffff);
		kprintf(fmt, negative ? -mag : mag);
		break;
	}
	case 1: case 2: case 3:
		kprintf(fmt, (unsigned)v);
		break;
	case 4: {
		long mag = (long)(v & 0x7fffffffffffffff);
		kprintf(fmt, negative ? -mag : mag);
		break;
	}
	default:
		kprintf(fmt, (unsigned long)v);
		break;
	}
}

/* A lowercase word of 1 to 12 letters. */
static void draw_word(struct challenge *c, char *out)
{
	unsigned len = (unsigned)challenge_range(c, 1, 12);
	for (unsigned i = 0; i < len; i++)
		out[i] = (char)('a' + challenge_range(c, 0, 25));
	out[len] = '\0';
}

/*
 * The edge cases (0, the extremes of each size, widths narrower than the number) stay
 * fixed; beside each, numbers, words, widths and flags drawn from the seed.
 */
KTEST(printf_formats, STAGE_TRAPS)
{
	struct challenge c = ktest_challenge();
	int d = (int)challenge_next(&c);
	unsigned u = (unsigned)challenge_next(&c);
	unsigned long lu = challenge_next(&c);
	long ld = (long)challenge_next(&c);
	unsigned x = (unsigned)challenge_next(&c);
	unsigned long lx = challenge_next(&c);

	kprintf("fmt d: [%d] [%d] [%d] [%i] [%d] [%d]\n", 0, 42, -42, 2147483647, INT32_MIN, d);
	kprintf("fmt u: [%u] [%lu] [%lu] [%u] [%lu]\n", 4294967295u, 18446744073709551615ul,
		0ul, u, lu);
	kprintf("fmt ld: [%ld] [%ld] [%ld]\n", (long)INT64_MIN, (long)INT64_MAX, ld);
	kprintf("fmt x: [%x] [%X] [%lx] [%x] [%x] [%X] [%lx] [%lX]\n", 0xbeefu, 0xbeefu,
		0x123456789abcdef0ul, 0u, x, x, lx, lx);

	int w = (int)(draw_number(&c) & 0xffff);
	unsigned h = (unsigned)draw_number(&c);
	unsigned long hl = draw_number(&c);
	kprintf("fmt width: [%5d] [%-5d] [%05d] [%05d] [%3d] [%7d] [%-7d] [%07d] [%07d]\n",
		42, 42, 42, -42, 12345, w, w, w, -w);
	kprintf("fmt hexpad: [%08x] [%-8x] [%016lx] [%08x] [%-8x] [%016lx] [%-16lX]\n",
		0xabcu, 0xabcu, 0xfful, h, h, hl, hl);
	/* '-' wins over '0' in either order: spaces after the digits, never zeros; and
	 * without either, the spaces go before the sign. (Not a
	 * literal: the compiler would warn that '0' is ignored, which is the point.) */
	const char *flags_fmt = "fmt flags: [%-05d] [%0-5d] [%-06x] [%-05d] [%0-6ld] [%5d]\n";
	kprintf(flags_fmt, 42, 42, 0xabcu, -42, -42l, -42);
	for (int i = 0; i < 12; i++)
		print_drawn_conversion(&c);

	void *ptr = (void *)draw_number(&c);
	kprintf("fmt p: [%p] [%p] [%p]\n", (void *)0xffffffff80100000ul, (void *)0, ptr);

	char word[16], text[16];
	draw_word(&c, word);
	draw_word(&c, text);
	char ch = (char)('a' + challenge_range(&c, 0, 25));
	kprintf("fmt s: [%s] [%8s] [%-8s] [%c%c] [%%] [%s] [%8s] [%-8s] [%c]\n", "minim", "ipc",
		"ipc", 'o', 'k', word, word, word, ch);

	char buf[16];
	size_t size = (size_t)challenge_range(&c, 1, sizeof(buf));
	int sd = (int)challenge_range(&c, 0, 2000000) - 1000000;
	unsigned sx = (unsigned)challenge_next(&c);
	int n = ksnprintf(buf, size, "%d-%x-%s", sd, sx, text);
	kprintf("fmt snprintf: [%s] %d\n", buf, n);
	n = ksnprintf(buf, sizeof(buf), "%d-%x-%s", -7, 255u, "truncated text");
	kprintf("fmt snprintf: [%s] %d\n", buf, n);
}

static volatile int breakpoint_hits;
static volatile uint64_t breakpoint_key;

/* Reads the interrupted code's registers from the frame and writes new ones back. */
static void on_breakpoint(struct trap_frame *tf)
{
	breakpoint_hits++;
	kprintf("breakpoint: handler ran, vector %lu, rip %016lx, rcx %lu\n", tf->vector,
		tf->rip, tf->rcx);
	tf->rax = tf->rax * 3 + tf->rdx + breakpoint_key;
	tf->rdx ^= tf->rax;
}

/*
 * int3 is a trap: the handler runs and the code resumes after the instruction, with
 * the registers the handler set. The seed gives the registers, the key and the count.
 */
KTEST(trap_breakpoint, STAGE_TRAPS)
{
	extern char after_int3[];
	struct challenge c = ktest_challenge();
	uint64_t count = challenge_range(&c, 1, 5);
	uint64_t rax = challenge_next(&c), rdx = challenge_next(&c);
	breakpoint_key = challenge_next(&c);

	kprintf("breakpoint: int3 returns to %016lx\n", (uint64_t)after_int3);
	trap_set_handler(T_BREAKPOINT, on_breakpoint);
	__asm__ volatile("1: int3\n\t"
			 ".globl after_int3\n"
			 "after_int3:\n\t"
			 "decq %%rcx\n\t"
			 "jnz 1b"
			 : "+a"(rax), "+d"(rdx), "+c"(count)
			 :
			 : "memory", "cc");
	kprintf("breakpoint: resumed, rax=%lx, rdx=%lx, hits=%d\n", rax, rdx, breakpoint_hits);
	trap_set_handler(T_BREAKPOINT, NULL);
}

/* `int $v; ret; nop` for every vector from 32 up: 4 bytes each, so the seed can pick. */
__asm__(".pushsection .text\n"
	".balign 16\n"
	"stray_vectors:\n"
	".set stray_vector, 32\n"
	".rept 224\n"
	"int $stray_vector\n"
	"ret\n"
	"nop\n"
	".set stray_vector, stray_vector + 1\n"
	".endr\n"
	".popsection");

/* Interrupt vectors with no handler are reported and ignored, not fatal. */
KTEST(trap_stray_interrupt, STAGE_TRAPS)
{
	extern char stray_vectors[];
	struct challenge c = ktest_challenge();
	unsigned raised = (unsigned)challenge_range(&c, 2, 4);

	/* Vector 32, the first that is not an exception, is always among them. */
	((void (*)(void))stray_vectors)();
	for (unsigned i = 0; i < raised; i++) {
		unsigned v = (unsigned)challenge_range(&c, 32, 255);
		((void (*)(void))(stray_vectors + 4 * (v - 32)))();
	}
	kprintf("trap: resumed after %u stray interrupts\n", raised + 1);
}

/* The seed gives rax, rbx and rcx at the fault: the dump must show them. */
KTEST(trap_invalid_opcode, STAGE_TRAPS)
{
	extern char at_ud2[];
	struct challenge c = ktest_challenge();
	uint64_t a = challenge_next(&c), b = challenge_next(&c), cx = challenge_next(&c);
	kprintf("trap: executing ud2 at %016lx\n", (uint64_t)at_ud2);
	__asm__ volatile(".globl at_ud2\n"
			 "at_ud2: ud2"
			 :
			 : "a"(a), "b"(b), "c"(cx));
}

/* A 64-bit division by zero; the seed gives the dividend (rax) and rbx. */
KTEST(trap_divide_error, STAGE_TRAPS)
{
	extern char at_div[];
	struct challenge c = ktest_challenge();
	uint64_t a = challenge_next(&c), b = challenge_next(&c);
	kprintf("trap: dividing by zero at %016lx\n", (uint64_t)at_div);
	__asm__ volatile(".globl at_div\n"
			 "at_div: divq %%rcx"
			 :
			 : "a"(a), "b"(b), "c"(0ul), "d"(0ul));
}

/* Nothing is ever mapped in this 512 GiB slot of the kernel half (PML4 entry 384). */
#define UNMAPPED_BASE 0xffffc00000000000ul
#define UNMAPPED_SIZE (1ul << 39)

/* The seed picks the address (any byte of the slot) and whether it is read or written. */
KTEST(trap_page_fault, STAGE_TRAPS)
{
	struct challenge c = ktest_challenge();
	uint64_t va = UNMAPPED_BASE + challenge_range(&c, 0, UNMAPPED_SIZE - 8);
	bool write = challenge_next(&c) & 1;
	kprintf("trap: %s %016lx\n", write ? "writing to" : "reading from", va);
	if (write)
		*(volatile uint64_t *)va = 1;
	else
		(void)*(volatile uint64_t *)va;
}

/*
 * A page fault while the stack itself is unmapped: the CPU cannot push the #PF frame,
 * so it raises a double fault — which only a gate with an IST stack can report. The
 * seed picks the stack (16-byte aligned, in the unmapped slot) and the word pushed.
 */
KTEST(trap_double_fault, STAGE_TRAPS)
{
	struct challenge c = ktest_challenge();
	uint64_t sp = UNMAPPED_BASE + (challenge_range(&c, 1, (UNMAPPED_SIZE >> 4) - 1) << 4);
	uint64_t word = challenge_next(&c);
	kprintf("trap: switching to an unmapped stack at %016lx\n", sp);
	__asm__ volatile("movq %0, %%rsp\n\t"
			 "pushq %%rax"
			 :
			 : "r"(sp), "a"(word)
			 : "memory");
}

/*
 * A fault at a probe is expected: the kernel must resume at its fixup, not panic. The
 * seed gives the words, the unmapped addresses and which word is read and written; a
 * faulted read leaves its output as it was.
 */
KTEST(trap_fixup, STAGE_TRAPS)
{
	static uint64_t mapped[8];
	struct challenge c = ktest_challenge();
	for (int i = 0; i < 8; i++)
		mapped[i] = challenge_next(&c);
	unsigned r = (unsigned)challenge_range(&c, 0, 7), w = (unsigned)challenge_range(&c, 0, 7);
	uint64_t bad_read = UNMAPPED_BASE + challenge_range(&c, 0, UNMAPPED_SIZE - 8);
	uint64_t bad_write = UNMAPPED_BASE + challenge_range(&c, 0, UNMAPPED_SIZE - 8);
	uint64_t v = challenge_next(&c), value = challenge_next(&c);
	bool ok;

	ok = probe_read_u64((uint64_t)&mapped[r], &v);
	kprintf("probe: mapped read of word %u: %d, value %lx\n", r, ok, v);
	ok = probe_read_u64(bad_read, &v);
	kprintf("probe: unmapped read at %016lx: %d, value %lx\n", bad_read, ok, v);
	ok = probe_write_u64(bad_write, value);
	kprintf("probe: unmapped write at %016lx: %d\n", bad_write, ok);
	ok = probe_write_u64((uint64_t)&mapped[w], value ^ v);
	kprintf("probe: mapped write of word %u: %d, reads back %lx\n", w, ok, mapped[w]);
}
