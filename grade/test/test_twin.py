"""Differential boots (engine/twin.py) on a fake QEMU: the twin must pass, prove it took
the other path, and print the same lines, figures, nonce and command line aside."""

import unittest

from engine_support import FAKE_QEMU, Test

from engine import runner, twin
from engine.twin import Twin

OTHER = Twin(args=("other=1",), label="the other path", proof=r"^fake: the other path$")


def twin_test(mode):
    return Test(name=f"twin_{mode}", lab=4, points=5, scenario=f"s_{mode}",
                expect=["fake: doing the work"],
                figures={"frame_ops": 5000}, extra_args=[f"fake=twin_{mode}"],
                twin=OTHER, description="a fake scenario booted twice")


class TwinVerdicts(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        modes = ["same", "order", "short", "noproof", "panic"]
        results = runner.run_all([twin_test(m) for m in modes], "kernel.elf",
                                 str(FAKE_QEMU), jobs=len(modes), seed=7)
        cls.verdicts = {m: r.verdict for m, r in zip(modes, results)}
        cls.results = dict(zip(modes, results))

    def test_agreeing_boots_pass_with_the_first_boots_figures(self):
        v = self.verdicts["same"]
        self.assertTrue(v.passed, v.reason)
        self.assertEqual(v.figures, {"frame_ops": 1234})

    def test_a_different_order_fails_and_names_both_lines(self):
        v = self.verdicts["order"]
        self.assertFalse(v.passed)
        self.assertIn("the default boot and the other path diverge", v.reason)
        self.assertIn("'fake: order a b'", v.reason)
        self.assertIn("'fake: order b a'", v.reason)

    def test_a_twin_that_stops_early_fails(self):
        v = self.verdicts["short"]
        self.assertFalse(v.passed)
        self.assertEqual(v.reason, "the default boot and the other path diverge: line 7 "
                                   "'fake: the last word', but line 8 "
                                   "'ktest: s_short done nonce=<nonce>'")

    def test_a_twin_that_ignores_its_argument_fails(self):
        v = self.verdicts["noproof"]
        self.assertFalse(v.passed)
        self.assertTrue(v.reason.startswith("with the other path: missing expected output: "
                                            "^fake: the other path$"), v.reason)

    def test_a_twin_that_fails_is_reported_with_its_own_transcript(self):
        v = self.verdicts["panic"]
        self.assertEqual(v.reason, "with the other path: kernel panic: only on the other path")
        self.assertIn("only on the other path", self.results["panic"].text)

    def test_a_failing_first_boot_needs_no_twin(self):
        test = Test(name="twin_fails_first", lab=4, points=5, scenario="s",
                    expect=["never printed"], extra_args=["fake=twin_same"], twin=OTHER)
        result = runner.run_one(test, "kernel.elf", str(FAKE_QEMU), seed=7)
        self.assertEqual(result.verdict.reason, "missing expected output: never printed")


class Divergence(unittest.TestCase):
    def test_nonce_command_line_figures_and_proof_may_differ(self):
        a = ["boot: loader 'q', command line 'x'", "n=111", "nonce aaa", "fig=1", "same"]
        b = ["boot: loader 'q', command line 'x y'", "fake: the other path", "n=2",
             "nonce bbb", "fig=22", "same"]
        self.assertIsNone(twin.divergence(OTHER, a, "aaa", b, "bbb"))

    def test_the_first_difference_is_named_with_line_numbers(self):
        why = twin.divergence(OTHER, ["a", "b", "c"], "n1", ["a", "x", "c"], "n2")
        self.assertEqual(why, "the default boot and the other path diverge: line 2 'b', "
                              "but line 2 'x'")

    def test_a_longer_twin_is_a_divergence_too(self):
        why = twin.divergence(OTHER, ["a"], "n1", ["a", "extra"], "n2")
        self.assertIn("only the other path goes on, at line 2 'extra'", why)

    def test_bad_proof_regex_is_refused_at_load_time(self):
        with self.assertRaises(ValueError):
            Test(name="bad_twin", lab=4, points=1, expect=["x"],
                 twin=Twin(args=("a=1",), label="l", proof="("))


if __name__ == "__main__":
    unittest.main()
