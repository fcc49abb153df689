/*
 * A vfio-pci device opened for user space through one of two backends, behind one ops
 * table: "group" (the legacy container: /dev/vfio/vfio + /dev/vfio/N, type1v2, type1,
 * sPAPR TCE v2, sPAPR TCE in that order; vfio_container.c) and "iommufd" (the device's
 * cdev bound to /dev/iommu; vfio_iommufd.c).  Opening binds and unbinds nothing, but
 * holds the group (or cdev) until vfio_dev_close(); vfio-pci resets the device when the
 * last user closes it.
 */
#ifndef VT_VFIO_BACKEND_H
#define VT_VFIO_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iommu/spapr_dt.h"
#include "vfio/vfio_container.h"
#include "vfio/vfio_info.h"
#include "vfio/vfio_iommufd.h"

enum vfio_backend_choice {
	VFIO_BACKEND_AUTO,	/* iommufd when /dev/iommu and the device's cdev exist, else group */
	VFIO_BACKEND_GROUP,
	VFIO_BACKEND_IOMMUFD,
};

/* "auto", "group", "iommufd"; false for anything else. */
bool vfio_backend_parse(const char *text, enum vfio_backend_choice *out);

enum vfio_iommu_kind {
	VFIO_IOMMU_KIND_TYPE1,		/* type1 or type1v2 container */
	VFIO_IOMMU_KIND_SPAPR,		/* sPAPR TCE v1/v2 container */
	VFIO_IOMMU_KIND_IOAS,		/* iommufd IOAS */
	VFIO_IOMMU_KIND_NONE,		/* VFIO's no-IOMMU mode: no translation, no isolation */
};

/* What the IOMMU lets this device's user map. */
struct vfio_iommu_view {
	enum vfio_iommu_kind kind;
	const char *type_name;		/* "type1v2", "type1", "sPAPR TCE v2", "sPAPR TCE", "no-IOMMU", "iommufd" */
	struct vfio_type1_desc type1;	/* TYPE1 */
	struct spapr_dma_info spapr;	/* SPAPR */
	struct iova_range *ranges;	/* IOAS (malloc'd) */
	size_t n_ranges;
	uint64_t alignment;		/* IOAS: required IOVA alignment */
};

struct vfio_dev;

struct vfio_backend_ops {
	const char *name;		/* "group", "iommufd" */
	int (*open)(struct vfio_dev *d, char *why, size_t whylen);
	int (*iommu_view)(const struct vfio_dev *d, struct vfio_iommu_view *v, char *why, size_t whylen);
	/*
	 * Memory a backend must know before mapping it (sPAPR TCE v2 preregisters and pins
	 * it; the others need nothing): call once per buffer, outside timed loops.
	 */
	int (*dma_register)(const struct vfio_dev *d, void *vaddr, uint64_t size, char *why, size_t whylen);
	int (*dma_unregister)(const struct vfio_dev *d, void *vaddr, uint64_t size);
	/* Maps [vaddr, vaddr + size) readable and writable at iova; unmaps it. */
	int (*dma_map)(const struct vfio_dev *d, void *vaddr, uint64_t iova, uint64_t size, char *why, size_t whylen);
	int (*dma_unmap)(const struct vfio_dev *d, uint64_t iova, uint64_t size, char *why, size_t whylen);
	/*
	 * Optional (NULL in group): maps size bytes of the memfd fd from byte offset start at
	 * iova, readable and writable (iommufd's IOMMU_IOAS_MAP_FILE: -ENOTTY before Linux
	 * 6.13); dma_unmap undoes it.
	 */
	int (*dma_map_file)(const struct vfio_dev *d, int fd, uint64_t start, uint64_t iova, uint64_t size,
			    char *why, size_t whylen);
	void (*close)(struct vfio_dev *d);
};

struct vfio_dev {
	const struct vfio_backend_ops *ops;
	char address[48];		/* PCI address, or a mediated device's UUID */
	int group;			/* IOMMU group number */
	int device;			/* the device fd: ioctls and region access */
	struct vfio_container container;	/* group backend */
	struct iommufd_device iommufd;		/* iommufd backend */
	bool has_vf_token;			/* present vf_token when opening (SR-IOV, vf_token.h) */
	uint8_t vf_token[16];
	char vf_token_text[40];
	/* the errno of the step that hands out the device (VFIO_GROUP_GET_DEVICE_FD, VFIO_DEVICE_BIND_IOMMUFD)
	 * when that step failed, else 0: EACCES there is the VF token check */
	int device_errno;
};

/*
 * What auto means for ADDRESS in `group`: iommufd when /dev/iommu and the device's cdev
 * exist and the group is not a no-IOMMU one (no IOAS to attach to), else group.
 */
enum vfio_backend_choice vfio_backend_auto(const char *address, int group);

/*
 * Opens ADDRESS (canonical, bound to vfio-pci, in IOMMU group `group`) through the chosen
 * backend.  Returns 0, or a negative errno with why (then nothing stays open):
 *   -ENOENT  a node is missing (no /dev/vfio/N, no cdev or /dev/iommu);
 *   -EBUSY   the group is not viable, or another process holds it;
 *   -ENODEV  VFIO offers none of the IOMMU types;  other  the failing call's errno.
 */
int vfio_dev_open(struct vfio_dev *d, const char *address, int group, enum vfio_backend_choice choice,
		  char *why, size_t whylen);
/* The same, presenting an SR-IOV VF token (a UUID as text, vf_token.h; NULL: none) on either backend. */
int vfio_dev_open_token(struct vfio_dev *d, const char *address, int group, enum vfio_backend_choice choice,
			const char *vf_token, char *why, size_t whylen);
void vfio_dev_close(struct vfio_dev *d);
int vfio_dev_iommu_view(const struct vfio_dev *d, struct vfio_iommu_view *v, char *why, size_t whylen);
void vfio_iommu_view_free(struct vfio_iommu_view *v);

#endif
