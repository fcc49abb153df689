#include <stdint.h>
#include <stdlib.h>

#include "pci/libpci_api.h"
#include "pci/pci_names.h"
#include "util/report.h"

#define NAME_BUCKETS 1024

struct name_entry {
	int kind, a, b;
	char *name;		/* NULL: libpci does not know it */
	struct name_entry *next;
};

struct pci_names {
	struct pci_access *pacc;
	struct name_entry *bucket[NAME_BUCKETS];
};

struct pci_names *pci_names_new(struct pci_access *pacc)
{
	struct pci_names *names = vt_xcalloc(1, sizeof(*names));

	names->pacc = pacc;
	return names;
}

void pci_names_free(struct pci_names *names)
{
	struct name_entry *e, *next;
	size_t i;

	for (i = 0; i < NAME_BUCKETS; i++)
		for (e = names->bucket[i]; e; e = next) {
			next = e->next;
			free(e->name);
			free(e);
		}
	free(names);
}

static size_t bucket_of(int kind, int a, int b)
{
	uint32_t h = (uint32_t)kind * 0x9e3779b1u ^ (uint32_t)a * 0x85ebca6bu ^ (uint32_t)b * 0xc2b2ae35u;

	return (h ^ h >> 15) % NAME_BUCKETS;
}

const char *pci_names_lookup(struct pci_names *names, int kind, int a, int b)
{
	struct name_entry **head, *e;
	char buf[256];
	const char *name;

	if (!names)
		return NULL;
	head = &names->bucket[bucket_of(kind, a, b)];
	for (e = *head; e; e = e->next)
		if (e->kind == kind && e->a == a && e->b == b)
			return e->name;
	name = libpci_api()->lookup_name(names->pacc, buf, sizeof(buf), kind | PCI_LOOKUP_NO_NUMBERS, a, b);
	e = vt_xmalloc(sizeof(*e));
	*e = (struct name_entry){ kind, a, b, name ? vt_xstrdup(name) : NULL, *head };
	*head = e;
	return e->name;
}
