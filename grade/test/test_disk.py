"""A test's disk image (engine/disk.py): made, attached, checked and removed.

The one thing to know: no real QEMU runs here. Argv, seeding and verdicts are checked
with qemu.run replaced by a function that plays the guest; the cleanup after a pass, a
failure, a hang, a stop and parallel boots is checked on grade/test/fake_qemu.py, whose
mode `disk` writes to the image as a driver would. Every test points tempfile at a
private folder (its name holds a comma, which QEMU's option syntax must escape) and
checks that it is empty afterwards: no image, no folder left behind.
"""

import dataclasses
import os
import tempfile
import threading
import unittest
from pathlib import Path
from unittest import mock

from engine_support import FAKE_QEMU, HANG_TIMEOUT, fake_test

import bench
from engine import Disk, Test, qemu, report, registry, runner
from engine.challenge import Challenge
from engine.disk import MAX_SECTORS, SECTOR_BYTES
from engine.judge import judge

SEED = 0x5EED_0000_1234_ABCD
SECTORS = 8
COM2 = ("-serial", "null")  # a test's own QEMU options come before the drive
OK_LINES = ("minim: booting", "fake: doing the work", "frame_ops=1")  # fake_test's


def pattern(c, buf):
    """A fill: every 8 bytes the next word of the challenge."""
    for at in range(0, len(buf), 8):
        buf[at:at + 8] = c.next().to_bytes(8, "little")


def filled(seed, sectors=SECTORS):
    buf = bytearray(sectors * SECTOR_BYTES)
    pattern(Challenge(seed), buf)
    return bytes(buf)


def copied_sector_0(c, data):
    """The check of fake mode `disk`: sector 1 holds sector 0, the rest is as filled."""
    want = bytearray(len(data))
    pattern(c, want)
    want[SECTOR_BYTES:2 * SECTOR_BYTES] = want[:SECTOR_BYTES]
    return [f"sector {n} differs" for n in range(len(data) // SECTOR_BYTES)
            if data[n * SECTOR_BYTES:(n + 1) * SECTOR_BYTES]
            != want[n * SECTOR_BYTES:(n + 1) * SECTOR_BYTES]]


def untouched(c, data):
    """A check that nothing was written: fails on fake mode `disk` (sector 1)."""
    want = bytearray(len(data))
    pattern(c, want)
    return [] if data == want else ["sector 1 changed", "second", "third"]


def disk_test(mode="disk", check=copied_sector_0, timeout=10, **fields):
    base = fake_test(mode, timeout=timeout)
    fields = dict(name=f"disk_{mode}", lab=1, points=5, scenario=base.scenario,
                  expect=base.expect, forbid=base.forbid, figures=base.figures,
                  exit=base.exit, timeout=timeout, extra_args=base.extra_args,
                  disk=Disk(SECTORS, pattern, check), **fields)
    return Test(**fields)


def image_path(result):
    """The image path fake_qemu.py printed for this boot."""
    line = next(line for line in result.text.splitlines() if line.startswith("fake: disk "))
    return Path(line.split(" ")[2])


class PrivateTemp(unittest.TestCase):
    """tempfile makes its folders in a private, comma-named folder, empty at the end."""

    def setUp(self):
        self.outer = tempfile.TemporaryDirectory(prefix="minim-disk-test-")
        self.addCleanup(self.outer.cleanup)
        self.temp = Path(self.outer.name, "a,b")
        self.temp.mkdir()
        patcher = mock.patch.object(tempfile, "tempdir", str(self.temp))
        patcher.start()
        self.addCleanup(patcher.stop)

    def assertNothingLeft(self):
        self.assertEqual(os.listdir(self.temp), [])


def fake_boot(guest):
    """A stand-in for qemu.run: guest(argv, words) plays the boot and returns the lines
    printed before the done line (None: it hung)."""
    def run(argv, timeout, **_):
        cmdline = argv[argv.index("-append") + 1]
        words = dict(w.split("=", 1) for w in cmdline.split() if "=" in w)
        lines = guest(argv, words)
        if lines is None:
            return qemu.Capture("minim: booting\r\n", None, True, False, timeout)
        lines += [f"ktest: {words['test']} done nonce={words['nonce']}"]
        return qemu.Capture("".join(f"{line}\r\n" for line in lines), 1, False, False, 0.1)
    return run


def run_one(test, seed=SEED, **kw):
    return runner.run_one(test, "kernel.elf", "qemu", seed=seed, **kw)


class Argv(PrivateTemp):
    def boot(self, test, guest=lambda argv, words: list(OK_LINES), **kw):
        argvs = []

        def recorded(argv, words):
            argvs.append(argv)
            return guest(argv, words)
        with mock.patch.object(runner.qemu, "run", fake_boot(recorded)):
            result = run_one(test, **kw)
        return argvs[0], result

    def test_the_drive_and_device_come_last_with_a_fresh_image(self):
        seen = {}

        def guest(argv, words):
            option = argv[argv.index("-drive") + 1]
            path = option[len("file="):option.index(",if=")].replace(",,", ",")
            seen["path"], seen["bytes"] = Path(path), Path(path).read_bytes()
            return list(OK_LINES)
        argv, result = self.boot(disk_test(check=None, qemu_args=COM2), guest)
        path = seen["path"]
        self.assertEqual(path.name, "disk.img")
        self.assertEqual(path.parent.parent, self.temp)
        self.assertTrue(path.parent.name.startswith("minim-disk-"))
        drive = str(path).replace(",", ",,")
        self.assertEqual(argv[-6:], [
            *COM2,
            "-drive", f"file={drive},if=none,format=raw,id=disk0,cache=unsafe",
            "-device", "virtio-blk-pci,drive=disk0,disable-legacy=on"])
        self.assertEqual(seen["bytes"], filled(SEED))  # fill's bytes, written whole
        self.assertTrue(result.verdict.passed, result.verdict.reason)
        self.assertNothingLeft()

    def test_each_boot_gets_its_own_folder(self):
        paths = [self.boot(disk_test())[0][-3] for _ in range(2)]
        self.assertNotEqual(paths[0], paths[1])
        self.assertNothingLeft()

    def test_no_disk_leaves_the_argv_as_it_was(self):
        test = dataclasses.replace(fake_test("ok"), qemu_args=COM2)
        with mock.patch.object(runner, "new_nonce", return_value="00ff"):
            argv, result = self.boot(test)
        self.assertEqual(argv, qemu.command(
            Path("kernel.elf").resolve(), runner.command_line(test, "00ff", SEED),
            qemu="qemu", modules=test.modules, extra=COM2))
        self.assertTrue(result.verdict.passed, result.verdict.reason)
        self.assertNotIn("-drive", argv)
        self.assertNothingLeft()

    def test_fill_check_and_expect_each_draw_from_the_seed_afresh(self):
        draws = {}

        def fill(c, buf):
            draws["fill"] = (c.seed, c.next())
            buf[:8] = draws["fill"][1].to_bytes(8, "little")

        def check(c, data):
            draws["check"] = (c.seed, c.next())
            return []

        def expect(c):
            draws["expect"] = (c.seed, c.next())
            return [rf"^first word {draws['expect'][1]:x}$"]

        def guest(argv, words):
            option = argv[argv.index("-drive") + 1]
            path = option[len("file="):option.index(",if=")].replace(",,", ",")
            word = int.from_bytes(Path(path).read_bytes()[:8], "little")
            return [f"first word {word:x}"]
        test = Test(name="disk_seeded", lab=1, points=1, expect=expect,
                    disk=Disk(1, fill, check))
        draws.clear()  # expect was tried with the sample seed when the Test was made
        _, result = self.boot(test, guest)
        first = (SEED, Challenge(SEED).next())
        self.assertEqual(draws, {"fill": first, "check": first, "expect": first})
        self.assertTrue(result.verdict.passed, result.verdict.reason)

    def test_problems_fail_the_test_with_the_first_as_reason(self):
        _, result = self.boot(disk_test(check=lambda c, data: [
            "sector 3 changed", "sector 4 changed", "a\nnewline"]))
        self.assertFalse(result.verdict.passed)
        self.assertEqual(result.verdict.reason, "disk image: sector 3 changed")
        self.assertEqual(result.verdict.details, ("sector 4 changed", "a\\x0anewline"))
        self.assertEqual(result.verdict.figures, {"frame_ops": 1})
        document = report.gradescope([result], registry.numbers([result.test]), 1, "n")
        output = document["tests"][0]["output"]
        self.assertIn("disk image: sector 3 changed\n  also: sector 4 changed\n"
                      "  also: a\\x0anewline\n", output)
        self.assertIn("  also: sector 4 changed", report.failure_logs([result], 5))
        self.assertNothingLeft()

    def test_many_problems_are_cut_short(self):
        _, result = self.boot(disk_test(check=lambda c, data: [
            f"sector {n}" for n in range(30)]))
        self.assertEqual(len(result.verdict.details), 11)
        self.assertEqual(result.verdict.details[-1], "... and 19 more")

    def test_a_check_that_raises_fails_the_test_not_the_run(self):
        _, result = self.boot(disk_test(check=lambda c, data: [data[1 << 30]]))
        self.assertEqual(result.verdict.reason, "disk image: the lab's check raised "
                                                "IndexError('index out of range')")
        self.assertNothingLeft()

    def test_a_check_returning_no_list_fails_the_test(self):
        _, result = self.boot(disk_test(check=lambda c, data: "bad"))
        self.assertEqual(result.verdict.reason, "disk image: the lab's check returned "
                                                "'bad', not a list of strings")

    def test_a_fill_that_resizes_the_image_is_the_lab_files_error(self):
        grows = Disk(2, lambda c, buf: buf.extend(b"x"))
        test = dataclasses.replace(disk_test(), disk=grows)
        with self.assertRaisesRegex(ValueError, "disk fill left 1025 bytes, not 1024"):
            self.boot(test)
        self.assertNothingLeft()

    def test_a_failed_boot_does_not_read_the_image(self):
        called = []
        _, result = self.boot(disk_test(check=lambda c, data: called.append(1) or ["x"]),
                              lambda a, w: ["minim: booting"])
        self.assertEqual(result.verdict.reason,
                         "missing expected output: fake: doing the work")
        self.assertEqual(called, [])
        _, result = self.boot(disk_test(check=lambda c, data: called.append(1) or ["x"]),
                              lambda a, w: None)
        self.assertTrue(result.verdict.reason.startswith("hang"))
        self.assertEqual(called, [])
        self.assertNothingLeft()

    def test_a_witnessed_boot_gets_the_drive_too(self):
        witnessed = dataclasses.replace(disk_test(), witness=mock.Mock(
            figure="frame_ops", elf="no/such.elf", begin="b", end="e"))
        argv, result = self.boot(witnessed)
        self.assertIn("rr=record", " ".join(argv))
        self.assertEqual(argv[argv.index("-device", argv.index("-drive")) + 1],
                         "virtio-blk-pci,drive=disk0,disable-legacy=on")
        self.assertNothingLeft()


class OnFakeQemu(PrivateTemp):
    """Boots of grade/test/fake_qemu.py; its mode `disk` copies sector 0 to sector 1."""

    def tearDown(self):
        with self.assertRaises(ChildProcessError):  # no QEMU outlives its test
            os.waitpid(-1, os.WNOHANG)

    def boot(self, test, **kw):
        return runner.run_one(test, "kernel.elf", str(FAKE_QEMU), seed=SEED, **kw)

    def test_what_the_guest_wrote_is_checked_after_the_boot(self):
        result = self.boot(disk_test())
        self.assertTrue(result.verdict.passed, result.verdict.reason)
        self.assertEqual(result.verdict.reason, "frame_ops=1234 <= 5000")
        self.assertIn(f"{SECTORS * SECTOR_BYTES} bytes", result.text)
        self.assertFalse(image_path(result).parent.exists())
        self.assertNothingLeft()

    def test_a_write_where_none_may_be_fails(self):
        result = self.boot(disk_test(check=untouched))
        self.assertEqual(result.verdict.reason, "disk image: sector 1 changed")
        self.assertEqual(result.verdict.details, ("second", "third"))
        self.assertNothingLeft()

    def test_a_hang_killed_at_its_deadline_leaves_nothing(self):
        result = self.boot(disk_test("hang", check=untouched, timeout=HANG_TIMEOUT))
        self.assertEqual(result.verdict.reason,
                         f"hang (no finish within {HANG_TIMEOUT:g}s)")
        self.assertFalse(image_path(result).parent.exists())
        self.assertNothingLeft()

    def test_a_stopped_boot_leaves_nothing(self):
        stop = threading.Event()
        timer = threading.Timer(0.5, stop.set)
        timer.start()
        with self.assertRaises(InterruptedError):
            self.boot(disk_test("hang", timeout=60), stop=stop)
        timer.join()
        self.assertNothingLeft()

    def test_parallel_boots_do_not_share_an_image(self):
        tests = [disk_test(), disk_test(check=untouched), disk_test("hang", timeout=1)]
        results = runner.run_all(tests, "kernel.elf", str(FAKE_QEMU), jobs=3, seed=SEED)
        paths = [image_path(r) for r in results]
        self.assertEqual(len(set(paths)), 3)
        self.assertEqual([r.verdict.passed for r in results], [True, False, False])
        self.assertNothingLeft()


class Validation(unittest.TestCase):
    def make(self, disk):
        return Test(name="t", lab=1, points=1, disk=disk)

    def test_sizes_from_one_sector_to_a_gibibyte(self):
        self.assertEqual(self.make(Disk(1, pattern)).disk.size, 512)
        self.assertEqual(self.make(Disk(MAX_SECTORS, pattern)).disk.size, 1 << 30)
        for sectors in (0, -1, MAX_SECTORS + 1, True, 2.0, "8"):
            with self.subTest(sectors=sectors), self.assertRaisesRegex(
                    ValueError, r"test 't': disk sectors must be an int from 1 to 2097152"):
                self.make(Disk(sectors, pattern))

    def test_fill_and_check_must_be_functions(self):
        with self.assertRaisesRegex(ValueError, "disk fill must be a function"):
            self.make(Disk(1, b"\0" * 512))
        with self.assertRaisesRegex(ValueError, "disk check must be None or a function"):
            self.make(Disk(1, pattern, ["sector 0"]))
        with self.assertRaisesRegex(ValueError, "disk must be a Disk, not tuple"):
            self.make((1, pattern))

    def test_no_disk_by_default(self):
        self.assertIsNone(Test(name="t", lab=1, points=1).disk)


class Judge(unittest.TestCase):
    def test_disk_problems_are_asked_only_of_a_boot_that_passed(self):
        test = Test(name="t", lab=1, points=1, disk=Disk(1, pattern))
        asked = []

        def problems():
            asked.append(1)
            return ["sector 0 is zero"]
        done = "ktest: t done nonce=n\r\n"
        self.assertEqual(judge(test, done, 1, False, False, "n", 100,
                               disk_problems=problems).reason,
                         "disk image: sector 0 is zero")
        self.assertEqual(judge(test, done, 3, False, False, "n", 100,
                               disk_problems=problems).reason,
                         "exit status 3 (expected 1)")
        self.assertEqual(asked, [1])
        self.assertTrue(judge(test, done, 1, False, False, "n", 100,
                              disk_problems=lambda: []).passed)


class Bench(unittest.TestCase):
    def test_a_benchmark_boots_with_its_runs_disk(self):
        # bench.py's _booter attaches run.disk through disk.attached(), as run_one does.
        for run in bench.RUNS:
            with self.subTest(run=run.label):
                self.assertIs(run.test(1.0).disk, run.disk)
        self.assertTrue(any(run.disk for run in bench.RUNS))


if __name__ == "__main__":
    unittest.main()
