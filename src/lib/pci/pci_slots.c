#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pci/pci_slots.h"
#include "util/report.h"
#include "util/sysfs.h"

/* "DDDD:BB" or "DDDD:BB:DD" (newer kernels name the device too). */
static bool parse_slot_address(const char *text, struct pci_slot *s)
{
	unsigned domain, bus, dev;
	int used = 0;

	if (sscanf(text, "%x:%x%n", &domain, &bus, &used) != 2 || bus > 0xff)
		return false;
	if (text[used] == ':' && sscanf(text + used, ":%x", &dev) != 1)
		return false;
	s->domain = domain;
	s->bus = bus;
	return true;
}

void pci_slot_list_load(struct pci_slot_list *list)
{
	char dir[4096], path[4096 + 80], line[64];
	struct dirent *de;
	DIR *d;

	memset(list, 0, sizeof(*list));
	if (!sysfs_path(dir, sizeof(dir), "bus/pci/slots") || !(d = opendir(dir)))
		return;
	while ((de = readdir(d))) {
		struct pci_slot s = { 0 };

		if (de->d_name[0] == '.' || strlen(de->d_name) >= sizeof(s.name))
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s/address", dir, de->d_name) >= sizeof(path) ||
		    !sysfs_read_line(path, line, sizeof(line)) || !parse_slot_address(line, &s))
			continue;
		memcpy(s.name, de->d_name, strlen(de->d_name) + 1);	/* fits: checked above */
		list->slot = vt_xrealloc(list->slot, list->n + 1, sizeof(*list->slot));
		list->slot[list->n++] = s;
	}
	closedir(d);
}

void pci_slot_list_free(struct pci_slot_list *list)
{
	free(list->slot);
	memset(list, 0, sizeof(*list));
}

const struct pci_slot *pci_slot_on_bus(const struct pci_slot_list *list, uint32_t domain, unsigned bus)
{
	for (size_t i = 0; i < list->n; i++)
		if (list->slot[i].domain == domain && list->slot[i].bus == bus)
			return &list->slot[i];
	return NULL;
}

bool pci_caps_slot_implemented(const struct pci_config *cfg)
{
	unsigned pos = pci_config_find_cap(cfg, 0x10);

	return pos && (pci_config_u16(cfg, pos + 2) & 0x0100);
}
