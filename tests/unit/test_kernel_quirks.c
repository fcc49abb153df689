#include <stdlib.h>
#include <string.h>

#include "iommu/kernel_quirks.h"
#include "pci/pci_caps.h"
#include "util/report.h"
#include "fake_config.h"
#include "tap.h"

#define NO_QUIRK (-1)

/*
 * Config space of a device with a PCIe capability of this type (-1: none), a bridge header for
 * the port types, and ACS at 0x100 when acs_cap >= 0: ACSCap as a word at +4, the control word
 * at +6 and, where Sunrise Point keeps its control, a dword at +8.
 */
static struct pci_config *device_config(int type, bool bridge, int acs_cap, uint16_t ctl_word,
					uint32_t ctl_dword)
{
	struct pci_config *cfg = vt_xmalloc(sizeof(*cfg));

	fake_config(cfg, type, bridge, false, acs_cap, ctl_word);
	if (acs_cap >= 0)
		for (unsigned i = 0; i < 4; i++)
			cfg->data[0x108 + i] = (uint8_t)(ctl_dword >> (8 * i));
	return cfg;
}

static struct quirk_subject subject(uint16_t vendor, uint16_t device, int type)
{
	return (struct quirk_subject){ .vendor = vendor, .device = device, .port_type = type };
}

/* Which kind answers (NO_QUIRK: none does) and what it answers. */
static void answers_with(const char *what, const struct quirk_subject *s, const char *release,
			 int kind, bool enabled, struct acs_quirk_match *m)
{
	bool answered = acs_quirk_lookup(s, release, m);

	if (kind == NO_QUIRK) {
		tap_ok(!answered && !m->quirk, "kernel_quirks: %s: no quirk answers (got %s)", what,
		       m->quirk ? m->quirk->what : "none");
		return;
	}
	tap_ok(answered && m->quirk && (int)m->quirk->kind == kind && m->enabled == enabled,
	       "kernel_quirks: %s: kind %d answers %s (got %s: %s)", what, kind,
	       enabled ? "enabled" : "not enabled", m->quirk ? m->quirk->what : "none",
	       m->enabled ? "enabled" : "not enabled");
}

static void answers(const char *what, const struct quirk_subject *s, int kind, bool enabled)
{
	struct acs_quirk_match m;

	answers_with(what, s, NULL, kind, enabled, &m);
}

static void amd_southbridge(void)
{
	struct quirk_subject s = subject(0x1002, 0x4385, PCI_PORT_CONVENTIONAL);

	s.multifunction = true;
	s.root_bus = true;
	s.amd_ivrs = true;
	answers("ATI SMBus, multifunction on the root bus, IVRS", &s, ACS_QUIRK_AMD_SB, true);
	s.amd_ivrs = false;
	answers("ATI SMBus without IVRS", &s, NO_QUIRK, false);
	s.amd_ivrs = true;
	s.root_bus = false;
	answers("ATI SMBus below a bridge", &s, NO_QUIRK, false);
	s.root_bus = true;
	s.multifunction = false;
	answers("ATI SMBus single-function", &s, NO_QUIRK, false);
}

static void multifunction_and_rciep(void)
{
	struct quirk_subject s = subject(0x1924, 0x0903, PCI_PORT_ENDPOINT);

	answers("Solarflare 0903", &s, ACS_QUIRK_MF_ENDPOINT, true);
	s.device = 0x0904;
	answers("Solarflare 0904 (not listed)", &s, NO_QUIRK, false);
	s = subject(0x8086, 0x10fb, PCI_PORT_RC_ENDPOINT);
	answers("Intel 82599 as an RCiEP: its own entry comes first", &s, ACS_QUIRK_MF_ENDPOINT,
		true);
	s.device = 0x3456;
	answers("Intel RCiEP 3456", &s, ACS_QUIRK_RCIEP, true);
	s.port_type = PCI_PORT_ENDPOINT;
	answers("Intel endpoint 3456", &s, NO_QUIRK, false);
	s = subject(0x14e4, 0x1750, PCI_PORT_ENDPOINT);
	answers("Broadcom BCM57508", &s, ACS_QUIRK_MF_ENDPOINT, true);
}

static void root_port_kinds(void)
{
	struct quirk_subject s = subject(0x17cb, 0x0400, PCI_PORT_ENDPOINT);
	struct acs_quirk_match m;

	answers("QCOM QDF2xxx as an endpoint (the type is not checked)", &s, ACS_QUIRK_ROOT_PORT,
		true);
	s.device = 0x0402;
	answers("QCOM 0402 (not listed)", &s, NO_QUIRK, false);
	s = subject(0x17cb, 0x0111, PCI_PORT_ROOT_PORT);
	answers_with("QCOM Hamoa on 6.12.118 (backported)", &s, "6.12.118+deb13-amd64",
		     ACS_QUIRK_ROOT_PORT, true, &m);
	s = subject(0x1957, 0x8d81, PCI_PORT_ROOT_PORT);
	answers("NXP LX2xx0A root port", &s, ACS_QUIRK_ROOT_PORT, true);
	s = subject(0x10e8, 0xe004, PCI_PORT_ENDPOINT);
	answers("APM X-Gene", &s, ACS_QUIRK_XGENE, true);
	s = subject(0x1def, 0xe00d, PCI_PORT_ROOT_PORT);
	answers("Ampere e00d (not listed)", &s, NO_QUIRK, false);
	s = subject(0x14e4, 0xd714, PCI_PORT_ENDPOINT);
	answers("Broadcom iProc PAXB", &s, ACS_QUIRK_ALL, true);
	s = subject(0x0014, 0x7a09, PCI_PORT_ROOT_PORT);
	answers("Loongson 7a09", &s, ACS_QUIRK_ALL, true);
	s = subject(0x1c36, 0x0031, PCI_PORT_ROOT_PORT);
	answers("Amazon root port", &s, ACS_QUIRK_AMAZON, true);
	s.port_type = PCI_PORT_ENDPOINT;
	answers("Amazon 0031 as an endpoint", &s, NO_QUIRK, false);
}

static void intel_pch(void)
{
	struct quirk_subject s = subject(0x8086, 0x1c10, PCI_PORT_ROOT_PORT);

	answers("Intel Cougarpoint root port", &s, ACS_QUIRK_INTEL_PCH, true);
	s.port_type = PCI_PORT_DOWNSTREAM;
	answers("Intel 1c10 as a downstream port", &s, NO_QUIRK, false);
	s = subject(0x8086, 0x1d11, PCI_PORT_ROOT_PORT);
	answers("Intel Patsburg 1d11 (odd ids not listed)", &s, NO_QUIRK, false);
}

static void spt(const char *what, const struct pci_config *cfg, int kind, bool enabled,
		const char *detail)
{
	struct quirk_subject s = subject(0x8086, 0xa110, PCI_PORT_ROOT_PORT);
	struct acs_quirk_match m;

	s.cfg = cfg;
	answers_with(what, &s, NULL, kind, enabled, &m);
	if (detail)
		tap_ok(!strcmp(m.detail, detail), "kernel_quirks: %s: detail \"%s\" (got \"%s\")",
		       what, detail, m.detail);
}

static void intel_sunrise_point(void)
{
	struct pci_config *cfg;

	spt("Sunrise Point, config space unreadable", NULL, NO_QUIRK, false, NULL);
	cfg = device_config(PCI_PORT_ROOT_PORT, true, -1, 0, 0);
	spt("Sunrise Point without ACS", cfg, NO_QUIRK, false, NULL);
	free(cfg);
	cfg = device_config(PCI_PORT_ROOT_PORT, true, 0x5f, 0, 0x1d);
	spt("Sunrise Point, control dword SV RR CR UF", cfg, ACS_QUIRK_INTEL_SPT, true,
	    "control at the dword offsets: SV RR CR UF");
	free(cfg);
	cfg = device_config(PCI_PORT_ROOT_PORT, true, 0x5f, 0x1d, 0);
	spt("Sunrise Point, control dword 0 (word at +6 set)", cfg, ACS_QUIRK_INTEL_SPT, false,
	    "control at the dword offsets: none");
	free(cfg);
	cfg = device_config(PCI_PORT_ROOT_PORT, true, 0x0d, 0, 0x0d);
	spt("Sunrise Point, ACSCap without UF", cfg, ACS_QUIRK_INTEL_SPT, true,
	    "control at the dword offsets: SV RR CR");
	free(cfg);
}

static void cavium_zhaoxin_wangxun(void)
{
	struct quirk_subject s = subject(0x177d, 0xa010, PCI_PORT_ROOT_PORT);

	answers("Cavium ThunderX1 root port", &s, ACS_QUIRK_CAVIUM, true);
	s.port_type = PCI_PORT_ENDPOINT;
	answers("Cavium a010 as an endpoint", &s, NO_QUIRK, false);
	s.device = 0xa026;
	answers("Cavium BGX: past the ThunderX entry to its own", &s, ACS_QUIRK_MF_ENDPOINT, true);
	s = subject(0x1d17, 0x0715, PCI_PORT_ROOT_PORT);
	answers("Zhaoxin 0715 root port", &s, ACS_QUIRK_ZHAOXIN, true);
	s.port_type = PCI_PORT_ENDPOINT;
	answers("Zhaoxin 0715 as an endpoint", &s, NO_QUIRK, false);
	s = subject(0x1d17, 0x0722, PCI_PORT_DOWNSTREAM);
	answers("Zhaoxin 0722 downstream port (not listed)", &s, ACS_QUIRK_ZHAOXIN, false);
	s = subject(0x1d17, 0x3038, PCI_PORT_ENDPOINT);
	answers("Zhaoxin USB 3038", &s, ACS_QUIRK_MF_ENDPOINT, true);
	s = subject(0x8088, 0x1001, PCI_PORT_ENDPOINT);
	answers("Wangxun RP1000", &s, ACS_QUIRK_WANGXUN, true);
	s.device = 0x0200;
	answers("Wangxun 0200 (not listed)", &s, ACS_QUIRK_WANGXUN, false);
}

static void later_kernels(void)
{
	struct pci_config *cfg = device_config(PCI_PORT_DOWNSTREAM, true, 0x1f, 0x1c, 0);
	struct quirk_subject s = subject(0x111d, 0x80b5, PCI_PORT_DOWNSTREAM);
	struct acs_quirk_match m;

	s.cfg = cfg;
	answers_with("IDT 80b5, control RR CR UF, any kernel", &s, NULL, ACS_QUIRK_IGNORE_SV, true,
		     &m);
	tap_ok(!strcmp(m.detail, "SV ignored; control: RR CR UF"),
	       "kernel_quirks: IDT detail (got \"%s\")", m.detail);
	answers_with("IDT 80b5 on 6.12.118", &s, "6.12.118+deb13-amd64", NO_QUIRK, false, &m);
	answers_with("IDT 80b5 on 7.0.1", &s, "7.0.1-amd64", ACS_QUIRK_IGNORE_SV, true, &m);
	free(cfg);
	cfg = device_config(PCI_PORT_DOWNSTREAM, true, 0x1f, 0x14, 0);
	s.cfg = cfg;
	answers("IDT 80b5, control RR UF", &s, ACS_QUIRK_IGNORE_SV, false);
	s.port_type = PCI_PORT_UPSTREAM;
	answers("IDT 80b5 single-function upstream port", &s, NO_QUIRK, false);
	s.cfg = NULL;
	s.port_type = PCI_PORT_DOWNSTREAM;
	answers("IDT 80b5 unreadable", &s, NO_QUIRK, false);
	free(cfg);
	cfg = device_config(PCI_PORT_DOWNSTREAM, true, 0x1f, 0, 0);
	s = subject(0x12d8, 0xb404, PCI_PORT_DOWNSTREAM);
	s.cfg = cfg;
	answers("Pericom b404 (store-and-forward fixup only)", &s, NO_QUIRK, false);
	free(cfg);
}

static void table_shape(void)
{
	size_t from_kernel = 0, rciep = 0, pch = 0, spt_at = 0, dated = 0, odd = 0;

	for (size_t i = 0; i < acs_quirk_table_len; i++) {
		const struct acs_quirk *q = &acs_quirk_table[i];
		bool idt = q->kind == ACS_QUIRK_IGNORE_SV;

		from_kernel += !idt && q->kind != ACS_QUIRK_STORE_FORWARD;
		rciep = q->kind == ACS_QUIRK_RCIEP && !rciep ? i : rciep;
		pch = q->kind == ACS_QUIRK_INTEL_PCH && !pch ? i : pch;
		spt_at = q->kind == ACS_QUIRK_INTEL_SPT && !spt_at ? i : spt_at;
		dated += q->since != NULL && idt;
		odd += !q->what || !q->what[0] || (q->since && !idt);
	}
	tap_ok(from_kernel == 132 && acs_quirk_table_len == 139,
	       "kernel_quirks: ACS table: 132 pci_dev_acs_enabled entries, 139 in all (%zu, %zu)",
	       from_kernel, acs_quirk_table_len);
	tap_ok(rciep && rciep < pch && pch + 1 == spt_at,
	       "kernel_quirks: ACS table order: RCiEP %zu, then PCH %zu, SPT %zu", rciep, pch,
	       spt_at);
	tap_ok(dated == 2 && !odd, "kernel_quirks: named entries, only IDT's dated (%zu, %zu)",
	       dated, odd);
	tap_ok(dma_alias_quirk_table_len == 146,
	       "kernel_quirks: DMA alias table: 146 entries (got %zu)", dma_alias_quirk_table_len);
}

static void release_order(const char *a, const char *b, int want)
{
	int got = kernel_release_compare(a, b);

	got = (got > 0) - (got < 0);
	tap_ok(got == want, "kernel_quirks: %s vs %s: %d (got %d)", a, b, want, got);
}

static void releases(void)
{
	release_order("6.1.0-17-amd64", "7.0", -1);
	release_order("7.0", "6.12.118", 1);
	release_order("6.12.118+deb13-amd64", "6.12.118", 0);
	release_order("6.12.48", "6.12.118", -1);
	release_order("6.10", "6.9", 1);
	release_order("6.12", "6.12.118", 0);
	release_order("7", "7.0", 0);
	release_order("7.0-rc1", "7.0", 0);
}

static void aliases_are(const char *what, const struct quirk_subject *s, size_t max, size_t n,
			int kind, unsigned arg)
{
	const struct dma_alias_quirk *q[8] = { 0 };
	size_t got = dma_alias_quirks_lookup(s, NULL, q, max);
	unsigned got_arg = 0;

	if (got && q[0]->kind == DMA_ALIAS_FUNCTION)
		got_arg = q[0]->function;
	else if (got && q[0]->kind == DMA_ALIAS_DEVFN)
		got_arg = q[0]->devfn;
	else if (got && q[0]->kind == DMA_ALIAS_EVERY_SLOT)
		got_arg = q[0]->nr_functions;
	tap_ok(got == n && (!n || ((int)q[0]->kind == kind && got_arg == arg)),
	       "kernel_quirks: %s: %zu aliases, kind %d (%#x) (got %zu: %s)", what, n, kind, arg,
	       got, got ? q[0]->what : "none");
}

static void dma_aliases(void)
{
	struct quirk_subject s = subject(0x1b4b, 0x9230, PCI_PORT_LEGACY_ENDPOINT);
	struct pci_config *cfg;

	s.class24 = 0x010601;
	aliases_are("Marvell 88SE9230", &s, 8, 1, DMA_ALIAS_FUNCTION, 1);
	s = subject(0x1180, 0xe832, PCI_PORT_ENDPOINT);
	aliases_are("Ricoh R5C832", &s, 8, 1, DMA_ALIAS_FUNCTION, 0);

	cfg = device_config(PCI_PORT_CONVENTIONAL, true, -1, 0, 0);
	s = subject(0x1b21, 0x1080, PCI_PORT_CONVENTIONAL);
	s.cfg = cfg;
	aliases_are("ASMedia ASM1083 below a PCIe port", &s, 8, 1, DMA_ALIAS_PCIE_BRIDGE, 0);
	s.root_bus = true;
	aliases_are("ASMedia ASM1083 on a root bus", &s, 8, 0, 0, 0);
	s.root_bus = false;
	s.port_type = PCI_PORT_PCIE_TO_PCI;
	aliases_are("ASMedia ASM1083 with a PCIe capability", &s, 8, 0, 0, 0);
	s.port_type = PCI_PORT_CONVENTIONAL;
	s.cfg = NULL;
	s.class24 = 0x060401;
	aliases_are("ASMedia ASM1083 unreadable, bridge class", &s, 8, 1, DMA_ALIAS_PCIE_BRIDGE, 0);
	free(cfg);

	s = subject(0x11f8, 0x8531, PCI_PORT_ENDPOINT);
	s.class24 = 0x068000;
	aliases_are("Switchtec PFX 24xG3 NTB", &s, 8, 1, DMA_ALIAS_FROM_REGISTERS, 0);
	s.class24 = 0x068001;
	aliases_are("Switchtec NTB, prog-if 1", &s, 8, 1, DMA_ALIAS_FROM_REGISTERS, 0);
	s.class24 = 0x058000;
	aliases_are("Switchtec management endpoint (class 0580)", &s, 8, 0, 0, 0);

	s = subject(0x8086, 0x2260, PCI_PORT_ENDPOINT);
	aliases_are("Intel MIC x200", &s, 8, 3, DMA_ALIAS_DEVFN, 0x80);
	aliases_are("Intel MIC x200, room for 2", &s, 2, 2, DMA_ALIAS_DEVFN, 0x80);
	s.device = 0x2954;
	aliases_are("Intel VCA", &s, 8, 1, DMA_ALIAS_EVERY_SLOT, 5);
	s = subject(0x10b5, 0x87b0, PCI_PORT_ENDPOINT);
	aliases_are("PLX NTB", &s, 8, 1, DMA_ALIAS_EVERY_SLOT, 8);
	s = subject(0x14e4, 0x9000, PCI_PORT_ROOT_PORT);
	aliases_are("ThunderX2 bridge", &s, 8, 1, DMA_ALIAS_XLATE_ROOT, 0);
	s = subject(0x8086, 0x1234, PCI_PORT_ENDPOINT);
	aliases_are("an unquirked device", &s, 8, 0, 0, 0);

	cfg = device_config(PCI_PORT_CONVENTIONAL, false, -1, 0, 0);
	cfg->data[0x2c] = 0x05;
	cfg->data[0x2d] = 0x90;
	cfg->data[0x2e] = 0xbb;
	cfg->data[0x2f] = 0x02;
	s = subject(0x9005, 0x0285, PCI_PORT_CONVENTIONAL);
	s.cfg = cfg;
	aliases_are("Adaptec 3405 (subsystem 9005:02bb)", &s, 8, 1, DMA_ALIAS_DEVFN, 0x08);
	cfg->data[0x2e] = 0x90;
	aliases_are("Adaptec 0285, another subsystem", &s, 8, 0, 0, 0);
	s.cfg = NULL;
	aliases_are("Adaptec 0285 unreadable", &s, 8, 0, 0, 0);
	free(cfg);
}

void test_kernel_quirks(void)
{
	amd_southbridge();
	multifunction_and_rciep();
	root_port_kinds();
	intel_pch();
	intel_sunrise_point();
	cavium_zhaoxin_wangxun();
	later_kernels();
	table_shape();
	releases();
	dma_aliases();
}
