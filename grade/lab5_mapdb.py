"""The lines of lab 5's mapdb_sanitized host test (kernel/test/host/mapdb_seeded_test.c):
the mapping database's answers to a seeded run of roots, maps, grants, lookups and
budgeted unmaps, computed here from a model of what mapdb must do.

What a reader must know: the draws follow mapdb_seeded_test.c's, call for call, and
the model is the harness's account of the trees, kept as a correct mapdb would leave
them: change the order of draws there and this must change with it.
"""

import re
from dataclasses import dataclass

PAGE = 4096
TASKS, FRAMES, PAGES, STEPS = 4, 6, 12, 400
FRAME_BASE, VA_BASE = 0x200000, 0x40000000
RIGHTS_ALL = 0x6


@dataclass
class Node:
    parent: int
    task: int
    va: int
    rights: int
    alive: bool = True


def mapdb_sanitized(c):
    """The harness's lines for this Challenge, as a correct mapdb makes them."""
    nodes = []

    def node_at(task, va):
        return next((i for i, n in enumerate(nodes)
                     if n.alive and n.task == task and n.va == va), -1)

    def pick(roots):  # roots: True only, False none, None both
        live = [i for i, n in enumerate(nodes)
                if n.alive and (roots is None or (n.parent < 0) == roots)]
        return live[c.range(0, len(live) - 1)] if live else -1

    def descends(j, i):
        while j >= 0 and j != i:
            j = nodes[j].parent
        return j == i

    def step():
        op = c.range(0, 9)
        if op <= 1:
            f = c.range(0, FRAMES - 1)
            pa = FRAME_BASE + f * PAGE
            before = node_at(0, pa)
            if before < 0:
                nodes.append(Node(-1, 0, pa, RIGHTS_ALL))
            return (f"root {f}: {'made' if before < 0 else 'found'} "
                    f"#{before if before >= 0 else len(nodes) - 1} rights {RIGHTS_ALL}")
        if op <= 4:
            p, t = pick(None), c.range(1, TASKS - 1)
            va = VA_BASE + c.range(0, PAGES - 1) * PAGE
            rights = c.range(0, 3) << 1
            if p < 0 or node_at(t, va) >= 0:
                return "map: nothing to do"
            root = p
            while nodes[root].parent >= 0:
                root = nodes[root].parent
            nodes.append(Node(p, t, va, rights & nodes[p].rights))
            return (f"map #{p} to {t}:{va:x} rights {rights}: #{len(nodes) - 1} "
                    f"rights {rights & nodes[p].rights} frame {nodes[root].va:x}")
        if op == 5:
            i, t = pick(False), c.range(1, TASKS - 1)
            va = VA_BASE + c.range(0, PAGES - 1) * PAGE
            if i < 0 or node_at(t, va) >= 0:
                return "grant: nothing to do"
            nodes[i].task, nodes[i].va = t, va
            return f"grant #{i} to {t}:{va:x}: found #{i} there, #-1 at the old page"
        if op <= 7:
            i, self, budget = pick(None), c.next() & 1, c.range(1, 5)
            if i < 0:
                return "unmap: nothing to do"
            gone = [j for j, n in enumerate(nodes)
                    if n.alive and descends(j, i) and (j != i or self)]
            for j in gone:
                nodes[j].alive = False
            return (f"unmap #{i}{' and itself' if self else ''} budget {budget}: done, "
                    "leaves first, each out of the index, removed"
                    + "".join(f" #{j}" for j in gone))
        t = c.range(0, TASKS - 1)
        va = (VA_BASE + c.range(0, PAGES - 1) * PAGE if t
              else FRAME_BASE + c.range(0, FRAMES - 1) * PAGE)
        return f"find {t}:{va:x}: #{node_at(t, va)}"

    lines = []
    for _ in range(STEPS):
        lines.append(step())
        lines.append(f"  count {sum(n.alive for n in nodes)}, links agree")
    return lines + ["end: count 0, 0 objects held"]


def expected(c):
    """The regexes of mapdb_sanitized: every line, exactly."""
    return ["^" + re.escape(line) + "$" for line in mapdb_sanitized(c)]
