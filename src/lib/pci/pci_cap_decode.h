/*
 * Decoded capability lists of a configuration space (standard from 0x34, extended from
 * 0x100), for any bytes: the walks are bounded, loop-safe and report where a chain is
 * broken instead of following it.  Names follow lspci's wording so that lists compare.
 */
#ifndef VT_PCI_CAP_DECODE_H
#define VT_PCI_CAP_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pci/pci_config.h"

enum pci_cap_field_kind {
	PCI_CAP_FIELD_UINT,	/* decimal */
	PCI_CAP_FIELD_HEX,	/* 0x%x */
	PCI_CAP_FIELD_BOOL,	/* lspci's '+' / '-' */
	PCI_CAP_FIELD_TEXT,	/* text, e.g. "8GT/s", "x4", "D0" */
};

struct pci_cap_field {
	const char *key;		/* static, lower case, e.g. "enable", "count", "link_speed" */
	enum pci_cap_field_kind kind;
	uint64_t num;			/* UINT, HEX, BOOL (0/1) */
	char text[48];			/* TEXT */
};

#define PCI_CAP_MAX_FIELDS 32

struct pci_cap {
	unsigned offset;
	bool extended;
	uint16_t id;			/* 8-bit standard id or 16-bit extended id */
	uint8_t version;		/* extended only (bits 19:16 of the header) */
	const char *name;		/* "MSI", "MSI-X", "Express", "Advanced Error Reporting", ... */
	unsigned n_fields;
	struct pci_cap_field fields[PCI_CAP_MAX_FIELDS];
};

struct pci_cap_list {
	size_t n;
	struct pci_cap *caps;		/* in chain order: standard first, then extended */
	char problem[128];		/* "" or why a walk stopped early, e.g.
					   "standard list: loop back to 0x40 from 0x48" */
};

/*
 * Decodes both lists of cfg (only what lies below cfg->len; the extended list only when
 * cfg->len > 256).  Standard walk: starts at the byte at 0x34 when status bit 4 is set
 * (0x14 for CardBus), masks the low 2 bits, stops at 0, at a pointer below 0x40 or
 * beyond len, at an offset already visited, at an id of 0xff (a broken chain, as lspci
 * and the kernel have it), or after 48 entries.  Extended walk: from 0x100, stops at a
 * header of 0 or 0xffffffff, a next pointer below 0x100 or beyond len, a visited offset,
 * or after 960 entries.  Every stop other than a clean end writes list->problem (a
 * header of 0 or 0xffffffff at 0x100 is a clean end: no extended capabilities).
 * Standard capabilities' fields are read below 256 only.  Free with pci_cap_list_free().
 */
void pci_cap_decode(const struct pci_config *cfg, struct pci_cap_list *list);
void pci_cap_list_free(struct pci_cap_list *list);

/*
 * lspci's name for a capability id, or NULL when unknown ("Capability ID 0x.." then).
 * PCI-X (standard id 7) is "PCI-X" here; a decoded entry has lspci's full wording for its
 * header type: "PCI-X non-bridge device" or "PCI-X bridge device".
 */
const char *pci_cap_name(uint16_t id, bool extended);

/*
 * "enable+ count=1/1 64bit+": the fields as one line (lspci-like), into buf; returns buf.
 * Booleans as key+ / key-, numbers as key=N or key=0xN, text as key=text (in double
 * quotes when it has a space).  A field that does not fit is left out with all after it.
 */
char *pci_cap_format_fields(const struct pci_cap *cap, char *buf, size_t len);

#endif
