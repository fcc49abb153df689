/*
 * The device nodes through which VFIO hands a device bound to vfio-pci to user space:
 * its group's /dev/vfio/N (/dev/vfio/noiommu-N in no-IOMMU mode) and, on kernels with
 * VFIO cdevs (CONFIG_VFIO_DEVICE_CDEV, /sys/class/vfio-dev), its own
 * /dev/vfio/devices/vfioX, named by sysfs .../ADDRESS/vfio-dev/vfioX.
 */
#ifndef VT_VFIO_NODES_H
#define VT_VFIO_NODES_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

/* VFIO's no-IOMMU mode is on (vfio.enable_unsafe_noiommu_mode). */
bool vfio_noiommu_mode(void);
/* The group's node under /dev/vfio: "N", or "noiommu-N" for a no-IOMMU group; returns buf. */
const char *vfio_group_node_name(int group, char *buf, size_t len);
/* The kernel offers VFIO device cdevs. */
bool vfio_cdevs_supported(void);
/*
 * The cdev name of a vfio-pci device ("vfio0", from sysfs .../ADDRESS/vfio-dev/), into
 * name.  False when the device has none (kernel without VFIO_DEVICE_CDEV, or not bound).
 */
bool vfio_cdev_name(const char *address, char *name, size_t len);

struct vfio_nodes {
	int group;			/* -1: none */
	bool noiommu;
	char group_node[PATH_MAX];	/* "" when the device has no group */
	char cdev_node[PATH_MAX];	/* "" when the kernel has no cdevs */
};

/*
 * The nodes of ADDRESS, waiting up to timeout_ms for each to appear (under virtio-iommu
 * the group forms only when vfio-pci binds the device).  false with why when the group or,
 * where the kernel has them, the cdev does not appear.
 */
bool vfio_nodes_wait(const char *address, unsigned timeout_ms, struct vfio_nodes *n, char *why, size_t whylen);
/* "ADDRESS: NODE[ owned by OWNER]", a line per node. */
void vfio_nodes_print(FILE *out, const char *address, const struct vfio_nodes *n, const char *owner);
/* Hands every node to uid:gid, mode 0660; false with why (the node that failed). */
bool vfio_nodes_give(const struct vfio_nodes *n, uid_t uid, gid_t gid, char *why, size_t whylen);

#endif
