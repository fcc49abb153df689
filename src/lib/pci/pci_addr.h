/* PCI addresses: DDDD:BB:DD.F (domain up to 32 bits), short BB:DD.F, and globs. */
#ifndef VT_PCI_ADDR_H
#define VT_PCI_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PCI_ADDR_STRLEN 18	/* "ffffffff:ff:1f.7" + NUL, rounded */

struct pci_addr {
	uint32_t domain;
	uint8_t bus;
	uint8_t dev;		/* 0..0x1f */
	uint8_t fn;		/* 0..7 */
};

/* Parses a full or short address; on failure returns false and explains in why. */
bool pci_addr_parse(const char *text, struct pci_addr *addr, char *why, size_t whylen);
void pci_addr_format(const struct pci_addr *addr, char out[PCI_ADDR_STRLEN]);
int pci_addr_compare(const struct pci_addr *a, const struct pci_addr *b);

/* A device selector: an exact address or a glob over canonical addresses. */
struct pci_selector {
	bool is_glob;
	struct pci_addr addr;		/* when !is_glob */
	char pattern[64];		/* canonical form: domain always present, lower case */
};

bool pci_selector_parse(const char *text, struct pci_selector *sel, char *why, size_t whylen);
bool pci_selector_match(const struct pci_selector *sel, const struct pci_addr *addr);

#endif
