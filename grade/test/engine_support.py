"""Shared setup of the engine's unit tests: import path, fake QEMU, fake tests.

Importing this module puts grade/ on sys.path, so `engine` imports exactly as
it does under grade.py; every test module imports it before the engine.
"""

import sys
from pathlib import Path

GRADE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(GRADE_DIR))

from engine import Test  # noqa: E402

FAKE_QEMU = GRADE_DIR / "test" / "fake_qemu.py"
FLOOD_LIMIT = 64 * 1024  # small, so the flood case ends quickly
HANG_TIMEOUT = 1.5


def fake_test(mode, exit="clean", timeout=10):
    """A test whose boot is fake_qemu.py playing `mode`."""
    clean = exit == "clean"
    return Test(
        name=f"fake_{mode}_{exit}", lab=1, points=5, scenario=f"s_{mode}",
        expect=["minim: booting", "fake: doing the work"] if clean
        else ["minim: booting"],
        forbid=["^WARNING"], figures={"frame_ops": 5000} if clean else {},
        exit=exit, timeout=timeout, extra_args=[f"fake={mode}"],
        description=f"fake QEMU plays {mode}")


# (fake mode, exit, the verdict reason it must produce, passed)
CASES = [
    ("ok", "clean", "frame_ops=1234 <= 5000", True),
    ("panic", "clean", "kernel panic: something broke", False),
    ("exception", "clean",
     "CPU exception: #PF page fault (vector 14, error 0x2)", False),
    ("reset", "clean", "triple fault / reset", False),
    ("hang", "clean", f"hang (no finish within {HANG_TIMEOUT:g}s)", False),
    ("flood", "clean", f"output flood (> {FLOOD_LIMIT} bytes)", False),
    ("badfigure", "clean", "figure frame_ops=999999 exceeds bound 5000",
     False),
    ("missing", "clean", "missing expected output: fake: doing the work",
     False),
    ("forbidden", "clean", "forbidden output: WARNING: frame leaked", False),
    ("nonce", "clean", "no done line (or wrong nonce)", False),
    ("checkfail", "clean", "kernel check failed: kmalloc returned NULL",
     False),
    ("badstatus", "clean", "exit status 3 (expected 1)", False),
    ("panic", "panic", "", True),
    ("exception", "panic", "", True),
    ("ok", "panic", "expected a kernel panic, got exit status 1", False),
]


def case_tests():
    return [fake_test(mode, exit,
                      timeout=HANG_TIMEOUT if mode == "hang" else 10)
            for mode, exit, _, _ in CASES]
