"""Lab 7's planted bugs (grade/mutate.py): what students write in interrupt delivery,
binding and acknowledging a line, sigma0's device memory, the virtio ring and the
16550 driver when they get it almost right.

Each must fail a lab-7 test; the text it replaces must occur exactly once in its file,
so a change to the reference that moves it makes the set stale, loudly.
"""

from pathlib import Path

from mutate import Mutant

IRQ = "kernel/irq.c"
SPACE = "kernel/space.c"
RING = "user/blk/ring.c"
UART = "user/console/uart.c"


def _both_room_checks():
    """(find, replace) for one mutant that drops both of uart.c's line_room() checks: the
    text from the first to the second (the end of transmit(), the start of uart_serve()),
    with both taken out. A tree without them gets a text found nowhere: stale."""
    first, second = "(line_room(con) ? IER_RX : 0)", "n < RX_PER_SERVE && line_room(con) &&"
    path = Path(__file__).resolve().parents[2] / UART
    text = path.read_text() if path.is_file() else ""
    if first not in text or second not in text:
        return first + second, ""
    span = text[text.index(first):text.index(second) + len(second)]
    return span, span.replace(first, "IER_RX").replace(second, "n < RX_PER_SERVE &&")


MUTANTS = [
    # Delivery, binding, acknowledging.
    Mutant("irq_no_mask", IRQ, "\tioapic_mask(line, true);        /* until the driver", "\t/*",
           "leaves the line unmasked after its interrupt"),
    Mutant("irq_no_preempt", IRQ, "\t\tsched_preempt_check();  /* the driver", "\t\t/*",
           "lets the interrupted thread run on before a higher driver"),
    Mutant("irq_line_bit", IRQ, "ipc_notify(lines[line].ep, lines[line].badge);",
           "ipc_notify(lines[line].ep, 1ul << line);",
           "notifies the line's bit instead of the binding's badge"),
    Mutant("bind_keeps_badge", IRQ, "\tl->badge = task->caps[a->a1].badge;",
           "\tif (!l->badge)\n\t\tl->badge = task->caps[a->a1].badge;",
           "keeps the first binding's badge when the line is bound again"),
    Mutant("bind_irq_cap_badge", IRQ, "\tl->badge = task->caps[a->a1].badge;",
           "\tl->badge = task->caps[a->a0].badge | 1;",
           "takes the badge of the IRQ capability, not the endpoint's"),
    Mutant("ack_unbound", IRQ, "\tif (!l->ep)\n\t\treturn E_STATE;         /* unbound", "\t/*",
           "acknowledges (unmasks) a line nobody is bound to"),
    Mutant("ack_masks", IRQ, "ioapic_mask((unsigned)(l - lines), false);",
           "ioapic_mask((unsigned)(l - lines), true);", "masks the line on acknowledge"),
    # Device memory.
    Mutant("dev_top_exclusive", SPACE, "return pa >= ram_top &&", "return pa > ram_top &&",
           "refuses the first page above RAM"),
    Mutant("dev_4g_inclusive", SPACE, "pa < (1ull << 32) && pa != lapic_base",
           "pa <= (1ull << 32) && pa != lapic_base", "allows the page at 4 GiB"),
    Mutant("dev_ioapic", SPACE, " && pa != IOAPIC_BASE;", ";",
           "lets sigma0 map the I/O APIC"),
    Mutant("dev_any_region", SPACE, "if (r->type == MEM_USABLE && r->base < (1ull << 32)",
           "if (r->base < (1ull << 32)", "counts reserved regions as RAM"),
    Mutant("dev_top_is_base", SPACE,
           "ram_top = r->base + r->length < (1ull << 32) ? r->base + r->length : 1ull << 32;",
           "ram_top = r->base;", "takes the top of RAM as the last region's base"),
    # The virtio ring.
    Mutant("ring_avail_idx_wraps", RING, "\tq->avail->idx++;",
           "\tq->avail->idx = (uint16_t)((q->avail->idx + 1) % QUEUE_SIZE);",
           "wraps avail.idx at the ring's size (it runs free to 2^16)"),
    Mutant("ring_avail_unwrapped", RING, "q->avail->ring[q->avail->idx % QUEUE_SIZE] = head;",
           "q->avail->ring[q->avail->idx] = head;",
           "indexes the available ring with the free-running idx, past its end"),
    Mutant("ring_data_direction", RING, "(type == BLK_T_IN ? VQ_DESC_WRITE : 0)",
           "(type == BLK_T_OUT ? VQ_DESC_WRITE : 0)",
           "marks the data device-writable for a write, not a read"),
    Mutant("ring_flush_with_data", RING,
           "\tif (type == BLK_T_FLUSH) {\n\t\tq->desc[head].next = status;",
           "\tif (type == BLK_T_FLUSH && count) {\n\t\tq->desc[head].next = status;",
           "chains a data descriptor of 0 bytes to a flush"),
    Mutant("ring_mask_by_id", RING, "done |= 1u << (id / 3);", "done |= 1u << (id % 32);",
           "reports the chain's head, not its worker"),
    # The 16550.
    Mutant("tx_ier_always", UART, "(con->tx.count > 0 ? IER_TX : 0)", "IER_TX",
           "leaves the transmit interrupt on with nothing to send"),
    Mutant("tx_ier_never", UART, "(con->tx.count > 0 ? IER_TX : 0)", "0",
           "never enables the transmit interrupt"),
]

# Real bugs that console_flood catches only when typed input outruns the guest: QEMU
# delivers the grader's keystrokes at the host's pace, and on a quiet machine the reader
# keeps up, so the console's buffer never fills (both were caught under load, both
# survived a quiet run). Not in MUTANTS until console_flood fills the buffer on every
# run (it should wait until the bytes are in, not spin a fixed number of ticks);
# `mutate.py --set` with a file that lists them tries them.
TIMING_DEPENDENT = [
    Mutant("tx_rx_always", UART, "(line_room(con) ? IER_RX : 0)", "IER_RX",
           "keeps the receive interrupt on when no line fits"),
    # Taking bytes only while a line fits is done twice: the receive interrupt is off
    # without room (transmit), and the loop stops when room runs out. The loop's check
    # alone is no bug (a serve starts only with room, and a FIFO of 16 bytes cannot
    # take the 256 bytes of slack line_room keeps); a driver that ignores room in both
    # places drops typed bytes.
    Mutant("rx_ignores_room", UART, *_both_room_checks(),
           "takes typed bytes whether or not a line still fits (they are dropped)"),
]
