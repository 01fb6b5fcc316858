"""Boot the kernel once in QEMU and capture its serial console, within bounds.

run() never leaves a process behind: whatever ends it (EOF, the wall-clock
deadline, the capture bound, a stop request, an exception), the child is
killed if still alive and always reaped before run() returns or raises.
"""

import re
import time
from dataclasses import dataclass

import pexpect

CAPTURE_LIMIT = 1 << 20  # bytes of serial output kept before calling it a flood
_READ_CHUNK = 65536
# How often a silent guest's run re-checks its deadline and the stop event.
_POLL_SECONDS = 0.1
# QEMU writes to a pty; a big window keeps anything from reflowing lines.
_PTY_ROWS_COLS = (1000, 1000)


def command(kernel, cmdline, qemu="qemu-system-x86_64", modules=(), extra=(),
            accel="tcg", cpu="max", icount="shift=0,align=off,sleep=off"):
    """The argv that boots kernel with cmdline; modules become -initrd.

    Under accel="tcg" (the default) guest time counts instructions (-icount);
    any other accelerator (kvm, for bench.py) runs in real time on the host CPU.
    """
    argv = [
        str(qemu),
        "-machine", "pc",
        "-cpu", cpu,
        "-m", "128M",
        "-smp", "1",
        "-nographic",
        "-monitor", "none",
        # COM1 on the pty; signal=off passes a typed Ctrl-C to the guest (lab 7's
        # console) instead of ending QEMU.
        "-chardev", "stdio,id=com1,signal=off",
        "-serial", "chardev:com1",
        "-display", "none",
        # No network card: nothing needs one, and its option ROM slows the BIOS.
        "-nic", "none",
        # A triple fault ends QEMU with status 0 instead of rebooting forever.
        "-no-reboot",
        # The kernel's exit port: writing code c makes QEMU exit with 2c+1.
        "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
        "-accel", accel,
    ]
    if accel == "tcg":
        # Guest time follows executed instructions, not the host's load, so
        # timing figures are comparable between a laptop and a busy grader.
        # (A witnessed boot asks for record mode here: engine/witness.py.)
        argv += ["-icount", icount]
    argv += ["-kernel", str(kernel), "-append", cmdline]
    if modules:
        # QEMU splits -initrd at commas; a comma inside one module is doubled.
        argv += ["-initrd", ",".join(str(m).replace(",", ",,") for m in modules)]
    return argv + list(extra)


@dataclass(frozen=True)
class Capture:
    text: str
    status: int | None  # QEMU's exit status; None when it had to be killed
    timed_out: bool
    flooded: bool
    seconds: float


def run(argv, timeout, limit=CAPTURE_LIMIT, stop=None, cwd=None, dialog=(), env=None,
        preexec_fn=None):
    """Run argv (in cwd) under a pty until it exits, timeout seconds pass, or
    it prints more than limit bytes. Raises InterruptedError once stop is set.
    dialog: (regex, text) pairs; each text is typed into the guest's serial console
    once the output so far (after the previous pair's match) matches its regex.
    env and preexec_fn as pexpect.spawn's (engine/host.py's confinement)."""
    _check(stop)
    start = time.monotonic()
    deadline = start + timeout
    child = pexpect.spawn(argv[0], list(argv[1:]), encoding="utf-8",
                          codec_errors="replace", timeout=timeout, echo=False,
                          dimensions=_PTY_ROWS_COLS, cwd=cwd, env=env,
                          preexec_fn=preexec_fn)
    try:
        text, timed_out, flooded = _read(child, deadline, limit, stop, list(dialog))
        if not (timed_out or flooded):
            # The pty can report EOF a moment before the process is gone.
            timed_out = not _wait_for_exit(child, deadline)
    finally:
        _reap(child)
    return Capture(text, child.exitstatus, timed_out, flooded,
                   time.monotonic() - start)


def _read(child, deadline, limit, stop, dialog):
    """(text, timed_out, flooded) from the child's output up to EOF, typing the
    dialog's texts as their regexes match."""
    chunks, size, seen, at = [], 0, "", 0
    while size <= limit:
        _check(stop)
        left = deadline - time.monotonic()
        if left <= 0:
            return "".join(chunks), True, False
        try:
            chunk = child.read_nonblocking(_READ_CHUNK,
                                           timeout=min(left, _POLL_SECONDS))
        except pexpect.TIMEOUT:
            continue
        except pexpect.EOF:
            return "".join(chunks), False, False
        chunks.append(chunk)
        # Characters, not bytes: more than limit characters is at least
        # that many bytes, so the flood is never overstated.
        size += len(chunk)
        if dialog:
            seen += chunk
            while dialog and (found := re.search(dialog[0][0], seen[at:], re.M)):
                at += found.end()
                child.send(dialog.pop(0)[1])
    return "".join(chunks)[:limit], False, True


def _wait_for_exit(child, deadline):
    while child.isalive():
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.01)
    return True


def _reap(child):
    if child.isalive():
        child.terminate(force=True)
    child.close(force=True)


def _check(stop):
    if stop is not None and stop.is_set():
        raise InterruptedError("grading run stopped")
