/**
 * @file
 * virtio.c — finding the virtio block device and setting it up (virtio 1.x, PCI).
 *
 * The one thing to know: minim speaks the *modern* interface only (virtio 1.x, PCI
 * device id 0x1042; QEMU's `disable-legacy=on`): the device's registers are found
 * through vendor capabilities in its configuration space, each naming a BAR, an offset
 * and a length, and they are memory-mapped — sigma0 maps that BAR uncached. The
 * legacy interface (I/O ports, fixed offsets) is simpler, but it is the past of the
 * spec, and it would teach neither capabilities nor device memory. Every offset and
 * length the device gives is checked against the mapping before it is used.
 */
#include <ioport.h>
#include <minim.h>
#include <pci.h>
#include <sigma0.h>
#include "blk.h"

#define VIRTIO_VENDOR           0x1af4
#define VIRTIO_BLK_MODERN       0x1042
#define PCI_CAP_VENDOR          0x09
#define CAP_COMMON              1
#define CAP_NOTIFY              2
#define CAP_ISR                 3
#define CAP_DEVICE              4
#define MMIO_VA                 0x0000600000000000ul
#define DMA_VA                  0x0000610000000000ul
#define MMIO_MAX_LOG2           15

/* The common configuration structure (virtio 1.x section 4.1.4.3). */
struct common {
	uint32_t device_feature_select, device_feature;
	uint32_t driver_feature_select, driver_feature;
	uint16_t msix_config, num_queues;
	uint8_t device_status, config_generation;
	uint16_t queue_select, queue_size, queue_msix_vector, queue_enable, queue_notify_off;
	uint32_t queue_desc_lo, queue_desc_hi;
	uint32_t queue_driver_lo, queue_driver_hi;
	uint32_t queue_device_lo, queue_device_hi;
};
_Static_assert(sizeof(struct common) == 0x38, "virtio common configuration layout");

#define STATUS_ACKNOWLEDGE      1
#define STATUS_DRIVER           2
#define STATUS_DRIVER_OK        4
#define STATUS_FEATURES_OK      8
#define FEATURE_FLUSH           (1u << 9)
#define FEATURE_VERSION_1       1u      /* bit 32: word 1, bit 0 */

struct region {
	uint8_t bar;
	uint32_t offset, length;
};

/* The vendor capabilities we need; false if one is missing or malformed. */
static bool find_caps(pci_addr f, struct region r[5], uint32_t *notify_mult)
{
	if (!(pci_read16(f, PCI_STATUS) & PCI_STATUS_CAPS))
		return false;
	unsigned found = 0;
	uint8_t at = pci_read8(f, PCI_CAPS) & 0xfc;
	for (int n = 0; n < 48 && at >= 0x40; n++, at = pci_read8(f, at + 1) & 0xfc) {
		uint8_t type = pci_read8(f, at + 3);
		if (pci_read8(f, at) != PCI_CAP_VENDOR || type < CAP_COMMON || type > CAP_DEVICE ||
		    (found & (1u << type)))
			continue;       /* the first of each type is the one to use */
		r[type] = (struct region){ .bar = pci_read8(f, at + 4),
					   .offset = pci_read32(f, at + 8),
					   .length = pci_read32(f, at + 12) };
		if (type == CAP_NOTIFY)
			*notify_mult = pci_read32(f, at + 16);
		found |= 1u << type;
	}
	return found == (1u << CAP_COMMON | 1u << CAP_NOTIFY | 1u << CAP_ISR | 1u << CAP_DEVICE);
}

long virtio_start(long sigma0, struct vq *q, struct request req[], long *line)
{
	if (sigma0_io_ports(sigma0, IO_FPAGE(PCI_CONFIG_PORT, 3)) != 8)
		return E_RIGHTS;
	pci_addr f = pci_find(VIRTIO_VENDOR, VIRTIO_BLK_MODERN);
	if (f == PCI_NONE)
		return E_NOENT;
	struct region r[5];
	uint32_t mult = 0;
	if (!find_caps(f, r, &mult))
		return E_INVAL;
	*line = pci_read8(f, PCI_INTERRUPT_LINE);
	/* All four in one BAR, within what one mapping covers (QEMU: BAR 4, 16 KiB). */
	uint64_t extent = 0;
	for (int t = CAP_COMMON; t <= CAP_DEVICE; t++) {
		if (r[t].bar != r[CAP_COMMON].bar || r[t].length > (1u << MMIO_MAX_LOG2))
			return E_INVAL;
		if ((uint64_t)r[t].offset + r[t].length > extent)
			extent = (uint64_t)r[t].offset + r[t].length;
	}
	unsigned log2 = 12;
	while ((1ul << log2) < extent && log2 < MMIO_MAX_LOG2)
		log2++;
	uint64_t bar = pci_bar(f, r[CAP_COMMON].bar);
	if (*line > 23 || extent > (1ul << log2) || r[CAP_COMMON].length < sizeof(struct common) ||
	    r[CAP_DEVICE].length < 8 || r[CAP_ISR].length < 1 || !bar ||
	    (bar & ((1ul << log2) - 1)) ||
	    sigma0_mmio(sigma0, MMIO_VA, bar, log2) != (long)(1ul << (log2 - 12)))
		return E_INVAL;
	pci_write16(f, PCI_COMMAND, pci_read16(f, PCI_COMMAND) | PCI_COMMAND_MEMORY |
					    PCI_COMMAND_MASTER);
	volatile struct common *c = (volatile struct common *)(MMIO_VA + r[CAP_COMMON].offset);

	/* Reset, then say we know it and can drive it, then agree on features (4.1.5). */
	c->device_status = 0;
	while (c->device_status != 0)
		;
	c->device_status = STATUS_ACKNOWLEDGE | STATUS_DRIVER;
	c->device_feature_select = 1;
	if (!(c->device_feature & FEATURE_VERSION_1))
		return E_INVAL;
	c->device_feature_select = 0;
	uint32_t offered = c->device_feature;
	c->driver_feature_select = 0;
	c->driver_feature = offered & FEATURE_FLUSH;
	c->driver_feature_select = 1;
	c->driver_feature = FEATURE_VERSION_1;
	c->device_status = STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK;
	if (!(c->device_status & STATUS_FEATURES_OK))
		return E_INVAL;

	/* Queue 0: its three parts in one DMA page, each aligned as 2.7 asks. */
	unsigned long pa;
	c->queue_select = 0;
	if (c->queue_size < QUEUE_SIZE || sigma0_dma(sigma0, DMA_VA, 12, &pa) != 0)
		return E_NOMEM;
	c->queue_size = QUEUE_SIZE;
	q->desc = (volatile struct vq_desc *)DMA_VA;
	q->avail = (volatile struct vq_avail *)(DMA_VA + 1024);
	q->used = (volatile struct vq_used *)(DMA_VA + 2048);
	q->desc_pa = pa;
	q->avail_pa = pa + 1024;
	q->used_pa = pa + 2048;
	c->queue_desc_lo = (uint32_t)q->desc_pa;
	c->queue_desc_hi = (uint32_t)(q->desc_pa >> 32);
	c->queue_driver_lo = (uint32_t)q->avail_pa;
	c->queue_driver_hi = (uint32_t)(q->avail_pa >> 32);
	c->queue_device_lo = (uint32_t)q->used_pa;
	c->queue_device_hi = (uint32_t)(q->used_pa >> 32);
	uint64_t notify_at = r[CAP_NOTIFY].offset + (uint64_t)c->queue_notify_off * mult;
	if (notify_at + 2 > (uint64_t)r[CAP_NOTIFY].offset + r[CAP_NOTIFY].length)
		return E_INVAL;
	q->notify = (volatile uint16_t *)(MMIO_VA + notify_at);
	q->isr = (volatile uint8_t *)(MMIO_VA + r[CAP_ISR].offset);
	c->queue_enable = 1;

	/* The workers' headers and status bytes in one page, their data in four more. */
	unsigned long hdr_pa, data_pa;
	if (sigma0_dma(sigma0, DMA_VA + 0x1000, 12, &hdr_pa) != 0 ||
	    sigma0_dma(sigma0, DMA_VA + 0x4000, 14, &data_pa) != 0)
		return E_NOMEM;
	for (unsigned w = 0; w < BLK_WORKERS; w++) {
		req[w].header = (volatile struct blk_header *)(DMA_VA + 0x1000 + 32 * w);
		req[w].status = (volatile uint8_t *)(DMA_VA + 0x1000 + 32 * w + 16);
		req[w].data = (uint8_t *)(DMA_VA + 0x4000 + 4096 * w);
		req[w].header_pa = hdr_pa + 32 * w;
		req[w].status_pa = hdr_pa + 32 * w + 16;
		req[w].data_pa = data_pa + 4096 * w;
	}
	c->device_status = STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK |
			   STATUS_DRIVER_OK;
	volatile uint32_t *capacity = (volatile uint32_t *)(MMIO_VA + r[CAP_DEVICE].offset);
	uint64_t sectors = capacity[0] | (uint64_t)capacity[1] << 32;
	return sectors > (1ul << 40) ? E_INVAL : (long)sectors;
}
