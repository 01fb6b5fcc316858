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
#include <stddef.h>
#include <task.h>
#include <thread.h>
#include <abi/error.h>
#include <abi/ipc.h>
#include <abi/utcb.h>

/* Message register i of t: MR0 and MR1 are its saved r8 and r9, the rest in its UTCB. */
static uint64_t *mr(struct thread *t, unsigned i)
{
	if (i == 0)
		return &t->user_frame->r8;
	if (i == 1)
		return &t->user_frame->r9;
	return &t->utcb->mr[i];
}

/* Delivers one capability item; returns the receiver's new slot, or 0 if none. */
static uint64_t transfer_cap(struct thread *from, struct thread *to, uint64_t kind,
			     uint64_t slot)
{
	/* LAB 4 BEGIN: capability transfer */
	int err;
	struct cap *c = cap_slot(from->task, (long)slot, &err);
	if (!c || !(kind & IPC_ITEM_CAP) || !to->utcb->accept_caps)
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
	// Find the sender's capability in `slot`, and if the receiver accepts
	// capabilities, give it a new slot naming the same object with the sender's
	// rights narrowed by the item's mask (never more). A move empties the sender's
	// slot. Return the new slot, or 0 when nothing was delivered.
	(void)from; (void)to; (void)kind; (void)slot;
	return 0;
	*/
	/* LAB 4 END */
}

long ipc_transfer(struct thread *from, struct thread *to, uint64_t badge, bool may_grant)
{
	uint64_t tag = from->user_frame->r10;
	unsigned untyped = IPC_TAG_UNTYPED(tag), typed = IPC_TAG_TYPED(tag);
	unsigned room = to->utcb->buffer_words ? (unsigned)to->utcb->buffer_words : IPC_MR_COUNT;

	/* LAB 4 BEGIN: the message copy */
	if (untyped > room || untyped + 2 * typed > IPC_MR_COUNT)
		return E_TOOLONG;
	for (unsigned i = 0; i < untyped; i++)
		*mr(to, i) = *mr(from, i);
	for (unsigned k = 0; k < typed; k++) {
		unsigned at = untyped + 2 * k;
		uint64_t kind = *mr(from, at);
		uint64_t slot = may_grant ? transfer_cap(from, to, kind, *mr(from, at + 1)) : 0;
		*mr(to, at) = kind;
		*mr(to, at + 1) = slot;
	}
	to->user_frame->r10 = tag;
	to->user_frame->rsi = badge;
	return E_OK;
	/* LAB 4 STUB
	// Check that the untyped words fit the receiver's buffer (else E_TOOLONG and
	// deliver nothing), copy them with mr(), pass each typed item through
	// transfer_cap() when may_grant, then give the receiver the tag and the badge.
	(void)from; (void)to; (void)badge; (void)may_grant; (void)tag; (void)room;
	(void)untyped; (void)typed; (void)mr; (void)transfer_cap;
	return E_TOOLONG;
	*/
	/* LAB 4 END */
}
