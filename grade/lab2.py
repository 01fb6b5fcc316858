"""Lab 2's score sheet: the physical frame allocator and the kernel's page table.

Each Test is one QEMU boot of the scenario of the same name (kernel/test/lab2_tests.c):
the frame tests run right after frame_init(), the paging tests after paging_init() has
switched to the kernel's own page table. The machine has
128 MiB of RAM, so about 32,400 frames are free when the scenarios start.
"""

from engine import Test

# The reference allocator (a free list: O(1) per operation) takes 280,010 guest
# instructions for 10,000 allocations and 10,000 frees. A bitmap scanned from the
# start for every allocation needs millions; a bound of 3.5x the reference still
# lets any O(1) design with some checking pass.
FRAME_SPEED_BOUND = 1_000_000

TESTS = [
    Test(
        name="frame_alloc_basic", lab=2, points=10,
        description="frames come back distinct, aligned, outside the kernel, and return on free",
        expect=[
            r"^mem: (3[0-2]|2[89])[0-9]{3} frames free$",
            r"^frames: 3 allocated, distinct and aligned; free (?P<n>\d+) -> \d+$",
            r"^frames: 3 freed; free <<n>>$",
        ],
    ),
    Test(
        name="frame_alloc_exhaust", lab=2, points=10,
        description="every free frame can be allocated exactly once; then 0, not a panic",
        expect=[
            r"^frames: allocated (?P<n>[1-9]\d+) of (?P=n) before running out, 0 duplicates$",
            r"^frames: all returned; free <<n>>$",
        ],
    ),
    Test(
        name="frame_alloc_speed", lab=2, points=10,
        description="10,000 allocations and frees within the instruction budget (no linear scans)",
        figures={"frame_alloc_free_10000": FRAME_SPEED_BOUND},
    ),
    Test(
        name="paging_map_page", lab=2, points=15,
        description="a new mapping reaches the frame both ways; remapping and misalignment are errors",
        expect=[
            r"^paging: kernel page table at 0xffff8[0-9a-f]{11}, [1-9][0-9]+ frames free$",
            r"^paging: map 4000000000 -> [0-9a-f]+: 0$",
            r"^paging: read through the new mapping: 1122334455667788$",
            r"^paging: write seen through the direct map: feedface$",
            r"^paging: mapping it again: -3$",
            r"^paging: a misaligned address: -1$",
            r"^paging: walk into a large page: none$",
            r"^paging: unmap inside a large page: -4$",
            r"^paging: map inside a large page: -3$",
        ],
    ),
    Test(
        name="paging_unmap_page", lab=2, points=10,
        description="after unmap the page faults (the TLB was flushed) and a second unmap fails",
        expect=[
            r"^paging: unmap: 0$",
            r"^paging: read after unmap faulted$",
            r"^paging: translate after unmap: none$",
            r"^paging: unmap again: -4$",
        ],
    ),
    Test(
        name="paging_table_reuse", lab=2, points=10,
        description="neighbouring pages share page tables: only the first mapping allocates them",
        expect=[r"^paging: first page in a new region took 3 table frames, the second 0$"],
    ),
    Test(
        name="paging_prune_tables", lab=2, points=5,
        description="pt_prune() frees only tables left empty and counts only those paid for; "
                    "a failed map leaves no table",
        expect=[r"^prune: two pages in an empty slot: 0, 3 tables made$",
                r"^prune: the first unmapped: 0 paid-for tables freed, 0 frames back$",
                r"^prune: the second unmapped: 3 paid-for tables freed, 3 frames back$",
                r"^prune: the kernel's own page: 0, 3 tables made; 0 paid-for tables freed, "
                r"3 frames back$",
                r"^prune: a map with one free frame: -2, 1 free after, slot empty$"],
    ),
    Test(
        name="paging_tables_zeroed", lab=2, points=5,
        description="a new page table starts empty, even when its frame held garbage",
        expect=[r"^paging: pages mapped around a fresh mapping: 0$"],
    ),
    Test(
        name="paging_stack_guard", lab=2, points=5, exit="panic",
        description="a kernel stack overflow hits the unmapped guard page: a double fault, reported",
        expect=[
            r"^guard: stack guard page at (?P<guard>[0-9a-f]{16}) is unmapped$",
            r"^guard: recursing without end$",
            r"^EXCEPTION: #DF double fault \(vector 8, error 0x0\)$",
            r"^PANIC: unhandled exception in kernel mode$",
        ],
    ),
    Test(
        name="paging_kernel_protection", lab=2, points=10,
        description="W^X kernel: text and constants are read-only, data is not executable, 0 is unmapped",
        expect=[
            r"^protect: write to kernel text faulted$",
            r"^protect: write to read-only data faulted$",
            r"^protect: write to data succeeded$",
            r"^protect: read of address 0 faulted$",
            r"^protect: data is no-execute, text is executable$",
        ],
    ),
]
