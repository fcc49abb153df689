/*
 * The kernel's ACS and DMA alias quirks as data (iommu/kernel_quirks.h). The tables and id lists
 * are facts read from drivers/pci/quirks.c of KERNEL_QUIRKS_SOURCE, written out as our own data;
 * each kind's conditions follow the kernel function named beside its answer.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "iommu/kernel_quirks.h"
#include "pci/pci_caps.h"

enum {
	VID_LOONGSON = 0x0014,
	VID_ATI = 0x1002,
	VID_AMD = 0x1022,
	VID_EFAR = 0x1055,
	VID_PLX = 0x10b5,
	VID_EMULEX = 0x10df,
	VID_TUNDRA = 0x10e3,
	VID_AMCC = 0x10e8,
	VID_TTI = 0x1103,		/* HighPoint */
	VID_IDT = 0x111d,
	VID_RICOH = 0x1180,
	VID_MICROSEMI = 0x11f8,
	VID_ITE = 0x1283,
	VID_PERICOM = 0x12d8,
	VID_BROADCOM = 0x14e4,
	VID_CAVIUM = 0x177d,
	VID_QCOM = 0x17cb,
	VID_SOLARFLARE = 0x1924,
	VID_NXP = 0x1957,
	VID_JMICRON = 0x197b,
	VID_SERVERENGINES = 0x19a2,	/* Emulex BE3 */
	VID_MARVELL_EXT = 0x1b4b,
	VID_ASMEDIA = 0x1b21,
	VID_LITEON = 0x1c28,
	VID_AMAZON_AL = 0x1c36,
	VID_ZHAOXIN = 0x1d17,
	VID_HXT = 0x1dbf,
	VID_AMPERE = 0x1def,
	VID_GLENFLY = 0x6766,
	VID_WANGXUN = 0x8088,
	VID_INTEL = 0x8086,
	VID_ADAPTEC2 = 0x9005,
};

/* REQ_ACS_FLAGS (drivers/iommu/iommu.c): what pci_device_group asks of every hop. */
#define ACS_ISOLATED (PCI_ACS_SV | PCI_ACS_RR | PCI_ACS_CR | PCI_ACS_UF)
/* A quirk function's -ENOTTY or -ENODEV: not its device, the next entry is asked. */
#define NO_ANSWER (-1)

#define ACS_EXT_CAP_ID 0x000d
#define ACS_CAP_REG 0x04
/* Sunrise Point's erratum: ACS control is a dword at +8, not the spec's word at +6. */
#define SPT_ACS_CTRL_REG 0x08

#define CLASS_BRIDGE_PCI 0x0604		/* class and subclass */
#define CLASS_BRIDGE_OTHER 0x0680
#define SUBSYSTEM_VENDOR_REG 0x2c
#define SUBSYSTEM_ID_REG 0x2e

struct id_range {
	uint16_t first, last;
};

static bool in_ranges(uint16_t id, const struct id_range *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (id >= r[i].first && id <= r[i].last)
			return true;
	return false;
}

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* pci_acs_ctrl_enabled: every requested control is among those provided. */
static int ctrl_enabled(uint32_t requested, uint32_t provided)
{
	return (requested & provided) == requested;
}

static bool is_root_port(const struct quirk_subject *s)
{
	return s->port_type == PCI_PORT_ROOT_PORT;
}

/* pci_quirk_amd_sb_acs: multifunction on the root bus with an AMD IOMMU (IVRS); RR CR only. */
static int amd_sb_answer(const struct quirk_subject *s, uint16_t flags)
{
	if (!s->multifunction || !s->root_bus || !s->amd_ivrs)
		return NO_ANSWER;
	flags &= PCI_ACS_RR | PCI_ACS_CR | PCI_ACS_EC | PCI_ACS_DT;
	return ctrl_enabled(flags, PCI_ACS_RR | PCI_ACS_CR);
}

/* pci_quirk_mf_endpoint_acs: no peer-to-peer between functions, whatever the device's type. */
static int mf_endpoint_answer(uint16_t flags)
{
	return ctrl_enabled(flags, PCI_ACS_SV | PCI_ACS_TB | PCI_ACS_RR | PCI_ACS_CR | PCI_ACS_UF |
					   PCI_ACS_DT);
}

/* pci_quirk_rciep_acs: Intel RCiEPs only peer with translated addresses (VT-d 3.16). */
static int rciep_answer(const struct quirk_subject *s, uint16_t flags)
{
	if (s->port_type != PCI_PORT_RC_ENDPOINT)
		return NO_ANSWER;
	return ctrl_enabled(flags, ACS_ISOLATED);
}

/* pci_quirk_intel_pch_acs_ids: PCH root ports with ACS-like controls but no ACS capability. */
static const uint16_t intel_pch_root_ports[] = {
	/* Ibexpeak */
	0x3b42, 0x3b43, 0x3b44, 0x3b45, 0x3b46, 0x3b47, 0x3b48, 0x3b49,
	0x3b4a, 0x3b4b, 0x3b4c, 0x3b4d, 0x3b4e, 0x3b4f, 0x3b50, 0x3b51,
	/* Cougarpoint */
	0x1c10, 0x1c11, 0x1c12, 0x1c13, 0x1c14, 0x1c15, 0x1c16, 0x1c17,
	0x1c18, 0x1c19, 0x1c1a, 0x1c1b, 0x1c1c, 0x1c1d, 0x1c1e, 0x1c1f,
	/* Pantherpoint */
	0x1e10, 0x1e11, 0x1e12, 0x1e13, 0x1e14, 0x1e15, 0x1e16, 0x1e17,
	0x1e18, 0x1e19, 0x1e1a, 0x1e1b, 0x1e1c, 0x1e1d, 0x1e1e, 0x1e1f,
	/* Lynxpoint-H */
	0x8c10, 0x8c11, 0x8c12, 0x8c13, 0x8c14, 0x8c15, 0x8c16, 0x8c17,
	0x8c18, 0x8c19, 0x8c1a, 0x8c1b, 0x8c1c, 0x8c1d, 0x8c1e, 0x8c1f,
	/* Lynxpoint-LP */
	0x9c10, 0x9c11, 0x9c12, 0x9c13, 0x9c14, 0x9c15, 0x9c16, 0x9c17,
	0x9c18, 0x9c19, 0x9c1a, 0x9c1b,
	/* Wildcat */
	0x9c90, 0x9c91, 0x9c92, 0x9c93, 0x9c94, 0x9c95, 0x9c96, 0x9c97,
	0x9c98, 0x9c99, 0x9c9a, 0x9c9b,
	/* Patsburg (X79) */
	0x1d10, 0x1d12, 0x1d14, 0x1d16, 0x1d18, 0x1d1a, 0x1d1c, 0x1d1e,
	/* Wellsburg (X99) */
	0x8d10, 0x8d11, 0x8d12, 0x8d13, 0x8d14, 0x8d15, 0x8d16, 0x8d17,
	0x8d18, 0x8d19, 0x8d1a, 0x8d1b, 0x8d1c, 0x8d1d, 0x8d1e,
	/* Lynx Point (9 series) */
	0x8c90, 0x8c92, 0x8c94, 0x8c96, 0x8c98, 0x8c9a, 0x8c9c, 0x8c9e,
};

static bool intel_pch_listed(uint16_t device)
{
	for (size_t i = 0; i < ARRAY_LEN(intel_pch_root_ports); i++)
		if (intel_pch_root_ports[i] == device)
			return true;
	return false;
}

/*
 * pci_quirk_intel_pch_acs. It answers SV RR CR UF only when PCI_DEV_FLAGS_ACS_ENABLED_QUIRK is
 * set, which pci_quirk_enable_intel_pch_acs does at enumeration when an IOMMU is on (and the
 * LPC's RCBA is enabled); we assume it did, as on any host where VFIO can be used.
 */
static int intel_pch_answer(const struct quirk_subject *s, uint16_t flags)
{
	if (!is_root_port(s) || !intel_pch_listed(s->device))
		return NO_ANSWER;
	return ctrl_enabled(flags, ACS_ISOLATED);
}

/* pci_quirk_intel_spt_pch_acs_match: Sunrise Point, Union Point, 7th/8th gen mobile. */
static const struct id_range intel_spt_root_ports[] = {
	{ 0xa110, 0xa11f }, { 0xa167, 0xa16a },
	{ 0xa290, 0xa29f }, { 0xa2e7, 0xa2ee },
	{ 0x9d10, 0x9d1b },
};

static void spt_detail(uint32_t ctrl, char *detail, size_t len)
{
	char bits[32];

	pci_acs_bits_format((uint16_t)(ctrl & ACS_ISOLATED), bits, sizeof(bits));
	snprintf(detail, len, "control at the dword offsets: %s", bits[0] ? bits : "none");
}

/* pci_quirk_intel_spt_pch_acs: the ACS capability, read as dwords (cap +4, control +8). */
static int intel_spt_answer(const struct quirk_subject *s, uint16_t flags, char *detail,
			    size_t len)
{
	unsigned pos;
	uint32_t cap, ctrl;

	if (!is_root_port(s) ||
	    !in_ranges(s->device, intel_spt_root_ports, ARRAY_LEN(intel_spt_root_ports)) || !s->cfg)
		return NO_ANSWER;
	pos = pci_config_find_ext_cap(s->cfg, ACS_EXT_CAP_ID);
	if (!pos)
		return NO_ANSWER;
	cap = pci_config_u32(s->cfg, pos + ACS_CAP_REG);
	ctrl = pci_config_u32(s->cfg, pos + SPT_ACS_CTRL_REG);
	spt_detail(ctrl, detail, len);
	return ctrl_enabled(flags & (cap | PCI_ACS_EC), ctrl);
}

/* pci_quirk_cavium_acs_match: ThunderX1 (8 SoCs), ThunderX2, ThunderX3 root ports. */
static const struct id_range cavium_root_ports[] = {
	{ 0xa000, 0xa7ff }, { 0xaf84, 0xaf84 }, { 0xb884, 0xb884 },
};

/* pci_quirk_cavium_acs: no ACS capability, the RTL isolates as SV RR CR UF would. */
static int cavium_answer(const struct quirk_subject *s, uint16_t flags)
{
	if (!is_root_port(s) ||
	    !in_ranges(s->device, cavium_root_ports, ARRAY_LEN(cavium_root_ports)))
		return NO_ANSWER;
	return ctrl_enabled(flags, ACS_ISOLATED);
}

/* pci_quirk_zhaoxin_pcie_ports_acs: the isolating ports; later ones implement real ACS. */
static const struct id_range zhaoxin_ports[] = {
	{ 0x0710, 0x071e }, { 0x0721, 0x0721 }, { 0x0723, 0x0752 },
};

/* Root and downstream ports answer: listed ones enabled, the others not enabled. */
static int zhaoxin_answer(const struct quirk_subject *s, uint16_t flags)
{
	if (s->port_type != PCI_PORT_ROOT_PORT && s->port_type != PCI_PORT_DOWNSTREAM)
		return NO_ANSWER;
	if (!in_ranges(s->device, zhaoxin_ports, ARRAY_LEN(zhaoxin_ports)))
		return 0;
	return ctrl_enabled(flags, ACS_ISOLATED);
}

/* pci_quirk_wangxun_nic_acs: SFxxx (EM), RP1000/RP2000 (SP), FF5xxx (AML). */
static const struct id_range wangxun_nics[] = {
	{ 0x0100, 0x010f },
	{ 0x1001, 0x1001 }, { 0x2001, 0x2001 },
	{ 0x5010, 0x5010 }, { 0x5025, 0x5025 }, { 0x5040, 0x5040 },
	{ 0x5110, 0x5110 }, { 0x5125, 0x5125 }, { 0x5140, 0x5140 },
};

/* Every Wangxun device answers, whatever its type: listed ones enabled, the others not. */
static int wangxun_answer(const struct quirk_subject *s, uint16_t flags)
{
	if (!in_ranges(s->device, wangxun_nics, ARRAY_LEN(wangxun_nics)))
		return 0;
	return ctrl_enabled(flags, ACS_ISOLATED);
}

/* pci_quirk_al_acs: root ports only; enabled when nothing beyond SV RR CR UF is asked. */
static int amazon_answer(const struct quirk_subject *s, uint16_t flags)
{
	if (!is_root_port(s))
		return NO_ANSWER;
	return (flags & ~ACS_ISOLATED) ? 0 : 1;
}

/*
 * pci_quirk_qcom_rp_acs, pci_quirk_nxp_rp_acs (ROOT_PORT), pci_quirk_xgene_acs (XGENE),
 * pci_quirk_brcm_acs, pci_quirk_loongson_acs (ALL): SV RR CR UF provided, no type checked.
 */
static int isolated_answer(uint16_t flags)
{
	return ctrl_enabled(flags, ACS_ISOLATED);
}

/* The types whose ACS registers pci_acs_enabled reads once no quirk answered. */
static bool standard_rules_read_acs(const struct quirk_subject *s)
{
	switch (s->port_type) {
	case PCI_PORT_ROOT_PORT:
	case PCI_PORT_DOWNSTREAM:
		return true;
	case PCI_PORT_ENDPOINT:
	case PCI_PORT_UPSTREAM:
	case PCI_PORT_LEGACY_ENDPOINT:
	case PCI_PORT_RC_ENDPOINT:
		return s->multifunction;
	default:
		return false;
	}
}

/*
 * 7.0's pci_disable_broken_acs_cap clears SV from the cached ACSCap (the switch flags SV errors
 * on config read completions), and pci_acs_flags_enabled reads that cached copy: the standard
 * answer with SV taken as not implemented. Without an ACS capability the rules decide alone.
 */
static int ignore_sv_answer(const struct quirk_subject *s, uint16_t flags, char *detail,
			    size_t len)
{
	uint16_t cap, ctl;
	char bits[32];

	if (!s->cfg || !standard_rules_read_acs(s) || !pci_caps_acs(s->cfg, &cap, &ctl))
		return NO_ANSWER;
	cap &= (uint16_t)~PCI_ACS_SV;
	pci_acs_bits_format((uint16_t)(ctl & ACS_ISOLATED), bits, sizeof(bits));
	snprintf(detail, len, "SV ignored; control: %s", bits[0] ? bits : "none");
	return ctrl_enabled(flags & (cap | PCI_ACS_EC), ctl);
}

/* The entry's answer for flags: 1 enabled, 0 not enabled, NO_ANSWER to pass on. */
static int acs_quirk_answer(const struct acs_quirk *q, const struct quirk_subject *s,
			    uint16_t flags, char *detail, size_t len)
{
	switch (q->kind) {
	case ACS_QUIRK_AMD_SB:
		return amd_sb_answer(s, flags);
	case ACS_QUIRK_MF_ENDPOINT:
		return mf_endpoint_answer(flags);
	case ACS_QUIRK_RCIEP:
		return rciep_answer(s, flags);
	case ACS_QUIRK_INTEL_PCH:
		return intel_pch_answer(s, flags);
	case ACS_QUIRK_INTEL_SPT:
		return intel_spt_answer(s, flags, detail, len);
	case ACS_QUIRK_CAVIUM:
		return cavium_answer(s, flags);
	case ACS_QUIRK_ZHAOXIN:
		return zhaoxin_answer(s, flags);
	case ACS_QUIRK_WANGXUN:
		return wangxun_answer(s, flags);
	case ACS_QUIRK_AMAZON:
		return amazon_answer(s, flags);
	case ACS_QUIRK_ROOT_PORT:
	case ACS_QUIRK_XGENE:
	case ACS_QUIRK_ALL:
		return isolated_answer(flags);
	case ACS_QUIRK_IGNORE_SV:
		return ignore_sv_answer(s, flags, detail, len);
	case ACS_QUIRK_STORE_FORWARD:
		return NO_ANSWER;
	}
	return NO_ANSWER;
}

#define W_AMD_SB_MF "AMD southbridge multifunction devices"
#define W_SOLARFLARE_NIC "Solarflare multifunction NIC"
#define W_INTEL_10G_NIC "Intel 82598/82599/X520 10GbE multifunction NIC"
#define W_INTEL_82580_NIC "Intel 82580 multifunction NIC"
#define W_INTEL_82576_NIC "Intel 82576 multifunction NIC"
#define W_INTEL_82575_NIC "Intel 82575 multifunction NIC"
#define W_INTEL_I350_NIC "Intel I350 multifunction NIC"
#define W_INTEL_82571_NIC "Intel 82571 multifunction NIC"
#define W_INTEL_I219_NIC "Intel I219 multifunction NIC"
#define W_INTEL_RCIEP "Intel root-complex integrated endpoints"
#define W_QCOM_QDF2XXX_RP "Qualcomm QDF2xxx root port"
#define W_QCOM_SA8775P_RP "Qualcomm SA8775P root port"
#define W_QCOM_HAMOA_RP "Qualcomm Hamoa root port"
#define W_QCOM_GLYMUR_RP "Qualcomm Glymur root port"
#define W_HXT_SD4800_RP "HXT SD4800 root port"
#define W_INTEL_PCH_RP "Intel PCH root ports (ACS enabled by the kernel through the chipset's RCBA)"
#define W_INTEL_SPT_RP "Intel Sunrise Point PCH root ports"
#define W_EMULEX_BE3R_NIC "Emulex BE3-R multifunction NIC"
#define W_EMULEX_SKYHAWK_NIC "Emulex Skyhawk-R multifunction NIC"
#define W_CAVIUM_THUNDERX_RP "Cavium ThunderX root ports"
#define W_CAVIUM_MF "Cavium multifunction device"
#define W_XGENE_RP "APM X-Gene root port"
#define W_AMPERE_RP "Ampere Computing root port"
#define W_BROADCOM_NIC "Broadcom multifunction NIC"
#define W_BROADCOM_PAXB_RP "Broadcom iProc PAXB root port"
#define W_LOONGSON_RP "Loongson root port"
#define W_AMAZON_AL_RP "Amazon Annapurna Labs root ports"
#define W_ZHAOXIN_MF "Zhaoxin multifunction device"
#define W_NXP_LX2_RP "NXP Layerscape LX2xxx root port"
#define W_ZHAOXIN_PORTS "Zhaoxin root and downstream ports"
#define W_WANGXUN_NIC "Wangxun NICs"
#define W_IDT_SWITCH "IDT PCIe switch (ACS Source Validation ignored)"
#define W_PERICOM_SWITCH(part) "Pericom " part " switch (store-and-forward for its ACS RR erratum)"

/* pci_dev_acs_enabled[] in the kernel's order (first answer wins), then the other ACS fixups. */
const struct acs_quirk acs_quirk_table[] = {
	/* pci_quirk_amd_sb_acs */
	{ VID_ATI, 0x4385, ACS_QUIRK_AMD_SB, W_AMD_SB_MF, NULL },
	{ VID_ATI, 0x439c, ACS_QUIRK_AMD_SB, W_AMD_SB_MF, NULL },
	{ VID_ATI, 0x4383, ACS_QUIRK_AMD_SB, W_AMD_SB_MF, NULL },
	{ VID_ATI, 0x439d, ACS_QUIRK_AMD_SB, W_AMD_SB_MF, NULL },
	{ VID_ATI, 0x4384, ACS_QUIRK_AMD_SB, W_AMD_SB_MF, NULL },
	{ VID_ATI, 0x4399, ACS_QUIRK_AMD_SB, W_AMD_SB_MF, NULL },
	{ VID_AMD, 0x780f, ACS_QUIRK_AMD_SB, W_AMD_SB_MF, NULL },
	{ VID_AMD, 0x7809, ACS_QUIRK_AMD_SB, W_AMD_SB_MF, NULL },
	/* pci_quirk_mf_endpoint_acs */
	{ VID_SOLARFLARE, 0x0903, ACS_QUIRK_MF_ENDPOINT, W_SOLARFLARE_NIC, NULL },
	{ VID_SOLARFLARE, 0x0923, ACS_QUIRK_MF_ENDPOINT, W_SOLARFLARE_NIC, NULL },
	{ VID_SOLARFLARE, 0x0a03, ACS_QUIRK_MF_ENDPOINT, W_SOLARFLARE_NIC, NULL },
	{ VID_INTEL, 0x10c6, ACS_QUIRK_MF_ENDPOINT, W_INTEL_10G_NIC, NULL },
	{ VID_INTEL, 0x10db, ACS_QUIRK_MF_ENDPOINT, W_INTEL_10G_NIC, NULL },
	{ VID_INTEL, 0x10dd, ACS_QUIRK_MF_ENDPOINT, W_INTEL_10G_NIC, NULL },
	{ VID_INTEL, 0x10e1, ACS_QUIRK_MF_ENDPOINT, W_INTEL_10G_NIC, NULL },
	{ VID_INTEL, 0x10f1, ACS_QUIRK_MF_ENDPOINT, W_INTEL_10G_NIC, NULL },
	{ VID_INTEL, 0x10f7, ACS_QUIRK_MF_ENDPOINT, W_INTEL_10G_NIC, NULL },
	{ VID_INTEL, 0x10f8, ACS_QUIRK_MF_ENDPOINT, W_INTEL_10G_NIC, NULL },
	{ VID_INTEL, 0x10f9, ACS_QUIRK_MF_ENDPOINT, W_INTEL_10G_NIC, NULL },
	{ VID_INTEL, 0x10fa, ACS_QUIRK_MF_ENDPOINT, W_INTEL_10G_NIC, NULL },
	{ VID_INTEL, 0x10fb, ACS_QUIRK_MF_ENDPOINT, W_INTEL_10G_NIC, NULL },
	{ VID_INTEL, 0x10fc, ACS_QUIRK_MF_ENDPOINT, W_INTEL_10G_NIC, NULL },
	{ VID_INTEL, 0x1507, ACS_QUIRK_MF_ENDPOINT, W_INTEL_10G_NIC, NULL },
	{ VID_INTEL, 0x1514, ACS_QUIRK_MF_ENDPOINT, W_INTEL_10G_NIC, NULL },
	{ VID_INTEL, 0x151c, ACS_QUIRK_MF_ENDPOINT, W_INTEL_10G_NIC, NULL },
	{ VID_INTEL, 0x1529, ACS_QUIRK_MF_ENDPOINT, W_INTEL_10G_NIC, NULL },
	{ VID_INTEL, 0x152a, ACS_QUIRK_MF_ENDPOINT, W_INTEL_10G_NIC, NULL },
	{ VID_INTEL, 0x154d, ACS_QUIRK_MF_ENDPOINT, W_INTEL_10G_NIC, NULL },
	{ VID_INTEL, 0x154f, ACS_QUIRK_MF_ENDPOINT, W_INTEL_10G_NIC, NULL },
	{ VID_INTEL, 0x1551, ACS_QUIRK_MF_ENDPOINT, W_INTEL_10G_NIC, NULL },
	{ VID_INTEL, 0x1558, ACS_QUIRK_MF_ENDPOINT, W_INTEL_10G_NIC, NULL },
	{ VID_INTEL, 0x1509, ACS_QUIRK_MF_ENDPOINT, W_INTEL_82580_NIC, NULL },
	{ VID_INTEL, 0x150e, ACS_QUIRK_MF_ENDPOINT, W_INTEL_82580_NIC, NULL },
	{ VID_INTEL, 0x150f, ACS_QUIRK_MF_ENDPOINT, W_INTEL_82580_NIC, NULL },
	{ VID_INTEL, 0x1510, ACS_QUIRK_MF_ENDPOINT, W_INTEL_82580_NIC, NULL },
	{ VID_INTEL, 0x1511, ACS_QUIRK_MF_ENDPOINT, W_INTEL_82580_NIC, NULL },
	{ VID_INTEL, 0x1516, ACS_QUIRK_MF_ENDPOINT, W_INTEL_82580_NIC, NULL },
	{ VID_INTEL, 0x1527, ACS_QUIRK_MF_ENDPOINT, W_INTEL_82580_NIC, NULL },
	{ VID_INTEL, 0x10c9, ACS_QUIRK_MF_ENDPOINT, W_INTEL_82576_NIC, NULL },
	{ VID_INTEL, 0x10e6, ACS_QUIRK_MF_ENDPOINT, W_INTEL_82576_NIC, NULL },
	{ VID_INTEL, 0x10e7, ACS_QUIRK_MF_ENDPOINT, W_INTEL_82576_NIC, NULL },
	{ VID_INTEL, 0x10e8, ACS_QUIRK_MF_ENDPOINT, W_INTEL_82576_NIC, NULL },
	{ VID_INTEL, 0x150a, ACS_QUIRK_MF_ENDPOINT, W_INTEL_82576_NIC, NULL },
	{ VID_INTEL, 0x150d, ACS_QUIRK_MF_ENDPOINT, W_INTEL_82576_NIC, NULL },
	{ VID_INTEL, 0x1518, ACS_QUIRK_MF_ENDPOINT, W_INTEL_82576_NIC, NULL },
	{ VID_INTEL, 0x1526, ACS_QUIRK_MF_ENDPOINT, W_INTEL_82576_NIC, NULL },
	{ VID_INTEL, 0x10a7, ACS_QUIRK_MF_ENDPOINT, W_INTEL_82575_NIC, NULL },
	{ VID_INTEL, 0x10a9, ACS_QUIRK_MF_ENDPOINT, W_INTEL_82575_NIC, NULL },
	{ VID_INTEL, 0x10d6, ACS_QUIRK_MF_ENDPOINT, W_INTEL_82575_NIC, NULL },
	{ VID_INTEL, 0x1521, ACS_QUIRK_MF_ENDPOINT, W_INTEL_I350_NIC, NULL },
	{ VID_INTEL, 0x1522, ACS_QUIRK_MF_ENDPOINT, W_INTEL_I350_NIC, NULL },
	{ VID_INTEL, 0x1523, ACS_QUIRK_MF_ENDPOINT, W_INTEL_I350_NIC, NULL },
	{ VID_INTEL, 0x1524, ACS_QUIRK_MF_ENDPOINT, W_INTEL_I350_NIC, NULL },
	{ VID_INTEL, 0x105e, ACS_QUIRK_MF_ENDPOINT, W_INTEL_82571_NIC, NULL },
	{ VID_INTEL, 0x105f, ACS_QUIRK_MF_ENDPOINT, W_INTEL_82571_NIC, NULL },
	{ VID_INTEL, 0x1060, ACS_QUIRK_MF_ENDPOINT, W_INTEL_82571_NIC, NULL },
	{ VID_INTEL, 0x10d9, ACS_QUIRK_MF_ENDPOINT, W_INTEL_82571_NIC, NULL },
	{ VID_INTEL, 0x15b7, ACS_QUIRK_MF_ENDPOINT, W_INTEL_I219_NIC, NULL },
	{ VID_INTEL, 0x15b8, ACS_QUIRK_MF_ENDPOINT, W_INTEL_I219_NIC, NULL },
	/* pci_quirk_rciep_acs */
	{ VID_INTEL, QUIRK_ANY_DEVICE, ACS_QUIRK_RCIEP, W_INTEL_RCIEP, NULL },
	/* pci_quirk_qcom_rp_acs */
	{ VID_QCOM, 0x0400, ACS_QUIRK_ROOT_PORT, W_QCOM_QDF2XXX_RP, NULL },
	{ VID_QCOM, 0x0401, ACS_QUIRK_ROOT_PORT, W_QCOM_QDF2XXX_RP, NULL },
	{ VID_QCOM, 0x0115, ACS_QUIRK_ROOT_PORT, W_QCOM_SA8775P_RP, NULL },
	{ VID_QCOM, 0x0111, ACS_QUIRK_ROOT_PORT, W_QCOM_HAMOA_RP, NULL },
	{ VID_QCOM, 0x0120, ACS_QUIRK_ROOT_PORT, W_QCOM_GLYMUR_RP, NULL },
	{ VID_HXT, 0x0401, ACS_QUIRK_ROOT_PORT, W_HXT_SD4800_RP, NULL },
	/* pci_quirk_intel_pch_acs */
	{ VID_INTEL, QUIRK_ANY_DEVICE, ACS_QUIRK_INTEL_PCH, W_INTEL_PCH_RP, NULL },
	/* pci_quirk_intel_spt_pch_acs */
	{ VID_INTEL, QUIRK_ANY_DEVICE, ACS_QUIRK_INTEL_SPT, W_INTEL_SPT_RP, NULL },
	/* pci_quirk_mf_endpoint_acs */
	{ VID_SERVERENGINES, 0x0710, ACS_QUIRK_MF_ENDPOINT, W_EMULEX_BE3R_NIC, NULL },
	{ VID_EMULEX, 0x0720, ACS_QUIRK_MF_ENDPOINT, W_EMULEX_SKYHAWK_NIC, NULL },
	/* pci_quirk_cavium_acs */
	{ VID_CAVIUM, QUIRK_ANY_DEVICE, ACS_QUIRK_CAVIUM, W_CAVIUM_THUNDERX_RP, NULL },
	/* pci_quirk_mf_endpoint_acs */
	{ VID_CAVIUM, 0xa026, ACS_QUIRK_MF_ENDPOINT, W_CAVIUM_MF, NULL },
	{ VID_CAVIUM, 0xa059, ACS_QUIRK_MF_ENDPOINT, W_CAVIUM_MF, NULL },
	{ VID_CAVIUM, 0xa060, ACS_QUIRK_MF_ENDPOINT, W_CAVIUM_MF, NULL },
	/* pci_quirk_xgene_acs */
	{ VID_AMCC, 0xe004, ACS_QUIRK_XGENE, W_XGENE_RP, NULL },
	{ VID_AMPERE, 0xe005, ACS_QUIRK_XGENE, W_AMPERE_RP, NULL },
	{ VID_AMPERE, 0xe006, ACS_QUIRK_XGENE, W_AMPERE_RP, NULL },
	{ VID_AMPERE, 0xe007, ACS_QUIRK_XGENE, W_AMPERE_RP, NULL },
	{ VID_AMPERE, 0xe008, ACS_QUIRK_XGENE, W_AMPERE_RP, NULL },
	{ VID_AMPERE, 0xe009, ACS_QUIRK_XGENE, W_AMPERE_RP, NULL },
	{ VID_AMPERE, 0xe00a, ACS_QUIRK_XGENE, W_AMPERE_RP, NULL },
	{ VID_AMPERE, 0xe00b, ACS_QUIRK_XGENE, W_AMPERE_RP, NULL },
	{ VID_AMPERE, 0xe00c, ACS_QUIRK_XGENE, W_AMPERE_RP, NULL },
	/* pci_quirk_mf_endpoint_acs */
	{ VID_BROADCOM, 0x16d7, ACS_QUIRK_MF_ENDPOINT, W_BROADCOM_NIC, NULL },
	{ VID_BROADCOM, 0x1750, ACS_QUIRK_MF_ENDPOINT, W_BROADCOM_NIC, NULL },
	{ VID_BROADCOM, 0x1751, ACS_QUIRK_MF_ENDPOINT, W_BROADCOM_NIC, NULL },
	{ VID_BROADCOM, 0x1752, ACS_QUIRK_MF_ENDPOINT, W_BROADCOM_NIC, NULL },
	{ VID_BROADCOM, 0x1760, ACS_QUIRK_MF_ENDPOINT, W_BROADCOM_NIC, NULL },
	{ VID_BROADCOM, 0x1761, ACS_QUIRK_MF_ENDPOINT, W_BROADCOM_NIC, NULL },
	{ VID_BROADCOM, 0x1762, ACS_QUIRK_MF_ENDPOINT, W_BROADCOM_NIC, NULL },
	{ VID_BROADCOM, 0x1763, ACS_QUIRK_MF_ENDPOINT, W_BROADCOM_NIC, NULL },
	/* pci_quirk_brcm_acs */
	{ VID_BROADCOM, 0xd714, ACS_QUIRK_ALL, W_BROADCOM_PAXB_RP, NULL },
	/* pci_quirk_loongson_acs */
	{ VID_LOONGSON, 0x3c09, ACS_QUIRK_ALL, W_LOONGSON_RP, NULL },
	{ VID_LOONGSON, 0x3c19, ACS_QUIRK_ALL, W_LOONGSON_RP, NULL },
	{ VID_LOONGSON, 0x3c29, ACS_QUIRK_ALL, W_LOONGSON_RP, NULL },
	{ VID_LOONGSON, 0x7a09, ACS_QUIRK_ALL, W_LOONGSON_RP, NULL },
	{ VID_LOONGSON, 0x7a19, ACS_QUIRK_ALL, W_LOONGSON_RP, NULL },
	{ VID_LOONGSON, 0x7a29, ACS_QUIRK_ALL, W_LOONGSON_RP, NULL },
	{ VID_LOONGSON, 0x7a39, ACS_QUIRK_ALL, W_LOONGSON_RP, NULL },
	{ VID_LOONGSON, 0x7a49, ACS_QUIRK_ALL, W_LOONGSON_RP, NULL },
	{ VID_LOONGSON, 0x7a59, ACS_QUIRK_ALL, W_LOONGSON_RP, NULL },
	{ VID_LOONGSON, 0x7a69, ACS_QUIRK_ALL, W_LOONGSON_RP, NULL },
	/* pci_quirk_al_acs */
	{ VID_AMAZON_AL, 0x0031, ACS_QUIRK_AMAZON, W_AMAZON_AL_RP, NULL },
	/* pci_quirk_mf_endpoint_acs */
	{ VID_ZHAOXIN, 0x3038, ACS_QUIRK_MF_ENDPOINT, W_ZHAOXIN_MF, NULL },
	{ VID_ZHAOXIN, 0x3104, ACS_QUIRK_MF_ENDPOINT, W_ZHAOXIN_MF, NULL },
	{ VID_ZHAOXIN, 0x9083, ACS_QUIRK_MF_ENDPOINT, W_ZHAOXIN_MF, NULL },
	/* pci_quirk_nxp_rp_acs */
	{ VID_NXP, 0x8d81, ACS_QUIRK_ROOT_PORT, W_NXP_LX2_RP, NULL },
	{ VID_NXP, 0x8da1, ACS_QUIRK_ROOT_PORT, W_NXP_LX2_RP, NULL },
	{ VID_NXP, 0x8d83, ACS_QUIRK_ROOT_PORT, W_NXP_LX2_RP, NULL },
	{ VID_NXP, 0x8d80, ACS_QUIRK_ROOT_PORT, W_NXP_LX2_RP, NULL },
	{ VID_NXP, 0x8da0, ACS_QUIRK_ROOT_PORT, W_NXP_LX2_RP, NULL },
	{ VID_NXP, 0x8d82, ACS_QUIRK_ROOT_PORT, W_NXP_LX2_RP, NULL },
	{ VID_NXP, 0x8d90, ACS_QUIRK_ROOT_PORT, W_NXP_LX2_RP, NULL },
	{ VID_NXP, 0x8db0, ACS_QUIRK_ROOT_PORT, W_NXP_LX2_RP, NULL },
	{ VID_NXP, 0x8d92, ACS_QUIRK_ROOT_PORT, W_NXP_LX2_RP, NULL },
	{ VID_NXP, 0x8d91, ACS_QUIRK_ROOT_PORT, W_NXP_LX2_RP, NULL },
	{ VID_NXP, 0x8db1, ACS_QUIRK_ROOT_PORT, W_NXP_LX2_RP, NULL },
	{ VID_NXP, 0x8d93, ACS_QUIRK_ROOT_PORT, W_NXP_LX2_RP, NULL },
	{ VID_NXP, 0x8d89, ACS_QUIRK_ROOT_PORT, W_NXP_LX2_RP, NULL },
	{ VID_NXP, 0x8da9, ACS_QUIRK_ROOT_PORT, W_NXP_LX2_RP, NULL },
	{ VID_NXP, 0x8d8b, ACS_QUIRK_ROOT_PORT, W_NXP_LX2_RP, NULL },
	{ VID_NXP, 0x8d88, ACS_QUIRK_ROOT_PORT, W_NXP_LX2_RP, NULL },
	{ VID_NXP, 0x8da8, ACS_QUIRK_ROOT_PORT, W_NXP_LX2_RP, NULL },
	{ VID_NXP, 0x8d8a, ACS_QUIRK_ROOT_PORT, W_NXP_LX2_RP, NULL },
	{ VID_NXP, 0x8d98, ACS_QUIRK_ROOT_PORT, W_NXP_LX2_RP, NULL },
	{ VID_NXP, 0x8db8, ACS_QUIRK_ROOT_PORT, W_NXP_LX2_RP, NULL },
	{ VID_NXP, 0x8d9a, ACS_QUIRK_ROOT_PORT, W_NXP_LX2_RP, NULL },
	{ VID_NXP, 0x8d99, ACS_QUIRK_ROOT_PORT, W_NXP_LX2_RP, NULL },
	{ VID_NXP, 0x8db9, ACS_QUIRK_ROOT_PORT, W_NXP_LX2_RP, NULL },
	{ VID_NXP, 0x8d9b, ACS_QUIRK_ROOT_PORT, W_NXP_LX2_RP, NULL },
	/* pci_quirk_zhaoxin_pcie_ports_acs */
	{ VID_ZHAOXIN, QUIRK_ANY_DEVICE, ACS_QUIRK_ZHAOXIN, W_ZHAOXIN_PORTS, NULL },
	/* pci_quirk_wangxun_nic_acs */
	{ VID_WANGXUN, QUIRK_ANY_DEVICE, ACS_QUIRK_WANGXUN, W_WANGXUN_NIC, NULL },
	/* pci_disable_broken_acs_cap (7.0) */
	{ VID_IDT, 0x80b5, ACS_QUIRK_IGNORE_SV, W_IDT_SWITCH, "7.0" },
	{ VID_IDT, 0x8090, ACS_QUIRK_IGNORE_SV, W_IDT_SWITCH, "7.0" },
	/* pci_fixup_pericom_acs_store_forward (b404 is in 6.12.118 already) */
	{ VID_PERICOM, 0x2404, ACS_QUIRK_STORE_FORWARD, W_PERICOM_SWITCH("PI7C9X2G404"), NULL },
	{ VID_PERICOM, 0x2304, ACS_QUIRK_STORE_FORWARD, W_PERICOM_SWITCH("PI7C9X2G304"), NULL },
	{ VID_PERICOM, 0x2303, ACS_QUIRK_STORE_FORWARD, W_PERICOM_SWITCH("PI7C9X2G303"), NULL },
	{ VID_PERICOM, 0xb404, ACS_QUIRK_STORE_FORWARD, W_PERICOM_SWITCH("PI7C9X2G404"), NULL },
	{ VID_PERICOM, 0x2608, ACS_QUIRK_STORE_FORWARD, W_PERICOM_SWITCH("PI7C9X2G608"), NULL },
};
const size_t acs_quirk_table_len = ARRAY_LEN(acs_quirk_table);

#define ANY_CLASS .class_shift = 24
#define FUNCTION_ALIAS(v, d, fn, w) \
	{ .vendor = (v), .device = (d), ANY_CLASS, .kind = DMA_ALIAS_FUNCTION, .function = (fn), \
	  .what = (w) }
#define DEVFN_ALIAS(v, d, slot, fn, w) \
	{ .vendor = (v), .device = (d), ANY_CLASS, .kind = DMA_ALIAS_DEVFN, \
	  .devfn = (uint8_t)((slot) << 3 | (fn)), .what = (w) }
#define SUBSYSTEM_DEVFN_ALIAS(v, d, sv, sd, slot, fn, w) \
	{ .vendor = (v), .device = (d), ANY_CLASS, .kind = DMA_ALIAS_DEVFN, \
	  .devfn = (uint8_t)((slot) << 3 | (fn)), .what = (w), \
	  .subvendor = (sv), .subdevice = (sd) }
#define EVERY_SLOT_ALIAS(v, d, n, w) \
	{ .vendor = (v), .device = (d), ANY_CLASS, .kind = DMA_ALIAS_EVERY_SLOT, \
	  .nr_functions = (n), .what = (w) }
#define FLAG_QUIRK(v, d, k, w) { .vendor = (v), .device = (d), ANY_CLASS, .kind = (k), .what = (w) }
/* DECLARE_PCI_FIXUP_CLASS_FINAL(..., PCI_CLASS_BRIDGE_OTHER, 8, quirk_switchtec_ntb_dma_alias) */
#define SWITCHTEC(v, d, model) \
	{ .vendor = (v), .device = (d), .class24 = CLASS_BRIDGE_OTHER << 8, .class_shift = 8, \
	  .kind = DMA_ALIAS_FROM_REGISTERS, .what = "Switchtec " model " NTB (proxy IDs in a BAR)" }

#define W_FUNC0(name) name " (function 0 alias)"
#define W_FUNC1(name) name " (function 1 alias)"
#define W_MARVELL(part) W_FUNC1("Marvell " part " SATA")
#define W_PCIE_BRIDGE(name) name " PCIe-to-PCI bridge without a PCIe capability"
#define W_MIC_X200 "Intel MIC x200 NTB (fixed proxy IDs)"
#define W_VCA "Intel Visual Compute Accelerator NTB (functions 0-4 of every slot)"
#define W_THUNDERX2_ROOT "Broadcom Vulcan / Cavium ThunderX2 bridge (IOMMU's translation root)"

/* The DMA alias fixups of drivers/pci/quirks.c, in its order. */
const struct dma_alias_quirk dma_alias_quirk_table[] = {
	/* quirk_dma_func0_alias */
	FUNCTION_ALIAS(VID_RICOH, 0xe832, 0, W_FUNC0("Ricoh R5C832 FireWire")),
	FUNCTION_ALIAS(VID_RICOH, 0xe476, 0, W_FUNC0("Ricoh CardBus bridge")),
	FUNCTION_ALIAS(VID_GLENFLY, 0x3d40, 0, W_FUNC0("Glenfly HD audio")),
	FUNCTION_ALIAS(VID_GLENFLY, 0x3d41, 0, W_FUNC0("Glenfly HD audio")),
	/* quirk_dma_func1_alias */
	FUNCTION_ALIAS(VID_MARVELL_EXT, 0x9120, 1, W_MARVELL("88SE9120")),
	FUNCTION_ALIAS(VID_MARVELL_EXT, 0x9123, 1, W_MARVELL("88SE9123")),
	FUNCTION_ALIAS(VID_MARVELL_EXT, 0x9125, 1, W_MARVELL("88SE9125")),
	FUNCTION_ALIAS(VID_MARVELL_EXT, 0x9128, 1, W_MARVELL("88SE9128")),
	FUNCTION_ALIAS(VID_MARVELL_EXT, 0x9130, 1, W_MARVELL("88SE9128 (HyperDuo)")),
	FUNCTION_ALIAS(VID_MARVELL_EXT, 0x9170, 1, W_MARVELL("88SE9170")),
	FUNCTION_ALIAS(VID_MARVELL_EXT, 0x9172, 1, W_MARVELL("88SE9172")),
	FUNCTION_ALIAS(VID_MARVELL_EXT, 0x917a, 1, W_MARVELL("88SE9172 RAID")),
	FUNCTION_ALIAS(VID_MARVELL_EXT, 0x9182, 1, W_MARVELL("88SE9182")),
	FUNCTION_ALIAS(VID_MARVELL_EXT, 0x9183, 1, W_FUNC1("Marvell 88SS9183 SSD")),
	FUNCTION_ALIAS(VID_MARVELL_EXT, 0x91a0, 1, W_MARVELL("88SE912x IDE mode")),
	FUNCTION_ALIAS(VID_MARVELL_EXT, 0x9215, 1, W_MARVELL("88SE9215")),
	FUNCTION_ALIAS(VID_MARVELL_EXT, 0x9220, 1, W_MARVELL("88SE9220")),
	FUNCTION_ALIAS(VID_MARVELL_EXT, 0x9230, 1, W_MARVELL("88SE9230")),
	FUNCTION_ALIAS(VID_MARVELL_EXT, 0x9235, 1, W_MARVELL("88SE9235")),
	FUNCTION_ALIAS(VID_TTI, 0x0642, 1, W_FUNC1("HighPoint RocketRAID 642L")),
	FUNCTION_ALIAS(VID_TTI, 0x0645, 1, W_FUNC1("HighPoint RocketRAID 644L")),
	FUNCTION_ALIAS(VID_JMICRON, 0x2392, 1, W_FUNC1("JMicron JMB388 SD/MMC")),
	FUNCTION_ALIAS(VID_LITEON, 0x0122, 1, W_FUNC1("Plextor M6e SSD (Marvell 88SS9183)")),
	/* quirk_fixed_dma_alias: the I/O processor's hidden DMA engine at 01.0 */
	SUBSYSTEM_DEVFN_ALIAS(VID_ADAPTEC2, 0x0285, VID_ADAPTEC2, 0x02bb, 1, 0,
			      "Adaptec 3405 RAID (fixed alias 01.0)"),
	SUBSYSTEM_DEVFN_ALIAS(VID_ADAPTEC2, 0x0285, VID_ADAPTEC2, 0x02bc, 1, 0,
			      "Adaptec 3805 RAID (fixed alias 01.0)"),
	/* quirk_use_pcie_bridge_dma_alias */
	FLAG_QUIRK(VID_ASMEDIA, 0x1080, DMA_ALIAS_PCIE_BRIDGE, W_PCIE_BRIDGE("ASMedia ASM1083/5")),
	FLAG_QUIRK(VID_TUNDRA, 0x8113, DMA_ALIAS_PCIE_BRIDGE, W_PCIE_BRIDGE("Tundra 8113")),
	FLAG_QUIRK(VID_ITE, 0x8892, DMA_ALIAS_PCIE_BRIDGE, W_PCIE_BRIDGE("ITE IT8892")),
	FLAG_QUIRK(VID_ITE, 0x8893, DMA_ALIAS_PCIE_BRIDGE, W_PCIE_BRIDGE("ITE IT8893")),
	FLAG_QUIRK(VID_INTEL, 0x244e, DMA_ALIAS_PCIE_BRIDGE, W_PCIE_BRIDGE("Intel 82801")),
	/* quirk_mic_x200_dma_alias: the RIT-LUT's devfns */
	DEVFN_ALIAS(VID_INTEL, 0x2260, 0x10, 0, W_MIC_X200),
	DEVFN_ALIAS(VID_INTEL, 0x2260, 0x11, 0, W_MIC_X200),
	DEVFN_ALIAS(VID_INTEL, 0x2260, 0x12, 3, W_MIC_X200),
	DEVFN_ALIAS(VID_INTEL, 0x2264, 0x10, 0, W_MIC_X200),
	DEVFN_ALIAS(VID_INTEL, 0x2264, 0x11, 0, W_MIC_X200),
	DEVFN_ALIAS(VID_INTEL, 0x2264, 0x12, 3, W_MIC_X200),
	/* quirk_pex_vca_alias */
	EVERY_SLOT_ALIAS(VID_INTEL, 0x2954, 5, W_VCA),
	EVERY_SLOT_ALIAS(VID_INTEL, 0x2955, 5, W_VCA),
	EVERY_SLOT_ALIAS(VID_INTEL, 0x2956, 5, W_VCA),
	EVERY_SLOT_ALIAS(VID_INTEL, 0x2958, 5, W_VCA),
	EVERY_SLOT_ALIAS(VID_INTEL, 0x2959, 5, W_VCA),
	EVERY_SLOT_ALIAS(VID_INTEL, 0x295a, 5, W_VCA),
	/* quirk_bridge_cavm_thrx2_pcie_root */
	FLAG_QUIRK(VID_BROADCOM, 0x9000, DMA_ALIAS_XLATE_ROOT, W_THUNDERX2_ROOT),
	FLAG_QUIRK(VID_BROADCOM, 0x9084, DMA_ALIAS_XLATE_ROOT, W_THUNDERX2_ROOT),
	/* quirk_switchtec_ntb_dma_alias: Microsemi Switchtec, then its PCI100x parts */
	SWITCHTEC(VID_MICROSEMI, 0x8531, "PFX 24xG3"),
	SWITCHTEC(VID_MICROSEMI, 0x8532, "PFX 32xG3"),
	SWITCHTEC(VID_MICROSEMI, 0x8533, "PFX 48xG3"),
	SWITCHTEC(VID_MICROSEMI, 0x8534, "PFX 64xG3"),
	SWITCHTEC(VID_MICROSEMI, 0x8535, "PFX 80xG3"),
	SWITCHTEC(VID_MICROSEMI, 0x8536, "PFX 96xG3"),
	SWITCHTEC(VID_MICROSEMI, 0x8541, "PSX 24xG3"),
	SWITCHTEC(VID_MICROSEMI, 0x8542, "PSX 32xG3"),
	SWITCHTEC(VID_MICROSEMI, 0x8543, "PSX 48xG3"),
	SWITCHTEC(VID_MICROSEMI, 0x8544, "PSX 64xG3"),
	SWITCHTEC(VID_MICROSEMI, 0x8545, "PSX 80xG3"),
	SWITCHTEC(VID_MICROSEMI, 0x8546, "PSX 96xG3"),
	SWITCHTEC(VID_MICROSEMI, 0x8551, "PAX 24XG3"),
	SWITCHTEC(VID_MICROSEMI, 0x8552, "PAX 32XG3"),
	SWITCHTEC(VID_MICROSEMI, 0x8553, "PAX 48XG3"),
	SWITCHTEC(VID_MICROSEMI, 0x8554, "PAX 64XG3"),
	SWITCHTEC(VID_MICROSEMI, 0x8555, "PAX 80XG3"),
	SWITCHTEC(VID_MICROSEMI, 0x8556, "PAX 96XG3"),
	SWITCHTEC(VID_MICROSEMI, 0x8561, "PFXL 24XG3"),
	SWITCHTEC(VID_MICROSEMI, 0x8562, "PFXL 32XG3"),
	SWITCHTEC(VID_MICROSEMI, 0x8563, "PFXL 48XG3"),
	SWITCHTEC(VID_MICROSEMI, 0x8564, "PFXL 64XG3"),
	SWITCHTEC(VID_MICROSEMI, 0x8565, "PFXL 80XG3"),
	SWITCHTEC(VID_MICROSEMI, 0x8566, "PFXL 96XG3"),
	SWITCHTEC(VID_MICROSEMI, 0x8571, "PFXI 24XG3"),
	SWITCHTEC(VID_MICROSEMI, 0x8572, "PFXI 32XG3"),
	SWITCHTEC(VID_MICROSEMI, 0x8573, "PFXI 48XG3"),
	SWITCHTEC(VID_MICROSEMI, 0x8574, "PFXI 64XG3"),
	SWITCHTEC(VID_MICROSEMI, 0x8575, "PFXI 80XG3"),
	SWITCHTEC(VID_MICROSEMI, 0x8576, "PFXI 96XG3"),
	SWITCHTEC(VID_MICROSEMI, 0x4000, "PFX 100XG4"),
	SWITCHTEC(VID_MICROSEMI, 0x4084, "PFX 84XG4"),
	SWITCHTEC(VID_MICROSEMI, 0x4068, "PFX 68XG4"),
	SWITCHTEC(VID_MICROSEMI, 0x4052, "PFX 52XG4"),
	SWITCHTEC(VID_MICROSEMI, 0x4036, "PFX 36XG4"),
	SWITCHTEC(VID_MICROSEMI, 0x4028, "PFX 28XG4"),
	SWITCHTEC(VID_MICROSEMI, 0x4100, "PSX 100XG4"),
	SWITCHTEC(VID_MICROSEMI, 0x4184, "PSX 84XG4"),
	SWITCHTEC(VID_MICROSEMI, 0x4168, "PSX 68XG4"),
	SWITCHTEC(VID_MICROSEMI, 0x4152, "PSX 52XG4"),
	SWITCHTEC(VID_MICROSEMI, 0x4136, "PSX 36XG4"),
	SWITCHTEC(VID_MICROSEMI, 0x4128, "PSX 28XG4"),
	SWITCHTEC(VID_MICROSEMI, 0x4200, "PAX 100XG4"),
	SWITCHTEC(VID_MICROSEMI, 0x4284, "PAX 84XG4"),
	SWITCHTEC(VID_MICROSEMI, 0x4268, "PAX 68XG4"),
	SWITCHTEC(VID_MICROSEMI, 0x4252, "PAX 52XG4"),
	SWITCHTEC(VID_MICROSEMI, 0x4236, "PAX 36XG4"),
	SWITCHTEC(VID_MICROSEMI, 0x4228, "PAX 28XG4"),
	SWITCHTEC(VID_MICROSEMI, 0x4352, "PFXA 52XG4"),
	SWITCHTEC(VID_MICROSEMI, 0x4336, "PFXA 36XG4"),
	SWITCHTEC(VID_MICROSEMI, 0x4328, "PFXA 28XG4"),
	SWITCHTEC(VID_MICROSEMI, 0x4452, "PSXA 52XG4"),
	SWITCHTEC(VID_MICROSEMI, 0x4436, "PSXA 36XG4"),
	SWITCHTEC(VID_MICROSEMI, 0x4428, "PSXA 28XG4"),
	SWITCHTEC(VID_MICROSEMI, 0x4552, "PAXA 52XG4"),
	SWITCHTEC(VID_MICROSEMI, 0x4536, "PAXA 36XG4"),
	SWITCHTEC(VID_MICROSEMI, 0x4528, "PAXA 28XG4"),
	SWITCHTEC(VID_MICROSEMI, 0x5000, "PFX 100XG5"),
	SWITCHTEC(VID_MICROSEMI, 0x5084, "PFX 84XG5"),
	SWITCHTEC(VID_MICROSEMI, 0x5068, "PFX 68XG5"),
	SWITCHTEC(VID_MICROSEMI, 0x5052, "PFX 52XG5"),
	SWITCHTEC(VID_MICROSEMI, 0x5036, "PFX 36XG5"),
	SWITCHTEC(VID_MICROSEMI, 0x5028, "PFX 28XG5"),
	SWITCHTEC(VID_MICROSEMI, 0x5100, "PSX 100XG5"),
	SWITCHTEC(VID_MICROSEMI, 0x5184, "PSX 84XG5"),
	SWITCHTEC(VID_MICROSEMI, 0x5168, "PSX 68XG5"),
	SWITCHTEC(VID_MICROSEMI, 0x5152, "PSX 52XG5"),
	SWITCHTEC(VID_MICROSEMI, 0x5136, "PSX 36XG5"),
	SWITCHTEC(VID_MICROSEMI, 0x5128, "PSX 28XG5"),
	SWITCHTEC(VID_MICROSEMI, 0x5200, "PAX 100XG5"),
	SWITCHTEC(VID_MICROSEMI, 0x5284, "PAX 84XG5"),
	SWITCHTEC(VID_MICROSEMI, 0x5268, "PAX 68XG5"),
	SWITCHTEC(VID_MICROSEMI, 0x5252, "PAX 52XG5"),
	SWITCHTEC(VID_MICROSEMI, 0x5236, "PAX 36XG5"),
	SWITCHTEC(VID_MICROSEMI, 0x5228, "PAX 28XG5"),
	SWITCHTEC(VID_MICROSEMI, 0x5300, "PFXA 100XG5"),
	SWITCHTEC(VID_MICROSEMI, 0x5384, "PFXA 84XG5"),
	SWITCHTEC(VID_MICROSEMI, 0x5368, "PFXA 68XG5"),
	SWITCHTEC(VID_MICROSEMI, 0x5352, "PFXA 52XG5"),
	SWITCHTEC(VID_MICROSEMI, 0x5336, "PFXA 36XG5"),
	SWITCHTEC(VID_MICROSEMI, 0x5328, "PFXA 28XG5"),
	SWITCHTEC(VID_MICROSEMI, 0x5400, "PSXA 100XG5"),
	SWITCHTEC(VID_MICROSEMI, 0x5484, "PSXA 84XG5"),
	SWITCHTEC(VID_MICROSEMI, 0x5468, "PSXA 68XG5"),
	SWITCHTEC(VID_MICROSEMI, 0x5452, "PSXA 52XG5"),
	SWITCHTEC(VID_MICROSEMI, 0x5436, "PSXA 36XG5"),
	SWITCHTEC(VID_MICROSEMI, 0x5428, "PSXA 28XG5"),
	SWITCHTEC(VID_MICROSEMI, 0x5500, "PAXA 100XG5"),
	SWITCHTEC(VID_MICROSEMI, 0x5584, "PAXA 84XG5"),
	SWITCHTEC(VID_MICROSEMI, 0x5568, "PAXA 68XG5"),
	SWITCHTEC(VID_MICROSEMI, 0x5552, "PAXA 52XG5"),
	SWITCHTEC(VID_MICROSEMI, 0x5536, "PAXA 36XG5"),
	SWITCHTEC(VID_MICROSEMI, 0x5528, "PAXA 28XG5"),
	SWITCHTEC(VID_EFAR, 0x1001, "PCI1001XG4"),
	SWITCHTEC(VID_EFAR, 0x1002, "PCI1002XG4"),
	SWITCHTEC(VID_EFAR, 0x1003, "PCI1003XG4"),
	SWITCHTEC(VID_EFAR, 0x1004, "PCI1004XG4"),
	SWITCHTEC(VID_EFAR, 0x1005, "PCI1005XG4"),
	SWITCHTEC(VID_EFAR, 0x1006, "PCI1006XG4"),
	SWITCHTEC(VID_EFAR, 0x1008, "PCI1008XG4"),
	/* quirk_plx_ntb_dma_alias: all 256 devfns */
	EVERY_SLOT_ALIAS(VID_PLX, 0x87b0, 8, "PLX PEX NTB port 0 (every devfn on its bus)"),
	EVERY_SLOT_ALIAS(VID_PLX, 0x87b1, 8, "PLX PEX NTB port 1 (every devfn on its bus)"),
};
const size_t dma_alias_quirk_table_len = ARRAY_LEN(dma_alias_quirk_table);

static bool device_matches(uint16_t want, uint16_t device)
{
	return want == QUIRK_ANY_DEVICE || want == device;
}

/* An entry that a kernel newer than kernel_release added does not apply (NULL: every one does). */
static bool in_release(const char *since, const char *kernel_release)
{
	return !since || !kernel_release || kernel_release_compare(since, kernel_release) <= 0;
}

bool acs_quirk_lookup(const struct quirk_subject *s, const char *kernel_release,
		      struct acs_quirk_match *out)
{
	struct acs_quirk_match m;

	for (size_t i = 0; i < acs_quirk_table_len; i++) {
		const struct acs_quirk *q = &acs_quirk_table[i];
		int answer;

		if (q->vendor != s->vendor || !device_matches(q->device, s->device) ||
		    !in_release(q->since, kernel_release))
			continue;
		memset(&m, 0, sizeof(m));
		answer = acs_quirk_answer(q, s, ACS_ISOLATED, m.detail, sizeof(m.detail));
		if (answer == NO_ANSWER)
			continue;
		m.quirk = q;
		m.enabled = answer > 0;
		if (out)
			*out = m;
		return true;
	}
	if (out)
		memset(out, 0, sizeof(*out));
	return false;
}

static bool class_matches(const struct dma_alias_quirk *q, uint32_t class24)
{
	return q->class_shift >= 24 ||
	       (class24 >> q->class_shift) == (q->class24 >> q->class_shift);
}

/* pci_match_id's subsystem test; the ids are registers, so an unreadable device fails it. */
static bool subsystem_matches(const struct dma_alias_quirk *q, const struct quirk_subject *s)
{
	if (!q->subvendor && !q->subdevice)
		return true;
	if (!s->cfg || pci_config_header_type(s->cfg) != 0)
		return false;
	return pci_config_u16(s->cfg, SUBSYSTEM_VENDOR_REG) == q->subvendor &&
	       pci_config_u16(s->cfg, SUBSYSTEM_ID_REG) == q->subdevice;
}

/* The header type, or the class when config space is not at hand. */
static bool bridge_header(const struct quirk_subject *s)
{
	if (s->cfg)
		return pci_config_header_type(s->cfg) == 1;
	return (s->class24 >> 8) == CLASS_BRIDGE_PCI;
}

/* quirk_use_pcie_bridge_dma_alias, its own side: the parent's is the caller's to check. */
static bool pcie_bridge_alias_applies(const struct quirk_subject *s)
{
	return !s->root_bus && bridge_header(s) && s->port_type == PCI_PORT_CONVENTIONAL;
}

static bool dma_alias_applies(const struct dma_alias_quirk *q, const struct quirk_subject *s,
			      const char *kernel_release)
{
	if (q->vendor != s->vendor || !device_matches(q->device, s->device) ||
	    !class_matches(q, s->class24) || !in_release(q->since, kernel_release))
		return false;
	if (q->kind == DMA_ALIAS_PCIE_BRIDGE)
		return pcie_bridge_alias_applies(s);
	return subsystem_matches(q, s);
}

size_t dma_alias_quirks_lookup(const struct quirk_subject *s, const char *kernel_release,
			       const struct dma_alias_quirk **out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < dma_alias_quirk_table_len && n < max; i++)
		if (dma_alias_applies(&dma_alias_quirk_table[i], s, kernel_release))
			out[n++] = &dma_alias_quirk_table[i];
	return n;
}

struct release {
	unsigned long major, minor, patch;
	bool has_patch;
};

/* The decimal number at *p (0 when there is none); *p moves past it. */
static unsigned long read_number(const char **p)
{
	unsigned long n = 0;

	for (; **p >= '0' && **p <= '9'; (*p)++)
		if (n < 1000000)
			n = n * 10 + (unsigned long)(**p - '0');
	return n;
}

/* Past a '.' that a digit follows; false at anything else. */
static bool next_part(const char **p)
{
	if ((*p)[0] != '.' || (*p)[1] < '0' || (*p)[1] > '9')
		return false;
	(*p)++;
	return true;
}

/* "6.1.0-17-amd64": 6, 1, 0; what follows the numbers is ignored. */
static struct release parse_release(const char *text)
{
	struct release r = { 0 };
	const char *p = text ? text : "";

	r.major = read_number(&p);
	if (!next_part(&p))
		return r;
	r.minor = read_number(&p);
	if (!next_part(&p))
		return r;
	r.patch = read_number(&p);
	r.has_patch = true;
	return r;
}

static int compare_number(unsigned long a, unsigned long b)
{
	return (a > b) - (a < b);
}

int kernel_release_compare(const char *a, const char *b)
{
	struct release x = parse_release(a), y = parse_release(b);

	if (x.major != y.major)
		return compare_number(x.major, y.major);
	if (x.minor != y.minor)
		return compare_number(x.minor, y.minor);
	if (x.has_patch && y.has_patch)
		return compare_number(x.patch, y.patch);
	return 0;
}
