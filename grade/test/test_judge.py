"""The judge as a pure function: reasons, their order, and line parsing.

No process runs here; each case is a hand-written capture. The reasons that
a fake QEMU can provoke are also checked end to end in test_engine.py.
"""

import unittest

import engine_support  # noqa: F401  (puts grade/ on sys.path)

from engine import Test
from engine.judge import judge, serial_lines

NONCE = "0123456789abcdef"
DONE = f"ktest: t done nonce={NONCE}"
LIMIT = 1000


def clean(**fields):
    return Test(name="t", lab=1, points=3, **fields)


def panicking(**fields):
    return Test(name="t", lab=1, points=3, exit="panic", **fields)


def verdict(test, lines, status=1, timed_out=False, flooded=False):
    text = "".join(line + "\r\n" for line in lines)
    return judge(test, text, status, timed_out, flooded, NONCE, LIMIT)


class Reasons(unittest.TestCase):
    def reason(self, *args, **kwargs):
        return verdict(*args, **kwargs).reason

    def test_pass_without_figures_has_empty_reason(self):
        result = verdict(clean(), [DONE])
        self.assertTrue(result.passed)
        self.assertEqual(result.reason, "")

    def test_pass_lists_figures(self):
        result = verdict(clean(figures={"a": 10, "b": 5}), ["a=10", "b=2", DONE])
        self.assertTrue(result.passed)
        self.assertEqual(result.reason, "a=10 <= 10, b=2 <= 5")

    def test_flood_comes_first(self):
        self.assertEqual(
            self.reason(clean(), ["PANIC: x"], None, True, True),
            f"output flood (> {LIMIT} bytes)")

    def test_hang(self):
        self.assertEqual(self.reason(clean(timeout=2.5), ["boot"], None, True),
                         "hang (no finish within 2.5s)")

    def test_panic_then_hang_is_a_panic(self):
        self.assertEqual(self.reason(clean(), ["PANIC: oops"], None, True),
                         "kernel panic: oops")

    def test_panic_test_that_hangs_after_panicking_is_a_hang(self):
        self.assertEqual(self.reason(panicking(), ["PANIC: oops"], None, True),
                         "hang (no finish within 15s)")

    def test_exception_wins_over_its_panic(self):
        lines = ["EXCEPTION: #GP general protection (vector 13, error 0x0)",
                 "rip=0x1000", "PANIC: unhandled exception"]
        self.assertEqual(self.reason(clean(), lines, 5),
                         "CPU exception: #GP general protection "
                         "(vector 13, error 0x0)")

    def test_reset(self):
        self.assertEqual(self.reason(clean(), ["boot"], 0),
                         "triple fault / reset")

    def test_check_failure(self):
        self.assertEqual(self.reason(clean(), ["ktest FAIL: 2 != 3"], 3),
                         "kernel check failed: 2 != 3")

    def test_forbidden_shows_the_line(self):
        self.assertEqual(self.reason(clean(forbid=["leak"]),
                                     ["frame leak at 0x1000", DONE]),
                         "forbidden output: frame leak at 0x1000")

    def test_expect_matches_in_order_on_later_lines(self):
        test = clean(expect=["one", "two"])
        self.assertTrue(verdict(test, ["one", "two", DONE]).passed)
        self.assertEqual(self.reason(test, ["two", "one", DONE]),
                         "missing expected output: two; it was printed, but too early: 'two'")
        self.assertEqual(self.reason(test, ["one two", DONE]), "missing expected output: "
                         "two; it was printed, but too early: 'one two'")

    def test_a_missing_line_shows_the_closest_line_printed(self):
        test = clean(expect=[r"^fmt: \[42\]$", r"^sum: 5 \+ 7 = 12$"])
        self.assertEqual(self.reason(test, ["fmt: [42]", "sum: 5 + 7 = 13", DONE]),
                         r"missing expected output: ^sum: 5 \+ 7 = 12$; the closest line "
                         "printed: 'sum: 5 + 7 = 13'")
        # The longest shared start wins; a line with another first word is not close.
        self.assertEqual(self.reason(test, ["fmt: [42]", "sum: 9", "sum: 5 + 6", DONE]),
                         r"missing expected output: ^sum: 5 \+ 7 = 12$; the closest line "
                         "printed: 'sum: 5 + 6'")
        self.assertEqual(self.reason(test, ["fmt: [42]", "total: 12", DONE]),
                         r"missing expected output: ^sum: 5 \+ 7 = 12$")

    def test_done_line_needs_the_right_nonce_and_scenario(self):
        for line in ["ktest: t done nonce=ffffffffffffffff",
                     f"ktest: other done nonce={NONCE}"]:
            self.assertEqual(self.reason(clean(), [line]),
                             "no done line (or wrong nonce)")

    def test_clean_exit_status(self):
        self.assertEqual(self.reason(clean(), [DONE], 3),
                         "exit status 3 (expected 1)")

    def test_panic_test(self):
        self.assertTrue(verdict(panicking(), ["PANIC: on purpose"], 5).passed)
        self.assertEqual(self.reason(panicking(), [DONE], 1),
                         "expected a kernel panic, got exit status 1")
        self.assertEqual(self.reason(panicking(), ["quiet"], 5),
                         "exit status 5 but no PANIC: line")

    def test_figures(self):
        test = clean(figures={"ops": 100})
        self.assertEqual(self.reason(test, [DONE]), "figure ops missing")
        self.assertEqual(self.reason(test, ["ops=101", DONE]),
                         "figure ops=101 exceeds bound 100")

    def test_figure_printed_twice_fails(self):
        # A second line could replace the benchmark's value with the student's.
        result = verdict(clean(figures={"ops": 100}), ["ops=500", "ops=7", DONE])
        self.assertFalse(result.passed)
        self.assertEqual(result.reason, "figure ops printed 2 times (once is allowed)")
        self.assertEqual(result.figures, {"ops": 500})

    def test_figure_must_be_the_whole_line(self):
        result = verdict(clean(figures={"ops": 100}), ["xops=5", "ops=5 ms", DONE])
        self.assertEqual(result.reason, "figure ops missing")


class Captures(unittest.TestCase):
    test = clean(expect=[r"^at (?P<rip>[0-9a-f]+)$", r"^rip=<<rip>> ",
                         r"^(?P<n>\d+) of <<n>>$", r"^again <<n>>$"])

    def test_references_must_match_the_captured_text(self):
        lines = ["at 00ff", "rip=00ff cs=8", "7 of 7", "again 7", DONE]
        self.assertTrue(verdict(self.test, lines).passed)

    def test_a_different_value_is_missing_and_shown(self):
        lines = ["at 00ff", "rip=0100 cs=8", DONE]
        self.assertEqual(verdict(self.test, lines).reason,
                         "missing expected output: ^rip=<<rip>>  "
                         "(with rip=00ff)")

    def test_inside_one_pattern_it_is_a_backreference(self):
        lines = ["at 00ff", "rip=00ff cs=8", "7 of 8", DONE]
        self.assertEqual(verdict(self.test, lines).reason,
                         r"missing expected output: ^(?P<n>\d+) of <<n>>$")

    def test_captured_text_matches_literally(self):
        test = clean(expect=[r"^x (?P<v>\S+)$", r"^y <<v>>$"])
        self.assertTrue(verdict(test, ["x a.b", "y a.b", DONE]).passed)
        self.assertFalse(verdict(test, ["x a.b", "y axb", DONE]).passed)


class SerialLines(unittest.TestCase):
    def test_firmware_noise_is_separated(self):
        text = ("\x1bc\x1b[?7l\x1b[2JSeaBIOS (version 1.16)\r\r\n"
                "Booting from ROM..PANIC: early\r\nnext")
        self.assertEqual(serial_lines(text),
                         ["SeaBIOS (version 1.16)", "Booting from ROM..",
                          "PANIC: early", "next"])

    def test_trailing_newline_adds_no_line(self):
        self.assertEqual(serial_lines("a\nb\n"), ["a", "b"])
        self.assertEqual(serial_lines(""), [])


if __name__ == "__main__":
    unittest.main()
