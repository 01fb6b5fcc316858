"""Each lab handout's "How it is graded" total matches its score sheet (grade/labN.py).

What a reader must know: the handout states the lab's points in one sentence ("... and
these, N points"); when tests are added to grade/labN.py the sentence must follow, or a
student plans against the wrong total. Labs whose handout states no total are skipped.
"""

import importlib
import re
import sys
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TOTAL = re.compile(r"`make grade LAB=(\d+)` runs [^.]*?these, (\d+) points")


class HandoutPoints(unittest.TestCase):
    def test_each_handout_total_is_its_score_sheet_sum(self):
        sys.path.insert(0, str(ROOT / "grade"))
        checked = 0
        for handout in sorted((ROOT / "handouts").glob("lab*.md")):
            found = TOTAL.search(handout.read_text().replace("\n", " "))
            if not found:
                continue
            lab, stated = int(found.group(1)), int(found.group(2))
            sheet = importlib.import_module(f"lab{lab}")
            total = sum(t.points for t in sheet.TESTS if t.lab == lab)
            with self.subTest(handout=handout.name):
                self.assertEqual(stated, total,
                                 f"{handout.name} says {stated} points; grade/lab{lab}.py "
                                 f"gives {total}")
            checked += 1
        self.assertGreater(checked, 0, "no handout states its total")


if __name__ == "__main__":
    unittest.main()
