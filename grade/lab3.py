"""Lab 3's score sheet: threads, user mode and system calls.

Every scenario here is a user program: the grader boots the kernel with
build/user/utest.elf as boot module 0, the kernel loads it as the root task, and the
root task runs the scenario of the same name (user/tests/lab3_*.c). The root thread
runs at the highest priority and lowers itself to 1 to let the threads it started
run, so the order of events is exact. Three are kernel scenarios (kernel/test/lab3_*.c).

Every test is a seeded challenge: its expect is a function of the boot's Challenge that
draws in the scenario's order the values the scenario draws (counts, priorities, the
words threads are started with, bad arguments, addresses, register and page contents),
and returns the lines they give, so a transcript of another boot fails.
"""

import re
import struct
from fractions import Fraction
from functools import partial
from pathlib import Path

from engine import Test
from engine.challenge import WORD, digest
from engine.root_task import root_task_test
from engine.witness import Witness

# The reference's null system call (syscall, dispatch, sysret) takes 79 guest
# instructions, measured with rdtsc around the call minus rdtsc's own cost. The
# bound leaves room for a few more checks, not for a detour through the scheduler.
NULL_SYSCALL_BOUND = 150


# QEMU confirms the figure from outside the guest (grade/engine/witness.py): the
# instructions that really ran per round of the timed loop (100 warm-up rounds and the
# seed's 1,000 to 1,200), less the loop's and rdtsc's own, may exceed the figure by at
# most the tolerance. The reference: 94 per round for a figure of 79 (overhead 15).
NULL_WITNESS = Witness(figure="syscall_null_rtt", begin="utest_mark_begin",
                       end="utest_mark_end", rounds=lambda c: 100 + c.range(1000, 1200),
                       overhead=15, tolerance=8)


user_test = partial(root_task_test, 3)
# abi/syscall.h's SYSCALL_COUNT: one past the last system call's number.
SYSCALL_COUNT = 1 + max(int(n) for n in re.findall(
    r"X\((\d+),", (Path(__file__).resolve().parent.parent / "kernel" / "include" / "abi" /
                   "syscall.h").read_text()))
USER_TOP = 0x0000_8000_0000_0000
PAGE = 4096


def range_checks(c):
    """lab3_tests.c: nine kinds of range, their values drawn in this order, printed
    from a drawn kind on, round."""
    cases = []
    a = c.range(0x1000, USER_TOP - 0x100001)
    cases.append(("a range inside user space", a, c.range(1, 0x100000), True))
    k = c.range(1, 4096)
    cases.append(("the last bytes of user space", USER_TOP - k, k, True))
    k = c.range(1, 4096)
    cases.append(("one byte past them", USER_TOP - k, k + 1, False))
    a = USER_TOP + c.range(0, 0xFFFF)
    cases.append(("starting at or above USER_TOP", a, c.range(1, 4096), False))
    a = 0xFFFF_8000_0000_0000 + c.range(0, (1 << 47) - 1)
    cases.append(("a kernel address", a, c.range(1, 4096), False))
    a = c.range(0x1000, 0x7FFFFFFF)
    cases.append(("a length that wraps to a small end", a,
                  (-a + c.range(0, 0xFFF)) & WORD, False))
    a = c.range(0x1000, 0xFFFFF)
    cases.append(("a length that runs far past USER_TOP", a, c.range(USER_TOP, 1 << 63),
                  False))
    a = c.range(0, USER_TOP - 1)
    cases.append(("a length that reaches exactly USER_TOP", a, USER_TOP - a, True))
    cases.append(("an empty range", c.range(0, USER_TOP - 1), 0, True))
    first = c.range(0, len(cases) - 1)
    lines = []
    for i in range(len(cases)):
        what, addr, length, ok = cases[(first + i) % len(cases)]
        lines.append(rf"^range: {what}: {addr:x} \+ {length:x}: "
                     rf"{'accepted' if ok else 'refused'}$")
    return lines


def elf_checks(c):
    """lab3_elf_tests.c: the code's page, the entry, the UTCB covered; then each image
    draws its code word and its data word."""
    text = 0x400000 + c.range(0, 0x3FF) * PAGE
    entry = text + c.range(0, 0x1F)
    c.range(0, 511)  # the UTCB one refused image covers: nothing printed shows it
    load_top_below = USER_LOAD_TOP - PAGE
    code, data = c.next(), c.next()
    lines = [rf"^elf: a valid image: accepted, entry {entry:x}; {text:x} r-x {code:x}; "
             rf"{text + 0x1000:x} r-- {data:x}; {text + 0x2000:x} rw- {data:x}; "
             rf"{text + 0x3000:x} rw- 0$"]
    code, data = c.next(), c.next()
    lines.append(rf"^elf: data in the last page below the load top: accepted, entry "
                 rf"{text:x}; {text:x} r-x {code:x}; {load_top_below:x} rw- {data:x}$")
    for what, why in ELF_REFUSED:
        c.next(), c.next()
        lines.append(rf"^elf: {re.escape(what)}: refused \({re.escape(why)}\), error -1, "
                     r"0 pages mapped$")
    return lines


def memory_protection(c):
    """lab3_smap_tests.c: the user page's address, the word the kernel puts there, the
    word copy_to_user() writes."""
    va = 0x400000 + c.range(0, 0xFFF) * PAGE
    word, back = c.next(), c.next()
    return [r"^smap: CR4\.SMEP on, CR4\.SMAP on$",
            rf"^smap: the user page at {va:x} holds {word:016x}$",
            r"^smap: a kernel load from the user page faulted$",
            r"^smap: a kernel store to the user page faulted$",
            r"^smep: a kernel call into the user page faulted \(fetch\)$",
            r"^smap: a trap taken with AC set runs with AC clear; a load there faulted$",
            rf"^smap: copy_from_user -> 0, read {word:016x}$",
            rf"^smap: copy_to_user of {back:016x} -> 0; the page holds {back:016x}$"]

# elf_load_checks: the images the loader must refuse, and the reason elf_parse() gives
# (kernel/lib/elf_parse.c). USER_LOAD_TOP is abi/layout.h's: the UTCB area's base.
USER_LOAD_TOP = 0x7FFF_E000_0000
PAST_TOP = "p_vaddr + p_memsz: past the top of the load range"
SHARED_PAGE = "p_vaddr: a page shared with another segment"
ELF_REFUSED = [
    ("code and constants in one page", SHARED_PAGE),
    ("data over a UTCB", PAST_TOP),
    ("data ending 1 byte into the UTCB area", PAST_TOP),
    ("data over the stack's top", PAST_TOP),
    ("constants over the boot-info page", PAST_TOP),
    ("a writable, executable segment", "p_flags: both writable and executable"),
    ("code and data in one page", SHARED_PAGE),
    ("data, then code in its last page", SHARED_PAGE),
]


# Guest instructions a yield may take to hand the CPU to an equal, or to return alone:
# a time slice is 10 million, so a yield that waits for the timer is far over.
YIELD_BOUND = 100_000


def interleave(c):
    """lab3_threads.c: 2 to 4 threads, 2 to 5 rounds, a word for each thread; each
    prints its letter, the round and its word + the round, then yields."""
    threads, rounds = c.range(2, 4), c.range(2, 5)
    words = [c.next() for _ in range(threads)]
    return [*(rf"^interleave: {chr(65 + t)}{i} {(words[t] + i) & WORD:x}$"
              for i in range(rounds) for t in range(threads)),
            rf"^interleave: root runs again after all {threads}$"]


def priority(c):
    """The root's new priority, one thread above it, 3 to 5 distinct ones below; each
    thread's word; where among the others the one above is started."""
    root = c.range(10, 50)
    prios = [c.range(root + 1, 62)]
    for _ in range(c.range(3, 5)):
        p = c.range(2, root - 1)
        while p in prios[1:]:
            p = c.range(2, root - 1)
        prios.append(p)
    words = [c.next() for _ in prios]
    c.range(0, len(prios) - 1)  # the start order: the priorities decide the run order
    runs = [rf"^priority: the thread at {p} runs, word {w:x}$"
            for p, w in sorted(zip(prios[1:], words[1:]), reverse=True)]
    return [rf"^priority: the thread at {prios[0]} runs, word {words[0]:x}$",
            rf"^priority: root lowered itself to {root}$", *runs, r"^priority: root last$"]


def preempt(c):
    """1 to 3 spinners, each with a word; the watcher's token (odd)."""
    spinners = c.range(1, 3)
    words = [c.next() for _ in range(spinners)]
    token = c.next() | 1
    return [rf"^preempt: the watcher runs while {spinners} spinners spin; "
            rf"{spinners} of them have counted$",
            *(rf"^preempt: spinner {i} stopped when told: {token ^ w:x}$"
              for i, w in enumerate(words)),
            r"^preempt: done$"]


def yield_turns(c):
    """2 to 6 rounds; the yielder's word, the taker's: each round the taker leaves its
    word + the round, which the yielder prints XORed with its own."""
    rounds, mine, other = c.range(2, 6), c.next(), c.next()
    lines = [r"^yield: alone at its priority: returns 0$"]
    for i in range(rounds):
        lines += [rf"^yield: {i}: the other thread got the CPU$",
                  rf"^yield: {i}: the yielder runs again, the other left "
                  rf"{((other + i) & WORD) ^ mine:x}$"]
    return lines


def preempted_first(c):
    """lab3_sched.c: 2 to 4 runners, each with a word and the priority above its own of
    the thread it starts (its word ^ 0x5a5a); each runner goes on before the next."""
    n = c.range(2, 4)
    above = [(c.range(11, 62), c.next()) for _ in range(n)]
    lines = []
    for i, (prio, word) in enumerate(above):
        lines += [rf"^first: runner {i} runs$",
                  rf"^first: a thread at {prio}, started by runner {i}, runs at once, "
                  rf"word {word ^ 0x5A5A:x}$",
                  rf"^first: runner {i} goes on, before the runners behind it$"]
    return lines + [rf"^first: root runs again after all {n} runners$",
                    rf"^first: {2 * n + 1} threads of one task saw {2 * n + 1} distinct UTCBs "
                    rf"through %fs; {n} runners kept theirs after being preempted$"]


def slice_ticks(c):
    """lab3_sched.c: 3 spinners, 6 to 9 turns: round robin, 10 ticks a turn."""
    spinners, turns = 3, c.range(6, 9)
    order = " ".join(str(k % spinners) for k in range(turns))
    return [rf"^slice: {spinners} spinners, {turns} turns, in the order: {order}$",
            r"^slice: the turns after the first lasted \(ticks\): "
            + " ".join(["10"] * (turns - 2)) + "$"]


def thread_exit(c):
    """The exiter's word (it leaves word + 1), the returner's (word + 2), the word the
    dead thread is restarted with (it must not run)."""
    ex, ret = c.next(), c.next()
    return [r"^exit: the thread runs$", r"^exit: a thread whose function returns$",
            rf"^exit: both ended, leaving {(ex + 1) & WORD:x} and {(ret + 2) & WORD:x}; "
            r"starting the dead thread again: -10$",
            rf"^exit: what the exiter left after that: {(ex + 1) & WORD:x}$"]


def cross_task(c):
    """The root's own marker, the word the thread in the second task gets."""
    mine, word = c.next(), c.next()
    return [rf"^cross: a thread in the second task, arg {word:x}, its marker 1$",
            rf"^cross: it set its marker to {word ^ 0xC055:x}$",
            rf"^cross: the root's marker is still {mine:x}$"]


KERNEL_TEXT = 0xFFFF_FFFF_8000_0000
DIRECT_MAP = 0xFFFF_8000_0010_0000
NON_CANONICAL = 0x0000_8000_0000_0000
UNMAPPED = 0x0000_1000_0000_0000
FAULT = r"^fault: thread \d+ in task 1: "


def hello(c):
    """user/tests/hello.c: the word whose first 1 to 16 hex digits go out in one write."""
    word, digits = c.next(), c.range(1, 16)
    return [r"^hello from user mode$", rf"^hello: {f'{word:016x}'[:digits]}$",
            rf"^hello: debug_write of {7 + digits} bytes -> {7 + digits}$",
            r"^user: %fs:0 is the UTCB at 0x00007fffe0000000$"]


def bad_args(c):
    """lab3_syscalls.c: each bad value drawn from its kind, in the scenario's order."""
    lines = []
    v = c.range(1 << 16, (1 << 63) - 1)
    lines.append(rf"^bad: number {v:x}, past the last -> -5$")
    v = -c.range(1, 1 << 32) & WORD
    lines.append(rf"^bad: number {v:x}, negative -> -5$")
    v = (1 << 63) + c.range(0, 1 << 32)
    lines.append(rf"^bad: number {v:x}, 2\^63 or more -> -5$")
    lines.append(r"^bad: number 2\^63 -> -5$")
    lines.append(rf"^bad: number {SYSCALL_COUNT}, one past the last -> -5$")
    v = c.range(1, 0x7FFFFFFF) << 32
    lines.append(rf"^bad: number {v:x}, null's plus a multiple of 2\^32 -> -5$")
    for what, base, span in (("a kernel address", KERNEL_TEXT, 0x1FFFFF),
                             ("an unmapped address", UNMAPPED, 0x3FFF_FFFF_FFFF),
                             ("a non-canonical address", NON_CANONICAL,
                              0xFFFF_0000_0000_0000 - NON_CANONICAL - 1)):
        v = base + c.range(0, span)
        length = c.range(1, 64)
        lines.append(rf"^bad: write from {what}, {v:x} \+ {length} -> -6$")
    v = c.range(1, 8)
    length = v + c.range(1, 8)
    lines.append(rf"^bad: write of {length} bytes from {v} bytes before the end of "
                 r"user space -> -6$")
    length = WORD - c.range(0, 0xFFFF)
    lines.append(rf"^bad: write of a length that wraps, {length:x} -> -1$")
    length = 256 + c.range(1, 0xFFFFFF)
    lines.append(rf"^bad: write of {length} bytes, longer than the limit -> -1$")
    msg = "bad: a valid write of a drawn length\n"
    length = c.range(5, len(msg) - 1)
    lines += [rf"^{re.escape(msg[:length])}$", rf"^bad: a write of {length} bytes -> {length}$"]
    lines.append(rf"^bad: thread_create in slot {-c.range(1, 1 << 40)} -> -7$")
    lines.append(rf"^bad: thread_create in slot {c.range(4096, 1 << 40)}, past the table "
                 r"-> -7$")
    lines.append(rf"^bad: thread_create in slot {c.range(64, 127)}, empty -> -7$")
    lines += [r"^bad: thread_create in a thread's slot -> -8$",
              r"^bad: thread_create at priority 0 -> -1$",
              rf"^bad: thread_create at priority {c.range(64, WORD):x}, above PRIO_MAX -> -1$",
              rf"^bad: thread_start at kernel address {KERNEL_TEXT + c.range(0, 0x1FFFFF):x} "
              r"-> -1$",
              rf"^bad: thread_start with kernel stack {DIRECT_MAP + c.range(0, 0xFFFFFF) * 16:x}"
              r" -> -1$",
              r"^bad: thread_start of a task's slot -> -8$",
              r"^bad: thread_start of the running thread -> -10$",
              rf"^bad: thread_priority {c.range(64, WORD):x}, above one's own -> -1$",
              r"^bad: thread_priority of slot 0 -> -7$",
              rf"^bad: the thread started after all that runs with its word: {c.next():x}$",
              r"^bad: after all that, the null call -> 0$"]
    return lines


def kernel_pointer(c):
    """The kernel-text and direct-map addresses written from, the one read directly."""
    text = KERNEL_TEXT + c.range(0, 0x1FFFFF)
    direct = DIRECT_MAP + c.range(0, 0x3FFFFFF)
    read_at = DIRECT_MAP + c.range(0, 0x7FFFFF) * 8
    return [rf"^kptr: write from kernel text {text:x} -> -6$",
            rf"^kptr: write from the direct map {direct:x} -> -6$",
            rf"{FAULT}#PF page fault at rip [0-9a-f]+, address {read_at:x} "
            r"\(read, protection\); no pager; thread stopped$",
            r"^kptr: root still running$"]


def fault_contained(c):
    """The address read (below the image), the offset written into its own code, and
    the victims' order (a Fisher-Yates shuffle, from the last)."""
    address = c.range(0, 0x400000 - 1)
    c.range(0, 63)  # the offset: the victim prints the address it writes
    lines = {
        "read": [rf"^fault: reading address {address:x}$",
                 rf"{FAULT}#PF page fault at rip [0-9a-f]+, address {address:x} "
                 r"\(read, not present\); no pager; thread stopped$"],
        "divide": [rf"{FAULT}#DE divide error at rip [0-9a-f]+; no exception handler; "
                   r"thread stopped$"],
        "ud2": [rf"{FAULT}#UD invalid opcode at rip [0-9a-f]+; no exception handler; "
                r"thread stopped$"],
        "write": [r"^fault: writing to my own code at (?P<text>[0-9a-f]+)$",
                  rf"{FAULT}#PF page fault at rip [0-9a-f]+, address <<text>> "
                  r"\(write, protection\); no pager; thread stopped$"],
    }
    order = c.shuffled(lines)
    return [*(line for v in order for line in lines[v]),
            r"^fault: root still running after 4 faults$"]


def fuzz(c):
    """The calls' random sequence (its state), their number, the last thread's word."""
    c.next()
    calls, word = c.range(2000, 3000), c.next()
    return [rf"^fuzz: {calls} random calls made, \d+ failed with an error$",
            r"^fuzz: \d+ threads started, \d+ tasks made$",
            r"^fuzz: the kernel still answers: null -> 0$",
            rf"^fuzz: a thread started after them runs with its word: {word:x}$"]


def null_cost(c):
    """The number of timed runs, after 100 to warm up."""
    calls = 100 + c.range(1000, 1200)
    return [rf"^null: {calls} calls, {calls} returned 0$"]


def fuzz_concurrent(c):
    """fuzz_mt.c: a word for each of the three workers; it sets the calls it makes and
    the endpoints it keeps after cleaning up (which the kernel's count must show)."""
    words = [c.next() for _ in range(3)]
    calls = sum(1000 + (w >> 32) % 501 for w in words)
    kept = sum((w >> 60) % 4 + 1 for w in words)
    return [rf"^fuzz: 3 workers in 3 tasks made {calls} calls with their helpers; "
            r"all ended: yes$",
            rf"^fuzz: kernel objects when all is deleted but the {kept} endpoints kept: "
            rf"before \+ {kept}$",
            r"^fuzz: live threads: before \+ 0$",
            r"^fuzz: the kernel still answers: null -> 0$"]


def debug_cap(c):
    """lab3_debug.c: the status asked for, a slot past the table, the last slot the
    second task tries (from -1)."""
    status, far, last = c.range(1, 255), c.range(128, 1 << 40), c.range(64, 255)
    return [rf"^debug: the root names its task capability, status {status} -> -8$",
            r"^debug: the root names slot 0 -> -7$", rf"^debug: the root names slot {far} -> -7$",
            rf"^debug: the second task tried {last + 2} slots; {last + 2} answered -7$",
            r"^debug: the root runs on, and ends the run itself$"]



def fpu_words(k):
    """lab3_fpu.c's values_of(k), in fpu_digest()'s order: cw, mxcsr, st(0), mm1, mm2,
    xmm0-15 (low, high)."""
    def pattern(reg):
        x = ((k ^ (reg * 0x9E3779B97F4A7C15 & WORD)) * 0xBF58476D1CE4E5B9) & WORD
        return x ^ (x >> 29) | 1
    return [0x027F | (k % 4) << 10, 0x9F80 | (k // 4 % 4) << 13, pattern(0) >> 2,
            *(pattern(r) for r in range(1, 3 + 32))]


def fpu_switch(c):
    """A word for each of threads A, B and C: it gives the thread's register values, and
    C's the yields each makes (2 to 4); each prints the digests of what it reads back."""
    words = [c.next() for _ in range(3)]
    clean = r"starts with fcw 37f, fsw 0, ftw 0, mxcsr 1f80; 0 st bytes and 0 xmm bytes not 0$"

    rounds = 2 + (words[2] >> 61) % 3

    def verdict(name, where, k):
        return [rf"^fpu: thread {name}{where} reads back after {rounds} yields: "
                rf"{digest(fpu_words(k) * rounds):x}$",
                rf"^fpu: thread {name} was preempted while it spun: yes; reads back after: "
                rf"{digest(fpu_words(k)):x}$"]
    return [rf"^fpu: a new thread in another task {clean}",
            rf"^fpu: a new thread in the same task {clean}",
            *verdict("C", r" \(another task\)", words[2]),
            *verdict("A", "", words[0]), *verdict("B", "", words[1])]


def fpu_exceptions(c):
    """The SSE division's word, then the order of the three victims (a Fisher-Yates
    shuffle, from the last)."""
    word = c.next()

    def signed32(x):
        return (x & 0xFFFFFFFF) - ((x & 0x80000000) << 1)
    a, b = signed32(word) | 1, signed32(word >> 32) | 1
    quotient = a / b
    mxcsr = 0x1F80 | 0x4 | (0 if Fraction(quotient) == Fraction(a, b) else 0x20)

    def bits(x):
        return struct.unpack("<Q", struct.pack("<d", x))[0]
    infinity = float("inf") if a > 0 else float("-inf")
    lines = {
        "sse": [rf"^fpu: SSE {a} / {b} = {bits(quotient):x}, {a} / 0 = {bits(infinity):x}, "
                rf"MXCSR {mxcsr:x}$"],
        "x87": [rf"{FAULT}#MF x87 floating-point error at rip [0-9a-f]+; "
                r"no exception handler; thread stopped$"],
        "avx": [rf"{FAULT}#UD invalid opcode at rip [0-9a-f]+; no exception handler; "
                r"thread stopped$"],
    }
    order = c.shuffled(lines)
    return [*(line for v in order for line in lines[v]),
            r"^fpu: root still running after 2 faults$"]


TESTS = [
    Test(
        name="user_range_checks", lab=3, points=5,
        description="user_range_ok() refuses every range that leaves user space, even by wrapping",
        expect=range_checks),
    Test(
        name="elf_load_checks", lab=3, points=5,
        description="the ELF loader maps a valid image and refuses segments over the "
                    "kernel's regions or with a writable, executable page",
        expect=elf_checks),
    user_test(
        "user_hello", 5, "the root task runs in user mode and finds its UTCB through %fs",
        hello),
    user_test(
        "threads_interleave", 10, "threads of one priority take turns when they yield",
        interleave),
    user_test(
        "threads_priority", 10,
        "the highest-priority ready thread runs first, and preempts at once",
        priority),
    user_test(
        "threads_preempt", 10, "the timer preempts threads that spin without yielding",
        preempt, timeout=20),
    user_test(
        "threads_yield", 5, "yield hands the CPU to an equal at once, and returns at once alone",
        yield_turns, figures={"yield_alone": YIELD_BOUND, "yield_handover": YIELD_BOUND}),
    user_test(
        "threads_preempted_first", 5,
        "a thread preempted by a higher priority goes on before the equals queued behind it",
        preempted_first),
    user_test(
        "threads_slice_ticks", 5,
        "threads that never yield take turns in order, each for one full slice of 10 ticks",
        slice_ticks, timeout=20),
    user_test(
        "threads_exit", 5, "an exited thread never runs again and cannot be restarted",
        thread_exit, forbid=[r"must not appear"]),
    user_test(
        "threads_cross_task", 10,
        "a thread in a second task runs in its own address space (CR3 switch)",
        cross_task),
    user_test(
        "user_fault_contained", 10,
        "faulting user threads are reported and stopped; the rest runs on",
        fault_contained),
    user_test(
        "fpu_switch", 10,
        "each thread keeps its own x87, MMX and SSE registers; a new thread starts clean",
        fpu_switch),
    user_test(
        "fpu_exceptions", 5,
        "SSE runs in user mode, x87 errors raise #MF, AVX raises #UD: all contained",
        fpu_exceptions),
    user_test(
        "syscall_bad_args", 15, "every malformed system call returns its error code",
        bad_args),
    user_test(
        "syscall_kernel_pointer", 5,
        "kernel addresses are refused by system calls and fault when touched",
        kernel_pointer, forbid=[r"must not appear"]),
    user_test(
        "syscall_fuzz", 10, "2,000 to 3,000 random system calls with hostile arguments: "
        "the kernel survives", fuzz, timeout=30),
    user_test(
        "syscall_fuzz_concurrent", 10,
        "workers in three tasks and their helper threads fuzz threads and capabilities at once",
        fuzz_concurrent, timeout=60),
    user_test(
        "debug_shutdown_needs_cap", 5,
        "only the root task's debug capability ends the run; other slots and tasks get errors",
        debug_cap),
    user_test(
        "syscall_null_cost", 5, "the null system call's round trip, in guest instructions",
        null_cost, figures={"syscall_null_rtt": NULL_SYSCALL_BOUND},
        witness=NULL_WITNESS),
]

# SMEP and SMAP (kernel/test/lab3_smap_tests.c): a kernel scenario, since only the
# kernel can try to use a user page by its address.
TESTS += [
    Test(
        name="user_memory_protection", lab=3, points=5,
        description="SMEP/SMAP: the kernel cannot load, store or run a user page, except through the copy routines",
        expect=memory_protection,
        forbid=[r"^EXCEPTION:"]),
]
