"""Every conditional swapgs on a kernel entry path is fenced on both sides of its branch.

The swapgs variant of Spectre v1: the entry code decides from the saved CS whether to
swapgs, and the CPU may run ahead down the wrong side before the test resolves, doing
%gs-relative loads with the other GS base. An lfence on both sides, before anything
that loads through %gs or leaves the entry code, stops that. The one thing to know:
this reads the built kernel's machine code (objdump of build/kernel.elf), not the
source, so it checks what the CPU will run; the analysis itself is tested on small
disassemblies first, and the kernel check is skipped when the kernel is not built.
"""

import re
import shutil
import subprocess
import unittest

import engine_support  # noqa: F401  (sets up the import path)

from engine_support import GRADE_DIR

KERNEL = GRADE_DIR.parent / "build" / "kernel.elf"
OBJDUMP = shutil.which("x86_64-elf-objdump") or shutil.which("objdump")

# "ffffffff8010af84:\tje     ffffffff8010afb4 <trap_common+0x5b>"
_INSN = re.compile(r"^\s*([0-9a-f]+):\s+(\S+)\s*(.*)$")
_TARGET = re.compile(r"^([0-9a-f]+)\b")
_LEAVES = {"iretq", "iret", "iretl", "sysretq", "sysretl", "sysret"}
_STEPS = 400  # far more than any entry path; a path that runs longer counts as unfenced


def parse(disassembly):
    """[(address, mnemonic, operands)] of objdump -d output, in address order."""
    insns = []
    for line in disassembly.splitlines():
        m = _INSN.match(line)
        if m and not m.group(2).endswith(">:"):
            insns.append((int(m.group(1), 16), m.group(2), m.group(3).strip()))
    return insns


def _target(operands):
    m = _TARGET.match(operands)
    return int(m.group(1), 16) if m else None


def _ends(mnemonic, operands):
    """Why a path must be fenced before this instruction, or None."""
    if "%gs:" in operands:
        return "a %gs-relative access"
    if mnemonic.startswith("call"):
        return "a call"
    if mnemonic.startswith("ret"):
        return "a return"
    if mnemonic.startswith("jmp") and "*" in operands:
        return "an indirect jump"
    return None


def outcomes(insns, index_of, start):
    """How each path from instruction number `start` ends: (kind, swapped, address),
    kind "fenced" (an lfence first), "leaves" (iretq/sysretq first: back to user
    mode) or "unfenced"; swapped says a swapgs was passed on the way."""
    ends, todo, seen = [], [(start, False, 0)], set()
    while todo:
        i, swapped, steps = todo.pop()
        while True:
            if (i, swapped) in seen:
                break
            seen.add((i, swapped))
            if i >= len(insns) or steps > _STEPS:
                ends.append(("unfenced", swapped, insns[min(i, len(insns) - 1)][0]))
                break
            address, mnemonic, operands = insns[i]
            if mnemonic == "lfence":
                ends.append(("fenced", swapped, address))
                break
            if mnemonic in _LEAVES:
                ends.append(("leaves", swapped, address))
                break
            if _ends(mnemonic, operands):
                ends.append(("unfenced", swapped, address))
                break
            if mnemonic == "swapgs":
                swapped = True
            elif mnemonic.startswith("j"):
                target = index_of.get(_target(operands))
                if target is None:
                    ends.append(("unfenced", swapped, address))
                    break
                if mnemonic.startswith("jmp"):
                    i, steps = target, steps + 1
                    continue
                todo.append((target, swapped, steps + 1))
            i, steps = i + 1, steps + 1
    return ends


def swapgs_branches(insns):
    """[(branch address, its path ends)] for every conditional branch with a swapgs on
    one side after which the code stays in the kernel: an entry's swapgs. A branch
    whose swapgs is followed only by iretq/sysretq (an exit) needs no fence."""
    index_of = {address: i for i, (address, _, _) in enumerate(insns)}
    found = []
    for i, (address, mnemonic, operands) in enumerate(insns):
        if not mnemonic.startswith("j") or mnemonic.startswith("jmp"):
            continue
        target = index_of.get(_target(operands))
        if target is None:
            continue
        ends = outcomes(insns, index_of, i + 1) + outcomes(insns, index_of, target)
        if any(swapped and kind != "leaves" for kind, swapped, _ in ends):
            found.append((address, ends))
    return found


def unfenced(insns):
    """[(branch address, address of the first unfenced instruction)] over all
    entry swapgs branches, and how many such branches there are."""
    branches = swapgs_branches(insns)
    bad = [(branch, at) for branch, ends in branches
           for kind, _, at in ends if kind == "unfenced"]
    return bad, len(branches)


# The entry of today (fenced) and of before the fix, as objdump prints them.
_FENCED = """
ffffffff8010af7c:	testb  $0x3,0x90(%rsp)
ffffffff8010af84:	je     ffffffff8010afb4 <trap_common+0x5b>
ffffffff8010af86:	swapgs
ffffffff8010af89:	lfence
ffffffff8010af8c:	mov    %gs:0x0,%rax
ffffffff8010afb2:	jmp    ffffffff8010afb7 <trap_common+0x5e>
ffffffff8010afb4:	lfence
ffffffff8010afb7:	mov    %rsp,%rdi
ffffffff8010afba:	cld
ffffffff8010afbb:	call   ffffffff8010a0b0 <trap_dispatch>
"""
_UNFENCED = """
ffffffff8010ae2f:	testb  $0x3,0x90(%rsp)
ffffffff8010ae37:	je     ffffffff8010ae3c <trap_common+0x1f>
ffffffff8010ae39:	swapgs
ffffffff8010ae3c:	mov    %rsp,%rdi
ffffffff8010ae3f:	cld
ffffffff8010ae40:	call   ffffffff8010a0b0 <trap_dispatch>
"""
_ONE_SIDE = _FENCED.replace("ffffffff8010afb4:	lfence", "ffffffff8010afb4:	nop")
# An exit: the swapgs is followed by nothing but the return to user mode.
_EXIT = """
ffffffff8010afc0:	testb  $0x3,0x90(%rsp)
ffffffff8010afc8:	je     ffffffff8010afcd <trap_return+0xd>
ffffffff8010afca:	swapgs
ffffffff8010afcd:	pop    %r15
ffffffff8010afcf:	add    $0x10,%rsp
ffffffff8010afd3:	iretq
"""


class FenceAnalysis(unittest.TestCase):
    def test_fenced_entry_passes(self):
        self.assertEqual(unfenced(parse(_FENCED)), ([], 1))

    def test_unfenced_entry_is_caught_on_both_sides(self):
        bad, branches = unfenced(parse(_UNFENCED))
        self.assertEqual(branches, 1)
        self.assertEqual(sorted(at for _, at in bad), [0xffffffff8010ae40] * 2)

    def test_one_fenced_side_is_not_enough(self):
        bad, _ = unfenced(parse(_ONE_SIDE))
        self.assertEqual(bad, [(0xffffffff8010af84, 0xffffffff8010afbb)])

    def test_exit_swapgs_needs_no_fence(self):
        self.assertEqual(unfenced(parse(_EXIT)), ([], 0))


@unittest.skipUnless(KERNEL.exists() and OBJDUMP,
                     "needs build/kernel.elf (make kernel) and objdump")
class BuiltKernelFences(unittest.TestCase):
    def test_every_entry_swapgs_is_fenced_on_both_paths(self):
        text = subprocess.run([OBJDUMP, "-d", "--no-show-raw-insn", "-M", "att", str(KERNEL)],
                              check=True, capture_output=True, text=True).stdout
        bad, branches = unfenced(parse(text))
        self.assertGreater(branches, 0, "no conditional swapgs found in build/kernel.elf: "
                           "has trap_entry.S's entry changed shape?")
        self.assertEqual(bad, [], "a conditional swapgs whose branch reaches these "
                         "instructions with no lfence first: " +
                         ", ".join(f"branch {b:x} -> {a:x}" for b, a in bad))


if __name__ == "__main__":
    unittest.main()
