/* IOMMU groups from /sys/kernel/iommu_groups and the kernel's viability rule. */
#ifndef VT_IOMMU_GROUP_H
#define VT_IOMMU_GROUP_H

#include <stdbool.h>
#include <stddef.h>

#include "pci/pci_device.h"

struct iommu_group_member {
	char name[64];			/* the sysfs name: a PCI address for PCI devices */
	struct pci_device *pci;		/* NULL for non-PCI members */
	char *driver;			/* NULL when driverless */
	bool blocks;			/* keeps the group from being viable */
};

struct iommu_group {
	int id;
	char type[32];			/* DMA, DMA-FQ, identity, blocked, unknown, no-IOMMU (VFIO's); "" if unreadable */
	struct iommu_group_member *member;
	size_t n_members;
	size_t n_blockers;
};

struct iommu_group_list {
	struct iommu_group *group;
	size_t n;
	bool present;			/* /sys/kernel/iommu_groups exists */
};

/* Reads every group, sorted by number, members sorted by name. */
void iommu_group_list_load(struct iommu_group_list *groups, const struct pci_device_list *devices);
void iommu_group_list_free(struct iommu_group_list *groups);
const struct iommu_group *iommu_group_list_find(const struct iommu_group_list *groups, int id);

static inline bool iommu_group_viable(const struct iommu_group *g)
{
	return g->n_blockers == 0;
}

/*
 * The kernel lets VFIO use a group only when every member is driverless or bound to a
 * driver that manages DMA itself: vfio-pci (and its variants), pci-stub, or pcieport on
 * bridges.
 */
bool iommu_member_blocks(const char *driver);

/* At least one group exists: the kernel has an IOMMU (or no-IOMMU mode) enabled. */
bool iommu_groups_exist(void);

/* Reports "no such IOMMU group" and returns false when group id does not exist. */
bool iommu_group_check_exists(int id);

/* One line on stderr saying that there are no groups and how to enable the IOMMU. */
void iommu_note_disabled(void);

#endif
