/*
 * A device's IOMMU group as sysfs shows it, and whether an IOMMU formed the group or VFIO
 * made it up (/sys/kernel/iommu_groups/N/name "vfio-noiommu").
 */
#ifndef VT_DEVICE_GROUP_H
#define VT_DEVICE_GROUP_H

#include <stdbool.h>

/*
 * A VFIO device is named by its PCI address or, for a mediated device, by its UUID
 * (/sys/bus/mdev/devices/UUID).  The sysfs bus directory of a name: "pci" or "mdev".
 */
bool vfio_is_mdev_uuid(const char *name);
const char *vfio_device_bus(const char *name);

/* The device's IOMMU group number (its iommu_group link), or -1. */
int vfio_group_of(const char *address);
/* VFIO made the group up itself (no IOMMU's): a no-IOMMU group, or an mdev's emulated one. */
bool vfio_group_is_made_up(int group);
/* The group is VFIO's no-IOMMU group: PCI devices with no isolation at all. */
bool vfio_group_is_noiommu(int group);

#endif
