"""Lab 3's planted bugs: what students write in thread_enter(), the run queues,
pick_next(), sched_tick(), syscall_dispatch() and user_range_ok() when they get it
almost right.

Each must fail a lab-3 test (grade/mutate.py); the text it replaces must occur exactly
once in its file, so a change to the reference that moves it makes the set stale, loudly.
"""

from mutate import Mutant

THREAD = "kernel/thread.c"
SCHED = "kernel/sched.c"
SYSCALL = "kernel/syscall.c"
RANGE = "kernel/user_access.c"

MUTANTS = [
    # The thread switch.
    Mutant("switch_no_tss_stack", THREAD, "tss_set_kernel_stack(next->kstack_top);\n", "",
           "traps from user mode land on the previous thread's kernel stack"),
    Mutant("switch_no_syscall_stack", THREAD, "cpu.kernel_rsp = next->kstack_top;\n\tif",
           "if", "system calls land on the previous thread's kernel stack"),
    Mutant("switch_no_fs", THREAD, "\tif (next->task)\n\t\tcpu_set_user_fs(next->utcb_va);\n",
           "", "every thread sees the first thread's UTCB through %fs"),
    Mutant("switch_cr3_once", THREAD, "if (next->task && next->task != cpu.space) {",
           "if (next->task && !cpu.space) {",
           "loads a page table only when none is loaded: a second task runs on the first's"),
    Mutant("switch_fs_only_with_cr3", THREAD,
           "\t\tcpu.space = next->task;\n\t}\n\ttss_set_kernel_stack(next->kstack_top);\n"
           "\tcpu.kernel_rsp = next->kstack_top;\n\tif (next->task)\n"
           "\t\tcpu_set_user_fs(next->utcb_va);\n",
           "\t\tcpu.space = next->task;\n\t\tcpu_set_user_fs(next->utcb_va);\n\t}\n"
           "\ttss_set_kernel_stack(next->kstack_top);\n\tcpu.kernel_rsp = next->kstack_top;\n",
           "sets FS only when the task changes: threads of one task share a UTCB"),
    # The run queues.
    Mutant("queue_head_ignored", SCHED, "if (at_head)\n\t\t\t*head = t;", "(void)at_head;",
           "a preempted thread goes to the back of its queue"),
    Mutant("queue_always_head", SCHED, "if (at_head)\n\t\t\t*head = t;",
           "(void)at_head;\n\t\t*head = t;",
           "every thread goes to the front of its queue"),
    Mutant("queue_after_head", SCHED,
           "t->next = *head;\n\t\tt->prev = (*head)->prev;\n\t\tt->prev->next = t;\n"
           "\t\t(*head)->prev = t;",
           "t->prev = *head;\n\t\tt->next = (*head)->next;\n\t\tt->next->prev = t;\n"
           "\t\t(*head)->next = t;",
           "links a thread in just after the head, not at the tail"),
    Mutant("queue_int_bitmap", SCHED, "ready_bitmap |= 1ull << t->priority;",
           "ready_bitmap |= 1u << t->priority;", "the bitmap's bit made in 32 bits"),
    Mutant("remove_head_kept", SCHED, "if (*head == t)\n\t\t\t*head = t->next;", "",
           "the queue's head still points at a removed thread"),
    Mutant("remove_head_backwards", SCHED, "if (*head == t)\n\t\t\t*head = t->next;",
           "if (*head == t)\n\t\t\t*head = t->prev;",
           "a removed head hands the queue to the tail, not the next"),
    Mutant("remove_bit_kept", SCHED, "*head = NULL;\n\t\tready_bitmap &= ~(1ull << t->priority);",
           "*head = NULL;", "an empty queue's bit stays set"),
    # Picking.
    Mutant("pick_lowest", SCHED, "unsigned prio = 63 - (unsigned)__builtin_clzll(ready_bitmap);",
           "unsigned prio = (unsigned)__builtin_ctzll(ready_bitmap);",
           "picks the lowest ready priority"),
    Mutant("pick_tail", SCHED, "struct thread *t = queue[prio];\n\tsched_remove(t);",
           "struct thread *t = queue[prio]->prev;\n\tsched_remove(t);",
           "takes the last thread of the queue, not the first"),
    # Preemption.
    Mutant("slice_one_tick_long", SCHED, "if (--cur->slice > 0)", "if (cur->slice-- > 0)",
           "a time slice of 11 ticks"),
    Mutant("slice_never_refilled", SCHED,
           "\tcur->slice = TIME_SLICE_TICKS;\n\tqueue_insert(cur, false);       /* round robin",
           "\tqueue_insert(cur, false);       /* round robin",
           "a thread's second slice is 1 tick"),
    Mutant("slice_requeued_at_head", SCHED, "queue_insert(cur, false);       /* round robin",
           "queue_insert(cur, true);       /* round robin",
           "a thread whose slice ran out goes first again"),
    # Dispatch and the user range.
    Mutant("dispatch_bound_inclusive", SYSCALL, "if (number < SYSCALL_COUNT &&",
           "if (number <= SYSCALL_COUNT &&", "calls past the table's end for SYSCALL_COUNT"),
    Mutant("dispatch_32_bit_number", SYSCALL, "uint64_t number = tf->rax;",
           "unsigned number = (unsigned)tf->rax;", "drops the number's upper 32 bits"),
    Mutant("dispatch_signed_number", SYSCALL,
           "uint64_t number = tf->rax;\n\tlong result = E_NOSYS;\n\n\tif (number < SYSCALL_COUNT",
           "long number = (long)tf->rax;\n\tlong result = E_NOSYS;\n\n\tif (number < SYSCALL_COUNT",
           "a negative number passes the bound"),
    Mutant("range_top_exclusive", RANGE, "len <= USER_TOP - addr", "len < USER_TOP - addr",
           "refuses a range that ends exactly at USER_TOP"),
    Mutant("range_end_wraps", RANGE, "return addr < USER_TOP && len <= USER_TOP - addr;",
           "return addr + len <= USER_TOP;", "addr + len wraps past zero"),
    Mutant("range_last_byte", RANGE, "return addr < USER_TOP && len <= USER_TOP - addr;",
           "return addr < USER_TOP && addr + len - 1 < USER_TOP;",
           "checks the last byte: wraps, and an empty range at 0 passes by luck"),
]
