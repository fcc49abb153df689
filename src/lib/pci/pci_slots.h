/* Physical slots the firmware names (/sys/bus/pci/slots/NAME/address), and a port's slot bits. */
#ifndef VT_PCI_SLOTS_H
#define VT_PCI_SLOTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pci/pci_config.h"

struct pci_slot {
	char name[64];		/* the directory name: "3", "SLOT1", "0-1" */
	uint32_t domain;
	unsigned bus;		/* the bus the slot's card sits on: a port's secondary bus */
};

struct pci_slot_list {
	struct pci_slot *slot;
	size_t n;
};

/* Reads every slot with a parsable address; an absent directory gives an empty list. */
void pci_slot_list_load(struct pci_slot_list *list);
void pci_slot_list_free(struct pci_slot_list *list);
/* The slot on this bus, or NULL. */
const struct pci_slot *pci_slot_on_bus(const struct pci_slot_list *list, uint32_t domain, unsigned bus);

/* The PCIe capability's Slot Implemented bit: the port leads to a slot, not a soldered device. */
bool pci_caps_slot_implemented(const struct pci_config *cfg);

#endif
