/**
 * @file
 * lab3_tests.c — a kernel scenario for lab 3: the user-range check, value by value.
 *
 * The one thing to know: some wrong answers of user_range_ok() cannot be reached
 * through a system call (every call bounds its lengths first), so this scenario asks
 * the function directly, with the kinds of values an attacker would pick. The values
 * themselves, and the order the kinds come in, are drawn from the boot's seed
 * (grade/lab3.py draws the same), so only a real check answers every one right.
 */
#include <test/challenge.h>
#include <kprintf.h>
#include <user_access.h>
#include <abi/layout.h>
#include <test/ktest.h>

#define RANGE_KINDS 9

struct range_case {
	const char *what;
	uint64_t addr, len;
};

KTEST(user_range_checks, STAGE_USER)
{
	struct challenge c = ktest_challenge();
	struct range_case cases[RANGE_KINDS];
	unsigned n = 0;
	uint64_t a, k;

	a = challenge_range(&c, 0x1000, USER_TOP - 0x100001);
	cases[n++] = (struct range_case){ "a range inside user space", a,
					 challenge_range(&c, 1, 0x100000) };
	k = challenge_range(&c, 1, 4096);
	cases[n++] = (struct range_case){ "the last bytes of user space", USER_TOP - k, k };
	k = challenge_range(&c, 1, 4096);
	cases[n++] = (struct range_case){ "one byte past them", USER_TOP - k, k + 1 };
	a = USER_TOP + challenge_range(&c, 0, 0xffff);
	cases[n++] = (struct range_case){ "starting at or above USER_TOP", a,
					 challenge_range(&c, 1, 4096) };
	a = 0xffff800000000000ull + challenge_range(&c, 0, (1ull << 47) - 1);
	cases[n++] = (struct range_case){ "a kernel address", a, challenge_range(&c, 1, 4096) };
	a = challenge_range(&c, 0x1000, 0x7fffffff);
	cases[n++] = (struct range_case){ "a length that wraps to a small end", a,
					 0 - a + challenge_range(&c, 0, 0xfff) };
	a = challenge_range(&c, 0x1000, 0xfffff);
	cases[n++] = (struct range_case){ "a length that runs far past USER_TOP", a,
					 challenge_range(&c, USER_TOP, 1ull << 63) };
	a = challenge_range(&c, 0, USER_TOP - 1);
	cases[n++] = (struct range_case){ "a length that reaches exactly USER_TOP", a,
					 USER_TOP - a };
	cases[n++] = (struct range_case){ "an empty range", challenge_range(&c, 0, USER_TOP - 1),
					 0 };
	unsigned first = (unsigned)challenge_range(&c, 0, RANGE_KINDS - 1);
	for (unsigned i = 0; i < RANGE_KINDS; i++) {
		unsigned j = (first + i) % RANGE_KINDS;
		kprintf("range: %s: %lx + %lx: %s\n", cases[j].what, cases[j].addr, cases[j].len,
			user_range_ok(cases[j].addr, cases[j].len) ? "accepted" : "refused");
	}
}
