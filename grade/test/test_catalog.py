"""The real catalog (grade/labN.py): what the trust model needs of every test, checked
without booting anything.

A transcript recorded from one boot, or canned, passes a test only if the test expects
the same lines on every boot; the cheat trees (cheat_trees.py) replay transcripts against
a sample of each lab's tests, and this checks every test: its expected lines are a
function of the seed, and differ between seeds.
"""

import unittest

from engine_support import GRADE_DIR

from engine import registry

SEEDS = [0x1, 0x2, 0x5EED, 0xC0FFEE, 0xFFFFFFFFFFFFFFFF, 0x123456789ABCDEF]


class EveryTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.catalog = registry.load(GRADE_DIR)

    def test_every_test_is_seeded(self):
        fixed = [t.name for t in self.catalog if not t.seeded]
        self.assertEqual(fixed, [], "tests whose expected lines do not depend on the seed")

    def test_the_expected_lines_change_with_the_seed(self):
        same = [t.name for t in self.catalog
                if len({t.patterns(seed) for seed in SEEDS}) == 1]
        self.assertEqual(same, [], f"tests that expect the same lines for seeds {SEEDS}")


if __name__ == "__main__":
    unittest.main()
