/**
 * @file
 * utest.h — user-mode test scenarios, selected by `test=<name>` on the command line.
 *
 * The one thing to know: a scenario is a function of the root task, run by main.c with
 * the boot-info page as `bi`; when it returns, main shuts the machine down with status
 * 0 and the kernel prints the done line. As with the kernel's scenarios, the grader
 * holds what the output must be: a scenario prints facts and checks only what it
 * cannot print.
 */
#ifndef UTEST_H
#define UTEST_H

#include <abi/boot_info_page.h>
#include <abi/debug.h>
#include <challenge.h>

struct utest {
	const char *name;
	void (*run)(const struct boot_info_page *bi);
};

/**
 * Defines a scenario: UTEST(user_hello) { ...body, which may use bi... }. The section
 * holds pointers, not the structs: the compiler may pad a struct to a larger alignment,
 * which would leave gaps between entries; pointers are always 8 bytes apart.
 */
#define UTEST(fn)                                                                      \
	static void fn(const struct boot_info_page *bi);                               \
	static const struct utest utest_##fn = { #fn, fn };                            \
	static const struct utest *const utest_ptr_##fn                                \
		__attribute__((used, section(".utests"))) = &utest_##fn;               \
	static void fn(const struct boot_info_page *bi __attribute__((unused)))

/* A check the grader cannot see: prints "ktest FAIL: ..." and shuts down with 1. */
#define UCHECK(cond)                                                                   \
	do {                                                                           \
		if (!(cond))                                                           \
			utest_fail(__FILE__, __LINE__, #cond);                         \
	} while (0)

_Noreturn void utest_fail(const char *file, int line, const char *what);

/*
 * UCHECK(actual == expected) that also says what `actual` was, with the error code's
 * name: "ktest FAIL: lab4_ipc.c:88: ipc_reply(&m) == 0: got -13 (E_GONE)". For calls
 * that return a result or an error code: a student's bug shows as its code.
 */
#define UCHECK_EQ(actual, expected)                                                    \
	do {                                                                           \
		long got_ = (long)(actual), want_ = (long)(expected);                  \
		if (got_ != want_)                                                     \
			utest_fail_got(__FILE__, __LINE__, #actual " == " #expected, got_); \
	} while (0)

_Noreturn void utest_fail_got(const char *file, int line, const char *what, long got);

#define UTEST_STACKS 8
#define UTEST_STACK_SIZE 8192

/* Starts fn(arg) in a new thread of this task at prio, on helper stack number `stack`
 * (0 to UTEST_STACKS - 1); returns its capability slot. Failing is a failed check. */
long utest_spawn(const struct boot_info_page *bi, int stack, long prio,
		 void (*fn)(unsigned long), unsigned long arg);

/* Starts fn(arg) in a new thread at prio in another task (task_slot), on `stack` —
 * the address of a static array of this program, whose copy in that task is the
 * thread's: the caller cannot write there, so fn must end with sys_thread_exit().
 * Returns the thread's slot; failing is a failed check. */
long utest_spawn_in_task(long task_slot, long prio, void (*fn)(unsigned long),
			 void *stack, unsigned long size, unsigned long arg);

/*
 * A second task running a copy of this program (the kernel's debug_clone: labs 3 to 5
 * come before any user-level loader, and before pagers in labs 3 and 4), with an
 * account of UTEST_TASK_QUOTA_PAGES; returns its slot. Failing is a failed check.
 */
long utest_task_clone(const struct boot_info_page *bi);
#define UTEST_TASK_QUOTA_PAGES 1024

/*
 * A pager thread's body (lab 5; `ep` its endpoint's slot): prints every fault it gets
 * ("reporter: write fault at ADDR from the thread with badge B") and answers without
 * a mapping, so the thread stops; the same fault twice prints a line with "must not
 * appear" (the kernel resumed a thread the answer did not fix).
 */
void utest_reporting_pager(unsigned long ep);

/* Lets lower threads run for `ticks` timer ticks: a receive nobody answers. */
void utest_sleep_ticks(unsigned long ticks);

/* The kernel's counts (debug_stats); failing is a failed check. */
struct kernel_stats utest_stats(const struct boot_info_page *bi);
/* Frames free or in the object pools (and the kernel-stack tables and I/O bitmaps):
 * constant while nothing leaks, since the pools never give frames back (abi/debug.h). */
long utest_frames(const struct kernel_stats *s);

/* The challenge of this boot, from the grader's seed= (see challenge.h); each call
 * starts the sequence afresh. */
struct challenge utest_challenge(const struct boot_info_page *bi);

/*
 * The marks around a benchmark's timed rounds. A witnessed test (grade/engine/
 * witness.py) stops QEMU at the first begin and the next end with gdb-stub
 * breakpoints, which the guest cannot see, and reads QEMU's own instruction count,
 * so a figure the kernel or a formatter forged does not match what really ran.
 * Global, so a second definition anywhere fails the link.
 */
void utest_mark_begin(void);
void utest_mark_end(void);

/* The next number of a fixed pseudo-random sequence (state: not 0). */
unsigned long utest_random(unsigned long *state);

#endif
