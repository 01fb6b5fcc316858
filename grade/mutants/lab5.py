"""Lab 5's planted bugs (grade/mutate.py): what students write in the pager and fault
regions when they get it almost right — and the one bug of lab 4's fast path that only
faults can show.
"""

from mutate import Mutant

MUTANTS = [
    # Lab 4's region, but a thread in a fault exists only from lab 5 on: the fast path must
    # hand a faulting thread's reply to the kernel (exception_resume_equal_priority).
    Mutant("fast_no_fault_check", "kernel/ipc_fastpath.c",
           "client->fault_label || !fits", "!fits",
           "replies into a faulting thread's registers"),
]
