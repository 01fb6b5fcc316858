"""Lab 6's planted bugs (grade/mutate.py): what students write in reclaim(), the segment
loader (make_regions), the pm's fault handler (pm_fault) and the name server's table
when they get it almost right.

Each must fail a lab-6 test; the text it replaces must occur exactly once in its file,
so a change to the reference that moves it makes the set stale, loudly.
"""

from mutate import Mutant

DESTROY = "kernel/task_destroy.c"
LOADER = "user/pm/loader.c"
REGIONS = "user/pm/regions.c"
NAMES = "user/names/names.c"

MUTANTS = [
    # Destroying a task: a step left out, a loop that stops short, two steps swapped.
    Mutant("destroy_children_live", DESTROY,
           "\t\tif (!child->dead)\n\t\t\tdoom(child);", "\t\t(void)child;",
           "leaves the tasks it created alive"),
    Mutant("destroy_one_thread", DESTROY,
           "while (task->thread_list)\n\t\tthread_end_in_dying_task",
           "if (task->thread_list)\n\t\tthread_end_in_dying_task",
           "ends only the task's first thread"),
    Mutant("destroy_caps_last_slot", DESTROY,
           "for (long slot = 1; slot < CAP_SLOTS; slot++)\n\t\tif (task->caps[slot].type",
           "for (long slot = 1; slot < CAP_SLOTS - 1; slot++)\n\t\tif (task->caps[slot].type",
           "never deletes the capability in the last slot"),
    Mutant("destroy_one_endpoint", DESTROY,
           "while (task->endpoints)", "if (task->endpoints)",
           "kills only the first endpoint the task created"),
    Mutant("destroy_space_kept", DESTROY, "\t\tcpu.space = NULL;\n", "",
           "switches CR3 away but leaves cpu.space naming the dying task"),
    Mutant("destroy_no_release", DESTROY, "\ttask_free_space(task);\n\ttask_release(task);",
           "\ttask_free_space(task);", "never releases the task's struct and table"),
    # The segment loader: the region's bounds, kind, rights and segment.
    Mutant("load_filesz_end", LOADER, "s->vaddr + s->memsz + 0xfff",
           "s->vaddr + s->filesz + 0xfff", "ends a segment's region at its file bytes (no bss)"),
    Mutant("load_start_unrounded", LOADER, "r->start = s->vaddr & ~0xffful;",
           "r->start = s->vaddr;", "starts the region at vaddr, not its page"),
    Mutant("load_end_from_page", LOADER, "r->end = (s->vaddr + s->memsz + 0xfff)",
           "r->end = (r->start + s->memsz + 0xfff)",
           "measures memsz from the page, forgetting vaddr's offset in it"),
    Mutant("load_end_truncated", LOADER, "(s->vaddr + s->memsz + 0xfff) & ~0xffful",
           "(s->vaddr + s->memsz) & ~0xffful", "rounds the region's end down"),
    Mutant("load_kind_inverted", LOADER, "s->flags & PF_W ? REGION_PRIVATE : REGION_SHARED",
           "s->flags & PF_W ? REGION_SHARED : REGION_PRIVATE",
           "shares the writable segments, copies the read-only ones"),
    Mutant("load_segment_unset", LOADER, "r->segment = (uint8_t)i;", "",
           "forgets which segment a region comes from"),
    Mutant("load_always_writable", LOADER, "(s->flags & PF_W ? MAP_WRITE : 0) |",
           "MAP_WRITE |", "makes every segment writable"),
    Mutant("load_exec_from_read", LOADER, "(s->flags & PF_X ? MAP_EXEC : 0)",
           "(s->flags & PF_R ? MAP_EXEC : 0)", "makes every readable segment executable"),
    # The fault handler: the region's bounds, the access check, what is mapped.
    Mutant("fault_end_inclusive", REGIONS,
           "va >= p->regions[i].start && va < p->regions[i].end",
           "va >= p->regions[i].start && va <= p->regions[i].end",
           "takes the page just past a region as the region's"),
    Mutant("fault_no_exec_check", REGIONS,
           " ||\n\t    ((access & FAULT_EXEC) && !(r->rights & MAP_EXEC)))", ")",
           "lets a process run code from its data, heap or stack"),
    Mutant("fault_no_write_check", REGIONS,
           "((access & FAULT_WRITE) && !(r->rights & MAP_WRITE)) ||", "",
           "lets a write fault in on a read-only region"),
    Mutant("fault_private_shared", REGIONS,
           "\t\tslot = own_page(p);\n\t\tif (slot >= 0)\n\t\t\tfill_from_file",
           "\t\tslot = shared_page(p->program, s, va);\n\t\tif (slot < 0)\n\t\t\tfill_from_file",
           "shares a writable segment's pages between instances"),
    Mutant("fault_nomem_status", REGIONS, "\t\tp->status = PM_STATUS_NOMEM;\n", "",
           "refuses a fault with no page left without saying why"),
    Mutant("fault_map_writable", REGIONS, "IPC_MAP_ITEM(IPC_ITEM_MAP, va, r->rights)",
           "IPC_MAP_ITEM(IPC_ITEM_MAP, va, r->rights | MAP_WRITE)",
           "maps every page writable, whatever its region allows"),
    # The name server's table.
    Mutant("names_first_word", NAMES,
           "memcmp(table[i].name.words, n->words, sizeof(n->words)) == 0",
           "table[i].name.words[0] == n->words[0]",
           "compares only a name's first 8 bytes"),
    Mutant("names_replace", NAMES, "\tif (table_find(n))\n\t\treturn E_EXISTS;",
           "\tstruct names_entry *old = table_find(n);\n\tif (old) {\n\t\t"
           "*old = (struct names_entry){ .name = *n, .slot = slot, .badge = badge };\n\t\t"
           "return 0;\n\t}", "replaces a name that is taken"),
    Mutant("names_table_short", NAMES,
           "for (int i = 0; i < NAMES_TABLE_SIZE; i++) {\n\t\tif (table[i].name.len == 0)",
           "for (int i = 0; i < NAMES_TABLE_SIZE - 1; i++) {\n\t\tif (table[i].name.len == 0)",
           "never uses the table's last entry"),
    Mutant("names_remove_keeps_cap", NAMES, "\tsys_cap_delete(e->slot);\n\t*e =", "\t*e =",
           "frees an entry but keeps names's copy of its capability"),
    Mutant("names_badge_first", NAMES, "\t\t\ttable_remove(&table[i]);\n\t\t\tfreed++;",
           "\t\t\ttable_remove(&table[i]);\n\t\t\treturn 1;",
           "frees only the first name of a dead badge"),
    Mutant("names_badge_any", NAMES,
           "if (table[i].name.len != 0 && table[i].badge == badge) {",
           "if (table[i].name.len != 0) {\n\t\t\t(void)badge;",
           "frees every name at a death notice"),
]
