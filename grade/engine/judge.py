"""Turn one captured boot into a verdict: pass, or fail with exactly one reason.

judge() is a pure function of the capture (text, exit status, timeout and
flood flags, nonce), so every verdict is unit-testable without a process. The
failure reasons are checked in a fixed order and the first that applies is the
only one reported: a crash explains a missing line, not the other way round.
"""

import os
import re
from dataclasses import dataclass, field

from engine import captures, disk, witness
from engine.challenge import SAMPLE_SEED

# QEMU's firmware (SeaBIOS, iPXE) draws on the serial console with terminal
# control sequences before the kernel starts.
_ESCAPE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|[@-~])")
# Any terminal control sequence: CSI (ESC [ or the 8-bit 0x9b), OSC, DCS and the
# other string sequences up to their terminator, and two-character ESC sequences.
_ANY_ESCAPE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|(?:\x1b[\]PX^_]|[\x90\x9d\x98\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[ -/]*[0-~]")
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
    # More problems behind the reason, for the report (clean text, one line each).
    details: tuple[str, ...] = ()


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


def judge(test, text, status, timed_out, flooded, nonce, limit, seed=SAMPLE_SEED,
          witnessed=None, disk_problems=None):
    """Judge one run; status is QEMU's exit status, or None if it was killed.

    limit is the capture bound in bytes that `flooded` refers to; seed is the boot's
    challenge seed, which a seeded test's expected lines are computed from. The
    reason is clean text (see printable()): it may quote the guest's output.
    witnessed is (instructions per round or None, why not) for a test whose figure
    QEMU confirms (engine/witness.py). disk_problems, for a test with a disk, returns
    what the disk's check finds wrong with the image (engine/disk.py); it is called
    only when everything else passed, so a failed boot's image is not even read.
    """
    lines = serial_lines(text)
    figures, repeated = _read_figures(test.figures, lines)
    reason = _failure(test, test.patterns(seed), lines, status, timed_out,
                      flooded, nonce, limit)
    if reason is None:
        reason = _figure_failure(test.figures, figures, repeated)
    if reason is None and test.witness is not None:
        count, why = witnessed or (None, "no witnessed boot")
        reason = witness.verdict(test.witness, figures[test.witness.figure], count, why)
        if reason is None:
            figures = {**figures, f"{test.witness.figure}_witnessed": round(count)}
    details = ()
    if reason is None and disk_problems is not None:
        problems = disk_problems()
        if problems:
            reason, more = disk.reason_and_details(problems)
            details = tuple(printable(line) for line in more)
    if reason is not None:
        return Verdict(False, printable(reason), figures, details)
    within = [f"{name}={figures[name]} <= {bound}"
              for name, bound in test.figures.items()]
    if test.witness is not None:
        within.append(f"QEMU counted {figures[test.witness.figure + '_witnessed']} "
                      "per round")
    return Verdict(True, ", ".join(within), figures)


def printable(text):
    """text safe to show a person: control sequences removed until none is left (one
    may be hidden inside another), then every other non-printable character, \r and
    \x1b included, written as an escape such as \x0d."""
    while True:
        stripped = _ANY_ESCAPE.sub("", text)
        if stripped == text:
            break
        text = stripped
    return "".join(ch if ch.isprintable() else _escaped(ch) for ch in text)


def _escaped(ch):
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _failure(test, expect, lines, status, timed_out, flooded, nonce, limit):
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
    missing = _first_missing(expect, lines)
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


def _figure_failure(bounds, figures, repeated):
    for name, bound in bounds.items():
        if name in repeated:
            return f"figure {name} printed {repeated[name]} times (once is allowed)"
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
    shown with the earlier captures it needed and what was printed instead."""
    position, captured = 0, {}
    for pattern in patterns:
        resolved = captures.resolve(pattern, captured)
        regex = None if resolved is None else re.compile(resolved)
        start = position
        while regex and position < len(lines):
            found = regex.search(lines[position])
            position += 1
            if found:
                captured.update((name, text) for name, text
                                in found.groupdict().items() if text is not None)
                break
        else:
            return _with_captures(pattern, captured) + _instead(regex, resolved, lines,
                                                                start)
    return None


SHOWN = 120  # characters of a printed line quoted in a reason


def _instead(regex, pattern, lines, start):
    """What the output held where pattern was expected, for a student to compare: the
    later line that starts most like it, else the pattern's line printed too early
    (out of order), else ''."""
    def quoted(line):
        return repr(line if len(line) <= SHOWN else line[:SHOWN] + "...")
    head = _literal_head(pattern or "")
    best, best_len = None, 0
    for line in lines[start:]:
        common = len(os.path.commonprefix([head, line]))
        if common > best_len:
            best, best_len = line, common
    # Alike: the same first word and more, or the whole literal start.
    word = re.match(r"\S+\s?", head)
    if best is not None and word and best_len >= min(len(head), max(len(word.group()), 4)):
        return f"; the closest line printed: {quoted(best)}"
    if regex is not None:
        early = next((l for l in lines[:start] if regex.search(l)), None)
        if early is not None:
            return f"; it was printed, but too early: {quoted(early)}"
    return ""


def _literal_head(pattern):
    """The text every line the regex matches starts with (as far as that is plain
    text): '^fmt\\ %ld:\\ \\[\\-92' gives 'fmt %ld: [-92'."""
    text, i = [], 1 if pattern.startswith("^") else 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern) and not pattern[i + 1].isalnum():
            text.append(pattern[i + 1])
            i += 2
            continue
        if ch in ".[]()*+?{}|^$\\":
            # A quantifier makes the character before it optional.
            if ch in "*?{" and text:
                text.pop()
            break
        text.append(ch)
        i += 1
    return "".join(text)


def _with_captures(pattern, captured):
    used = [f"{name}={captured[name]}" for name in captures.references(pattern)
            if name in captured]
    return f"{pattern} (with {', '.join(used)})" if used else pattern


def _read_figures(names, lines):
    """({name: value}, {name: times printed} for figures printed more than once).

    A figure must be printed exactly once: a second line could otherwise replace the
    trusted benchmark's value with one the student's code chose."""
    figures, repeated = {}, {}
    for name in names:
        regex = re.compile(rf"{name}=(-?\d+)\s*")
        values = [int(found.group(1)) for found in map(regex.fullmatch, lines) if found]
        if values:
            figures[name] = values[0]
        if len(values) > 1:
            repeated[name] = len(values)
    return figures, repeated
