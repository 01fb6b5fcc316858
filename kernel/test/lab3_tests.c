/**
 * @file
 * lab3_tests.c — a kernel scenario for lab 3: the user-range check, value by value.
 *
 * The one thing to know: some wrong answers of user_range_ok() cannot be reached
 * through a system call (every call bounds its lengths first), so this scenario asks
 * the function directly, with the values an attacker would pick.
 */
#include <kprintf.h>
#include <user_access.h>
#include <abi/layout.h>
#include <test/ktest.h>

KTEST(user_range_checks, STAGE_USER)
{
	static const struct {
		const char *what;
		uint64_t addr, len;
	} cases[] = {
		{ "a page at the image base", USER_IMAGE_BASE, 4096 },
		{ "the last byte of user space", USER_TOP - 1, 1 },
		{ "one byte past it", USER_TOP - 1, 2 },
		{ "starting at USER_TOP", USER_TOP, 1 },
		{ "a kernel address", 0xffffffff80000000ull, 8 },
		{ "a length that wraps to a small end", 0x1000, 0xfffffffffffff000ull },
		{ "a length that reaches exactly USER_TOP", 0x1000, USER_TOP - 0x1000 },
		{ "an empty range at 0", 0, 0 },
	};
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		kprintf("range: %s: %s\n", cases[i].what,
			user_range_ok(cases[i].addr, cases[i].len) ? "accepted" : "refused");
}
