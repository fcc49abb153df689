/*
 * The iommufd backend: a device's VFIO cdev (/dev/vfio/devices/vfioN, Linux 6.6+) bound
 * to /dev/iommu, attached to a fresh IOAS.  Debian 12's headers (6.1) lack this uAPI;
 * vfio_iommufd_uapi.h defines it from the kernel's documented layout when missing.
 */
#ifndef VT_VFIO_IOMMUFD_H
#define VT_VFIO_IOMMUFD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vfio/vfio_info.h"

struct iommufd_device {
	int iommufd;		/* /dev/iommu */
	int device;		/* /dev/vfio/devices/vfioN */
	uint32_t devid;		/* from VFIO_DEVICE_BIND_IOMMUFD */
	uint32_t ioas;		/* from IOMMU_IOAS_ALLOC */
	char cdev[32];		/* "vfio0" */
	int bind_errno;		/* VFIO_DEVICE_BIND_IOMMUFD's errno when it failed, else 0 */
};

/* True when /dev/iommu (under $VFIO_TOOLS_DEV) exists. */
bool iommufd_present(void);
/* True when /dev/iommu exists and the device has a cdev. */
bool iommufd_available(const char *address);

/*
 * Opens the cdev and /dev/iommu, binds the device (VFIO_DEVICE_BIND_IOMMUFD), allocates
 * an IOAS and attaches the device to it (VFIO_DEVICE_ATTACH_IOMMUFD_PT).  Returns 0, or
 * a negative errno with why, everything closed:
 *   -ENOENT  no cdev or no /dev/iommu;  -EBUSY  the device is open elsewhere;
 *   other    the failing call's errno.
 */
int iommufd_device_open(const char *address, struct iommufd_device *d, char *why, size_t whylen);
/* The same, presenting an SR-IOV VF token (16 bytes; NULL: none) with VFIO_DEVICE_BIND_FLAG_TOKEN. */
int iommufd_device_open_token(const char *address, const uint8_t *vf_token, struct iommufd_device *d,
			      char *why, size_t whylen);
void iommufd_device_close(struct iommufd_device *d);

/* IOMMU_IOAS_IOVA_RANGES: the allowed IOVA ranges (malloc'd) and the required alignment. */
int iommufd_iova_ranges(const struct iommufd_device *d, struct iova_range **ranges, size_t *n,
			uint64_t *alignment, char *why, size_t whylen);

/* IOMMU_IOAS_MAP at a fixed IOVA (readable + writable) and IOMMU_IOAS_UNMAP. */
int iommufd_map(const struct iommufd_device *d, void *vaddr, uint64_t iova, uint64_t length,
		char *why, size_t whylen);
int iommufd_unmap(const struct iommufd_device *d, uint64_t iova, uint64_t length, char *why, size_t whylen);

/*
 * IOMMU_IOAS_MAP_FILE (Linux 6.13) at a fixed IOVA, readable + writable: length bytes of
 * the memfd fd from byte offset start.  -ENOTTY on kernels without it.
 */
int iommufd_map_file(const struct iommufd_device *d, int fd, uint64_t start, uint64_t iova, uint64_t length,
		     char *why, size_t whylen);

#endif
