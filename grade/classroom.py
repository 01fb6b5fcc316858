#!/usr/bin/env python3
"""Hands a grading run's results to GitHub Classroom and to the job's summary page.

    classroom.py GRADES_DIR       (the --out folder of one batch.py run)

What a reader must know: Classroom's autograding reporter
(classroom-resources/autograding-grading-reporter) reads, for each runner id it is
given, an environment variable <ID>_RESULTS holding base64 JSON: a status, a
max_score and the tests with their scores. This writes that payload as the step
output `result` ($GITHUB_OUTPUT) and the results table, in Markdown, to
$GITHUB_STEP_SUMMARY, so a student sees every test's reason on the run's page.
"""

import base64
import json
import os
import sys
from pathlib import Path


def payload(document):
    tests = [{"name": t["name"], "status": "pass" if t["status"] == "passed" else "fail",
              "score": t["score"], "max_score": t["max_score"],
              "message": t["output"], "line_no": 0, "filename": "", "test_code": "",
              "execution_time": ""} for t in document.get("tests", [])]
    status = "pass" if tests and all(t["status"] == "pass" for t in tests) else "fail"
    return {"version": 1, "status": status,
            "max_score": document.get("max_score", 0), "tests": tests}


def summary(student, document):
    rows = ["| test | points | result | reason |", "| --- | --- | --- | --- |"]
    for t in document.get("tests", []):
        reason = t["output"].split("\n")[1 if "\n" in t["output"] else 0]
        reason = reason.replace("|", "\\|")
        mark = "pass" if t["status"] == "passed" else "**fail**"
        rows.append(f"| `{t['name']}` | {t['score']}/{t['max_score']} | {mark} | {reason} |")
    return "\n".join([f"## minim: {document.get('score', 0)}/{document.get('max_score', 0)}"
                      f" ({student})", "", document.get("output", ""), "", *rows, ""])


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print("usage: classroom.py GRADES_DIR", file=sys.stderr)
        return 2
    grades = Path(argv[0])
    book = json.loads((grades / "gradebook.json").read_text())
    if len(book) != 1:
        print(f"classroom.py: {grades} holds {len(book)} submissions, not one",
              file=sys.stderr)
        return 2
    student = book[0]["student"]
    document = json.loads((grades / student / "results.json").read_text())
    encoded = base64.b64encode(json.dumps(payload(document)).encode()).decode()
    for variable, text in (("GITHUB_OUTPUT", f"result={encoded}\n"),
                           ("GITHUB_STEP_SUMMARY", summary(student, document))):
        target = os.environ.get(variable)
        if target:
            with open(target, "a") as f:
                f.write(text)
        elif variable == "GITHUB_STEP_SUMMARY":
            print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
