/*
 * libFuzzer target: any bytes as a config space (len = their number) through the decoder, the
 * ACS rules and the kernel quirks that read registers (Sunrise Point's dword-offset ACS).
 */
#include <stdlib.h>
#include <string.h>

#include "iommu/acs.h"
#include "iommu/kernel_quirks.h"
#include "pci/pci_cap_decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Formats into a buffer of len bytes and checks that the line ends inside it. */
static void format_into(const struct pci_cap *cap, size_t len)
{
	char buf[512];

	pci_cap_format_fields(cap, buf, len);
	if (len && strnlen(buf, len) >= len)
		abort();
}

/* The config space as the kernel's ACS rules and quirks see it, with both vendor conditions. */
static void judge_acs(const struct pci_config *cfg, size_t size)
{
	struct acs_info a;
	struct acs_quirk_match m;
	struct quirk_subject s;

	acs_check(cfg, (unsigned)(size % 8), &a);
	s = (struct quirk_subject){
		.vendor = pci_config_u16(cfg, 0),
		.device = pci_config_u16(cfg, 2),
		.port_type = a.port_type,
		.multifunction = a.multifunction,
		.root_bus = size & 1,
		.cfg = cfg,
		.amd_ivrs = size & 2,
	};
	if (acs_quirk_lookup(&s, size & 4 ? "6.1.0" : NULL, &m) &&
	    (!m.quirk || strnlen(m.detail, sizeof(m.detail)) >= sizeof(m.detail)))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct pci_config cfg;
	struct pci_cap_list list;
	size_t std = 0, extended = 0;

	if (size > sizeof(cfg.data))
		size = sizeof(cfg.data);
	memset(cfg.data, 0xff, sizeof(cfg.data));
	memcpy(cfg.data, data, size);
	cfg.len = size;
	judge_acs(&cfg, size);
	pci_cap_decode(&cfg, &list);
	for (size_t i = 0; i < list.n; i++) {
		const struct pci_cap *cap = &list.caps[i];

		if (cap->offset >= size || cap->n_fields > PCI_CAP_MAX_FIELDS)
			abort();
		std += !cap->extended;
		extended += cap->extended;
		pci_cap_name(cap->id, cap->extended);
		format_into(cap, 512);
		format_into(cap, 1 + size % 64);
	}
	if (std > 48 || extended > 960 || strnlen(list.problem, sizeof(list.problem)) >= sizeof(list.problem))
		abort();
	pci_cap_list_free(&list);
	return 0;
}
