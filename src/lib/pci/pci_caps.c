#include <stdio.h>
#include <string.h>

#include "pci/pci_caps.h"

#define PCI_CAP_ID_PM 0x01
#define PCI_CAP_ID_EXP 0x10
#define PCI_CAP_ID_AF 0x13
#define PCI_EXT_CAP_ID_SRIOV 0x10
#define PCI_EXT_CAP_ID_ACS 0x0d

#define PCI_EXP_FLAGS 0x02
#define PCI_EXP_DEVCAP 0x04
#define PCI_EXP_DEVCAP_FLR (1u << 28)
#define PCI_AF_CAP 0x03
#define PCI_AF_CAP_TP 0x01
#define PCI_AF_CAP_FLR 0x02
#define PCI_PM_CTRL 0x04
#define PCI_PM_CTRL_NO_SOFT_RESET 0x0008
#define PCI_ACS_CAP 0x04
#define PCI_ACS_CTRL 0x06
#define PCI_SRIOV_TOTAL_VF 0x0e
#define PCI_SRIOV_NUM_VF 0x10

int pci_caps_port_type(const struct pci_config *cfg)
{
	unsigned pos = pci_config_find_cap(cfg, PCI_CAP_ID_EXP);

	if (!pos)
		return PCI_PORT_CONVENTIONAL;
	return (pci_config_u16(cfg, pos + PCI_EXP_FLAGS) >> 4) & 0xf;
}

const char *pci_port_type_name(int type)
{
	static const char *const names[] = {
		[PCI_PORT_ENDPOINT] = "endpoint",
		[PCI_PORT_LEGACY_ENDPOINT] = "legacy endpoint",
		[PCI_PORT_ROOT_PORT] = "root port",
		[PCI_PORT_UPSTREAM] = "upstream port",
		[PCI_PORT_DOWNSTREAM] = "downstream port",
		[PCI_PORT_PCIE_TO_PCI] = "PCIe-to-PCI bridge",
		[PCI_PORT_PCI_TO_PCIE] = "PCI-to-PCIe bridge",
		[PCI_PORT_RC_ENDPOINT] = "RC integrated endpoint",
		[PCI_PORT_RC_EVENT_COLLECTOR] = "RC event collector",
	};

	if (type == PCI_PORT_CONVENTIONAL)
		return "conventional PCI";
	if (type < 0 || type > 15)
		return "unknown";
	if ((size_t)type < sizeof(names) / sizeof(names[0]) && names[type])
		return names[type];
	return "reserved PCIe type";
}

bool pci_caps_acs(const struct pci_config *cfg, uint16_t *acs_cap, uint16_t *acs_ctl)
{
	unsigned pos = pci_config_find_ext_cap(cfg, PCI_EXT_CAP_ID_ACS);

	if (!pos)
		return false;
	*acs_cap = pci_config_u16(cfg, pos + PCI_ACS_CAP);
	*acs_ctl = pci_config_u16(cfg, pos + PCI_ACS_CTRL);
	return true;
}

char *pci_acs_bits_format(uint16_t bits, char *buf, size_t len)
{
	static const char *const names[] = { "SV", "TB", "RR", "CR", "UF", "EC", "DT" };
	size_t used = 0;

	if (len)
		buf[0] = '\0';
	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		int n;

		if (!(bits & (1u << i)) || used >= len)
			continue;
		n = snprintf(buf + used, len - used, "%s%s", used ? " " : "", names[i]);
		if (n > 0)
			used += (size_t)n;
	}
	return buf;
}

/* The kernel's pcie_has_flr (drivers/pci/pci.c). */
bool pci_caps_pcie_flr(const struct pci_config *cfg)
{
	unsigned pos = pci_config_find_cap(cfg, PCI_CAP_ID_EXP);

	return pos && (pci_config_u32(cfg, pos + PCI_EXP_DEVCAP) & PCI_EXP_DEVCAP_FLR);
}

/* The kernel's pci_af_flr (drivers/pci/pci.c) accepts the capability only with TP and FLR. */
bool pci_caps_af_flr(const struct pci_config *cfg)
{
	unsigned pos = pci_config_find_cap(cfg, PCI_CAP_ID_AF);
	uint8_t cap;

	if (!pos)
		return false;
	cap = pci_config_u8(cfg, pos + PCI_AF_CAP);
	return (cap & PCI_AF_CAP_TP) && (cap & PCI_AF_CAP_FLR);
}

/* The kernel's pci_pm_reset (drivers/pci/pci.c). */
bool pci_caps_pm_reset(const struct pci_config *cfg)
{
	unsigned pos = pci_config_find_cap(cfg, PCI_CAP_ID_PM);

	return pos && !(pci_config_u16(cfg, pos + PCI_PM_CTRL) & PCI_PM_CTRL_NO_SOFT_RESET);
}

bool pci_caps_sriov(const struct pci_config *cfg, uint16_t *total_vfs, uint16_t *num_vfs)
{
	unsigned pos = pci_config_find_ext_cap(cfg, PCI_EXT_CAP_ID_SRIOV);

	if (!pos)
		return false;
	*total_vfs = pci_config_u16(cfg, pos + PCI_SRIOV_TOTAL_VF);
	*num_vfs = pci_config_u16(cfg, pos + PCI_SRIOV_NUM_VF);
	return true;
}
