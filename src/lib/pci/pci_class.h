/* Class filters: a friendly name ("network", "nvme") or hex (2, 4 or 6 digits). */
#ifndef VT_PCI_CLASS_H
#define VT_PCI_CLASS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pci_class_filter {
	uint32_t value;		/* left-aligned in 24 bits: class, subclass, prog-if */
	uint32_t mask;
};

bool pci_class_filter_parse(const char *text, struct pci_class_filter *f, char *why, size_t whylen);
/* class24 = class << 16 | subclass << 8 | prog_if */
bool pci_class_filter_match(const struct pci_class_filter *f, uint32_t class24);

/* The names pci_class_filter_parse accepts, for --help and completion. */
const char *pci_class_filter_name(size_t i);

#endif
