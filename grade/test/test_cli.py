"""grade.py as a command: options, exit statuses, table and results.json.

grade.py reads the lab files beside it, so each case runs a copy of the
grader in a temporary directory, next to lab files that drive the fake QEMU.
"""

import json
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

from engine_support import FAKE_QEMU, GRADE_DIR

LAB1 = """\
from engine import Test
TESTS = [
    Test(name="fake_ok", lab=1, points=4, expect=["minim: booting"],
         figures={"frame_ops": 5000}, extra_args=["fake=ok"],
         description="boots and finishes"),
    Test(name="fake_panic", lab=1, points=6, extra_args=["fake=panic"]),
]
"""
LAB2 = """\
from engine import Test
TESTS = [Test(name="fake_later", lab=2, points=1, extra_args=["fake=ok"])]
"""


class Command(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = Path(tempfile.mkdtemp())
        grade = cls.tmp / "grade"
        grade.mkdir()
        shutil.copy(GRADE_DIR / "grade.py", grade)
        shutil.copytree(GRADE_DIR / "engine", grade / "engine",
                        ignore=shutil.ignore_patterns("__pycache__"))
        (grade / "lab1.py").write_text(LAB1)
        (grade / "lab2.py").write_text(LAB2)
        cls.kernel = cls.tmp / "kernel.elf"
        cls.kernel.write_bytes(b"")
        cls.json = cls.tmp / "out" / "results.json"

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def grade(self, *args, fake=True):
        options = ["--kernel", str(self.kernel), "--json", str(self.json)]
        if fake:
            options += ["--qemu", str(FAKE_QEMU)]
        return subprocess.run(
            [sys.executable, str(self.tmp / "grade" / "grade.py"), *args,
             *options], capture_output=True, text=True, timeout=60)

    def test_list(self):
        done = self.grade("--list", "--lab", "1")
        self.assertEqual(done.returncode, 0, done.stderr)
        lines = done.stdout.splitlines()
        self.assertRegex(lines[1], r"^1 +fake_ok +4 +boots and finishes$")
        self.assertEqual(len(lines), 3)

    def test_run_with_a_failure(self):
        done = self.grade("--jobs", "2")
        self.assertEqual(done.returncode, 1, done.stderr)
        lines = done.stdout.splitlines()
        self.assertEqual(lines[-2:], ["Score: 5/11", "2 passed, 1 failed"])
        document = json.loads(self.json.read_text())
        self.assertEqual([t["number"] for t in document["tests"]],
                         ["1.1", "1.2", "2.1"])
        self.assertEqual(document["score"], 5)

    def test_all_selected_pass(self):
        done = self.grade("--only", "fake_later", "fake_ok")
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(done.stdout.splitlines()[-1], "2 passed, 0 failed")
        numbers = [t["number"] for t in json.loads(self.json.read_text())
                   ["tests"]]
        self.assertEqual(numbers, ["1.1", "2.1"])

    def test_verbose_shows_failing_serial_output(self):
        done = self.grade("--only", "fake_panic", "--verbose")
        self.assertEqual(done.returncode, 1)
        self.assertIn("PANIC: something broke\n", done.stdout)

    def test_usage_errors(self):
        cases = {
            "no such test: nope": ["--only", "nope"],
            "no tests to run": ["--lab", "0"],
            "must be at least 1": ["--jobs", "0"],
        }
        for message, args in cases.items():
            with self.subTest(args=args):
                done = self.grade(*args)
                self.assertEqual(done.returncode, 2)
                self.assertIn(message, done.stderr)

    def test_missing_kernel_says_to_run_make(self):
        done = subprocess.run(
            [sys.executable, str(self.tmp / "grade" / "grade.py"),
             "--kernel", str(self.tmp / "absent.elf")],
            capture_output=True, text=True, timeout=60)
        self.assertEqual(done.returncode, 2)
        self.assertIn("make", done.stderr)

    def test_missing_qemu(self):
        done = self.grade("--qemu", str(self.tmp / "no-qemu"), fake=False)
        self.assertEqual(done.returncode, 2)
        self.assertIn("QEMU not found", done.stderr)


class RealLabFiles(unittest.TestCase):
    def test_list_works(self):
        done = subprocess.run([sys.executable, str(GRADE_DIR / "grade.py"),
                               "--list"], capture_output=True, text=True,
                              timeout=60)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertTrue(done.stdout.startswith("lab"))


if __name__ == "__main__":
    unittest.main()
