"""Collect the tests declared by the lab modules grade/labN.py, in order.

The order is lab number, then position in the module's TESTS list. Test
numbers ("lab.position") come from the full list, so they stay the same when
only some tests are selected.
"""

import importlib.util
import re
from pathlib import Path

from engine.test import Test

_LAB_FILE = re.compile(r"lab(\d+)\.py")


class RegistryError(Exception):
    """A lab module is broken; the message says which and how."""


def lab_files(grade_dir):
    """[(lab number, path)] for every labN.py in grade_dir, by number."""
    found = []
    for path in Path(grade_dir).iterdir():
        match = _LAB_FILE.fullmatch(path.name)
        if match:
            found.append((int(match.group(1)), path))
    return sorted(found)


def load(grade_dir):
    """Every test of every lab, in grading order."""
    tests = []
    for lab, path in lab_files(grade_dir):
        tests += _lab_tests(lab, path)
    seen = set()
    for test in tests:
        if test.name in seen:
            raise RegistryError(f"two tests are named {test.name!r}")
        seen.add(test.name)
    return tests


def numbers(tests):
    """{test name: "lab.position"}, position counted from 1 within a lab."""
    numbered, count = {}, {}
    for test in tests:
        count[test.lab] = count.get(test.lab, 0) + 1
        numbered[test.name] = f"{test.lab}.{count[test.lab]}"
    return numbered


def _lab_tests(lab, path):
    spec = importlib.util.spec_from_file_location(f"lab{lab}", path)
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as err:
        # A ValueError from a Test's own checks lands here too.
        raise RegistryError(f"{path.name}: {err}") from err
    tests = getattr(module, "TESTS", None)
    if not isinstance(tests, list):
        raise RegistryError(f"{path.name}: needs a module-level list TESTS")
    for test in tests:
        if not isinstance(test, Test):
            raise RegistryError(f"{path.name}: TESTS holds {test!r}, not a Test")
        if test.lab != lab:
            raise RegistryError(
                f"{path.name}: test {test.name!r} says lab={test.lab}")
    return tests
