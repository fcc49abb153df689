/* Capabilities read from config space: PCIe port type, ACS, reset methods, SR-IOV. */
#ifndef VT_PCI_CAPS_H
#define VT_PCI_CAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pci/pci_config.h"

/* PCIe capability flags bits 7:4 (PCI_EXP_TYPE_* in the kernel). */
enum pci_port_type {
	PCI_PORT_CONVENTIONAL = -1,	/* no PCIe capability */
	PCI_PORT_ENDPOINT = 0x0,
	PCI_PORT_LEGACY_ENDPOINT = 0x1,
	PCI_PORT_ROOT_PORT = 0x4,
	PCI_PORT_UPSTREAM = 0x5,
	PCI_PORT_DOWNSTREAM = 0x6,
	PCI_PORT_PCIE_TO_PCI = 0x7,	/* PCIe-to-PCI/PCI-X bridge */
	PCI_PORT_PCI_TO_PCIE = 0x8,	/* PCI/PCI-X-to-PCIe bridge */
	PCI_PORT_RC_ENDPOINT = 0x9,	/* root complex integrated endpoint */
	PCI_PORT_RC_EVENT_COLLECTOR = 0xa,
};

/* Port type, or PCI_PORT_CONVENTIONAL (-1) without a PCIe capability. */
int pci_caps_port_type(const struct pci_config *cfg);
/* "root port", "downstream port", ..., "conventional PCI"; "reserved PCIe type" for the others. */
const char *pci_port_type_name(int type);

/* ACS Capability / Control bits. */
enum {
	PCI_ACS_SV = 0x01,	/* Source Validation */
	PCI_ACS_TB = 0x02,	/* Translation Blocking */
	PCI_ACS_RR = 0x04,	/* P2P Request Redirect */
	PCI_ACS_CR = 0x08,	/* P2P Completion Redirect */
	PCI_ACS_UF = 0x10,	/* Upstream Forwarding */
	PCI_ACS_EC = 0x20,	/* P2P Egress Control */
	PCI_ACS_DT = 0x40,	/* Direct Translated P2P */
};

/* True when the ACS extended capability exists; then ACSCap (+4) and ACSCtl (+6). */
bool pci_caps_acs(const struct pci_config *cfg, uint16_t *acs_cap, uint16_t *acs_ctl);
/* "SV RR CR UF": the names of the set bits, in bit order; "" for none. Returns buf. */
char *pci_acs_bits_format(uint16_t bits, char *buf, size_t len);

/* Function Level Reset advertised in the PCIe Device Capabilities (bit 28). */
bool pci_caps_pcie_flr(const struct pci_config *cfg);
/* FLR through the Advanced Features capability: the kernel wants both TP and FLR set. */
bool pci_caps_af_flr(const struct pci_config *cfg);
/* PM reset (D3hot -> D0) is possible: PM capability present and PMCSR NoSoftRst clear. */
bool pci_caps_pm_reset(const struct pci_config *cfg);

/* True when the SR-IOV extended capability exists; then its TotalVFs and NumVFs. */
bool pci_caps_sriov(const struct pci_config *cfg, uint16_t *total_vfs, uint16_t *num_vfs);

#endif
