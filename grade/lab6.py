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


def quota_bomb(c):
    """Tasks of `child` pages until the account is full, then threads of 5 pages, then
    endpoints in what is left (less than a thread)."""
    quota, child = c.range(96, 128), c.range(4, 8)
    room = quota - THREAD_COST_PAGES                    # its own thread is paid first
    tasks = room // (child + TASK_FIXED_COST_PAGES)
    room -= tasks * (child + TASK_FIXED_COST_PAGES)
    threads = room // THREAD_COST_PAGES
    room -= threads * THREAD_COST_PAGES
    some = "yes" if room > 0 else "no"
    return [rf"^bomb: a task of {quota} pages made {tasks} tasks of {child} pages \(then "
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
        "task_quota_bomb", 10,
        "a task that makes tasks, threads and endpoints until refused exhausts only its own "
        "account; destroying it gives it all back",
        quota_bomb, forbid=MUST_NOT),
    process_test(
        "task_create_on_account", 5,
        "a task made on another task's account is paid from it, and dies with it",
        on_account, forbid=MUST_NOT),
]
