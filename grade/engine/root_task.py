"""Tests whose scenario runs as a user program: the root task, and from lab 5 sigma0.

What a reader must know: such a test boots build/user/utest.elf as module 0 (and
build/user/sigma0.elf as module 1 when sigma0=True), and its expected lines start
with the kernel's report that it loaded them; the root task runs the user scenario
whose name is the test's. `expect` may be a function of the boot's Challenge (a
seeded test); the boot lines come first either way.
"""

from engine.test import Test

ROOT_ELF = "build/user/utest.elf"
SIGMA0_ELF = "build/user/sigma0.elf"
ROOT_LOADED = r"^root: task 1 from module 0 'build/user/utest\.elf', entry [0-9a-f]+$"
SIGMA0_STARTED = (r"^sigma0: task 2 from module 1 'build/user/sigma0\.elf', "
                  r"\d+ KiB of memory in \d+ ranges$")


def root_task_test(lab, name, points, description, expect, sigma0=False, **kw):
    """A Test of lab `lab` whose scenario `name` the root task runs."""
    modules = [ROOT_ELF, SIGMA0_ELF] if sigma0 else [ROOT_ELF]
    booted = [ROOT_LOADED, SIGMA0_STARTED] if sigma0 else [ROOT_LOADED]
    if callable(expect):
        lines = expect  # a seeded test: the boot lines, then what the seed gives

        def expect(challenge):
            return [*booted, *lines(challenge)]
    else:
        expect = [*booted, *expect]
    return Test(name=name, lab=lab, points=points, description=description,
                modules=modules, expect=expect, **kw)
