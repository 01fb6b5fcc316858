#!/usr/bin/env python3
"""minim's grader: boot the kernel once per test in QEMU and judge each boot.

Exit status: 0 when every selected test passed, 1 when one failed, 2 for a
usage error or a missing kernel/QEMU. Default paths are relative to the
repository root; paths given on the command line, to the current directory.
"""

import argparse
import os
import shutil
import sys
import time
from dataclasses import replace
from pathlib import Path

GRADE_DIR = Path(__file__).resolve().parent
ROOT = GRADE_DIR.parent
# Lab files and the engine import each other as top-level modules
# (`from engine import Test`), from wherever grade.py is started.
sys.path.insert(0, str(GRADE_DIR))

from engine import registry, report  # noqa: E402
from engine.challenge import DEFAULT_SEED  # noqa: E402

VERBOSE_TAIL_LINES = 40


class UsageError(Exception):
    """The command line cannot be carried out; the message says why."""


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="grade.py",
        description="Boot the minim kernel in QEMU once per test and judge "
                    "its serial output.")
    parser.add_argument("--lab", type=int, metavar="N",
                        help="run the tests of labs up to N (default: all)")
    parser.add_argument("--only", nargs="+", metavar="NAME",
                        help="run only these tests")
    parser.add_argument("--no-twins", action="store_true",
                        help="skip the second, fastpath=0 boot of labs 4 and 5 (faster; a "
                             "tree can only score the same or higher)")
    parser.add_argument("--list", action="store_true",
                        help="list the tests (lab, name, points) and exit")
    parser.add_argument("--kernel", type=Path,
                        help="kernel to boot (default: build/kernel32.elf of "
                             "the tree)")
    parser.add_argument("--jobs", type=_positive, default=os.cpu_count() or 1,
                        metavar="N", help="boots at a time (default: CPUs)")
    parser.add_argument("--json", type=Path,
                        help="Gradescope results file "
                             "(default: build/results.json of the tree)")
    parser.add_argument("--verbose", action="store_true",
                        help=f"show the last {VERBOSE_TAIL_LINES} serial "
                             "lines of each failed test")
    parser.add_argument("--qemu", default="qemu-system-x86_64",
                        help="QEMU program (default: qemu-system-x86_64)")
    parser.add_argument("--seed", type=_seed, metavar="HEX",
                        help="boot every test with this challenge seed (as "
                             "results.json names it) instead of a fresh one")
    parser.add_argument("--expected", action="store_true",
                        help="print the lines the selected tests expect for "
                             "--seed (default: the seed `make run` boots with) "
                             "and exit")
    parser.add_argument("--tree", type=Path, default=ROOT,
                        help="the tree whose build/ is booted: QEMU runs there "
                             "(default: the repository this grader is in)")
    args = parser.parse_args(argv)
    args.kernel = args.kernel or args.tree / "build" / "kernel32.elf"
    args.json = args.json or args.tree / "build" / "results.json"
    return args


def main(argv=None):
    args = parse_args(argv)
    try:
        catalog = registry.load(GRADE_DIR)
        selected = select(catalog, args.lab, args.only)
        if args.no_twins:
            selected = [replace(test, twin=None) for test in selected]
        if args.list:
            print(listing(selected))
            return 0
        if args.expected:
            print(expected_lines(selected, args.seed))
            return 0
        if not selected:
            raise UsageError("no tests to run: none selected (see --list)")
        if not args.kernel.is_file():
            raise UsageError(f"kernel not found: {args.kernel}\n"
                             "build it first with `make`, or pass --kernel")
        qemu_program = shutil.which(args.qemu)
        if qemu_program and os.sep in qemu_program:
            qemu_program = os.path.abspath(qemu_program)  # QEMU runs in the repo root
        if qemu_program is None:
            raise UsageError(f"QEMU not found: {args.qemu}")
        runner = _import_runner()
    except (registry.RegistryError, UsageError) as err:
        print(f"grade.py: {err}", file=sys.stderr)
        return 2

    start = time.monotonic()
    try:
        results = runner.run_all(selected, args.kernel.resolve(),
                                 qemu_program, args.jobs, seed=args.seed,
                                 tree=args.tree.resolve())
    except KeyboardInterrupt:
        print("grade.py: interrupted; every QEMU was stopped", file=sys.stderr)
        return 130
    seconds = time.monotonic() - start

    report.write_json(args.json, report.gradescope(
        results, registry.numbers(catalog), seconds, runner.new_nonce()))
    if args.verbose and not all(r.verdict.passed for r in results):
        print(report.failure_logs(results, VERBOSE_TAIL_LINES) + "\n")
    print(report.table(results, colour=sys.stdout.isatty()))
    return 0 if all(r.verdict.passed for r in results) else 1


def select(tests, lab, only):
    """The tests of labs <= lab (if given) and named in only (if given)."""
    if only:
        unknown = sorted(set(only) - {test.name for test in tests})
        if unknown:
            raise UsageError(f"no such test: {', '.join(unknown)} "
                             "(see --list)")
        tests = [test for test in tests if test.name in only]
    if lab is not None:
        tests = [test for test in tests if test.lab <= lab]
    return tests


def listing(tests):
    rows = [("lab", "test", "points", "description")]
    rows += [(str(t.lab), t.name, str(t.points), t.description) for t in tests]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    return "\n".join("  ".join([cell.ljust(width)
                                for cell, width in zip(row, widths)]
                               + [row[3]]).rstrip()
                     for row in rows)


def expected_lines(tests, seed):
    """Each test's expect regexes for seed (None: the C default, as make run)."""
    seed = DEFAULT_SEED if seed is None else seed
    blocks = [f"seed {seed:016x}"]
    for test in tests:
        blocks.append("\n".join([f"{test.name}:"] +
                                 [f"  {p}" for p in test.patterns(seed)]))
    return "\n".join(blocks)


def _import_runner():
    # Only running tests needs pexpect; --list works on any Python 3.
    try:
        from engine import runner
    except ModuleNotFoundError as err:
        if err.name != "pexpect":
            raise
        raise UsageError(f"running tests needs pexpect, which {sys.executable} "
                         "cannot import: run `sh grade/py grade/grade.py ...` (it "
                         "finds a Python 3 that can), or install it (make deps; "
                         "Debian: python3-pexpect)") from err
    return runner


def _seed(text):
    try:
        value = int(text, 16)
    except ValueError:
        raise argparse.ArgumentTypeError("a seed is hex digits") from None
    if not 0 <= value < 1 << 64:
        raise argparse.ArgumentTypeError("a seed has at most 16 hex digits")
    return value


def _positive(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


if __name__ == "__main__":
    sys.exit(main())
