"""Lab 2's score sheet: the physical frame allocator and the kernel's page table.

Each Test is one QEMU boot of the scenario of the same name (kernel/test/lab2_tests.c):
the frame tests run right after frame_init(), the paging tests after paging_init() has
switched to the kernel's own page table. The machine has
128 MiB of RAM, so about 32,400 frames are free when the scenarios start. Every test
is a seeded challenge: its expect is a function of the boot's Challenge, drawing in the
scenario's order (counts, contents, addresses), so a transcript of another boot fails.
"""

import re

from engine import Test
from engine.challenge import WORD, digest

PAGE = 4096
LARGE_PAGE = 2 << 20
# lab2_tests.c's test region: the rest of PML4 slot 0 from 256 GiB, nothing else there.
TEST_VA = TEST_SIZE = 0x0000004000000000
GOLDEN = 0x9E3779B97F4A7C15


def line(text):
    """A regex matching exactly the line text."""
    return "^" + re.escape(text) + "$"



def frame_alloc_basic(c):
    """3 to 48 frames, each filled with words from the seed before any is read back."""
    n, key = c.range(3, 48), c.next()
    words = (key ^ (i << 16 | j) for i in range(n) for j in range(PAGE // 8))
    return [
        r"^mem: (3[0-2]|2[89])[0-9]{3} frames free$",
        line(f"frames: {n} allocated: {n} aligned, {n} above 1 MiB, {n} outside the kernel, "
             f"{n} distinct"),
        rf"^frames: free (?P<n>\d+), {n} fewer after allocating$",
        line(f"frames: contents read back: digest {digest(words):x}"),
        rf"^frames: {n} freed; free <<n>>$",
    ]


def frame_alloc_exhaust(c):
    """Everything, then nothing; then, while empty, 1 to 256 handed back, some taken
    again, 1 to 256 more handed back: exactly those come out before it runs out."""
    back1 = c.range(1, 256)
    again1, back2 = c.range(0, back1), c.range(1, 256)
    return [
        r"^frames: allocated (?P<n>[1-9]\d+) of (?P=n) before running out, 0 duplicates$",
        r"^frames: one more allocation: 0$",
        line(f"frames: {back1} handed back while empty, {again1} taken again; {back2} more "
             f"handed back, then {back1 - again1 + back2} allocated before running out; "
             f"{back1 + back2} of them among those handed back"),
        r"^frames: all returned; free <<n>>$",
    ]


def frame_alloc_speed(c):
    """Between the timed loops, each of the 10,000 frames gets key + i * GOLDEN."""
    key = c.next()
    words = ((key + i * GOLDEN) & WORD for i in range(10_000))
    return [line(f"frames: 10000 allocated, first words read back: digest {digest(words):x}")]


def _test_page(c):
    """lab2_tests.c's draw_test_page()."""
    return TEST_VA + c.range(0, TEST_SIZE // PAGE - 1) * PAGE


def paging_map_page(c):
    """A page, its contents, a word written through it, and offsets from the seed."""
    va, word, word2 = _test_page(c), c.next(), c.next()
    at, byte = c.range(1, PAGE // 8 - 1), c.range(0, PAGE - 1)
    # The misaligned offset and the page inside a large page come next: only error
    # codes depend on them, and nothing is drawn after them.
    return [
        r"^paging: kernel page table at 0xffff8[0-9a-f]{11}, [1-9][0-9]+ frames free$",
        rf"^paging: map {va:x} -> [0-9a-f]+: 0$",
        line(f"paging: translate {va + byte:x}: the frame + {byte:x}"),
        line(f"paging: read through the new mapping: {word:x}"),
        line(f"paging: word {at} written, seen through the direct map: {word2:x}"),
        r"^paging: mapping it again: -3$",
        r"^paging: a misaligned address: -1$",
        r"^paging: walk into a large page: none$",
        r"^paging: unmap inside a large page: -4$",
        r"^paging: map inside a large page: -3$",
    ]


def paging_unmap_page(c):
    """A page and its word from the seed; after unmap the read faults (TLB flushed).
    Then a page in another 1 GiB (drawn last; only its error and cost are printed)."""
    va, word = _test_page(c), c.next()
    return [
        line(f"paging: read at {va:x}: 1, value {word:x}"),
        r"^paging: unmap: 0$",
        line(f"paging: read after unmap faulted, value {~word & WORD:x}"),
        r"^paging: translate after unmap: none$",
        r"^paging: unmap again: -4$",
        r"^paging: walk and unmap where no table is: none, -4, 0 frames used$",
    ]


def paging_table_reuse(c):
    """2 to 24 distinct pages of one 2 MiB region, each frame holding a seeded word."""
    c.range(0, TEST_SIZE // LARGE_PAGE - 1)
    n = c.range(2, 24)
    slot, words = list(range(PAGE // 8)), []
    for i in range(n):
        j = c.range(i, PAGE // 8 - 1)
        slot[i], slot[j] = slot[j], slot[i]
        words.append(c.next())
    return [
        line(f"paging: first page in a new region took 3 table frames, the other {n - 1} took 0"),
        line(f"paging: {n} pages read through their mappings: digest {digest(words):x}"),
    ]


def paging_tables_zeroed(c):
    """2 to 8 pages in a fresh region whose new tables were garbage frames."""
    c.range(0, TEST_SIZE // (1 << 30) - 1)
    n = c.range(2, 8)
    for _ in range(16):
        c.range(0x100, 0x7FFF)      # the garbage entries' frame
    words = []
    for _ in range(n):
        c.range(0, 1024 // 8 - 1)   # the page, in its eighth of 4 MiB
        words.append(c.next())
    return [line(f"paging: {n} pages mapped in a fresh region, {n} at their frames, "
                 f"digest {digest(words):x}; pages mapped around them: 0")]


def paging_stack_guard(c):
    """Pushes of a seeded word until the guard: #DF shows rax, rbx, rsp and cr2."""
    word, other = c.next(), c.next()
    return [
        r"^guard: stack guard page at (?P<guard>[0-9a-f]{16}) is unmapped$",
        r"^guard: the stack ends at (?P<end>[0-9a-f]{16}), "
        r"its last word at (?P<last>[0-9a-f]{16})$",
        r"^guard: pushing without end$",
        r"^EXCEPTION: #DF double fault \(vector 8, error 0x0\)$",
        r"^  rsp=<<end>> ss=0010$",
        rf"^  rax={word:016x} rbx={other:016x} rcx=",
        r"^  cr2=<<last>> ",
        r"^PANIC: unhandled exception in kernel mode$",
    ]


def paging_kernel_protection(c):
    """Seeded words of text and constants written; a seeded value written to data."""
    c.next()
    c.next()        # the text and read-only words: only whether they fault is printed
    value, low = c.next(), c.range(0, PAGE // 8 - 1) * 8
    return [
        r"^protect: write to kernel text faulted$",
        r"^protect: write to read-only data faulted$",
        r"^protect: write to a constant faulted, it holds c0ffee$",
        line(f"protect: write of {value:x} to data succeeded, it holds {value:x}"),
        line(f"protect: read of address {low:x} faulted"),
        r"^protect: data is no-execute, read-only data is no-execute, text is executable$",
        r"^protect: global pages: text yes, read-only data yes, data yes$",
    ]


def paging_prune_tables(c):
    """2 to 8 pages in up to 4 page tables of one directory, unmapped in a seeded
    order: a prune frees the page table its unmap emptied, the last one all three."""
    n = c.range(2, 8)
    region = []
    for _ in range(n):
        region.append(c.range(0, 3))
        c.range(0, 512 // 8 - 1)
    order = c.shuffled(range(n))
    lines = [line(f"prune: {n} pages in an empty slot: 0, {2 + len(set(region))} tables made"),
             line("prune: bytes of the pages translate to: digest "
                  f"{digest(c.range(0, PAGE - 1) for _ in range(n)):x}")]
    left = list(region)
    for k, page in enumerate(order):
        left.remove(region[page])
        freed = 0 if region[page] in left else 1
        if k == n - 1:
            freed = 3
        lines.append(line(f"prune: page {page} unmapped: {freed} paid-for tables freed, "
                          f"{freed} frames back"))
    return lines + [
        r"^prune: the kernel's own page: 0, 3 tables made; 0 paid-for tables freed, "
        r"3 frames back$",
        r"^prune: a map with one free frame: -2, 1 free after, slot empty$",
    ]


def paging_user_bit(c):
    """lab2_user_tests.c: two fresh 1 GiB regions, a page in each, a word in each."""
    c.range(0, 254)
    c.range(0, 262143)
    c.range(0, 262143)
    user, kernel = c.next(), c.next()
    return [
        r"^user: map with PTE_USER: 0, without: 0$",
        r"^user: the page mapped with PTE_USER, a kernel read with AC clear: faulted$",
        line(f"user: the page mapped with PTE_USER, a kernel read with AC set: read {user:x}"),
        line(f"user: the page mapped without it, a kernel read with AC clear: read {kernel:x}"),
    ]


# The reference allocator (a free list: O(1) per operation) takes 280,014 guest
# instructions for 10,000 allocations and 10,000 frees. A bitmap scanned from the
# start for every allocation needs millions; a bound of 3.5x the reference still
# lets any O(1) design with some checking pass.
FRAME_SPEED_BOUND = 1_000_000

TESTS = [
    Test(
        name="frame_alloc_basic", lab=2, points=10,
        description="frames come back distinct, aligned, outside the kernel, and return on free",
        expect=frame_alloc_basic,
    ),
    Test(
        name="frame_alloc_exhaust", lab=2, points=10,
        description="every free frame can be allocated exactly once; then 0, not a panic",
        expect=frame_alloc_exhaust,
    ),
    Test(
        name="frame_alloc_speed", lab=2, points=10,
        description="10,000 allocations and frees within the instruction budget (no linear scans)",
        expect=frame_alloc_speed,
        figures={"frame_alloc_free_10000": FRAME_SPEED_BOUND},
    ),
    Test(
        name="paging_map_page", lab=2, points=15,
        description="a new mapping reaches the frame both ways; remapping and misalignment are errors",
        expect=paging_map_page,
    ),
    Test(
        name="paging_unmap_page", lab=2, points=10,
        description="after unmap the page faults (the TLB was flushed) and a second unmap fails",
        expect=paging_unmap_page,
    ),
    Test(
        name="paging_table_reuse", lab=2, points=10,
        description="neighbouring pages share page tables: only the first mapping allocates them",
        expect=paging_table_reuse,
    ),
    Test(
        name="paging_prune_tables", lab=2, points=5,
        description="pt_prune() frees only tables left empty and counts only those paid for; "
                    "a failed map leaves no table",
        expect=paging_prune_tables,
    ),
    Test(
        name="paging_tables_zeroed", lab=2, points=5,
        description="a new page table starts empty, even when its frame held garbage",
        expect=paging_tables_zeroed,
    ),
    Test(
        name="paging_stack_guard", lab=2, points=5, exit="panic",
        description="a kernel stack overflow hits the unmapped guard page: a double fault, reported",
        expect=paging_stack_guard,
    ),
    Test(
        name="paging_kernel_protection", lab=2, points=10,
        description="W^X kernel: text and constants are read-only, data and constants are not "
                    "executable, 0 is unmapped, the image is global",
        expect=paging_kernel_protection,
    ),
    Test(
        name="paging_user_bit", lab=2, points=5,
        description="a page mapped with PTE_USER is a user page at every level of the walk "
                    "(SMAP stops the kernel), one mapped without it is not",
        expect=paging_user_bit,
        forbid=[r"^EXCEPTION:"],
    ),
]
