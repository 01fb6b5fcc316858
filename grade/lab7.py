"""Lab 7's score sheet: user-level drivers — interrupts as notifications on endpoints.

The grader boots the root task (build/user/utest.elf) with sigma0 and a second UART,
COM2 (`-serial null`: nothing outside the machine sees it). The scenarios
(user/tests/lab7_irq.c, lab7_flood.c) put it in loopback mode, where each byte written
arrives in its own receive FIFO and raises line 3, so they make interrupts exactly when
they want, each carrying a seeded byte; the PIT (line 2), which the kernel leaves
alone, fires at a time they choose, for the latency figures.

Every test is a seeded challenge (engine/challenge.py): badges, bytes, counts and words
come from the boot's seed, and each function below draws them in the order its
scenario does.
"""

from functools import partial

import re
import struct

from engine.challenge import DIGEST_START, Challenge, digest
from engine.disk import Disk
from engine.root_task import root_task_test

E_INVAL = -1
E_CAP = -7
E_TYPE = -8
E_RIGHTS = -9
E_STATE = -10
E_TIMEOUT = -12
MUST_NOT = [r"must not appear"]
COM2 = ["-serial", "null"]
# The reference takes 1 to 3 s of the host's time for any lab-7 test, and a handout
# whose driver never answers hangs until the test's timeout: enough margin, no more.
TIMEOUT = 15
FIFO_BYTES = 16
# Guest instructions from a device's interrupt to the driver's thread running, alone
# and with a hostile task in the kernel's longest operations (user/tests/lab7_flood.c).
# The hostile bound is the longest operation a task can ask for with interrupts off, a
# map message of IPC_MAP_PAGES_MAX pages (under 60,000, abi/ipc.h), plus the delivery.
IRQ_LATENCY_BOUND = 2000
IRQ_LATENCY_HOSTILE_BOUND = 70000

irq_test = partial(root_task_test, 7, sigma0=True, qemu_args=COM2, forbid=MUST_NOT)


def delivery(c):
    """Each byte's interrupt wakes the driver, which is above the writer: as many
    notifications as bytes, each with the binding's badge and a byte to read."""
    n = c.range(24, 48)
    badge = c.next() | 1
    h = digest([c.next() & 0xff for _ in range(n)])
    return [rf"^irq: binding line 3 to an endpoint with badge {badge:x} -> 0$",
            rf"^irq: {n} bytes sent, digest {h:x}$",
            rf"^irq: the driver read {n} bytes in {n} notifications \(0 wrong, 0 with no "
            rf"byte\), digest {h:x}$"]


def pending(c):
    """Nobody receives while bytes arrive: the notification waits, with a signal's bits
    OR-ed in, and comes once; the line fires again only when acknowledged, and only
    while the device still asserts it; bound again elsewhere, it notifies there only,
    with the new badge."""
    a, b = c.next() | 1, (c.next() << 1) & (2**64 - 1)
    k = c.range(2, FIFO_BYTES - 4)
    h = digest([c.next() & 0xff for _ in range(k)])
    unacked = digest([c.next() & 0xff for _ in range(4)])
    c.next()                                            # the byte sent while unbound
    d = c.next() | 1
    return [rf"^pending: {k} bytes sent unread; a signal with badge {b:x} -> 0$",
            rf"^pending: a receive gets {a | b:x}; again: {E_TIMEOUT}$",
            rf"^pending: an ack with the bytes unread -> 0; the line fires again: {a:x}$",
            rf"^pending: drained {k} bytes, digest {h:x} \(sent {h:x}\)$",
            rf"^pending: an ack with the FIFO empty -> 0; then a receive: {E_TIMEOUT}$",
            rf"^pending: unacknowledged: a byte gives {a:x}, three more give {E_TIMEOUT}$",
            rf"^pending: drained 4, digest {unacked:x}; ack -> 0; a receive: {E_TIMEOUT}$",
            r"^pending: unbinding -> 0$",
            rf"^pending: unbound: ack -> {E_STATE}, a receive: {E_TIMEOUT}$",
            rf"^pending: bound again -> 0; a receive: {a:x}$",
            rf"^pending: bound to another endpoint with badge {d:x} -> 0; a byte gives {d:x} "
            rf"there, {E_TIMEOUT} at the first$"]


def bad_calls(c):
    line = c.range(24, 1000)
    return [rf"^bad: line {line} -> {E_INVAL}; line -1 -> {E_INVAL}; with an endpoint as "
            rf"control -> {E_TYPE}$",
            rf"^bad: bind to no badge -> {E_INVAL}; without the send right -> {E_RIGHTS}; "
            rf"to an IRQ -> {E_TYPE}; to slot {line} -> {E_CAP}; an endpoint as the IRQ -> "
            rf"{E_TYPE}$",
            rf"^bad: ack an endpoint -> {E_TYPE}; ack unbound -> {E_STATE}; signal with no "
            rf"badge -> {E_INVAL}; signal an IRQ -> {E_TYPE}$"]


def with_calls(c):
    """The client queued its call before the byte came, but the notification is taken
    first; the second byte's interrupt finds the server waiting."""
    irq_badge, client_badge = c.next() | 1, c.next() | 2
    word = c.next() >> 8
    key = c.next()
    first, second = c.next() & 0xff, c.next() & 0xff
    return [rf"^calls: the server saw: notify {irq_badge:x}, call {client_badge:x}, "
            rf"notify {irq_badge:x}$",
            rf"^calls: the client's answer {word ^ key:x}; the bytes' digest "
            rf"{digest([first, second]):x} \(sent {digest([first, second]):x}\)$"]


def flood(c):
    rounds = c.range(200000, 400000)
    c.next()
    h = digest([i * 0x9e3779b97f4a7c15 & (2**64 - 1) for i in range(rounds)])
    return [rf"^flood: the worker beside the flooding driver finished: yes, {rounds} rounds, "
            rf"digest {h:x}$",
            r"^flood: the driver took more than 1000 interrupts meanwhile: yes$"]


def latency(c):
    badge = c.next() | 1
    return [r"^irq_latency=\d+$", r"^irq_latency_hostile=\d+$",
            r"^latency: quiet mean \d+, under load mean \d+; the load ran throughout$",
            rf"^latency: {4 + 2 * 24} interrupts, their badges together {badge:x}$"]


def devices(c):
    """The HPET's first register through sigma0's uncached mapping; nothing for RAM or
    the interrupt controllers; the range's ends (the top of RAM, 4 GiB) exactly; DMA buffers aligned, apart, zeroed, and what is written
    stays."""
    log2 = [c.range(12, 15), c.range(12, 15)]
    h = digest([c.next() for n in log2 for _ in range((1 << n) // 8 // 64)])
    return [r"^devices: the HPET's page -> 1; vendor 8086, period 10000000 fs$",
            r"^devices: the local APIC -> 0, the I/O APIC -> 0, the kernel's image -> 0, "
            r"memory below the top of RAM -> 0$",
            r"^devices: the first page above RAM -> 1, the last page of RAM -> 0, the last "
            r"page below 4 GiB -> 1, the page at 4 GiB -> 0$",
            rf"^devices: DMA buffers of {1 << log2[0]} and {1 << log2[1]} bytes: aligned yes, "
            rf"apart yes, zeroed yes$",
            rf"^devices: written {h:x}, read back {h:x}$",
            r"^devices: a DMA buffer of 2\^16 bytes -> -2, of 2\^11 -> -2$"]


# --- the console (user/tests/lab7_console.c, bin/console, bin/t7) -----------------------

console_test = partial(root_task_test, 7, sigma0=True, bootfs=True, forbid=MUST_NOT)
T7_DONE = r"^console: t7 ended with 0; the console synced: 0$"
DEL = "\x7f"


def typed_lines(c, n):
    """n seeded lines as typed (with a slip taken back by DEL) and as they must arrive."""
    out = []
    for _ in range(n):
        a, b, slip = c.next(), c.next(), c.next()
        text = f"{a:x} {b:x}"
        out.append((f"{a:x} {chr(0x67 + slip % 19)}{DEL}{b:x}\r", text))
    return out


def line_digest(key, text):
    return digest([key, *(text + "\n").encode()])


def t7_lines(n, key, lines):
    # Not anchored at the start: echo of what is typed meanwhile may come first on the
    # line; a print of t7's is one write, so nothing comes between its bytes.
    return [rf"t7: line {i}: {len(text) + 1} bytes, digest {line_digest(key, text):x}: "
            rf"\[{text}\]$" for i, (_, text) in enumerate(lines)]


def console_lines(c):
    """Each line typed (with a slip erased) is echoed as typed and read whole."""
    n, key = c.range(3, 6), c.next()
    lines = typed_lines(c, n)
    out = [rf"^t7: ready for {n} lines$"]
    for i, (typed, text) in enumerate(lines):
        shown = typed[:-1].replace(DEL, "\x08 \x08")
        out += [f"^{re.escape(shown)}$", t7_lines(n, key, lines)[i]]
    return out + [T7_DONE]


def console_lines_dialog(c):
    n, key = c.range(3, 6), c.next()
    lines = typed_lines(c, n)
    prompts = [rf"t7: ready for {n} lines"] + [rf"t7: line {i}: " for i in range(n - 1)]
    return [(prompt, typed) for prompt, (typed, _) in zip(prompts, lines)]


def console_busy(c):
    """Everything typed while the only reader spins arrives, in order."""
    n, key = c.range(3, 6), c.next()
    lines = typed_lines(c, n)
    return [r"^t7: busy for 200 ticks; type now$", r"t7: done being busy$",
            *t7_lines(n, key, lines), T7_DONE]


def console_busy_dialog(c):
    n, key = c.range(3, 6), c.next()
    return [(r"t7: busy for 200 ticks; type now", "".join(t for t, _ in typed_lines(c, n)))]


ENDS = ["\r", "\n", "\r\n"]
FLOOD_TICKS = 800


def flood_lines(c, n):
    """n seeded lines as typed (each ended by CR, LF or CR LF) and as they must arrive."""
    out = []
    for _ in range(n):
        a, b, end = c.next(), c.next(), c.range(0, 2)
        out.append((f"{a:x} {b:x}{ENDS[end]}", f"{a:x} {b:x}"))
    return out


def console_flood(c):
    """Over 1.5 KiB typed while the only reader spins: more than the console keeps, so
    the rest must wait in the UART (and QEMU) until lines are read, none lost. QEMU
    hands the guest a byte at a time (the receive trigger is 1 byte), about 1 KiB in
    300 ticks of the spin here: FLOOD_TICKS is long enough for all of it to come."""
    n, key = c.range(56, 72), c.next()
    lines = flood_lines(c, n)
    return [rf"^t7: busy for {FLOOD_TICKS} ticks; type now$", r"t7: done being busy$",
            *t7_lines(n, key, lines), T7_DONE]


def console_flood_dialog(c):
    n, key = c.range(56, 72), c.next()
    return [(rf"t7: busy for {FLOOD_TICKS} ticks; type now",
             "".join(t for t, _ in flood_lines(c, n)))]


def console_burst(c):
    """64 KiB of output through the console: every line, in order."""
    x = key = c.next()
    h, sent, out, count = DIGEST_START, 0, [], 0
    while sent < 65536:
        x = (x * 6364136223846793005 + 1442695040888963407) & (2**64 - 1)
        h = digest([x], h)
        line = f"b {count} {x:016x}\n"
        out.append(f"^{line[:-1]}$")
        sent += len(line)
        count += 1
    assert key is not None
    return out + [rf"^t7: burst of {count} lines, {sent} bytes, digest {h:x}$", T7_DONE]


def console_interrupt(c):
    key = c.next()
    (typed, text), = typed_lines(c, 1)
    return [r"^t7: reading until Ctrl-C$", r"^half a line\^C$", r"^t7: the read ended with -4$",
            r"^t7: ready for 1 lines$", *t7_lines(1, key, [(typed, text)]), T7_DONE]


def console_interrupt_dialog(c):
    c.next()
    (typed, _), = typed_lines(c, 1)
    return [(r"t7: reading until Ctrl-C", "half a line\x03"), (r"t7: ready for 1 lines", typed)]


# --- the block server (bin/blk, supervised by the pm) ---------------------------------------

DISK_SECTORS = 2048
BLK_READ_4K_BOUND = 40000           # guest instructions for a 4 KiB read through the server
BLK_RESTART_BOUND = 3000000         # from the server's death to its successor's answer


def pattern(key, sector):
    """The 64 words of a sector of the grader's pattern (t7's pattern())."""
    return [Challenge(key ^ (sector * 64 + k)).next() for k in range(64)]


def pattern_image(key, buf):
    for sector in range(len(buf) // 512):
        struct.pack_into("<64Q", buf, sector * 512, *pattern(key, sector))


def sectors_unlike(image, want):
    """Problems: the sectors of image (bytes) unlike want (a bytearray), by number."""
    bad = [s for s in range(len(want) // 512)
           if image[s * 512:(s + 1) * 512] != want[s * 512:(s + 1) * 512]]
    return [f"sector {s} is not what the guest was told it wrote (or was)" for s in bad]


def blk_plan(c):
    """blk_rw's draws: the pattern's key, t7's own seed, the reads and the writes."""
    key, seed = c.next(), c.next()
    reads, writes = c.range(20, 40), c.range(10, 20)
    t = Challenge(seed)
    read_plan = []
    for _ in range(reads):
        n = t.range(1, 8)
        read_plan.append((t.range(0, DISK_SECTORS - n), n))
    write_plan = []
    for _ in range(writes):
        n = t.range(1, 8)
        s = t.range(0, DISK_SECTORS - n)
        write_plan.append((s, [t.next() for _ in range(64 * n)]))
    return key, read_plan, write_plan


def blk_rw(c):
    key, read_plan, write_plan = blk_plan(c)
    words = [w for s, n in read_plan for i in range(n) for w in pattern(key, s + i)]
    total = sum(n for _, n in read_plan)
    return [rf"^blk: {DISK_SECTORS} sectors, interrupt line \d+$",
            # How many of the four overlap at the device is the host's to say (QEMU
            # does the I/O on its own threads, in its own time): t7 prints the count,
            # and what is graded is that each of the four got exactly its data.
            r"^blk: four readers at once ended with 0; stats: 0$",
            rf"^t7: the disk has {DISK_SECTORS} sectors$",
            rf"^t7: {len(read_plan)} reads, {total} sectors, 0 words unlike the pattern, "
            rf"digest {digest(words):x}$",
            r"^blk_read_4k=\d+$",
            rf"^t7: {len(write_plan)} writes done$",
            rf"^t7: past the end -> {E_INVAL}, across it -> {E_INVAL}, 0 sectors -> "
            rf"{E_INVAL}, 9 -> {E_INVAL}, at 2\^64 - 2 -> {E_INVAL}$",
            rf"^t7: a read into a read-only page -> {E_INVAL}, a write with no page -> "
            rf"{E_INVAL}, label 77 -> -5; flush -> 0$",
            r"^blk: t7 ended with 0$",
            r"^pm: bin/blk \(pid \d+\) ended \(-9\); restart 1 -> \d+$",
            r"^t7: restart: \d+ calls, 0 failed, [1-9]\d* sent again$",
            r"^blk_restart=\d+$",
            r"^blk: killed the server -> 0; t7 ended with 0$"]


def blk_rw_fill(c, buf):
    pattern_image(c.next(), buf)


def blk_rw_check(c, image):
    key, _, write_plan = blk_plan(c)
    want = bytearray(DISK_SECTORS * 512)
    pattern_image(key, want)
    for s, words in write_plan:
        struct.pack_into(f"<{len(words)}Q", want, s * 512, *words)
    return sectors_unlike(image, want)


FILL_APART = 0x5eed0f0f5eed0f0f     # the crash test's first contents: not the stream's


def blk_crash(c):
    c.next()
    n = c.range(200, 400)
    # t7's own lines come whenever its stream ends, before or after the last kill; its
    # exit status is 0 only if every write was acknowledged and read back as written.
    return [r"^pm: bin/blk \(pid \d+\) ended \(-9\); restart 200 -> \d+$",
            rf"^crash: the root killed the block server 200 times; t7 wrote {n} sectors and "
            r"ended with 0$"]


def blk_crash_fill(c, buf):
    pattern_image(c.next() ^ FILL_APART, buf)


def blk_crash_check(c, image):
    key = c.next()
    n = c.range(200, 400)
    want = bytearray(DISK_SECTORS * 512)
    pattern_image(key ^ FILL_APART, want)
    for s in range(n):
        struct.pack_into("<64Q", want, s * 512, *pattern(key, s))
    return sectors_unlike(image, want)


TESTS = [
    irq_test("irq_delivery", 10,
             "each interrupt reaches the waiting driver once, as a notification with the "
             "binding's badge, and the driver reads its byte", delivery),
    irq_test("irq_pending", 15,
             "interrupts while nobody receives are kept, OR-ed with a signal, delivered "
             "once; the line is masked until acknowledged and fires again only while the "
             "device asserts it; unbound lines stay masked", pending),
    irq_test("irq_bad_calls", 5,
             "hostile arguments to irq_control, irq_bind, irq_ack and endpoint_signal get "
             "errors", bad_calls),
    irq_test("irq_with_calls", 10,
             "one receive serves clients' calls and the line's interrupts; a pending "
             "notification comes before a queued caller", with_calls),
    irq_test("irq_flood", 10,
             "a driver that acknowledges without serving its device takes interrupt after "
             "interrupt, and a thread of its priority still gets its share",
             flood, timeout=TIMEOUT),
    irq_test("irq_latency", 5,
             "guest instructions from the PIT's interrupt to its driver running, alone and "
             "while a task below it maps, unmaps and times out as hard as it can",
             latency, figures={"irq_latency": IRQ_LATENCY_BOUND,
                               "irq_latency_hostile": IRQ_LATENCY_HOSTILE_BOUND}),
    root_task_test(7, "sigma0_devices", 10,
                   "sigma0 maps a device's registers (the HPET, the range's first and last "
                   "pages) and never RAM or the interrupt controllers as devices; DMA buffers are contiguous, aligned, "
                   "zeroed, with their physical address", devices, sigma0=True,
                   forbid=MUST_NOT),
    console_test("console_lines", 10,
                 "lines typed into the console (with a slip erased by backspace) are echoed "
                 "and read whole, in order", console_lines, dialog=console_lines_dialog,
                 timeout=TIMEOUT),
    console_test("console_busy", 10,
                 "lines typed while the only reader spins are all read afterwards, in order",
                 console_busy, dialog=console_busy_dialog, timeout=TIMEOUT),
    console_test("console_flood", 10,
                 "over 1.5 KiB typed (lines ended by CR, LF or CR LF) while the only reader "
                 "spins: the console takes no more than it can keep, and every line arrives",
                 # Its spin alone is 800 ticks, 2 to 8 s of the host's time: twice the rest.
                 console_flood, dialog=console_flood_dialog, timeout=2 * TIMEOUT),
    console_test("console_burst", 10,
                 "64 KiB printed by a process through the console arrive complete and in "
                 "order", console_burst, timeout=TIMEOUT),
    console_test("console_interrupt", 5,
                 "Ctrl-C drops the line being typed and ends the waiting read; the next "
                 "line is read normally", console_interrupt, dialog=console_interrupt_dialog,
                 timeout=TIMEOUT),
    console_test("blk_rw", 15,
                 "the block server reads the grader's seeded pattern, writes seeded sectors "
                 "(found in the image afterwards, nothing else changed), refuses bad "
                 "requests, and a client's call survives the server's restart",
                 blk_rw, disk=Disk(DISK_SECTORS, blk_rw_fill, blk_rw_check),
                 figures={"blk_read_4k": BLK_READ_4K_BOUND, "blk_restart": BLK_RESTART_BOUND},
                 timeout=TIMEOUT),
    console_test("blk_crash", 15,
                 "the block server is killed 200 times during a stream of writes; the "
                 "supervisor restarts it each time, and every acknowledged write is in the "
                 "image", blk_crash, disk=Disk(DISK_SECTORS, blk_crash_fill, blk_crash_check),
                 timeout=TIMEOUT),
]
