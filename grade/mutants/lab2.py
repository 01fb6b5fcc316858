"""Lab 2's planted bugs: what students write in frame_alloc(), frame_free(), pt_walk()
and map_kernel_image() when they get it almost right.

Each must fail a lab-2 test (grade/mutate.py); the text it replaces must occur exactly
once in its file, so a change to the reference that moves it makes the set stale, loudly.
"""

from mutate import Mutant

FRAME = "kernel/mm/frame.c"
PAGING = "kernel/arch/x86_64/paging.c"

MUTANTS = [
    # The free list.
    Mutant("frame_alloc_no_empty_check", FRAME,
           "if (pa == 0)\n\t\treturn 0;\n\tfree_head", "free_head",
           "pops from an empty list (reads frame 0's first word as the next)"),
    Mutant("frame_alloc_count_kept", FRAME, "free_count--;\n\treturn pa;", "return pa;",
           "frame_free_count() does not drop on allocation"),
    Mutant("frame_alloc_returns_next", FRAME, "free_count--;\n\treturn pa;",
           "free_count--;\n\treturn free_head;", "returns the new head, not the frame taken"),
    Mutant("frame_alloc_physical_read", FRAME, "free_head = *(uint64_t *)P2V(pa);",
           "free_head = *(uint64_t *)pa;",
           "reads the next pointer at the physical address, not through the direct map"),
    Mutant("frame_free_head_kept", FRAME, "free_head = pa;\n\tfree_count++;",
           "free_count++;", "links the frame to the head but never makes it the head"),
    Mutant("frame_free_count_kept", FRAME, "free_head = pa;\n\tfree_count++;",
           "free_head = pa;", "frame_free_count() does not grow on free"),
    Mutant("frame_free_link_lost", FRAME, "*(uint64_t *)P2V(pa) = free_head;",
           "*(uint64_t *)P2V(pa) = 0;", "a freed frame ends the list: the rest is lost"),
    # The walk.
    Mutant("walk_no_user_bit", PAGING, "*entry = pa | PTE_PRESENT | PTE_WRITE | PTE_USER;",
           "*entry = pa | PTE_PRESENT | PTE_WRITE;",
           "new tables are supervisor-only: no user page below them works"),
    Mutant("walk_no_write_bit", PAGING, "*entry = pa | PTE_PRESENT | PTE_WRITE | PTE_USER;",
           "*entry = pa | PTE_PRESENT | PTE_USER;",
           "new tables are read-only: no page below them is writable"),
    Mutant("walk_ignores_oom", PAGING, "if (!pa)\n\t\t\t\treturn NULL;\n", "",
           "uses frame 0 as a table when no frame is left"),
    Mutant("walk_not_zeroed", PAGING, "memset(P2V(pa), 0, PAGE_SIZE);\n\t\t\t*entry", "*entry",
           "new tables keep the garbage of their frame"),
    Mutant("walk_zeroes_physical", PAGING, "memset(P2V(pa), 0, PAGE_SIZE);\n\t\t\t*entry",
           "memset((void *)pa, 0, PAGE_SIZE);\n\t\t\t*entry",
           "zeroes a new table at its physical address (mapped only by the boot tables)"),
    Mutant("walk_into_large_page", PAGING,
           "} else if (*entry & PTE_LARGE) {\n\t\t\treturn NULL;\n\t\t}", "}",
           "descends into a large page as if it were a table"),
    Mutant("walk_creates_when_asked_not_to", PAGING, "if (!create)\n\t\t\t\treturn NULL;\n",
           "(void)create;\n", "allocates tables on a lookup"),
    Mutant("walk_one_level_short", PAGING, "for (int l = 4; l > level; l--) {",
           "for (int l = 4; l > level + 1; l--) {", "stops a level above the one asked for"),
    # The kernel image's rights.
    Mutant("wx_text_writable", PAGING,
           "map_image_range(pml4, kernel_text_start, kernel_text_end, PTE_GLOBAL);",
           "map_image_range(pml4, kernel_text_start, kernel_text_end, PTE_GLOBAL | PTE_WRITE);",
           "kernel code writable"),
    Mutant("wx_rodata_writable", PAGING, "kernel_rodata_end, PTE_GLOBAL | pte_nx);",
           "kernel_rodata_end, PTE_GLOBAL | PTE_WRITE | pte_nx);", "constants writable"),
    Mutant("wx_rodata_executable", PAGING, "kernel_rodata_end, PTE_GLOBAL | pte_nx);",
           "kernel_rodata_end, PTE_GLOBAL);", "constants executable"),
    Mutant("wx_data_executable", PAGING, "PTE_GLOBAL | PTE_WRITE | pte_nx);\n\t/* LAB 2 STUB",
           "PTE_GLOBAL | PTE_WRITE);\n\t/* LAB 2 STUB", "data executable"),
    Mutant("wx_not_global", PAGING,
           "map_image_range(pml4, kernel_text_start, kernel_text_end, PTE_GLOBAL);",
           "map_image_range(pml4, kernel_text_start, kernel_text_end, 0);",
           "kernel code not global: flushed from the TLB on every address-space switch"),
]
