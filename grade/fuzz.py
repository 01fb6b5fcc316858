#!/usr/bin/env python3
"""minim's concurrent system-call fuzzer, run from the host: `make fuzz`.

    fuzz.py [--seed N] [--seeds K] [--calls N] [--phases N] [--jobs N]

What a reader must know: the fuzzing itself happens inside the guest (the user
scenario fuzz_mt, user/tests/fuzz_mt.c: workers in several tasks, each with helper
threads, making random system calls at once, the kernel's counts checked after
every phase); this runner picks the seeds, boots one QEMU per seed under
-icount (so a seed replays exactly: the timer preempts at the same instructions),
and judges each boot with the grader's own judge, so a panic, a CPU exception, a
hang or a broken invariant is named as the grader would name it. Every boot is
bounded in time. The seed is printed first, so a failure can be replayed:
`make fuzz SEED=<seed> CALLS=<calls>`.

Exit status: 0 when every seed passed, 1 when one failed, 2 when nothing could run.
"""

import argparse
import os
import re
import secrets
import shutil
import sys
import time
from pathlib import Path

GRADE_DIR = Path(__file__).resolve().parent
ROOT = GRADE_DIR.parent
sys.path.insert(0, str(GRADE_DIR))

from engine import runner  # noqa: E402
from engine.judge import serial_lines  # noqa: E402
from engine.root_task import ROOT_ELF, SIGMA0_ELF  # noqa: E402
from engine.test import Test  # noqa: E402

# Guest output kept per boot: the fault lines of stopped helper threads add up.
CAPTURE_LIMIT = 16 << 20
# Bounded: a hang must end the run, and 1,000,000 calls take well under a minute.
MAX_TIMEOUT = 540.0
SUMMARY = re.compile(r"^fuzz: (seed|phase|\d+ calls made)")


def boot_timeout(calls):
    return min(MAX_TIMEOUT, 60.0 + calls / 4000)


def fuzz_test(seed, calls, phases):
    """The grader's description of one fuzzing boot."""
    return Test(name=f"fuzz_seed_{seed}", lab=0, points=0, scenario="fuzz_mt",
                expect=[r"^fuzz: \d+ calls made \(\d+ failed\), no panic, no hang, "
                        r"every invariant held$"],
                forbid=[r"BROKEN"],
                extra_args=(f"seed={seed}", f"calls={calls}", f"phases={phases}"),
                modules=(ROOT_ELF, SIGMA0_ELF), timeout=boot_timeout(calls))


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="fuzz.py", description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=None,
                        help="the first seed (default: a random one, printed)")
    parser.add_argument("--seeds", type=int, default=1, metavar="K",
                        help="boots with seeds seed, seed+1, ... (default 1)")
    parser.add_argument("--calls", type=int, default=1_000_000,
                        help="system calls per boot (default 1,000,000)")
    parser.add_argument("--phases", type=int, default=10,
                        help="phases per boot, invariants checked after each (default 10)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="boots at a time (default: CPUs)")
    parser.add_argument("--kernel", type=Path, default=ROOT / "build" / "kernel32.elf")
    parser.add_argument("--qemu", default="qemu-system-x86_64")
    args = parser.parse_args(argv)
    if args.seed is None:
        args.seed = secrets.randbelow(1 << 32)
    if args.seeds < 1 or args.calls < 4 * args.phases or args.phases < 1 or args.jobs < 1:
        parser.error("--seeds, --phases and --jobs must be at least 1, "
                     "and --calls at least 4 per phase")
    return args


def main(argv=None):
    args = parse_args(argv)
    kernel = args.kernel.resolve()
    missing = [str(p) for p in (kernel, ROOT / ROOT_ELF, ROOT / SIGMA0_ELF) if not p.is_file()]
    qemu_program = shutil.which(args.qemu)
    if missing or not qemu_program:
        print(f"fuzz.py: missing {', '.join(missing) or args.qemu}; build with `make`",
              file=sys.stderr)
        return 2
    seeds = [args.seed + k for k in range(args.seeds)]
    print(f"fuzz.py: seed{'s' if len(seeds) > 1 else ''} {', '.join(map(str, seeds))}, "
          f"{args.calls} calls each in {args.phases} phases "
          f"(replay one: make fuzz SEED=<seed> CALLS={args.calls})", flush=True)
    tests = [fuzz_test(seed, args.calls, args.phases) for seed in seeds]
    start = time.monotonic()
    results = runner.in_parallel(args.jobs, [
        lambda stop, t=t: runner.run_one(t, kernel, qemu_program, CAPTURE_LIMIT, stop)
        for t in tests])
    failed = 0
    for seed, result in zip(seeds, results):
        lines = serial_lines(result.text)
        faults = sum(1 for line in lines if line.startswith("fault: "))
        for line in lines:
            if SUMMARY.match(line):
                print(f"  {line}")
        verdict = "passed" if result.verdict.passed else f"FAILED: {result.verdict.reason}"
        print(f"fuzz.py: seed {seed}: {verdict} ({result.seconds:.1f} s, "
              f"{faults} helper threads stopped by their faults)", flush=True)
        if not result.verdict.passed:
            failed += 1
            for line in lines[-20:]:
                print(f"    {line}")
    total = len(seeds) * args.calls
    print(f"fuzz.py: {len(seeds)} seed(s), {total} calls, {failed} failed "
          f"({time.monotonic() - start:.1f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
