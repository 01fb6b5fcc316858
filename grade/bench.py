#!/usr/bin/env python3
"""minim's benchmark runner: boot the timing scenarios and print their figures.

The one thing to know: stdout carries nothing but the figures, one `name=value`
line each, and only when every boot succeeded; progress, the comparison with
seL4 and Linux, and every error go to stderr. Under the default TCG -icount
flags a figure is a count of guest instructions, identical on every run;
--accel kvm gives real cycles (names end in _cycles), the median of three boots.

Exit status: 0 with all figures, 1 when a boot failed (hang, panic, missing
figure), 2 for a missing kernel or QEMU, or when KVM is asked for but unusable.
"""

import argparse
import os
import shutil
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path

GRADE_DIR = Path(__file__).resolve().parent
ROOT = GRADE_DIR.parent
# The engine imports itself as the top-level package `engine`, as under grade.py.
sys.path.insert(0, str(GRADE_DIR))

from engine import disk, qemu, runner  # noqa: E402
from engine.disk import Disk  # noqa: E402
from engine import ext2img  # noqa: E402
from engine.challenge import SAMPLE_SEED  # noqa: E402
from engine.judge import judge, serial_lines  # noqa: E402
from engine.test import Test  # noqa: E402

# Relative to the repository root, where QEMU runs: the kernel prints module
# names, and the same name must appear whatever the checkout's location.
ROOT_TASK = "build/user/utest.elf"
# Lab 6's process figures boot sigma0 and the bootfs too (engine/root_task.py's order).
PROCESS_MODULES = (ROOT_TASK, "build/user/sigma0.elf", "build/bootfs.tar")
KVM_DEVICE = Path("/dev/kvm")
TCG_TIMEOUT = 60.0  # a hang guard: proc_reclaim_200 takes 15 s on a busy host
# Nested KVM takes seconds just to start QEMU.
KVM_TIMEOUT = 60.0
KVM_REPEATS = 3
# Tried in order: host exposes the real CPU, but nested KVM can refuse its MSRs.
KVM_CPU_MODELS = ("host", "max")
# The kernel's first line; without it QEMU never got the guest going.
KERNEL_BANNER = "minim "
# The figures are reported, not judged: no value is too large.
NO_BOUND = sys.maxsize
TAIL_LINES = 12

REFERENCE_SOURCE = ("seL4 13.0.0-dev and Linux 6.1 on the same QEMU -icount "
                    "settings, measured with the same method")
# (minim's figure it is set against, the reference point, its value)
REFERENCES = (
    ("ipc_rtt_cross_task", "seL4 IPC, fast path", 443),
    ("ipc_rtt_cross_task_slowpath", "seL4 IPC, slow path", 1423),
    ("syscall_null_rtt", "Linux getppid", 339),
    ("ipc_rtt_cross_task", "Linux pipe round trip", 12759),
)


class UsageError(Exception):
    """Nothing can be measured; the message says what is missing."""


class BenchError(Exception):
    """A boot failed; the message names the run and why."""


class KvmUnusable(Exception):
    """KVM was asked for but cannot run the kernel here."""


@dataclass(frozen=True)
class Run:
    """One kind of boot and the figures it must print."""
    scenario: str
    figures: tuple[str, ...]
    extra_args: tuple[str, ...] = ()
    # Tells this run's figures from another run's of the same scenario.
    suffix: str = ""
    # The boot modules: the root task alone, or with sigma0 and the bootfs (lab 6).
    modules: tuple[str, ...] = (ROOT_TASK,)
    # Its figures count things (frames), not time: no _cycles under KVM.
    count: bool = False
    # Its figures need guest time to be instructions (the PIT's expiry computed from
    # the TSC): under KVM they would mean nothing, so only TCG boots it.
    tcg_only: bool = False
    # A disk image the boot gets (engine/disk.py), for the block server's figures.
    disk: Disk | None = None

    @property
    def label(self):
        return " ".join((f"test={self.scenario}", *self.extra_args))

    def reported(self, figure, unit=""):
        return f"{figure}{self.suffix}{'' if self.count else unit}"

    def test(self, timeout):
        """The grader's description of this boot, so the grader's judge decides
        whether it failed, for the same reasons and in the same words."""
        return Test(name=f"bench_{self.scenario}{self.suffix}", lab=0, points=0,
                    scenario=self.scenario,
                    figures={name: NO_BOUND for name in self.figures},
                    extra_args=self.extra_args, modules=self.modules,
                    disk=self.disk, timeout=timeout)


# In the order their figures are printed.
RUNS = (
    Run("syscall_null_cost", ("syscall_null_rtt",)),
    Run("ipc_bench", ("ipc_rtt_cross_task", "ipc_rtt_same_task")),
    Run("ipc_bench", ("ipc_rtt_cross_task", "ipc_rtt_same_task"),
        extra_args=("fastpath=0",), suffix="_slowpath"),
    Run("proc_spawn_cost", ("spawn_exit_wait",), modules=PROCESS_MODULES),
    Run("proc_reclaim_200", ("spawn_kill_free_frames_delta",), modules=PROCESS_MODULES,
        count=True),
    # Lab 7: the PIT's interrupt to its driver, alone and under a hostile load. (The
    # block server's figures need the grader's disk image: `make grade LAB=7` reports
    # blk_read_4k and blk_restart.)
    Run("irq_latency", ("irq_latency", "irq_latency_hostile"), modules=PROCESS_MODULES,
        tcg_only=True),
    # The block server on a zeroed 1 MiB disk: what it reads does not matter here.
    Run("blk_rw", ("blk_read_4k", "blk_restart"), modules=PROCESS_MODULES, tcg_only=True,
        disk=Disk(2048, lambda challenge, image: None)),
    # Lab 8: the file server on an ext2 disk holding /bin/echo: a 4 KiB read() from the
    # disk (four 1 KiB blocks) and from the cache, open + close, and spawning /bin/echo
    # the first time (the pm's loader reads it) and again (from the pm's table).
    Run("files_bench", ("fs_read_4k_disk", "fs_read_4k_cached", "fs_open_close",
                        "fs_spawn_echo_first", "fs_spawn_echo"), modules=PROCESS_MODULES,
        tcg_only=True, disk=Disk(16384, ext2img.fill(lambda c: {"/README": b"bench\n"},
                                                     programs=("echo",)))),
)
KVM_RUNS = tuple(run for run in RUNS if not run.tcg_only)


@dataclass(frozen=True)
class Boot:
    """What one boot left behind, with what is needed to judge it."""
    run: Run
    capture: qemu.Capture
    nonce: str
    timeout: float


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="bench.py",
        description="Boot minim's timing scenarios in QEMU and print each "
                    "figure as name=value on stdout.")
    parser.add_argument("--accel", choices=("tcg", "kvm"), default="tcg",
                        help="tcg: guest instructions, exact (default); "
                             "kvm: real cycles, median of 3 boots")
    parser.add_argument("--kernel", type=Path,
                        default=ROOT / "build" / "kernel32.elf",
                        help="kernel to boot (default: build/kernel32.elf)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        metavar="N",
                        help="TCG boots at a time (default: CPUs); "
                             "KVM boots always run one at a time")
    parser.add_argument("--qemu", default="qemu-system-x86_64",
                        help="QEMU program (default: qemu-system-x86_64)")
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")
    return args


def main(argv=None):
    args = parse_args(argv)
    try:
        kernel, qemu_program = _inputs(args)
        if args.accel == "kvm":
            figures = measure_kvm(kernel, qemu_program)
        else:
            figures = measure_tcg(kernel, qemu_program, args.jobs)
    except UsageError as err:
        _say(f"bench.py: {err}")
        return 2
    except KvmUnusable as err:
        reasons = "".join(f"\n  {line}" for line in str(err).splitlines())
        _say(f"bench.py: KVM is not usable here:{reasons}\n"
             "bench.py: `make bench` without ACCEL=kvm measures guest "
             "instructions under TCG, which needs no KVM")
        return 2
    except BenchError as err:
        _say(f"bench.py: no figures, a boot failed:\n{err}")
        return 1
    except KeyboardInterrupt:
        _say("bench.py: interrupted")
        return 130
    for line in figure_lines(figures):
        print(line, flush=True)
    _say(comparison(figures, cycles=args.accel == "kvm"))
    return 0


def _inputs(args):
    kernel = args.kernel.resolve()
    if not kernel.is_file():
        raise UsageError(f"kernel not found: {args.kernel}\n"
                         "build it first with `make`, or pass --kernel")
    if not (ROOT / ROOT_TASK).is_file():
        raise UsageError(f"root task not found: {ROOT_TASK}; build it with `make`")
    qemu_program = shutil.which(args.qemu)
    if qemu_program is None:
        raise UsageError(f"QEMU not found: {args.qemu}")
    if os.sep in qemu_program:
        qemu_program = os.path.abspath(qemu_program)  # QEMU runs in the repo root
    return kernel, qemu_program


def measure_tcg(kernel, qemu_program, jobs):
    """{name: figure} of every run, in instructions; raises BenchError."""
    _say(f"bench.py: {len(RUNS)} boots under TCG -icount "
         "(figures are guest instructions, identical on every run)")
    boots = runner.in_parallel(
        jobs, [_booter(run, kernel, qemu_program, "tcg", "max", TCG_TIMEOUT) for run in RUNS])
    return collect(boots)


def collect(boots, unit=""):
    """Every boot's figures under its reported names; BenchError naming every
    failed boot when one failed."""
    figures, failures = {}, []
    for boot in boots:
        try:
            figures.update(read_figures(boot, unit))
        except BenchError as err:
            failures.append(str(err))
    if failures:
        raise BenchError("\n".join(failures))
    return figures


def measure_kvm(kernel, qemu_program, repeats=KVM_REPEATS):
    """{name_cycles: median figure} of every run; raises KvmUnusable when KVM
    does not get the kernel going, BenchError when the kernel itself fails."""
    problem = kvm_device_problem(KVM_DEVICE)
    if problem:
        raise KvmUnusable(problem)
    _say(f"bench.py: {len(KVM_RUNS) * repeats} boots under KVM, one at a time "
         "(figures are cycles: the median of "
         f"{repeats} boots per scenario)")
    cpu = None
    samples = {run: [] for run in KVM_RUNS}
    # One at a time: parallel boots would steal each other's cycles.
    for run in KVM_RUNS:
        for _ in range(repeats):
            if cpu is None:
                cpu, boot = _first_kvm_boot(run, kernel, qemu_program)
            else:
                boot = _booter(run, kernel, qemu_program, "kvm", cpu,
                               KVM_TIMEOUT)()
                problem = kvm_failure(boot)
                if problem:
                    raise KvmUnusable(f"-cpu {cpu}: {problem}")
            samples[run].append(collect([boot], unit="_cycles"))
    figures = {}
    for run in KVM_RUNS:
        figures.update(median_figures(samples[run]))
    return figures


def _first_kvm_boot(run, kernel, qemu_program):
    """(CPU model, boot) of the first model QEMU starts the kernel with."""
    problems = []
    for cpu in KVM_CPU_MODELS:
        boot = _booter(run, kernel, qemu_program, "kvm", cpu, KVM_TIMEOUT)()
        problem = kvm_failure(boot)
        if problem is None:
            _say(f"bench.py: KVM runs with -cpu {cpu}")
            return cpu, boot
        problems.append(f"-cpu {cpu}: {problem}")
        if boot.capture.timed_out:
            break  # a QEMU that starts but stalls will not do better with another model
        _say(f"bench.py: QEMU did not start with -cpu {cpu}")
    raise KvmUnusable("\n".join(problems))


def kvm_device_problem(device):
    """Why device cannot be KVM for us, or None when it may be."""
    if not device.exists():
        return f"{device} does not exist (no KVM in this kernel or machine)"
    if not os.access(device, os.R_OK | os.W_OK):
        return f"{device} is not readable and writable by this user"
    return None


def kvm_failure(boot):
    """Why KVM did not get the kernel going in this boot, or None if it did.
    A kernel that started and then failed is the kernel's failure, not KVM's."""
    if boot.capture.timed_out:
        return (f"no result within {boot.timeout:g}s "
                "(nested KVM too slow, or the guest stuck)")
    lines = serial_lines(boot.capture.text)
    if any(line.startswith(KERNEL_BANNER) for line in lines):
        return None
    said = next((line.strip() for line in lines if line.strip()), None)
    status = boot.capture.status
    ending = "killed by a signal" if status is None else f"exit status {status}"
    return (f"QEMU did not start the guest ({ending})"
            + (f": {said}" if said else ""))


def _booter(run, kernel, qemu_program, accel, cpu, timeout):
    """A callable that boots run once (its stop argument ends it early)."""
    def boot(stop=None):
        test = run.test(timeout)
        nonce = runner.new_nonce()
        # As runner.run_one does: QEMU in the repo root, module paths relative to it.
        # The benchmarks draw nothing from the seed; any will do.
        with disk.attached(test.disk, SAMPLE_SEED, ROOT) as image:
            extra = [*test.qemu_args, *(image.qemu_args if image else [])]
            argv = qemu.command(kernel, runner.command_line(test, nonce, SAMPLE_SEED),
                                qemu=qemu_program, modules=test.modules,
                                extra=extra, accel=accel, cpu=cpu)
            capture = qemu.run(argv, timeout, stop=stop, cwd=ROOT)
        _say(f"bench.py:   {run.label}: {capture.seconds:.1f}s")
        return Boot(run, capture, nonce, timeout)
    return boot


def read_figures(boot, unit=""):
    """{reported name: value} of one boot; BenchError if the boot failed."""
    run, capture = boot.run, boot.capture
    verdict = judge(run.test(boot.timeout), capture.text, capture.status,
                    capture.timed_out, capture.flooded, boot.nonce,
                    qemu.CAPTURE_LIMIT, SAMPLE_SEED)
    if not verdict.passed:
        tail = serial_lines(capture.text)[-TAIL_LINES:]
        shown = "".join(f"\n    | {line}" for line in tail)
        raise BenchError(f"  {run.label}: {verdict.reason}{shown}")
    return {run.reported(name, unit): verdict.figures[name]
            for name in run.figures}


def median_figures(samples):
    """{name: median} over several boots' {name: value}; every boot printed
    the same names, or it would have failed."""
    # median_low: always one of the measured values, an integer like them.
    return {name: statistics.median_low(sample[name] for sample in samples)
            for name in samples[0]}


def figure_lines(figures):
    return [f"{name}={value}" for name, value in figures.items()]


def comparison(figures, cycles=False):
    """A table of minim's figures against the reference points, for stderr."""
    unit = "_cycles" if cycles else ""
    rows = [("minim figure", "value", "reference point", "value", "minim/ref")]
    for name, reference, value in REFERENCES:
        ours = figures.get(name + unit)
        if ours is None:
            continue
        # Cycles over instructions is no ratio worth printing.
        ratio = "-" if cycles else f"{ours / value:.2f}"
        rows.append((name + unit, f"{ours:,}", reference, f"{value:,}", ratio))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    right = (False, True, False, True, True)  # numbers line up on the right
    lines = ["  ".join(cell.rjust(w) if r else cell.ljust(w)
                       for cell, w, r in zip(row, widths, right)).rstrip()
             for row in rows]
    what = ("minim in cycles under KVM against references in guest "
            "instructions: not like for like" if cycles else
            "guest instructions per round trip, lower is better")
    return "\n".join([f"\nminim against reference points ({what}):",
                      *("  " + line for line in lines),
                      f"References: {REFERENCE_SOURCE}."])


def _say(text):
    print(text, file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
