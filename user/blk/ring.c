/**
 * @file
 * ring.c — the split virtqueue: putting a request on the available ring, and taking
 * finished ones off the used ring (virtio 1.x section 2.7).
 *
 * The one thing to know: the ring is memory the driver and the device share, with no
 * lock: each side only ever writes its own index (the driver avail.idx, the device
 * used.idx), and writes the entries before the index that publishes them. On x86
 * stores are seen in program order, so a compiler barrier is the fence here; the
 * device's words (used entries) are checked before they are believed.
 */
#include "blk.h"

#define barrier() __asm__ volatile("" ::: "memory")

void ring_submit(struct vq *q, struct request req[], unsigned w, uint32_t type,
		 uint64_t sector, unsigned count)
{
	struct request *r = &req[w];
	r->header->type = type;
	r->header->reserved = 0;
	r->header->sector = sector;
	*r->status = 0xff;              /* not BLK_S_OK until the device says so */
	r->done = false;
	/* LAB 7 BEGIN: submitting a request */
	uint16_t head = (uint16_t)(3 * w), data = head + 1, status = head + 2;
	q->desc[head] = (struct vq_desc){ .addr = r->header_pa, .len = sizeof(struct blk_header),
					  .flags = VQ_DESC_NEXT, .next = data };
	if (type == BLK_T_FLUSH) {
		q->desc[head].next = status;    /* a flush carries no data */
	} else {
		q->desc[data] = (struct vq_desc){
			.addr = r->data_pa, .len = count * 512,
			.flags = VQ_DESC_NEXT | (type == BLK_T_IN ? VQ_DESC_WRITE : 0),
			.next = status };
	}
	q->desc[status] = (struct vq_desc){ .addr = r->status_pa, .len = 1,
					    .flags = VQ_DESC_WRITE };
	q->avail->ring[q->avail->idx % QUEUE_SIZE] = head;
	barrier();                      /* the entry before the index that publishes it */
	q->avail->idx++;
	barrier();
	*q->notify = 0;                 /* queue 0 has work */
	/* LAB 7 STUB
	// Chain worker w's three descriptors (3w: the header, read by the device; 3w + 1:
	// the data, count sectors, written by the device for a read; 3w + 2: the status
	// byte, written by the device) — a flush has no data descriptor — then publish
	// the head in the available ring (the entry first, then avail.idx) and notify.
	(void)q; (void)count;
	*/
	/* LAB 7 END */
}

unsigned ring_complete(struct vq *q, struct request req[])
{
	unsigned done = 0;
	/* LAB 7 BEGIN: taking completions */
	for (unsigned n = 0; n < QUEUE_SIZE && q->last_used != q->used->idx; n++) {
		barrier();              /* the index first, then the entries it covers */
		uint32_t id = q->used->ring[q->last_used % QUEUE_SIZE].id;
		q->last_used++;
		if (id % 3 != 0 || id / 3 >= BLK_WORKERS || req[id / 3].done)
			continue;       /* not a head we gave it, or told twice: ignore */
		req[id / 3].done = true;
		done |= 1u << (id / 3);
	}
	/* LAB 7 STUB
	// Walk the used ring from last_used up to used.idx (at most QUEUE_SIZE entries a
	// call): each entry's id is the head of a finished chain, 3w for worker w. Check
	// it (the device's word), mark req[w] done and add w to the mask.
	(void)q; (void)req;
	*/
	/* LAB 7 END */
	return done;
}
