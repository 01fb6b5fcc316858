"""Tests of grade/markers.py: parsing regions, rendering them, and every lint problem.

The one thing to know: each lint test copies the fixture tree
(fixtures/markers/tree, which lints clean) into a temporary folder and breaks one thing.
"""

import contextlib
import io
import shutil
import sys
import tempfile
import textwrap
import unittest
from pathlib import Path

# Discovery with -t grade already puts grade/ on the path; a direct run does not.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import markers  # noqa: E402

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "markers" / "tree"

REGION = """\
int f(void)
{
\t/* LAB 2 BEGIN: the answer */
\tint x = 42;
\treturn x;
\t/* LAB 2 STUB
\t// Return the answer.
\treturn 0;
\t*/
\t/* LAB 2 END */
}
"""


def problems_of(text):
    return markers.parse(textwrap.dedent(text), "x.c")[1]


class ParseTest(unittest.TestCase):
    def test_region_fields(self):
        regions, problems = markers.parse(REGION, "k/x.c")
        self.assertEqual(problems, [])
        self.assertEqual(regions, [markers.Region(
            file="k/x.c", lab=2, title="the answer", begin=3, stub_at=6,
            stub=("\t// Return the answer.\n", "\treturn 0;\n"), end=10, indent="\t")])

    def test_empty_stub(self):
        regions, problems = markers.parse(
            "/* LAB 1 BEGIN: t */\nx();\n/* LAB 1 STUB\n*/\n/* LAB 1 END */\n", "x.c")
        self.assertEqual(problems, [])
        self.assertEqual(regions[0].stub, ())

    def test_fixture_regions(self):
        regions, problems = markers.scan(FIXTURE)
        self.assertEqual(problems, [])
        self.assertEqual([(r.file, r.lab, r.begin) for r in regions],
                         [("kernel/lib/print.c", 1, 6), ("kernel/mm/frame.c", 2, 8),
                          ("kernel/mm/frame.c", 2, 19)])


class ParseProblemTest(unittest.TestCase):
    def assertProblem(self, text, line, words):
        problems = problems_of(text)
        self.assertEqual(len(problems), 1, problems)
        self.assertEqual(problems[0].line, line)
        self.assertIn(words, problems[0].message)

    def test_begin_without_end(self):
        self.assertProblem("""\
            /* LAB 1 BEGIN: t */
            x();
            /* LAB 1 STUB
            */
            """, 1, "BEGIN with no END")

    def test_end_without_begin(self):
        self.assertProblem("x();\n/* LAB 1 END */\n", 2, "END with no BEGIN")

    def test_stub_without_begin(self):
        self.assertProblem("/* LAB 1 STUB\n*/\n", 1, "STUB with no BEGIN")

    def test_missing_stub(self):
        self.assertProblem("/* LAB 1 BEGIN: t */\nx();\n/* LAB 1 END */\n", 1, "no STUB part")

    def test_mismatched_stub_lab(self):
        self.assertProblem("""\
            /* LAB 1 BEGIN: t */
            /* LAB 2 STUB
            */
            /* LAB 1 END */
            """, 2, "mismatched lab: STUB says lab 2")

    def test_mismatched_end_lab(self):
        self.assertProblem("""\
            /* LAB 1 BEGIN: t */
            /* LAB 1 STUB
            */
            /* LAB 3 END */
            """, 4, "mismatched lab: END says lab 3")

    def test_nesting(self):
        self.assertProblem("""\
            /* LAB 1 BEGIN: outer */
            /* LAB 1 BEGIN: inner */
            /* LAB 1 STUB
            */
            /* LAB 1 END */
            /* LAB 1 STUB
            */
            /* LAB 1 END */
            """, 2, "regions do not nest")

    def test_unnumbered_marker(self):
        self.assertProblem("/* LAB BEGIN: t */\n", 1, "no lab number")

    def test_malformed_markers(self):
        for line in ("x(); /* LAB 1 BEGIN: t */", "/* LAB 1 end */", "/* LAB1 END */",
                     "/* LAB 1 STUB return 0;"):
            with self.subTest(line=line):
                self.assertProblem(line + "\n", 1, "malformed marker")

    def test_begin_without_title(self):
        for begin in ("/* LAB 1 BEGIN */", "/* LAB 1 BEGIN: */"):
            with self.subTest(begin=begin):
                self.assertProblem(begin + "\n/* LAB 1 STUB\n*/\n/* LAB 1 END */\n",
                                   1, "BEGIN with no title")

    def test_stub_not_closed(self):
        self.assertProblem("""\
            /* LAB 1 BEGIN: t */
            /* LAB 1 STUB
            return 0;
            /* LAB 1 END */
            """, 2, "not closed")

    def test_star_slash_in_stub(self):
        self.assertProblem("""\
            /* LAB 1 BEGIN: t */
            /* LAB 1 STUB
            return 0; */
            */
            /* LAB 1 END */
            """, 3, "cannot contain */")

    def test_code_between_stub_and_end(self):
        self.assertProblem("""\
            /* LAB 1 BEGIN: t */
            /* LAB 1 STUB
            */
            x();
            /* LAB 1 END */
            """, 4, "may follow the stub")

    def test_prose_is_not_a_marker(self):
        self.assertEqual(problems_of("/* the LABEL end: SLAB 2 END */\n"), [])


class RenderTest(unittest.TestCase):
    def render(self, text, level):
        return markers.render(text, markers.parse(text, "x.c")[0], level)

    def test_stubbed(self):
        self.assertEqual(self.render(REGION, 2), (
            "int f(void)\n{\n"
            "\t/* LAB 2: your code here \u2014 the answer */\n"
            "\t// Return the answer.\n\treturn 0;\n"
            "\t/* LAB 2: end */\n}\n"))

    def test_kept_solved(self):
        self.assertEqual(self.render(REGION, 3), "int f(void)\n{\n\tint x = 42;\n\treturn x;\n}\n")

    def test_bytes_outside_regions_unchanged(self):
        # CRLF endings, a form feed, bytes that are not UTF-8, no final newline.
        head = "// caf\udce9\r\n\f\r\n"
        region = REGION.replace("\n", "\r\n")
        text = head + region + "tail"
        out = self.render(text, 1)
        self.assertTrue(out.startswith(head))
        self.assertTrue(out.endswith("}\r\ntail"))
        self.assertIn("\t/* LAB 2: end */\r\n", out)
        self.assertEqual(self.render(head + "tail", 1), head + "tail")


def copy_fixture(test):
    tmp = tempfile.TemporaryDirectory()
    test.addCleanup(tmp.cleanup)
    root = Path(tmp.name, "kit")
    shutil.copytree(FIXTURE, root)
    return root


class LintTest(unittest.TestCase):
    def setUp(self):
        self.root = copy_fixture(self)

    def write(self, rel, text):
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))

    def assertOnlyProblem(self, where, words):
        problems = markers.lint(self.root)[1]
        self.assertEqual(len(problems), 1, problems)
        self.assertTrue(str(problems[0]).startswith(where + ": "), problems[0])
        self.assertIn(words, problems[0].message)

    def run_cli(self, *args):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = markers.main([*args, str(self.root)])
        return status, out.getvalue(), err.getvalue()

    def test_clean_tree(self):
        self.assertEqual(self.run_cli("lint"),
                         (0, "markers: 3 regions in 2 files, labs [1, 2], ok\n", ""))

    def test_list(self):
        status, out, _ = self.run_cli("list")
        self.assertEqual(status, 0)
        self.assertEqual(out.splitlines()[0], "1 kernel/lib/print.c:6 turn a digit into a character")

    def test_problem_fails_the_cli(self):
        self.write("user/bad.S", "/* LAB 1 END */\n")
        status, out, err = self.run_cli("lint")
        self.assertEqual((status, out), (1, ""))
        self.assertIn("user/bad.S:1: END with no BEGIN", err)

    def test_unknown_lab(self):
        self.write("kernel/x.h", "/* LAB 7 BEGIN: t */\n/* LAB 7 STUB\n*/\n/* LAB 7 END */\n")
        self.assertOnlyProblem("kernel/x.h:1", "lab 7 has no labs/lab7/ folder")

    def test_listed_file_without_region(self):
        self.write("labs/lab1/manifest.toml", 'files = ["kernel/lib/print.c", "kernel/include/frame.h"]\n')
        self.assertOnlyProblem("labs/lab1/manifest.toml:1", "lists kernel/include/frame.h, which has no lab-1")

    def test_listed_file_missing(self):
        self.write("labs/lab1/manifest.toml", 'files = [\n"kernel/lib/print.c",\n"gone.c"]\n')
        self.assertOnlyProblem("labs/lab1/manifest.toml:3", "does not exist")

    def test_region_file_not_listed(self):
        self.write("labs/lab2/manifest.toml", 'title = "t"\nfiles = []\n')
        problems = markers.lint(self.root)[1]
        self.assertEqual([str(p) for p in problems],
                         ["kernel/mm/frame.c:8: lab-2 region, but labs/lab2/manifest.toml "
                          "does not list this file"])

    def test_lab_without_manifest(self):
        (self.root / "labs/lab3").mkdir()
        self.assertOnlyProblem("labs/lab3/", "no manifest.toml")

    def test_manifest_not_toml(self):
        self.write("labs/lab2/manifest.toml", "files = [\n")
        problems = markers.lint(self.root)[1]
        self.assertIn("not valid TOML", problems[0].message)

    def test_skipped_folders(self):
        for folder in ("build", "grade/test/fixtures/x", ".git"):
            self.write(f"{folder}/bad.c", "/* LAB 1 END */\n")
        self.assertEqual(markers.lint(self.root)[1], [])

    def test_handout_tree_is_not_linted(self):
        self.write(markers.HANDOUT_STAMP, "lab = 2\n")
        self.write("kernel/bad.c", "/* LAB 1 END */\n")
        self.assertEqual(self.run_cli("lint"),
                         (0, "markers: a lab-2 handout, no solution regions here\n", ""))


if __name__ == "__main__":
    unittest.main()
