#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <limits.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/vfio.h>

#include "util/report.h"
#include "util/sysfs.h"
#include "vfio/vfio_container.h"
#include "vfio/vfio_nodes.h"

static int open_node(const char *rel, int *fd, char *why, size_t whylen)
{
	char path[PATH_MAX];

	if (!devfs_path(path, sizeof(path), "%s", rel))
		return vt_why(ENAMETOOLONG, why, whylen, "/dev path too long");
	*fd = open(path, O_RDWR | O_CLOEXEC);
	return *fd < 0 ? vt_why_errno(errno, why, whylen, "%s", path) : 0;
}

static int set_iommu(struct vfio_container *c, const int *types, size_t n_types,
		     const char *type_names, char *why, size_t whylen)
{
	int err = 0;
	size_t i;

	for (i = 0; i < n_types; i++) {
		if (ioctl(c->container, VFIO_CHECK_EXTENSION, types[i]) <= 0)
			continue;
		if (ioctl(c->container, VFIO_SET_IOMMU, types[i]) == 0) {
			c->iommu_type = types[i];
			return 0;
		}
		err = errno;
	}
	if (!err)
		return vt_why(ENODEV, why, whylen, "VFIO offers no %s IOMMU", type_names);
	return vt_why_errno(err, why, whylen, "VFIO_SET_IOMMU (%s)", type_names);
}

static int attach(struct vfio_container *c, int group, const int *types, size_t n_types,
		  const char *type_names, char *why, size_t whylen)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };

	if (ioctl(c->container, VFIO_GET_API_VERSION) != VFIO_API_VERSION)
		return vt_why(ENODEV, why, whylen, "/dev/vfio/vfio: unknown VFIO API version");
	if (ioctl(c->group, VFIO_GROUP_GET_STATUS, &status) < 0)
		return vt_why_errno(errno, why, whylen, "group %d: VFIO_GROUP_GET_STATUS", group);
	if (!(status.flags & VFIO_GROUP_FLAGS_VIABLE))
		return vt_why(EBUSY, why, whylen, "group %d is not viable: a member is bound to a host driver", group);
	if (ioctl(c->group, VFIO_GROUP_SET_CONTAINER, &c->container) < 0)
		return vt_why_errno(errno, why, whylen, "group %d: VFIO_GROUP_SET_CONTAINER", group);
	return set_iommu(c, types, n_types, type_names, why, whylen);
}

int vfio_container_open(struct vfio_container *c, int group, const int *types, size_t n_types,
			const char *type_names, char *why, size_t whylen)
{
	char rel[48], name[32];
	int r;

	c->container = c->group = -1;
	c->iommu_type = 0;
	if (group < 0)
		return vt_why(EINVAL, why, whylen, "no IOMMU group %d", group);
	snprintf(rel, sizeof(rel), "vfio/%s", vfio_group_node_name(group, name, sizeof(name)));
	r = open_node("vfio/vfio", &c->container, why, whylen);
	if (r == 0)
		r = open_node(rel, &c->group, why, whylen);
	if (r == 0)
		r = attach(c, group, types, n_types, type_names, why, whylen);
	if (r < 0)
		vfio_container_close(c);
	return r;
}

void vfio_container_close(struct vfio_container *c)
{
	/* Closing the group detaches it from the container and releases the IOMMU. */
	if (c->group >= 0)
		close(c->group);
	if (c->container >= 0)
		close(c->container);
	c->container = c->group = -1;
}

int vfio_container_device(const struct vfio_container *c, const char *address, char *why, size_t whylen)
{
	int fd = ioctl(c->group, VFIO_GROUP_GET_DEVICE_FD, address);

	return fd < 0 ? vt_why_errno(errno, why, whylen, "%s: VFIO_GROUP_GET_DEVICE_FD", address) : fd;
}

int vfio_container_map(const struct vfio_container *c, void *vaddr, uint64_t iova, uint64_t size,
		       char *why, size_t whylen)
{
	struct vfio_iommu_type1_dma_map map = {
		.argsz = sizeof(map),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.vaddr = (uintptr_t)vaddr,
		.iova = iova,
		.size = size,
	};

	if (ioctl(c->container, VFIO_IOMMU_MAP_DMA, &map) == 0)
		return 0;
	return vt_why_errno(errno, why, whylen, "VFIO_IOMMU_MAP_DMA of 0x%llx bytes at IOVA 0x%llx",
			    (unsigned long long)size, (unsigned long long)iova);
}

int vfio_container_unmap(const struct vfio_container *c, uint64_t iova, uint64_t size, char *why, size_t whylen)
{
	struct vfio_iommu_type1_dma_unmap unmap = { .argsz = sizeof(unmap), .iova = iova, .size = size };

	if (ioctl(c->container, VFIO_IOMMU_UNMAP_DMA, &unmap) == 0)
		return 0;
	return vt_why_errno(errno, why, whylen, "VFIO_IOMMU_UNMAP_DMA of 0x%llx bytes at IOVA 0x%llx",
			    (unsigned long long)size, (unsigned long long)iova);
}
