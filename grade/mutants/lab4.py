"""Lab 4's planted bugs: what students write in send_phase(), receive_phase(),
ipc_transfer(), transfer_cap() and ipc_fastpath() when they get it almost right.

Each must fail a lab-4 test (grade/mutate.py); the text it replaces must occur exactly
once in its file, so a change to the reference that moves it makes the set stale, loudly.
"""

from mutate import Mutant

FAST = "kernel/ipc_fastpath.c"
IPC = "kernel/ipc.c"
XFER = "kernel/ipc_transfer.c"

MUTANTS = [
    # The fast path: a check dropped, each a job only the general path does.
    Mutant("fast_no_deadline_check", FAST,
           "if (!server || server->wake_tick || server->caller ||",
           "if (!server || server->caller ||",
           "calls a receiver that waits with a deadline"),
    Mutant("fast_no_reply_right_check", FAST,
           "server->wake_tick || server->caller ||", "server->wake_tick ||",
           "overwrites an unused reply right"),
    Mutant("fast_no_sender_check", FAST,
           "if (!client || !ep || ep->senders ||", "if (!client || !ep ||",
           "blocks the server with a sender queued"),
    Mutant("fast_no_timeout_check", FAST,
           "(tf->rdx >> 8) != IPC_TIMEOUT_INFINITE ||", "",
           "ignores a reply-and-receive's timeout"),
    Mutant("fast_no_priority_check", FAST,
           "return to->priority >= cur->priority && !(ready",
           "(void)cur; return !(ready",
           "switches to a lower-priority partner"),
    Mutant("fast_no_ready_equal_check", FAST,
           "!(ready_bitmap >> to->priority & 1) &&", "",
           "runs the partner before an equal that was ready first"),
    Mutant("fast_no_buffer_check", FAST,
           "&&\n\t       IPC_TAG_UNTYPED(tag) <= ipc_room(buffer_words);",
           "; (void)buffer_words; (void)tag;",
           "ignores the receiver's buffer_words"),
    Mutant("fast_untyped_only", FAST,
           "return (tag & 0xffff) <= IPC_MR_IN_REGISTERS;",
           "return IPC_TAG_UNTYPED(tag) <= IPC_MR_IN_REGISTERS;",
           "takes messages with items"),
    # What it delivers and the state it leaves.
    Mutant("fast_badge_only_if_set", FAST,
           "t->user_frame->rsi = badge;", "if (badge) t->user_frame->rsi = badge;",
           "leaves a stale badge register for badge 0"),
    Mutant("fast_every_word", FAST,
           "if (words > 0)\n\t\tt->user_frame->r8 = tf->r8;\n\tif (words > 1)\n\t\t"
           "t->user_frame->r9 = tf->r9;",
           "(void)words; t->user_frame->r8 = tf->r8; t->user_frame->r9 = tf->r9;",
           "copies MR0 and MR1 whatever the tag says"),
    Mutant("fast_no_result", FAST, "t->ipc_result = 0;", "",
           "leaves the partner's old result"),
    Mutant("fast_reply_with_badge", FAST, "deliver(client, tf, 0);",
           "deliver(client, tf, tf->rsi);", "hands the client a badge on the reply"),
    Mutant("fast_server_state", FAST, "server->state = THREAD_RUNNING;", "",
           "leaves the server marked receiving"),
    Mutant("fast_client_state", FAST, "client->state = THREAD_RUNNING;", "",
           "leaves the client marked waiting"),
    Mutant("fast_caller_state", FAST, "cur->state = THREAD_WAITING_REPLY;", "",
           "leaves the caller marked running"),
    Mutant("fast_receiver_state", FAST, "cur->state = THREAD_RECEIVING;", "",
           "leaves the server marked running in the queue"),
    Mutant("fast_callee_kept", FAST, "client->callee = NULL;", "",
           "leaves the client's callee set after the reply"),
    Mutant("fast_callee_not_set", FAST, "cur->callee = server;", "",
           "forgets the caller's callee"),
    Mutant("fast_thread_switch", FAST, "\t\tthread_handoff(server);",
           "\t\tthread_switch(server);\n\t\treturn;",
           "switches with thread_switch() and returns into the general path"),
]
