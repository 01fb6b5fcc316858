"""Lab 6's score sheet: processes — tasks destroyed with everything they held.

The grader boots the root task (build/user/utest.elf) with sigma0. The scenarios
(user/tests/lab6_destroy.c) make second tasks running a copy of the root's program,
let their threads and the root's block where a destruction is dangerous (a call, a
send, a receive, a page fault, the task's own task_destroy), destroy the task, and
print what the other side saw and the kernel's counts before and after (debug_stats):
a partner left waiting, a page left mapped, a byte left charged prints something else.

Every test is a seeded challenge (engine/challenge.py): the words, counts, quotas and
addresses come from the boot's seed, and each function below draws them in the order
its scenario does.
"""

from functools import partial

from engine.challenge import DIGEST_START, WORD, digest
from engine.root_task import root_task_test

E_GONE = -13
E_NOMEM = -2
E_FULL = -11
THREAD_COST_PAGES = 5           # kernel/include/abi/syscall.h
TASK_FIXED_COST_PAGES = 5
CLIENT_VA = 0x0000500000000000
MUST_NOT = [r"must not appear"]

process_test = partial(root_task_test, 6, sigma0=True)


def partners(c):
    """The caller, the sender and the receiver each report their result and their word
    XORed with the key, once the task is gone."""
    words = [c.next() for _ in range(3)]
    key = c.next()
    who = ["the caller", "the sender", "the receiver"]
    return [r"^partners: reports before the destruction: none$",
            r"^partners: destroying the task -> 0$",
            *(rf"^partners: {who[i]}'s wait ended with {E_GONE}, word {words[i] ^ key:x}$"
              for i in range(3)),
            rf"^partners: a send to the task's endpoint now -> {E_GONE}$",
            rf"^partners: a thread in the dead task -> {E_GONE}; a copy into it -> {E_GONE}; "
            rf"destroying it again -> {E_GONE}$"]


def reclaims(c):
    """Each cycle's child reads `pages` of the 8 words; the counts after the last cycle
    equal those after the first."""
    cycles = c.range(20, 40)
    c.range(0, 511)
    words = [c.next() for _ in range(8)]
    h = DIGEST_START
    for cycle in range(cycles + 1):
        pages = c.range(1, 8)
        if cycle > 0:
            h = digest([digest(words[:pages])], h)
    return [rf"^reclaim: {cycles} tasks made, used and destroyed; what they read: digest {h:x}$",
            r"^reclaim: free frames 0, frames free or pooled 0, objects 0, mappings 0$",
            r"^reclaim: threads 0, tasks 0, the root's account 0 bytes$"]


def fault_line(addr):
    return (rf"^fault: thread \d+ in task 1: #PF page fault at rip [0-9a-f]+, address {addr:x} "
            r"\(read, not present\); its handler is gone; thread stopped$")


def pager(c):
    """The first client reads the pager's word (the key); the second client's fault is
    kept; after the destruction both faults find no pager."""
    key = c.next()
    addr = [CLIENT_VA + i * (1 << 30) + (c.range(0, (1 << 18) - 1) << 12) + (c.range(0, 511) << 3)
            for i in range(2)]
    return [rf"^client: thread 0 read {key:x}$",
            rf"^pager: the second fault, at {addr[1]:x}, stays unanswered$",
            r"^pager: destroying the pager's task -> 0$",
            fault_line(addr[1]), fault_line(addr[0]),
            r"^pager: the root runs on$"]


def self_destroy(c):
    word = c.next()
    return [rf"^self: the task got {word ^ 0x5e1f:x}, and destroys itself$",
            rf"^self: a send to its endpoint -> {E_GONE}$",
            rf"^self: a thread in it -> {E_GONE}$",
            r"^self: then threads 0, tasks 0, objects 0, frames free or pooled 0, the root's "
            r"account 0$"]


def last_cap(c):
    words = [c.next() for _ in range(2)]
    return [rf"^last: task 0 answers {(words[0] + 1) & WORD:x}$",
            rf"^last: task 1 answers {(words[1] + 1) & WORD:x}$",
            rf"^last: the caller of task 0: its wait ended with {E_GONE}$",
            r"^last: the caller of task 1 still waits$",
            r"^last: tasks 1, threads 2$"]


def full_table(c):
    """Slots 1 to 127 of a task's table filled; the only capabilities of two tasks are
    at a seeded slot and in the last (127)."""
    seeded = c.range(1, 126)
    return [rf"^full: 127 slots filled, then {E_FULL}; the lone tasks in slots {seeded} and "
            r"127; tasks 3$",
            r"^full: destroying it -> 0$",
            r"^full: then tasks 0, objects 0, the root's account 0$"]


def quota_bomb(c):
    """Tasks of `child` pages until the account is full, then threads of 5 pages, then
    endpoints in what is left (less than a thread)."""
    quota, child, key = c.range(96, 128), c.range(4, 8), c.next()
    room = quota - THREAD_COST_PAGES                    # its own thread is paid first
    tasks = room // (child + TASK_FIXED_COST_PAGES)
    room -= tasks * (child + TASK_FIXED_COST_PAGES)
    threads = room // THREAD_COST_PAGES
    room -= threads * THREAD_COST_PAGES
    some = "yes" if room > 0 else "no"
    return [rf"^bomb: its report's word {key ^ (tasks << 8 | threads):x}$",rf"^bomb: a task of {quota} pages made {tasks} tasks of {child} pages \(then "
            rf"{E_NOMEM}\), {threads} threads \(then {E_NOMEM}\), endpoints \(then {E_NOMEM}; "
            rf"some made: {some}\)$",
            r"^bomb: the root still makes a task, a thread and an endpoint: yes$",
            r"^bomb: destroying it -> 0$",
            rf"^bomb: a thread in the task it made and gave the root -> {E_GONE}$",
            r"^bomb: then tasks 0, threads 0, objects 0, frames free or pooled 0, the root's "
            r"account 0$"]


def on_account(c):
    """Children of `size` pages on an account of `quota` until it is full: each costs
    size + TASK_FIXED_COST_PAGES."""
    quota, size = c.range(40, 120), c.range(1, 30)
    n = min(32, quota // (size + TASK_FIXED_COST_PAGES))
    then = rf"\(then {E_NOMEM}\)" if n < 32 else r"\(then \d+\)"
    return [rf"^account: a task of {quota} pages pays for {n} tasks of {size} pages {then}$",
            r"^account: the root's own account still pays: yes$",
            r"^account: a parent slot that names nothing -> -7$",
            r"^account: destroying the paying task -> 0$",
            rf"^account: of its {n} tasks, {n} are gone with it$",
            r"^account: then tasks 0, the root's account 0$"]


TESTS = [
    process_test(
        "task_destroy_partners", 15,
        "a task is destroyed while others call its server, send to and receive from its "
        "endpoints: each sees E_GONE",
        partners, forbid=MUST_NOT),
    process_test(
        "task_destroy_reclaims", 20,
        "20 to 40 tasks with threads, endpoints, a child task and mapped pages are destroyed: "
        "every kernel count comes back exactly",
        reclaims, forbid=MUST_NOT, timeout=60),
    process_test(
        "task_destroy_pager", 15,
        "a pager's task is destroyed: the pages it gave are unmapped, and its clients' faults "
        "(one under way) find no pager",
        pager, forbid=MUST_NOT),
    process_test(
        "task_destroy_self", 10,
        "a task destroys itself: the call does not return, and everything comes back",
        self_destroy, forbid=MUST_NOT),
    process_test(
        "task_last_cap", 10,
        "the last capability to a task goes: it is destroyed; one that names itself lives",
        last_cap, forbid=MUST_NOT),
    process_test(
        "task_destroy_full_table", 5,
        "a task whose capability table is full is destroyed: every slot's capability goes, "
        "the last one too, and the tasks only it named go with it",
        full_table, forbid=MUST_NOT),
    process_test(
        "task_quota_bomb", 10,
        "a task that makes tasks, threads and endpoints until refused exhausts only its own "
        "account; destroying it gives it all back",
        quota_bomb, forbid=MUST_NOT),
    process_test(
        "task_create_on_account", 5,
        "a task made on another task's account is paid from it, and dies with it",
        on_account, forbid=MUST_NOT),
]


# ---- the name server (user/names/names.c; scenarios in user/tests/lab6_names.c) ----
# names runs as a thread of the root task; the root plays clients with seeded badges.
# Each name leads to an echo server that answers a call's word w with (w ^ key) + the
# badge of the capability the call came through: the registered capability's.

E_INVAL, E_EXISTS, E_NOENT, E_NOSYS, E_RIGHTS, E_TYPE = -1, -3, -4, -5, -9, -8
E_FULL, E_TOOLONG = -11, -14
NAMES_TABLE_SIZE = 64                   # user/lib/names.h
BADGE_MAX = 1 << 48
RIGHT_SEND, RIGHT_RECEIVE, RIGHT_GRANT = 0x2, 0x4, 0x8


def echo(w, key, badge):
    return ((w ^ key) + badge) & WORD


def name_prefix(c, lo, hi):
    """prefix_draw(): a length, then that many bytes (only the draws matter here)."""
    for _ in range(c.range(lo, hi)):
        c.range(0x21, 0x7E)


def names_register_lookup(c):
    n = c.range(2, 4)
    name_prefix(c, 6, 27)
    c.range(1, BADGE_MAX)                               # the client's badge
    servers = []
    for _ in range(n):
        key, sb = c.next(), c.range(1, BADGE_MAX)
        c.range(1, BADGE_MAX)                           # the server's badge at names
        servers.append((key, sb, c.next()))
    key0, sb0, w0 = servers[0]
    return [*(rf"^lookup: server {i} registered its name -> 0$" for i in range(n)),
            *(rf"^lookup: a call through name {i} answers {echo(w, key, sb):x}$"
              for i, (key, sb, w) in enumerate(servers)),
            rf"^lookup: name 0 twice: two capabilities yes; the second answers "
            rf"{echo((w0 + 1) & WORD, key0, sb0):x}$",
            rf"^lookup: unknown names \(the prefix, the next of the family, name 0 and one "
            rf"byte more\) -> {E_NOENT} {E_NOENT} {E_NOENT}$"]


def names_table_full(c):
    name_prefix(c, 6, 28)
    key, sb = c.next(), c.range(1, BADGE_MAX)
    c.range(1, BADGE_MAX), c.range(1, BADGE_MAX)       # the two clients' badges
    j, w = c.range(1, NAMES_TABLE_SIZE - 1), c.next()
    return [rf"^table: name 0 by one client -> 0, by another -> {E_EXISTS}, by the first "
            rf"again -> {E_EXISTS}$",
            rf"^table: {NAMES_TABLE_SIZE} names registered, then {E_FULL}$",
            rf"^table: name {j} unregistered -> 0; a new name then -> 0$",
            rf"^table: name {j} -> {E_NOENT}; the new name answers {echo(w, key, sb):x}; "
            rf"name 0 answers {echo((w + 1) & WORD, key, sb):x}$"]


def names_unregister_badge(c):
    name_prefix(c, 6, 28)
    c.range(1, BADGE_MAX), c.range(1, BADGE_MAX)       # the two clients' badges
    ka, kb = c.next(), c.next()
    sa, sb = c.range(1, BADGE_MAX), c.range(1, BADGE_MAX)
    wa, wb = c.next(), c.next()
    cycles = c.range(130, 200)
    return [r"^unregister: registered by one client -> 0$",
            rf"^unregister: by another client -> {E_RIGHTS}; the name still answers "
            rf"{echo(wa, ka, sa):x}$",
            rf"^unregister: a name nobody registered -> {E_NOENT}$",
            rf"^unregister: by its registrant -> 0; then a lookup -> {E_NOENT}, and again -> "
            rf"{E_NOENT}$",
            rf"^unregister: the name registered by the other client -> 0, answers "
            rf"{echo(wb, kb, sb):x}$",
            rf"^unregister: {cycles} of {cycles} register-unregister cycles; then the name "
            rf"answers {echo((wb + 1) & WORD, kb, sb):x}$"]


def names_lookup_rights(c):
    """Registered with send, receive and (seeded) grant; looked up without receive."""
    key, sb = c.next(), c.range(1, BADGE_MAX)
    grant, w = c.range(0, 1), c.next()
    rights = RIGHT_SEND | RIGHT_RECEIVE | (RIGHT_GRANT if grant else 0)
    return [rf"^rights: registered with rights {rights:x} -> 0$",
            rf"^rights: the looked-up capability has rights {rights & ~RIGHT_RECEIVE:x}; a call "
            rf"through it answers {echo(w, key, sb):x}$",
            rf"^rights: a call through it carrying a capability -> "
            rf"{0 if rights & RIGHT_GRANT else E_RIGHTS}$",
            rf"^rights: registering a capability without the send right -> {E_RIGHTS}, a task "
            rf"capability -> {E_TYPE}$"]


def names_hostile(c):
    c.range(1, BADGE_MAX)                               # the client's badge
    key, sb = c.next(), c.range(1, BADGE_MAX)
    c.range(5, 1 << 40)                                 # a garbage label
    flood = c.range(100, 160)
    name_prefix(c, 31, 31)
    name_prefix(c, 1, 1)
    w1, w2 = c.next(), c.next()
    bad = f"{E_INVAL}"
    return [rf"^hostile: a 20-byte name registered -> 0, registered again -> {E_EXISTS}$",
            rf"^hostile: a lookup of it in 2 words where its length needs 4 -> {bad}; in 4 -> 0$",
            rf"^hostile: a 3-byte name in 3 words -> {bad}$",
            rf"^hostile: lengths 0, 32 and 2\^64-1 -> {bad} {bad} {bad}$",
            rf"^hostile: bytes 00 0a 20 7f 80 ff in a name -> {' '.join([bad] * 6)}$",
            rf"^hostile: padding after the name that is not 0 -> {bad}$",
            rf"^hostile: the stubs refuse an unterminated name, an empty one, a space -> "
            rf"{bad} {bad} {bad}$",
            rf"^hostile: a register with no item -> {bad}, a map item -> {bad}, a capability "
            rf"item naming an empty slot -> {bad}, two capabilities -> {bad}$",
            rf"^hostile: a lookup carrying a capability -> {bad}; a register through an "
            rf"unbadged capability -> {E_RIGHTS}$",
            rf"^hostile: labels 0 and a large one -> {E_NOSYS} {E_NOSYS}; 10 words -> "
            rf"{E_TOOLONG}$",
            rf"^hostile: a lookup sent, not called -> 0; a death notice from a client -> "
            rf"{E_RIGHTS}$",
            rf"^hostile: {flood} garbage messages with 3 capabilities each: {flood} answered "
            rf"{E_NOSYS}$",
            rf"^hostile: then a 31-byte name -> 0, answers {echo(w1, key, sb):x}; a 1-byte name "
            rf"-> 0, answers {echo(w2, key, sb):x}$"]


def names_dead_server(c):
    """k names of the dead server's own endpoint and an alias: the second name goes at
    its lookup, the third is taken over; the pm's notice frees the other k - 1."""
    k = c.range(3, 6)
    c.range(1, BADGE_MAX)                               # the dead server's pid
    key = c.next()
    c.range(1, BADGE_MAX)                               # the client's badge
    ab, rb = c.range(1, BADGE_MAX), c.range(1, BADGE_MAX)
    key2 = c.next()
    w = [c.next() for _ in range(3)]
    return [rf"^dead: the server registered {k + 1} of {k + 1} names$",
            rf"^dead: a call through its first name answers {w[0] ^ key:x}$",
            r"^dead: destroying its task -> 0$",
            rf"^dead: a call through the capability names gave -> {E_GONE}; a death notice "
            rf"from a client -> {E_RIGHTS}$",
            rf"^dead: a lookup of its second name -> {E_NOENT}$",
            r"^dead: its third name, registered by another client -> 0$",
            rf"^dead: its alias, an endpoint that lives on, answers {echo(w[1], key2, ab):x}$",
            rf"^dead: the pm's notice frees {k - 1} names; a second one 0; the pm's poll send "
            r"-> 0$",
            rf"^dead: then its first name -> {E_NOENT}, its alias -> {E_NOENT}; its third "
            rf"answers {echo(w[2], key2, rb):x}$"]


TESTS += [
    process_test(
        "names_register_lookup", 10,
        "servers register names of one family; a client's lookups reach each server with "
        "its badge; names never registered are not found",
        names_register_lookup, forbid=MUST_NOT),
    process_test(
        "names_table_full", 5,
        "a name is taken once; 64 names fill the table (then E_FULL); unregistering one "
        "makes room",
        names_table_full, forbid=MUST_NOT),
    process_test(
        "names_unregister_badge", 5,
        "only the registrant's badge unregisters a name; 130 to 200 register-unregister "
        "cycles leave nothing behind",
        names_unregister_badge, forbid=MUST_NOT),
    process_test(
        "names_lookup_rights", 5,
        "a looked-up capability has the rights registered, never receive; names takes only "
        "endpoints with the send right",
        names_lookup_rights, forbid=MUST_NOT),
    process_test(
        "names_hostile", 10,
        "malformed requests (lengths, words, bytes, items, labels, floods of capabilities) "
        "get errors, and names serves on",
        names_hostile, forbid=MUST_NOT),
    process_test(
        "names_dead_server", 10,
        "a server's task is destroyed: its dead names are never handed out, the pm's notice "
        "frees the rest, and only the pm may send one",
        names_dead_server, forbid=MUST_NOT),
]

# --- processes: the process manager in the root task, bin/t6 from the bootfs --------

E_NOENT = -4
E_INVAL = -1
KILLED, FAULT = -9, -11
ZERO_DELTAS = [r"^{who}: free frames 0, frames free or pooled 0, objects 0, mappings 0$",
               r"^{who}: tasks 0, threads 0, the root's account 0, the pm's pages in use 0$"]
pm_test = partial(root_task_test, 6, sigma0=True, bootfs=True)


def deltas(who):
    return [line.replace("{who}", who) for line in ZERO_DELTAS]


def spawn_tree(c):
    """Each node's status is the number of nodes in its subtree."""
    depth, width, code = c.range(1, 2), c.range(2, 3), c.range(0, 255)
    nodes = sum(width ** i for i in range(depth + 1))
    return [rf"^proc: a tree of depth {depth}, {width} children a node: the root's child \d+ "
            rf"ended with {nodes}$",
            rf"^proc: a child that exits with {code}: wait says {code}$",
            rf"^proc: waiting for it again -> {E_NOENT}; for pid 999 -> {E_NOENT}$"]


def spawn_argv(c):
    """Seeded hex words cut to seeded lengths; the child prints each, and a digest of
    every byte of its argv, whose low byte is its status."""
    count = c.range(1, 6)
    args = ["bin/t6", "argv"]
    for _ in range(count):
        v, n = c.next(), c.range(1, 16)
        args.append(f"{v:x}"[:n])
    h = digest([ord(ch) for a in args for ch in a])
    return [*(rf"^t6: argv\[{i}\] = {a}$" for i, a in enumerate(args)),
            rf"^t6: pid \d+, {len(args)} arguments, digest {h:x}$",
            rf"^proc: the argv child ended with {h & 0xff}$",
            rf"^proc: spawning a path the bootfs lacks -> {E_NOENT}; no argv at all -> "
            rf"{E_INVAL}$"]


def kill_children(c):
    """Each counted child prints the seeded word it was given, then is killed."""
    c.range(0x10000, 0x20000)
    words = [f"{c.next():x}" for _ in range(4)]
    roles = ["spin", "block-ipc", "block-fault", "spawn-block"]
    said = [rf"^t6: pid \d+ spins \({words[0]}\)$",
            rf"^t6: pid \d+ blocks in a call nobody answers \({words[1]}\)$",
            rf"^t6: pid \d+ has a thread blocked in a page fault \({words[2]}\)$",
            rf"^t6: pid \d+ spawned \d+ and blocks \({words[3]}\)$"]
    lines = []
    for r, line in zip(roles, said):
        lines += [line, rf"^proc: killing the {r} child -> 0, then wait -> {KILLED}$"]
    return [*lines,
            rf"^proc: killing it again -> {E_NOENT}; waiting again -> {E_NOENT}$",
            r"^proc: ps lists 1 process\(es\): 1 \(parent 0, state 1\)$",   # names
            *deltas("kill")]



def reclaim_200(c):
    h = DIGEST_START
    for i in range(202):
        status = c.range(0, 255) if i % 2 else KILLED
        if i >= 2:
            h = digest([status & WORD], h)
    return [rf"^reclaim: 200 processes ended; their statuses: digest {h:x}$", *deltas("reclaim"),
            r"^spawn_kill_free_frames_delta=0$"]


def fork_bomb(c):
    quota, code = c.range(200, 300), c.range(0, 255)
    return [rf"^bomb: a bomb of {quota} pages made several processes, then was stopped$",
            rf"^bomb: meanwhile another child exits with {code}$",
            rf"^bomb: killing it -> 0, wait -> {KILLED}$", *deltas("bomb")]


def proc_heap(c):
    blocks, x = c.range(40, 200), c.range(1, 1 << 40)
    return [rf"^t6: heap: {blocks} blocks of sizes from {x}, 0 bad bytes, the heap is sound, "
            r"0 used blocks left$",
            r"^heap: the child ended with 0$"]


BAD_ELVES = ["big-endian", "class-32", "entry-outside", "filesz-past-end", "machine-i386",
             "memsz-huge", "no-segments", "overlap", "phentsize", "phoff-past-end", "text",
             "truncated-header", "truncated-phdrs", "type-dyn", "vaddr-kernel", "vaddr-utcb"]


def bad_elf(c):
    """grade/badelf.sh's files, in archive (name) order, then shuffled by the seed."""
    order = c.shuffled(sorted(f"bad/{n}" for n in BAD_ELVES))
    code = c.range(0, 255)
    return [*(rf"^elf: {p} -> {E_INVAL}$" for p in order),
            rf"^elf: then bin/t6 exits with {code}$"]


def proc_names(c):
    name = f"svc-{c.range(1, 1 << 32):x}"
    key, w0, w1 = c.next(), c.next(), c.next()
    return [rf"^t6: pid \d+ registers {name} -> 0$",
            rf"^t6: pid \d+ looks up {name} and calls it: 0, answer {w0 ^ key:x}$",
            r"^names: the client ended with 0$",
            rf"^names: killing the server -> 0, wait -> {KILLED}$",
            rf"^t6: pid \d+ looks up {name} -> {E_NOENT}$",
            r"^names: a client after its death ended with 1$",
            rf"^t6: pid \d+ registers {name} -> 0$"]


# Guest instructions from spawn of bin/t6 exit to the return of its wait: the spawn
# request, the task and thread, about 8 page faults (code, constants, data, stack, the
# proc_info page; the heap is never touched), the exit, the destruction and the wait.
# The reference takes 87,507; the bound catches a pm that loads a program eagerly or
# zeroes pages a byte at a time, or a destruction that walks far more than it holds.
SPAWN_EXIT_WAIT_BOUND = 130_000


def spawn_cost(c):
    rounds = c.range(8, 16)
    h = digest([c.range(0, 255) for _ in range(rounds + 2)])
    return [rf"^spawn: {rounds + 2} rounds, their statuses: digest {h:x}$"]


def private_data(c):
    """Each instance starts from the file's value and keeps its own word."""
    w = [c.next() for _ in range(2)]
    return [rf"^t6: pid \d+: mark was 5eed5eed, now {w[0]:x}$",
            rf"^t6: pid \d+: mark was 5eed5eed, now {w[1]:x}$",
            r"^data: the code is shared: yes$",
            rf"^t6: pid \d+: mark is still {w[0]:x}$",
            rf"^t6: pid \d+: mark is still {w[1]:x}$",
            r"^data: both ended: 0 0$"]


def page_limit(c):
    word = c.next()
    return [rf"^t6: pid \d+ touches its heap page by page \({word:x}\)$",
            r"^pm: process \d+ \(bin/t6\) ended: out of memory at [0-9a-f]+ at rip [0-9a-f]+$",
            r"^limit: the hog ended with -12; the pm's pages in use 0$"]


def proc_fault(c):
    code, word = c.range(0, 255), c.next()
    return [rf"^t6: pid \d+ writes to its code \({word:x}\)$",
            r"^pm: process \d+ \(bin/t6\) ended: fault at [0-9a-f]+ at rip [0-9a-f]+$",
            rf"^fault: the child ended with {FAULT}$",
            rf"^fault: the next child exits with {code}$"]


def segments(c):
    """bin/t6-odd's data starts at page offset e48 (user/t6/odd.ld); it writes the low
    byte of the word to the last byte of its image. Then three faults, each its own
    process: the page past the image, a ret in the constants, a ret in the heap. A
    process still running 50 ticks on is killed, and its status line says so."""
    word, code = c.next(), c.range(0, 255)
    fault = r"^pm: process \d+ \(bin/t6\) ended: fault at [0-9a-f]+ at rip [0-9a-f]+$"
    return [rf"^t6: pid \d+, data at page offset e48: mark 5eed5eed, a constant c3; nonzero "
            rf"bytes before the data 0, after the image 0; the image's last byte 0, then "
            rf"{word & 0xff:02x}$",
            r"^segments: bin/t6-odd ended with 0$",
            rf"^t6: pid \d+ reads the page past its image \({word:x}\)$", fault,
            rf"^segments: the read past the image ended with {FAULT}$",
            # Not the pm's lines for these two: a pm that serves an exec fault again and
            # again never ends them, and the status line below says so.
            r"^t6: pid \d+ calls a ret in its constants$",
            r"^t6: pid \d+ calls a ret in its heap$",
            rf"^segments: code from the constants ended with {FAULT}, from the heap with "
            rf"{FAULT}$",
            rf"^segments: the next child exits with {code}$"]


TESTS += [
    pm_test("proc_segments", 10,
            "segments that start mid-page are loaded whole, bss zeroed to the image's last "
            "byte; the page past the image, and code in the constants or the heap, fault",
            segments, forbid=MUST_NOT),
    pm_test("proc_spawn_tree", 15,
            "a spawn tree: children spawn grandchildren, and every exit status comes back "
            "through wait", spawn_tree, forbid=MUST_NOT),
    pm_test("proc_argv", 10, "argv arrives intact; a missing program is refused",
            spawn_argv, forbid=MUST_NOT),
    pm_test("proc_kill", 15,
            "kill of a child running, blocked in IPC, blocked in a page fault, with a child "
            "of its own: each ends, and every count comes back",
            kill_children, forbid=MUST_NOT),
    pm_test("proc_reclaim_200", 20,
            "200 processes spawned and ended: the kernel's and the pm's counts are exactly "
            "where they were", reclaim_200, forbid=MUST_NOT, timeout=120),
    pm_test("proc_fork_bomb", 10,
            "a fork bomb is stopped by its account; another child runs meanwhile; killing it "
            "gives everything back", fork_bomb, forbid=MUST_NOT),
    pm_test("proc_fault", 5, "a process that writes to its code ends with a fault status",
            proc_fault, forbid=MUST_NOT),
    pm_test("proc_heap", 5,
            "malloc, free and realloc over a process's heap, whose pages the pm zero-fills "
            "on demand", proc_heap, forbid=MUST_NOT),
    pm_test("proc_bad_elf", 10,
            "16 malformed programs (truncated, wrong class, machine or type, no segments, "
            "overlapping, in the kernel's half or on the UTCBs, huge, a bad entry) are "
            "refused, and the pm goes on", bad_elf, forbid=MUST_NOT),
    pm_test("proc_names", 10,
            "a process registers a name, another looks it up and calls it; once the server "
            "is killed, the pm's notice frees the name and it can be taken again",
            proc_names, forbid=MUST_NOT),
    pm_test("proc_spawn_cost", 5,
            "guest instructions for spawn + run + exit + wait of the smallest program",
            spawn_cost, figures={"spawn_exit_wait": SPAWN_EXIT_WAIT_BOUND}, forbid=MUST_NOT),
    pm_test("proc_private_data", 5,
            "two instances of a program at once: each its own data, from the file; the code "
            "pages shared", private_data, forbid=MUST_NOT),
    pm_test("proc_page_limit", 5,
            "a process that touches more pages than it may hold ends with -12, and its pages "
            "come back", page_limit, forbid=MUST_NOT),
]
