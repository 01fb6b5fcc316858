"""Writes a student tree: the reference with the solution regions of labs >= N stubbed.

    handout.py --out DIR [--lab N] [--force] [--no-git] [ROOT]

What a reader must know: outside the regions every file is copied byte for byte with its
mode, and the copy is refused while `markers.py lint` finds any problem, because a
region is only rendered from a file that parsed cleanly. Regions of labs < N stay
solved (start at any lab); the default N = 1 stubs every region (one tree for the
course). Instructor-only folders never leave the reference.
"""

import argparse
import os
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import markers

# Instructor material and this repository's own CI; build/ holds outputs, handouts included.
NEVER_COPIED = ("solutions/", ".ci/", "build/")
GIT_ID = ["-c", "user.name=minim", "-c", "user.email=minim@localhost", "-c", "commit.gpgsign=false"]


class Refused(Exception):
    """Why no handout was written."""


def git(cwd, *args):
    # GIT_DIR and friends, set when we run under a git hook, would point every
    # command at the calling repository instead of cwd.
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True).stdout


def is_git_checkout(root):
    if not shutil.which("git"):
        return False
    try:
        top = git(root, "rev-parse", "--show-toplevel").strip()
    except subprocess.CalledProcessError:
        return False
    return Path(top).resolve() == root


def listed_files(root):
    """Root-relative paths to copy: git's view of the tree when there is one."""
    if is_git_checkout(root):
        names = git(root, "ls-files", "-z", "--cached", "--others", "--exclude-standard").split("\0")
    else:
        names = []
        for top, dirs, files in os.walk(root):
            dirs[:] = [d for d in dirs if d != ".git"]
            names += [Path(top, f).relative_to(root).as_posix() for f in files]
    # A file deleted but still in git's index is listed; a submodule is a folder.
    return sorted(n for n in set(names)
                  if n and not n.startswith(NEVER_COPIED) and ".git" not in n.split("/")
                  and (Path(root, n).is_file() or Path(root, n).is_symlink()))


def prepare_out(root, out, force):
    """Make out an empty folder, or refuse."""
    if out == root or out in root.parents:
        raise Refused(f"{out} would contain the repository")
    build = root / "build"
    if root in out.parents and build not in out.parents:
        raise Refused(f"{out} is inside the repository; put it under {build}/ or outside")
    if out.exists() and not out.is_dir():
        raise Refused(f"{out} exists and is not a folder")
    if out.exists() and any(out.iterdir()):
        if not force:
            raise Refused(f"{out} is not empty (--force replaces it)")
        # --force must not wipe an arbitrary folder given by a typo.
        if not (out / markers.HANDOUT_STAMP).exists() and build not in out.parents:
            raise Refused(f"{out} is neither an earlier handout nor under {build}/; "
                          f"not emptying it even with --force")
        for child in out.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
    out.mkdir(parents=True, exist_ok=True)


def write_tree(root, out, names, regions, level):
    by_file = defaultdict(list)
    for r in regions:
        by_file[r.file].append(r)
    for name in names:
        src, dst = root / name, out / name
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_symlink():
            os.symlink(os.readlink(src), dst)
        elif name in by_file:
            text = markers.render(markers.read_text(src), by_file[name], level)
            dst.write_text(text, **markers.ENCODING)
            shutil.copymode(src, dst)
        else:
            shutil.copy(src, dst)


def commit(out, level):
    git(out, "init", "-q", "-b", "main")
    git(out, "add", "-A")
    git(out, *GIT_ID, "commit", "-q", "-m", f"minim handout (lab {level})")


def make_handout(root, out, level, force=False, use_git=True):
    """Write the lab-`level` handout of root into out; returns the summary line."""
    root, out = Path(root).resolve(), Path(out).resolve()
    if markers.handout_lab(root) is not None:
        raise Refused(f"{root} is itself a handout; cut handouts from the reference")
    labs = markers.known_labs(root)
    if level not in labs:
        raise Refused(f"there is no labs/lab{level}/ (labs: {labs})")
    regions, problems = markers.lint(root)
    if problems:
        raise Refused("the markers have problems (see markers.py lint):\n"
                      + "\n".join(map(str, problems)))
    prepare_out(root, out, force)
    names = listed_files(root)
    write_tree(root, out, names, regions, level)
    (out / markers.HANDOUT_STAMP).write_text(f"lab = {level}\n")
    history = "no git repository"
    if use_git and shutil.which("git"):
        try:
            commit(out, level)
        except subprocess.CalledProcessError as err:
            raise Refused(f"the tree is written, but git failed: {err.stderr.strip()}")
        history = "one git commit"
    stubbed = sum(r.lab >= level for r in regions)
    return (f"handout: lab {level} in {out}: {stubbed} regions stubbed, "
            f"{len(regions) - stubbed} kept solved, {len(names)} files written, {history}")


def main(argv=None):
    parser = argparse.ArgumentParser(description="Write a student tree from the reference.")
    parser.add_argument("--out", required=True, help="the folder to write")
    parser.add_argument("--lab", type=int, default=1,
                        help="the lab to start at: labs before it stay solved (default 1)")
    parser.add_argument("--force", action="store_true",
                        help="replace a non-empty --out (an earlier handout, or under build/)")
    parser.add_argument("--no-git", dest="use_git", action="store_false",
                        help="do not make the tree a git repository")
    parser.add_argument("root", nargs="?", default=Path(__file__).resolve().parents[1])
    args = parser.parse_args(argv)
    try:
        print(make_handout(args.root, args.out, args.lab, args.force, args.use_git))
    except Refused as err:
        print(f"handout: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
