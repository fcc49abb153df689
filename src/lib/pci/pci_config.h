/* A device's configuration space as sysfs shows it, and loop-safe capability walks. */
#ifndef VT_PCI_CONFIG_H
#define VT_PCI_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PCI_CONFIG_STD_SIZE 256
#define PCI_CONFIG_MAX_SIZE 4096

/*
 * len is what the kernel let us read: 4096 or 256 for root (256 when the kernel itself
 * has no extended config space), 64 (128 for CardBus) for other users. Bytes at or beyond
 * len read as 0xff, like a missing device.
 */
struct pci_config {
	uint8_t data[PCI_CONFIG_MAX_SIZE];
	size_t len;
};

/* Reads bus/pci/devices/ADDRESS/config under sysfs_root(); false (errno set) on failure. */
bool pci_config_read(const char *address, struct pci_config *cfg);

/* Little-endian accessors. */
uint8_t pci_config_u8(const struct pci_config *cfg, unsigned off);
uint16_t pci_config_u16(const struct pci_config *cfg, unsigned off);
uint32_t pci_config_u32(const struct pci_config *cfg, unsigned off);

/* True when the capability lists are readable (len >= 256): false for non-root readers. */
bool pci_config_complete(const struct pci_config *cfg);

/* Header type without the multifunction bit: 0 endpoint, 1 bridge, 2 CardBus bridge. */
unsigned pci_config_header_type(const struct pci_config *cfg);
/* Bit 7 of the header type. (The kernel also counts every function > 0 as multifunction.) */
bool pci_config_multifunction(const struct pci_config *cfg);

/*
 * Offset of the first capability with this id in the standard list, or 0. The walk
 * ends at a pointer below 0x40, an id of 0xff, or an offset already visited.
 */
unsigned pci_config_find_cap(const struct pci_config *cfg, uint8_t id);
/*
 * Offset of the extended capability with this id (from 0x100), or 0. The walk ends at a
 * header of 0 or 0xffffffff, a next pointer below 0x100, or an offset already visited.
 */
unsigned pci_config_find_ext_cap(const struct pci_config *cfg, uint16_t id);

#define PCI_EXT_CAP_ID_DSN_VT 0x0003	/* Device Serial Number */
#define PCI_CAP_ID_VPD_VT 0x03		/* Vital Product Data: its data register holds the last VPD read */

/*
 * Zeroes what identifies one unit rather than a model: the Device Serial Number's 8 bytes
 * and the VPD capability's address and data registers (VPD holds serial numbers). Returns
 * how many of the two held a non-zero value.
 */
unsigned pci_config_mask_serials(struct pci_config *cfg);

#endif
