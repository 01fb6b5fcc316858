"""A student's submission made into a tree the grader can trust, and built.

What a reader must know: of a submission only the files the lab manifests name as the
student's (labs/labN/manifest.toml `files`, N up to the lab graded) are read, as plain
bytes; everything else of the grading tree — the Makefile, grade/, the scenarios, every
header — comes from the official tree with every lab region stubbed (the base). So a
student's Makefile, extra grader module, shadowing header, extra scenario file, build/
with future timestamps or ready-made results.json is simply never there. The build runs
`make kernel user` in a clean environment, bounded in time and output; nothing of the
student's runs on the host (the compiler reads their C, the official Makefile drives it).
"""

import hashlib
import os
import shutil
import subprocess
import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

BUILD_TIMEOUT = 300          # seconds for `make kernel user`
FETCH_TIMEOUT = 120          # seconds for a git clone
OWNED_FILE_LIMIT = 1 << 20   # bytes: no student source file is near this
LOG_LIMIT = 64 << 10         # bytes of build output kept for the log
# The environment the build sees: nothing of the grader's caller (no CC, CFLAGS,
# MAKEFLAGS, PATH entries of its own); HOME and TMPDIR are set per build.
CLEAN_PATH = "/usr/local/bin:/usr/bin:/bin"
# What marks the top of a minim tree in a submission that nests it in a folder.
TREE_MARKS = ("Makefile", "kernel", "labs")


class SubmissionError(Exception):
    """The submission could not be fetched; the message says why."""


@dataclass
class Assembled:
    tree: Path
    # Notes for the student's log: an owned file missing, a link refused, ...
    notes: list[str] = field(default_factory=list)
    key: str = ""  # a digest of the owned files' contents: equal keys build alike


def owned_files(official, lab=None):
    """The student's files: every manifest's `files` for labs <= lab (all if None)."""
    files = set()
    for manifest in sorted(Path(official, "labs").glob("lab*/manifest.toml")):
        number = int(manifest.parent.name[3:])
        if lab is None or number <= lab:
            files.update(tomllib.loads(manifest.read_text()).get("files", []))
    return sorted(files)


def make_base(official, into):
    """The official tree with the student's regions stubbed: official itself if it is
    a handout (the Gradescope zip, an instructor's template repository: a missing
    file then gets what the handout gave), else a full handout cut from it."""
    import handout  # grade/handout.py; imported here, it pulls in markers
    import markers
    official = Path(official).resolve()
    if markers.handout_lab(official) is not None:
        return official
    base = Path(into) / "base"
    handout.make_handout(official, base, 1, use_git=False)
    return base


def _git_env():
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env["GIT_TERMINAL_PROMPT"] = "0"  # a private URL fails instead of asking
    return env


def fetch(submission, into):
    """The folder holding the student's tree: a folder as given, or a clone of a git
    bundle or URL into `into`. Raises SubmissionError."""
    text = str(submission)
    path = Path(text)
    if path.is_dir():
        return tree_top(path)
    is_url = "://" in text or text.startswith("git@")
    if not (is_url or (path.is_file() and path.suffix == ".bundle")):
        raise SubmissionError(f"{text}: not a folder, a .bundle file or a git URL")
    clone = Path(into) / "clone"
    try:
        subprocess.run(["git", "clone", "--quiet", "--depth", "1", "--", text, str(clone)],
                       env=_git_env(), stdin=subprocess.DEVNULL, capture_output=True,
                       text=True, timeout=FETCH_TIMEOUT, check=True)
    except subprocess.CalledProcessError as err:
        raise SubmissionError(f"git clone failed: {err.stderr.strip()[-500:]}") from None
    except subprocess.TimeoutExpired:
        raise SubmissionError(f"git clone took over {FETCH_TIMEOUT}s") from None
    return tree_top(clone)


def tree_top(folder):
    """folder, or its only sub-folder when the tree was zipped inside one (as
    Gradescope's upload of a folder does)."""
    folder = Path(folder)
    if any((folder / mark).exists() for mark in TREE_MARKS):
        return folder
    subs = [p for p in folder.iterdir() if p.is_dir() and not p.is_symlink()
            and not p.name.startswith(".")]
    if len(subs) == 1 and any((subs[0] / mark).exists() for mark in TREE_MARKS):
        return subs[0]
    return folder


def assemble(base, student, owned, tree):
    """Write the grading tree: base, then each owned file read from student."""
    shutil.copytree(base, tree, symlinks=True,
                    ignore=shutil.ignore_patterns("build", ".git"))
    notes, digest = [], hashlib.sha256()
    for rel in owned:
        source, target = Path(student, rel), Path(tree, rel)
        content = _owned_content(source, rel, notes)
        if content is None:
            digest.update(f"{rel}\0stub\0".encode())
            continue
        target.unlink(missing_ok=True)
        target.write_bytes(content)
        digest.update(f"{rel}\0{len(content)}\0".encode() + content)
    return Assembled(Path(tree), notes, digest.hexdigest())


def _owned_content(source, rel, notes):
    """The bytes of one of the student's files, or None (with a note) to keep the stub."""
    if source.is_symlink():
        notes.append(f"{rel}: a symbolic link, not a file; the stub was used")
        return None
    if not source.is_file():
        notes.append(f"{rel}: missing; the stub was used")
        return None
    if source.stat().st_size > OWNED_FILE_LIMIT:
        notes.append(f"{rel}: over {OWNED_FILE_LIMIT} bytes; the stub was used")
        return None
    return source.read_bytes()


@dataclass(frozen=True)
class Build:
    ok: bool
    output: str  # the last LOG_LIMIT bytes of make's output
    error: str   # the first line that says what failed ("" when ok)


def build(tree):
    """`make kernel user` in tree with a clean environment; never raises for the
    student's mistakes."""
    with tempfile.TemporaryDirectory(prefix="minim-build-") as home:
        env = {"PATH": CLEAN_PATH, "HOME": home, "TMPDIR": home, "LANG": "C.UTF-8",
               "LC_ALL": "C.UTF-8"}
        try:
            done = subprocess.run(["make", "-C", str(tree), "kernel", "user"], env=env,
                                  stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, timeout=BUILD_TIMEOUT)
        except subprocess.TimeoutExpired as err:
            out = (err.stdout or b"").decode(errors="replace")[-LOG_LIMIT:]
            return Build(False, out, f"the build took over {BUILD_TIMEOUT}s")
    out = done.stdout.decode(errors="replace")[-LOG_LIMIT:]
    kernel = Path(tree, "build", "kernel32.elf")
    if done.returncode == 0 and kernel.is_file():
        return Build(True, out, "")
    return Build(False, out, first_error(out) or f"make exited with {done.returncode}")


def first_error(output):
    """The compiler's or make's first error line, for a one-line reason."""
    for line in output.splitlines():
        if ": error:" in line or ": fatal error:" in line or "undefined reference" in line:
            return line.strip()
    for line in output.splitlines():
        if line.startswith("make") and "Error" in line:
            return line.strip()
    return ""


def copy_build(built_tree, tree):
    """Reuse a build of the same owned files: the rest of both trees is the base."""
    shutil.copytree(Path(built_tree, "build"), Path(tree, "build"), symlinks=True)
