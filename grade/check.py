"""The kit's self-test (`make check`): the reference, the kit's own scenarios (the
bootfs), every lab's handout, short fuzzes, cheating trees and the Gradescope zip
through the batch grader, the ISO, the docs.

    check.py [--jobs N] [--skip STEP...] [--only STEP...]     (STEP: a name prefix)

What a reader must know: the steps are independent verdicts. Each prints
`[PASS] name (t s)` or `[FAIL] name (t s): reason` and the tail of the output that shows
why; the run goes on after a failure and exits 0 only if no step failed. The handout
steps run in parallel (--jobs), but every result is printed in step order.
"""

import argparse
import itertools
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import markers

ROOT = Path(__file__).resolve().parents[1]
TAIL = 30
TIMEOUT = 900
ISO_TIMEOUT = 60
QEMU_ISO = ["qemu-system-x86_64", "-machine", "pc", "-cpu", "max", "-m", "128M",
            "-nographic", "-monitor", "none", "-serial", "stdio", "-display", "none",
            "-nic", "none", "-no-reboot",
            "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
            "-boot", "d", "-cdrom", "build/minim.iso"]
ISO_DONE = "ktest: iso_boot done nonce=iso"
ELF_FUZZ_SECONDS = 5
EXT2_FUZZ_SECONDS = 5
# Under `make check` MAKEFLAGS names the jobserver's pipes, which a child make cannot
# reach: it would print "warning: jobserver unavailable" and fail the warning checks.
ENV = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS")}


class Failed(Exception):
    """A step's verdict: why it failed, and the output that shows it."""

    def __init__(self, reason, output=""):
        super().__init__(reason)
        self.output = output


def run(cmd, cwd=ROOT, timeout=TIMEOUT):
    """(exit status, stdout and stderr merged) of cmd."""
    try:
        # Its own session, so a timeout can end the QEMUs a make started too.
        proc = subprocess.Popen(cmd, cwd=cwd, env=ENV, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True, errors="replace", start_new_session=True)
    except OSError as err:
        raise Failed(f"cannot run {cmd[0]}: {err}")
    with proc:
        try:
            output = proc.communicate(timeout=timeout)[0]
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            raise Failed(f"`{shlex.join(cmd)}` did not finish in {timeout} s",
                         proc.communicate()[0])
    return proc.returncode, output


def must(cmd, cwd=ROOT):
    """The output of cmd, which must exit 0."""
    status, output = run(cmd, cwd)
    if status:
        raise Failed(f"`{shlex.join(cmd)}` exited {status}", output)
    return output


def no_warnings(output, what):
    warnings = [line for line in output.splitlines() if "warning:" in line]
    if warnings:
        raise Failed(f"{what} printed {len(warnings)} warning line(s)", "\n".join(warnings))


def python(tree):
    # grade/py picks the Python that can import pexpect, as the Makefile does.
    return ["sh", str(tree / "grade" / "py")]


def results_by_lab(path, output):
    """{lab: {test name: status}} from a grader's Gradescope results.json."""
    rel = path.relative_to(ROOT)
    if not path.is_file():
        raise Failed(f"the grader wrote no {rel}", output)
    try:
        tests = json.loads(path.read_text())["tests"]
    except (ValueError, KeyError, TypeError) as err:
        raise Failed(f"{rel} is not a Gradescope results file: {err!r}", output)
    labs = {}
    for test in tests:
        m = re.match(r"lab(\d+)/", test.get("name", ""))
        if m:
            labs.setdefault(int(m.group(1)), {})[test["name"]] = test.get("status")
    return labs


def reference_builds():
    must(["make", "clean"])
    no_warnings(must(["make", "all"]), "`make all`")


def marker_lint():
    must(["make", "lint"])


def unit_tests():
    # Without -t, grade/test itself is the import root: the test modules import their
    # helpers (engine_support) as top-level modules.
    must(python(ROOT) + ["-m", "unittest", "discover", "-s", "grade/test"])


def kernel_unit_tests():
    # The kernel's pure data structures, compiled for this machine (kernel/test/host).
    must(["make", "unit"])


def elf_fuzz_short():
    # The ELF parser under libFuzzer for a few seconds (make fuzz runs it for a minute):
    # a crash, undefined behaviour or a plan that breaks elf_parse.h's promises fails
    # it. clang comes from `make deps`, which make check runs first; where it could not
    # be installed the step fails and says so, as the ISO step does without GRUB.
    if not shutil.which("clang"):
        raise Failed("no clang: `make deps` installs it (Debian: clang and libclang-rt-dev); "
                     "the ELF parser was not fuzzed")
    must(["make", "elf-fuzz", f"ELF_FUZZ_TIME={ELF_FUZZ_SECONDS}"])


def ext2_fuzz_short():
    # Lab 8's ext2 code (user/fs) under libFuzzer for a few seconds, as the ELF parser:
    # a crash, undefined behaviour, a pin left or a read of more than asked fails it.
    if not shutil.which("clang"):
        raise Failed("no clang: `make deps` installs it (Debian: clang and libclang-rt-dev); "
                     "the ext2 code was not fuzzed")
    must(["make", "ext2-fuzz", f"EXT2_FUZZ_TIME={EXT2_FUZZ_SECONDS}"])


def kit_selftests():
    # Scenarios of mechanisms no lab cuts (grade/selftest.py): the bootfs the root
    # task sees must be build/bootfs.tar, and a boot without it must still work.
    import selftest
    must(["make", "all"])
    try:
        results = selftest.run(ROOT)
    except (OSError, selftest.BadArchive, selftest.tarfile.TarError) as err:
        raise Failed(str(err))
    failed = [(test, verdict, text) for test, verdict, text in results if not verdict.passed]
    if failed:
        raise Failed("; ".join(f"{test.name}: {verdict.reason}" for test, verdict, _ in failed),
                     "\n".join(text for _, _, text in failed))


def reference_grade(labs):
    results = ROOT / "build" / "results.json"
    results.unlink(missing_ok=True)
    status, output = run(["make", "grade"])
    by_lab = results_by_lab(results, output)
    failed = sorted(name for tests in by_lab.values()
                    for name, s in tests.items() if s != "passed")
    if failed:
        raise Failed(f"failed: {', '.join(failed)}", output)
    missing = [n for n in labs if n not in by_lab]
    if missing:
        raise Failed(f"no tests for lab(s) {missing} in build/results.json", output)
    if status:
        raise Failed(f"every test passed, but `make grade` exited {status}", output)


def handout_stages(n, labs):
    """The lab-n handout builds cleanly, passes labs < n, and fails every lab-n test."""
    tree = ROOT / "build" / f"handout-lab{n}"
    must([sys.executable, str(ROOT / "grade" / "handout.py"), "--out", str(tree),
          "--lab", str(n), "--force", "--no-git", str(ROOT)])
    no_warnings(must(["make", "all"], cwd=tree), f"the lab-{n} handout's `make all`")
    results = tree / "build" / "results.json"
    # Exit status 1 is expected: the lab-n tests must fail. The JSON says which did.
    # No twin boots: labs < n are the reference's, whose twins "reference passes every
    # lab" boots, and twins only follow a pass, which no lab-n test may have here.
    _, output = run(python(tree) + ["grade/grade.py", "--lab", str(n), "--no-twins",
                                    "--json", str(results)], cwd=tree)
    by_lab = results_by_lab(results, output)
    wrong = []
    for lab in (k for k in labs if k <= n):
        tests = by_lab.get(lab)
        if not tests:
            wrong.append(f"no lab-{lab} tests ran")
        elif lab < n:
            failed = sorted(name for name, s in tests.items() if s != "passed")
            if failed:
                wrong.append(f"failed (solved in this handout): {', '.join(failed)}")
        else:
            passed = sorted(name for name, s in tests.items() if s == "passed")
            if passed:
                wrong.append(f"passed (stubbed in this handout): {', '.join(passed)}")
    if wrong:
        raise Failed("; ".join(wrong), output)


def fuzz_short():
    # make fuzz's short form: fixed seeds, so this step says the same on every run;
    # `make fuzz` draws a new seed each time.
    must(python(ROOT) + ["grade/fuzz.py", "--seed", "1", "--seeds", "2", "--calls", "200000"])


def cheats_scored_right():
    # Cheating student trees graded by the batch grader beside the honest handout.
    must(python(ROOT) + ["grade/test/cheat_trees.py"])


def gradescope_runs():
    # The autograder zip, unpacked and run as Gradescope does, on a lab-2 handout.
    must(python(ROOT) + ["grade/test/gradescope_layout.py"])


def iso_boots():
    must(["make", "iso"])
    status, output = run(QEMU_ISO, timeout=ISO_TIMEOUT)
    if ISO_DONE not in output:
        raise Failed(f"no `{ISO_DONE}` on the serial console", output)
    # isa-debug-exit turns the guest's exit value v into (v << 1) | 1: 1 means v = 0.
    if status != 1:
        raise Failed(f"QEMU exited {status}, not 1 (a clean guest exit)", output)


def docs():
    no_warnings(must(["make", "docs"]), "`make docs`")


@dataclass
class Step:
    name: str
    check: Callable[[], None]  # raises Failed
    parallel: bool = False


def all_steps(labs):
    return [
        Step("reference builds without warnings", reference_builds),
        Step("marker lint", marker_lint),
        Step("grader unit tests", unit_tests),
        Step("kernel unit tests (host)", kernel_unit_tests),
        Step(f"ELF parser fuzz (libFuzzer, {ELF_FUZZ_SECONDS} s)", elf_fuzz_short),
        Step(f"ext2 fuzz (libFuzzer, {EXT2_FUZZ_SECONDS} s)", ext2_fuzz_short),
        Step("kit self-tests (the bootfs, stray interrupts)", kit_selftests),
        Step("reference passes every lab", partial(reference_grade, labs)),
        *(Step(f"handout lab {n}", partial(handout_stages, n, labs), parallel=True) for n in labs),
        Step("concurrent fuzz, 2 seeds of 200,000 calls", fuzz_short),
        Step("batch grader scores cheating trees right", cheats_scored_right),
        Step("Gradescope autograder, laid out as Gradescope's", gradescope_runs),
        Step("GRUB ISO boots", iso_boots),
        Step("API docs build without warnings", docs),
    ]


def verdict(step):
    """(step, Failed or None, seconds)."""
    start = time.monotonic()
    try:
        step.check()
        error = None
    except Failed as err:
        error = err
    except Exception as err:  # a bug in a step is that step's failure, not the run's end
        error = Failed(f"{type(err).__name__}: {err}", traceback.format_exc())
    return step, error, time.monotonic() - start


def report(step, error, seconds):
    if error is None:
        print(f"[PASS] {step.name} ({seconds:.1f} s)", flush=True)
        return
    print(f"[FAIL] {step.name} ({seconds:.1f} s): {error}")
    for line in error.output.splitlines()[-TAIL:]:
        print(f"    {line}")
    sys.stdout.flush()


def choose(steps, only, skip):
    """The steps to run; a prefix that names no step is an error, not a silent no-op."""
    def matches(step, prefix):
        return step.name.lower().startswith(prefix.lower())

    for prefix in only + skip:
        if not any(matches(s, prefix) for s in steps):
            names = "\n  ".join(s.name for s in steps)
            raise ValueError(f"no step starts with {prefix!r}; the steps:\n  {names}")
    return [s for s in steps
            if (not only or any(matches(s, p) for p in only))
            and not any(matches(s, p) for p in skip)]


def main(argv=None):
    parser = argparse.ArgumentParser(description="The kit's self-test.")
    parser.add_argument("--jobs", type=int, default=2, help="handouts checked at once (default 2)")
    parser.add_argument("--skip", nargs="+", default=[], metavar="STEP",
                        help="skip the steps whose names start so")
    parser.add_argument("--only", nargs="+", default=[], metavar="STEP",
                        help="run only the steps whose names start so")
    args = parser.parse_args(argv)
    try:
        steps = choose(all_steps(markers.known_labs(ROOT)), args.only, args.skip)
    except ValueError as err:
        parser.error(str(err))
    failed = 0
    with ThreadPoolExecutor(max(1, args.jobs)) as pool:
        for parallel, group in itertools.groupby(steps, key=lambda s: s.parallel):
            for step, error, seconds in (pool.map if parallel else map)(verdict, group):
                report(step, error, seconds)
                failed += error is not None
    print(f"{len(steps) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
