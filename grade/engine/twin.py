"""Differential boots: the same scenario, the same seed, the kernel told to take another
path (lab 4's `fastpath=0`), and the two transcripts must say the same thing.

What a reader must know: a fast path is an optimisation, so nothing a program can see
may depend on it. The twin boot is judged like the first (its own expected lines, plus
`proof`, the kernel's word that it really took the other path), and then every line of
the two transcripts is compared, except what legitimately differs: the kernel's echo of
its command line, the nonce, figures (`name=value`: instruction counts differ, as they
should) and the proof line itself. The first line that differs is the verdict.
"""

import re
from dataclasses import dataclass

# Lines that are allowed to differ between the boots.
_COMMAND_LINE = re.compile(r"^boot: loader .* command line ")
_FIGURE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=-?\d+\s*$")
SHOWN = 120  # characters of a differing line quoted in the verdict


@dataclass(frozen=True)
class Twin:
    args: tuple[str, ...]  # appended to the kernel command line of the twin boot
    label: str             # what the twin runs, for verdicts: "the general path ..."
    proof: str             # a regex the twin boot must print (the switch took effect)


def _comparable(lines, nonce, proof):
    kept = []
    for number, line in enumerate(lines, 1):
        if _COMMAND_LINE.match(line) or _FIGURE.match(line) or re.search(proof, line):
            continue
        kept.append((number, line.replace(nonce, "<nonce>")))
    return kept


def _quote(line):
    return repr(line if len(line) <= SHOWN else line[:SHOWN] + "...")


def divergence(twin, first, first_nonce, second, second_nonce):
    """None if the transcripts (lists of lines) agree, else the first difference."""
    a = _comparable(first, first_nonce, twin.proof)
    b = _comparable(second, second_nonce, twin.proof)
    for (number_a, line_a), (number_b, line_b) in zip(a, b):
        if line_a != line_b:
            return (f"the default boot and {twin.label} diverge: line {number_a} "
                    f"{_quote(line_a)}, but line {number_b} {_quote(line_b)}")
    if len(a) != len(b):
        label, lines = ("the default boot", a) if len(a) > len(b) else (twin.label, b)
        number, line = lines[min(len(a), len(b))]
        return (f"the default boot and {twin.label} diverge: only {label} goes on, "
                f"at line {number} {_quote(line)}")
    return None
