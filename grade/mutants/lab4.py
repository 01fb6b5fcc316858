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
    # The rendezvous, sending side (send_phase()).
    Mutant("send_reply_right_by_hand", IPC, "take_reply_right(r, cur);",
           "r->caller = cur;\n\t\tcur->callee = r;",
           "sets the reply right by hand: an unused one's caller waits for ever"),
    Mutant("send_badge_not_saved", IPC, "cur->send_badge = badge;", "",
           "queues a sender without its badge"),
    Mutant("send_queued_grant_lost", IPC, " | (grant ? SENDER_GRANTS : 0)", "",
           "queues a sender without its grant right: its items never arrive"),
    Mutant("send_senders_lifo", IPC, "endpoint_enqueue(&ep->senders, ep, cur);",
           "endpoint_enqueue(&ep->senders, ep, cur);\n\tep->senders = cur;",
           "queues a sender at the head: the newest is served first"),
    Mutant("send_failed_call_waits", IPC, "if (!call || err != E_OK) {", "if (!call) {",
           "a call whose transfer failed still hands over its reply right and waits"),
    # The rendezvous, receiving side (receive_phase()).
    Mutant("recv_no_timeout_cancel", IPC, "endpoint_dequeue(s);\n\t\ttimeout_cancel(s);",
           "endpoint_dequeue(s);",
           "takes a queued sender's message but leaves its deadline armed"),
    Mutant("recv_own_badge", IPC, "ipc_transfer(s, cur, s->send_badge,",
           "ipc_transfer(s, cur, cur->send_badge,",
           "gives the receiver its own recorded badge, not the sender's"),
    Mutant("recv_reply_right_by_hand", IPC, "take_reply_right(cur, s);",
           "cur->caller = s;\n\t\t\ts->callee = cur;",
           "takes a queued caller's reply right by hand: an unused one is lost"),
    Mutant("recv_call_flag_equals", IPC, "bool call = s->send_flags & SENDER_CALLS;",
           "bool call = s->send_flags == SENDER_CALLS;",
           "tests the flags with ==: a queued caller that may grant is woken as a sender"),
    Mutant("recv_failed_call_kept", IPC, "if (call && err == E_OK) {", "if (call) {",
           "keeps a queued caller's reply right after its transfer failed"),
    # The message copy (ipc_transfer()).
    Mutant("xfer_badge_zero_skipped", XFER, "to->user_frame->rsi = badge;",
           "if (badge)\n\t\tto->user_frame->rsi = badge;",
           "delivers the badge only when it is not 0"),
    Mutant("xfer_copy_before_check", XFER,
           "\tif (untyped > room || untyped + 2 * typed > IPC_MR_COUNT)\n\t\treturn E_TOOLONG;\n"
           "\tfor (unsigned i = 0; i < untyped; i++)\n\t\t*mr(to, i) = *mr(from, i);\n",
           "\tfor (unsigned i = 0; i < untyped; i++)\n"
           "\t\t*mr(to, i) = *mr(from, i);\n"
           "\tif (untyped > room || untyped + 2 * typed > IPC_MR_COUNT)\n\t\treturn E_TOOLONG;\n",
           "copies the words before checking they fit the receiver's buffer"),
    Mutant("xfer_items_count_in_room", XFER, "if (untyped > room ||",
           "if (untyped + 2 * typed > room ||",
           "counts the items against the receiver's buffer_words"),
    # Capability transfer (transfer_cap()).
    Mutant("cap_mask_grows", XFER, "unsigned rights = mask ? c->rights & mask : c->rights;",
           "unsigned rights = mask ? mask : c->rights;",
           "gives the item's mask as the rights: they can grow"),
    Mutant("cap_delete_before_insert_check", XFER,
           "\tif (new_slot < 0)\n\t\treturn 0;\n\tif (kind & IPC_ITEM_MOVE)\n"
           "\t\tcap_delete(from->task, (long)slot);\n",
           "\tif (kind & IPC_ITEM_MOVE)\n\t\tcap_delete(from->task, (long)slot);\n"
           "\tif (new_slot < 0)\n\t\treturn 0;\n",
           "empties a moved capability's slot even when the insert failed: it is lost"),
    Mutant("cap_badge_dropped", XFER, "c->badge);", "0);",
           "a transferred capability loses its badge"),
]
