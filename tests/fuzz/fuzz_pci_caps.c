/* libFuzzer target: any bytes as a config space (len = their number) through the decoder. */
#include <stdlib.h>
#include <string.h>

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
