/**
 * @file
 * main.c — the test program's main: runs the user scenario named by test=.
 *
 * The one thing to know: the command line is the kernel's, so it also holds words
 * meant for the kernel (the kernel's own path first, nonce=...); only test= matters
 * here, and words without '=' are skipped. The done line with the nonce is the
 * kernel's to print, when the scenario ends with debug_shutdown(0).
 */
#include <cmdline.h>
#include <minim.h>
#include "utest.h"

extern const struct utest *const utests_start[], *const utests_end[];

_Noreturn void utest_fail(const char *file, int line, const char *what)
{
	printf("ktest FAIL: %s:%d: %s\n", file, line, what);
	sys_debug_shutdown(1);
	/* Only a kernel without debug_shutdown gets here: stop, do not run on. */
	thread_exit();
}

void main(const struct boot_info_page *bi)
{
	char name[64];

	UCHECK(bi->magic == BOOT_INFO_MAGIC);
	/* The page is the kernel's, but a missing NUL must not send us off its end. */
	UCHECK(strnlen(bi->cmdline, sizeof(bi->cmdline)) < sizeof(bi->cmdline));
	if (!cmdline_find(bi->cmdline, "test", name, sizeof(name))) {
		/* `make run` without test=: say what there is, and end cleanly. */
		printf("utest: no test= on the command line; the user scenarios are:\n");
		for (const struct utest *const *t = utests_start; t < utests_end; t++)
			printf("  %s\n", (*t)->name);
		sys_debug_shutdown(0);
		return;
	}
	for (const struct utest *const *t = utests_start; t < utests_end; t++) {
		if (strcmp((*t)->name, name) == 0) {
			(*t)->run(bi);
			sys_debug_shutdown(0);
			return;
		}
	}
	printf("ktest FAIL: no user scenario named '%s'\n", name);
	sys_debug_shutdown(1);
}
