"""ext2 images for lab 8's disks: made by mke2fs before the boot, read and checked by
e2fsprogs (e2fsck, debugfs, dumpe2fs) after it.

What a reader must know: after the boot the image holds what the guest wrote, so every
check here takes it as hostile bytes: it is copied to a temporary file, each tool runs
with a deadline (TIMEOUT seconds, then its process group is killed), and a tool that
fails, hangs or is missing gives a Problem (a str) in place of the answer, never an
exception. build() is the other way round: its input is the lab file's, and a mistake
there raises.

  build(files, blocks, block_size=1024, inodes=None, blocks_per_group=None) -> bytes
      files: {"/a/b": bytes (a file) or None (an empty directory)}; parents are made.
  fill(files_fn, block_size=1024, inodes=None) -> a Disk fill function
  fsck(data) -> list[str]                  [] when e2fsck -fn finds it clean
  fsck_repairable(data) -> list[str]       [] when e2fsck -fy repairs it (see repair)
  repair(data) -> (bytes | None, list[str])   the image e2fsck -fy left, and problems
  stat(data, path) -> dict | None | Problem   size, links, blocks, mode, type, inode
  read_file(data, path) -> bytes | None | Problem
  listdir(data, path) -> list[str] | None | Problem
  free_counts(data) -> FreeCounts | Problem
  KINDS, corrupt(data, kind, rng, under=None), corpus(data, seed)   from ext2corrupt
  seeds(folder) -> list[Path]              small images for a libFuzzer seed corpus

The same input gives the same bytes on every run and machine with the same e2fsprogs
version: the UUID and hash seed are fixed, E2FSPROGS_FAKE_TIME fixes the superblock's
times, MKE2FS_CONFIG points at our own defaults (a distribution's mke2fs.conf changes
inode size and features), -o Linux fixes the creator OS, and the files are written in
sorted order with fixed modes. mke2fs -d copies each inode's owner and ctime from the
host files (1.47.0 does, whatever -E root_owner says of the root), so build() sets
those, and all times, in the image itself afterwards (ext2layout.py says where).

Measured here (e2fsprogs 1.47.0, Debian 12, 2 shared cores): build() of 2 MiB (40
files of 51 KiB, or one file) into an 8 MiB image takes 20 to 40 ms with 1 KiB blocks
and the same with 4 KiB blocks (mke2fs -d itself about 10 ms); both block sizes make
images e2fsck finds clean and debugfs reads back. Each check of an 8 MiB image takes
10 to 30 ms (most of it writing the image to a file); of a 64 MiB one, build() 250 ms
and fsck() 200 ms.

What e2fsprogs does that one would not guess: mke2fs -d leaves every all-zero block
of a file as a hole (a file of zeros has no blocks); debugfs -R exits 0 whatever
happens, even when the image cannot be opened; e2fsck -fn of an image whose primary
superblock or group descriptors are bad but whose backups are good (more than one
block group) checks the backups and ends with status 0; e2fsck -fy sometimes needs a
second run, and a subdirectory whose ".." entry has rec_len 0 it never mends.
"""

import os
import re
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path
from typing import NamedTuple

from engine import ext2layout as layout
from engine.ext2corrupt import KINDS, NotApplicable, corpus, corrupt

__all__ = ["build", "fill", "fsck", "fsck_repairable", "repair", "stat", "read_file",
           "listdir", "free_counts", "FreeCounts", "Problem", "KINDS", "NotApplicable",
           "corrupt", "corpus", "seeds", "TIMEOUT"]

TIMEOUT = 10.0                  # seconds a tool may take on one image
FAKE_TIME = 1_700_000_000       # every time stamp in a built image (2023-11-14)
UUID = "6d696e69-6d00-4c38-8000-000000000008"
HASH_SEED = "6d696e69-6d00-4c38-8000-000000000080"
FEATURES = "^dir_index,^resize_inode,^ext_attr"
FILE_MODE, DIR_MODE = 0o644, 0o755
# Our own mke2fs.conf, so that a distribution's defaults do not change the image.
MKE2FS_CONF = """[defaults]
\tbase_features = sparse_super,large_file,filetype
\tinode_size = 256
\tinode_ratio = 4096
\treserved_ratio = 0
[fs_types]
\text2 = {
\t}
"""
# A guest without a clock writes odd times; the grade is not about them.
E2FSCK_CONF = "[options]\n\tbroken_system_clock = 1\n"
# Where e2fsprogs lives when not on PATH: Debian's sbin (on no user's PATH), and
# Homebrew's keg-only formula. grade/deps.sh and grade/doctor.sh look in the same.
SBIN = ("/usr/sbin", "/sbin", "/usr/local/sbin", "/opt/homebrew/opt/e2fsprogs/sbin",
        "/usr/local/opt/e2fsprogs/sbin")
PROBLEMS_SHOWN = 10


class Problem(str):
    """Why a tool could not answer (it failed, timed out, is missing, or the image
    is too broken to hold the answer); a str, so it can join a list of problems."""


class FreeCounts(NamedTuple):
    blocks: int          # the superblock's s_free_blocks_count
    inodes: int          # the superblock's s_free_inodes_count
    group_blocks: int    # bg_free_blocks_count summed over the group descriptors
    group_inodes: int    # bg_free_inodes_count summed likewise


def tool_path(name):
    """Where e2fsprogs' program name is, or None."""
    return shutil.which(name) or shutil.which(name, path=os.pathsep.join(SBIN))


def _environment(folder):
    """The tools' environment: English messages (we parse them), no pager, fixed
    times and our own configuration files in folder."""
    mke2fs_conf, e2fsck_conf = Path(folder, "mke2fs.conf"), Path(folder, "e2fsck.conf")
    mke2fs_conf.write_text(MKE2FS_CONF)
    e2fsck_conf.write_text(E2FSCK_CONF)
    env = dict(os.environ, LC_ALL="C", LANG="C", PAGER="__none__",
               DEBUGFS_PAGER="__none__", E2FSPROGS_FAKE_TIME=str(FAKE_TIME),
               MKE2FS_CONFIG=str(mke2fs_conf), E2FSCK_CONFIG=str(e2fsck_conf),
               E2FSPROGS_LIBMAGIC_SUPPRESS="1")
    env.pop("MKE2FS_SYNC", None)
    return env


def _run(name, args, folder):
    """Runs e2fsprogs' name with args: (status, stdout, stderr) or a Problem. The
    tool gets its own process group, killed whole at the deadline."""
    path = tool_path(name)
    if path is None:
        return Problem(f"{name} not found (install e2fsprogs: make deps)")
    try:
        proc = subprocess.Popen([path, *args], stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env=_environment(folder), cwd=folder,
                                start_new_session=True)
    except OSError as err:
        return Problem(f"{name} could not start: {err}")
    try:
        out, err = proc.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:  # it ended just now
            pass
        proc.communicate()
        return Problem(f"{name} {args[0]} took more than {TIMEOUT:g} s")
    # Its messages name it by the path it was started with: give it its name back.
    return (proc.returncode, out.decode("utf-8", "surrogateescape"),
            err.decode("utf-8", "backslashreplace").replace(path, name))


def _tidy(lines, image):
    """Tool output lines as problems: stripped, without blanks and the image's path."""
    return [line.replace(str(image), "image").strip() for line in lines if line.strip()]


def _said(name, errors, status):
    """One line of what tool name said (its errors), or of its status if nothing."""
    said = "; ".join(errors) or f"status {status}"
    return said if said.startswith(name + ":") else f"{name}: {said}"


# --- building ---------------------------------------------------------------------

def _parts(path):
    if not isinstance(path, str) or not path.startswith("/"):
        raise ValueError(f"file path {path!r} is not absolute")
    parts = path.split("/")[1:]
    if not all(parts) or any(p in (".", "..") or len(p.encode()) > 255 for p in parts):
        raise ValueError(f"file path {path!r} has an empty, dot or long name")
    return parts


def _write_tree(files, root):
    """files written under root, in sorted order, with fixed modes and times."""
    root.mkdir(mode=DIR_MODE)
    made = {root}
    for path in sorted(files):
        content = files[path]
        if content is not None and not isinstance(content, (bytes, bytearray)):
            raise ValueError(f"{path}: content must be bytes or None (a directory)")
        target = root.joinpath(*_parts(path))
        for parent in reversed(target.parents):
            if parent in made or root not in parent.parents:
                continue
            if parent.is_file():
                raise ValueError(f"{path}: a parent is a file")
            parent.mkdir(exist_ok=True)
            made.add(parent)
        if content is None:
            target.mkdir(exist_ok=True)
            made.add(target)
        elif target.is_dir():
            raise ValueError(f"{path}: is also a directory")
        else:
            target.write_bytes(content)
            os.chmod(target, FILE_MODE)
            os.utime(target, (FAKE_TIME, FAKE_TIME))
    for folder in made:
        os.chmod(folder, DIR_MODE)
        os.utime(folder, (FAKE_TIME, FAKE_TIME))


def _fix_owners_and_times(image):
    """Every used inode of image (a bytearray) owned by 0:0 with every time FAKE_TIME:
    mke2fs -d took them from the host files."""
    fs = layout.Layout(image)
    for n in fs.used_inodes():
        at = fs.inode(n)
        for field in (8, 12, 16):                          # atime, ctime, mtime
            layout.put32(image, at + field, FAKE_TIME)
        for field in (2, 24, 120, 122):                    # uid, gid and their highs
            layout.put16(image, at + field, 0)
        if fs.inode_size > 128:
            extra = layout.u16(image, at + 128)
            for field, value in ((132, 0), (136, 0), (140, 0), (144, FAKE_TIME),
                                 (148, 0)):
                if field + 4 <= 128 + extra:
                    layout.put32(image, at + field, value)


def build(files, blocks, block_size=1024, inodes=None, blocks_per_group=None):
    """An ext2 image of blocks blocks of block_size bytes holding files (see the top
    of this file); blocks_per_group: mke2fs -g, for a small image of
    several groups. Raises ValueError for bad files, RuntimeError if mke2fs fails
    (too small an image, say), with mke2fs's words."""
    if block_size not in (1024, 2048, 4096, 8192, 16384, 32768, 65536):
        raise ValueError(f"block size {block_size}")
    with tempfile.TemporaryDirectory(prefix="minim-ext2-") as folder:
        root, image = Path(folder, "root"), Path(folder, "image")
        _write_tree(files, root)
        args = ["-q", "-t", "ext2", "-o", "Linux", "-b", str(block_size), "-I", "256",
                "-m", "0", "-U", UUID,
                "-E", f"hash_seed={HASH_SEED},root_owner=0:0", "-O", FEATURES]
        if inodes is not None:
            args += ["-N", str(inodes)]
        if blocks_per_group is not None:
            args += ["-g", str(blocks_per_group)]
        args += ["-d", str(root), "-F", str(image), str(blocks)]
        ran = _run("mke2fs", args, folder)
        if isinstance(ran, Problem):
            raise RuntimeError(ran)
        status, out, err = ran
        if status != 0:
            said = "; ".join(_tidy((out + err).splitlines(), image))
            raise RuntimeError(f"mke2fs failed ({status}): {said}")
        data = bytearray(image.read_bytes())
    _fix_owners_and_times(data)
    return bytes(data)


def fill(files_fn, block_size=1024, inodes=None, programs=()):
    """A Disk fill function: the image of files_fn(challenge) as large as the disk
    (whole blocks; a tail shorter than a block stays zero). With programs, each
    build/user/<name>.elf of the tree under test goes in as /bin/<name> too (the fill
    then wants the tree: engine/disk.py passes it)."""
    def fill_disk(c, buf, tree=None):
        files = dict(files_fn(c))
        for name in programs:
            files[f"/bin/{name}"] = Path(tree, "build", "user", f"{name}.elf").read_bytes()
        data = build(files, len(buf) // block_size, block_size, inodes)
        buf[:len(data)] = data
        buf[len(data):] = bytes(len(buf) - len(data))
    fill_disk.wants_tree = bool(programs)
    return fill_disk


# --- checking -----------------------------------------------------------------------

class _Image:
    """data in a file of a fresh folder, removed on leaving."""

    def __init__(self, data):
        self.data = data

    def __enter__(self):
        self.folder = tempfile.TemporaryDirectory(prefix="minim-ext2-")
        self.path = Path(self.folder.name, "image")
        self.path.write_bytes(self.data)
        return self

    def __exit__(self, *_):
        self.folder.cleanup()

    def run(self, name, *args):
        return _run(name, [*args, str(self.path)], self.folder.name)


def _e2fsck(img, mode):
    """e2fsck -f<mode> on img: (status, its complaint lines) or a Problem."""
    ran = img.run("e2fsck", "-f" + mode)
    if isinstance(ran, Problem):
        return ran
    status, out, err = ran
    lines = [line for line in _tidy((out + err).splitlines(), img.path)
             if not re.match(r"e2fsck \d|Pass \d|image: \d+/\d+ files", line)]
    return status, lines


def fsck(data):
    """[] if e2fsck -fn finds data clean; else its first complaint lines. Anything it
    says beyond its pass and summary lines is a complaint, whatever its status: with a
    bad primary superblock or group descriptors it checks the backups instead and may
    end with 0 ("trying backup blocks..."), but the guest reads the primary."""
    with _Image(data) as img:
        ran = _e2fsck(img, "n")
    if isinstance(ran, Problem):
        return [ran]
    status, lines = ran
    if status == 0 and not lines:
        return []
    return (lines or [f"e2fsck -fn ended with status {status}"])[:PROBLEMS_SHOWN]


def repair(data):
    """(the image e2fsck -fy left, []) when it can be repaired: e2fsck -fy ends with
    status 0 (clean) or 1 (repaired), at the second run if the first left errors (it
    sometimes needs two, as its manual says), and e2fsck -fn then finds the result
    clean. (None, problems) otherwise."""
    with _Image(data) as img:
        for _ in range(2):
            ran = _e2fsck(img, "y")
            if isinstance(ran, Problem):
                return None, [ran]
            status, lines = ran
            if status in (0, 1):
                break
        else:
            said = [f"e2fsck -fy could not repair it (status {status})"] + lines
            return None, said[:PROBLEMS_SHOWN]
        repaired = img.path.read_bytes()
    left = fsck(repaired)
    if left:
        return None, ["e2fsck -fy left errors: " + left[0]] + left[1:]
    return repaired, []


def fsck_repairable(data):
    """[] when repair() can repair data (or it is clean), else the problems."""
    return repair(data)[1]


def _request(path):
    """path quoted for a debugfs request; ValueError for a path no test should ask."""
    if not isinstance(path, str) or not path.startswith("/") \
            or any(c in path for c in '"\n\r\0'):
        raise ValueError(f"path {path!r}: absolute, without quotes or newlines")
    return f'"{path}"'


def _debugfs(img, request):
    """(stdout, error lines) of one debugfs request, or a Problem if debugfs failed
    or could not open the image. debugfs -R exits 0 whatever happened: its errors
    are lines on stderr after its version banner."""
    ran = img.run("debugfs", "-R", request)
    if isinstance(ran, Problem):
        return ran
    status, out, err = ran
    errors = [line for line in _tidy(err.splitlines(), img.path)
              if not re.match(r"debugfs \d", line)]
    if status != 0 or any("while trying to open" in e or "not open" in e
                          for e in errors):
        return Problem(_said("debugfs", errors, status))
    return out, errors


def _absent(errors, path):
    """Whether debugfs's errors say path names nothing (ENOENT or ENOTDIR on the way)."""
    return any(e.startswith(path + ":") and ("File not found" in e
                                              or "not a directory" in e) for e in errors)


TYPES = {"regular": "file", "directory": "dir", "symlink": "symlink"}


def _stat(img, path):
    ran = _debugfs(img, "stat " + _request(path))
    if isinstance(ran, Problem):
        return ran
    out, errors = ran
    if _absent(errors, path):
        return None
    head = re.search(r"Inode: (\d+)\s+Type: (.+?)\s+Mode:\s+([0-7]+)", out)
    size = re.search(r"\bSize: (\d+)", out)
    links = re.search(r"Links: (\d+)\s+Blockcount: (\d+)", out)
    if errors or not (head and size and links):
        return Problem(f"debugfs stat {path}: " + ("; ".join(errors) or "no inode shown"))
    return {"size": int(size[1]), "links": int(links[1]), "blocks": int(links[2]),
            "mode": int(head[3], 8), "type": TYPES.get(head[2], "other"),
            "inode": int(head[1])}


def stat(data, path):
    """path's inode: {size (bytes), links, blocks (i_blocks: 512-byte units, indirect
    blocks included, as stat(2)'s st_blocks), mode (permission bits, 0o644), type
    ("file", "dir", "symlink" or "other"), inode (its number)}; None if path names
    nothing; a Problem if the image cannot say."""
    with _Image(data) as img:
        return _stat(img, path)


def read_file(data, path):
    """The bytes of the regular file path; None if path names nothing; a Problem if
    it is not a regular file or its data cannot be read whole."""
    with _Image(data) as img:
        st = _stat(img, path)
        if st is None or isinstance(st, Problem):
            return st
        if st["type"] != "file":
            return Problem(f"{path} is a {st['type']}, not a file")
        out = Path(img.folder.name, "dumped")
        ran = _debugfs(img, f"dump -p {_request(path)} \"{out}\"")
        if isinstance(ran, Problem):
            return ran
        if ran[1] or not out.exists():
            return Problem(f"debugfs dump {path}: " + ("; ".join(ran[1]) or "no output"))
        content = out.read_bytes()
    if len(content) != st["size"]:
        return Problem(f"{path}: {len(content)} bytes read, i_size {st['size']}")
    return content


LS_LINE = re.compile(r"/(\d+)/([0-7]+)/(\d+)/(\d+)/(.*)/(\d*)/")


def listdir(data, path):
    """The names in directory path, in the order of its entries, without "." and
    ".."; None if path names nothing; a Problem if it is not a directory or its
    entries cannot be read."""
    with _Image(data) as img:
        st = _stat(img, path)
        if st is None or isinstance(st, Problem):
            return st
        if st["type"] != "dir":
            return Problem(f"{path} is a {st['type']}, not a directory")
        ran = _debugfs(img, "ls -p " + _request(path))
    if isinstance(ran, Problem):
        return ran
    out, errors = ran
    if errors:
        return Problem(f"debugfs ls {path}: " + "; ".join(errors))
    names = []
    for line in out.splitlines():
        if not line:
            continue
        entry = LS_LINE.fullmatch(line)
        if entry is None:
            return Problem(f"debugfs ls {path}: cannot parse {line[:80]!r}")
        if entry[5] not in (".", ".."):
            names.append(entry[5])
    return names


def free_counts(data):
    """FreeCounts: free blocks and inodes by the superblock and summed over the group
    descriptors (dumpe2fs); a Problem if dumpe2fs cannot read them all."""
    with _Image(data) as img:
        ran = img.run("dumpe2fs")
        if isinstance(ran, Problem):
            return ran
        status, out, err = ran
        errors = [line for line in _tidy(err.splitlines(), img.path)
                  if not re.match(r"dumpe2fs \d", line)]
    if status != 0 or errors:
        return Problem(_said("dumpe2fs", errors, status))
    header, _, groups = out.partition("\nGroup 0:")
    fields = dict(re.findall(r"^([A-Za-z ]+):\s+(\d+)$", header, re.M))
    per_group = re.findall(r"^\s+(\d+) free blocks, (\d+) free inodes,", groups, re.M)
    try:
        total = int(fields["Block count"]) - int(fields["First block"])
        expected = -(-total // int(fields["Blocks per group"]))
        counts = FreeCounts(int(fields["Free blocks"]), int(fields["Free inodes"]),
                            sum(int(b) for b, _ in per_group),
                            sum(int(i) for _, i in per_group))
    except (KeyError, ZeroDivisionError):
        return Problem("dumpe2fs: no free counts in its output")
    if len(per_group) != expected:
        return Problem(f"dumpe2fs: {len(per_group)} groups shown, {expected} expected")
    return counts


# --- a seed corpus ----------------------------------------------------------------

def seed_images():
    """{file name: image} of small images for a fuzzer's seed corpus."""
    text = b"minim ext2 seed\n" * 8
    some = {"/README": text, "/etc/motd": b"hello\n", "/empty": b"", "/d": None,
            "/bin/x": bytes(range(256)) * 20}
    deep = {"/" + "/".join(f"d{i}" for i in range(1, depth + 1)) + "/f": b"%d\n" % depth
            for depth in (4, 12)}
    return {
        "small-1k.img": build(some, 256),
        "small-4k.img": build(some, 64, block_size=4096),
        "dind-1k.img": build({"/big": bytes(range(251)) * 1200, "/a": text}, 512),
        "deep-1k.img": build(deep, 256, inodes=64),
    }


def seeds(folder):
    """Writes seed_images() into folder (made if missing); their paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in seed_images().items():
        paths.append(folder / name)
        paths[-1].write_bytes(data)
    return paths
