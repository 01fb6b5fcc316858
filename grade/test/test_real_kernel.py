"""The grader against the real kernel in real QEMU: each failure is named right.

The fake QEMU (fake_qemu.py) tests the judge; this tests the whole path — pty,
QEMU's exit status, killing a hung or flooding QEMU — with the kernel's
grader_* scenarios (kernel/test/grader_tests.c). Skipped when the kernel is not
built or QEMU is missing, so the unit tests still run on a bare checkout.
"""

import shutil
import unittest

import engine_support  # noqa: F401  (sets up the import path)
from engine import Test

from engine_support import GRADE_DIR

KERNEL = GRADE_DIR.parent / "build" / "kernel32.elf"
QEMU = "qemu-system-x86_64"


def misbehaving(scenario, exit="clean", timeout=5.0):
    return Test(name=scenario, lab=0, points=1, scenario=scenario, exit=exit,
                timeout=timeout, expect=["^minim "])


@unittest.skipUnless(KERNEL.exists() and shutil.which(QEMU),
                     "needs build/kernel32.elf and QEMU")
class RealKernelVerdicts(unittest.TestCase):
    def run_all(self, tests, limit):
        from engine import runner  # needs pexpect: imported only when run
        return {r.test.name: r for r in
                runner.run_all(tests, str(KERNEL), QEMU, jobs=4, limit=limit)}

    def test_hang_flood_and_reset_are_named(self):
        results = self.run_all([
            misbehaving("grader_hang", timeout=3.0),
            misbehaving("grader_flood", timeout=20.0),
            misbehaving("grader_triple_fault"),
        ], limit=256 * 1024)
        self.assertEqual(results["grader_hang"].verdict.reason,
                         "hang (no finish within 3s)")
        self.assertEqual(results["grader_flood"].verdict.reason,
                         f"output flood (> {256 * 1024} bytes)")
        self.assertEqual(results["grader_triple_fault"].verdict.reason,
                         "triple fault / reset")

    def test_panic_is_a_failure_unless_expected(self):
        results = self.run_all([misbehaving("grader_panic")], limit=1 << 20)
        self.assertEqual(results["grader_panic"].verdict.reason,
                         "kernel panic: the grader_panic scenario panics on purpose")
        self.assertFalse(results["grader_panic"].verdict.passed)

    def test_expected_panic_passes(self):
        results = self.run_all([misbehaving("grader_panic", exit="panic")],
                               limit=1 << 20)
        self.assertTrue(results["grader_panic"].verdict.passed)


if __name__ == "__main__":
    unittest.main()
