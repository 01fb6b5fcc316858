"""The benchmark runner (grade/bench.py): figures, failures, medians, KVM's fallbacks.

The one thing to know: only EndToEnd boots the real kernel, and it is skipped
until `make` has built it; everything else reads made-up captures or boots a
small fake QEMU written into a temporary directory, so it runs anywhere.
"""

import contextlib
import io
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path
from unittest import mock

import engine_support  # noqa: F401  (sets up the import path)
from engine_support import GRADE_DIR

import bench
from engine import qemu

ROOT = GRADE_DIR.parent
NULL_RUN, FAST_RUN, SLOW_RUN = bench.RUNS[:3]
TCG_NAMES = ["syscall_null_rtt", "ipc_rtt_cross_task", "ipc_rtt_same_task",
             "ipc_rtt_cross_task_slowpath", "ipc_rtt_same_task_slowpath",
             "spawn_exit_wait", "spawn_kill_free_frames_delta", "irq_latency",
             "irq_latency_hostile", "blk_read_4k", "blk_restart", "fs_read_4k_disk",
             "fs_read_4k_cached", "fs_open_close", "fs_spawn_echo_first", "fs_spawn_echo"]


def boot(run, lines, status=1, timed_out=False, done=True, nonce="00ff",
         timeout=15.0):
    """A boot of run whose kernel printed lines, the way a pty delivers them."""
    text = "\x1b[2JSeaBIOS (version x)\r\nBooting from ROM..minim 0.3 x86_64\r\n"
    text += "".join(f"{line}\r\n" for line in lines)
    if done:
        text += f"ktest: {run.scenario} done nonce={nonce}\r\n"
    return bench.Boot(run, qemu.Capture(text, status, timed_out, False, 0.5),
                      nonce, timeout)


class ReadFigures(unittest.TestCase):
    def test_a_clean_boot_gives_its_figures_under_their_reported_names(self):
        got = bench.read_figures(boot(SLOW_RUN, ["ipc_rtt_cross_task=767",
                                                 "ipc_rtt_same_task=757"]))
        self.assertEqual(got, {"ipc_rtt_cross_task_slowpath": 767,
                               "ipc_rtt_same_task_slowpath": 757})

    def test_kvm_figures_are_named_as_cycles(self):
        got = bench.read_figures(boot(NULL_RUN, ["syscall_null_rtt=1200"]),
                                 unit="_cycles")
        self.assertEqual(got, {"syscall_null_rtt_cycles": 1200})

    def test_a_missing_figure_is_an_error_naming_the_run(self):
        with self.assertRaises(bench.BenchError) as caught:
            bench.read_figures(boot(SLOW_RUN, ["ipc_rtt_cross_task=767"]))
        self.assertIn("test=ipc_bench fastpath=0: figure ipc_rtt_same_task "
                      "missing", str(caught.exception))

    def test_a_panic_is_an_error_even_with_the_figures_printed(self):
        with self.assertRaises(bench.BenchError) as caught:
            bench.read_figures(boot(NULL_RUN, ["syscall_null_rtt=94",
                                               "PANIC: out of frames"],
                                    status=5, done=False))
        self.assertIn("kernel panic: out of frames", str(caught.exception))
        self.assertIn("| PANIC: out of frames", str(caught.exception))

    def test_a_hang_is_an_error(self):
        with self.assertRaises(bench.BenchError) as caught:
            bench.read_figures(boot(FAST_RUN, [], status=None, timed_out=True,
                                    done=False))
        self.assertIn("hang (no finish within 15s)", str(caught.exception))

    def test_a_stale_done_line_is_an_error(self):
        stale = boot(NULL_RUN, ["syscall_null_rtt=94"])
        stale = bench.Boot(stale.run, stale.capture, "another", stale.timeout)
        with self.assertRaises(bench.BenchError):
            bench.read_figures(stale)

    def test_collect_names_every_failed_boot(self):
        with self.assertRaises(bench.BenchError) as caught:
            bench.collect([boot(NULL_RUN, ["syscall_null_rtt=94"]),
                           boot(FAST_RUN, []), boot(SLOW_RUN, [])])
        message = str(caught.exception)
        self.assertIn("test=ipc_bench: figure", message)
        self.assertIn("test=ipc_bench fastpath=0: figure", message)
        self.assertNotIn("syscall_null_cost", message)


class Reporting(unittest.TestCase):
    def test_median_of_three_boots(self):
        samples = [{"a_cycles": 900, "b_cycles": 5}, {"a_cycles": 700, "b_cycles": 9},
                   {"a_cycles": 800, "b_cycles": 7}]
        self.assertEqual(bench.median_figures(samples),
                         {"a_cycles": 800, "b_cycles": 7})

    def test_figures_are_name_value_lines_in_run_order(self):
        figures = {name: n for n, name in enumerate(TCG_NAMES)}
        self.assertEqual(bench.figure_lines(figures),
                         [f"{name}={n}" for n, name in enumerate(TCG_NAMES)])

    def test_the_table_sets_each_figure_against_its_reference(self):
        table = bench.comparison({"syscall_null_rtt": 94, "ipc_rtt_cross_task": 367,
                                  "ipc_rtt_cross_task_slowpath": 767})
        self.assertRegex(table,
                         r"ipc_rtt_cross_task +367 +seL4 IPC, fast path +443 +0\.83")
        self.assertRegex(table, r"slowpath +767 +seL4 IPC, slow path +1,423 +0\.54")
        self.assertRegex(table, r"syscall_null_rtt +94 +Linux getppid +339 +0\.28")
        self.assertRegex(table, r"Linux pipe round trip +12,759")
        self.assertIn("seL4 13.0.0-dev and Linux 6.1 on the same QEMU -icount "
                      "settings, measured with the same method", table)

    def test_the_kvm_table_warns_and_prints_no_ratio(self):
        table = bench.comparison({"ipc_rtt_cross_task_cycles": 2000}, cycles=True)
        self.assertIn("not like for like", table)
        self.assertRegex(
            table, r"ipc_rtt_cross_task_cycles +2,000 +seL4 IPC, fast path +443 +-")


class Command(unittest.TestCase):
    def test_the_default_is_still_tcg_with_icount(self):
        argv = qemu.command("k", "c")
        joined = " ".join(argv)
        self.assertIn("-cpu max", joined)
        self.assertIn("-accel tcg -icount shift=0,align=off,sleep=off", joined)

    def test_kvm_drops_icount_and_takes_the_cpu_model(self):
        argv = qemu.command("k", "c", modules=["m"], accel="kvm", cpu="host")
        joined = " ".join(argv)
        self.assertIn("-accel kvm", joined)
        self.assertIn("-cpu host", joined)
        self.assertNotIn("-icount", joined)
        self.assertEqual(argv[-4:], ["-append", "c", "-initrd", "m"])


class KvmChecks(unittest.TestCase):
    def test_a_started_kernel_is_kvm_working_even_if_it_then_failed(self):
        self.assertIsNone(bench.kvm_failure(boot(NULL_RUN, ["PANIC: x"], status=5,
                                                 done=False)))

    def test_qemu_that_never_started_the_guest_is_named_with_its_complaint(self):
        text = ("qemu-system-x86_64: error: failed to set MSR 0x10a to 0x69\r\n"
                "qemu-system-x86_64: kvm.c:3183: Assertion failed.\r\n")
        failed = bench.Boot(NULL_RUN, qemu.Capture(text, None, False, False, 0.1),
                            "n", 60.0)
        self.assertEqual(bench.kvm_failure(failed),
                         "QEMU did not start the guest (killed by a signal): "
                         "qemu-system-x86_64: error: failed to set MSR 0x10a to 0x69")

    def test_a_timeout_is_kvm_unusable(self):
        stuck = boot(NULL_RUN, [], status=None, timed_out=True, done=False,
                     timeout=60.0)
        self.assertIn("no result within 60s", bench.kvm_failure(stuck))

    def test_the_device_must_exist_and_be_usable(self):
        with tempfile.TemporaryDirectory() as tmp:
            device = Path(tmp) / "kvm"
            self.assertIn("does not exist", bench.kvm_device_problem(device))
            device.write_text("")
            self.assertIsNone(bench.kvm_device_problem(device))


# Plays QEMU for bench.py. The file `mode` beside it picks: ok (KVM's -cpu host
# refused, as nested KVM refuses it, everything else works), broken (every
# model refused) or panic (fastpath=0 panics). KVM boots run one at a time, so
# they can count themselves and vary their figures to exercise the median.
FAKE_QEMU = """\
import sys
from pathlib import Path

here = Path(sys.argv[0]).resolve().parent
args = sys.argv[1:]
cpu = args[args.index("-cpu") + 1]
kvm = args[args.index("-accel") + 1] == "kvm"
words = dict(w.split("=", 1) for w in args[args.index("-append") + 1].split())
mode = (here / "mode").read_text().strip()
if kvm and (cpu == "host" or mode == "broken"):
    print("fake-qemu: error: failed to set MSR 0x10a to 0x69", flush=True)
    sys.exit(1)
offset = 0
if kvm:
    counter = here / "count"
    n = int(counter.read_text()) if counter.exists() else 0
    counter.write_text(str(n + 1))
    offset = (3, 1, 2)[n % 3] * 1000
slow = words.get("fastpath") == "0"
print("minim 0.3 x86_64", flush=True)
if mode == "panic" and slow:
    print("PANIC: fake slow path", flush=True)
    sys.exit(5)
if words["test"] == "syscall_null_cost":
    print(f"syscall_null_rtt={94 + offset}")
elif words["test"] == "proc_spawn_cost":
    print(f"spawn_exit_wait={87507 + offset}")
elif words["test"] == "proc_reclaim_200":
    print("spawn_kill_free_frames_delta=0")
elif words["test"] == "irq_latency":
    print("irq_latency=255")
    print("irq_latency_hostile=10265")
elif words["test"] == "blk_rw":
    assert any(a.startswith("virtio-blk-pci") for a in sys.argv), "no disk"
    print("blk_read_4k=22300")
    print("blk_restart=913000")
elif words["test"] == "files_bench":
    assert any(a.startswith("virtio-blk-pci") for a in sys.argv), "no disk"
    for line in ("fs_read_4k_disk=92000", "fs_read_4k_cached=7800", "fs_open_close=7400",
                 "fs_spawn_echo_first=3800000", "fs_spawn_echo=97000"):
        print(line)
else:
    print(f"ipc_rtt_cross_task={367 + 400 * slow + offset}")
    print(f"ipc_rtt_same_task={357 + 400 * slow + offset}")
print(f"ktest: {words['test']} done nonce={words['nonce']}", flush=True)
sys.exit(1)
"""


class MainOnFakeQemu(unittest.TestCase):
    def setUp(self):
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.dir = Path(tmp.name)
        self.fake = self.dir / "qemu"
        self.fake.write_text(f"#!{sys.executable}\n{FAKE_QEMU}")
        self.fake.chmod(self.fake.stat().st_mode | stat.S_IXUSR)
        self.device = self.dir / "kvm"
        self.device.write_text("")
        # Any file that exists will do as the root task: the fake ignores it.
        patches = [mock.patch.object(bench, "ROOT_TASK", "grade/bench.py"),
                   mock.patch.object(bench, "KVM_DEVICE", self.device)]
        for patch in patches:
            patch.start()
            self.addCleanup(patch.stop)

    def main(self, mode, *args):
        (self.dir / "mode").write_text(mode)
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = bench.main(["--qemu", str(self.fake),
                                 "--kernel", str(self.fake), *args])
        return status, out.getvalue(), err.getvalue()

    def test_tcg_prints_the_sixteen_figures_and_nothing_else(self):
        status, out, err = self.main("ok")
        self.assertEqual(status, 0, err)
        self.assertEqual(out.splitlines(), [
            "syscall_null_rtt=94", "ipc_rtt_cross_task=367", "ipc_rtt_same_task=357",
            "ipc_rtt_cross_task_slowpath=767", "ipc_rtt_same_task_slowpath=757",
            "spawn_exit_wait=87507", "spawn_kill_free_frames_delta=0", "irq_latency=255",
            "irq_latency_hostile=10265", "blk_read_4k=22300", "blk_restart=913000",
            "fs_read_4k_disk=92000", "fs_read_4k_cached=7800", "fs_open_close=7400",
            "fs_spawn_echo_first=3800000", "fs_spawn_echo=97000"])
        self.assertIn("seL4 IPC, fast path", err)

    def test_a_failed_boot_exits_1_with_no_figures(self):
        status, out, err = self.main("panic")
        self.assertEqual(status, 1)
        self.assertEqual(out, "")
        self.assertIn("test=ipc_bench fastpath=0: kernel panic: fake slow path", err)

    def test_kvm_falls_back_to_cpu_max_and_reports_medians_of_three(self):
        status, out, err = self.main("ok", "--accel", "kvm")
        self.assertEqual(status, 0, err)
        # Each scenario's three boots add 3000, 1000, 2000: the median adds 2000.
        self.assertEqual(out.splitlines(), [
            "syscall_null_rtt_cycles=2094", "ipc_rtt_cross_task_cycles=2367",
            "ipc_rtt_same_task_cycles=2357", "ipc_rtt_cross_task_slowpath_cycles=2767",
            "ipc_rtt_same_task_slowpath_cycles=2757", "spawn_exit_wait_cycles=89507",
            "spawn_kill_free_frames_delta=0"])
        self.assertIn("QEMU did not start with -cpu host", err)
        self.assertIn("KVM runs with -cpu max", err)
        self.assertEqual((self.dir / "count").read_text(), "15")

    def test_kvm_that_starts_no_guest_exits_2(self):
        status, out, err = self.main("broken", "--accel", "kvm")
        self.assertEqual(status, 2)
        self.assertEqual(out, "")
        self.assertIn("KVM is not usable here:\n  -cpu host: QEMU did not start", err)
        self.assertIn("\n  -cpu max: QEMU did not start the guest (exit status 1): "
                      "fake-qemu: error: failed to set MSR", err)

    def test_no_kvm_device_exits_2_without_booting(self):
        with mock.patch.object(bench, "KVM_DEVICE", self.dir / "none"):
            status, out, err = self.main("ok", "--accel", "kvm")
        self.assertEqual(status, 2)
        self.assertEqual(out, "")
        self.assertIn("does not exist", err)
        self.assertFalse((self.dir / "count").exists())


KERNEL = ROOT / "build" / "kernel32.elf"
UTEST = ROOT / "build" / "user" / "utest.elf"


@unittest.skipUnless(KERNEL.exists() and UTEST.exists()
                     and shutil.which("qemu-system-x86_64"),
                     "needs build/kernel32.elf, build/user/utest.elf and QEMU")
class EndToEnd(unittest.TestCase):
    def test_the_real_kernel_gives_the_five_figures(self):
        done = subprocess.run(["sh", "grade/py", "grade/bench.py"], cwd=ROOT,
                              capture_output=True, text=True, timeout=300)
        self.assertEqual(done.returncode, 0, done.stderr)
        lines = done.stdout.splitlines()
        for line in lines:
            self.assertRegex(line, r"^[a-z0-9_]+=\d+$")
        figures = {name: int(value) for name, value in
                   (re.match(r"(\w+)=(\d+)$", line).groups() for line in lines)}
        self.assertEqual(list(figures), TCG_NAMES)
        self.assertGreater(figures["ipc_rtt_cross_task_slowpath"],
                           figures["ipc_rtt_cross_task"])
        self.assertGreater(figures["ipc_rtt_same_task_slowpath"],
                           figures["ipc_rtt_same_task"])


if __name__ == "__main__":
    unittest.main()
