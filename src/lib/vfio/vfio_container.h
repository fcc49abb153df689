/*
 * The legacy VFIO container/group API: a group attached to a fresh container with an
 * IOMMU type, and device descriptors from it. Opening holds the group exclusively until
 * vfio_container_close(); nothing is bound or unbound.
 */
#ifndef VT_VFIO_CONTAINER_H
#define VT_VFIO_CONTAINER_H

#include <stddef.h>
#include <stdint.h>

struct vfio_container {
	int container;		/* /dev/vfio/vfio */
	int group;		/* /dev/vfio/N */
	int iommu_type;		/* the type VFIO_SET_IOMMU accepted */
};

/*
 * Opens /dev/vfio/vfio and /dev/vfio/GROUP (under $VFIO_TOOLS_DEV), checks that the group
 * is viable, attaches it and sets the first of types[] that VFIO offers (type_names for
 * messages, e.g. "type1v2, type1"). Returns 0, or a negative errno with the reason in why:
 *   -ENOENT  a node is missing;  -EBUSY  not viable, or held by another process;
 *   -ENODEV  not VFIO, or none of the types offered;  other  the failing call's errno.
 */
int vfio_container_open(struct vfio_container *c, int group, const int *types, size_t n_types,
			const char *type_names, char *why, size_t whylen);
void vfio_container_close(struct vfio_container *c);

/* A device's descriptor (VFIO_GROUP_GET_DEVICE_FD), or a negative errno with why. */
int vfio_container_device(const struct vfio_container *c, const char *address, char *why, size_t whylen);

/*
 * VFIO_IOMMU_MAP_DMA (readable and writable) and VFIO_IOMMU_UNMAP_DMA on the container:
 * type1 and sPAPR TCE v2 (inside a DMA window, on registered memory) alike.  0, or a
 * negative errno with why.
 */
int vfio_container_map(const struct vfio_container *c, void *vaddr, uint64_t iova, uint64_t size,
		       char *why, size_t whylen);
int vfio_container_unmap(const struct vfio_container *c, uint64_t iova, uint64_t size, char *why, size_t whylen);

#endif
