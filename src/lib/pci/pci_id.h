/* VENDOR:DEVICE selectors; either side may be empty ("8086:", ":10fb"). */
#ifndef VT_PCI_ID_H
#define VT_PCI_ID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pci_id_filter {
	int vendor;		/* -1 = any */
	int device;		/* -1 = any */
};

bool pci_id_filter_parse(const char *text, struct pci_id_filter *f, char *why, size_t whylen);
bool pci_id_filter_match(const struct pci_id_filter *f, uint16_t vendor, uint16_t device);

#endif
