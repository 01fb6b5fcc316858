"""Solution regions: the markers that cut the reference kernel into student labs.

The reference is the only source. Each region a student writes is marked in C source
(.c, .h, .S) with its lab number, and carries the stub the student sees instead:

    /* LAB 2 BEGIN: the free list */
    ...solution lines...
    /* LAB 2 STUB
    ...stub lines, verbatim (no star-slash in them)...
    */
    /* LAB 2 END */

What a reader must know: every marker stands alone on its line, and a region is only
ever rendered from a file that parsed without a problem, so render() trusts parse().
Each labs/lab<n>/manifest.toml lists exactly the files that hold lab-n regions.

    markers.py lint [ROOT]   check every marker and manifest; exit 1 on any problem
    markers.py list [ROOT]   one line per region: lab file:line title
"""

import argparse
import os
import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

SUFFIXES = (".c", ".h", ".S")
# Fixtures hold deliberately broken markers for the tests; build/ holds handouts.
SKIPPED = ("build/", "grade/test/fixtures/")
HANDOUT_STAMP = ".minim-handout"

# surrogateescape round-trips any byte, so text outside regions is copied exactly.
ENCODING = dict(encoding="utf-8", errors="surrogateescape")

_BEGIN = re.compile(r"(\s*)/\*\s*LAB (\d+) BEGIN(?::\s*(.*?))?\s*\*/\s*\Z")
_STUB = re.compile(r"\s*/\*\s*LAB (\d+) STUB\s*\Z")
_END = re.compile(r"\s*/\*\s*LAB (\d+) END\s*\*/\s*\Z")
_CLOSE = re.compile(r"\s*\*/\s*\Z")
# Anything that looks like a marker, so that a typo is an error, not silent code.
_LOOKS = re.compile(r"(?<!\w)LAB(?![A-Za-z_])\s*\S*\s+(?i:(BEGIN|STUB|END))(?!\w)")
_FORMS = {
    "BEGIN": "`/* LAB <n> BEGIN: <title> */`",
    "STUB": "`/* LAB <n> STUB`",
    "END": "`/* LAB <n> END */`",
}


@dataclass(frozen=True)
class Region:
    file: str  # relative to the root, with / separators
    lab: int
    title: str
    begin: int  # line numbers count from 1
    stub_at: int  # the `/* LAB n STUB` line; solution lines lie between it and begin
    stub: tuple  # the stub lines, verbatim with their line endings
    end: int
    indent: str  # the BEGIN line's, reused for the handout's comment lines


@dataclass(frozen=True)
class Problem:
    path: str
    line: int | None
    message: str

    def __str__(self):
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"


def split_lines(text):
    """Lines with their endings; unlike str.splitlines, a form feed is not a break."""
    parts = text.split("\n")
    return [p + "\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def is_marked_source(rel):
    """Whether the file at this root-relative path may hold regions."""
    parts = rel.split("/")
    return (rel.endswith(SUFFIXES) and ".git" not in parts
            and not rel.startswith(SKIPPED))


class _Open:
    """A region being read: the BEGIN seen, the STUB perhaps."""

    def __init__(self, lab, title, begin, indent):
        self.lab, self.title, self.begin, self.indent = lab, title, begin, indent
        self.stub_at = None
        self.stub = []
        self.stub_closed = False
        self.stray_reported = False


def _classify(body):
    """(kind, lab, match) for a marker line, (None, ...) for others; raises on a bad one."""
    for kind, pattern in (("BEGIN", _BEGIN), ("STUB", _STUB), ("END", _END)):
        m = pattern.match(body)
        if m:
            return kind, int(m.group(2 if kind == "BEGIN" else 1)), m
    looks = _LOOKS.search(body)
    if not looks:
        return None, None, None
    form = _FORMS[looks.group(1).upper()]
    if re.search(r"LAB\s+(?i:BEGIN|STUB|END)", body):
        raise ValueError(f"marker has no lab number (expected {form} alone on its line)")
    raise ValueError(f"malformed marker (expected {form} alone on its line)")


def parse(text, path):
    """Regions and problems of one file's text; path is only used to name them."""
    regions, problems, stack = [], [], []

    def problem(line, message):
        problems.append(Problem(path, line, message))

    for no, line in enumerate(split_lines(text), 1):
        body = line.rstrip("\r\n")
        top = stack[-1] if stack else None
        if top and top.stub_at and not top.stub_closed:
            if _CLOSE.match(body):
                top.stub_closed = True
                continue
            if not _LOOKS.search(body):
                if "*/" in body:
                    problem(no, "a stub line cannot contain */ (it would end the STUB comment)")
                top.stub.append(line)
                continue
            problem(top.stub_at, f"the STUB part is not closed by a `*/` line before line {no}")
            top.stub_closed = True
        try:
            kind, lab, m = _classify(body)
        except ValueError as err:
            problem(no, str(err))
            continue
        if kind is None:
            if top and top.stub_closed and not top.stray_reported:
                problem(no, f"only `/* LAB {top.lab} END */` may follow the stub's `*/`")
                top.stray_reported = True
            continue
        if kind == "BEGIN":
            if top:
                problem(no, f"regions do not nest: the lab-{top.lab} region "
                            f"from line {top.begin} is still open")
            if not m.group(3):
                problem(no, f"BEGIN with no title (expected {_FORMS['BEGIN']})")
            stack.append(_Open(lab, m.group(3) or "", no, m.group(1)))
            continue
        if not top:
            problem(no, f"{kind} with no BEGIN")
            continue
        if lab != top.lab:
            problem(no, f"mismatched lab: {kind} says lab {lab}, "
                        f"its BEGIN (line {top.begin}) says lab {top.lab}")
        if kind == "STUB":
            if top.stub_at:
                problem(no, f"a second STUB in the region from line {top.begin}")
            else:
                top.stub_at = no
            continue
        stack.pop()
        if not top.stub_at:
            problem(top.begin, f"the region has no STUB part before its END (line {no})")
            continue
        regions.append(Region(path, top.lab, top.title, top.begin, top.stub_at,
                              tuple(top.stub), no, top.indent))
    for left in stack:
        problem(left.begin, f"BEGIN with no END (lab {left.lab})")
    problems.sort(key=lambda p: p.line)
    return regions, problems


def render(text, regions, level):
    """The file as a lab-`level` handout: regions of labs < level solved, others stubbed."""
    lines = split_lines(text)
    out, pos = [], 0
    for r in sorted(regions, key=lambda r: r.begin):
        out += lines[pos:r.begin - 1]
        if r.lab < level:
            out += lines[r.begin:r.stub_at - 1]
        else:
            begin = lines[r.begin - 1]
            eol = begin[len(begin.rstrip("\r\n")):]
            out.append(f"{r.indent}/* LAB {r.lab}: your code here \u2014 {r.title} */{eol}")
            out += r.stub
            out.append(f"{r.indent}/* LAB {r.lab}: end */{eol}")
        pos = r.end
    out += lines[pos:]
    return "".join(out)


def source_files(root):
    """Root-relative paths of every file that may hold regions, sorted."""
    found = []
    for top, dirs, files in os.walk(root):
        rel_top = Path(top).relative_to(root).as_posix()
        prefix = "" if rel_top == "." else rel_top + "/"
        dirs[:] = [d for d in dirs if d != ".git" and not f"{prefix}{d}/".startswith(SKIPPED)]
        found += [prefix + f for f in files if is_marked_source(prefix + f)]
    return sorted(found)


def read_text(path):
    return Path(path).read_text(**ENCODING)


def scan(root):
    """Regions and marker problems of the whole tree."""
    regions, problems = [], []
    for rel in source_files(root):
        r, p = parse(read_text(Path(root, rel)), rel)
        regions += r
        problems += p
    return regions, problems


def known_labs(root):
    """The lab numbers that have a labs/lab<n>/ folder, sorted."""
    labs = Path(root, "labs")
    if not labs.is_dir():
        return []
    return sorted(int(d.name[3:]) for d in labs.iterdir()
                  if d.is_dir() and re.fullmatch(r"lab\d+", d.name))


def handout_lab(root):
    """The lab a handout tree was cut for, or None for the reference."""
    stamp = Path(root, HANDOUT_STAMP)
    if not stamp.is_file():
        return None
    return tomllib.loads(stamp.read_text()).get("lab")


def _check_manifest(root, lab, regions):
    rel = f"labs/lab{lab}/manifest.toml"
    path = Path(root, rel)
    if not path.is_file():
        return [Problem(f"labs/lab{lab}/", None, "lab folder has no manifest.toml")]
    text = path.read_text()
    try:
        files = tomllib.loads(text).get("files", [])
    except tomllib.TOMLDecodeError as err:
        return [Problem(rel, None, f"not valid TOML: {err}")]
    if not (isinstance(files, list) and all(isinstance(f, str) for f in files)):
        return [Problem(rel, None, "`files` must be a list of paths")]

    def line_of(name):
        for no, line in enumerate(text.splitlines(), 1):
            if f'"{name}"' in line or f"'{name}'" in line:
                return no
        return None

    problems = []
    first = {}
    for r in regions:
        if r.lab == lab:
            first.setdefault(r.file, r)
    for name in files:
        if name not in first:
            what = "has no" if Path(root, name).is_file() else "does not exist, so has no"
            problems.append(Problem(rel, line_of(name), f"lists {name}, which {what} lab-{lab} region"))
    for name, r in first.items():
        if name not in files:
            problems.append(Problem(name, r.begin, f"lab-{lab} region, but {rel} does not list this file"))
    return problems


def lint(root):
    """Regions and every problem: markers, unknown labs, manifests."""
    regions, problems = scan(root)
    labs = known_labs(root)
    for r in regions:
        if r.lab not in labs:
            problems.append(Problem(r.file, r.begin, f"lab {r.lab} has no labs/lab{r.lab}/ folder"))
    for lab in labs:
        problems += _check_manifest(root, lab, regions)
    return regions, problems


def main(argv=None):
    parser = argparse.ArgumentParser(description="Check or list the solution regions.")
    parser.add_argument("command", choices=("lint", "list"))
    parser.add_argument("root", nargs="?", default=Path(__file__).resolve().parents[1])
    args = parser.parse_args(argv)
    root = Path(args.root)
    stamped = handout_lab(root)
    if stamped is not None:
        # A handout has had its markers replaced by stubs: there is nothing to check.
        print(f"markers: a lab-{stamped} handout, no solution regions here")
        return 0
    if args.command == "list":
        regions, problems = scan(root)
        for r in regions:
            print(f"{r.lab} {r.file}:{r.begin} {r.title}")
    else:
        regions, problems = lint(root)
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        print(f"markers: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    if args.command == "lint":
        files = len({r.file for r in regions})
        print(f"markers: {len(regions)} regions in {files} files, labs {known_labs(root)}, ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
