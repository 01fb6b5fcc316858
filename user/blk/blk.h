/**
 * @file
 * blk.h — the virtio block driver's parts (bin/blk): the device (virtio.c), the
 * virtqueue (ring.c) and the server around them (main.c).
 *
 * The one thing to know: the device reads and writes memory by *physical* address,
 * so everything it touches — the descriptor table, the available and used rings, the
 * request headers, the status bytes and the data buffers — is in sigma0's DMA buffers,
 * whose physical addresses the driver knows; a client's page is copied to or from a
 * data buffer, since the driver does not know (and must not trust) where a client's
 * page is. Each worker owns three descriptors (header, data, status), its header, its
 * status byte and its data page, so requests never compete for a descriptor: the
 * queue has room for every worker's request at once.
 */
#ifndef BLK_H
#define BLK_H

#include <stdbool.h>
#include <stdint.h>

#define BLK_WORKERS             4
#define QUEUE_SIZE              16      /* >= 3 * BLK_WORKERS, a power of 2 */

/* The split virtqueue of virtio 1.x (section 2.7): little-endian, as x86 is. */
struct vq_desc {
	uint64_t addr;                  /* physical */
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};
#define VQ_DESC_NEXT            1
#define VQ_DESC_WRITE           2       /* the device writes it */

struct vq_avail {
	uint16_t flags;
	uint16_t idx;                   /* where the driver puts the next head, mod size */
	uint16_t ring[QUEUE_SIZE];
};

struct vq_used_elem {
	uint32_t id;                    /* the head descriptor of the request done */
	uint32_t len;
};

struct vq_used {
	uint16_t flags;
	uint16_t idx;                   /* how many the device has finished, mod 2^16 */
	struct vq_used_elem ring[QUEUE_SIZE];
};

/* A block request's header and status (virtio 1.x section 5.2.6). */
struct blk_header {
	uint32_t type;
	uint32_t reserved;
	uint64_t sector;
};
#define BLK_T_IN                0
#define BLK_T_OUT               1
#define BLK_T_FLUSH             4
#define BLK_S_OK                0

/* The queue's memory and the device's registers, as virtio.c set them up. */
struct vq {
	volatile struct vq_desc *desc;
	volatile struct vq_avail *avail;
	volatile struct vq_used *used;
	uint64_t desc_pa, avail_pa, used_pa;
	uint16_t last_used;             /* the used entries we have seen */
	volatile uint16_t *notify;      /* write the queue's index here to wake the device */
	volatile uint8_t *isr;          /* read to learn of (and end) an interrupt */
};

/* Worker i's request: its header and status (in one DMA page), and its data page. */
struct request {
	volatile struct blk_header *header;
	volatile uint8_t *status;
	uint8_t *data;
	uint64_t header_pa, status_pa, data_pa;
	volatile bool done;             /* set by the core when the device finished it */
};

/* virtio.c: finds the device, maps it, negotiates, sets up queue 0. Returns the
 * disk's size in sectors, or a negative error; *line its interrupt line. */
long virtio_start(long sigma0, struct vq *q, struct request req[], long *line);

/* ring.c */
/* Puts worker w's request (type, sector, count sectors) on the available ring and
 * tells the device. */
void ring_submit(struct vq *q, struct request req[], unsigned w, uint32_t type,
		 uint64_t sector, unsigned count);
/* After an interrupt: marks every request the device finished done; returns a mask of
 * the workers whose request finished. */
unsigned ring_complete(struct vq *q, struct request req[]);

#endif
