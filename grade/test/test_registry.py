"""Test descriptions and the lab-module registry, on lab files made on the fly.

Each case writes labN.py files into a temporary directory, so the real
grade/labN.py files (owned by the lab authors) never affect these tests.
"""

import tempfile
import textwrap
import unittest
from pathlib import Path

import engine_support  # noqa: F401  (puts grade/ on sys.path)

from engine import Test, registry


def lab_source(lab, *names):
    tests = ", ".join(f"Test(name={n!r}, lab={lab}, points=1)" for n in names)
    return f"from engine import Test\nTESTS = [{tests}]\n"


class TestDescription(unittest.TestCase):
    def test_defaults(self):
        test = Test(name="printf_formats", lab=1, points=5,
                    expect=["a"], extra_args=["x=1"])
        self.assertEqual(test.scenario, "printf_formats")
        self.assertEqual(test.exit, "clean")
        self.assertEqual(test.timeout, 15)
        self.assertEqual(test.expect, ("a",))
        self.assertEqual(test.extra_args, ("x=1",))
        self.assertEqual(hash(test), hash(Test(name="printf_formats", lab=1,
                                               points=5)))

    def test_mistakes_are_caught_when_declared(self):
        mistakes = [dict(name="has space"), dict(exit="crash"),
                    dict(expect=["(unclosed"]), dict(points=-1),
                    dict(expect=["x=<<later>>", "(?P<later>y)"]),
                    dict(expect=["(?P<a>x) <<b>>"]),
                    dict(timeout=0), dict(figures={"a b": 1}),
                    dict(figures={"ops": "10"}), dict(scenario="two words"),
                    dict(description="two\nlines")]
        for mistake in mistakes:
            fields = dict(name="t", lab=1, points=1)
            fields.update(mistake)
            with self.subTest(mistake=mistake):
                with self.assertRaises(ValueError):
                    Test(**fields)


class Registry(unittest.TestCase):
    def setUp(self):
        self.dir = Path(self.enterContext(tempfile.TemporaryDirectory()))

    def write(self, name, source):
        (self.dir / name).write_text(textwrap.dedent(source))

    def test_labs_in_numeric_order_tests_in_definition_order(self):
        self.write("lab10.py", lab_source(10, "late"))
        self.write("lab2.py", lab_source(2, "b2", "a2"))
        self.write("lab1.py", lab_source(1, "z1"))
        self.write("labnotes.py", "raise SystemExit('not a lab')")
        tests = registry.load(self.dir)
        self.assertEqual([t.name for t in tests], ["z1", "b2", "a2", "late"])
        self.assertEqual(registry.numbers(tests),
                         {"z1": "1.1", "b2": "2.1", "a2": "2.2", "late": "10.1"})

    def test_empty_lab(self):
        self.write("lab1.py", '"""Nothing yet."""\nTESTS = []\n')
        self.assertEqual(registry.load(self.dir), [])

    def test_broken_labs_are_reported(self):
        cases = {
            "two tests are named": lab_source(1, "same", "same"),
            "needs a module-level list TESTS": "x = 1\n",
            "not a Test": "TESTS = ['printf']\n",
            "says lab=2": lab_source(2, "wrong_lab"),
            "bad regex": "from engine import Test\n"
                         "TESTS = [Test(name='r', lab=1, points=1, "
                         "expect=['('])]\n",
        }
        for message, source in cases.items():
            self.write("lab1.py", source)
            with self.subTest(message=message):
                with self.assertRaisesRegex(registry.RegistryError,
                                            message):
                    registry.load(self.dir)


if __name__ == "__main__":
    unittest.main()
