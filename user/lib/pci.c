/**
 * @file
 * pci.c — configuration space reads and writes, a search of bus 0, and BARs.
 *
 * The one thing to know: one access is two port accesses (the address to 0xcf8, the
 * data at 0xcfc), so two threads of one task must not interleave them; minim's
 * drivers touch configuration space only while they start, from one thread.
 */
#include <ioport.h>
#include <pci.h>

static void select(pci_addr f, unsigned offset)
{
	outl(PCI_CONFIG_PORT, 0x80000000u | f << 8 | (offset & 0xfc));
}

uint32_t pci_read32(pci_addr f, unsigned offset)
{
	select(f, offset);
	return inl(PCI_CONFIG_PORT + 4);
}

uint16_t pci_read16(pci_addr f, unsigned offset)
{
	return (uint16_t)(pci_read32(f, offset) >> (8 * (offset & 2)));
}

uint8_t pci_read8(pci_addr f, unsigned offset)
{
	return (uint8_t)(pci_read32(f, offset) >> (8 * (offset & 3)));
}

void pci_write16(pci_addr f, unsigned offset, uint16_t value)
{
	select(f, offset);
	outw((uint16_t)(PCI_CONFIG_PORT + 4 + (offset & 2)), value);
}

pci_addr pci_find(uint16_t vendor, uint16_t device)
{
	for (pci_addr slot = 0; slot < 32; slot++) {
		for (pci_addr fn = 0; fn < 8; fn++) {
			pci_addr f = slot << 3 | fn;
			uint32_t ids = pci_read32(f, 0);
			if (ids == PCI_NONE)
				break;          /* no function here: none after it either */
			if ((ids & 0xffff) == vendor && ids >> 16 == device)
				return f;
			if (fn == 0 && !(pci_read8(f, 0x0e) & 0x80))
				break;          /* not a multi-function device */
		}
	}
	return PCI_NONE;
}

uint64_t pci_bar(pci_addr f, unsigned n)
{
	if (n > 5)
		return 0;
	uint32_t low = pci_read32(f, 0x10 + 4 * n);
	if (low & 1)
		return 0;               /* an I/O BAR */
	uint64_t base = low & ~0xfu;
	if (((low >> 1) & 3) == 2 && n < 5)
		base |= (uint64_t)pci_read32(f, 0x14 + 4 * n) << 32;
	return base;
}
