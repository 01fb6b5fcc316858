"""classroom.py turns one grading run into Classroom's reporter payload and a summary."""

import base64
import json
import os
import tempfile
import unittest
from pathlib import Path

import engine_support  # noqa: F401  (puts grade/ on sys.path)
import classroom

DOCUMENT = {"score": 5, "max_score": 15, "output": "minim grader: 1 passed, 1 failed",
            "tests": [{"name": "lab1/a", "score": 5, "max_score": 5, "status": "passed",
                       "output": "does a\npassed"},
                      {"name": "lab1/b", "score": 0, "max_score": 10, "status": "failed",
                       "output": "does b\nhang | stuck\n\nLast lines"}]}


class Classroom(unittest.TestCase):
    def test_payload_and_summary(self):
        with tempfile.TemporaryDirectory() as d:
            grades = Path(d, "grades")
            (grades / "alice").mkdir(parents=True)
            (grades / "gradebook.json").write_text(json.dumps([{"student": "alice"}]))
            (grades / "alice" / "results.json").write_text(json.dumps(DOCUMENT))
            out, summary = Path(d, "out"), Path(d, "summary")
            os.environ.update(GITHUB_OUTPUT=str(out), GITHUB_STEP_SUMMARY=str(summary))
            try:
                self.assertEqual(classroom.main([str(grades)]), 0)
            finally:
                del os.environ["GITHUB_OUTPUT"], os.environ["GITHUB_STEP_SUMMARY"]
            key, _, value = out.read_text().strip().partition("=")
            self.assertEqual(key, "result")
            sent = json.loads(base64.b64decode(value))
            self.assertEqual(sent["status"], "fail")
            self.assertEqual(sent["max_score"], 15)
            self.assertEqual([(t["status"], t["score"]) for t in sent["tests"]],
                             [("pass", 5), ("fail", 0)])
            text = summary.read_text()
            self.assertIn("## minim: 5/15 (alice)", text)
            self.assertIn("| `lab1/b` | 0/10 | **fail** | hang \\| stuck |", text)


if __name__ == "__main__":
    unittest.main()
