/**
 * @file
 * ktest.h — the kernel's test scenarios, selected by `test=<name>` on the command line.
 *
 * The one thing to know: a scenario runs at the stage of boot it needs — after traps
 * work (stage 1, lab 1), after the frame allocator and after the kernel page table (lab 2) — so a lab-1 scenario still
 * runs in a tree whose lab-2 code is a stub. The grader (grade/labN.py) holds what the
 * output must be; a scenario prints facts and checks only what it cannot print.
 */
#pragma once

#include <stdint.h>
#include <test/challenge.h>

/* How far boot has come; kmain() runs the selected scenario at its stage. */
enum ktest_stage {
	STAGE_TRAPS = 1,        /* console, GDT, IDT (lab 1) */
	STAGE_FRAMES,           /* + the frame allocator, still on boot.S's tables (lab 2) */
	STAGE_PAGING,           /* + the kernel's own page table (lab 2) */
	STAGE_USER,             /* + threads, system calls, the root task (lab 3) */
};

struct ktest {
	const char *name;
	enum ktest_stage stage;
	void (*run)(void);
};

/**
 * Defines a scenario: KTEST(printf_formats, STAGE_TRAPS) { ...body... }. The section
 * holds pointers, not the structs: the compiler may pad a struct to a larger alignment,
 * which would leave gaps between entries; pointers are always 8 bytes apart.
 */
#define KTEST(fn, stage_)                                                              \
	static void fn(void);                                                          \
	static const struct ktest ktest_##fn = { #fn, stage_, fn };                    \
	static const struct ktest *const ktest_ptr_##fn                                \
		__attribute__((used, section(".ktests"))) = &ktest_##fn;               \
	static void fn(void)

/* A check that the grader cannot see: prints "ktest FAIL: ..." and exits with code 1. */
#define KCHECK(cond)                                                                   \
	do {                                                                           \
		if (!(cond))                                                           \
			ktest_fail(__FILE__, __LINE__, #cond);                         \
	} while (0)

_Noreturn void ktest_fail(const char *file, int line, const char *what);

/* KCHECK(actual == expected) that also says what `actual` was, with the error code's
 * name: "ktest FAIL: lab2_tests.c:40: frame_alloc() == 0: got -2 (E_NOMEM)". */
#define KCHECK_EQ(actual, expected)                                                    \
	do {                                                                           \
		long got_ = (long)(actual), want_ = (long)(expected);                  \
		if (got_ != want_)                                                     \
			ktest_fail_got(__FILE__, __LINE__, #actual " == " #expected, got_); \
	} while (0)

_Noreturn void ktest_fail_got(const char *file, int line, const char *what, long got);
/*
 * The challenge of this boot: the sequence the grader's seed= starts, which a scenario
 * draws its values from (see challenge.h). Each call starts the sequence afresh.
 */
struct challenge ktest_challenge(void);
/* Prints a figure the grader can bound: a line "name=value". */
void ktest_figure(const char *name, uint64_t value);

/*
 * The kernel scenario named by test= on the command line; NULL if there is none or
 * the name is not a kernel scenario but there is a boot module (the root task then
 * runs it: a user scenario). An unknown name without a module fails the run.
 */
const struct ktest *ktest_selected(void);
/* A user scenario ended with this status (debug_shutdown): 0 prints the done line. */
_Noreturn void ktest_user_finished(long status);
/* Runs t if it belongs to `stage`: prints its done line and exits the machine. */
void ktest_run_stage(const struct ktest *t, enum ktest_stage stage);
