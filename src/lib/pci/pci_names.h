/*
 * Vendor, device and class names from libpci (udev's hwdb, then pci.ids), remembered
 * per id, misses included: libpci caches only the names it finds, and every miss costs
 * a full hwdb search (a tree of edus would pay it for every device).
 */
#ifndef VT_PCI_NAMES_H
#define VT_PCI_NAMES_H

#include <pci/pci.h>

struct pci_names;

struct pci_names *pci_names_new(struct pci_access *pacc);
void pci_names_free(struct pci_names *names);

/* NULL names: no lookup, NULL. kind is PCI_LOOKUP_VENDOR (a), PCI_LOOKUP_DEVICE (a, b) or PCI_LOOKUP_CLASS (a = class16). */
const char *pci_names_lookup(struct pci_names *names, int kind, int a, int b);

#endif
