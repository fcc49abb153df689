/*
 * The IOMMU groups the kernel forms on a PCI hierarchy, predicted as
 * drivers/iommu/iommu.c pci_device_group does (Linux 6.12): the DMA alias walk up to the
 * root bus (with the x86 VMD domain's real DMA device), the walk to the first bridge with
 * an ACS path, the DMA alias quirks on a bus, and the functions of a slot without ACS.
 * Every step records why a device joined the group it did, for messages.
 */
#ifndef VT_ACS_GROUPS_H
#define VT_ACS_GROUPS_H

#include <stdbool.h>
#include <stddef.h>

#include "iommu/acs.h"
#include "pci/pci_device.h"

enum acs_join {
	ACS_JOIN_NONE,		/* not predicted: config space unreadable, or not taking part */
	ACS_JOIN_NEW,		/* a group of its own */
	ACS_JOIN_VMD,		/* the group of the VMD endpoint (via) that carries its domain's DMA */
	ACS_JOIN_ALIAS_BRIDGE,	/* the group of a bridge (via) that puts its requester ID on DMA */
	ACS_JOIN_UPSTREAM,	/* the group of the first bridge (via) without an ACS path */
	ACS_JOIN_DMA_ALIAS,	/* the group of a device on its bus (via) it shares requester IDs with */
	ACS_JOIN_FUNCTION,	/* the group of another function (via) of its slot, neither isolated */
};

struct acs_prediction {
	int group;		/* same number, same group; -1 with ACS_JOIN_NONE */
	enum acs_join join;
	long via;		/* the device joined (see enum acs_join), -1 */
	long quirk_at;		/* a device whose kernel quirk changed the outcome (acs_quirk_decided), -1 */
	const struct dma_alias_quirk *alias_quirk;	/* with ACS_JOIN_DMA_ALIAS */
};

/*
 * Predicts the group of every device of the list. infos: acs_read() of each device (or made
 * up, for a card that is not there). takes_part: which devices the kernel gives a group
 * (it only ever joins those); NULL: every device. out: list->n entries.
 */
void acs_predict(const struct pci_device_list *list, const struct acs_info *infos,
		 const bool *takes_part, const struct acs_env *env, struct acs_prediction *out);

/* The devices that take part on this machine: those in an IOMMU group, or all when none is. */
bool *acs_devices_taking_part(const struct pci_device_list *list);

/* Predicts the machine as the kernel formed it: only devices in a group take part (all without). */
void acs_predict_machine(const struct pci_device_list *list, const struct acs_info *infos,
			 const struct acs_env *env, struct acs_prediction *out);

/* The VMD endpoint whose domain holds device i (x86 pci_real_dma_dev), or -1. */
long acs_vmd_endpoint(const struct pci_device_list *list, size_t i);

#endif
