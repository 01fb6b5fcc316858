"""The minim grader's engine: boot a kernel per test, judge its serial output.

Lab files only need `from engine import Test` (and `Disk` for a test with a
disk); the process-running parts (qemu, runner) are imported by grade.py on
their own because they need pexpect, which `grade.py --list` must not require.
"""

from engine.disk import Disk
from engine.test import Test

__all__ = ["Disk", "Test"]
