/**
 * @file
 * main.c — the root task's main: runs the user scenario named by test=, lists them
 * (test=list), or without test= boots the system up to its shell (boot.c).
 *
 * The one thing to know: the command line is the kernel's, so it also holds words
 * meant for the kernel (the kernel's own path first, nonce=...); only test= matters
 * here, and words without '=' are skipped. The done line with the nonce is the
 * kernel's to print, when the scenario ends with debug_shutdown(0) — which only the
 * root task can do, with the debug capability its boot-info page names. A failed
 * check in another task cannot end the run, but its "ktest FAIL" line fails the test.
 */
#include <stdbool.h>
#include <cmdline.h>
#include <minim.h>
#include "boot.h"
#include "utest.h"
#include <error_names.h>

extern const struct utest *const utests_start[], *const utests_end[];

/* The root's debug capability; 0 (none) in the other tasks, which run this program too. */
static long debug_slot;

_Noreturn void utest_fail(const char *file, int line, const char *what)
{
	printf("ktest FAIL: %s:%d: %s\n", file, line, what);
	sys_debug_shutdown(debug_slot, 1);
	/* Another task, or a kernel without debug_shutdown gets here: stop, do not run on. */
	thread_exit();
}

_Noreturn void utest_fail_got(const char *file, int line, const char *what, long got)
{
	const char *name = test_error_name(got);
	char message[160];

	if (name)
		snprintf(message, sizeof(message), "%s: got %ld (%s)", what, got, name);
	else
		snprintf(message, sizeof(message), "%s: got %ld (0x%lx)", what, got,
			 (unsigned long)got);
	utest_fail(file, line, message);
}

void main(const struct boot_info_page *bi)
{
	char name[64];

	UCHECK(bi->magic == BOOT_INFO_MAGIC);
	debug_slot = bi->debug_slot;
	/* The page is the kernel's, but a missing NUL must not send us off its end. */
	UCHECK(strnlen(bi->cmdline, sizeof(bi->cmdline)) < sizeof(bi->cmdline));
	bool named = cmdline_find(bi->cmdline, "test", name, sizeof(name));
	/* `make run` without test=: the system, up to its shell (boot.c); a boot that has
	 * none (no sigma0, no bootfs) lists the scenarios instead, as test=list does. */
	if (!named && system_boot(bi) != E_NOENT)
		return;
	if (!named || strcmp(name, "list") == 0) {
		printf("utest: the user scenarios are (test=NAME runs one):\n");
		for (const struct utest *const *t = utests_start; t < utests_end; t++)
			printf("  %s\n", (*t)->name);
		sys_debug_shutdown(debug_slot, 0);
		return;
	}
	const struct utest *found = NULL;
	for (const struct utest *const *t = utests_start; t < utests_end; t++) {
		if (strcmp((*t)->name, name) != 0)
			continue;
		/* Another of the same name (from a student's library file) would run
		 * instead of the official one: refuse to choose. */
		if (found) {
			printf("ktest FAIL: two user scenarios named '%s'\n", name);
			sys_debug_shutdown(debug_slot, 1);
			return;
		}
		found = *t;
	}
	if (!found) {
		printf("ktest FAIL: no user scenario named '%s'\n", name);
		sys_debug_shutdown(debug_slot, 1);
		return;
	}
	found->run(bi);
	sys_debug_shutdown(debug_slot, 0);
}
