/*
 * Mediated devices (/sys/bus/mdev/devices/UUID): virtual devices a parent's vendor
 * driver creates (mdev_supported_types/TYPE/create) and hands to user space through VFIO.
 */
#ifndef VT_MDEV_H
#define VT_MDEV_H

#include <stddef.h>

struct mdev {
	char uuid[40];
	char parent[64];	/* the parent device's sysfs name (a PCI address, or "mtty") */
	char type[64];		/* mdev_supported_types entry: "mtty-2" */
	char name[64];		/* the type's name attribute; "" without one */
	char api[32];		/* device_api: "vfio-pci" */
	char driver[64];	/* "" without one */
	int group;		/* IOMMU group, -1 without one */
	char cdev[32];		/* "vfio0", "" without a cdev */
};

struct mdev_list {
	struct mdev *m;
	size_t n;
};

/* Every mediated device, sorted by UUID (empty without the mdev bus). */
void mdev_list_load(struct mdev_list *l);
void mdev_list_free(struct mdev_list *l);

#endif
