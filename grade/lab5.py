"""Lab 5's score sheet: address spaces built by user-level pagers.

The grader boots the root task (build/user/utest.elf) with sigma0 as the second
module (build/user/sigma0.elf): sigma0 owns all memory but the kernel's reserve, and
the scenarios (user/tests/lab5_*.c) get pages from it, page threads through the
default pager (user/lib/pager.c), and pass pages between tasks. One scenario,
task_destroy_mapped, is the kernel's (kernel/test/lab5_destroy_tests.c) and boots no
module.

Every test is a seeded challenge (engine/challenge.py): the words written through one
mapping and read through another, the addresses faulted on, the pages mapped, granted
and unmapped, the badges, registers and ports come from the boot's seed, and each
function below draws them in the order its scenario does. A scenario prints what
reached it (digests of words, fault addresses, counts), never its own verdict.
"""

from functools import partial
from math import gcd

from engine import Test
from engine.challenge import WORD, digest
from engine.root_task import GENERAL_PATH, root_task_test
from engine.witness import Witness
from lab5_mapdb import expected as mapdb_sanitized
STOPPED = r"; the pager's reply did not map the page; thread stopped$"

# Guest instructions per page fault resolved by the default pager: the fault, the IPC
# to the pager, the pager's call to sigma0 for a zeroed page, the two map items, the
# resume. The reference takes about 5,210 (about 2,080 of it zeroing the page); the
# bound catches a pager or a kernel path that does something per fault it should not
# (like zeroing a page byte by byte).
PAGE_FAULT_BOUND = 7500
# QEMU confirms it from outside the guest (grade/engine/witness.py): the instructions
# that really ran per page of the first, faulting loop (256 pages), less the loop's
# own, may exceed the figure by at most the tolerance. The reference counts 5,247 to
# 5,261 per page and its figure is 8 less (the figure subtracts the least of three runs
# of the same loop over the pages now there, so a timer tick in one does not shrink
# it). The tolerance fails a figure a formatter or a trapped rdtsc made up.
FAULT_WITNESS = Witness(figure="page_fault_cost", begin="utest_mark_begin",
                        end="utest_mark_end", rounds=256, overhead=15, tolerance=100)


# Interrupt-disabled stretches (guest instructions) that map, grant and unmap let one
# task cause (lab5_bounds.c); the bound is lab 4's (grade/lab4.py), 0.1 ms at 1 GIPS.
# The reference (before the limits, in brackets): the 8 pages a message may carry, each
# needing three new page tables, 55,000 (16 such pages: 109,000; 32 items of 4,096:
# 3,840,000, now refused in 1,160); mapping onto or granting with fewer rights a page with
# 20,000 derived mappings, about 900 (2,600,000: the subtree was unmapped there and
# then); the unmap of those 20,000, restarted every 256 units, 27,100 late at worst; an
# I/O item of 1,024 ports, 24,100 with the bitmap it makes (65,536 ports: 1,245,700,
# now refused in 380).
BOUNDED_WORK_FIGURES = {
    "irq_off_worst": 100_000,
    "map_onto_tree": 10_000,
    "grant_tree": 10_000,
    "unmap_latency": 60_000,
}


paging_test = partial(root_task_test, 5, sigma0=True, twin=GENERAL_PATH)
ANON_BASE = 0x0000100000000000


def demand_zero(c):
    """lab5_paging.c's paging_demand_zero: how many pages, where, in which order, and
    what is written where, from the seed; the toucher prints the digest it read back."""
    pages = c.range(64, 160)
    base = ANON_BASE + c.range(0, (1 << 18) - pages) * 4096
    stride = c.range(1, pages - 1)
    while gcd(stride, pages) != 1:
        stride += 1
    key = c.next()
    values = [key ^ ((j * 0x9E3779B97F4A7C15) & WORD) for j in range(pages)]
    return [rf"^demand: {pages} pages touched from {base:x}; first reads ORed: 0; "
            rf"read back, digest {digest(values):x}$",
            rf"^demand: the pager resolved {pages} faults, refused 0$"]


def wild_address(c):
    """lab5_paging.c's wild_address(): an address outside every region, and whether the
    access is a write."""
    addr = 0x0000500000000000 + (c.range(0, (1 << 44) - 1) & ~7)
    return addr, c.range(0, 1) == 1


def access(write):
    return "write" if write else "read"


def pager_refuses(c):
    addr, write = wild_address(c)
    return [rf"^demand: touching {addr:x} \({access(write)}\), outside the pager's region$",
            rf"^fault: thread \d+ in task 1: #PF page fault at rip [0-9a-f]+, address {addr:x} "
            rf"\({access(write)}, not present\)" + STOPPED,
            r"^demand: the pager refused 1 fault\(s\); root runs on$"]


def garbage_pager(c):
    """The pager prints the fault message's address, label (FAULT_PAGE) and access
    (FAULT_READ 1, FAULT_WRITE 2)."""
    addr, write = wild_address(c)
    return [rf"^garbage: fault 0 at {addr:x}, label fff1, access {2 if write else 1} \(0\); "
            r"answering nonsense$",
            rf"^fault: thread \d+ in task 1: #PF page fault at rip [0-9a-f]+, address {addr:x} "
            rf"\({access(write)}, not present\)" + STOPPED,
            r"^garbage: root runs on$"]


def pager_gone(c):
    addr, write = wild_address(c)
    return [rf"^gone: the pager got the fault at {addr:x}, access {2 if write else 1}, and "
            r"exits without answering$",
            rf"^fault: thread \d+ in task 1: #PF page fault at rip [0-9a-f]+, address {addr:x} "
            rf"\({access(write)}, not present\); its handler is gone; thread stopped$",
            r"^gone: root runs on$"]


def handler_resumes(c):
    """The handler's badge and the thread's rsp at its ud2 come from the seed; the
    handler resumes it with that rsp XORed with a key from the seed."""
    badge = c.range(1, 1000)
    rsp = c.range(1 << 32, (1 << 46) - 1) & ~0xF
    key = c.next() & 0xFFFFFF0
    return [rf"^handler: exception 6 from badge {badge} at rip [0-9a-f]+, error 0, "
            rf"rsp {rsp:x} \(0\); resuming after it$",
            rf"^handler: the thread runs on after its ud2, rsp {rsp ^ key:x}$",
            r"^handler: root runs on$"]


def resume_equal_priority(c):
    """handler_resumes between equals; three register values from the seed survive."""
    badge = c.range(1, 1000)
    rsp = c.range(1 << 32, (1 << 46) - 1) & ~0xF
    key = c.next() & 0xFFFFFF0
    r8, r9, r10 = c.next(), c.next(), c.next()
    return [rf"^handler: exception 6 from badge {badge} at rip [0-9a-f]+, error 0, "
            rf"rsp {rsp:x} \(0\); resuming after it$",
            rf"^handler: after its ud2 the thread has rsp {rsp ^ key:x}, r8 {r8:x}, "
            rf"r9 {r9:x}, r10 {r10:x}$",
            r"^handler: root runs on$"]


def fault_cost(c):
    base = ANON_BASE + c.range(0, (1 << 18) - 256) * 4096
    key = c.next()
    return [rf"^cost: 256 pages from {base:x}, read back, digest "
            rf"{digest(key ^ i for i in range(256)):x}$"]


def share_draw(c):
    """lab5_sharing.c's share_draw(): the word indices read first, written, read last,
    and the child's key."""
    r = c.range(0, 511)
    w = (r + c.range(1, 170)) % 512
    last = (w + c.range(1, 170)) % 512
    return r, w, last, c.next()


WINDOW_VA = 0x0000400000000000
STOPPED_WRITE = r"\(write, protection\)" + STOPPED


def share_readonly(c):
    """The child reads the root's word through a read-only mapping; its write (of the
    word XORed with its key) faults at the seeded offset, to a pager of a seeded badge."""
    _, w, _, _ = share_draw(c)
    value, badge = c.next(), c.range(1, 1000)
    return [r"^root: mapping the page read-only -> 0$",
            rf"^child: received 0, 1 page\(s\); it reads {value:x}$",
            rf"^reporter: write fault at {WINDOW_VA + 8 * w:x} from the thread with badge "
            rf"{badge}$",
            rf"^fault: thread \d+ in task 3: #PF page fault at rip [0-9a-f]+, address "
            rf"{WINDOW_VA + 8 * w:x} " + STOPPED_WRITE,
            rf"^root: the page still reads {value:x} here, and 0 where the child wrote$"]


def share_writable(c):
    _, _, _, key = share_draw(c)
    value, later = c.next(), c.next()
    return [r"^root: mapping the page writable -> 0$",
            rf"^child: received 0, 1 page\(s\); it reads {value:x}$",
            rf"^child: wrote {value ^ key:x} into the page$",
            rf"^root: it sees the child's write: {value ^ key:x}$",
            rf"^child: it reads {later:x} now$"]


def grant(c):
    _, _, _, key = share_draw(c)
    value = c.next()
    return [r"^root: granting the page -> 0$", r"^root: unmapping it here finds 0 page\(s\)$",
            r"^root: reading the address now gives 0$",
            rf"^child: received 0, 1 page\(s\); it reads {value:x}$",
            rf"^child: wrote {value ^ key:x} into the page$",
            r"^root: the child's write is not here: 0$",
            r"^child: it reads 0 now$"]


def recursive_unmap(c):
    """Both links read the root's word; after the unmap each touch faults at the
    seeded offset, to the pager capability of its seeded badge. The grandchild may take
    the page before or after the child's send returns."""
    r, t = c.range(0, 511), c.range(0, 511)
    value = c.next()
    badge = c.range(1, 1000)
    badge2 = badge + c.range(1, 1000)
    got = rf"chain: task got 0, 1 page\(s\), reads {value:x}"
    either = rf"^(?:chain: passing it on -> 0|{got}; the last)$"
    return [r"^root: mapping the page to the child -> 0$",
            rf"^{got}; passes it on$", either, either,
            r"^root: unmap takes back 2 mapping\(s\)$",
            rf"^root: its own page still reads {value:x}$",
            rf"^reporter: read fault at {WINDOW_VA + 8 * t:x} from the thread with badge "
            rf"{badge}$",
            rf"^reporter: read fault at {WINDOW_VA + 8 * t:x} from the thread with badge "
            rf"{badge2}$"]


def quota(c):
    """The limited task gets the first of the 8 pages, the other all of them; each
    prints a digest of the seeded word at the seeded index of each page it got."""
    c.range(0, 511)
    words = [c.next() for _ in range(8)]
    return [r"^quota: limiting one task to its thread and 4 pages -> 0$",
            rf"^quota: a task got 0: 1 of 8 pages, digest {digest(words[:1]):x}$",
            rf"^quota: a task got 0: 8 of 8 pages, digest {digest(words):x}$"]


def round_addresses(c, rounds):
    """lab5_quota.c: each round's address (round_address()), word index and word."""
    out = []
    for i in range(rounds):
        page = c.range(0, (1 << 18) - 1)
        at = (i % 254 + 1) * (1 << 39) + (i // 254) * (1 << 30) + page * 4096
        out.append((at, c.range(0, 511), c.next()))
    return out


def quota_refund(c):
    """How many rounds, where each page lands and the word read there: the seed's."""
    rounds = c.range(260, 340)
    words = [w for _, _, w in round_addresses(c, rounds)]
    beside = []
    for _ in range(2):
        c.range(0, 511)
        beside.append(c.next())
    return [r"^refund: limiting a task to 16 pages -> 0$",
            rf"^refund: {rounds} of {rounds} pages arrived, each in an empty 512 GiB slot; "
            rf"read back, digest {digest(words):x}; unmap took back {rounds}$",
            rf"^refund: a page beside its code: 1 arrived, read back {beside[0]:x}, "
            r"taken back: 1$",
            rf"^refund: a page beside its UTCBs: 1 arrived, read back {beside[1]:x}, "
            r"taken back: 1$",
            r"^refund: the task still answers: 0$"]


def grant_refund(c):
    rounds = c.range(260, 340)
    words = [w for _, _, w in round_addresses(c, rounds)]
    return [r"^grant: limiting a task to 16 pages -> 0$",
            rf"^grant: {rounds} of {rounds} pages arrived, each in an empty 512 GiB slot, and "
            rf"{rounds} came back granted; read back, digest {digest(words):x}$"]


def quota_absurd(c):
    c.range(1, 254)
    c.range(0, 511)
    token = c.next()
    return [r"^absurd: limiting a task to its thread and 4 pages -> 0$",
            r"^absurd: a quota of 2\^62 pages -> -1$",
            r"^absurd: a quota of 2\^52 \+ 64 pages -> -1$",
            r"^absurd: a quota of one page more than the largest -> -1$",
            rf"^absurd: the task got 1 of 8 pages \(read back {token:x}\); taken back: 1$"]


def bounded_work(c):
    """The 8 regions of the first message, the words in its pages (read back by the
    root through the receiver's mappings: a digest), the tree's size and the word read
    through one of its mappings: the seed's. The figures are bounds."""
    regions = []
    while len(regions) < 8:
        r = c.range(0, 31)
        if r not in regions:
            regions.append(r)
    c.range(0, 511)
    tree = 8 * c.range(2000, 20000 // 8)
    tree_word = c.next()
    c.range(0, tree - 1)
    words = [c.next() for _ in range(8)]
    return [rf"^bounds: 8 one-page items to as many regions -> 0, 8 page\(s\) arrived, "
            rf"digest {digest(words):x}$",
            r"^bounds: 32 items of 4096 pages -> -14, the receiver got -14$",
            r"^bounds: an I/O item of 1024 ports -> 0$",
            r"^bounds: an I/O item of 65536 ports -> -14$",
            rf"^bounds: {tree} mappings derived from one page; one of them reads "
            rf"{tree_word:x}$",
            r"^bounds: a page mapped onto it -> 0, 0 page\(s\) arrived$",
            r"^bounds: it granted read-only -> 0, 0 page\(s\) arrived$",
            rf"^bounds: unmap takes back {tree} mapping\(s\)$"]


def debug_ist(c):
    """The handler's badge and the two threads' rbx come from the seed: the first must
    get its own back after the second took its #DB."""
    badge, rbx = c.range(1, 1000), c.next()
    c.next()
    return [rf"^ist: handler: exception 1 from badge {badge} \(0\); the first thread waits "
            r"for the reply$",
            r"^fault: thread \d+ in task 1: #DB debug at rip [0-9a-f]+; no exception handler; "
            r"thread stopped$",
            r"^ist: handler: the second thread has taken its #DB; resuming the first$",
            rf"^ist: the first thread runs on after its #DB; rbx {rbx:x}$",
            r"^ist: root runs on$"]


def destroy_mapped(c):
    """kernel/test/lab5_destroy_tests.c: the regions, their pages, whether a region's
    pages share a page table, and where each page is mapped from, from the seed. Each
    region costs a PDPT, a page directory and its page tables; the PML4 comes back too."""
    regions = c.range(2, 3)
    slots, pages, tables, root_of, roots = [], 0, 0, [], 0
    for r in range(regions):
        while True:
            slot = c.range(1, 254)
            if slot not in slots:
                break
        slots.append(slot)
        n = c.range(2 if r == 0 else 3 if r == 1 else 1, 4)
        spread = c.range(0, 1) == 1 and r >= 2
        c.range(0, 500)
        c.range(0, 500)
        for j in range(n):
            coin = c.range(0, 1) if j > 0 else 1
            fresh = j == 0 or (j == 1 if r == 1 else r >= 2 and coin == 1)
            if fresh:
                roots += 1
            root_of.append(roots - 1)
        pages += n
        tables += 2 + (n if spread else 1)
    c.range(0, 511)
    words = [c.next() for _ in range(roots)]
    return [rf"^destroy: {pages} of {pages} pages mapped in {regions} regions, {pages} nodes, "
            rf"{tables} frames taken; read through them, digest "
            rf"{digest(words[i] for i in root_of):x}$",
            rf"^destroy: the task is gone: 0 of its nodes left, {tables + 1} frames back$"]


def fuzz_concurrent(c):
    """fuzz_mt.c's paging_fuzz_concurrent: the fuzzer's seed, the phases, the calls per
    worker and the pages each task gets (passed out by map items, counted by the
    workers and sent back in their reports) come from the seed; every call is counted
    in the reports too."""
    seed, phases = c.next(), c.range(3, 5)
    per_worker = c.range(1000, 1500)
    pages = 1 << (c.range(12, 15) - 12)
    calls = per_worker * 4 * phases
    return [rf"^fuzz: seed {seed}, {calls} calls in {phases} phases, 4 tasks with a worker "
            rf"each, {pages} pages each$",
            *(rf"^fuzz: phase {p}: {4 * pages} pages passed out; objects (?P<o{p}>\d+) "
              rf"\(before (?P=o{p})\), mappings (?P<m{p}>\d+) \(before (?P=m{p})\), "
              rf"frames (?P<f{p}>\d+) \(after phase 1: (?P=f{p})\): held$"
              for p in range(1, phases + 1)),
            rf"^fuzz: {calls} calls made \(\d+ failed\), no panic, no hang, every invariant "
            r"held$"]


DMA_PAGES = [0x81, 0x82, 0x83, 0x87, 0x89, 0x8A, 0x8B, 0x8F]


def io_ports(c):
    """The port (a DMA page register, which keeps what is written), the block of 2^k
    ports sigma0 gives, and the two bytes written come from the seed; a port of 0x80-0x8f
    outside the block faults."""
    port = DMA_PAGES[c.range(0, 7)]
    log2 = c.range(0, 3)
    outside = port ^ (1 << log2)
    value = c.range(0, 0xFFFF)
    gp = (r"^fault: thread \d+ in task 1: #GP general protection at rip [0-9a-f]+; "
          r"no exception handler; thread stopped$")
    return [rf"^io: a thread writes to port {port:x}$", gp,
            rf"^io: sigma0 gives the root {1 << log2} port\(s\)$",
            rf"^io: a thread writes to port {port:x}$",
            rf"^io: port {port:x} written, it reads back {value & 0xFF:x}, then {value >> 8:x}$",
            rf"^io: a thread writes to port {outside:x}, outside its ports$", gp,
            r"^io: root runs on$"]


def io_unloaded(c):
    """The port and the byte the root writes there come from the seed; the server, in a
    task without ports, faults on it."""
    port = DMA_PAGES[c.range(0, 7)]
    value = c.range(0, 0xFF)
    return [r"^io: sigma0 gives the root 1 port\(s\)$",
            rf"^io: the caller reads its port {port:x}: {value:x}, and calls the server twice$",
            rf"^io: the server in another task reads port {port:x}$",
            r"^fault: thread \d+ in task \d+: #GP general protection at rip [0-9a-f]+; "
            r"no exception handler; thread stopped$",
            r"^io: root runs on$"]


def fuzz(c):
    """How many items, the fuzzer's sequence, then a page passed with a word from the
    seed, read back XORed with the receiver's key."""
    items = c.range(900, 1100)
    c.next()
    key, word = c.next(), c.next()
    c.range(0, 511)
    return [rf"^fuzz: {items} random items sent, \d+ delivered; the kernel still answers: 0$",
            rf"^fuzz: then a page passed: 0, 1 page\(s\), the word there XORed: "
            rf"{word ^ key:x}$"]


def fault_then_ipc(c):
    """lab5_faults.c: where the thread faults, the word it writes there, its call's
    label and second word, and the echo's key: the seed's."""
    c.range(0, (1 << 18) - 1)
    c.range(0, 511)
    word, label, second, key = c.next(), c.range(1, 0xFFF), c.next(), c.next()
    return [rf"^fault-ipc: the echo got label {label:x}, 2 word\(s\): {word:x}, {second:x}$",
            rf"^fault-ipc: the thread read 0 at first; its call -> 0, label 0, reply "
            rf"{word ^ key:x}, {second ^ key:x}$",
            r"^fault-ipc: the pager resolved 1 fault\(s\)$"]


UD_REFUSED = (r"^fault: thread \d+ in task 1: #UD invalid opcode at rip [0-9a-f]+; its "
              r"exception handler did not resume it; thread stopped$")


def handler_refuses(c):
    """The label that is not FAULT_RESUME and the two threads' badges: the seed's."""
    c.range(2, 0xFFF0)
    first = c.range(1, 1000)
    second = first + c.range(1, 1000)
    return [rf"^refuse: exception 6 from badge {first} \(0\); answering another label$",
            UD_REFUSED,
            rf"^refuse: exception 6 from badge {second} \(0\); answering FAULT_RESUME at "
            r"USER_TOP$",
            UD_REFUSED,
            r"^refuse: root runs on$"]


def pager_region(c):
    """The pager's region [lo, hi), the words written in its first and last pages, and
    the addresses touched at hi and below lo: the seed's."""
    lo = ANON_BASE + c.range(1, (1 << 18) - 1) * 4096
    hi = lo + c.range(2, 64) * 4096
    words = []
    for _ in range(2):
        c.range(0, 511)
        words.append(c.next())
    beyond = [hi + c.range(0, 511) * 8, lo - 8 * c.range(1, 512)]
    lines = [rf"^region: its first page read 0, its last 0; now {words[0]:x} and "
             rf"{words[1]:x}$"]
    for addr in beyond:
        lines += [rf"^region: a thread touches {addr:x}$",
                  rf"^fault: thread \d+ in task 1: #PF page fault at rip [0-9a-f]+, address "
                  rf"{addr:x} \(read, not present\)" + STOPPED]
    return lines + [r"^region: the pager resolved 2 fault\(s\), refused 2$"]


def reported(addr, badge, access, kind):
    """The reporting pager's line and the kernel's for a fault at addr (lab5_rights.c)."""
    return [rf"^reporter: {access} fault at {addr:x} from the thread with badge {badge}$",
            rf"^fault: thread \d+ in task \d+: #PF page fault at rip [0-9a-f]+, address "
            rf"{addr:x} \({kind}\)" + STOPPED]


def rights_shrink(c):
    """The word and its place, where the ret and B's write are, and both badges: the
    seed's. A's jump and B's write fault: neither has more than the read it was given."""
    r, value = c.range(0, 511), c.next()
    ret = WINDOW_VA + 8 * ((r + c.range(1, 511)) % 512)
    w = c.range(0, 511)
    badge = c.range(1, 1000)
    badge2 = badge + c.range(1, 1000)
    return [rf"^rights: A got 0, 1 page\(s\) with rights 0; it reads {value:x}$",
            r"^rights: A maps it on asking write and exec -> 0$",
            r"^rights: A calls the page's code$",
            *reported(ret, badge, "exec", "fetch, protection"),
            rf"^rights: B got 0, 1 page\(s\) with rights 0; it reads {value:x}$",
            rf"^rights: B writes word {w}$",
            *reported(WINDOW_VA + 8 * w, badge2, "write", "write, protection"),
            r"^rights: root granted its page read-only -> 0$",
            r"^rights: root runs on$"]


def unmap_siblings(c):
    """The word and its place, the place touched at the end, and the four badges: the
    seed's. A unmaps its own copy; the root's unmap takes back B, C and C's child D."""
    r, t, value = c.range(0, 511), c.range(0, 511), c.next()
    badges = [c.range(1, 1000)]
    for _ in range(3):
        badges.append(badges[-1] + c.range(1, 1000))
    got = rf"^siblings: a task got 0, 1 page\(s\) with rights 2; it reads {value:x}$"
    touched = [reported(WINDOW_VA + 8 * t, badge, "read", "read, not present")
               for badge in badges]
    return [got, r"^siblings: root mapped its page to task A -> 0$",
            got, r"^siblings: root mapped its page to task B -> 0$",
            got, r"^siblings: it maps the page on -> 0$", got,
            r"^siblings: root mapped its page to task C -> 0$",
            r"^siblings: it unmaps its own copy: 1$", *touched[0],
            r"^siblings: root's unmap takes back 3 mapping\(s\)$",
            rf"^siblings: root's own page still reads {value:x}$",
            *touched[1], *touched[2], *touched[3]]


def map_onto_kernel_page(c):
    """The root's word (read back through a page mapped to a free place of the seed's),
    and where in the receiver's code page the second map aims: the seed's."""
    c.range(0, 511)
    value = c.next()
    c.range(0, (1 << 18) - 1)
    c.range(0, 511)
    return [rf"^onto: a page mapped to a free place -> 0, 1 arrived, it reads {value:x}$",
            r"^onto: the page mapped onto the receiver's code -> 0, 0 arrived$"]


LOWER_HALF = [[0x82, 0x8A], [0x81, 0x89], [0x81, 0x82, 0x83, 0x89, 0x8A, 0x8B]]
GP_STOPPED = (r"^fault: thread \d+ in task \d+: #GP general protection at rip [0-9a-f]+; "
              r"no exception handler; thread stopped$")


def io_given(c):
    """lab5_ports.c: k, the port P in the lower half of the root's 2^(k+1) ports, and the
    byte written: the seed's. Q = P + 2^k arrives with the second item, while the task's
    bitmap is loaded; R = P ^ 2^(k+1) never does."""
    k = c.range(0, 2)
    half = LOWER_HALF[k]
    p = half[c.range(0, len(half) - 1)]
    value = c.range(0, 0xFF)
    q, r = p + (1 << k), p ^ (2 << k)
    return [rf"^io: sigma0 gives the root {2 << k} port\(s\)$",
            rf"^io: the task got {1 << k} port\(s\)$",
            rf"^io: the root gives it {1 << k} port\(s\) -> 0$",
            rf"^io: it writes port {p:x}, which reads back {value:x}$",
            rf"^io: then the block: {2 << k} port\(s\); it writes port {q:x}$",
            rf"^io: it writes port {r:x}, which it was never given$",
            GP_STOPPED,
            rf"^io: and all {4 << k} of their block -> 0$",
            r"^io: root runs on$"]


def io_moved(c):
    """The port, the block of 2^k the root gets, and the two bytes: the seed's."""
    port = DMA_PAGES[c.range(0, 7)]
    log2 = c.range(0, 3)
    first, second = c.range(0, 0xFF), c.range(0, 0xFF)
    return [rf"^io: sigma0 gives the root {1 << log2} port\(s\)$",
            rf"^io: a thread of the root writes port {port:x}, which reads back {first:x}$",
            r"^io: it moves its ports to the other task -> 0$",
            rf"^io: it writes port {port:x} again$",
            GP_STOPPED.replace(r"task \d+", "task 1"),
            rf"^io: the other task got {1 << log2} port\(s\); port {port:x} reads back "
            rf"{second:x}$",
            r"^io: root runs on$"]


TESTS = [
    paging_test(
        "paging_demand_zero", 15, "64 to 160 pages touched: each arrives zeroed, through the pager",
        demand_zero),
    paging_test(
        "paging_pager_refuses", 5, "a fault the pager will not serve stops only that thread",
        pager_refuses,
        forbid=[r"must not appear"]),
    paging_test(
        "paging_garbage_pager", 5, "a pager that answers garbage is contained",
        garbage_pager,
        forbid=[r"must not appear"]),
    paging_test(
        "paging_pager_gone", 5, "a pager that dies before answering: the thread stops",
        pager_gone,
        forbid=[r"must not appear"]),
    paging_test(
        "exception_handler_resumes", 10,
        "an exception goes to the handler, which fixes the registers and resumes the thread",
        handler_resumes),
    paging_test(
        "exception_resume_equal_priority", 5,
        "a handler at the thread's own priority resumes it: the reply goes to the kernel, "
        "not into its registers",
        resume_equal_priority),
    paging_test(
        "paging_fault_then_ipc", 5,
        "after a resolved fault the thread's own IPC carries its message and gets its reply",
        fault_then_ipc),
    paging_test(
        "exception_handler_refuses", 5,
        "a handler's answer that is not FAULT_RESUME at a user address stops the thread",
        handler_refuses, forbid=[r"must not appear"]),
    paging_test(
        "paging_pager_region", 5,
        "the pager serves the first and last pages of its region, and neither neighbour",
        pager_region, forbid=[r"must not appear"]),
    paging_test(
        "paging_share_readonly", 10,
        "a page mapped read-only is seen in the second task; a write there faults to its pager",
        share_readonly,
        forbid=[r"must not appear"]),
    paging_test(
        "paging_share_writable", 10, "a page mapped writable shows writes both ways",
        share_writable),
    paging_test(
        "paging_grant", 10, "a granted page moves: it is gone from the granter",
        grant),
    paging_test(
        "paging_recursive_unmap", 15,
        "unmap takes a page back from a child and from the grandchild it passed it to",
        recursive_unmap,
        forbid=[r"must not appear"]),
    paging_test(
        "paging_rights_shrink", 10,
        "a page granted read-only can be neither written nor run, nor passed on with more rights",
        rights_shrink, forbid=[r"must not appear"]),
    paging_test(
        "paging_unmap_siblings", 10,
        "unmap reaches every sibling and a grandchild, after the oldest sibling left",
        unmap_siblings, forbid=[r"must not appear"]),
    paging_test(
        "paging_map_onto_kernel_page", 5,
        "a map onto the receiver's own code is skipped: the code stays",
        map_onto_kernel_page, forbid=[r"^reporter: ", r"must not appear"]),
    paging_test(
        "paging_quota", 10, "a task over its kernel-memory quota gets fewer pages; others do not",
        quota),
    Test(
        name="task_destroy_mapped", lab=5, points=5,
        description="a task holding mapped pages is destroyed: every node goes, each table "
                    "is freed once",
        expect=destroy_mapped),
    paging_test(
        "paging_quota_refund", 10,
        "unmap frees and refunds page tables: some 300 mappings in empty slots under a 16-page quota",
        quota_refund),
    paging_test(
        "paging_grant_refund", 5,
        "a page granted away gives the granter its page tables back, as unmap does",
        grant_refund),
    paging_test(
        "paging_quota_absurd", 5, "a quota too large to mean anything is refused, not wrapped",
        quota_absurd),
    paging_test(
        "io_ports", 5, "an I/O port needs an item from sigma0; without it the access faults",
        io_ports),
    paging_test(
        "io_ports_unloaded", 5,
        "a switch to another task, the fast path's too, takes the I/O ports away",
        io_unloaded, forbid=[r"must not appear"]),
    paging_test(
        "io_ports_given", 5,
        "ports given to a task: only those the giver holds, usable at once though its bitmap was loaded",
        io_given, forbid=[r"must not appear"]),
    paging_test(
        "io_ports_moved", 5,
        "ports moved away from a thread whose bitmap is loaded fault at its next use",
        io_moved, forbid=[r"must not appear"]),
    paging_test(
        "paging_fuzz", 5, "about 1,000 random map, grant, I/O and capability items and unmaps: the kernel survives",
        fuzz,
        timeout=30),
    paging_test(
        "paging_fuzz_concurrent", 10,
        "four tasks' workers and helpers fuzz IPC, capabilities and pages at once; counts come back",
        fuzz_concurrent,
        # Concurrent by design: which call meets which depends on instruction counts,
        # so the fast path changes the interleaving (the counts must still add up).
        forbid=[r"BROKEN"], timeout=60, twin=None),
    paging_test(
        "paging_bounded_work", 10,
        "map, grant and unmap keep interrupts off for bounded time, however large the tree",
        bounded_work,
        figures=BOUNDED_WORK_FIGURES, timeout=30),
    paging_test(
        "paging_fault_cost", 5, "guest instructions per page fault resolved by the pager",
        fault_cost, figures={"page_fault_cost": PAGE_FAULT_BOUND},
        witness=FAULT_WITNESS),
]

# #DB runs on an IST stack (kernel/arch/x86_64/idt.c); a user #DB must still be able to
# block in its exception IPC (user/tests/lab5_ist.c).
TESTS += [
    paging_test(
        "exception_debug_ist", 5,
        "a #DB from user mode (on an IST stack) waits in its exception IPC while another thread takes one",
        debug_ist,
        forbid=[r"must not appear"]),
]

# The mapping database on the host, under the sanitizers: what no boot can see (a freed
# node still linked or indexed, a budget miscounted) is seen at the line it happens.
TESTS += [
    Test(name="mapdb_sanitized", lab=5, points=10, host="mapdb_seeded_test",
         description="the mapping database on the host under AddressSanitizer: 400 seeded "
                     "roots, maps, grants, lookups and budgeted unmaps",
         expect=mapdb_sanitized),
]
