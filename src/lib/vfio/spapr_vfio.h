/* POWER (sPAPR) TCE DMA windows of an IOMMU group, asked of VFIO. */
#ifndef VT_SPAPR_VFIO_H
#define VT_SPAPR_VFIO_H

#include <stddef.h>
#include <stdint.h>

#include "iommu/spapr_dt.h"
#include "vfio/vfio_container.h"

/*
 * Opens /dev/vfio/vfio and /dev/vfio/GROUP (under $VFIO_TOOLS_DEV for tests), checks that the group is viable, attaches it
 * to a fresh container with the sPAPR TCE v2 IOMMU (v1 when v2 fails), reads
 * VFIO_IOMMU_SPAPR_TCE_GET_INFO into out (from_vfio, kind UNKNOWN, win32 without
 * liobn; v1 gives no DDW fields) and closes everything.  Binds and unbinds nothing.
 * The group is busy for the duration: another process holding it gives -EBUSY.
 * Returns 0, or a negative errno (out zeroed) with a short reason in why (may be NULL):
 *   -ENOENT   no /dev/vfio/vfio or /dev/vfio/GROUP (no vfio-pci device in the group:
 *             power-tce.md §2, a 6.1 guest kernel never creates one)
 *   -EBUSY    the group is not viable, or in use
 *   -ENODEV   VFIO has no sPAPR TCE IOMMU (not POWER)
 *   other     the failing call's errno
 * Only built and unit-tested on x86 so far: no POWER machine has run it.
 */
int spapr_vfio_dma_info(int group, struct spapr_dma_info *out, char *why, size_t whylen);

/* VFIO_IOMMU_SPAPR_TCE_GET_INFO on a container already set to a sPAPR TCE type. */
int spapr_vfio_container_info(const struct vfio_container *c, struct spapr_dma_info *out, char *why, size_t whylen);

/*
 * sPAPR TCE v2: VFIO_IOMMU_SPAPR_REGISTER_MEMORY pins [vaddr, vaddr + size) for mapping
 * (EPERM from a map means it was not registered); unregister undoes it.  Other
 * container types: 0, nothing to do.  v1 needs VFIO_IOMMU_ENABLE instead (spapr_vfio_enable).
 */
int spapr_vfio_register(const struct vfio_container *c, void *vaddr, uint64_t size, char *why, size_t whylen);
int spapr_vfio_unregister(const struct vfio_container *c, void *vaddr, uint64_t size);
/* sPAPR TCE v1: VFIO_IOMMU_ENABLE (accounts the 32-bit window against memlock). */
int spapr_vfio_enable(const struct vfio_container *c, char *why, size_t whylen);

/*
 * sPAPR TCE v2: VFIO_IOMMU_SPAPR_TCE_CREATE, a dynamic DMA window of window_size bytes
 * (a power of two) with 2^page_shift-byte IOMMU pages in `levels` levels of tables;
 * its bus address in *start.  Remove it with spapr_vfio_remove_window(start).
 */
int spapr_vfio_create_window(const struct vfio_container *c, unsigned page_shift, uint64_t window_size,
			     unsigned levels, uint64_t *start, char *why, size_t whylen);
int spapr_vfio_remove_window(const struct vfio_container *c, uint64_t start);

/*
 * What an errno from VFIO_IOMMU_MAP_DMA / UNMAP_DMA (map) or VFIO_IOMMU_SPAPR_TCE_CREATE
 * (create) on a sPAPR TCE container means, in a phrase; NULL when there is nothing specific.
 */
const char *spapr_map_errno_hint(int err);
const char *spapr_create_errno_hint(int err);

#endif
