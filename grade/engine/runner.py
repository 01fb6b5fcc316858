"""Run tests in parallel, one QEMU boot each, and judge every boot.

Results come back in the order the tests were given, whatever order the boots
finish in. An interrupt (Ctrl-C) or an error stops every boot in flight before
it propagates, so no QEMU outlives the run, and no disk image either: each boot
of a test with a disk has its own, removed when the boot ends (engine/disk.py).
"""

import secrets
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from engine import disk, host, qemu, twin, witness
from engine.challenge import new_seed, seed_word
from engine.judge import Verdict, judge, printable, serial_lines
from engine.test import Test

REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Result:
    test: Test
    verdict: Verdict
    seconds: float
    nonce: str
    seed: int  # the boot's challenge seed: `grade.py --seed` replays the boot
    text: str  # the captured serial output, for failure reports

    @property
    def score(self):
        return self.test.points if self.verdict.passed else 0


def new_nonce():
    """A fresh 16-hex-digit value a kernel cannot have printed in advance."""
    return secrets.token_hex(8)


def command_line(test, nonce, seed):
    return " ".join([f"test={test.scenario}", f"nonce={nonce}", seed_word(seed),
                     *test.extra_args])


def run_one(test, kernel, qemu_program, limit=qemu.CAPTURE_LIMIT, stop=None,
            seed=None, tree=REPO):
    """One boot of test; seed None draws a fresh one. tree is where build/ is: QEMU
    runs there and gets module paths relative to it, so the names the kernel sees
    do not depend on where the tree was checked out."""
    seed = new_seed() if seed is None else seed
    first = _boot(test, kernel, qemu_program, limit, stop, seed, tree)
    if test.twin is None or not first.verdict.passed:
        return first
    # The same scenario and seed again, on the other path (engine/twin.py).
    second = _boot(test.twin_test(), kernel, qemu_program, limit, stop, seed, tree)
    seconds = first.seconds + second.seconds
    if not second.verdict.passed:
        verdict = Verdict(False, f"with {test.twin.label}: {second.verdict.reason}",
                          first.verdict.figures, second.verdict.details)
        return Result(test, verdict, seconds, second.nonce, seed, second.text)
    why = twin.divergence(test.twin, serial_lines(first.text), first.nonce,
                          serial_lines(second.text), second.nonce)
    if why is not None:
        verdict = Verdict(False, why, first.verdict.figures)
        both = (f"--- the default boot ---\n{first.text}\n"
                f"--- {test.twin.label} ---\n{second.text}")
        return Result(test, verdict, seconds, first.nonce, seed, both)
    return Result(test, first.verdict, seconds, first.nonce, seed, first.text)


def _boot(test, kernel, qemu_program, limit, stop, seed, tree):
    nonce = new_nonce()
    if test.host:
        capture, why = host.run(test, tree, command_line(test, nonce, seed).split(),
                                limit, stop)
        verdict = Verdict(False, printable(why)) if why else judge(
            test, capture.text, capture.status, capture.timed_out, capture.flooded,
            nonce, limit, seed)
        return Result(test, verdict, capture.seconds, nonce, seed, capture.text)
    # The image (if any) lives until the verdict is in, and not a moment longer.
    with disk.attached(test.disk, seed, tree) as image:
        drive = () if image is None else image.qemu_args
        argv = qemu.command(Path(kernel).resolve(), command_line(test, nonce, seed),
                            qemu=qemu_program, modules=test.modules,
                            extra=(*test.qemu_args, *drive))
        if test.witness is None:
            capture = qemu.run(argv, test.timeout, limit=limit, stop=stop, cwd=tree,
                               dialog=test.dialog_for(seed))
            witnessed = None
        else:
            capture, witnessed = _witnessed_boot(test, argv, limit, stop, seed, tree)
        verdict = judge(test, capture.text, capture.status, capture.timed_out,
                        capture.flooded, nonce, limit, seed, witnessed,
                        disk_problems=None if image is None else image.problems)
    return Result(test, verdict, capture.seconds, nonce, seed, capture.text)


def _witnessed_boot(test, argv, limit, stop, seed, tree):
    """(capture, (instructions per round or None, why not)) of a boot in record mode
    whose figure QEMU's own count confirms (engine/witness.py)."""
    w = test.witness
    with tempfile.TemporaryDirectory(prefix="minim-witness-") as folder:
        try:
            addresses = witness.symbols(Path(tree, w.elf), [w.begin, w.end])
        except (OSError, ValueError) as err:
            addresses, failed = None, str(err)
        options = witness.qemu_args(folder, paused=addresses is not None)
        argv = list(argv)  # the plain boot's, in record mode
        argv[argv.index("-icount") + 1] = options["icount"]
        argv += options["extra"]
        dialog = test.dialog_for(seed)
        if addresses is None:
            capture = qemu.run(argv, test.timeout, limit=limit, stop=stop, cwd=tree,
                               dialog=dialog)
            return capture, (None, failed)
        watch = witness.Watch(w, addresses, folder, seed)
        watch.start()
        capture = qemu.run(argv, test.timeout, limit=limit, stop=stop, cwd=tree,
                           dialog=dialog)
        watch.join(timeout=5)
        return capture, (watch.count, watch.error or "the witness did not finish")


def in_parallel(jobs, boots):
    """Results of `boots` (callables taking the stop event), in order, at most
    `jobs` at a time; an error or Ctrl-C stops every boot in flight."""
    stop = threading.Event()
    pool = ThreadPoolExecutor(max_workers=jobs)
    try:
        futures = [pool.submit(boot, stop) for boot in boots]
        return [future.result() for future in futures]
    except BaseException:
        stop.set()  # each running boot notices within a poll and kills QEMU
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def run_all(tests, kernel, qemu_program, jobs, limit=qemu.CAPTURE_LIMIT,
            seed=None, tree=REPO):
    """Results of all tests, in the order of tests; seed None: a fresh one each."""
    return in_parallel(jobs, [
        lambda stop, test=test: run_one(test, kernel, qemu_program, limit, stop,
                                        seed, tree)
        for test in tests])
