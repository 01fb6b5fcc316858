"""The Gradescope autograder zip, run as Gradescope runs it, grades a submission.

    gradescope_layout.py        (make check runs it; it needs QEMU)

What a reader must know: Gradescope unpacks the zip into /autograder/source, the
student's upload into /autograder/submission (often inside one folder), and reads
/autograder/results/results.json. Here that layout is made under a temporary folder
(AUTOGRADER_ROOT), with a lab-2 handout as the upload, zipped for labs 1 only: its
lab-1 code is solved, so it must score all of lab 1's points.
"""

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

GRADE_DIR = Path(__file__).resolve().parents[1]
ROOT = GRADE_DIR.parent
sys.path.insert(0, str(GRADE_DIR))

from engine import registry  # noqa: E402


def unzip(archive, into):
    """Extract keeping the mode bits, as Gradescope's unzip does."""
    with zipfile.ZipFile(archive) as z:
        for info in z.infolist():
            path = Path(z.extract(info, into))
            mode = info.external_attr >> 16
            if stat.S_ISREG(mode):
                path.chmod(mode & 0o777)


def main():
    lab1 = [t for t in registry.load(GRADE_DIR) if t.lab == 1]
    with tempfile.TemporaryDirectory(prefix="minim-gs-") as scratch:
        top = Path(scratch, "autograder")
        archive = Path(scratch, "autograder.zip")
        subprocess.run([sys.executable, str(GRADE_DIR / "gradescope.py"), "--lab", "1",
                        "--out", str(archive)], check=True, capture_output=True)
        unzip(archive, top / "source")
        upload = top / "submission" / "my-minim"
        subprocess.run([sys.executable, str(GRADE_DIR / "handout.py"), "--out", str(upload),
                        "--lab", "2", "--no-git", str(ROOT)], check=True, capture_output=True)
        shutil.rmtree(top / "source" / "build", ignore_errors=True)
        done = subprocess.run(["bash", str(top / "source" / "run_autograder")],
                              env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                                   "AUTOGRADER_ROOT": str(top), "HOME": scratch},
                              capture_output=True, text=True, timeout=600)
        results = top / "results" / "results.json"
        if not results.is_file():
            print(done.stdout + done.stderr)
            print("gradescope_layout: no results.json")
            return 1
        document = json.loads(results.read_text())
        want = sum(t.points for t in lab1)
        names = [t["name"] for t in document.get("tests", [])]
        if document.get("score") != want or len(names) != len(lab1):
            print(done.stdout + done.stderr)
            print(f"gradescope_layout: score {document.get('score')} of {want} expected, "
                  f"{len(names)} tests of {len(lab1)}")
            return 1
        print(f"gradescope_layout: the autograder scored the upload {want}/{want} "
              f"over {len(names)} tests")
        return 0


if __name__ == "__main__":
    sys.exit(main())
