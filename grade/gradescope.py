#!/usr/bin/env python3
"""Builds the Gradescope autograder zip: `make gradescope [LAB=n]`.

    gradescope.py [--lab N] [--out build/gradescope.zip]

What a reader must know: the zip holds the official tree with every lab region
stubbed (no answer leaves the reference, even if the zip does), plus Gradescope's two
entry points at its top: setup.sh installs the kit's packages on Gradescope's Ubuntu
image, and run_autograder runs the pristine batch grader (grade/batch.py) on
/autograder/submission, writing /autograder/results/results.json. AUTOGRADER_ROOT
moves /autograder elsewhere, which is how the kit's own test runs it.
"""

import argparse
import stat
import sys
import tempfile
import zipfile
from pathlib import Path

GRADE_DIR = Path(__file__).resolve().parent
ROOT = GRADE_DIR.parent
sys.path.insert(0, str(GRADE_DIR))

import handout  # noqa: E402

SETUP = """#!/usr/bin/env bash
# Gradescope runs this once, as root, when the autograder image is built.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends make gcc binutils git ca-certificates \\
    qemu-system-x86 python3 python3-pexpect
"""

RUN = """#!/usr/bin/env bash
# Gradescope runs this for every submission. The grader is this zip's, run in isolated
# mode; nothing of the submission but the files the lab manifests name is used.
set -uo pipefail
top="${AUTOGRADER_ROOT:-/autograder}"
lab="%LAB%"
src="$top/source"
out="$(mktemp -d)"
mkdir -p "$top/results"
cd "$src"
sh grade/py -I grade/batch.py --official "$src" --out "$out" ${lab:+--lab "$lab"} \\
    --jobs "$(nproc)" "$top/submission"
status=$?
if [ -f "$out/submission/results.json" ]; then
    cp "$out/submission/results.json" "$top/results/results.json"
    cat "$out/submission/log.txt" 2>/dev/null | tail -n 60
else
    # The grader itself could not run: say so to the student, with a 0.
    printf '{"score": 0, "output": "minim autograder: the grader failed (status %s); tell your instructor"}\\n' \\
        "$status" > "$top/results/results.json"
fi
"""


def build_zip(out, lab):
    out = Path(out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="minim-gradescope-") as scratch:
        tree = Path(scratch, "source")
        handout.make_handout(ROOT, tree, 1, use_git=False)
        (tree / "setup.sh").write_text(SETUP)
        (tree / "run_autograder").write_text(RUN.replace("%LAB%", str(lab or "")))
        for name in ("setup.sh", "run_autograder"):
            (tree / name).chmod(0o755)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for path in sorted(tree.rglob("*")):
                if path.is_dir() or path.is_symlink():
                    continue
                info = zipfile.ZipInfo(path.relative_to(tree).as_posix())
                info.external_attr = (stat.S_IFREG | path.stat().st_mode & 0o777) << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(info, path.read_bytes())
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description="Build the Gradescope autograder zip.")
    parser.add_argument("--lab", type=int, help="grade labs 1..N (default: all)")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "gradescope.zip")
    args = parser.parse_args(argv)
    try:
        path = build_zip(args.out, args.lab)
    except handout.Refused as err:
        print(f"gradescope: {err}", file=sys.stderr)
        return 1
    labs = f"labs 1-{args.lab}" if args.lab else "every lab"
    print(f"gradescope: {path} (grades {labs}); upload it as the autograder's zip")
    return 0


if __name__ == "__main__":
    sys.exit(main())
