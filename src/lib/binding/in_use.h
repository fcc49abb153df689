/*
 * Is a PCI device in use by the host?  The reasons vfio-admin bind gives for refusing
 * to take a device from its driver (overridable with --force).
 *
 * What counts, each reason one line of text:
 *   IN_USE_NET        a network interface of the device (any NAME under a "net"
 *                     directory of its sysfs tree, so virtio-net's virtioN/net/ too) is
 *                     up (IFF_UP in net/NAME/flags), has an address, or is used by a
 *                     route.  IPv6 addresses come from procfs net/if_inet6, routes from
 *                     net/route and net/ipv6_route.  IPv4 addresses come from
 *                     getifaddrs() only when the proc root is the real /proc
 *                     (VFIO_TOOLS_PROC unset): a fake proc tree has no file for them, so
 *                     there "up" and "routes" stand in for IPv4 use.
 *   IN_USE_BLOCK      a block device below the device (a disk, or one of its partitions)
 *                     is mounted (procfs self/mountinfo, by MAJ:MIN or by /dev/NAME as the
 *                     source, which catches btrfs), is active swap (procfs swaps), or is
 *                     held by another block device (sysfs NAME/holders/: LVM, MD,
 *                     dm-crypt).  A partition table alone is not use: blank or
 *                     scratch disks stay bindable.
 *   IN_USE_MOUNT      a virtio-9p share of the device (a directory below it with a
 *                     mount_tag file) is mounted: a 9p file system with that tag as its
 *                     source in procfs self/mountinfo (a VM's root file system, often).
 *   IN_USE_BOOT_VGA   sysfs boot_vga is 1: the firmware console is on it.
 *   IN_USE_VFIO_OPEN  a process holds it through VFIO (vfio_holders.h): it has
 *                     /dev/vfio/GROUP or the device's cdev /dev/vfio/devices/vfioN open,
 *                     or holds a device fd whose fdinfo names the device (Linux 6.18+),
 *                     one reason per process: "pid 123 (qemu) holds its VFIO device fd
 *                     and has /dev/vfio/7 open".  Before 6.18, a device fd that names no
 *                     device counts for a device on a VFIO driver whose group is busy:
 *                     "pid 123 (qemu) holds a VFIO device fd; Linux before 6.18 does not
 *                     say which device".
 *   IN_USE_SRIOV_PF   sysfs sriov_numvfs > 0: its VFs go away when its driver does.
 *
 * Roots follow sysfs.h (VFIO_TOOLS_SYSFS, _PROC, _DEV; the fd links are compared with
 * the literal "/dev/vfio/..." paths, as readlink gives them).  A test that fakes sysfs with
 * network interfaces or disks should fake proc too, or the host's interfaces and mounts
 * of the same names are consulted.
 */
#ifndef VT_IN_USE_H
#define VT_IN_USE_H

#include <stddef.h>

enum in_use_kind {
	IN_USE_NET,
	IN_USE_BLOCK,
	IN_USE_BOOT_VGA,
	IN_USE_MOUNT,
	IN_USE_VFIO_OPEN,
	IN_USE_SRIOV_PF,
};

struct in_use_reason {
	enum in_use_kind kind;
	char subject[64];	/* "eth0", "nvme0n1p2", "/dev/vfio/5", or the PCI address */
	char text[256];		/* one line, never empty, no final period: why */
};

struct in_use {
	struct in_use_reason *r;
	size_t n;		/* 0: not in use as far as the host can tell */
};

/*
 * Fills *out (its previous content is ignored) with every reason why the device at
 * canonical ADDRESS ("0000:03:00.0") is in use; iommu_group -1 skips the /dev/vfio/N
 * check.  Never fails: unreadable or missing sources add nothing.  Free with in_use_free.
 */
void in_use_scan(const char *address, int iommu_group, struct in_use *out);
void in_use_free(struct in_use *u);

/* "net", "block", "boot-vga", "vfio-open", "sriov-pf" (stable, for JSON). */
const char *in_use_kind_name(enum in_use_kind kind);

#endif
