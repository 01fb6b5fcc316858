"""Present results: a table for people and Gradescope's results.json.

Both keep the order the results are given in (lab, then definition order), so
two runs of the same tests read the same way, however the boots interleaved.
"""

import json
from pathlib import Path

from engine.judge import printable, serial_lines

JSON_TAIL_LINES = 30
_PAINT = {"PASS": "\x1b[32m", "FAIL": "\x1b[31m"}
_PLAIN = "\x1b[0m"


def table(results, colour=False):
    """The results table, the score line and the pass/fail count line."""
    header = ("lab", "test", "points", "result", "time", "reason")
    rows = [(str(r.test.lab), r.test.name, f"{r.score}/{r.test.points}",
             _word(r), f"{r.seconds:.1f}s", printable(r.verdict.reason))
            for r in results]
    # The reason column is last and free-length, so it sets no width.
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(5)]

    def line(row, paint):
        cells = [cell.ljust(width) for cell, width in zip(row, widths)]
        if paint:
            cells[3] = _PAINT[row[3]] + cells[3] + _PLAIN
        return "  ".join(cells + [row[5]]).rstrip()

    lines = [line(header, False)] + [line(row, colour) for row in rows]
    passed = sum(r.verdict.passed for r in results)
    lines.append(f"Score: {_score(results)}/{_max_score(results)}")
    lines.append(f"{passed} passed, {len(results) - passed} failed")
    return "\n".join(lines)


def failure_logs(results, tail):
    """The last `tail` serial lines of each failed test, under a heading."""
    blocks = []
    for r in results:
        if not r.verdict.passed:
            lines = shown_lines(r.text, tail)
            heading = (f"--- lab{r.test.lab}/{r.test.name}: {r.verdict.reason}"
                       f" (seed {r.seed:016x}, last {len(lines)} lines) ---")
            blocks.append("\n".join([heading, *_details(r.verdict), *lines]))
    return "\n\n".join(blocks)


def shown_lines(text, tail):
    """The last `tail` serial lines, as clean text (see judge.printable)."""
    return [printable(line) for line in serial_lines(text)[-tail:]]


def gradescope(results, numbers, seconds, run_nonce):
    """The results.json document; numbers maps test name to "lab.position"."""
    passed = sum(r.verdict.passed for r in results)
    return {
        "score": _score(results),
        "max_score": _max_score(results),
        "execution_time": round(seconds),
        "output": f"minim grader, run nonce {run_nonce}: "
                  f"{passed} passed, {len(results) - passed} failed",
        "tests": [_gradescope_test(r, numbers[r.test.name]) for r in results],
        "leaderboard": [{"name": name, "value": value}
                        for r in results
                        for name, value in r.verdict.figures.items()],
    }


def write_json(path, document):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2) + "\n")


def _gradescope_test(result, number):
    verdict = result.verdict
    lines = [result.test.description] if result.test.description else []
    lines.append(verdict.reason or "passed")
    lines += _details(verdict)
    lines.append(f"seed {result.seed:016x} (grade.py --only {result.test.name} "
                 f"--seed {result.seed:016x} replays this boot)")
    if not verdict.passed:
        tail = shown_lines(result.text, JSON_TAIL_LINES)
        lines += ["", f"Last {len(tail)} lines of serial output:", *tail]
    return {
        "name": f"lab{result.test.lab}/{result.test.name}",
        "number": number,
        "score": result.score,
        "max_score": result.test.points,
        "status": "passed" if verdict.passed else "failed",
        "output": "\n".join(lines),
        "visibility": "visible",
    }


def _details(verdict):
    """The problems behind a failure's reason, indented under it."""
    return [f"  also: {printable(line)}" for line in verdict.details]


def _word(result):
    return "PASS" if result.verdict.passed else "FAIL"


def _score(results):
    return sum(r.score for r in results)


def _max_score(results):
    return sum(r.test.points for r in results)
