"""The pristine grading tree: only the student's own files come from a submission."""

import os
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

import engine_support  # noqa: F401  (puts grade/ on sys.path)
from engine import pristine


def tree_with(root, files):
    for rel, text in files.items():
        path = Path(root, rel)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return Path(root)


class Assemble(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        d = Path(self.dir.name)
        self.base = tree_with(d / "base", {
            "Makefile": "official\n", "kernel/ipc.c": "stub\n", "kernel/sched.c": "stub\n",
            "grade/grade.py": "official\n", "labs/lab1/manifest.toml":
            'files = ["kernel/sched.c"]\n', "labs/lab2/manifest.toml":
            'files = ["kernel/ipc.c"]\n'})
        self.student = tree_with(d / "student", {
            "Makefile": "grade:\n\techo 100/100\n", "kernel/ipc.c": "mine\n",
            "grade/grade.py": "print('perfect')\n", "grade/extra.py": "evil\n",
            "build/results.json": "{}\n", "kernel/include/test/ktest.h": "shadow\n"})
        os.symlink("/etc/passwd", self.student / "kernel" / "sched.c")

    def tearDown(self):
        self.dir.cleanup()

    def test_only_owned_files_come_from_the_student(self):
        owned = pristine.owned_files(self.base)
        self.assertEqual(owned, ["kernel/ipc.c", "kernel/sched.c"])
        self.assertEqual(pristine.owned_files(self.base, lab=1), ["kernel/sched.c"])
        out = Path(self.dir.name, "tree")
        made = pristine.assemble(self.base, self.student, owned, out)
        self.assertEqual((out / "kernel/ipc.c").read_text(), "mine\n")
        self.assertEqual((out / "Makefile").read_text(), "official\n")
        self.assertEqual((out / "grade/grade.py").read_text(), "official\n")
        for absent in ("grade/extra.py", "build/results.json", "kernel/include/test/ktest.h"):
            self.assertFalse((out / absent).exists(), absent)
        # A link is not followed: the stub stays, and the log says why.
        self.assertEqual((out / "kernel/sched.c").read_text(), "stub\n")
        self.assertEqual(made.notes, ["kernel/sched.c: a symbolic link, not a file; "
                                      "the stub was used"])

    def test_equal_owned_files_give_equal_keys(self):
        owned = pristine.owned_files(self.base)
        a = pristine.assemble(self.base, self.student, owned, Path(self.dir.name, "a"))
        b = pristine.assemble(self.base, self.student, owned, Path(self.dir.name, "b"))
        (self.student / "kernel/ipc.c").write_text("changed\n")
        c = pristine.assemble(self.base, self.student, owned, Path(self.dir.name, "c"))
        self.assertEqual(a.key, b.key)
        self.assertNotEqual(a.key, c.key)


class Fetch(unittest.TestCase):
    def test_a_nested_upload_a_bundle_and_nonsense(self):
        with tempfile.TemporaryDirectory() as d:
            upload = tree_with(Path(d, "upload"), {"my-tree/Makefile": "x\n",
                                                   "my-tree/kernel/ipc.c": "mine\n"})
            self.assertEqual(pristine.fetch(upload, d), upload / "my-tree")
            with self.assertRaises(pristine.SubmissionError):
                pristine.fetch(Path(d, "no-such-thing"), d)
            if shutil.which("git") is None:
                return
            repo = upload / "my-tree"
            env = {**os.environ, "GIT_AUTHOR_NAME": "s", "GIT_AUTHOR_EMAIL": "s@x",
                   "GIT_COMMITTER_NAME": "s", "GIT_COMMITTER_EMAIL": "s@x"}
            for cmd in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "lab"],
                        ["bundle", "create", str(Path(d, "s.bundle")), "HEAD"]):
                subprocess.run(["git", *cmd], cwd=repo, env=env, check=True,
                               capture_output=True)
            top = pristine.fetch(Path(d, "s.bundle"), Path(d, "work"))
            self.assertEqual((top / "kernel/ipc.c").read_text(), "mine\n")


class Errors(unittest.TestCase):
    def test_the_first_compiler_error_is_the_reason(self):
        out = ("  CC kernel/a.c\nkernel/sched.c:3:1: error: expected ';'\n"
               "kernel/x.c:9: error: other\nmake: *** [Makefile:60] Error 1\n")
        self.assertEqual(pristine.first_error(out), "kernel/sched.c:3:1: error: expected ';'")
        self.assertEqual(pristine.first_error("make: *** [x] Error 2\n"), "make: *** [x] Error 2")


if __name__ == "__main__":
    unittest.main()
