/* PCI device enumeration through libpci, with driver, IOMMU group, NUMA and parent. */
#ifndef VT_PCI_DEVICE_H
#define VT_PCI_DEVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pci/pci_addr.h"

struct pci_device {
	struct pci_addr addr;
	char address[PCI_ADDR_STRLEN];
	uint16_t vendor_id;
	uint16_t device_id;
	uint32_t class24;	/* class << 16 | subclass << 8 | prog-if */
	char *vendor_name;	/* NULL when pci.ids does not know it */
	char *device_name;	/* NULL when pci.ids does not know it */
	char *class_name;	/* never NULL ("Class 00ff" when unknown) */
	char *driver;		/* NULL when no driver is bound */
	int iommu_group;	/* -1 when the device has no group */
	int numa_node;		/* -1 when unknown */
	long parent;		/* index of the upstream bridge in the list, -1 at a root bus */
};

struct pci_device_list {
	struct pci_device *dev;
	size_t n;
};

/* Enumerates every PCI device, sorted by address. Reports and returns false on failure. */
bool pci_device_list_load(struct pci_device_list *list);
/* The same without names (vendor_name, device_name NULL, class_name "Class ccss"): faster. */
bool pci_device_list_load_ids(struct pci_device_list *list);
void pci_device_list_free(struct pci_device_list *list);
struct pci_device *pci_device_list_find(const struct pci_device_list *list, const struct pci_addr *addr);

/* "Vendor name Device name", with "Vendor 1234"/"Device 11e8" for unknown ids. */
void pci_device_describe(const struct pci_device *d, char *buf, size_t len);

uint16_t pci_device_class16(const struct pci_device *d);
bool pci_device_is_bridge(const struct pci_device *d);

/* vfio-pci itself or a vfio-pci variant driver (mlx5_vfio_pci, xe-vfio-pci, ...). */
bool pci_driver_is_vfio(const char *driver);

#endif
