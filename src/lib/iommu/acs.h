/*
 * ACS isolation as the kernel judges it: from config space with the kernel's rules
 * (Linux 6.12 drivers/pci/pci.c pci_acs_enabled, pci_acs_flags_enabled), then with its
 * device-specific quirks (iommu/kernel_quirks.h), which answer first where they apply.
 * The groups it leads to are in iommu/acs_groups.h.
 */
#ifndef VT_ACS_H
#define VT_ACS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iommu/iommu_platform.h"
#include "iommu/kernel_quirks.h"
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
	ACS_QUIRK_ENABLED,	/* a kernel quirk answers: isolated */
	ACS_QUIRK_DISABLED,	/* a kernel quirk answers: not isolated */
};

/* What the kernel's quirks depend on beyond the device: the IOMMU's firmware and the kernel. */
struct acs_env {
	enum iommu_platform platform;
	bool amd_ivrs;			/* ACPI IVRS (AMD-Vi): the AMD southbridge quirk needs it */
	char kernel_release[64];	/* "6.12.48+deb13-amd64"; "" when unknown: every quirk applies */
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
	enum acs_verdict rule_verdict;	/* the verdict of the standard rules alone */
	struct acs_quirk_match quirk;	/* quirk.quirk set when a kernel quirk answered */
};

/* The platform and kernel release of this machine (or of the fake tree under test). */
void acs_env_detect(struct acs_env *env);

/* Judges one device by the standard rules; cfg may be NULL (unreadable). function: its number. */
void acs_check(const struct pci_config *cfg, unsigned function, struct acs_info *out);
/* The release the quirk tables compare against: NULL (every entry applies) when unknown. */
const char *acs_env_release(const struct acs_env *env);
/* What the kernel's quirks look at for device i, judged as info (cfg: NULL when unreadable). */
void acs_quirk_subject(const struct pci_device_list *list, size_t i, const struct acs_info *info,
		       const struct pci_config *cfg, const struct acs_env *env, struct quirk_subject *s);
/* A quirk answered, and its answer differs from the standard rules'. */
bool acs_quirk_decided(const struct acs_info *a);
/* Reads device i's config space from sysfs and judges it, quirks included. */
void acs_read(const struct pci_device_list *list, size_t i, const struct acs_env *env,
	      struct acs_info *out);
/* acs_read of every device of the list, once for all that a run asks (free the array). */
struct acs_info *acs_read_all(const struct pci_device_list *list, const struct acs_env *env);
/* The upstream bridge in the same PCI domain, or -1 at a root bus. */
long acs_upstream(const struct pci_device_list *list, size_t i);

/* A bridge that puts its own requester ID on DMA from below (conventional, PCIe-to/from-PCI). */
bool acs_requester_alias(const struct acs_info *bridge);

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
 * and the PCI domain say), at most max hops, judged as infos (acs_read_all) says. Returns the
 * number of hops written.
 */
size_t acs_path(const struct pci_device_list *list, const struct acs_info *infos, size_t dev,
		struct acs_hop *hops, size_t max);

#endif
