"""Graded host tests (engine/host.py): a program of build/host/ run with a boot's words,
confined, judged like a boot; a sanitizer's report or a missing program is the reason."""

import tempfile
import unittest
from pathlib import Path

from engine_support import Test

from engine import host, runner

# A stand-in for a host test: it prints what the mode asks, as a C harness would.
PROGRAM = r"""#!/bin/sh
for w in "$@"; do case $w in test=*) t=${w#test=};; nonce=*) n=${w#nonce=};; esac; done
case $t in
h_ok) echo "fmt: 42"; echo "ktest: $t done nonce=$n";;
h_asan) echo "fmt: 42"
    echo "==4242==ERROR: AddressSanitizer: stack-buffer-overflow on address 0x7ffd"
    echo "SUMMARY: AddressSanitizer: stack-buffer-overflow format.c:56 in format_number"
    exit 99;;
h_ubsan) echo "format.c:56:6: runtime error: index 16 out of bounds"; exit 99;;
h_wrong) echo "fmt: 41"; echo "ktest: $t done nonce=$n";;
h_nodone) echo "fmt: 42"; exit 0;;
h_status) echo "fmt: 42"; echo "ktest: $t done nonce=$n"; exit 3;;
h_where) echo "fmt: 42 cwd=$(ls -A | wc -l) home=${HOME:-none} f=$(ulimit -f)"
    echo "ktest: $t done nonce=$n";;
esac
"""


def host_test(mode, expect=("^fmt: 42$",)):
    return Test(name=f"h_{mode}", lab=1, points=10, host="fake_host_test",
                expect=list(expect), description="a fake host test")


class HostVerdicts(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tree = tempfile.TemporaryDirectory()
        folder = Path(cls.tree.name, "build", "host")
        folder.mkdir(parents=True)
        (folder / "fake_host_test").write_text(PROGRAM)
        (folder / "fake_host_test").chmod(0o755)

    @classmethod
    def tearDownClass(cls):
        cls.tree.cleanup()

    def verdict(self, mode, **kw):
        result = runner.run_one(host_test(mode, **kw), "unused", "unused", seed=7,
                                tree=Path(self.tree.name))
        return result.verdict

    def test_the_expected_lines_and_the_done_line_pass(self):
        v = self.verdict("ok")
        self.assertTrue(v.passed, v.reason)

    def test_an_address_sanitizer_report_is_the_reason(self):
        v = self.verdict("asan")
        self.assertEqual(v.reason, "the sanitizer stopped it: AddressSanitizer: "
                                   "stack-buffer-overflow format.c:56 in format_number")

    def test_an_undefined_behaviour_report_is_the_reason(self):
        v = self.verdict("ubsan")
        self.assertEqual(v.reason, "the sanitizer stopped it: format.c:56:6: runtime "
                                   "error: index 16 out of bounds")

    def test_a_wrong_value_is_missing_expected_output(self):
        v = self.verdict("wrong")
        self.assertEqual(v.reason, "missing expected output: ^fmt: 42$; the closest line "
                                   "printed: 'fmt: 41'")

    def test_no_done_line_fails(self):
        self.assertEqual(self.verdict("nodone").reason, "no done line (or wrong nonce)")

    def test_a_failing_exit_status_fails(self):
        v = self.verdict("status")
        self.assertFalse(v.passed)
        self.assertIn("exit status 3", v.reason)

    def test_a_missing_program_says_how_to_build_it(self):
        test = Test(name="h_gone", lab=1, points=1, host="not_built", expect=["x"],
                    description="never built")
        v = runner.run_one(test, "unused", "unused", seed=7, tree=Path(self.tree.name)).verdict
        self.assertFalse(v.passed)
        self.assertIn("not_built was not built", v.reason)

    def test_it_runs_confined_in_an_empty_folder_without_home(self):
        v = self.verdict("where", expect=[r"^fmt: 42 cwd=0 home=none f=\d+$"])
        self.assertTrue(v.passed, v.reason)

    @unittest.skipUnless(host._confine_prefix(), "no namespaces on this machine")
    def test_it_has_no_network(self):
        self.assertTrue(host._confine_prefix()[-1] == "-n")

    def test_a_host_test_cannot_also_boot(self):
        with self.assertRaises(ValueError):
            Test(name="h_bad", lab=1, points=1, host="x", modules=["m"], expect=["x"])


if __name__ == "__main__":
    unittest.main()
