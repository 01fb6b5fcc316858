/**
 * @file
 * ipc_transfer.c — moving a message from one thread to another: words and capabilities.
 *
 * The one thing to know: the kernel copies between the two threads' own storage —
 * saved registers and UTCBs, both kernel memory reached without any user pointer — so
 * the copy cannot fault. A capability moves by the receiver's table getting a new slot
 * naming the same object, with the sender's rights or fewer, never more.
 */
#include <cap.h>
#include <ipc_core.h>
#include <task.h>
#include <space.h>
#include <thread.h>
#include <abi/error.h>
#include <abi/ipc.h>
#include <abi/utcb.h>

/* Message register i of t: MR0 and MR1 are its saved r8 and r9, the rest in its UTCB
 * — except for a thread in a fault, whose messages the kernel keeps in fault_msg. */
static uint64_t *mr(struct thread *t, unsigned i)
{
	if (t->fault_label)
		return &t->fault_msg[i < FAULT_WORDS ? i : FAULT_WORDS - 1];
	if (i == 0)
		return &t->user_frame->r8;
	if (i == 1)
		return &t->user_frame->r9;
	return &t->utcb->mr[i];
}

/*
 * What the receiver's UTCB says it accepts, read once per message: the receiver's task
 * can write the UTCB at any moment, so a field read twice could change in between
 * (a double fetch, once there is more than one CPU).
 */
struct acceptance {
	unsigned room;          /* untyped words (ipc_room) */
	bool caps;              /* accept_caps */
	uint64_t window;        /* map_window: where pages may land; 0: nowhere */
};

static struct acceptance acceptance_of(const struct thread *to)
{
	const volatile struct utcb *u = to->utcb;
	return (struct acceptance){ .room = ipc_room(u->buffer_words),
				    .caps = u->accept_caps != 0, .window = u->map_window };
}

/* Delivers one capability item to a receiver that `accepts` capabilities (or not);
 * returns the receiver's new slot, or 0 if none. */
static uint64_t transfer_cap(struct thread *from, struct thread *to, bool accepts,
			     uint64_t kind, uint64_t slot)
{
	/* LAB 4 BEGIN: capability transfer */
	int err;
	struct cap *c = cap_slot(from->task, (long)slot, &err);
	if (!c || !accepts)
		return 0;
	unsigned mask = IPC_ITEM_RIGHTS_OF(kind);
	unsigned rights = mask ? c->rights & mask : c->rights;     /* never more */
	long new_slot = cap_insert(to->task, (enum cap_type)c->type, c->object, rights,
				   c->badge);
	if (new_slot < 0)
		return 0;
	if (kind & IPC_ITEM_MOVE)
		cap_delete(from->task, (long)slot);
	return (uint64_t)new_slot;
	/* LAB 4 STUB
	// Find the sender's capability in `slot`, and if the receiver `accepts`
	// capabilities, give it a new slot naming the same object with the sender's
	// rights narrowed by the item's mask (never more). A move empties the sender's
	// slot. Return the new slot, or 0 when nothing was delivered.
	(void)from; (void)to; (void)accepts; (void)kind; (void)slot;
	return 0;
	*/
	/* LAB 4 END */
}

/* Carries out one typed item whose word 0 is *kind; returns what the receiver finds
 * in its word 1. A map or grant item's word 0 arrives with the rights that did
 * (abi/ipc.h), so *kind may change. */
static uint64_t transfer_item(struct thread *from, struct thread *to,
			      const struct acceptance *acc, uint64_t *kind, uint64_t what,
			      bool may_grant)
{
	unsigned rights = 0;
	uint64_t pages;
	switch (IPC_ITEM_KIND(*kind)) {
	case IPC_ITEM_CAP:
		return may_grant ? transfer_cap(from, to, acc->caps, *kind, what) : 0;
	case IPC_ITEM_MAP:
	case IPC_ITEM_GRANT:
		pages = acc->window ? space_map_item(from, to, *kind, what, acc->window,
						     IPC_ITEM_KIND(*kind) == IPC_ITEM_GRANT,
						     &rights) : 0;
		*kind = (*kind & ~(0x7ul << 4)) | (uint64_t)rights << 4;
		return pages;
	case IPC_ITEM_IO:
		return acc->window ? space_io_item(from, to, what, *kind & IPC_ITEM_MOVE) : 0;
	default:
		return 0;
	}
}

/* The tag of from's message: its r10, or the one the kernel wrote for its fault. */
static uint64_t message_tag(struct thread *from)
{
	return from->fault_label ? from->fault_tag : from->user_frame->r10;
}

/*
 * The reply to a thread in a fault (lab 5) goes to the kernel, not to the thread: its
 * label and first words land in fault_msg for fault.c, its map items anywhere in the
 * thread's address space (the thread asked for them by faulting).
 */
static long deliver_fault_reply(struct thread *from, struct thread *to)
{
	uint64_t tag = message_tag(from);
	unsigned untyped = IPC_TAG_UNTYPED(tag), typed = IPC_TAG_TYPED(tag);
	/* A faulting thread takes pages anywhere in its space: it asked for them. */
	const struct acceptance acc = { .room = FAULT_WORDS, .window = FPAGE_USER_SPACE };
	if (untyped + 2 * typed > IPC_MR_COUNT)
		return E_TOOLONG;
	for (unsigned i = 0; i < untyped && i < FAULT_WORDS; i++)
		to->fault_msg[i] = *mr(from, i);
	for (unsigned k = 0; k < typed; k++) {
		uint64_t kind = *mr(from, untyped + 2 * k);
		transfer_item(from, to, &acc, &kind, *mr(from, untyped + 2 * k + 1), false);
	}
	to->fault_tag = tag;
	return E_OK;
}

/*
 * Whether from's items stay within one message's limits (abi/ipc.h: pages, ports), so
 * that moving them is bounded work. A size out of range moves nothing: it counts 0.
 * The copy reads the items again: safe on one CPU, where nothing runs between the two
 * reads; with more CPUs a sibling of the sender could grow an item in between, and the
 * limit would have to be counted down during the copy instead.
 */
static bool items_bounded(struct thread *from)
{
	uint64_t tag = message_tag(from), pages = 0, ports = 0;
	unsigned untyped = IPC_TAG_UNTYPED(tag), typed = IPC_TAG_TYPED(tag);
	if (untyped + 2 * typed > IPC_MR_COUNT)
		return true;            /* too long anyway: the copy says E_TOOLONG */
	for (unsigned k = 0; k < typed; k++) {
		uint64_t kind = IPC_ITEM_KIND(*mr(from, untyped + 2 * k));
		uint64_t log2 = FPAGE_LOG2(*mr(from, untyped + 2 * k + 1));
		if ((kind == IPC_ITEM_MAP || kind == IPC_ITEM_GRANT) && log2 >= FPAGE_MIN_LOG2 &&
		    log2 <= FPAGE_MAX_LOG2)
			pages += 1ull << (log2 - FPAGE_MIN_LOG2);
		else if (kind == IPC_ITEM_IO && log2 <= 16)
			ports += 1ull << log2;
	}
	return pages <= IPC_MAP_PAGES_MAX && ports <= IPC_IO_PORTS_MAX;
}

long ipc_transfer(struct thread *from, struct thread *to, uint64_t badge, bool may_grant)
{
	if (IPC_TAG_TYPED(message_tag(from)) && !items_bounded(from))
		return E_TOOLONG;       /* too much work for one kernel entry */
	if (to->fault_label)
		return deliver_fault_reply(from, to);
	uint64_t tag = message_tag(from);
	unsigned untyped = IPC_TAG_UNTYPED(tag), typed = IPC_TAG_TYPED(tag);
	const struct acceptance acc = acceptance_of(to);
	unsigned room = acc.room;

	/* LAB 4 BEGIN: the message copy */
	if (untyped > room || untyped + 2 * typed > IPC_MR_COUNT)
		return E_TOOLONG;
	for (unsigned i = 0; i < untyped; i++)
		*mr(to, i) = *mr(from, i);
	for (unsigned k = 0; k < typed; k++) {
		unsigned at = untyped + 2 * k;
		uint64_t kind = *mr(from, at);
		*mr(to, at + 1) = transfer_item(from, to, &acc, &kind, *mr(from, at + 1), may_grant);
		*mr(to, at) = kind;
	}
	to->user_frame->r10 = tag;
	to->user_frame->rsi = badge;
	return E_OK;
	/* LAB 4 STUB
	// Check that the untyped words fit the receiver's buffer (else E_TOOLONG and
	// deliver nothing), copy them with mr(), pass each typed item through
	// transfer_item() (with &acc, and the item's word 0, which it may change) and put
	// both words in the receiver's item, then give the receiver the tag and the badge.
	(void)from; (void)to; (void)badge; (void)may_grant; (void)tag; (void)room; (void)acc;
	(void)untyped; (void)typed; (void)mr; (void)transfer_item;
	return E_TOOLONG;
	*/
	/* LAB 4 END */
}
