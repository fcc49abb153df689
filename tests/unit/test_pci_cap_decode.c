#include <stdio.h>
#include <string.h>

#include "pci/pci_cap_decode.h"
#include "tap.h"

/* A config space of len bytes: zeros, the rest 0xff as pci_config_read leaves it. */
static void space(struct pci_config *cfg, size_t len)
{
	memset(cfg->data, 0, sizeof(cfg->data));
	memset(cfg->data + len, 0xff, sizeof(cfg->data) - len);
	cfg->len = len;
}

static void w16(struct pci_config *cfg, unsigned off, uint16_t v)
{
	cfg->data[off] = v & 0xff;
	cfg->data[off + 1] = v >> 8;
}

static void w32(struct pci_config *cfg, unsigned off, uint32_t v)
{
	w16(cfg, off, v & 0xffff);
	w16(cfg, off + 2, v >> 16);
}

/* A standard entry: id, next, then the 16-bit flags word at +2. */
static void std_cap(struct pci_config *cfg, unsigned pos, uint8_t id, uint8_t next, uint16_t flags)
{
	cfg->data[pos] = id;
	cfg->data[pos + 1] = next;
	w16(cfg, pos + 2, flags);
}

static void first_cap(struct pci_config *cfg, uint8_t pos)
{
	w16(cfg, 0x06, 0x0010);
	cfg->data[0x34] = pos;
}

static void ext(struct pci_config *cfg, unsigned pos, uint16_t id, unsigned version, unsigned next)
{
	w32(cfg, pos, id | version << 16 | (uint32_t)next << 20);
}

/* The capability names in list order, joined by '|'. */
static const char *names(const struct pci_cap_list *list)
{
	static char buf[512];
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < list->n && used < sizeof(buf); i++)
		used += (size_t)snprintf(buf + used, sizeof(buf) - used, "%s%s", i ? "|" : "",
					 list->caps[i].name ? list->caps[i].name : "?");
	return buf;
}

/* The fields of entry i as pci_cap_format_fields writes them ("" when there is none). */
static const char *fields(const struct pci_cap_list *list, size_t i)
{
	static char buf[1024];

	if (i >= list->n)
		return "";
	return pci_cap_format_fields(&list->caps[i], buf, sizeof(buf));
}

/* edu: conventional, MSI at 0x40 only (64-bit, one vector), here enabled. */
static void edu(struct pci_config *cfg)
{
	space(cfg, 256);
	first_cap(cfg, 0x40);
	std_cap(cfg, 0x40, 0x05, 0x00, 0x0081);
	w32(cfg, 0x44, 0xfee00000);
	w16(cfg, 0x4c, 0x4021);
}

/* e1000e: PM 0xc8, MSI 0xd0, PCIe 0xe0, MSI-X 0xa0, AER 0x100, DSN 0x140. */
static void e1000e(struct pci_config *cfg, size_t len)
{
	space(cfg, len);
	first_cap(cfg, 0xc8);
	std_cap(cfg, 0xc8, 0x01, 0xd0, 0xc822);
	w16(cfg, 0xcc, 0x0108);			/* D0, NoSoftRst+, PME-Enable+ */
	std_cap(cfg, 0xd0, 0x05, 0xe0, 0x0080);
	std_cap(cfg, 0xe0, 0x10, 0xa0, 0x0002);	/* v2 endpoint */
	w32(cfg, 0xe4, 0x10008ce1);		/* MaxPayload 256, ExtTag+, FLR+ */
	w16(cfg, 0xe8, 0x2810);			/* RlxdOrd+ NoSnoop+ MaxReadReq 512 */
	w32(cfg, 0xec, 0x00000c11);		/* 2.5GT/s x1, ASPM L0s L1 */
	w16(cfg, 0xf2, 0x0011);
	std_cap(cfg, 0xa0, 0x11, 0x00, 0x8004);	/* enabled, 5 vectors */
	w32(cfg, 0xa4, 0x00000003);
	w32(cfg, 0xa8, 0x00002003);
	if (len <= 256)
		return;
	ext(cfg, 0x100, 0x0001, 2, 0x140);
	w32(cfg, 0x108, 0x00400000);
	w32(cfg, 0x10c, 0x00462030);
	w32(cfg, 0x114, 0x00002000);
	ext(cfg, 0x140, 0x0003, 1, 0x000);
	w32(cfg, 0x144, 0x44332211);
	w32(cfg, 0x148, 0x88776655);
}

/* nvme: MSI-X 0x40, PM 0x60, PCIe 0x80 (8GT/s x4); no extended capability. */
static void nvme(struct pci_config *cfg)
{
	space(cfg, 4096);
	first_cap(cfg, 0x40);
	std_cap(cfg, 0x40, 0x11, 0x60, 0x0040);
	w32(cfg, 0x44, 0x00002000);
	w32(cfg, 0x48, 0x00003000);
	std_cap(cfg, 0x60, 0x01, 0x80, 0x0003);
	std_cap(cfg, 0x80, 0x10, 0x00, 0x0002);
	w32(cfg, 0x8c, 0x00000c43);
	w16(cfg, 0x92, 0x0043);
}

/* A root port as QEMU's: Subsystem 0x40, MSI-X 0x48, PCIe 0x54, AER 0x100, ACS 0x148. */
static void root_port(struct pci_config *cfg)
{
	space(cfg, 4096);
	cfg->data[0x0e] = 0x01;
	first_cap(cfg, 0x40);
	std_cap(cfg, 0x40, 0x0d, 0x48, 0);
	w32(cfg, 0x44, 0x00001af4);
	std_cap(cfg, 0x48, 0x11, 0x54, 0x0000);
	std_cap(cfg, 0x54, 0x10, 0x00, 0x0142);	/* v2 root port, slot */
	w32(cfg, 0x60, 0x01000011);
	ext(cfg, 0x100, 0x0001, 2, 0x148);
	ext(cfg, 0x148, 0x000d, 1, 0x000);
	w16(cfg, 0x14c, 0x001f);
	w16(cfg, 0x14e, 0x001d);
}

static void realistic(void)
{
	struct pci_config cfg;
	struct pci_cap_list list;

	edu(&cfg);
	pci_cap_decode(&cfg, &list);
	tap_ok(list.n == 1 && !strcmp(names(&list), "MSI") && list.caps[0].offset == 0x40 &&
		       !list.caps[0].extended && !list.problem[0],
	       "cap decode: edu has MSI at 0x40 only (got %s)", names(&list));
	tap_ok(!strcmp(fields(&list, 0),
		       "enable+ count=1/1 maskable- 64bit+ address=0xfee00000 data=0x4021"),
	       "cap decode: edu MSI fields (got '%s')", fields(&list, 0));
	pci_cap_list_free(&list);

	e1000e(&cfg, 4096);
	pci_cap_decode(&cfg, &list);
	tap_ok(!strcmp(names(&list), "Power Management|MSI|Express|MSI-X|Advanced Error Reporting|"
				     "Device Serial Number") && !list.problem[0],
	       "cap decode: e1000e's six capabilities in chain order (got %s)", names(&list));
	tap_ok(list.n == 6 && list.caps[4].extended && list.caps[4].version == 2 &&
		       list.caps[4].offset == 0x100 && list.caps[5].offset == 0x140,
	       "cap decode: e1000e's extended entries at 0x100 (v2) and 0x140");
	tap_ok(!strcmp(fields(&list, 0), "version=2 d1- d2- pme=D0+,D1-,D2-,D3hot+,D3cold+ "
					 "power_state=D0 no_soft_reset+ pme_enable+ pme_status-"),
	       "cap decode: PM fields (got '%s')", fields(&list, 0));
	tap_ok(!strcmp(fields(&list, 2),
		       "version=2 type=Endpoint msi=0 devcap_max_payload=256 devcap_phantom=0 "
		       "devcap_ext_tag+ flr+ corr_err- non_fatal_err- fatal_err- unsup_req- "
		       "relaxed_ordering+ ext_tag- no_snoop+ max_payload=128 max_read_req=512 port=0 "
		       "link_cap_speed=2.5GT/s link_cap_width=x1 aspm=\"L0s L1\" link_speed=2.5GT/s "
		       "link_width=x1"),
	       "cap decode: Express fields (got '%s')", fields(&list, 2));
	tap_ok(!strcmp(fields(&list, 3), "enable+ count=5 masked- table_bar=3 table_offset=0x0 "
					 "pba_bar=3 pba_offset=0x2000"),
	       "cap decode: MSI-X fields (got '%s')", fields(&list, 3));
	tap_ok(!strcmp(fields(&list, 4), "uncor_status=0x0 uncor_mask=0x400000 "
					 "uncor_severity=0x462030 cor_status=0x0 cor_mask=0x2000 "
					 "aer_cap=0x0"),
	       "cap decode: AER fields (got '%s')", fields(&list, 4));
	tap_ok(!strcmp(fields(&list, 5), "serial=88-77-66-55-44-33-22-11"),
	       "cap decode: DSN as lspci prints it (got '%s')", fields(&list, 5));
	pci_cap_list_free(&list);

	nvme(&cfg);
	pci_cap_decode(&cfg, &list);
	tap_ok(!strcmp(names(&list), "MSI-X|Power Management|Express") && !list.problem[0],
	       "cap decode: nvme, a header of 0 at 0x100 means no extended list (got %s)",
	       names(&list));
	tap_ok(strstr(fields(&list, 0), "count=65 ") &&
		       strstr(fields(&list, 2), "link_cap_speed=8GT/s link_cap_width=x4 aspm=\"L0s L1\" "
						"link_speed=8GT/s link_width=x4"),
	       "cap decode: nvme's 65 MSI-X vectors and an 8GT/s x4 link");
	pci_cap_list_free(&list);

	root_port(&cfg);
	pci_cap_decode(&cfg, &list);
	tap_ok(!strcmp(names(&list), "Subsystem|MSI-X|Express|Advanced Error Reporting|"
				     "Access Control Services"),
	       "cap decode: root port capabilities (got %s)", names(&list));
	tap_ok(strstr(fields(&list, 2), "type=\"Root Port\" slot+ ") &&
		       strstr(fields(&list, 2), "port=1 ") &&
		       !strcmp(fields(&list, 0), "subsystem_vendor=0x1af4 subsystem_device=0x0"),
	       "cap decode: root port type, slot and port number");
	tap_ok(!strcmp(fields(&list, 4), "cap=0x1f cap_bits=\"SV TB RR CR UF\" ctl=0x1d "
					 "ctl_bits=\"SV RR CR UF\""),
	       "cap decode: ACS fields (got '%s')", fields(&list, 4));
	pci_cap_list_free(&list);
}

/* SR-IOV, ATS, PRI, PASID, Resizable BAR, VSEC, DVSEC, LTR behind one another. */
static void extended_decoders(void)
{
	static const char *const want[] = {
		"enable+ mse+ ari_hierarchy- initial_vfs=8 total_vfs=8 num_vfs=2 vf_offset=128 "
		"vf_stride=2 vf_device=0x10ca supported_page_sizes=0x553 system_page_size=0x1",
		"queue_depth=0 page_aligned+ enable+ stu=0",
		"enable- stopped+ outstanding_capacity=512 outstanding_allocation=0",
		"exec- priv+ width=20 enable+",
		"bars=2 bar0=256MB bar2=8GB",
		"vsec_id=0x1 vsec_rev=1 vsec_len=24",
		"dvsec_vendor=0x1e98 dvsec_rev=1 dvsec_len=60 dvsec_id=0x0",
		"max_snoop_ns=3145728 max_no_snoop_ns=0",
	};
	struct pci_config cfg;
	struct pci_cap_list list;
	bool ok = true;

	space(&cfg, 4096);
	ext(&cfg, 0x100, 0x0010, 1, 0x140);
	w16(&cfg, 0x108, 0x0009);
	w16(&cfg, 0x10c, 8);
	w16(&cfg, 0x10e, 8);
	w16(&cfg, 0x110, 2);
	w16(&cfg, 0x114, 128);
	w16(&cfg, 0x116, 2);
	w16(&cfg, 0x11a, 0x10ca);
	w32(&cfg, 0x11c, 0x553);
	w32(&cfg, 0x120, 0x1);
	ext(&cfg, 0x140, 0x000f, 1, 0x150);
	w16(&cfg, 0x144, 0x0020);
	w16(&cfg, 0x146, 0x8000);
	ext(&cfg, 0x150, 0x0013, 1, 0x160);
	w16(&cfg, 0x156, 0x0100);
	w32(&cfg, 0x158, 512);
	ext(&cfg, 0x160, 0x001b, 1, 0x170);
	w16(&cfg, 0x164, 0x1404);
	w16(&cfg, 0x166, 0x0001);
	ext(&cfg, 0x170, 0x0015, 1, 0x190);
	w32(&cfg, 0x178, 0x00000840);	/* BAR 0 of 2 entries, 256MB */
	w32(&cfg, 0x180, 0x00000d02);	/* BAR 2, 8GB */
	ext(&cfg, 0x190, 0x000b, 1, 0x1b0);
	w32(&cfg, 0x194, 0x01810001);
	ext(&cfg, 0x1b0, 0x0023, 1, 0x1f0);
	w32(&cfg, 0x1b4, 0x03c11e98);
	ext(&cfg, 0x1f0, 0x0018, 1, 0x000);
	w16(&cfg, 0x1f4, 0x1003);	/* 3 x 2^20 ns */
	pci_cap_decode(&cfg, &list);
	tap_ok(!strcmp(names(&list), "Single Root I/O Virtualization (SR-IOV)|Address Translation "
				     "Service (ATS)|Page Request Interface (PRI)|Process Address Space "
				     "ID (PASID)|Physical Resizable BAR|Vendor Specific Information|"
				     "Designated Vendor-Specific|Latency Tolerance Reporting"),
	       "cap decode: extended names as lspci's (got %s)", names(&list));
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (strcmp(fields(&list, i), want[i])) {
			ok = false;
			tap_ok(false, "cap decode: entry %zu: '%s', want '%s'", i, fields(&list, i), want[i]);
		}
	tap_ok(ok, "cap decode: SR-IOV, ATS, PRI, PASID, ReBAR, VSEC, DVSEC and LTR fields");
	pci_cap_list_free(&list);
}

static void expect_walk(struct pci_config *cfg, size_t n, const char *problem, const char *what)
{
	struct pci_cap_list list;

	pci_cap_decode(cfg, &list);
	tap_ok(list.n == n && !strcmp(list.problem, problem),
	       "cap decode: %s (got %zu entries, '%s')", what, list.n, list.problem);
	pci_cap_list_free(&list);
}

static void hostile(void)
{
	struct pci_config cfg;
	struct pci_cap_list list;

	edu(&cfg);
	std_cap(&cfg, 0x40, 0x05, 0x40, 0x0081);
	expect_walk(&cfg, 1, "standard list: loop back to 0x40 from 0x40", "self loop");
	std_cap(&cfg, 0x40, 0x05, 0x50, 0x0081);
	std_cap(&cfg, 0x50, 0x09, 0x41, 0x0008);
	expect_walk(&cfg, 2, "standard list: loop back to 0x40 from 0x50", "two-node loop");
	std_cap(&cfg, 0x50, 0x09, 0x20, 0x0008);
	expect_walk(&cfg, 2, "standard list: pointer 0x20 from 0x50 is below 0x40",
		    "pointer below 0x40 mid-chain");
	first_cap(&cfg, 0x3c);
	expect_walk(&cfg, 0, "standard list: pointer 0x3c from 0x34 is below 0x40",
		    "first pointer into the header");
	std_cap(&cfg, 0x40, 0xff, 0x50, 0xffff);
	first_cap(&cfg, 0x40);
	expect_walk(&cfg, 0, "standard list: id 0xff at 0x40, the chain is broken", "id 0xff");
	w16(&cfg, 0x06, 0);
	expect_walk(&cfg, 0, "", "no list without the status bit");

	/* 0xff is masked to 0xfc: MSI's flags fit below 256, its address does not. */
	for (size_t len = 256; len <= 4096; len += 4096 - 256) {
		space(&cfg, len);
		first_cap(&cfg, 0xff);
		std_cap(&cfg, 0xfc, 0x05, 0x00, 0x0080);
		pci_cap_decode(&cfg, &list);
		tap_ok(list.n == 1 && list.caps[0].offset == 0xfc && !list.problem[0] &&
			       !strcmp(fields(&list, 0), "enable- count=1/1 maskable- 64bit+"),
		       "cap decode: an entry in the last dword (len %zu) keeps to 256 bytes (got '%s')",
		       len, fields(&list, 0));
		pci_cap_list_free(&list);
	}

	e1000e(&cfg, 64);
	expect_walk(&cfg, 0, "standard list: 0xc8 is beyond the 64 bytes read", "len 64 (non-root)");
	e1000e(&cfg, 256);
	expect_walk(&cfg, 4, "", "len 256: the standard list only");
	e1000e(&cfg, 0x148);
	expect_walk(&cfg, 6, "", "a DSN cut by len keeps its entry");
	e1000e(&cfg, 0x142);
	expect_walk(&cfg, 5, "extended list: 0x140 is beyond the 322 bytes read", "DSN header cut by len");
	e1000e(&cfg, 0x30);
	expect_walk(&cfg, 0, "standard list: its pointer at 0x34 is beyond the 48 bytes read",
		    "len 48: no pointer");

	e1000e(&cfg, 4096);
	ext(&cfg, 0x140, 0x0003, 1, 0x100);
	expect_walk(&cfg, 6, "extended list: loop back to 0x100 from 0x140", "extended loop");
	ext(&cfg, 0x140, 0x0003, 1, 0x140);
	expect_walk(&cfg, 6, "extended list: loop back to 0x140 from 0x140", "extended self loop");
	ext(&cfg, 0x140, 0x0003, 1, 0x0c0);
	expect_walk(&cfg, 6, "extended list: pointer 0xc0 from 0x140 is below 0x100",
		    "extended next below 0x100");
	ext(&cfg, 0x140, 0x0003, 1, 0x200);
	w32(&cfg, 0x200, 0xffffffff);
	expect_walk(&cfg, 6, "extended list: header 0xffffffff at 0x200, the chain is broken",
		    "header 0xffffffff down the chain");
	w32(&cfg, 0x100, 0xffffffff);
	expect_walk(&cfg, 4, "", "header 0xffffffff at 0x100: no extended space");

	/* The longest chains: every dword of each list, the last one pointing back. */
	space(&cfg, 4096);
	first_cap(&cfg, 0x40);
	for (unsigned pos = 0x40; pos < 0x100; pos += 4)
		std_cap(&cfg, pos, 0x09, (uint8_t)(pos == 0xfc ? 0x40 : pos + 4), 0x0004);
	for (unsigned pos = 0x100; pos < 0x1000; pos += 4)
		ext(&cfg, pos, 0x000b, 1, pos == 0xffc ? 0x100 : pos + 4);
	expect_walk(&cfg, 48 + 960, "standard list: loop back to 0x40 from 0xfc; extended list: loop "
				    "back to 0x100 from 0xffc", "48 + 960 entries, then the loops end");

	e1000e(&cfg, 4096);
	std_cap(&cfg, 0xa0, 0x11, 0xc8, 0x8004);	/* standard loop, then a broken extended list */
	ext(&cfg, 0x100, 0x0001, 2, 0x050);
	expect_walk(&cfg, 5, "standard list: loop back to 0xc8 from 0xa0; extended list: pointer "
			     "0x50 from 0x100 is below 0x100", "both lists' problems");
}

static uint32_t next_random(uint32_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 17;
	*state ^= *state << 5;
	return *state;
}

/* Every walk ends in bounds, whatever the bytes; entries lie below len. */
static void random_spaces(void)
{
	static const size_t lens[] = { 64, 128, 256, 4096 };
	struct pci_config cfg;
	uint32_t seed = 0x2545f491;
	bool ok = true;
	char line[40];

	for (int i = 0; i < 2000 && ok; i++) {
		struct pci_cap_list list;
		size_t std = 0, extended = 0;

		cfg.len = i % 5 == 4 ? next_random(&seed) % 4097 : lens[i % 4];
		for (size_t b = 0; b < sizeof(cfg.data); b++)
			cfg.data[b] = b < cfg.len ? (uint8_t)next_random(&seed) : 0xff;
		if (i % 2)
			first_cap(&cfg, (uint8_t)(0x40 + next_random(&seed) % 0xc0));
		pci_cap_decode(&cfg, &list);
		for (size_t c = 0; c < list.n; c++) {
			const struct pci_cap *cap = &list.caps[c];

			std += !cap->extended;
			extended += cap->extended;
			ok = ok && cap->offset < cfg.len && cap->n_fields <= PCI_CAP_MAX_FIELDS &&
			     strlen(pci_cap_format_fields(cap, line, sizeof(line))) < sizeof(line);
		}
		ok = ok && std <= 48 && extended <= 960 && strlen(list.problem) < sizeof(list.problem);
		pci_cap_list_free(&list);
	}
	tap_ok(ok, "cap decode: 2000 random config spaces end in bounds");
}

static void names_and_format(void)
{
	struct pci_cap cap = { .n_fields = 3 };
	struct pci_config cfg;
	struct pci_cap_list list;
	char buf[64];
	bool ok;

	tap_ok(!strcmp(pci_cap_name(0x10, false), "Express") &&
		       !strcmp(pci_cap_name(0x10, true), "Single Root I/O Virtualization (SR-IOV)") &&
		       !strcmp(pci_cap_name(0x13, false), "PCI Advanced Features") &&
		       !strcmp(pci_cap_name(0x0d, true), "Access Control Services") &&
		       !pci_cap_name(0x15, false) && !pci_cap_name(0x0110, false) &&
		       !pci_cap_name(0x0c, true) && !pci_cap_name(0xffff, true),
	       "cap decode: lspci's names, NULL for unknown ids");
	space(&cfg, 256);
	first_cap(&cfg, 0x40);
	std_cap(&cfg, 0x40, 0x07, 0x00, 0x0000);
	pci_cap_decode(&cfg, &list);
	ok = list.n == 1 && !strcmp(list.caps[0].name, "PCI-X non-bridge device");
	pci_cap_list_free(&list);
	cfg.data[0x0e] = 0x81;
	pci_cap_decode(&cfg, &list);
	ok = ok && list.n == 1 && !strcmp(list.caps[0].name, "PCI-X bridge device");
	pci_cap_list_free(&list);
	tap_ok(ok && !strcmp(pci_cap_name(0x07, false), "PCI-X"),
	       "cap decode: PCI-X worded by the header type, as lspci does");

	cap.fields[0] = (struct pci_cap_field){ "enable", PCI_CAP_FIELD_BOOL, 1, "" };
	cap.fields[1] = (struct pci_cap_field){ "count", PCI_CAP_FIELD_TEXT, 0, "1/1" };
	cap.fields[2] = (struct pci_cap_field){ "address", PCI_CAP_FIELD_HEX, 0xfee00000, "" };
	tap_ok(!strcmp(pci_cap_format_fields(&cap, buf, sizeof(buf)),
		       "enable+ count=1/1 address=0xfee00000") &&
		       !strcmp(pci_cap_format_fields(&cap, buf, 18), "enable+ count=1/1") &&
		       !strcmp(pci_cap_format_fields(&cap, buf, 17), "enable+") &&
		       !strcmp(pci_cap_format_fields(&cap, buf, 1), ""),
	       "cap decode: fields formatted, whole fields only when the buffer is short");
}

void test_pci_cap_decode(void)
{
	realistic();
	extended_decoders();
	hostile();
	random_spaces();
	names_and_format();
}
