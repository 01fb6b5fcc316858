/**
 * @file
 * abi/ipc.h — the IPC system call's message format, operations, timeouts and rights.
 *
 * The one thing to know: a message is a tag and message registers (MRs). The tag and
 * MR0, MR1 travel in CPU registers (r10, r8, r9) both ways; MR2 onwards live in the
 * UTCB. The tag counts the untyped words (plain data) and the typed items that follow
 * them (capabilities to transfer; pages and I/O ports in lab 5), each item two MRs.
 *
 *   ipc(dest slot: rdi, source slot: rsi, flags | timeout << 8: rdx,
 *       tag: r10, MR0: r8, MR1: r9) -> rax = 0 or an error;
 *   on receiving: r10 = tag, r8 = MR0, r9 = MR1, rsi = the sender's badge.
 */
#ifndef ABI_IPC_H
#define ABI_IPC_H

/* Operations (the low byte of rdx). */
#define IPC_SEND        0x01    /* send to the endpoint in rdi */
#define IPC_RECEIVE     0x02    /* then receive from the endpoint in rsi */
#define IPC_CALL        0x04    /* send, then wait for the receiver's reply */
#define IPC_REPLY       0x08    /* reply to the caller we last received from */
/* The usual combinations. */
#define IPC_OP_SEND             IPC_SEND
#define IPC_OP_RECEIVE          IPC_RECEIVE
#define IPC_OP_CALL             IPC_CALL
#define IPC_OP_REPLY_RECEIVE    (IPC_REPLY | IPC_RECEIVE)

/*
 * Timeouts (rdx >> 8), in timer ticks (1 tick = 1,000,001 guest instructions under
 * -icount). It bounds the wait of the send or receive phase; a call's wait for its
 * reply is unbounded. A wait ends on the first tick at or after its deadline — but a
 * tick ends at most IPC_TIMEOUT_WAKES_PER_TICK waits, earliest deadline first, so when
 * more fall due at once the rest end on the following ticks (the kernel runs each tick
 * with interrupts off: its work must not grow with the number of waiters).
 */
#define IPC_TIMEOUT_POLL        0ul                     /* fail at once if no partner */
#define IPC_TIMEOUT_INFINITE    0x00fffffffffffffful    /* wait for ever */
#define IPC_FLAGS(op, timeout)  ((unsigned long)(op) | ((unsigned long)(timeout) << 8))
#define IPC_TIMEOUT_WAKES_PER_TICK      16

/*
 * When the last capability to an endpoint goes (cap_delete, or a thread's pager or
 * exception handler replaced), every wait there ends with E_GONE: at most
 * ENDPOINT_GONE_WAKES at once, then at most ENDPOINT_GONE_WAKES more on each tick, so a
 * deletion under hundreds of waiters is not hundreds of wakes with interrupts off. No
 * new waiter can come: nothing names the endpoint any more.
 */
#define ENDPOINT_GONE_WAKES     16

/* Message registers: MR0 and MR1 in registers, MR2.. in the UTCB's mr[]. */
#define IPC_MR_COUNT            64
#define IPC_MR_IN_REGISTERS     2

/* The tag: label (bits 16..63, free for the protocol), typed items, untyped words. */
#define IPC_TAG(label, untyped, typed) \
	(((unsigned long)(label) << 16) | ((unsigned long)(typed) << 8) | (unsigned long)(untyped))
#define IPC_TAG_LABEL(tag)      ((tag) >> 16)
#define IPC_TAG_TYPED(tag)      (((tag) >> 8) & 0xff)
#define IPC_TAG_UNTYPED(tag)    ((tag) & 0xff)

/*
 * A typed item: two MRs after the untyped words, word 0 saying what kind it is (its low
 * four bits) and how, word 1 what. A capability item: word 1 the sender's slot; on
 * arrival the receiver's new slot, or 0 if it could not be delivered (the receiver does
 * not accept capabilities, or its table is full).
 */
#define IPC_ITEM_KIND(w)        ((w) & 0xful)
#define IPC_ITEM_CAP            0x1ul
#define IPC_ITEM_MOVE           0x100ul         /* take it out of the sender's table */
#define IPC_ITEM_RIGHTS(mask)   ((unsigned long)(mask) << 16)   /* keep only these rights */
#define IPC_ITEM_RIGHTS_OF(w)   (((w) >> 16) & 0xff)

/*
 * Map and grant items (lab 5): word 1 is a flexpage in the sender's address space — a
 * page-aligned base and the log2 of its size, 2^12 to 2^24 bytes. Word 0 holds the
 * rights to give (never more than the sender has) and a "hot spot", a page-aligned
 * address that says where in the receiver's window the pages land: at
 * window base + (hot spot mod window size), rounded down to the flexpage's size. A map
 * shares the pages; a grant moves them (the sender loses them). The receiver accepts
 * mappings only inside the window it put in utcb.map_window (0: none). On arrival
 * word 1 holds the number of pages that were mapped, and word 0's rights are those
 * every one of them arrived with (the item's, less any the sender lacked; MAP_UNCACHED
 * for device memory; 0 if none arrived), so a server knows whether it may write a
 * client's page before it does (lab 7).
 */
#define IPC_ITEM_MAP            0x2ul
#define IPC_ITEM_GRANT          0x3ul
#define MAP_WRITE               0x2ul   /* rights of a mapping: read is implied */
#define MAP_EXEC                0x4ul
#define MAP_RIGHTS_ALL          (MAP_WRITE | MAP_EXEC)
/* Lab 7: device memory (sigma0's pages in the PCI hole) is mapped uncached (PCD and
 * PWT: memory type UC under the power-on PAT), and so is every mapping derived from
 * it, whether or not the item asks for it; RAM is always cached (x86 DMA is coherent). */
#define MAP_UNCACHED            0x1ul
#define IPC_MAP_ITEM(kind, hotspot, rights) \
	((unsigned long)(hotspot) | ((unsigned long)(rights) << 4) | (unsigned long)(kind))
#define IPC_MAP_RIGHTS_OF(w)    (((w) >> 4) & 0x7ul)
#define IPC_MAP_HOTSPOT(w)      ((w) & ~0xffful)
#define FPAGE(base, log2)       ((unsigned long)(base) | (unsigned long)(log2))
#define FPAGE_BASE(f)           ((f) & ~0xffful)
#define FPAGE_LOG2(f)           ((f) & 0x3ful)
#define FPAGE_MIN_LOG2          12
#define FPAGE_MAX_LOG2          24
/*
 * The limits of one message: its map and grant items cover at most IPC_MAP_PAGES_MAX
 * pages in all (32 KiB: a flexpage of log2 up to 15), its I/O items at most
 * IPC_IO_PORTS_MAX ports; a message over either fails with E_TOOLONG on both sides
 * and delivers nothing (as one too long for the receiver's buffer). A message is moved
 * in one kernel entry with interrupts off, and a page costs up to 7,000 guest
 * instructions (three new page tables to zero in the receiver), so 8 pages keep a
 * message under 60,000. A page lands only where it does bounded work: a grant that
 * drops rights from a page others derived mappings from is skipped (unmap those
 * first), and so is a page whose destination holds a page others derived mappings
 * from (the receiver unmaps it first); a leaf there is replaced.
 */
#define IPC_MAP_PAGES_MAX       8
#define IPC_IO_PORTS_MAX        1024
/* The whole user half: the window the kernel uses for replies to page faults. */
#define FPAGE_USER_SPACE        FPAGE(0, 47)

/*
 * I/O-port items (lab 5): word 1 an I/O flexpage — ports [port, port + 2^log2),
 * log2 0 to 16, port aligned to the size. They land at the same port numbers in the
 * receiver, if it accepts mappings at all (a non-zero map_window). The item gives
 * access (the sender keeps it), or moves it with IPC_ITEM_MOVE; sigma0 starts with
 * every port. On arrival word 1 holds the number of ports that arrived.
 */
#define IPC_ITEM_IO             0x4ul
#define IO_FPAGE(port, log2)    (((unsigned long)(port) << 12) | (unsigned long)(log2))
#define IO_FPAGE_PORT(f)        ((f) >> 12)

/*
 * Faults as IPC (lab 5). A thread that faults "calls" its pager (a page fault) or its
 * exception handler (any other exception) with a message the kernel writes:
 *   page fault: label FAULT_PAGE, MR0 the address, MR1 the rip, MR2 FAULT_READ/WRITE/EXEC
 *   exception:  label FAULT_EXCEPTION, MR0 the vector, MR1 rip, MR2 error code, MR3 rsp
 * The reply to a page fault carries a map item (the window is the faulting space; put
 * the hot spot at the fault address). The reply to an exception with label
 * FAULT_RESUME resumes at MR0 (rip) with MR1 (rsp); any other reply stops the thread.
 * The badge says which thread faulted: its pager capability's badge.
 */
#define FAULT_PAGE              0xfff1ul
#define FAULT_EXCEPTION         0xfff2ul
#define FAULT_RESUME            0x1ul
#define FAULT_READ              0x1ul
#define FAULT_WRITE             0x2ul
#define FAULT_EXEC              0x4ul

/*
 * unmap() flags: also remove the caller's own mapping, not only those derived from it.
 * A flexpage may have any number of mappings derived from it, so unmap is restartable:
 * one kernel entry does at most UNMAP_WORK_PER_ENTRY units (a page looked up, a
 * mapping removed: about 130 guest instructions each), then the kernel rewinds the
 * caller over its `syscall` instruction, writes its progress into the caller's rsi
 * (bits 16-31: the next page of the flexpage) and rdx (the mappings removed so far),
 * and the call runs again once pending interrupts are taken. So call it with those
 * bits clear and rdx 0 (the stubs do), and do not count on rsi and rdx afterwards.
 */
#define UNMAP_SELF              0x1ul
#define UNMAP_PROGRESS_SHIFT    16
#define UNMAP_PROGRESS_MASK     (0xfffful << UNMAP_PROGRESS_SHIFT)
#define UNMAP_PROGRESS(flags)   (((flags) & UNMAP_PROGRESS_MASK) >> UNMAP_PROGRESS_SHIFT)
#define UNMAP_WORK_PER_ENTRY    256

/*
 * Notifications (lab 7): an endpoint also holds a word of pending bits. An interrupt
 * bound to it (irq_bind) or an endpoint_signal OR-s its badge in, never blocking; a
 * receive there takes all the bits at once, before any waiting sender, as a message
 * of label IPC_LABEL_NOTIFY, one untyped word (MR0 = the bits), the bits in rsi as its
 * badge and no reply right. So one receive waits for clients and interrupts alike.
 * A sender can use the label too: the badge, which no sender can forge, says which.
 */
#define IPC_LABEL_NOTIFY        0xfff3ul

/* Capability rights (a capability's rights can only ever shrink). */
#define RIGHT_CONTROL   0x01    /* tasks and threads: create threads in, start, stop */
#define RIGHT_SEND      0x02    /* endpoints: send and call */
#define RIGHT_RECEIVE   0x04    /* endpoints: receive */
#define RIGHT_GRANT     0x08    /* endpoints: send capabilities along with messages */
#define RIGHTS_ALL      0x0f

#endif
