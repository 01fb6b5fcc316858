"""The witness reads symbols from an ELF file and judges a figure against QEMU's count."""

import subprocess
import shutil
import tempfile
import unittest
from pathlib import Path

import engine_support  # noqa: F401  (puts grade/ on sys.path)
from engine.witness import Witness, symbols, verdict

W = Witness(figure="rtt", begin="b", end="e", rounds=10, overhead=47, tolerance=16)


class Verdicts(unittest.TestCase):
    def test_an_honest_or_pessimistic_figure_passes(self):
        self.assertIsNone(verdict(W, 417, 464.0, None))
        self.assertIsNone(verdict(W, 401, 464.0, None))   # within the tolerance
        self.assertIsNone(verdict(W, 900, 464.0, None))   # over-reporting only hurts

    def test_a_flattering_figure_fails(self):
        self.assertEqual(verdict(W, 400, 464.0, None),
                         "figure rtt=400 but QEMU counted 464 instructions per round "
                         "(at least 401 expected)")

    def test_no_count_fails_with_the_reason(self):
        self.assertEqual(verdict(W, 417, None, "the guest ended before b (W00)"),
                         "figure rtt not confirmed: the guest ended before b (W00)")


@unittest.skipIf(shutil.which("gcc") is None, "needs gcc")
class Symbols(unittest.TestCase):
    def test_global_functions_are_found_and_a_missing_one_named(self):
        with tempfile.TemporaryDirectory() as d:
            src, out = Path(d, "m.c"), Path(d, "m.o")
            src.write_text("void mark_a(void) {}\nvoid mark_b(void) {}\n"
                           "static void mark_c(void) {}\nvoid (*keep)(void) = mark_c;\n")
            subprocess.run(["gcc", "-c", "-o", str(out), str(src)], check=True)
            found = symbols(out, ["mark_a", "mark_b"])
            self.assertEqual(set(found), {"mark_a", "mark_b"})
            with self.assertRaisesRegex(ValueError, "no symbol mark_c"):
                symbols(out, ["mark_a", "mark_c"])  # static: not a mark


if __name__ == "__main__":
    unittest.main()
