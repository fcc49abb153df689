#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pci/pci_cap_decode.h"
#include "pci/pci_caps.h"
#include "util/report.h"

#define PCI_STATUS 0x06
#define PCI_STATUS_CAP_LIST 0x10
#define PCI_CAPABILITY_LIST 0x34
#define PCI_CB_CAPABILITY_LIST 0x14
#define STD_CAP_START 0x40
#define STD_MAX_CAPS 48
#define EXT_MAX_CAPS 960

#define PCI_EXP_TYPE_ROOT_PORT 0x4
#define PCI_EXP_TYPE_DOWNSTREAM 0x6
#define PCI_EXP_TYPE_PCI_TO_PCIE 0x8
#define PCI_EXP_TYPE_RC_ENDPOINT 0x9
#define PCI_EXP_TYPE_RC_EVENT_COLLECTOR 0xa

/* The capability being decoded; its registers are read only below limit. */
struct cap_ctx {
	const struct pci_config *cfg;
	struct pci_cap *cap;
	unsigned limit;
};

/* A register shown as it is: size bytes at off from the capability. */
struct cap_reg {
	const char *key;
	uint8_t off;
	uint8_t size;
	enum pci_cap_field_kind kind;
};

/* A capability lspci names; its fields come from decode, or else from regs as they are. */
struct cap_kind {
	const char *name;
	void (*decode)(struct cap_ctx *c);
	const struct cap_reg *regs;
	size_t n_regs;
};

#define REGS(table) (table), N_ELEMS(table)

static bool rd(const struct cap_ctx *c, unsigned off, unsigned size, uint32_t *v)
{
	unsigned at = c->cap->offset + off;

	if (at + size > c->limit)
		return false;
	if (size == 1)
		*v = pci_config_u8(c->cfg, at);
	else if (size == 2)
		*v = pci_config_u16(c->cfg, at);
	else
		*v = pci_config_u32(c->cfg, at);
	return true;
}

static struct pci_cap_field *add_field(struct cap_ctx *c, const char *key,
				       enum pci_cap_field_kind kind, uint64_t num)
{
	struct pci_cap_field *f;

	if (c->cap->n_fields >= PCI_CAP_MAX_FIELDS)
		return NULL;
	f = &c->cap->fields[c->cap->n_fields++];
	f->key = key;
	f->kind = kind;
	f->num = num;
	f->text[0] = '\0';
	return f;
}

static void add_uint(struct cap_ctx *c, const char *key, uint64_t v)
{
	add_field(c, key, PCI_CAP_FIELD_UINT, v);
}

static void add_hex(struct cap_ctx *c, const char *key, uint64_t v)
{
	add_field(c, key, PCI_CAP_FIELD_HEX, v);
}

static void add_bool(struct cap_ctx *c, const char *key, bool v)
{
	add_field(c, key, PCI_CAP_FIELD_BOOL, v);
}

static void add_text(struct cap_ctx *c, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void add_text(struct cap_ctx *c, const char *key, const char *fmt, ...)
{
	struct pci_cap_field *f = add_field(c, key, PCI_CAP_FIELD_TEXT, 0);
	va_list ap;

	if (!f)
		return;
	va_start(ap, fmt);
	vsnprintf(f->text, sizeof(f->text), fmt, ap);
	va_end(ap);
}

static void add_regs(struct cap_ctx *c, const struct cap_reg *regs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint32_t v;

		if (rd(c, regs[i].off, regs[i].size, &v))
			add_field(c, regs[i].key, regs[i].kind, v);
	}
}

static char flag(uint32_t v, uint32_t bit)
{
	return v & bit ? '+' : '-';
}

/* Standard capabilities. */

static void decode_pm(struct cap_ctx *c)
{
	static const char *const states[] = { "D0", "D1", "D2", "D3hot" };
	uint32_t pmc, pmcsr;

	if (rd(c, 2, 2, &pmc)) {
		add_uint(c, "version", pmc & 0x7);
		add_bool(c, "d1", pmc & 0x0200);
		add_bool(c, "d2", pmc & 0x0400);
		add_text(c, "pme", "D0%c,D1%c,D2%c,D3hot%c,D3cold%c", flag(pmc, 0x0800),
			 flag(pmc, 0x1000), flag(pmc, 0x2000), flag(pmc, 0x4000), flag(pmc, 0x8000));
	}
	if (rd(c, 4, 2, &pmcsr)) {
		add_text(c, "power_state", "%s", states[pmcsr & 0x3]);
		add_bool(c, "no_soft_reset", pmcsr & 0x0008);
		add_bool(c, "pme_enable", pmcsr & 0x0100);
		add_bool(c, "pme_status", pmcsr & 0x8000);
	}
}

static void decode_msi(struct cap_ctx *c)
{
	uint32_t flags, lo, hi = 0, data, mask, pending;
	unsigned data_off;
	bool is64, maskable;

	if (!rd(c, 2, 2, &flags))
		return;
	is64 = flags & 0x0080;
	maskable = flags & 0x0100;
	add_bool(c, "enable", flags & 0x0001);
	add_text(c, "count", "%u/%u", 1u << ((flags >> 4) & 0x7), 1u << ((flags >> 1) & 0x7));
	add_bool(c, "maskable", maskable);
	add_bool(c, "64bit", is64);
	data_off = is64 ? 0x0c : 0x08;
	if (!rd(c, 0x04, 4, &lo) || (is64 && !rd(c, 0x08, 4, &hi)) || !rd(c, data_off, 2, &data))
		return;
	add_hex(c, "address", (uint64_t)hi << 32 | lo);
	add_hex(c, "data", data);
	if (maskable && rd(c, data_off + 4, 4, &mask) && rd(c, data_off + 8, 4, &pending)) {
		add_hex(c, "mask", mask);
		add_hex(c, "pending", pending);
	}
}

static void decode_msix(struct cap_ctx *c)
{
	uint32_t flags, table, pba;

	if (!rd(c, 2, 2, &flags))
		return;
	add_bool(c, "enable", flags & 0x8000);
	add_uint(c, "count", (flags & 0x07ff) + 1);
	add_bool(c, "masked", flags & 0x4000);
	if (rd(c, 4, 4, &table)) {
		add_uint(c, "table_bar", table & 0x7);
		add_hex(c, "table_offset", table & ~0x7u);
	}
	if (rd(c, 8, 4, &pba)) {
		add_uint(c, "pba_bar", pba & 0x7);
		add_hex(c, "pba_offset", pba & ~0x7u);
	}
}

static const char *express_type_name(unsigned type)
{
	static const char *const names[] = {
		[0x0] = "Endpoint",
		[0x1] = "Legacy Endpoint",
		[0x4] = "Root Port",
		[0x5] = "Upstream Port",
		[0x6] = "Downstream Port",
		[0x7] = "PCI-Express to PCI/PCI-X Bridge",
		[0x8] = "PCI/PCI-X to PCI-Express Bridge",
		[0x9] = "Root Complex Integrated Endpoint",
		[0xa] = "Root Complex Event Collector",
	};

	return type < N_ELEMS(names) ? names[type] : NULL;
}

static const char *link_speed_name(unsigned speed)
{
	static const char *const names[] = { NULL, "2.5GT/s", "5GT/s", "8GT/s", "16GT/s", "32GT/s",
					     "64GT/s" };

	return speed < N_ELEMS(names) && names[speed] ? names[speed] : "unknown";
}

static void express_device(struct cap_ctx *c)
{
	uint32_t cap, ctl;

	if (rd(c, 0x04, 4, &cap)) {
		add_uint(c, "devcap_max_payload", 128u << (cap & 0x7));
		add_uint(c, "devcap_phantom", (1u << ((cap >> 3) & 0x3)) - 1);
		add_bool(c, "devcap_ext_tag", cap & 0x20);
		add_bool(c, "flr", cap & (1u << 28));
	}
	if (rd(c, 0x08, 2, &ctl)) {
		add_bool(c, "corr_err", ctl & 0x0001);
		add_bool(c, "non_fatal_err", ctl & 0x0002);
		add_bool(c, "fatal_err", ctl & 0x0004);
		add_bool(c, "unsup_req", ctl & 0x0008);
		add_bool(c, "relaxed_ordering", ctl & 0x0010);
		add_bool(c, "ext_tag", ctl & 0x0100);
		add_bool(c, "no_snoop", ctl & 0x0800);
		add_uint(c, "max_payload", 128u << ((ctl >> 5) & 0x7));
		add_uint(c, "max_read_req", 128u << ((ctl >> 12) & 0x7));
	}
}

static void express_link(struct cap_ctx *c)
{
	static const char *const aspm[] = { "not supported", "L0s", "L1", "L0s L1" };
	uint32_t cap, sta;

	if (rd(c, 0x0c, 4, &cap)) {
		add_uint(c, "port", cap >> 24);
		add_text(c, "link_cap_speed", "%s", link_speed_name(cap & 0xf));
		add_text(c, "link_cap_width", "x%u", (cap >> 4) & 0x3f);
		add_text(c, "aspm", "%s", aspm[(cap >> 10) & 0x3]);
	}
	if (rd(c, 0x12, 2, &sta)) {
		add_text(c, "link_speed", "%s", link_speed_name(sta & 0xf));
		add_text(c, "link_width", "x%u", (sta >> 4) & 0x3f);
	}
}

static void decode_express(struct cap_ctx *c)
{
	uint32_t flags;
	unsigned type;
	const char *name;

	if (!rd(c, 2, 2, &flags))
		return;
	type = (flags >> 4) & 0xf;
	name = express_type_name(type);
	add_uint(c, "version", flags & 0xf);
	if (name)
		add_text(c, "type", "%s", name);
	else
		add_text(c, "type", "Unknown type %u", type);
	if (type == PCI_EXP_TYPE_ROOT_PORT || type == PCI_EXP_TYPE_DOWNSTREAM ||
	    type == PCI_EXP_TYPE_PCI_TO_PCIE)
		add_bool(c, "slot", flags & 0x0100);
	add_uint(c, "msi", (flags >> 9) & 0x1f);
	express_device(c);
	if (type != PCI_EXP_TYPE_RC_ENDPOINT && type != PCI_EXP_TYPE_RC_EVENT_COLLECTOR)
		express_link(c);
}

/* lspci words PCI-X by the header type, and shows nothing else for a CardBus bridge. */
static void decode_pcix(struct cap_ctx *c)
{
	static const struct cap_reg device[] = {
		{ "command", 0x02, 2, PCI_CAP_FIELD_HEX },
		{ "status", 0x04, 4, PCI_CAP_FIELD_HEX },
	};
	static const struct cap_reg bridge[] = {
		{ "secondary_status", 0x02, 2, PCI_CAP_FIELD_HEX },
		{ "status", 0x04, 4, PCI_CAP_FIELD_HEX },
	};

	switch (pci_config_header_type(c->cfg)) {
	case 0:
		c->cap->name = "PCI-X non-bridge device";
		add_regs(c, device, N_ELEMS(device));
		break;
	case 1:
		c->cap->name = "PCI-X bridge device";
		add_regs(c, bridge, N_ELEMS(bridge));
		break;
	}
}

static const struct cap_reg vendor_regs[] = { { "length", 0x02, 1, PCI_CAP_FIELD_UINT } };

static void decode_debug_port(struct cap_ctx *c)
{
	uint32_t v;

	if (rd(c, 2, 2, &v)) {
		add_uint(c, "bar", v >> 13);
		add_hex(c, "offset", v & 0x1fff);
	}
}

static const struct cap_reg subsystem_regs[] = {
	{ "subsystem_vendor", 0x04, 2, PCI_CAP_FIELD_HEX },
	{ "subsystem_device", 0x06, 2, PCI_CAP_FIELD_HEX },
};

static const struct cap_reg hypertransport_regs[] = { { "command", 0x02, 2, PCI_CAP_FIELD_HEX } };

static void decode_sata(struct cap_ctx *c)
{
	uint32_t rev;

	if (rd(c, 2, 1, &rev))
		add_text(c, "version", "%u.%u", (rev >> 4) & 0xf, rev & 0xf);
}

static void decode_af(struct cap_ctx *c)
{
	uint32_t cap;

	if (rd(c, 3, 1, &cap)) {
		add_bool(c, "tp", cap & 0x01);
		add_bool(c, "flr", cap & 0x02);
	}
}

static void decode_ea(struct cap_ctx *c)
{
	uint32_t v;

	if (rd(c, 2, 1, &v))
		add_uint(c, "entries", v & 0x3f);
}

/* Extended capabilities. */

static const struct cap_reg aer_regs[] = {
	{ "uncor_status", 0x04, 4, PCI_CAP_FIELD_HEX },
	{ "uncor_mask", 0x08, 4, PCI_CAP_FIELD_HEX },
	{ "uncor_severity", 0x0c, 4, PCI_CAP_FIELD_HEX },
	{ "cor_status", 0x10, 4, PCI_CAP_FIELD_HEX },
	{ "cor_mask", 0x14, 4, PCI_CAP_FIELD_HEX },
	{ "aer_cap", 0x18, 4, PCI_CAP_FIELD_HEX },
};

static void decode_vc(struct cap_ctx *c)
{
	uint32_t cr1;

	if (rd(c, 4, 4, &cr1)) {
		add_uint(c, "extended_vcs", cr1 & 0x7);
		add_uint(c, "low_priority_vcs", (cr1 >> 4) & 0x7);
	}
}

/* Printed most significant byte first, as lspci does. */
static void decode_dsn(struct cap_ctx *c)
{
	uint32_t lo, hi;

	if (rd(c, 4, 4, &lo) && rd(c, 8, 4, &hi))
		add_text(c, "serial", "%02x-%02x-%02x-%02x-%02x-%02x-%02x-%02x", hi >> 24,
			 (hi >> 16) & 0xff, (hi >> 8) & 0xff, hi & 0xff, lo >> 24, (lo >> 16) & 0xff,
			 (lo >> 8) & 0xff, lo & 0xff);
}

static void decode_evendor(struct cap_ctx *c)
{
	uint32_t h;

	if (rd(c, 4, 4, &h)) {
		add_hex(c, "vsec_id", h & 0xffff);
		add_uint(c, "vsec_rev", (h >> 16) & 0xf);
		add_uint(c, "vsec_len", h >> 20);
	}
}

static void decode_acs(struct cap_ctx *c)
{
	static const char *const keys[][2] = { { "cap", "cap_bits" }, { "ctl", "ctl_bits" } };
	char names[32];
	uint32_t v;

	for (unsigned i = 0; i < N_ELEMS(keys); i++) {
		if (!rd(c, 4 + 2 * i, 2, &v))
			return;
		add_hex(c, keys[i][0], v);
		add_text(c, keys[i][1], "%s", pci_acs_bits_format((uint16_t)v, names, sizeof(names)));
	}
}

static void decode_ari(struct cap_ctx *c)
{
	uint32_t cap, ctl;

	if (rd(c, 4, 2, &cap)) {
		add_bool(c, "mfvc", cap & 0x1);
		add_bool(c, "acs", cap & 0x2);
		add_uint(c, "next_function", (cap >> 8) & 0xff);
	}
	if (rd(c, 6, 2, &ctl))
		add_uint(c, "function_group", (ctl >> 4) & 0x7);
}

static void decode_ats(struct cap_ctx *c)
{
	uint32_t cap, ctl;

	if (rd(c, 4, 2, &cap)) {
		add_uint(c, "queue_depth", cap & 0x1f);
		add_bool(c, "page_aligned", cap & 0x20);
	}
	if (rd(c, 6, 2, &ctl)) {
		add_bool(c, "enable", ctl & 0x8000);
		add_uint(c, "stu", ctl & 0x1f);
	}
}

static void decode_sriov(struct cap_ctx *c)
{
	static const struct cap_reg regs[] = {
		{ "initial_vfs", 0x0c, 2, PCI_CAP_FIELD_UINT },
		{ "total_vfs", 0x0e, 2, PCI_CAP_FIELD_UINT },
		{ "num_vfs", 0x10, 2, PCI_CAP_FIELD_UINT },
		{ "vf_offset", 0x14, 2, PCI_CAP_FIELD_UINT },
		{ "vf_stride", 0x16, 2, PCI_CAP_FIELD_UINT },
		{ "vf_device", 0x1a, 2, PCI_CAP_FIELD_HEX },
		{ "supported_page_sizes", 0x1c, 4, PCI_CAP_FIELD_HEX },
		{ "system_page_size", 0x20, 4, PCI_CAP_FIELD_HEX },
	};
	uint32_t ctl;

	if (rd(c, 8, 2, &ctl)) {
		add_bool(c, "enable", ctl & 0x01);
		add_bool(c, "mse", ctl & 0x08);
		add_bool(c, "ari_hierarchy", ctl & 0x10);
	}
	add_regs(c, regs, N_ELEMS(regs));
}

static void decode_pri(struct cap_ctx *c)
{
	static const struct cap_reg regs[] = {
		{ "outstanding_capacity", 0x08, 4, PCI_CAP_FIELD_UINT },
		{ "outstanding_allocation", 0x0c, 4, PCI_CAP_FIELD_UINT },
	};
	uint32_t v;

	if (rd(c, 4, 2, &v))
		add_bool(c, "enable", v & 0x0001);
	if (rd(c, 6, 2, &v))
		add_bool(c, "stopped", v & 0x0100);
	add_regs(c, regs, N_ELEMS(regs));
}

static void decode_pasid(struct cap_ctx *c)
{
	uint32_t cap, ctl;

	if (rd(c, 4, 2, &cap)) {
		add_bool(c, "exec", cap & 0x2);
		add_bool(c, "priv", cap & 0x4);
		add_uint(c, "width", (cap >> 8) & 0x1f);
	}
	if (rd(c, 6, 2, &ctl))
		add_bool(c, "enable", ctl & 0x1);
}

/* Each entry: capability at +4 + 8i, control at +8 + 8i; only the first counts the BARs. */
static void decode_rebar(struct cap_ctx *c)
{
	static const char *const bar_keys[] = { "bar0", "bar1", "bar2", "bar3",
						"bar4", "bar5", "bar6", "bar7" };
	static const char *const units[] = { "MB", "GB", "TB", "PB", "EB" };
	uint32_t ctl;
	unsigned bars;

	if (!rd(c, 8, 4, &ctl))
		return;
	bars = (ctl >> 5) & 0x7;
	add_uint(c, "bars", bars);
	if (bars > 6)
		return;
	for (unsigned i = 0; i < bars && rd(c, 8 + 8 * i, 4, &ctl); i++) {
		unsigned size = (ctl >> 8) & 0x3f;	/* log2 of the size in MB */

		if (size < 10 * N_ELEMS(units))
			add_text(c, bar_keys[ctl & 0x7], "%u%s", 1u << (size % 10), units[size / 10]);
		else
			add_text(c, bar_keys[ctl & 0x7], "unknown");
	}
}

static const struct cap_reg secondary_pcie_regs[] = {
	{ "lnkctl3", 0x04, 4, PCI_CAP_FIELD_HEX },
	{ "lane_err_status", 0x08, 4, PCI_CAP_FIELD_HEX },
};

static uint64_t ltr_ns(uint32_t v)
{
	return (uint64_t)(v & 0x3ff) << (5 * ((v >> 10) & 0x7));
}

static void decode_ltr(struct cap_ctx *c)
{
	uint32_t v;

	if (rd(c, 4, 2, &v))
		add_uint(c, "max_snoop_ns", ltr_ns(v));
	if (rd(c, 6, 2, &v))
		add_uint(c, "max_no_snoop_ns", ltr_ns(v));
}

static void decode_dpc(struct cap_ctx *c)
{
	uint32_t v;

	if (rd(c, 4, 2, &v)) {
		add_uint(c, "int_msg", v & 0x1f);
		add_bool(c, "rp_ext", v & 0x20);
	}
	if (rd(c, 6, 2, &v))
		add_uint(c, "trigger_enable", v & 0x3);
	if (rd(c, 8, 2, &v)) {
		add_bool(c, "triggered", v & 0x1);
		add_uint(c, "trigger_reason", (v >> 1) & 0x3);
	}
}

static void decode_l1pm(struct cap_ctx *c)
{
	uint32_t v;

	if (rd(c, 4, 4, &v)) {
		add_bool(c, "pci_pm_l1_2", v & 0x01);
		add_bool(c, "pci_pm_l1_1", v & 0x02);
		add_bool(c, "aspm_l1_2", v & 0x04);
		add_bool(c, "aspm_l1_1", v & 0x08);
		add_bool(c, "l1_pm_substates", v & 0x10);
	}
	if (rd(c, 8, 4, &v))
		add_hex(c, "ctl1", v);
}

static void decode_ptm(struct cap_ctx *c)
{
	uint32_t v;

	if (rd(c, 4, 4, &v)) {
		add_bool(c, "requester", v & 0x1);
		add_bool(c, "responder", v & 0x2);
		add_bool(c, "root", v & 0x4);
		add_uint(c, "granularity", (v >> 8) & 0xff);
	}
	if (rd(c, 8, 4, &v)) {
		add_bool(c, "enable", v & 0x1);
		add_bool(c, "root_select", v & 0x2);
	}
}

static void decode_dvsec(struct cap_ctx *c)
{
	uint32_t v;

	if (rd(c, 4, 4, &v)) {
		add_hex(c, "dvsec_vendor", v & 0xffff);
		add_uint(c, "dvsec_rev", (v >> 16) & 0xf);
		add_uint(c, "dvsec_len", v >> 20);
	}
	if (rd(c, 8, 2, &v))
		add_hex(c, "dvsec_id", v);
}

static const struct cap_reg data_link_regs[] = {
	{ "cap", 0x04, 4, PCI_CAP_FIELD_HEX },
	{ "status", 0x08, 4, PCI_CAP_FIELD_HEX },
};

static const struct cap_reg phy_16gt_regs[] = { { "status", 0x0c, 4, PCI_CAP_FIELD_HEX } };

static void decode_lane_margining(struct cap_ctx *c)
{
	uint32_t v;

	if (rd(c, 4, 2, &v))
		add_bool(c, "uses_driver", v & 0x1);
	if (rd(c, 6, 2, &v)) {
		add_bool(c, "ready", v & 0x1);
		add_bool(c, "soft_ready", v & 0x2);
	}
}

/*
 * lspci's words (ls-caps.c, ls-ecaps.c of pciutils), up to the details it prints after
 * them.  Physical Layer 32.0/64.0 GT/s, Device 3 and IDE are from pciutils 3.10 and later.
 */
static const struct cap_kind std_kinds[] = {
	[0x01] = { "Power Management", decode_pm },
	[0x02] = { "AGP", NULL },
	[0x03] = { "Vital Product Data", NULL },
	[0x04] = { "Slot ID", NULL },
	[0x05] = { "MSI", decode_msi },
	[0x06] = { "CompactPCI hot-swap", NULL },
	[0x07] = { "PCI-X", decode_pcix },
	[0x08] = { "HyperTransport", NULL, REGS(hypertransport_regs) },
	[0x09] = { "Vendor Specific Information", NULL, REGS(vendor_regs) },
	[0x0a] = { "Debug port", decode_debug_port },
	[0x0b] = { "CompactPCI central resource control", NULL },
	[0x0c] = { "Hot-plug capable", NULL },
	[0x0d] = { "Subsystem", NULL, REGS(subsystem_regs) },
	[0x0e] = { "AGP3", NULL },
	[0x0f] = { "Secure device", NULL },
	[0x10] = { "Express", decode_express },
	[0x11] = { "MSI-X", decode_msix },
	[0x12] = { "SATA HBA", decode_sata },
	[0x13] = { "PCI Advanced Features", decode_af },
	[0x14] = { "Enhanced Allocation (EA)", decode_ea },
};

static const struct cap_kind ext_kinds[] = {
	[0x00] = { "Null", NULL },
	[0x01] = { "Advanced Error Reporting", NULL, REGS(aer_regs) },
	[0x02] = { "Virtual Channel", decode_vc },
	[0x03] = { "Device Serial Number", decode_dsn },
	[0x04] = { "Power Budgeting", NULL },
	[0x05] = { "Root Complex Link", NULL },
	[0x06] = { "Root Complex Internal Link", NULL },
	[0x07] = { "Root Complex Event Collector Endpoint Association", NULL },
	[0x08] = { "Multi-Function Virtual Channel", NULL },
	[0x09] = { "Virtual Channel", decode_vc },
	[0x0a] = { "Root Complex Register Block", NULL },
	[0x0b] = { "Vendor Specific Information", decode_evendor },
	[0x0d] = { "Access Control Services", decode_acs },
	[0x0e] = { "Alternative Routing-ID Interpretation (ARI)", decode_ari },
	[0x0f] = { "Address Translation Service (ATS)", decode_ats },
	[0x10] = { "Single Root I/O Virtualization (SR-IOV)", decode_sriov },
	[0x11] = { "Multi-Root I/O Virtualization", NULL },
	[0x12] = { "Multicast", NULL },
	[0x13] = { "Page Request Interface (PRI)", decode_pri },
	[0x15] = { "Physical Resizable BAR", decode_rebar },
	[0x16] = { "Dynamic Power Allocation", NULL },
	[0x17] = { "Transaction Processing Hints", NULL },
	[0x18] = { "Latency Tolerance Reporting", decode_ltr },
	[0x19] = { "Secondary PCI Express", NULL, REGS(secondary_pcie_regs) },
	[0x1a] = { "Protocol Multiplexing", NULL },
	[0x1b] = { "Process Address Space ID (PASID)", decode_pasid },
	[0x1c] = { "LN Requester", NULL },
	[0x1d] = { "Downstream Port Containment", decode_dpc },
	[0x1e] = { "L1 PM Substates", decode_l1pm },
	[0x1f] = { "Precision Time Measurement", decode_ptm },
	[0x20] = { "PCI Express over M_PHY", NULL },
	[0x21] = { "FRS Queueing", NULL },
	[0x22] = { "Readiness Time Reporting", NULL },
	[0x23] = { "Designated Vendor-Specific", decode_dvsec },
	[0x24] = { "Virtual Resizable BAR", decode_rebar },
	[0x25] = { "Data Link Feature", NULL, REGS(data_link_regs) },
	[0x26] = { "Physical Layer 16.0 GT/s", NULL, REGS(phy_16gt_regs) },
	[0x27] = { "Lane Margining at the Receiver", decode_lane_margining },
	[0x28] = { "Hierarchy ID", NULL },
	[0x29] = { "Native PCIe Enclosure Management", NULL },
	[0x2a] = { "Physical Layer 32.0 GT/s", NULL },
	[0x2e] = { "Data Object Exchange", NULL },
	[0x2f] = { "Device 3", NULL },
	[0x30] = { "Integrity & Data Encryption", NULL },
	[0x31] = { "Physical Layer 64.0 GT/s", NULL },
};

static const struct cap_kind *cap_kind(uint16_t id, bool extended)
{
	const struct cap_kind *kinds = extended ? ext_kinds : std_kinds;
	size_t n = extended ? N_ELEMS(ext_kinds) : N_ELEMS(std_kinds);

	return id < n && kinds[id].name ? &kinds[id] : NULL;
}

const char *pci_cap_name(uint16_t id, bool extended)
{
	const struct cap_kind *kind = cap_kind(id, extended);

	return kind ? kind->name : NULL;
}

/* Walks. */

struct walk {
	const struct pci_config *cfg;
	struct pci_cap_list *list;
	size_t allocated;
	/* The list being walked: */
	const char *what;		/* "standard" or "extended" */
	unsigned start;			/* lowest offset an entry may have */
	unsigned header_size;
	unsigned limit;			/* bytes readable for this list */
	unsigned max_entries, n;
	uint8_t visited[PCI_CONFIG_MAX_SIZE / 4];
};

static void add_problem(struct pci_cap_list *list, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void add_problem(struct pci_cap_list *list, const char *fmt, ...)
{
	size_t used = strlen(list->problem);
	va_list ap;

	if (used && used + 2 < sizeof(list->problem))
		used += (size_t)snprintf(list->problem + used, sizeof(list->problem) - used, "; ");
	if (used + 1 >= sizeof(list->problem))
		return;
	va_start(ap, fmt);
	vsnprintf(list->problem + used, sizeof(list->problem) - used, fmt, ap);
	va_end(ap);
}

static void begin_list(struct walk *w, const char *what, unsigned start, unsigned header_size,
		       unsigned limit, unsigned max_entries)
{
	w->what = what;
	w->start = start;
	w->header_size = header_size;
	w->limit = limit;
	w->max_entries = max_entries;
	w->n = 0;
	memset(w->visited, 0, sizeof(w->visited));
}

/* True when the walk may go on to pos, reached from the entry (or pointer) at from. */
static bool may_visit(struct walk *w, unsigned pos, unsigned from)
{
	if (pos < w->start)
		add_problem(w->list, "%s list: pointer 0x%02x from 0x%02x is below 0x%x", w->what, pos,
			    from, w->start);
	else if (pos + w->header_size > w->limit)
		add_problem(w->list, "%s list: 0x%02x is beyond the %u bytes read", w->what, pos,
			    w->limit);
	else if (w->visited[pos / 4])
		add_problem(w->list, "%s list: loop back to 0x%02x from 0x%02x", w->what, pos, from);
	else if (w->n == w->max_entries)
		add_problem(w->list, "%s list: more than %u entries", w->what, w->max_entries);
	else {
		w->visited[pos / 4] = 1;
		w->n++;
		return true;
	}
	return false;
}

/* Appends and decodes one entry; false (list->problem written) when out of memory. */
static bool add_cap(struct walk *w, unsigned offset, bool extended, uint32_t header)
{
	struct pci_cap_list *list = w->list;
	const struct cap_kind *kind;
	struct pci_cap *cap;
	struct cap_ctx ctx;

	if (list->n == w->allocated) {
		size_t want = w->allocated ? 2 * w->allocated : 16;
		struct pci_cap *caps = realloc(list->caps, want * sizeof(*caps));

		if (!caps) {
			add_problem(list, "out of memory after %zu capabilities", list->n);
			return false;
		}
		list->caps = caps;
		w->allocated = want;
	}
	cap = &list->caps[list->n++];
	memset(cap, 0, sizeof(*cap));
	cap->offset = offset;
	cap->extended = extended;
	cap->id = extended ? header & 0xffff : header & 0xff;
	cap->version = extended ? (header >> 16) & 0xf : 0;
	kind = cap_kind(cap->id, extended);
	cap->name = kind ? kind->name : NULL;
	ctx = (struct cap_ctx){ w->cfg, cap, w->limit };
	if (kind && kind->decode)
		kind->decode(&ctx);
	else if (kind)
		add_regs(&ctx, kind->regs, kind->n_regs);
	return true;
}

/*
 * gcc 12 -fanalyzer reports "leak of <unknown>" at the add_cap() calls below: it loses
 * track of the realloc'd array stored in w->list->caps, which pci_cap_list_free() frees.
 */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wanalyzer-malloc-leak"
#endif
static void walk_standard(struct walk *w, unsigned limit)
{
	unsigned from = pci_config_header_type(w->cfg) == 2 ? PCI_CB_CAPABILITY_LIST
							    : PCI_CAPABILITY_LIST;
	unsigned pos;

	begin_list(w, "standard", STD_CAP_START, 2, limit, STD_MAX_CAPS);
	if (from >= limit) {
		add_problem(w->list, "standard list: its pointer at 0x%02x is beyond the %u bytes read",
			    from, limit);
		return;
	}
	if (!(pci_config_u16(w->cfg, PCI_STATUS) & PCI_STATUS_CAP_LIST))
		return;
	pos = pci_config_u8(w->cfg, from) & ~3u;
	while (pos && may_visit(w, pos, from)) {
		uint8_t id = pci_config_u8(w->cfg, pos);

		if (id == 0xff) {
			add_problem(w->list, "standard list: id 0xff at 0x%02x, the chain is broken", pos);
			return;
		}
		if (!add_cap(w, pos, false, id))
			return;
		from = pos;
		pos = pci_config_u8(w->cfg, pos + 1) & ~3u;
	}
}

static void walk_extended(struct walk *w, unsigned limit)
{
	unsigned pos = PCI_CONFIG_STD_SIZE, from = PCI_CONFIG_STD_SIZE;

	begin_list(w, "extended", PCI_CONFIG_STD_SIZE, 4, limit, EXT_MAX_CAPS);
	while (pos && may_visit(w, pos, from)) {
		uint32_t header = pci_config_u32(w->cfg, pos);

		if (header == 0 || header == 0xffffffff) {
			if (pos != PCI_CONFIG_STD_SIZE)
				add_problem(w->list, "extended list: header 0x%08x at 0x%03x, the chain is broken",
					    header, pos);
			return;
		}
		if (!add_cap(w, pos, true, header))
			return;
		from = pos;
		pos = (header >> 20) & ~3u;
	}
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

void pci_cap_decode(const struct pci_config *cfg, struct pci_cap_list *list)
{
	struct walk w = { .cfg = cfg, .list = list };
	unsigned limit = cfg->len < PCI_CONFIG_MAX_SIZE ? (unsigned)cfg->len : PCI_CONFIG_MAX_SIZE;

	memset(list, 0, sizeof(*list));
	walk_standard(&w, limit < PCI_CONFIG_STD_SIZE ? limit : PCI_CONFIG_STD_SIZE);
	if (limit > PCI_CONFIG_STD_SIZE)
		walk_extended(&w, limit);
}

void pci_cap_list_free(struct pci_cap_list *list)
{
	free(list->caps);
	list->caps = NULL;
	list->n = 0;
}

static int format_field(const struct pci_cap_field *f, char *out, size_t len)
{
	const char *key = f->key ? f->key : "?";
	size_t text_len;
	const char *quote;

	switch (f->kind) {
	case PCI_CAP_FIELD_BOOL:
		return snprintf(out, len, "%s%c", key, f->num ? '+' : '-');
	case PCI_CAP_FIELD_UINT:
		return snprintf(out, len, "%s=%" PRIu64, key, f->num);
	case PCI_CAP_FIELD_HEX:
		return snprintf(out, len, "%s=0x%" PRIx64, key, f->num);
	case PCI_CAP_FIELD_TEXT:
		text_len = strnlen(f->text, sizeof(f->text));
		quote = memchr(f->text, ' ', text_len) ? "\"" : "";
		return snprintf(out, len, "%s=%s%.*s%s", key, quote, (int)text_len, f->text, quote);
	}
	return -1;
}

char *pci_cap_format_fields(const struct pci_cap *cap, char *buf, size_t len)
{
	size_t used = 0;

	if (!len)
		return buf;
	buf[0] = '\0';
	for (unsigned i = 0; i < cap->n_fields && i < PCI_CAP_MAX_FIELDS; i++) {
		char piece[128];
		int n = format_field(&cap->fields[i], piece, sizeof(piece));

		if (n < 0 || (size_t)n >= sizeof(piece) || used + (used > 0) + (size_t)n >= len)
			break;
		used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? " " : "", piece);
	}
	return buf;
}
