"""Turn one captured boot into a verdict: pass, or fail with exactly one reason.

judge() is a pure function of the capture (text, exit status, timeout and
flood flags, nonce), so every verdict is unit-testable without a process. The
failure reasons are checked in a fixed order and the first that applies is the
only one reported: a crash explains a missing line, not the other way round.
"""

import re
from dataclasses import dataclass, field

from engine import captures

# QEMU's firmware (SeaBIOS, iPXE) draws on the serial console with terminal
# control sequences before the kernel starts.
_ESCAPE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|[@-~])")
# SeaBIOS ends its banner without a newline, which would glue the kernel's
# first line to it and hide a line-start marker such as PANIC:.
_FIRMWARE_LAST_WORDS = "Booting from ROM.."

EXCEPTION = "EXCEPTION: "
PANIC = "PANIC: "
CHECK_FAILED = "ktest FAIL:"

QEMU_CLEAN_EXIT = 1   # the kernel wrote 0 to isa-debug-exit
QEMU_PANIC_EXIT = 5   # the kernel wrote 2
QEMU_RESET_EXIT = 0   # triple fault or reset, turned into an exit by -no-reboot


@dataclass(frozen=True)
class Verdict:
    passed: bool
    reason: str
    # Every declared figure that was printed, whether the test passed or not.
    figures: dict[str, int] = field(default_factory=dict)


def serial_lines(text):
    """The serial output as lines, without control sequences or \\r."""
    text = _ESCAPE.sub("", text)
    text = text.replace(_FIRMWARE_LAST_WORDS, _FIRMWARE_LAST_WORDS + "\n")
    lines = [line.rstrip("\r") for line in text.split("\n")]
    if lines and lines[-1] == "":
        lines.pop()  # the text ended with a newline, not with an empty line
    return lines


def done_line(scenario, nonce):
    return f"ktest: {scenario} done nonce={nonce}"


def judge(test, text, status, timed_out, flooded, nonce, limit):
    """Judge one run; status is QEMU's exit status, or None if it was killed.

    limit is the capture bound in bytes that `flooded` refers to.
    """
    lines = serial_lines(text)
    figures = _read_figures(test.figures, lines)
    reason = _failure(test, lines, status, timed_out, flooded, nonce, limit)
    if reason is None:
        reason = _figure_failure(test.figures, figures)
    if reason is not None:
        return Verdict(False, reason, figures)
    within = [f"{name}={figures[name]} <= {bound}"
              for name, bound in test.figures.items()]
    return Verdict(True, ", ".join(within), figures)


def _failure(test, lines, status, timed_out, flooded, nonce, limit):
    if flooded:
        return f"output flood (> {limit} bytes)"
    exception = _text_after(lines, EXCEPTION)
    panic = _text_after(lines, PANIC)
    # A kernel that crashed and then hung is reported as the crash.
    crashed = test.exit == "clean" and (
        exception is not None or panic is not None)
    if timed_out and not crashed:
        return f"hang (no finish within {test.timeout:g}s)"
    if test.exit == "clean":
        if exception is not None:
            return f"CPU exception: {exception}"
        if panic is not None:
            return f"kernel panic: {panic}"
    if status == QEMU_RESET_EXIT:
        return "triple fault / reset"
    check = _text_after(lines, CHECK_FAILED)
    if check is not None:
        return f"kernel check failed: {check.strip()}"
    for line in lines:
        if any(re.search(pattern, line) for pattern in test.forbid):
            return f"forbidden output: {line}"
    missing = _first_missing(test.expect, lines)
    if missing is not None:
        return f"missing expected output: {missing}"
    return _ending_failure(test, lines, status, panic, nonce)


def _ending_failure(test, lines, status, panic, nonce):
    shown = "none (killed)" if status is None else status
    if test.exit == "panic":
        if status != QEMU_PANIC_EXIT:
            return f"expected a kernel panic, got exit status {shown}"
        if panic is None:
            return f"exit status {shown} but no {PANIC.strip()} line"
        return None
    done = done_line(test.scenario, nonce)
    if not any(line.rstrip() == done for line in lines):
        return "no done line (or wrong nonce)"
    if status != QEMU_CLEAN_EXIT:
        return f"exit status {shown} (expected {QEMU_CLEAN_EXIT})"
    return None


def _figure_failure(bounds, figures):
    for name, bound in bounds.items():
        if name not in figures:
            return f"figure {name} missing"
        if figures[name] > bound:
            return f"figure {name}={figures[name]} exceeds bound {bound}"
    return None


def _text_after(lines, marker):
    """What follows marker on the first line starting with it, or None."""
    for line in lines:
        if line.startswith(marker):
            return line[len(marker):]
    return None


def _first_missing(patterns, lines):
    """The first pattern not matched, each on a later line than the last,
    shown with the earlier captures it needed."""
    position, captured = 0, {}
    for pattern in patterns:
        resolved = captures.resolve(pattern, captured)
        regex = None if resolved is None else re.compile(resolved)
        while regex and position < len(lines):
            found = regex.search(lines[position])
            position += 1
            if found:
                captured.update((name, text) for name, text
                                in found.groupdict().items() if text is not None)
                break
        else:
            return _with_captures(pattern, captured)
    return None


def _with_captures(pattern, captured):
    used = [f"{name}={captured[name]}" for name in captures.references(pattern)
            if name in captured]
    return f"{pattern} (with {', '.join(used)})" if used else pattern


def _read_figures(names, lines):
    """Each named figure's value; a figure printed twice counts its last value."""
    figures = {}
    for name in names:
        regex = re.compile(rf"{name}=(-?\d+)\s*")
        for line in lines:
            found = regex.fullmatch(line)
            if found:
                figures[name] = int(found.group(1))
    return figures
