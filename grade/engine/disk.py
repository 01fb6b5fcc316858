"""A test's disk: a raw image the grader writes before the boot and reads after it.

What a reader must know: each boot of a test with a `Disk` gets its own image, in a
fresh temporary folder that is removed when the boot ends however it ends (a pass, a
failure, a hang killed at its deadline, Ctrl-C), so parallel boots never share one and
nothing is left behind. `fill` writes the image's first contents from the boot's seed;
QEMU attaches it as a modern-only virtio-blk PCI device (device id 0x1042); once QEMU
is gone, `check` reads what the guest left and names what is wrong. Both draw from a
fresh Challenge of the seed, as `expect` does, so the pattern is new on every boot and
the check knows it. The image holds what the guest wrote: the check must treat it as
hostile input (it is given bytes, and whatever it raises fails the test, it does not
stop the grader).
"""

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from engine.challenge import Challenge

SECTOR_BYTES = 512
MAX_SECTORS = 1 << 21  # 1 GiB: more than any lab needs, and the grader holds it in memory
DRIVE_ID = "disk0"
IMAGE_NAME = "disk.img"
REASON_PREFIX = "disk image: "
# Problems after the first shown in the report; the reason itself is one line.
DETAILS_SHOWN = 10


@dataclass(frozen=True)
class Disk:
    sectors: int                                   # image size in 512-byte sectors
    fill: Callable[[Challenge, bytearray], None]   # writes the initial bytes
    # After the boot: the problems with the image, [] if none.
    check: Callable[[Challenge, bytes], list[str]] | None = None

    @property
    def size(self):
        return self.sectors * SECTOR_BYTES


def problem(disk):
    """Why disk cannot be a test's disk, or None."""
    if not isinstance(disk, Disk):
        return f"disk must be a Disk, not {type(disk).__name__}"
    if (not isinstance(disk.sectors, int) or isinstance(disk.sectors, bool)
            or not 1 <= disk.sectors <= MAX_SECTORS):
        return f"disk sectors must be an int from 1 to {MAX_SECTORS}, not {disk.sectors!r}"
    if not callable(disk.fill):
        return "disk fill must be a function of (Challenge, bytearray)"
    if disk.check is not None and not callable(disk.check):
        return "disk check must be None or a function of (Challenge, bytes)"
    return None


def qemu_args(path):
    """QEMU's options attaching the raw image at path as a virtio-blk PCI device.

    cache=unsafe: the host need not flush a file that is read once and removed (the
    guest's flush requests still travel through virtio). disable-legacy=on: only the
    virtio 1.x interface, PCI device id 0x1042, the one the lab's driver speaks."""
    drive = str(path).replace(",", ",,")  # QEMU splits options at single commas
    return ["-drive", f"file={drive},if=none,format=raw,id={DRIVE_ID},cache=unsafe",
            "-device", f"virtio-blk-pci,drive={DRIVE_ID},disable-legacy=on"]


@dataclass(frozen=True)
class Image:
    """One boot's image file."""
    disk: Disk
    path: Path
    seed: int

    @property
    def qemu_args(self):
        return qemu_args(self.path)

    def problems(self):
        """What the check finds wrong with the image now ([] without a check)."""
        if self.disk.check is None:
            return []
        data = self.path.read_bytes()
        if len(data) != self.disk.size:
            return [f"{len(data)} bytes after the boot, not {self.disk.size}"]
        try:
            found = self.disk.check(Challenge(self.seed), data)
        except Exception as err:  # the guest chose the bytes: no crash of the grader
            return [f"the lab's check raised {err!r}"]
        if not isinstance(found, (list, tuple)) or not all(isinstance(p, str)
                                                           for p in found):
            return [f"the lab's check returned {found!r:.80}, not a list of strings"]
        return list(found)


@contextmanager
def attached(disk, seed, tree=None) -> Iterator[Image | None]:
    """The Image of disk filled for seed, in a fresh folder removed on leaving (None
    when disk is None: nothing to attach). A fill that says it wants_tree is also
    given tree, the built tree under test (lab 8 puts its programs on the disk)."""
    if disk is None:
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="minim-disk-") as folder:
        path = Path(folder, IMAGE_NAME)
        buffer = bytearray(disk.size)
        if getattr(disk.fill, "wants_tree", False):
            disk.fill(Challenge(seed), buffer, tree)
        else:
            disk.fill(Challenge(seed), buffer)
        if len(buffer) != disk.size:  # the lab file's mistake, whatever the guest does
            raise ValueError(f"disk fill left {len(buffer)} bytes, not {disk.size}")
        path.write_bytes(buffer)
        del buffer  # a big image need not stay in memory while QEMU runs
        yield Image(disk, path, seed)


def reason_and_details(problems):
    """(the one-line reason, the other problems to show) of a non-empty list."""
    first, rest = problems[0], problems[1:]
    details = rest[:DETAILS_SHOWN]
    if len(rest) > DETAILS_SHOWN:
        details.append(f"... and {len(rest) - DETAILS_SHOWN} more")
    return REASON_PREFIX + first, details
