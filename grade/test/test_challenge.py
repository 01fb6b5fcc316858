"""The grader's challenge sequence and the C one are the same numbers, and a seeded
test computes its lines from the boot's seed.

What a reader must know: the C side (kernel/test/challenge.c) is compiled here for the
host with a tiny driver that prints what it draws; a difference of one bit between
the two would fail every seeded test, so it is checked on several seeds.
"""

import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

import engine_support  # noqa: F401  (puts grade/ on sys.path)
from engine.challenge import DEFAULT_SEED, SAMPLE_SEED, Challenge, seed_word
from engine.judge import judge, printable
from engine.test import Test

ROOT = Path(__file__).resolve().parents[2]
DRIVER = r"""
#include <stdio.h>
#include <challenge.h>
int main(int argc, char **argv)
{
	struct challenge c = challenge_from_cmdline(argc > 1 ? argv[1] : "");
	for (int i = 0; i < 4; i++)
		printf("%llu\n", (unsigned long long)challenge_next(&c));
	printf("%llu\n", (unsigned long long)challenge_range(&c, 10, 20));
	printf("%llu\n", (unsigned long long)challenge_range(&c, 0, ~0ULL));
	return 0;
}
"""


def python_draws(seed):
    c = Challenge(seed)
    return [c.next() for _ in range(4)] + [c.range(10, 20), c.range(0, (1 << 64) - 1)]


@unittest.skipIf(shutil.which("gcc") is None, "needs gcc")
class SameAsC(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory()
        driver = Path(cls.dir.name) / "driver.c"
        driver.write_text(DRIVER)
        cls.program = Path(cls.dir.name) / "driver"
        # The kernel's cmdline.c and challenge.c, over the host's C library.
        subprocess.run(["gcc", "-std=c11", "-O1", "-I", str(ROOT / "kernel/include"),
                        "-I", str(ROOT / "kernel/test"),
                        "-idirafter", "/usr/include", str(driver),
                        str(ROOT / "kernel/test/challenge.c"),
                        str(ROOT / "kernel/lib/cmdline.c"), "-o", str(cls.program)],
                       check=True)

    @classmethod
    def tearDownClass(cls):
        cls.dir.cleanup()

    def c_draws(self, cmdline):
        out = subprocess.run([str(self.program), cmdline], capture_output=True,
                             text=True, check=True).stdout
        return [int(line) for line in out.split()]

    def test_same_numbers_for_several_seeds(self):
        for seed in (0, 1, SAMPLE_SEED, (1 << 64) - 1, 0x8000000000000000):
            with self.subTest(seed=hex(seed)):
                self.assertEqual(self.c_draws(f"/kernel test=x {seed_word(seed)} n=1"),
                                 python_draws(seed))

    def test_a_missing_or_bad_seed_gives_the_default(self):
        default = self.c_draws("test=x")
        self.assertEqual(self.c_draws("test=x seed=12zz"), default)
        self.assertEqual(default, python_draws(DEFAULT_SEED))


class Seeded(unittest.TestCase):
    test = Test(name="seeded", lab=1, points=1,
                expect=lambda c: [rf"^word {c.next():x}$"])

    def run_with(self, seed, lines):
        text = "\n".join(lines + ["ktest: seeded done nonce=n1"]) + "\n"
        return judge(self.test, text, 1, False, False, "n1", 1 << 20, seed)

    def test_the_lines_of_this_seed_pass_and_another_seeds_fail(self):
        first = Challenge(7).next()
        self.assertTrue(self.run_with(7, [f"word {first:x}"]).passed)
        self.assertEqual(self.run_with(8, [f"word {first:x}"]).reason,
                         f"missing expected output: ^word {Challenge(8).next():x}$; "
                         f"the closest line printed: 'word {first:x}'")

    def test_a_broken_expect_function_fails_at_load(self):
        with self.assertRaisesRegex(ValueError, "expect.*raised"):
            Test(name="broken", lab=1, points=1, expect=lambda c: [c.missing])
        with self.assertRaisesRegex(ValueError, "bad regex|regex"):
            Test(name="badre", lab=1, points=1, expect=lambda c: ["(unclosed"])


class Printable(unittest.TestCase):
    def test_a_forged_table_row_is_shown_inert(self):
        forged = ("PANIC: oops\r\x1b[2K\x1b[1A\x1b\x1b[[32mPASS\x1b[0m\n"
                  "Score: 145/145\x1b]0;title\x07 \x9b31mred\u202e")
        shown = printable(forged)
        self.assertTrue(shown.isprintable())
        self.assertNotIn("\x1b", shown)
        self.assertIn("\\x0d", shown)
        self.assertIn("\\x0a", shown)   # one row cannot become two
        self.assertIn("\\u202e", shown)  # nor be turned right to left

    def test_plain_text_is_unchanged(self):
        self.assertEqual(printable("kernel panic: x at y.c:12"), "kernel panic: x at y.c:12")


if __name__ == "__main__":
    unittest.main()
