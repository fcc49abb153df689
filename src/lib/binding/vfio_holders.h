/*
 * Which processes hold a PCI device through VFIO, from the procfs PID/fd links (read
 * once per scan, up to a bound) and, for VFIO device fds, PID/fdinfo:
 *   - the device's nodes open: its group's /dev/vfio/N and its cdev /dev/vfio/devices/vfioN;
 *   - a device fd (VFIO_GROUP_GET_DEVICE_FD's "anon_inode:[vfio-device]", or a cdev open
 *     under another name) whose fdinfo names the device: "vfio-device-syspath: /sys/..."
 *     (Linux 6.18+);
 *   - conservatively, before 6.18: a device fd whose fdinfo names no device, for a device
 *     on a VFIO driver that no process holds for sure, unless opening the device's group
 *     node succeeds (the kernel answers EBUSY while any group, device or cdev fd holds a
 *     device of the group).  Such an fd matters: unbinding vfio-pci waits in the kernel
 *     until every device fd closes.
 * Unreadable processes are skipped; on the real /proc the calling process is ignored.
 * Roots follow sysfs.h (VFIO_TOOLS_SYSFS, _PROC, _DEV); links are compared with the
 * literal "/dev/vfio/..." paths, as readlink gives them.
 */
#ifndef VT_VFIO_HOLDERS_H
#define VT_VFIO_HOLDERS_H

#include <stdbool.h>
#include <stddef.h>

#define VFIO_HOLDER_NODES 4

struct vfio_holder {
	char pid[16];
	char comm[64];				/* "" when unreadable */
	char node[VFIO_HOLDER_NODES][64];	/* the device's nodes it has open */
	size_t n_nodes;
	bool device_fd;				/* a device fd whose fdinfo names this device */
	bool unattributed_fd;			/* only device fds that name no device (before 6.18) */
};

struct vfio_holders {
	struct vfio_holder *h;
	size_t n;
};

/*
 * Fills *out (previous content ignored) with the holders of the device at canonical
 * ADDRESS; iommu_group -1 when it has none.  Never fails.  Free with vfio_holders_free.
 */
void vfio_holders_find(const char *address, int iommu_group, struct vfio_holders *out);
void vfio_holders_free(struct vfio_holders *hs);

/* "pid 123 (qemu-system-x86)", or "pid 123" without a comm. */
void vfio_holder_name(const struct vfio_holder *h, char *buf, size_t len);

/* "its VFIO device fd and /dev/vfio/7": what it holds the device through ("" when unattributed). */
void vfio_holder_means(const struct vfio_holder *h, char *buf, size_t len);

#endif
