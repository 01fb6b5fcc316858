"""Tests whose scenario runs as a user program: the root task, and from lab 5 sigma0.

What a reader must know: such a test boots build/user/utest.elf as module 0 (and
build/user/sigma0.elf as module 1 when sigma0=True, then build/bootfs.tar when
bootfs=True), and its expected lines start with the kernel's report that it loaded
them; the root task runs the user scenario whose name is the test's. `expect` may be
a function of the boot's Challenge (a seeded test); the boot lines come first either
way. Labs 1-5 boot no bootfs: nothing of theirs may depend on it.
"""

from engine.test import Test
from engine.twin import Twin

ROOT_ELF = "build/user/utest.elf"
SIGMA0_ELF = "build/user/sigma0.elf"
ROOT_LOADED = r"^root: task 1 from module 0 'build/user/utest\.elf', entry [0-9a-f]+$"
SIGMA0_STARTED = (r"^sigma0: task 2 from module 1 'build/user/sigma0\.elf', "
                  r"\d+ KiB of memory in \d+ ranges$")
BOOTFS_TAR = "build/bootfs.tar"
# kernel/root.c copies it before sigma0 starts, so this line comes before sigma0's.
BOOTFS_MAPPED = (r"^bootfs: module \d+ 'build/bootfs\.tar', \d+ bytes, "
                 r"read-only at 7fff00000000$")


# Labs 4 and 5 run every scenario a second time with the fast path off, and the two boots
# must print the same lines (engine/twin.py): the fast path may change no result, no
# badge, no error code and no order in which threads run. kernel/main.c prints the proof.
GENERAL_PATH = Twin(args=("fastpath=0",), label="the general path alone (fastpath=0)",
                    proof=r"^ipc: the fast path is off \(fastpath=0\)$")


def root_task_test(lab, name, points, description, expect, sigma0=False, bootfs=False,
                   **kw):
    """A Test of lab `lab` whose scenario `name` the root task runs."""
    modules = [ROOT_ELF] + [SIGMA0_ELF] * sigma0 + [BOOTFS_TAR] * bootfs
    booted = [ROOT_LOADED] + [BOOTFS_MAPPED] * bootfs + [SIGMA0_STARTED] * sigma0
    if callable(expect):
        lines = expect  # a seeded test: the boot lines, then what the seed gives

        def expect(challenge):
            return [*booted, *lines(challenge)]
    else:
        expect = [*booted, *expect]
    return Test(name=name, lab=lab, points=points, description=description,
                modules=modules, expect=expect, **kw)
