/*
 * ACS isolation as the kernel judges it from config space, and the IOMMU groups it
 * would form. Emulates Linux 6.12 (drivers/pci/pci.c pci_acs_enabled,
 * pci_acs_flags_enabled, pci_acs_path_enabled; drivers/iommu/iommu.c pci_device_group),
 * without device-specific quirks, which config space cannot show: reconcile with the
 * groups in sysfs, which are the truth for the running kernel.
 */
#ifndef VT_ACS_H
#define VT_ACS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pci/pci_caps.h"
#include "pci/pci_config.h"
#include "pci/pci_device.h"

/* REQ_ACS_FLAGS of drivers/iommu/iommu.c. */
#define ACS_REQUIRED (PCI_ACS_SV | PCI_ACS_RR | PCI_ACS_CR | PCI_ACS_UF)

enum acs_verdict {
	ACS_UNKNOWN,		/* config space unreadable or truncated (not root) */
	ACS_NOT_CHECKED,	/* a type the kernel does not check (single-function endpoint,
				   upstream port, legacy endpoint, RCiEP, other types): passes */
	ACS_OK,			/* ACS capability with the required features enabled: passes */
	ACS_NO_CAP,		/* port or multifunction device without ACS capability: fails */
	ACS_CTL_MISSING,	/* ACSCap advertises required features ACSCtl leaves off: fails */
	ACS_CONVENTIONAL,	/* conventional PCI (no PCIe capability): fails */
	ACS_BRIDGE_TYPE,	/* PCIe-to-PCI or PCI-to-PCIe bridge, RC event collector: fails */
};

struct acs_info {
	enum acs_verdict verdict;
	int port_type;		/* enum pci_port_type; PCI_PORT_CONVENTIONAL also when unknown */
	bool bridge;		/* header type 1 */
	bool multifunction;	/* as the kernel sees it: header bit 7, or any function > 0 */
	bool has_acs;
	uint16_t acs_cap;	/* ACSCap and ACSCtl, when has_acs */
	uint16_t acs_ctl;
	uint16_t missing;	/* ACS_REQUIRED bits advertised in ACSCap but off in ACSCtl */
};

/* Judges one device; cfg may be NULL (unreadable). function: the device's function number. */
void acs_check(const struct pci_config *cfg, unsigned function, struct acs_info *out);
/* Reads the device's config space from sysfs and judges it. */
void acs_read(const struct pci_device *dev, struct acs_info *out);

/* 1 when the verdict passes (pci_acs_enabled is true), 0 when it fails, -1 when unknown. */
int acs_verdict_enabled(enum acs_verdict verdict);
/* "no ACS capability", "ACS control lacks required bits", ... (for messages). */
const char *acs_verdict_name(enum acs_verdict verdict);

struct acs_hop {
	size_t index;		/* in the device list */
	struct acs_info info;
	bool requester_alias;	/* a bridge above the device that puts its own requester ID on
				   DMA from below (conventional or PCIe-to/from-PCI bridge) */
};

/*
 * The device itself, then every upstream bridge up to its root bus (as the .parent indices
 * and the PCI domain say), at most max hops. Returns the number of hops written.
 */
size_t acs_path(const struct pci_device_list *list, size_t dev, struct acs_hop *hops, size_t max);

/*
 * Predicts the IOMMU groups of every device in the list (list->n entries in group_of):
 * the same number means the same group; numbers are otherwise arbitrary. -1 for a device
 * whose config space could not be read, or whose group depends on one that could not.
 */
void acs_predict_groups(const struct pci_device_list *list, int *group_of);

#endif
