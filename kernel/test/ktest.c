/**
 * @file
 * ktest.c — finds the selected scenario and runs it at its stage.
 *
 * The one thing to know: a scenario's last line, "ktest: <name> done nonce=<nonce>",
 * echoes the nonce the grader put on the command line, so output recorded from another
 * run, or printed by a stub, does not pass.
 */
#include <boot_info.h>
#include <kprintf.h>
#include <string.h>
#include <arch/x86_64/machine.h>
#include <test/error_names.h>
#include <test/ktest.h>

extern const struct ktest *const ktests_start[], *const ktests_end[];

_Noreturn void ktest_fail(const char *file, int line, const char *what)
{
	kprintf("ktest FAIL: %s:%d: %s\n", file, line, what);
	machine_exit(EXIT_CHECK_FAILED);
}

_Noreturn void ktest_fail_got(const char *file, int line, const char *what, long got)
{
	const char *name = test_error_name(got);
	if (name)
		kprintf("ktest FAIL: %s:%d: %s: got %ld (%s)\n", file, line, what, got, name);
	else
		kprintf("ktest FAIL: %s:%d: %s: got %ld (0x%lx)\n", file, line, what, got,
			(unsigned long)got);
	machine_exit(EXIT_CHECK_FAILED);
}

struct challenge ktest_challenge(void)
{
	return challenge_from_cmdline(boot_info.cmdline);
}

void ktest_figure(const char *name, uint64_t value)
{
	kprintf("%s=%lu\n", name, value);
}

const struct ktest *ktest_selected(void)
{
	char name[64];
	if (!cmdline_get("test", name, sizeof(name)))
		return NULL;
	const struct ktest *found = NULL;
	for (const struct ktest *const *t = ktests_start; t < ktests_end; t++) {
		if (strcmp((*t)->name, name) != 0)
			continue;
		/* A second scenario of the same name (one a student's file defines, linked
		 * first) would run instead of the official one: refuse to choose. */
		if (found) {
			kprintf("ktest FAIL: two scenarios named '%s'\n", name);
			machine_exit(EXIT_CHECK_FAILED);
		}
		found = *t;
	}
	if (found)
		return found;
	if (boot_info.module_count > 0)
		return NULL;
	kprintf("ktest FAIL: no scenario named '%s'\n", name);
	machine_exit(EXIT_CHECK_FAILED);
}

static void print_done(const char *name)
{
	char nonce[40] = "none";
	cmdline_get("nonce", nonce, sizeof(nonce));
	kprintf("ktest: %s done nonce=%s\n", name, nonce);
}

_Noreturn void ktest_user_finished(long status)
{
	char name[64] = "user";
	cmdline_get("test", name, sizeof(name));
	if (status != 0) {
		kprintf("ktest FAIL: user scenario '%s' ended with status %ld\n", name, status);
		machine_exit(EXIT_CHECK_FAILED);
	}
	print_done(name);
	machine_exit(EXIT_SUCCESS_CODE);
}

void ktest_run_stage(const struct ktest *t, enum ktest_stage stage)
{
	if (!t || t->stage != stage)
		return;
	kprintf("ktest: %s start\n", t->name);
	t->run();
	print_done(t->name);
	machine_exit(EXIT_SUCCESS_CODE);
}
