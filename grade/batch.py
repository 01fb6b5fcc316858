#!/usr/bin/env python3
"""Grade a class: each submission rebuilt from the official tree and graded from outside.

    batch.py [--lab N] [--jobs N] [--out DIR] [--official DIR] SUBMISSION...
    batch.py --class FOLDER ...      every entry of FOLDER is a submission

A submission is a student's tree (a folder, possibly nested one level, as Gradescope
unpacks an upload), a git bundle (*.bundle) or a git URL. For each: the grading tree is
the official tree with every region stubbed plus the student's own files
(engine/pristine.py), built with a clean environment, then booted by this process's
grader, which never imports or runs anything from the student's tree. Results go under
--out: a results.json and a log per student, and gradebook.csv / gradebook.json.

What a reader must know: run it with the official tree's Python in isolated mode
(`make grade-class` does: `grade/py -I grade/batch.py`), so neither the environment
nor the current folder can change which code grades. At most --jobs boots or builds
run at once; identical submissions are built once.
"""

import argparse
import csv
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

GRADE_DIR = Path(__file__).resolve().parent
ROOT = GRADE_DIR.parent
sys.path.insert(0, str(GRADE_DIR))

from engine import pristine, registry, report  # noqa: E402
from engine.judge import printable  # noqa: E402


@dataclass
class Graded:
    student: str
    status: str                # "graded", "build failed", "not fetched"
    reason: str = ""           # why not graded, one line
    results: list = field(default_factory=list)
    seconds: float = 0.0


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="batch.py", description="Grade many student trees, each rebuilt from the "
                                     "official tree, into a gradebook.")
    parser.add_argument("submissions", nargs="*", help="folders, .bundle files, git URLs")
    parser.add_argument("--class", dest="class_dir", type=Path, metavar="FOLDER",
                        help="grade every entry of FOLDER (its name is the student's)")
    parser.add_argument("--lab", type=int, metavar="N",
                        help="grade labs 1..N (default: all); the student's files are "
                             "those of labs 1..N")
    parser.add_argument("--only", nargs="+", metavar="NAME",
                        help="only these tests (with --lab: of those labs)")
    parser.add_argument("--no-twins", action="store_true",
                        help="skip the second, fastpath=0 boot of labs 4 and 5 (faster; a "
                             "tree can only score the same or higher: the kit's cheat-tree "
                             "self-test uses it)")
    parser.add_argument("--out", type=Path, default=Path("grades"),
                        help="where the gradebook and logs go (default: ./grades)")
    parser.add_argument("--official", type=Path, default=ROOT,
                        help="the official tree (default: the one this grader is in)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, metavar="N",
                        help="builds and boots at a time (default: CPUs)")
    parser.add_argument("--qemu", default="qemu-system-x86_64",
                        help="QEMU program, found on this process's PATH")
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")
    return args


def submissions_of(args):
    """[(student name, submission)], names unique."""
    found = [Path(s) if Path(s).exists() else s for s in args.submissions]
    if args.class_dir:
        if not args.class_dir.is_dir():
            raise SystemExit(f"batch.py: --class {args.class_dir}: not a folder")
        found += sorted(p for p in args.class_dir.iterdir() if not p.name.startswith("."))
    named, seen = [], {}
    for sub in found:
        base = _name_of(sub)
        seen[base] = seen.get(base, 0) + 1
        named.append((base if seen[base] == 1 else f"{base}-{seen[base]}", sub))
    return named


def _name_of(submission):
    text = str(submission).rstrip("/")
    name = text.rsplit("/", 1)[-1].rsplit(":", 1)[-1]
    for suffix in (".bundle", ".git"):
        name = name.removesuffix(suffix)
    clean = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in name)
    return clean.strip(".") or "submission"


class BuildCache:
    """Builds by the digest of the owned files: the first builds and keeps a copy of
    its build/ in store (its own tree goes with its submission), the rest copy that."""

    def __init__(self, store):
        self.store = Path(store)
        self.lock = threading.Lock()
        self.entries = {}  # key -> (event, [Build])

    def build(self, assembled):
        with self.lock:
            entry = self.entries.get(assembled.key)
            first = entry is None
            if first:
                entry = self.entries[assembled.key] = (threading.Event(), [None])
        event, slot = entry
        kept = self.store / assembled.key
        if first:
            try:
                built = pristine.build(assembled.tree)
                if built.ok:
                    pristine.copy_build(assembled.tree, kept)
                slot[0] = built
            finally:
                event.set()
            return built
        event.wait()
        built = slot[0]
        if built is not None and built.ok:
            pristine.copy_build(kept, assembled.tree)
        return built or pristine.Build(False, "", "the shared build did not finish")


class Progress:
    """One line on a terminal (submissions done, failures, time left); else a line
    per finished submission."""

    def __init__(self, total, stream=sys.stderr):
        self.total, self.done, self.failed = total, 0, 0
        self.start = time.monotonic()
        self.stream, self.tty = stream, stream.isatty()
        self.lock = threading.Lock()

    def finished(self, graded):
        with self.lock:
            self.done += 1
            self.failed += graded.status != "graded"
            spent = time.monotonic() - self.start
            left = spent / self.done * (self.total - self.done)
            line = (f"grade-class: {self.done}/{self.total} submissions, "
                    f"{self.failed} not graded, about {_minutes(left)} left")
            if self.tty:
                self.stream.write("\r\x1b[2K" + line)
                if self.done == self.total:
                    self.stream.write("\n")
            else:
                self.stream.write(f"grade-class: {graded.student}: {_summary(graded)}\n")
            self.stream.flush()


def _minutes(seconds):
    seconds = round(seconds)
    return f"{seconds // 60}m{seconds % 60:02d}s"


def _summary(graded):
    if graded.status != "graded":
        return f"{graded.status}: {graded.reason}"
    return (f"{sum(r.score for r in graded.results)}/"
            f"{sum(r.test.points for r in graded.results)}")


def grade_one(student, submission, ctx):
    """Fetch, assemble, build and boot one submission; never raises for its faults."""
    start = time.monotonic()
    folder = ctx.out / student
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    log = [f"minim batch grader: {student} ({submission})"]
    with tempfile.TemporaryDirectory(prefix="minim-grade-") as work:
        try:
            top = pristine.fetch(submission, work)
        except pristine.SubmissionError as err:
            graded = Graded(student, "not fetched", printable(str(err)))
            return _finish(graded, ctx, folder, log, start)
        assembled = pristine.assemble(ctx.base, top, ctx.owned, Path(work, "tree"))
        log += [f"note: {printable(n)}" for n in assembled.notes]
        with ctx.slots:
            built = ctx.cache.build(assembled)
        log += ["", "--- build (make kernel user) ---",
                *map(printable, built.output.splitlines())]
        if not built.ok:
            graded = Graded(student, "build failed", printable(built.error))
            return _finish(graded, ctx, folder, log, start)
        from engine import runner  # needs pexpect; checked in main()
        results = []
        kernel = assembled.tree / "build" / "kernel32.elf"
        for test in ctx.tests:
            with ctx.slots:
                results.append(runner.run_one(test, kernel, ctx.qemu,
                                              tree=assembled.tree))
        graded = Graded(student, "graded", results=results)
        return _finish(graded, ctx, folder, log, start)


def _finish(graded, ctx, folder, log, start):
    graded.seconds = time.monotonic() - start
    if graded.results:
        document = report.gradescope(graded.results, ctx.numbers, graded.seconds,
                                     graded.student)
        failed = report.failure_logs(graded.results, 40)
        log += ["", "--- grade ---", report.table(graded.results)]
        if failed:
            log += ["", failed]
    else:
        document = zero_results(ctx.tests, ctx.numbers, graded)
        log += ["", f"{graded.status}: {graded.reason}", "score 0"]
    report.write_json(folder / "results.json", document)
    (folder / "log.txt").write_text("\n".join(log) + "\n")
    ctx.progress.finished(graded)
    return graded


def zero_results(tests, numbers, graded):
    """A Gradescope document scoring every test 0, naming why nothing booted."""
    why = f"{graded.status}: {graded.reason}"
    return {
        "score": 0,
        "max_score": sum(t.points for t in tests),
        "execution_time": round(graded.seconds),
        "output": f"minim grader: {why}",
        "tests": [{"name": f"lab{t.lab}/{t.name}", "number": numbers[t.name],
                   "score": 0, "max_score": t.points, "status": "failed",
                   "output": why, "visibility": "visible"} for t in tests],
    }


def write_gradebook(out, tests, everyone):
    labs = sorted({t.lab for t in tests})
    rows = []
    for g in everyone:
        by_name = {r.test.name: r for r in g.results}
        per_test = {t.name: {"score": by_name[t.name].score if t.name in by_name else 0,
                             "max_score": t.points,
                             "reason": (by_name[t.name].verdict.reason
                                        if t.name in by_name else g.reason)}
                    for t in tests}
        per_lab = {str(lab): sum(v["score"] for t, v in zip(tests, per_test.values())
                                 if t.lab == lab) for lab in labs}
        rows.append({"student": g.student, "status": g.status, "reason": g.reason,
                     "score": sum(v["score"] for v in per_test.values()),
                     "max_score": sum(t.points for t in tests), "labs": per_lab,
                     "tests": per_test, "log": f"{g.student}/log.txt"})
    (out / "gradebook.json").write_text(json.dumps(rows, indent=2) + "\n")
    with open(out / "gradebook.csv", "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["student", "status", "score", "max_score",
                         *[f"lab{lab}" for lab in labs],
                         *[f"lab{t.lab}/{t.name}" for t in tests], "reason"])
        for row in rows:
            writer.writerow([row["student"], row["status"], row["score"], row["max_score"],
                             *[row["labs"][str(lab)] for lab in labs],
                             *[row["tests"][t.name]["score"] for t in tests],
                             row["reason"]])


@dataclass
class Context:
    base: Path
    owned: list
    tests: list
    numbers: dict
    qemu: str
    out: Path
    slots: threading.Semaphore
    cache: BuildCache
    progress: Progress


def main(argv=None):
    args = parse_args(argv)
    named = submissions_of(args)
    if not named:
        print("batch.py: no submissions (give folders, bundles, URLs or --class)",
              file=sys.stderr)
        return 2
    qemu = shutil.which(args.qemu)
    if qemu is None:
        print(f"batch.py: QEMU not found: {args.qemu}", file=sys.stderr)
        return 2
    try:
        import pexpect  # noqa: F401  (the runner needs it; say so before building)
    except ModuleNotFoundError:
        print("batch.py: booting needs pexpect (Debian: python3-pexpect; "
              "grade/py finds a Python that has it)", file=sys.stderr)
        return 2
    official = args.official.resolve()
    try:
        # The official grader's lab files: the same code that grades every student.
        catalog = registry.load(official / "grade")
    except registry.RegistryError as err:
        print(f"batch.py: {err}", file=sys.stderr)
        return 2
    tests = [replace(t, twin=None) if args.no_twins else t for t in catalog
             if (args.lab is None or t.lab <= args.lab) and (not args.only or t.name in args.only)]
    unknown = set(args.only or ()) - {t.name for t in catalog}
    if unknown or not tests:
        print(f"batch.py: no such tests: {', '.join(sorted(unknown)) or 'none selected'}",
              file=sys.stderr)
        return 2
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="minim-base-") as scratch:
        ctx = Context(pristine.make_base(official, scratch),
                      pristine.owned_files(official, args.lab), tests,
                      registry.numbers(catalog), os.path.abspath(qemu), out,
                      threading.Semaphore(args.jobs), BuildCache(Path(scratch, "builds")),
                      Progress(len(named)))
        # More workers than slots: one can fetch or copy while others boot.
        with ThreadPoolExecutor(max_workers=args.jobs + 1) as pool:
            everyone = list(pool.map(lambda ns: grade_one(ns[0], ns[1], ctx), named))
    write_gradebook(out, tests, everyone)
    graded = sum(g.status == "graded" for g in everyone)
    print(f"grade-class: {len(everyone)} submissions, {graded} graded, "
          f"{len(everyone) - graded} not, in {_minutes(time.monotonic() - start)}; "
          f"gradebook: {out / 'gradebook.csv'} and gradebook.json, logs: {out}/<student>/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
