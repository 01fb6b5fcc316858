"""The engine end to end on a fake QEMU: verdicts, parallel runs, reports.

Every boot here is grade/test/fake_qemu.py, so no kernel and no real QEMU is
needed; each test also checks that no child process is left behind.
"""

import json
import os
import signal
import tempfile
import threading
import time
import unittest
from pathlib import Path

from engine_support import (CASES, FAKE_QEMU, FLOOD_LIMIT, case_tests,
                            fake_test)

from engine import qemu, registry, report, runner


def run_all(tests):
    return runner.run_all(tests, "kernel.elf", str(FAKE_QEMU),
                          jobs=len(tests), limit=FLOOD_LIMIT)


class NoLeftoverChildren(unittest.TestCase):
    def tearDown(self):
        # A zombie or a live QEMU would still be our child here.
        with self.assertRaises(ChildProcessError):
            os.waitpid(-1, os.WNOHANG)


class VerdictsOnFakeQemu(NoLeftoverChildren):
    @classmethod
    def setUpClass(cls):
        start = time.monotonic()
        cls.results = run_all(case_tests())
        cls.seconds = time.monotonic() - start

    def test_each_mode_gets_its_reason(self):
        for (mode, exit, reason, passed), result in zip(CASES, self.results):
            with self.subTest(mode=mode, exit=exit):
                self.assertEqual(result.verdict.reason, reason)
                self.assertEqual(result.verdict.passed, passed)

    def test_hang_and_flood_do_not_hold_up_the_run(self):
        self.assertLess(self.seconds, 8)

    def test_results_keep_the_given_order(self):
        self.assertEqual([r.test for r in self.results], case_tests())

    def test_each_run_has_a_fresh_nonce(self):
        nonces = [r.nonce for r in self.results]
        self.assertEqual(len(set(nonces)), len(nonces))
        self.assertTrue(all(len(n) == 16 and int(n, 16) >= 0 for n in nonces))

    def test_wall_time_is_measured(self):
        hang = next(r for r in self.results if r.test.name == "fake_hang_clean")
        self.assertGreaterEqual(hang.seconds, 1.5)
        self.assertLess(hang.seconds, 4)

    def test_flood_capture_is_bounded(self):
        flood = next(r for r in self.results
                     if r.test.name == "fake_flood_clean")
        self.assertLessEqual(len(flood.text), FLOOD_LIMIT)

    def test_figures_are_read_even_when_failing(self):
        bad = next(r for r in self.results
                   if r.test.name == "fake_badfigure_clean")
        self.assertEqual(bad.verdict.figures, {"frame_ops": 999999})


class Reports(NoLeftoverChildren):
    @classmethod
    def setUpClass(cls):
        cls.tests = [fake_test("ok"), fake_test("panic")]
        cls.results = run_all(cls.tests)

    def test_results_json_shape(self):
        document = report.gradescope(self.results,
                                     registry.numbers(self.tests), 3.4, "abc")
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "deep" / "results.json"
            report.write_json(path, document)
            loaded = json.loads(path.read_text())
        self.assertEqual(loaded["score"], 5)
        self.assertEqual(loaded["max_score"], 10)
        self.assertEqual(loaded["execution_time"], 3)
        self.assertIn("run nonce abc", loaded["output"])
        self.assertEqual(loaded["leaderboard"],
                         [{"name": "frame_ops", "value": 1234}])
        good, bad = loaded["tests"]
        self.assertEqual(good["name"], "lab1/fake_ok_clean")
        self.assertEqual(good["number"], "1.1")
        self.assertEqual((good["score"], good["max_score"], good["status"]),
                         (5, 5, "passed"))
        self.assertEqual(good["visibility"], "visible")
        self.assertIn("frame_ops=1234 <= 5000", good["output"])
        self.assertEqual((bad["number"], bad["score"], bad["status"]),
                         ("1.2", 0, "failed"))
        self.assertIn("kernel panic: something broke", bad["output"])
        # A failure's output ends with the serial lines that led to it.
        self.assertTrue(bad["output"].endswith("PANIC: something broke"))

    def test_table(self):
        lines = report.table(self.results).splitlines()
        self.assertEqual(lines[-1], "1 passed, 1 failed")
        self.assertEqual(lines[-2], "Score: 5/10")
        self.assertRegex(lines[1], r"^1 +fake_ok_clean +5/5 +PASS +\d+\.\ds "
                                   r"+frame_ops=1234 <= 5000$")
        self.assertRegex(lines[2], r"FAIL .*kernel panic: something broke$")
        self.assertNotIn("\x1b", "\n".join(lines))
        self.assertIn("\x1b[32mPASS", report.table(self.results, colour=True))

    def test_failure_logs_show_the_serial_tail(self):
        logs = report.failure_logs(self.results, 1)
        self.assertEqual(logs.splitlines()[-1], "PANIC: something broke")
        self.assertNotIn("fake_ok_clean", logs)


class Interruption(NoLeftoverChildren):
    def test_ctrl_c_stops_every_boot(self):
        tests = [fake_test("hang", timeout=60), fake_test("flood", timeout=60)]
        timer = threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT))
        start = time.monotonic()
        timer.start()
        with self.assertRaises(KeyboardInterrupt):
            runner.run_all(tests, "k", str(FAKE_QEMU), jobs=2)
        timer.join()
        self.assertLess(time.monotonic() - start, 5)

    def test_stop_event_ends_a_run(self):
        stop = threading.Event()
        threading.Timer(0.3, stop.set).start()
        argv = qemu.command("k", "fake=hang test=t nonce=n", qemu=FAKE_QEMU)
        with self.assertRaises(InterruptedError):
            qemu.run(argv, timeout=60, stop=stop)


class Command(unittest.TestCase):
    def test_flags(self):
        argv = qemu.command("/k.elf", "test=a nonce=b", qemu="q")
        self.assertEqual(argv[0], "q")
        joined = " ".join(argv)
        for flag in ("-no-reboot", "-serial chardev:com1", "-monitor none",
                     "-device isa-debug-exit,iobase=0xf4,iosize=0x04",
                     "-icount shift=0,align=off,sleep=off", "-kernel /k.elf"):
            self.assertIn(flag, joined)
        self.assertEqual(argv[-2:], ["-append", "test=a nonce=b"])

    def test_modules_and_extra_args(self):
        argv = qemu.command("k", "c", modules=["init arg", "a,b"],
                            extra=["-s"])
        self.assertEqual(argv[-3:], ["-initrd", "init arg,a,,b", "-s"])

    def test_command_line_words(self):
        test = fake_test("ok")
        self.assertEqual(runner.command_line(test, "00ff", 0xabc),
                         "test=s_ok nonce=00ff seed=0000000000000abc fake=ok")


if __name__ == "__main__":
    unittest.main()
