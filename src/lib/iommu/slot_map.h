/*
 * "Where do I put my card so that it is isolated?": for every root port and downstream port,
 * the group a single-function card plugged there would land in, predicted with the same rules
 * and quirks as the machine's groups (iommu/acs_groups.h). A card in an occupied port is
 * taken to replace what is below it.
 */
#ifndef VT_SLOT_MAP_H
#define VT_SLOT_MAP_H

#include <stdbool.h>
#include <stddef.h>

#include "iommu/acs_groups.h"
#include "pci/pci_device.h"

enum slot_outcome {
	SLOT_ALONE,		/* a group of its own */
	SLOT_WITH_PORT,		/* with the bridges above it only */
	SLOT_SHARED,		/* with other devices */
	SLOT_UNKNOWN,		/* config space of a bridge on the way unreadable */
};

struct slot_prediction {
	size_t port;			/* index in the device list */
	int port_type;			/* PCI_PORT_ROOT_PORT or PCI_PORT_DOWNSTREAM */
	char slot_name[64];		/* the firmware's physical slot name, "" when none */
	bool slot_implemented;		/* the port's PCIe capability says it leads to a slot */
	unsigned secondary_bus;
	size_t n_occupants;		/* devices below the port now (any depth) */
	enum slot_outcome outcome;
	size_t *mates;			/* indices of the devices in the card's group */
	size_t n_mates;
	int kernel_group;		/* the kernel's group it would join (a mate's), -1 for a new one */
	struct acs_prediction card;	/* how the card joined (via is an index in the device list) */
	long blocker;			/* the first hop above the card without ACS, -1 */
	struct acs_info blocker_info;
	struct acs_info quirk_info;	/* of card.quirk_at, when that is set */
};

struct slot_map {
	struct slot_prediction *slot;
	size_t n;
};

/* Predicts every root and downstream port of the list. */
void slot_map_build(const struct pci_device_list *list, const struct acs_env *env, struct slot_map *map);
void slot_map_free(struct slot_map *map);
const char *slot_outcome_name(enum slot_outcome o);

#endif
