"""The description of one grader test: what to boot and how to judge it.

A Test is pure data, written by hand in grade/labN.py. It is checked when it is
created, so a typo in a regex or an exit mode fails at load time, not in the
middle of a grading run.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from engine import captures
from engine.challenge import SAMPLE_SEED, Challenge
from engine.disk import Disk, problem as disk_problem
from engine.twin import Twin
from engine.witness import Witness

EXIT_MODES = ("clean", "panic")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


@dataclass(frozen=True, kw_only=True)
class Test:
    __test__ = False  # a grader test, not one for pytest to collect

    name: str
    lab: int
    points: int
    scenario: str = ""
    # The regexes, or a function of this boot's Challenge that returns them: a
    # seeded test, whose scenario draws its values from the same sequence.
    expect: tuple[str, ...] | Callable[[Challenge], list[str]] = ()
    forbid: tuple[str, ...] = ()
    figures: dict[str, int] = field(default_factory=dict)
    exit: str = "clean"
    timeout: float = 15.0
    extra_args: tuple[str, ...] = ()
    # More QEMU options: the devices a lab's scenarios drive (lab 7: COM2, a disk).
    qemu_args: tuple[str, ...] = ()
    # What the grader types (lab 7): (regex, text) pairs, or a function of the boot's
    # Challenge returning them; each text is sent once the output so far matches its
    # regex, in order (engine/qemu.py).
    dialog: tuple | Callable[[Challenge], list[tuple[str, str]]] = ()
    # Boot modules, "path [arguments]", paths relative to the repository root.
    modules: tuple[str, ...] = ()
    description: str = ""
    # A figure QEMU confirms from outside the guest (engine/witness.py), or None.
    witness: Witness | None = None
    # A raw image the grader fills before the boot, attaches as a virtio-blk device
    # and checks after QEMU exits (engine/disk.py), or None.
    disk: Disk | None = None
    # A second boot of the same scenario and seed, with other kernel arguments, that
    # must pass too and print the same lines (engine/twin.py), or None.
    twin: Twin | None = None
    # A graded host test instead of a boot: the program of build/host/ run with the
    # command line's words (engine/host.py), or "".
    host: str = ""

    def __post_init__(self):
        # Lab files write lists; tuples keep a frozen Test really immutable.
        names = ("forbid", "extra_args", "qemu_args", "modules") if self.seeded else (
            "expect", "forbid", "extra_args", "qemu_args", "modules")
        for name in names:
            object.__setattr__(self, name, tuple(getattr(self, name)))
        object.__setattr__(self, "figures", dict(self.figures))
        if not self.scenario:
            object.__setattr__(self, "scenario", self.name)
        self._validate()

    def twin_test(self):
        """The Test the twin boot is judged as: the same lines after the twin's proof,
        with no figures (the other path has other counts) and no witness."""
        twin, patterns = self.twin, self.patterns

        def expect(challenge):
            return [twin.proof, *patterns(challenge.seed)]
        return replace(self, extra_args=(*self.extra_args, *twin.args), expect=expect,
                       figures={}, witness=None, twin=None)

    @property
    def seeded(self):
        """Whether the expected lines depend on the boot's seed."""
        return callable(self.expect)

    def dialog_for(self, seed):
        """The (regex, text) pairs of a boot with this seed."""
        if callable(self.dialog):
            return tuple(self.dialog(Challenge(seed)))
        return tuple(self.dialog)

    def patterns(self, seed):
        """The expect regexes of a boot with this seed."""
        if self.seeded:
            return tuple(self.expect(Challenge(seed)))
        return self.expect

    def __hash__(self):
        # Names are unique across labs; the dict field would make the
        # generated field-wise hash raise.
        return hash(self.name)

    def _validate(self):
        def bad(why):
            raise ValueError(f"test {self.name!r}: {why}")

        if not _WORD.match(self.name):
            bad("name must be a word like printf_formats")
        if self.points < 0:
            bad("points must not be negative")
        if self.exit not in EXIT_MODES:
            bad(f"exit must be one of {EXIT_MODES}, not {self.exit!r}")
        if self.timeout <= 0:
            bad("timeout must be positive")
        if any(ch.isspace() for ch in self.scenario):
            bad("scenario is one command-line word")
        try:
            expect = self.patterns(SAMPLE_SEED)
        except Exception as err:  # a lab file's own function: any error is its
            bad(f"expect({SAMPLE_SEED:#x}) raised {err!r}")
        if not all(isinstance(p, str) for p in expect):
            bad("expect must give regex strings")
        expect_problem = captures.problem(expect)
        if expect_problem:
            bad(expect_problem)
        for pattern in self.forbid:
            try:
                re.compile(pattern)
            except re.error as err:
                bad(f"bad regex {pattern!r}: {err}")
        for figure, bound in self.figures.items():
            if not _WORD.match(figure):
                bad(f"figure name {figure!r} must be a word")
            if not isinstance(bound, int):
                bad(f"figure {figure} bound must be an int")
        if self.witness is not None and self.witness.figure not in self.figures:
            bad(f"witness confirms {self.witness.figure}, which is not in figures")
        if self.disk is not None and (why := disk_problem(self.disk)):
            bad(why)
        if self.host and (self.disk or self.twin or self.witness or self.dialog or
                          self.modules or self.qemu_args):
            bad("a host test has no disk, twin, witness, dialog, modules or QEMU options")
        if self.host and not _WORD.match(self.host):
            bad("host names a program of build/host/, a word like format_test")
        if self.twin is not None and self.disk is not None:
            bad("a twin boot cannot share the first boot's disk")
        if self.twin is not None:
            try:
                re.compile(self.twin.proof)
            except re.error as err:
                bad(f"bad twin proof regex {self.twin.proof!r}: {err}")
        if "\n" in self.description:
            bad("description is one line")
