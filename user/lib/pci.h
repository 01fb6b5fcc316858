/**
 * @file
 * pci.h — PCI configuration space through the legacy ports 0xcf8/0xcfc (lab 7).
 *
 * The one thing to know: configuration space is where a device says what it is
 * (vendor and device ids), where its registers are (BARs) and which interrupt line it
 * raises; reaching it needs the two ports, which only sigma0 gives (SIGMA0_IO with
 * IO_FPAGE(PCI_CONFIG_PORT, 3)). Every value read there is the device's word, which a
 * driver checks like any other input.
 */
#ifndef USER_PCI_H
#define USER_PCI_H

#include <stdint.h>

#define PCI_CONFIG_PORT         0xcf8
#define PCI_COMMAND             0x04
#define PCI_COMMAND_MEMORY      0x2
#define PCI_COMMAND_MASTER      0x4     /* the device may do DMA */
#define PCI_STATUS              0x06
#define PCI_STATUS_CAPS         0x10
#define PCI_CAPS                0x34
#define PCI_INTERRUPT_LINE      0x3c
#define PCI_NONE                0xffffffffu

/* bus << 8 | device << 3 | function: a function's address. */
typedef uint32_t pci_addr;

uint32_t pci_read32(pci_addr f, unsigned offset);
uint16_t pci_read16(pci_addr f, unsigned offset);
uint8_t pci_read8(pci_addr f, unsigned offset);
void pci_write16(pci_addr f, unsigned offset, uint16_t value);
/* The first function on bus 0 with these ids, or PCI_NONE. */
pci_addr pci_find(uint16_t vendor, uint16_t device);
/* The physical address of memory BAR n (64-bit BARs too); 0 for an I/O BAR or none. */
uint64_t pci_bar(pci_addr f, unsigned n);

#endif
