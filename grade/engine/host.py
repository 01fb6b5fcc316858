"""Graded host tests: a lab's data structure compiled for this machine, with the
sanitizers, and run like a boot.

A Test with `host="format_test"` runs build/host/format_test (kernel/test/host/
format_test.c linked with the student's file) with the words a boot's command line
would have (test=, nonce=, seed=), and is judged as a boot is: its expected lines,
computed by the lab file from the seed, then the done line with the nonce.

What a reader must know: the program runs the student's code natively, not inside
QEMU, so its verdict is worth only what its expected lines are: values drawn from the
seed, pushed through the student's code, and checked here against the lab file's own
model; a constant transcript, or one printed by a student's constructor, cannot know
them. It runs confined (no network when `unshare` can make a namespace, an empty
scratch directory, a clean environment, CPU-time and file-size limits); a tree that
set out to harm the grading machine would still run as the grading user, so an
instructor grading strangers' trees grades them as an unprivileged user or in a
container (Gradescope's is one).
"""

import functools
import os
import re
import resource
import shutil
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path

from engine import qemu
from engine.judge import QEMU_CLEAN_EXIT, serial_lines

# A sanitizer's report: the line that names the error, and its one-line summary.
_SANITIZER = re.compile(r"^(==\d+==ERROR: \w+Sanitizer: .*|.*: runtime error: .*)$")
_SUMMARY = re.compile(r"^SUMMARY: (\w+Sanitizer: .*)$")
FILE_LIMIT = 1 << 20  # bytes a host test may write to a file: it has no need to


def program(tree, test):
    return Path(tree, "build", "host", test.host)


@functools.cache
def _confine_prefix():
    """['unshare', '-r', '-n'] where this machine lets us make a user and network
    namespace (no network inside), else []."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return ()
    try:
        done = subprocess.run([unshare, "-r", "-n", "true"], capture_output=True,
                              timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return ()
    return (unshare, "-r", "-n") if done.returncode == 0 else ()


def _limits(seconds):
    def apply():
        cpu = max(1, int(seconds) + 1)
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
        resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_LIMIT, FILE_LIMIT))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    return apply


def run(test, tree, words, limit, stop):
    """(Capture, why it failed before the judge looks, or None) of one run of test's
    host program with the command-line words: a program not built, or a sanitizer's
    report. A clean exit is reported as a clean boot's status."""
    path = program(tree, test)
    if not path.is_file():
        return (qemu.Capture("", None, False, False, 0.0),
                f"the host test {path.name} was not built (`make kernel user` builds "
                f"build/host/{path.name})")
    env = {"PATH": "/usr/bin:/bin", "LC_ALL": "C",
           # Leak checking needs ptrace, which a namespace may not allow; the kernel's
           # structures are checked for leaks by the tests themselves.
           "ASAN_OPTIONS": "detect_leaks=0:color=never:exitcode=99",
           "UBSAN_OPTIONS": "halt_on_error=1:print_stacktrace=1:color=never:exitcode=99"}
    with tempfile.TemporaryDirectory(prefix="minim-host-") as scratch:
        argv = [*_confine_prefix(), str(path.resolve()), *words]
        capture = qemu.run(argv, test.timeout, limit=limit, stop=stop,
                           cwd=scratch, env=env, preexec_fn=_limits(test.timeout))
    lines = serial_lines(capture.text)
    report = next((m.group(1) for l in lines if (m := _SANITIZER.match(l))), None)
    if report is not None:
        # UBSan's line names the file and line; ASan's summary does.
        summary = next((m.group(1) for l in lines if (m := _SUMMARY.match(l))), None)
        return capture, f"the sanitizer stopped it: {summary or report}"
    status = QEMU_CLEAN_EXIT if capture.status == 0 else capture.status
    return replace(capture, status=status), None
