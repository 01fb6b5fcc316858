"""Lab 5's planted bugs (grade/mutate.py): what students write in the fault, page-placing,
I/O-port, mapping-database and pager regions when they get it almost right — and the one
bug of lab 4's fast path that only faults can show.

Tried and left out, each caught by a test that was there before these (so they add
little): the badges swapped, the exception message without rsp, no quota check, a grant
that stays in the granter's page table, one port past the flexpage, unloading only the
sender's bitmap, a new child that drops its siblings, an unmap that does not count, the
pager's bottom off by one, its pages read-only, its pool not advanced. And one no boot
test can catch: mapdb_map() without `& parent->rights` is masked already by place_page()
(its only caller); make unit catches it (map_gives_at_most_the_parents_rights).
"""

from mutate import Mutant

MUTANTS = [
    # Lab 4's region, but a thread in a fault exists only from lab 5 on: the fast path must
    # hand a faulting thread's reply to the kernel (exception_resume_equal_priority).
    Mutant("fast_no_fault_check", "kernel/ipc_fastpath.c",
           "client->fault_label || !fits", "!fits",
           "replies into a faulting thread's registers"),
]

FAULT = "kernel/fault.c"
SPACE = "kernel/space.c"
MAPDB = "kernel/mapdb.c"
PAGER = "user/lib/pager.c"

MUTANTS += [
    # The page fault as IPC (fault.c): the message, the mark, the verdict on the reply.
    Mutant("fault_label_not_cleared", FAULT, "\tt->fault_label = 0;\n", "\n",
           "leaves the thread marked as in a fault after the reply"),
    Mutant("fault_exception_label_unchecked", FAULT,
           "IPC_TAG_LABEL(t->fault_tag) != FAULT_RESUME || ", "",
           "resumes a thread whatever its handler answered"),
    Mutant("fault_exception_rip_off_by_one", FAULT, "t->fault_msg[0] >= USER_TOP",
           "t->fault_msg[0] > USER_TOP", "lets a handler resume at the first non-user address"),
    Mutant("fault_write_checked_as_read", FAULT,
           "return space_has_access(t->task, addr, access);",
           "return space_has_access(t->task, addr, FAULT_READ);",
           "resumes a write fault on a read-only page, which faults again for ever"),
    # Placing a page (space.c).
    Mutant("place_rights_unmasked", SPACE, "\trights &= src->rights;\n", "\n",
           "enters the page table entry with the rights asked for, not the sender's"),
    Mutant("place_grant_keeps_rights", SPACE, "\t\tsrc->rights = (uint8_t)rights;\n", "\n",
           "a grant with fewer rights leaves the moved node its old rights"),
    Mutant("place_grant_shrinks_tree", SPACE,
           "if (moves && rights != src->rights && src->children)\n\t\treturn false;",
           "(void)0;", "a grant that drops rights keeps the mappings derived from it"),
    Mutant("place_over_kernel_page", SPACE,
           "\t\treturn false;           /* the kernel's own page (image, stack, UTCB) */",
           "\t\tpt_unmap(to->pml4, va);", "makes room by unmapping the kernel's own page"),
    Mutant("place_always_exec", SPACE, "(rights & MAP_EXEC ? 0 : pte_nx)", "0",
           "leaves every page executable"),
    # Passing I/O ports (space.c).
    Mutant("io_not_permitted", SPACE, "\t\tif (!io_allowed(src, p))\n\t\t\tcontinue;\n",
           "\t\t(void)io_allowed;\n", "passes ports the sender does not have"),
    Mutant("io_grant_kept", SPACE, "\t\t*io_byte(src, p) |= (uint8_t)(1u << (p % 8));\n",
           "\t\t(void)0;\n", "a moved port stays usable by the sender"),
    Mutant("io_never_unloaded", SPACE,
           "\tif (cpu.io_loaded == src || cpu.io_loaded == dst)\n\t\tspace_io_unload();",
           "", "leaves a stale bitmap in the TSS"),
    # A mapping in the tree and the recursive unmap (mapdb.c).
    Mutant("mapdb_no_prev_link", MAPDB,
           "\tif (parent->children)\n\t\tparent->children->prev_sibling = m;\n", "\n",
           "does not link the older sibling back to the new node"),
    Mutant("unmap_stops_at_first_child", MAPDB, "\t\tif (last)\n\t\t\treturn true;",
           "\t\tif (last || (parent == m && !self))\n\t\t\treturn true;",
           "stops when it first climbs back to m, missing m's other children"),
    Mutant("unmap_one_level", MAPDB, "\t\twhile (node->children)", "\t\tif (node->children)",
           "goes down one level only, missing grandchildren"),
    # The pager's answer (pager.c).
    Mutant("pager_top_off_by_one", PAGER, "page >= p->anon_hi", "page > p->anon_hi",
           "serves the page just past the top of its region"),
]
