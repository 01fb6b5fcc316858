#!/usr/bin/env python3
"""mutate.py (make mutants): plant likely student bugs one at a time, and say which no
test catches.

    mutate.py [--lab N ...] [--only NAME ...] [--set DIR] [--min-rate PCT] [--jobs J]

What a reader must know: a mutant (grade/mutants/labN.py, MUTANTS) replaces one piece of
text, found exactly once, in one file of lab N's regions: a bug a student is likely to
write there. Each is planted in a copy of the tree (build/ included, so make recompiles
only what it touched), built, and booted on lab N's tests until one fails (it is caught;
the report names the test and its reason) or all pass (it survived). It prints the catch
rate per lab and every survivor. Exit status: 0, or 1 if a lab's rate is below --min-rate (the kit's CI
asks 95), or 2 if the set is stale (a mutant's text is not in its file exactly once, or
the mutant does not build: a bug the compiler catches teaches nothing here). Instructors
add their own bugs with --set DIR (files named labN.py, each with MUTANTS).
"""

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

GRADE_DIR = Path(__file__).resolve().parent
ROOT = GRADE_DIR.parent
sys.path.insert(0, str(GRADE_DIR))

from engine import registry, runner  # noqa: E402

BUILD_TIMEOUT = 600
GRADE_TIMEOUT = 1800
# A copy is the tree without its history and without what the copy does not need.
IGNORED = shutil.ignore_patterns(".git", "handout-lab*", "cheats", "elf-fuzz", "ext2-fuzz",
                                "docs", "*.img")


@dataclass(frozen=True)
class Mutant:
    name: str
    file: str      # relative to the tree
    find: str      # text that must occur exactly once in the file
    replace: str
    bug: str       # what the student did, in a few words


def load_sets(folder):
    """{lab: [Mutant]} from folder/labN.py."""
    sets = {}
    for path in sorted(Path(folder).glob("lab*.py")):
        lab = int(path.stem[3:])
        spec = importlib.util.spec_from_file_location(f"mutants_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        sets[lab] = list(module.MUTANTS)
    return sets


def stale(mutant, tree):
    """Why the mutant cannot be planted in tree, or None."""
    path = tree / mutant.file
    if not path.is_file():
        return f"{mutant.file} does not exist"
    count = path.read_text().count(mutant.find)
    if count != 1:
        return f"its text occurs {count} times in {mutant.file}, not once"
    return None


def plant(mutant, tree, into):
    """A copy of tree with mutant in it."""
    shutil.copytree(tree, into, symlinks=True, ignore=IGNORED)
    path = into / mutant.file
    path.write_text(path.read_text().replace(mutant.find, mutant.replace, 1))


def judge_mutant(mutant, lab, tree, jobs):
    """('caught', 'test: reason') / ('survived', '') / ('stale', why)."""
    why = stale(mutant, tree)
    if why:
        return "stale", why
    tests = [t for t in registry.load(GRADE_DIR) if t.lab == lab]
    with tempfile.TemporaryDirectory(prefix="minim-mutant-") as tmp:
        copy = Path(tmp) / "tree"
        plant(mutant, tree, copy)
        env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS")}
        build = subprocess.run(["make", "-s", "all"], cwd=copy, capture_output=True,
                               text=True, timeout=BUILD_TIMEOUT, env=env)
        if build.returncode:
            tail = (build.stdout + build.stderr).strip().splitlines()[-1:]
            return "stale", f"does not build: {' '.join(tail)}"
        first = first_failure(tests, copy, jobs)
    if first is None:
        return "survived", ""
    return "caught", f"{first.test.name}: {first.verdict.reason[:160]}"


def first_failure(tests, tree, jobs):
    """The first result of tests (booted on tree, jobs at a time) that fails, or None
    if all pass. The boots still running when one fails are stopped: a mutant needs
    one test that catches it, and most are caught early."""
    kernel = (tree / "build" / "kernel32.elf").resolve()
    qemu = shutil.which("qemu-system-x86_64")
    stop = threading.Event()
    failed = []
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        def boot(test):
            if stop.is_set():
                return
            try:
                result = runner.run_one(test, kernel, qemu, stop=stop, tree=tree)
            except InterruptedError:
                return      # stopped: another boot already caught the mutant
            if not result.verdict.passed and not stop.is_set():
                failed.append(result)
                stop.set()
        for future in [pool.submit(boot, t) for t in tests]:
            future.result()
    return failed[0] if failed else None


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lab", type=int, nargs="+", metavar="N", help="only these labs")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="only these mutants")
    parser.add_argument("--set", type=Path, default=GRADE_DIR / "mutants", metavar="DIR",
                        help="where the labN.py files are (default: grade/mutants)")
    parser.add_argument("--min-rate", type=float, default=0.0, metavar="PCT",
                        help="fail if a lab catches fewer than PCT percent")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--tree", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    sets = load_sets(args.set)
    worst, stale_seen = 100.0, False
    for lab, mutants in sorted(sets.items()):
        if args.lab and lab not in args.lab:
            continue
        mutants = [m for m in mutants if not args.only or m.name in args.only]
        if not mutants:
            continue
        caught = 0
        for m in mutants:
            started = time.monotonic()
            verdict, detail = judge_mutant(m, lab, args.tree, args.jobs)
            seconds = time.monotonic() - started
            print(f"lab {lab} {m.name:<28} {verdict:<8} {seconds:5.0f}s  "
                  f"{detail or m.bug}", flush=True)
            caught += verdict == "caught"
            stale_seen |= verdict == "stale"
        rate = 100.0 * caught / len(mutants)
        worst = min(worst, rate)
        print(f"lab {lab}: {caught} of {len(mutants)} caught ({rate:.0f} %)", flush=True)
    if stale_seen:
        print("mutants: the set is stale: fix or drop the mutants marked stale")
        return 2
    if worst < args.min_rate:
        print(f"mutants: a lab catches {worst:.0f} %, below {args.min_rate:g} %")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
