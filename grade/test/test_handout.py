"""Tests of grade/handout.py: what a student tree holds, and when one is refused.

The one thing to know: every test cuts handouts from a temporary copy of the fixture
tree (fixtures/markers/tree), so the kit's own tree is never touched.
"""

import contextlib
import filecmp
import io
import os
import shutil
import sys
import tempfile
import unittest
from pathlib import Path

# Discovery with -t grade already puts grade/ on the path; a direct run does not.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import handout  # noqa: E402
import markers  # noqa: E402

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "markers" / "tree"
UNCUT = ["README.md", "kernel/include/frame.h", "labs/lab1/manifest.toml",
         "labs/lab2/manifest.toml", "user/run.sh"]


def files_under(root):
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*")
                  if p.is_file() and ".git" not in p.relative_to(root).parts)


class TreeCase(unittest.TestCase):
    """A fresh copy of the fixture tree in self.root, and a way to cut it."""

    def setUp(self):
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.tmp = Path(tmp.name)
        self.root = self.tmp / "kit"
        shutil.copytree(FIXTURE, self.root)
        (self.root / "user/run.sh").chmod(0o755)

    def cut(self, level, out="out", **options):
        options.setdefault("use_git", False)
        return handout.make_handout(self.root, self.tmp / out, level, **options)


class HandoutTest(TreeCase):
    def test_course_tree_stubs_every_region(self):
        summary = self.cut(1)
        out = self.tmp / "out"
        self.assertIn("3 regions stubbed, 0 kept solved, 7 files written", summary)
        print_c = (out / "kernel/lib/print.c").read_text()
        self.assertIn("\t/* LAB 1: your code here \u2014 turn a digit into a character */\n"
                      "\t// Return the character for digit d, '?' when d is not a digit.\n"
                      "\treturn '?';\n"
                      "\t/* LAB 1: end */\n", print_c)
        self.assertNotIn("'0' + d", print_c)
        self.assertEqual((out / markers.HANDOUT_STAMP).read_text(), "lab = 1\n")

    def test_later_lab_keeps_earlier_labs_solved(self):
        self.assertIn("2 regions stubbed, 1 kept solved", self.cut(2))
        out = self.tmp / "out"
        print_c = (out / "kernel/lib/print.c").read_text()
        self.assertIn("\tif (d < 0 || d > 9)\n\t\treturn '?';\n\treturn '0' + d;\n}\n", print_c)
        self.assertNotIn("LAB", print_c)
        frame_c = (out / "kernel/mm/frame.c").read_text()
        self.assertIn("    /* LAB 2: your code here \u2014 pop a frame off the free list */\n", frame_c)
        self.assertNotIn("free_list = f->next", frame_c)
        self.assertEqual((out / markers.HANDOUT_STAMP).read_text(), "lab = 2\n")

    def test_files_outside_regions_are_identical(self):
        self.cut(2)
        out = self.tmp / "out"
        self.assertEqual(filecmp.cmpfiles(self.root, out, UNCUT, shallow=False)[0], UNCUT)
        self.assertTrue(os.access(out / "user/run.sh", os.X_OK))
        # The lines around a stubbed region are the reference's, byte for byte.
        ref = (self.root / "kernel/mm/frame.c").read_bytes()
        cut = (out / "kernel/mm/frame.c").read_bytes()
        self.assertEqual(cut[:ref.index(b"\t/* LAB 2 BEGIN")], ref[:ref.index(b"\t/* LAB 2 BEGIN")])

    def test_instructor_folders_never_copied(self):
        self.cut(1)
        self.assertEqual(files_under(self.tmp / "out"),
                         sorted(UNCUT + [markers.HANDOUT_STAMP, "kernel/lib/print.c",
                                         "kernel/mm/frame.c"]))

    def test_refuses_a_non_empty_out(self):
        (self.tmp / "out").mkdir()
        (self.tmp / "out/keep.txt").write_text("mine\n")
        with self.assertRaisesRegex(handout.Refused, "not empty"):
            self.cut(1)
        with self.assertRaisesRegex(handout.Refused, "not emptying"):
            self.cut(1, force=True)
        self.assertTrue((self.tmp / "out/keep.txt").exists())

    def test_force_replaces_an_earlier_handout(self):
        self.cut(1)
        (self.tmp / "out/stale.c").write_text("old\n")
        self.cut(2, force=True)
        self.assertFalse((self.tmp / "out/stale.c").exists())
        self.assertEqual((self.tmp / "out" / markers.HANDOUT_STAMP).read_text(), "lab = 2\n")

    def test_out_inside_the_repository_only_under_build(self):
        with self.assertRaisesRegex(handout.Refused, "inside the repository"):
            self.cut(1, out="kit/kernel/h")
        with self.assertRaisesRegex(handout.Refused, "would contain"):
            self.cut(1, out="kit")
        self.cut(1, out="kit/build/h")
        self.assertFalse((self.root / "build/h/build").exists())

    def test_unknown_lab_refused(self):
        with self.assertRaisesRegex(handout.Refused, "no labs/lab3/"):
            self.cut(3)

    def test_marker_problems_refused(self):
        (self.root / "kernel/bad.c").write_text("/* LAB 1 END */\n")
        with self.assertRaisesRegex(handout.Refused, "kernel/bad.c:1: END with no BEGIN"):
            self.cut(1)
        self.assertFalse((self.tmp / "out").exists())

    def test_a_handout_is_not_cut_again(self):
        self.cut(1)
        self.root = self.tmp / "out"
        with self.assertRaisesRegex(handout.Refused, "itself a handout"):
            self.cut(1, out="again")

    def test_cli(self):
        args = ["--out", str(self.tmp / "out"), "--lab", "2", "--no-git", str(self.root)]
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            statuses = handout.main(args), handout.main(args)
        self.assertEqual(statuses, (0, 1))  # the second finds the folder not empty
        self.assertIn("2 regions stubbed, 1 kept solved", out.getvalue())
        self.assertIn("is not empty", err.getvalue())


@unittest.skipUnless(shutil.which("git"), "needs git")
class GitTest(TreeCase):
    def test_copies_what_git_lists(self):
        (self.root / ".gitignore").write_text("*.o\n")
        (self.root / "kernel/lib/print.o").write_text("object\n")
        handout.git(self.root, "init", "-q")
        handout.git(self.root, "add", "kernel")  # the rest stays untracked but not ignored
        self.cut(1)
        names = files_under(self.tmp / "out")
        self.assertIn("README.md", names)
        self.assertIn(".gitignore", names)
        self.assertNotIn("kernel/lib/print.o", names)

    def test_handout_has_one_commit(self):
        self.cut(2, use_git=True)
        log = handout.git(self.tmp / "out", "log", "--format=%s")
        self.assertEqual(log, "minim handout (lab 2)\n")
        self.assertEqual(handout.git(self.tmp / "out", "status", "--porcelain"), "")


if __name__ == "__main__":
    unittest.main()
