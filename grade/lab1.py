"""Lab 1's score sheet: boot, the console's printf, and traps.

Each Test is one QEMU boot of the scenario of the same name (kernel/test/lab1_tests.c).
Expectations are regexes matched in order against serial lines; `<<name>>` in a
pattern stands for what an earlier pattern captured as `(?P<name>...)`, so a
register dump must show the very address the kernel printed before the fault. Every
test is a seeded challenge: its expect is a function of the boot's Challenge, drawing
in the scenario's order, so the numbers, addresses and registers differ on every boot.
"""

import re
from pathlib import Path

from engine import Test

HEX16 = r"[0-9a-f]{16}"
WORD = (1 << 64) - 1
ROOT = Path(__file__).resolve().parent.parent
# lab1_tests.c's slot of the kernel half where nothing is ever mapped.
UNMAPPED_BASE, UNMAPPED_SIZE = 0xFFFFC00000000000, 1 << 39


def line(text):
    """A regex matching exactly the line text."""
    return "^" + re.escape(text) + "$"


def s32(v):
    """C's (int) of a 64-bit number: its low 32 bits, two's complement."""
    v &= 0xFFFFFFFF
    return v - (1 << 32) if v >= 1 << 31 else v


def s64(v):
    """C's (long) of a 64-bit number."""
    v &= WORD
    return v - (1 << 64) if v >= 1 << 63 else v


def boot_banner(c):
    """8 bytes of module 1 (grade/gdbinit) from each of 4 offsets the seed picks."""
    data = (ROOT / "grade" / "gdbinit").read_bytes()
    words = []
    for _ in range(4):
        at = c.range(0, len(data) - 8)
        word = int.from_bytes(data[at:at + 8], "little")
        words.append(line(f"boot: module 1 from byte {at}: {word:016x}"))
    return [
        r"^minim \S+ x86_64$",
        r"^boot: loader '[^']+', command line '.*test=boot_banner nonce=",
        r"^mem: (1[0-9]{5}|[2-9][0-9]{4}) KiB usable in [1-9][0-9]* regions, 2 boot modules$",
        r"^boot: module 0 'grade/grub\.cfg first module' at [0-9a-f]+000, [1-9][0-9]* bytes$",
        rf"^boot: module 1 'grade/gdbinit' at [0-9a-f]+000, {len(data)} bytes$",
    ] + words


def _number(c):
    """lab1_tests.c's draw_number(): a number of 1 to 64 significant bits."""
    bits = c.range(1, 64)
    return c.next() >> (64 - bits)


_CONVS = ["d", "u", "x", "X", "ld", "lu", "lx", "lX"]
_FLAGS = ["", "-", "0", "-0"]


def _conversion(c):
    """The line of print_drawn_conversion(): C's %d/%u/%x/%X of the drawn number."""
    conv, flags, width = _CONVS[c.range(0, 7)], _FLAGS[c.range(0, 3)], c.range(0, 22)
    v, negative = _number(c), c.next() & 1
    spec = "%" + flags + (str(width) if width else "") + conv
    if conv == "d":
        value = -(v & 0x7FFFFFFF) if negative else v & 0x7FFFFFFF
    elif conv == "ld":
        value = -(v & (WORD >> 1)) if negative else v & (WORD >> 1)
    elif conv in ("u", "x", "X"):
        value = v & 0xFFFFFFFF
    else:
        value = v
    return line(f"fmt {spec}: [{spec.replace('l', '') % value}]")


def _word(c):
    """lab1_tests.c's draw_word(): 1 to 12 lowercase letters."""
    return "".join(chr(ord("a") + c.range(0, 25)) for _ in range(c.range(1, 12)))


def printf_formats(c):
    """Fixed edge cases beside numbers, words, widths and flags drawn from the seed;
    Python's % agrees with C's for these conversions (the l is dropped)."""
    d, u, lu, ld, x, lx = s32(c.next()), c.next() & 0xFFFFFFFF, c.next(), s64(c.next()), \
        c.next() & 0xFFFFFFFF, c.next()
    w = _number(c) & 0xFFFF
    h = _number(c) & 0xFFFFFFFF
    hl = _number(c)
    lines = [
        line(f"fmt d: [0] [42] [-42] [2147483647] [-2147483648] [{d}]"),
        line(f"fmt u: [4294967295] [18446744073709551615] [0] [{u}] [{lu}]"),
        line(f"fmt ld: [-9223372036854775808] [9223372036854775807] [{ld}]"),
        line(f"fmt x: [beef] [BEEF] [123456789abcdef0] [0] [{x:x}] [{x:X}] [{lx:x}] "
             f"[{lx:X}]"),
        line("fmt width: [   42] [42   ] [00042] [-0042] [12345] "
             + "[%7d] [%-7d] [%07d] [%07d]" % (w, w, w, -w)),
        line("fmt hexpad: [00000abc] [abc     ] [00000000000000ff] "
             + "[%08x] [%-8x] [%016x] [%-16X]" % (h, h, hl, hl)),
        line("fmt flags: [42   ] [42   ] [abc   ] [-42  ] [-42   ] [  -42]"),
    ]
    lines += [_conversion(c) for _ in range(12)]
    ptr = _number(c)
    lines.append(line(f"fmt p: [0xffffffff80100000] [0x0000000000000000] [0x{ptr:016x}]"))
    word, text = _word(c), _word(c)
    ch = chr(ord("a") + c.range(0, 25))
    lines.append(line("fmt s: [minim] [     ipc] [ipc     ] [ok] [%%] [%s] [%8s] [%-8s] [%s]"
                      % (word, word, word, ch)))
    size, sd, sx = c.range(1, 16), c.range(0, 2_000_000) - 1_000_000, c.next() & 0xFFFFFFFF
    full = "%d-%x-%s" % (sd, sx, text)
    lines.append(line(f"fmt snprintf: [{full[:size - 1]}] {len(full)}"))
    lines.append(line("fmt snprintf: [-7-ff-truncated] 20"))
    return lines


def trap_breakpoint(c):
    """int3 `count` times; the handler sees rcx count down and sets rax and rdx."""
    count, rax, rdx, key = c.range(1, 5), c.next(), c.next(), c.next()
    lines = [rf"^breakpoint: int3 returns to (?P<after>{HEX16})$"]
    for left in range(count, 0, -1):
        lines.append(rf"^breakpoint: handler ran, vector 3, rip <<after>>, rcx {left}$")
        rax = (rax * 3 + rdx + key) & WORD
        rdx ^= rax
    lines.append(line(f"breakpoint: resumed, rax={rax:x}, rdx={rdx:x}, hits={count}"))
    return lines


def trap_stray_interrupt(c):
    """Vector 32, then 2 to 4 vectors from 32 to 255, each reported by number."""
    raised = c.range(2, 4)
    lines = [line(f"trap: spurious interrupt, vector {v}")
             for v in [32] + [c.range(32, 255) for _ in range(raised)]]
    return lines + [line(f"trap: resumed after {raised + 1} stray interrupts")]


def trap_invalid_opcode(c):
    """ud2 with rax, rbx and rcx from the seed: the dump shows them."""
    a, b, cx = c.next(), c.next(), c.next()
    return [
        rf"^trap: executing ud2 at (?P<rip>{HEX16})$",
        r"^EXCEPTION: #UD invalid opcode \(vector 6, error 0x0\)$",
        r"^  rip=<<rip>> cs=0008 ",
        line(f"  rax={a:016x} rbx={b:016x} rcx={cx:016x}"),
        r"^PANIC: unhandled exception in kernel mode$",
    ]


def trap_divide_error(c):
    """divq by rcx = 0 with rdx = 0; the seed gives the dividend rax, and rbx."""
    a, b = c.next(), c.next()
    return [
        rf"^trap: dividing by zero at (?P<rip>{HEX16})$",
        r"^EXCEPTION: #DE divide error \(vector 0, error 0x0\)$",
        r"^  rip=<<rip>> cs=0008 ",
        line(f"  rax={a:016x} rbx={b:016x} rcx=0000000000000000"),
        r"^  rdx=0000000000000000 rsi=",
        r"^PANIC: unhandled exception in kernel mode$",
    ]


def trap_page_fault(c):
    """A read or a write (the seed says which) at an unmapped address the seed picks."""
    va, write = UNMAPPED_BASE + c.range(0, UNMAPPED_SIZE - 8), c.next() & 1
    return [
        line(f"trap: {'writing to' if write else 'reading from'} {va:016x}"),
        rf"^EXCEPTION: #PF page fault \(vector 14, error 0x{2 if write else 0}\)$",
        rf"^  cr2={va:016x} ",
        line(f"  page fault: {'write to' if write else 'read from'} a not-present page "
             "in kernel mode"),
        r"^PANIC: unhandled exception in kernel mode$",
    ]


def trap_double_fault(c):
    """A push (of a word from the seed) onto an unmapped stack the seed picks: the
    #PF it raises cannot be delivered there either, so #DF reports rsp and cr2."""
    sp, word = UNMAPPED_BASE + (c.range(1, (UNMAPPED_SIZE >> 4) - 1) << 4), c.next()
    return [
        line(f"trap: switching to an unmapped stack at {sp:016x}"),
        r"^EXCEPTION: #DF double fault \(vector 8, error 0x0\)$",
        line(f"  rsp={sp:016x} ss=0010"),
        rf"^  rax={word:016x} ",
        rf"^  cr2={sp - 8:016x} ",
        r"^PANIC: unhandled exception in kernel mode$",
    ]


def trap_fixup(c):
    """Probes of seeded words and unmapped addresses; a faulted read keeps its output."""
    mapped = [c.next() for _ in range(8)]
    r, w = c.range(0, 7), c.range(0, 7)
    bad_read = UNMAPPED_BASE + c.range(0, UNMAPPED_SIZE - 8)
    bad_write = UNMAPPED_BASE + c.range(0, UNMAPPED_SIZE - 8)
    c.next()        # v's first value: the mapped read overwrites it
    value = c.next()
    v = mapped[r]
    return [
        line(f"probe: mapped read of word {r}: 1, value {v:x}"),
        line(f"probe: unmapped read at {bad_read:016x}: 0, value {v:x}"),
        line(f"probe: unmapped write at {bad_write:016x}: 0"),
        line(f"probe: mapped write of word {w}: 1, reads back {value ^ v:x}"),
    ]



_SANITIZED_FLAGS = ["", "-", "0", "-0", "0-"]


def printf_sanitized(c):
    """kernel/test/host/printf_test.c's lines: the widest values of each conversion in
    every padding, then conversions drawn from the seed; Python's % agrees with C's
    for these (the l is dropped), and the sanitizers stop the program at an overrun."""
    def fmt(spec, value):
        text = spec.replace("l", "") % value
        return line(f"fmt {spec}: [{text}] {len(text)}")
    lines = []
    for flags in _SANITIZED_FLAGS:
        for width in ("", "1", "19", "20", "21", "24", "40"):
            head = "%" + flags + width
            lines += [fmt(head + "ld", -(1 << 63)), fmt(head + "ld", (1 << 63) - 1),
                      fmt(head + "ld", -1), fmt(head + "lu", WORD), fmt(head + "lu", 0),
                      fmt(head + "lx", WORD), fmt(head + "d", -(1 << 31)),
                      fmt(head + "u", 0xFFFFFFFF)]
    convs = ["d", "i", "u", "x", "X", "ld", "lu", "lx", "lX"]
    for _ in range(200):
        conv, flags, width = convs[c.range(0, 8)], _SANITIZED_FLAGS[c.range(0, 4)], \
            c.range(0, 30)
        v, negative = _number(c), c.next() & 1
        if conv in ("d", "i"):
            value = -(v & 0x7FFFFFFF) if negative else v & 0x7FFFFFFF
        elif conv in ("u", "x", "X"):
            value = v & 0xFFFFFFFF
        elif conv == "ld":
            value = -(v & (WORD >> 1)) if negative else v & (WORD >> 1)
        else:
            value = v
        lines.append(fmt("%" + flags + (str(width) if width else "") + conv, value))
    return lines

TESTS = [
    Test(
        name="boot_banner", lab=1, points=5,
        description="the kernel boots, prints its banner, and reads the Multiboot memory map and modules",
        modules=["grade/grub.cfg first module", "grade/gdbinit"],
        expect=boot_banner,
    ),
    Test(
        name="printf_formats", lab=1, points=15,
        description="kprintf formats signed, unsigned, hex, widths, padding, pointers",
        expect=printf_formats,
    ),
    Test(
        name="printf_sanitized", lab=1, points=10, host="printf_test",
        description="printf's engine on the host under AddressSanitizer and UBSan: the "
                    "widest values, every flag and width, drawn conversions",
        expect=printf_sanitized,
    ),
    Test(
        name="trap_breakpoint", lab=1, points=15,
        description="int3 reaches its handler, which can change registers, and the code resumes",
        expect=trap_breakpoint,
    ),
    Test(
        name="trap_stray_interrupt", lab=1, points=5,
        description="an interrupt vector with no handler is reported, and the kernel goes on",
        expect=trap_stray_interrupt,
    ),
    Test(
        name="trap_invalid_opcode", lab=1, points=10, exit="panic",
        description="ud2 in the kernel: #UD is reported with the faulting rip, then a panic",
        expect=trap_invalid_opcode,
    ),
    Test(
        name="trap_divide_error", lab=1, points=10, exit="panic",
        description="a division by zero: #DE is reported with the registers at the fault",
        expect=trap_divide_error,
    ),
    Test(
        name="trap_page_fault", lab=1, points=10, exit="panic",
        description="a read or write at an unmapped address: #PF with its error code and cr2",
        expect=trap_page_fault,
    ),
    Test(
        name="trap_double_fault", lab=1, points=5, exit="panic",
        description="a fault with no usable stack: #DF is still reported, on its own IST stack",
        expect=trap_double_fault,
    ),
    Test(
        name="trap_fixup", lab=1, points=10,
        description="a fault at a probe instruction resumes at its fixup instead of panicking",
        expect=trap_fixup,
        forbid=[r"^EXCEPTION:"],
    ),
]

# kernel/arch/x86_64/trap.h's TRAP_FRAME_SIZE: a handler's frame on a fresh IST stack
# starts this far below its top.
TRAP_FRAME_SIZE = 176
_NOT_FIXED_UP = [(1, "#DB debug"), (2, "NMI"), (13, "#GP general protection"),
                 (18, "#MC machine check")]


def trap_fixup_vectors(c):
    """Per vector, 8 to 40 hand-made frames at listed instructions, rax from the seed:
    a handler ran (rax = 3 rax + key + vector) for each; for #PF, though it has one,
    none ran."""
    lines = [r"^fixup: (?P<n>[1-9][0-9]*) instructions listed$"]
    key = c.next()
    for vector, name in _NOT_FIXED_UP:
        trials, total = c.range(8, 40), 0
        for _ in range(trials):
            c.next()        # which listed instruction
            total += c.next() * 3 + key + vector
        lines.append(line(f"fixup: {name}, {trials} frames: handler ran {trials} times, "
                          f"rip kept {trials} times, rax sum {total & WORD:x}"))
    trials, total = c.range(8, 40), 0
    for _ in range(trials):
        c.next()
        total += c.next()
    lines.append(line(f"fixup: #PF page fault, {trials} frames: resumed at its fixup "
                      f"{trials} times, handler ran 0 times, rax sum {total & WORD:x}"))
    return lines


def trap_ist_stacks(c):
    """The IDT's and TSS's IST slots, then #DB, NMI and #MC raised in a seeded order."""
    lines = [r"^ist: vectors 1, 2, 8, 18: 4 distinct IST slots, 4 distinct usable stacks$"]
    order, key = [1, 2, 18], c.next()
    for i in (2, 1):
        j = c.range(0, i)
        order[i], order[j] = order[j], order[i]
    for v in order:
        rax = c.next() ^ ((key + v) & WORD)
        lines.append(line(f"ist: int ${v} ran its handler {TRAP_FRAME_SIZE} bytes below "
                          f"the top of its stack, rax {rax:x}"))
    return lines


# Trap entry hardening (kernel/test/lab1_entry_tests.c).
TESTS += [
    Test(
        name="trap_fixup_vectors", lab=1, points=5,
        description="only a page fault is fixed up: an NMI, #DB, #GP or #MC at a probe reaches its handler",
        expect=trap_fixup_vectors,
        forbid=[r"^EXCEPTION:"],
    ),
    Test(
        name="trap_ist_stacks", lab=1, points=5,
        description="#DB, NMI, #DF and #MC each switch to an IST stack of their own",
        expect=trap_ist_stacks,
    ),
]

# The IDT's gates (kernel/test/lab1_gate_tests.c).
_IST_OF = {1: 4, 2: 2, 8: 1, 18: 3}    # idt.c's ist_of: the vectors with a stack of their own


def _gate(v):
    return line(f"gate {v}: present, entry stub {v}, selector 8, type e, "
                f"dpl {3 if v == 3 else 0}, ist {_IST_OF.get(v, 0)}")


def trap_gate_descriptors(c):
    """All 256 gates tallied, then three exceptions and one interrupt vector the seed
    picks, field by field: only int3 is open to user code, every gate an interrupt gate."""
    return [
        line("gates: 256 present, 256 at their entry stubs, 256 with the kernel code "
             "selector, 256 interrupt gates"),
        line("gates: user code may raise 1 vectors with int: 3"),
        *(_gate(c.range(0, 31)) for _ in range(3)),
        _gate(c.range(32, 255)),
    ]


def trap_interrupts_off(c):
    """2 to 4 vectors from 32 to 255 raised with interrupts on; the handler's key and
    each rax from the seed: the handler runs with IF clear, the frame keeps it set."""
    raised, key = c.range(2, 4), c.next()
    lines = []
    for _ in range(raised):
        v, rax = c.range(32, 255), c.next()
        lines.append(line(f"irq: int ${v} with interrupts on: the handler ran with them off, "
                          f"the frame saved them on, back with them on; "
                          f"rax {rax ^ ((key + v) & WORD):x}"))
    return lines


TESTS += [
    Test(
        name="trap_gate_descriptors", lab=1, points=5,
        description="every IDT gate: present, its own entry stub, the kernel code selector, an "
                    "interrupt gate; only int3 open to user code (DPL 3)",
        expect=trap_gate_descriptors,
    ),
    Test(
        name="trap_interrupts_off", lab=1, points=5,
        description="a handler runs with interrupts off (interrupt gates), and the code it "
                    "interrupted gets them back on",
        expect=trap_interrupts_off,
        forbid=[r"^EXCEPTION:", r"^trap: spurious interrupt"],
    ),
]
