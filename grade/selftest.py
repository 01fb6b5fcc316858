#!/usr/bin/env python3
"""The kit's own scenarios: mechanisms no lab's student writes, booted by `make check`.

    selftest.py [--tree DIR] [--verbose]

What a reader must know: a lab test must fail in its lab's handout, so a scenario of
code that is never a student's (the bootfs: the Makefile's archive, the kernel's copy,
user/lib/bootfs.c; the interrupt paths around lab 7's regions) cannot be a lab test; it lives here, beside grade/labN.py but out of
the registry, and check.py's step "kit self-tests" runs it on the reference. The
expected lines of bootfs_list are computed from build/bootfs.tar with Python's tarfile,
a reader that shares nothing with the guest's. Exit status 0 when every boot passed.
"""

import argparse
import re
import sys
import tarfile
from pathlib import Path

GRADE_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(GRADE_DIR))

from engine.challenge import digest  # noqa: E402
from engine import Test  # noqa: E402
from engine.root_task import BOOTFS_TAR, root_task_test  # noqa: E402

ROOT = GRADE_DIR.parent
BOOTFS_AT = 0x7FFF00000000  # abi/layout.h's USER_BOOTFS
HEADER_MAGIC = b"ustar\x0000"  # POSIX ustar, what --format=ustar writes


class BadArchive(Exception):
    """build/bootfs.tar is not what the Makefile promises; the message says how."""


def bytes_digest(data):
    """challenge.h's digest of data as 8-byte little-endian words, the last padded
    with zeros: what user/tests/bootfs.c prints for a file."""
    return digest(int.from_bytes(data[i:i + 8], "little") for i in range(0, len(data), 8))


def bootfs_members(path):
    """[(TarInfo, bytes or None)] of the archive's files and folders, in archive order.
    Raises BadArchive if it is not the Makefile's reproducible ustar archive."""
    raw = Path(path).read_bytes()
    with tarfile.open(path) as tar:
        members = tar.getmembers()
        listed = []
        for m in members:
            if m.mtime != 0 or m.uid != 0 or m.gid != 0 or m.uname or m.gname:
                raise BadArchive(f"{path}: {m.name} has a time, owner or group; "
                                 "the Makefile's tar flags say 0 and none")
            if raw[m.offset + 257:m.offset + 265] != HEADER_MAGIC:
                raise BadArchive(f"{path}: {m.name}'s header is not POSIX ustar")
            if m.isreg():
                listed.append((m, tar.extractfile(m).read()))
            elif m.isdir():
                listed.append((m, None))
    return listed


def bootfs_expect(path):
    """The lines bootfs_list prints, after the boot lines, for the archive at path."""
    size = Path(path).stat().st_size
    members = bootfs_members(path)
    lines = [rf"^bootfs: {size} bytes at {BOOTFS_AT:x}, open -> 0, {len(members)} entries$"]
    files = total = 0
    contents = {}
    for m, data in members:
        if data is None:
            lines.append(rf"^bootfs: dir {re.escape(m.name)} mode {m.mode:04o}$")
            continue
        lines.append(rf"^bootfs: file {re.escape(m.name)} mode {m.mode:04o} "
                     rf"size {len(data)} digest {bytes_digest(data):016x}$")
        files, total = files + 1, total + len(data)
        contents.setdefault(m.name, data)
    lines.append(rf"^bootfs: end -> 0, {files} files, {total} bytes$")
    elf = contents.get("bin/hello", b"")
    if len(elf) < 64 or elf[:4] != b"\x7fELF":
        raise BadArchive(f"{path}: no ELF bin/hello")
    lines.append(rf"^bootfs: find /bin/hello -> 0, ELF class {elf[4]} machine "
                 rf"{int.from_bytes(elf[18:20], 'little')} entry "
                 rf"{int.from_bytes(elf[24:32], 'little'):x}$")
    motd = contents.get("etc/motd")
    if motd is None:
        raise BadArchive(f"{path}: no etc/motd")
    first = motd.split(b"\n")[0][:127].decode("latin-1")
    lines += [rf"^bootfs: find etc/motd -> 0, its first line: {re.escape(first)}$",
              r"^bootfs: find bin -> -4$", r"^bootfs: find etc/nothing -> -4$"]
    return lines


def tests(tree=ROOT):
    """The self-test boots: the bootfs as the root task sees it, a boot without, the
    shell's session on a disk, and interrupts nobody is behind."""
    return [
        root_task_test(0, "bootfs_list", 0,
                       "the root task lists build/bootfs.tar at USER_BOOTFS",
                       bootfs_expect(Path(tree, BOOTFS_TAR)), sigma0=True, bootfs=True,
                       forbid=["^ktest FAIL"]),
        root_task_test(0, "proc_thread_stack", 0,
                       "a process's own thread (thread_spawn) has the pm as its pager: 24 KiB "
                       "of its stack fault in page by page",
                       [r"^t6: a thread used 24 KiB of its stack -> 0: it ran to the end$",
                        r"^threads: t6 ended with 0$"], sigma0=True, bootfs=True,
                       forbid=["^ktest FAIL", r"^pm: process"]),
        root_task_test(0, "bootfs_absent", 0,
                       "a boot without the bootfs module gives the root none",
                       [r"^bootfs: none in this boot \(start 0, size 0\)$"], sigma0=True,
                       scenario="bootfs_list", forbid=["^bootfs: module", "^ktest FAIL"]),
        Test(name="irq_spurious", lab=0, points=0,
             description="interrupts with nothing behind them (device vectors of unbound "
                         "lines, the local APIC's spurious vector) are harmless",
             expect=irq_spurious, forbid=["^ktest FAIL", "^EXCEPTION"]),
    ]


def irq_spurious(c):
    """kernel/test/lab7_tests.c: the kernel's given interrupt paths (ioapic.c, irq.c's
    set-up, the spurious vector), which every lab-7 handout keeps."""
    first, times = c.range(0, 3), c.range(2, 9)
    return [rf"^spurious: {times} interrupts raised from line {[5, 9, 14, 23][first]} on, "
            r"none bound: handled$",
            r"^spurious: the local APIC's spurious vector: handled$",
            r"^spurious: the timer still ticks: yes$"]


def run(tree=ROOT, jobs=2):
    """[(test, verdict, serial text)] of every self-test boot of tree's build/."""
    from engine import runner  # needs pexpect: imported only when something boots
    kernel = Path(tree, "build", "kernel32.elf")
    results = runner.run_all(tests(tree), str(kernel), "qemu-system-x86_64", jobs=jobs,
                             tree=Path(tree))
    return [(r.test, r.verdict, r.text) for r in results]


def main(argv=None):
    parser = argparse.ArgumentParser(description="The kit's own scenarios.")
    parser.add_argument("--tree", type=Path, default=ROOT,
                        help="the built tree to boot (default: this repository)")
    parser.add_argument("--verbose", action="store_true",
                        help="show the serial output of a failed boot")
    args = parser.parse_args(argv)
    try:
        results = run(args.tree)
    except (OSError, BadArchive, tarfile.TarError) as err:
        print(f"selftest.py: {err}", file=sys.stderr)
        return 2
    failed = 0
    for test, verdict, text in results:
        print(f"[{'PASS' if verdict.passed else 'FAIL'}] {test.name}"
              + ("" if verdict.passed else f": {verdict.reason}"))
        if not verdict.passed:
            failed += 1
            if args.verbose:
                print(text)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
