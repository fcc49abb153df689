#include <string.h>

#include "pci/pci_caps.h"
#include "pci/pci_config.h"
#include "tap.h"

/* A blank config space of len bytes: zeros, the rest 0xff as pci_config_read leaves it. */
static void blank(struct pci_config *cfg, size_t len)
{
	memset(cfg->data, 0, len);
	memset(cfg->data + len, 0xff, sizeof(cfg->data) - len);
	cfg->len = len;
}

static void put16(struct pci_config *cfg, unsigned off, uint16_t v)
{
	cfg->data[off] = v & 0xff;
	cfg->data[off + 1] = v >> 8;
}

static void put32(struct pci_config *cfg, unsigned off, uint32_t v)
{
	put16(cfg, off, v & 0xffff);
	put16(cfg, off + 2, v >> 16);
}

/* Capability list pointer at 0x34 and the status bit that says there is a list. */
static void cap_list(struct pci_config *cfg, uint8_t first)
{
	put16(cfg, 0x06, 0x0010);
	cfg->data[0x34] = first;
}

static void cap(struct pci_config *cfg, unsigned pos, uint8_t id, uint8_t next)
{
	cfg->data[pos] = id;
	cfg->data[pos + 1] = next;
}

static void ext_cap(struct pci_config *cfg, unsigned pos, uint16_t id, unsigned next)
{
	put32(cfg, pos, id | 1u << 16 | (uint32_t)next << 20);
}

static void accessors(void)
{
	struct pci_config cfg;

	blank(&cfg, 64);
	put32(&cfg, 0x00, 0x11e81234);
	cfg.data[0x0e] = 0x81;
	tap_ok(pci_config_u16(&cfg, 0) == 0x1234 && pci_config_u16(&cfg, 2) == 0x11e8 &&
		       pci_config_u32(&cfg, 0) == 0x11e81234 && pci_config_u8(&cfg, 1) == 0x12,
	       "config: little-endian accessors");
	cfg.data[64] = 0;	/* beyond len: must not be read */
	tap_ok(pci_config_u8(&cfg, 64) == 0xff && pci_config_u16(&cfg, 63) == 0xff00 &&
		       pci_config_u32(&cfg, 4095) == 0xffffffff && pci_config_u32(&cfg, 5000) == 0xffffffff,
	       "config: bytes at or beyond len read as 0xff");
	tap_ok(pci_config_header_type(&cfg) == 1 && pci_config_multifunction(&cfg),
	       "config: header type 1 with the multifunction bit");
	tap_ok(!pci_config_complete(&cfg), "config: 64 bytes (non-root reader) is not complete");
}

static void std_caps(void)
{
	struct pci_config cfg;

	blank(&cfg, 256);
	cap(&cfg, 0x40, 0x01, 0x50);
	cap(&cfg, 0x50, 0x05, 0x60);
	cap(&cfg, 0x60, 0x10, 0x00);
	tap_ok(pci_config_find_cap(&cfg, 0x01) == 0, "caps: none without the status bit");
	cap_list(&cfg, 0x40);
	tap_ok(pci_config_find_cap(&cfg, 0x01) == 0x40 && pci_config_find_cap(&cfg, 0x05) == 0x50 &&
		       pci_config_find_cap(&cfg, 0x10) == 0x60,
	       "caps: PM, MSI and PCIe found along the list");
	tap_ok(pci_config_find_cap(&cfg, 0x11) == 0, "caps: an absent id gives 0");

	cap(&cfg, 0x60, 0x10, 0x40);
	tap_ok(pci_config_find_cap(&cfg, 0x11) == 0, "caps: a loop back to the first entry ends");
	cap(&cfg, 0x50, 0x05, 0x50);
	tap_ok(pci_config_find_cap(&cfg, 0x11) == 0 && pci_config_find_cap(&cfg, 0x05) == 0x50,
	       "caps: an entry pointing at itself ends");
	cap(&cfg, 0x50, 0x05, 0x20);
	tap_ok(pci_config_find_cap(&cfg, 0x10) == 0, "caps: a pointer below 0x40 ends the list");
	cap_list(&cfg, 0x30);
	tap_ok(pci_config_find_cap(&cfg, 0x01) == 0, "caps: a first pointer into the header gives 0");
	cap_list(&cfg, 0x43);
	tap_ok(pci_config_find_cap(&cfg, 0x01) == 0x40, "caps: the reserved low pointer bits are masked");
	cap_list(&cfg, 0xfe);
	cfg.data[0xfc] = 0x09;
	cfg.data[0xfd] = 0xfd;
	tap_ok(pci_config_find_cap(&cfg, 0x0a) == 0 && pci_config_find_cap(&cfg, 0x09) == 0xfc,
	       "caps: the last dword, pointing at itself unaligned, ends");
	cap_list(&cfg, 0x40);
	cap(&cfg, 0x40, 0xff, 0x50);
	tap_ok(pci_config_find_cap(&cfg, 0x05) == 0, "caps: id 0xff ends the list");

	/* The longest chain that fits, every dword from 0x40 to 0xfc, then back to 0x40. */
	for (unsigned pos = 0x40; pos < 0x100; pos += 4)
		cap(&cfg, pos, 0x09, pos == 0xfc ? 0x40 : (uint8_t)(pos + 4));
	cfg.data[0xf8] = 0x13;
	tap_ok(pci_config_find_cap(&cfg, 0x13) == 0xf8 && pci_config_find_cap(&cfg, 0x01) == 0,
	       "caps: a 48-entry chain is walked to its end and its loop ends");

	blank(&cfg, 64);
	cap_list(&cfg, 0x40);
	tap_ok(pci_config_find_cap(&cfg, 0x10) == 0, "caps: nothing beyond a 64-byte read");
}

static void ext_caps(void)
{
	struct pci_config cfg;

	blank(&cfg, 4096);
	ext_cap(&cfg, 0x100, 0x0001, 0x148);	/* AER, then ACS as QEMU's root port has them */
	ext_cap(&cfg, 0x148, 0x000d, 0x000);
	tap_ok(pci_config_find_ext_cap(&cfg, 0x000d) == 0x148 &&
		       pci_config_find_ext_cap(&cfg, 0x0001) == 0x100,
	       "ext caps: AER at 0x100, ACS at 0x148");
	tap_ok(pci_config_find_ext_cap(&cfg, 0x0010) == 0, "ext caps: an absent id gives 0");
	ext_cap(&cfg, 0x148, 0x000d, 0x100);
	tap_ok(pci_config_find_ext_cap(&cfg, 0x0010) == 0, "ext caps: a loop back to 0x100 ends");
	ext_cap(&cfg, 0x148, 0x000d, 0x148);
	tap_ok(pci_config_find_ext_cap(&cfg, 0x0010) == 0, "ext caps: an entry pointing at itself ends");
	ext_cap(&cfg, 0x148, 0x000d, 0x040);
	ext_cap(&cfg, 0x040, 0x0010, 0x000);
	tap_ok(pci_config_find_ext_cap(&cfg, 0x0010) == 0, "ext caps: a next pointer below 0x100 ends");
	ext_cap(&cfg, 0x148, 0x000d, 0xffc);
	put32(&cfg, 0xffc, 0xffffffff);
	tap_ok(pci_config_find_ext_cap(&cfg, 0xffff) == 0, "ext caps: a header of 0xffffffff ends");
	put32(&cfg, 0x100, 0);
	tap_ok(pci_config_find_ext_cap(&cfg, 0x0000) == 0, "ext caps: a header of 0 means none");

	/* The longest chain: every dword from 0x100, then back. */
	for (unsigned pos = 0x100; pos < 0x1000; pos += 4)
		ext_cap(&cfg, pos, 0x0003, pos == 0xffc ? 0x100 : pos + 4);
	tap_ok(pci_config_find_ext_cap(&cfg, 0x0010) == 0, "ext caps: a 960-entry loop ends");
	ext_cap(&cfg, 0x100 + 4 * 480, 0x0010, 0);
	tap_ok(pci_config_find_ext_cap(&cfg, 0x0010) == 0,
	       "ext caps: an entry 480 hops down the chain is beyond the kernel's bound");
	ext_cap(&cfg, 0x100 + 4 * 479, 0x0010, 0);
	tap_ok(pci_config_find_ext_cap(&cfg, 0x0010) == 0x100 + 4 * 479,
	       "ext caps: an entry 479 hops down the chain is found");

	blank(&cfg, 256);
	put32(&cfg, 0x100, 0x0001000d);	/* not readable: as the kernel, no extended space */
	tap_ok(pci_config_find_ext_cap(&cfg, 0x000d) == 0, "ext caps: none in a 256-byte config");
}

/* A PCIe device: PM at 0x40 (PMCSR given), PCIe at 0x50 (type, DevCap), AF at 0x90. */
static void pcie_device(struct pci_config *cfg, int type, uint32_t devcap, uint16_t pmcsr)
{
	blank(cfg, 4096);
	cap_list(cfg, 0x40);
	cap(cfg, 0x40, 0x01, 0x50);
	put16(cfg, 0x44, pmcsr);
	cap(cfg, 0x50, 0x10, 0x90);
	put16(cfg, 0x52, (uint16_t)(0x0002 | type << 4));
	put32(cfg, 0x54, devcap);
	cap(cfg, 0x90, 0x13, 0x00);
}

static void caps(void)
{
	struct pci_config cfg;
	uint16_t acs_cap = 0, acs_ctl = 0, total = 0, num = 0;
	char buf[32];
	bool ok = true;

	for (int type = 0; type <= 0xa; type++) {
		pcie_device(&cfg, type, 0, 0);
		ok = ok && pci_caps_port_type(&cfg) == type;
	}
	tap_ok(ok, "caps: PCIe port types 0 to 10 read from the flags");
	blank(&cfg, 256);
	tap_ok(pci_caps_port_type(&cfg) == PCI_PORT_CONVENTIONAL, "caps: conventional PCI is -1");
	tap_ok(!strcmp(pci_port_type_name(PCI_PORT_ROOT_PORT), "root port") &&
		       !strcmp(pci_port_type_name(PCI_PORT_DOWNSTREAM), "downstream port") &&
		       !strcmp(pci_port_type_name(PCI_PORT_PCIE_TO_PCI), "PCIe-to-PCI bridge") &&
		       !strcmp(pci_port_type_name(PCI_PORT_RC_ENDPOINT), "RC integrated endpoint") &&
		       !strcmp(pci_port_type_name(PCI_PORT_CONVENTIONAL), "conventional PCI") &&
		       !strcmp(pci_port_type_name(3), "reserved PCIe type"),
	       "caps: port type names");

	pcie_device(&cfg, PCI_PORT_ROOT_PORT, 0, 0);
	tap_ok(!pci_caps_acs(&cfg, &acs_cap, &acs_ctl), "caps: no ACS capability");
	ext_cap(&cfg, 0x100, 0x0001, 0x148);
	ext_cap(&cfg, 0x148, 0x000d, 0);
	put16(&cfg, 0x14c, 0x005f);
	put16(&cfg, 0x14e, 0x001d);
	tap_ok(pci_caps_acs(&cfg, &acs_cap, &acs_ctl) && acs_cap == 0x5f && acs_ctl == 0x1d,
	       "caps: ACSCap 0x5f, ACSCtl 0x1d");
	tap_ok(!strcmp(pci_acs_bits_format(0x1d, buf, sizeof(buf)), "SV RR CR UF") &&
		       !strcmp(pci_acs_bits_format(0xff7f, buf, sizeof(buf)), "SV TB RR CR UF EC DT") &&
		       !strcmp(pci_acs_bits_format(0, buf, sizeof(buf)), "") &&
		       !strcmp(pci_acs_bits_format(0x1d, buf, 6), "SV RR"),
	       "caps: ACS bit names (got '%s')", pci_acs_bits_format(0x1d, buf, 6));

	pcie_device(&cfg, PCI_PORT_ENDPOINT, 1u << 28, 0x0008);
	tap_ok(pci_caps_pcie_flr(&cfg) && !pci_caps_af_flr(&cfg) && !pci_caps_pm_reset(&cfg),
	       "caps: FLR in DevCap, AF without FLR, PM with NoSoftRst");
	pcie_device(&cfg, PCI_PORT_ENDPOINT, 0, 0x0000);
	cfg.data[0x93] = 0x02;
	tap_ok(!pci_caps_pcie_flr(&cfg) && !pci_caps_af_flr(&cfg) && pci_caps_pm_reset(&cfg),
	       "caps: AF with FLR but not TP does not count; PM reset without NoSoftRst");
	cfg.data[0x93] = 0x03;
	tap_ok(pci_caps_af_flr(&cfg), "caps: AF with TP and FLR");
	blank(&cfg, 256);
	tap_ok(!pci_caps_pcie_flr(&cfg) && !pci_caps_af_flr(&cfg) && !pci_caps_pm_reset(&cfg),
	       "caps: no reset capability without capabilities");

	pcie_device(&cfg, PCI_PORT_ENDPOINT, 0, 0);
	tap_ok(!pci_caps_sriov(&cfg, &total, &num), "caps: no SR-IOV");
	ext_cap(&cfg, 0x100, 0x0001, 0x160);
	ext_cap(&cfg, 0x160, 0x0010, 0);
	put16(&cfg, 0x16e, 64);
	put16(&cfg, 0x170, 8);
	tap_ok(pci_caps_sriov(&cfg, &total, &num) && total == 64 && num == 8,
	       "caps: SR-IOV with TotalVFs 64, NumVFs 8");
}

void test_pci_config(void)
{
	accessors();
	std_caps();
	ext_caps();
	caps();
}
