/*
 * The iommufd and VFIO cdev uAPI (Linux 6.6+) for systems whose headers predate it
 * (Debian 12 ships 6.1's).  Layouts and numbers are those of the kernel's
 * include/uapi/linux/iommufd.h and include/uapi/linux/vfio.h; everything is guarded, so
 * newer system headers win.  Only what vfio_iommufd.c uses is here.
 */
#ifndef VT_VFIO_IOMMUFD_UAPI_H
#define VT_VFIO_IOMMUFD_UAPI_H

#include <linux/ioctl.h>
#include <linux/types.h>
#include <linux/vfio.h>

#if defined(__has_include)
#if __has_include(<linux/iommufd.h>)
#include <linux/iommufd.h>
#endif
#endif

/* --- /dev/iommu (linux/iommufd.h, 6.2+) --- */

#ifndef IOMMUFD_TYPE
#define IOMMUFD_TYPE (';')
#endif

#ifndef IOMMU_DESTROY
/* No linux/iommufd.h at all: its command numbers. */
enum {
	IOMMUFD_CMD_BASE = 0x80,
	IOMMUFD_CMD_DESTROY = IOMMUFD_CMD_BASE,
	IOMMUFD_CMD_IOAS_ALLOC,
	IOMMUFD_CMD_IOAS_ALLOW_IOVAS,
	IOMMUFD_CMD_IOAS_COPY,
	IOMMUFD_CMD_IOAS_IOVA_RANGES,
	IOMMUFD_CMD_IOAS_MAP,
	IOMMUFD_CMD_IOAS_UNMAP,
	IOMMUFD_CMD_OPTION,
	IOMMUFD_CMD_VFIO_IOAS,
};

struct iommu_destroy {
	__u32 size;
	__u32 id;
};
#define IOMMU_DESTROY _IO(IOMMUFD_TYPE, IOMMUFD_CMD_DESTROY)
_Static_assert(sizeof(struct iommu_destroy) == 8, "struct iommu_destroy");
#endif

#ifndef IOMMU_IOAS_ALLOC
struct iommu_ioas_alloc {
	__u32 size;
	__u32 flags;		/* must be 0 */
	__u32 out_ioas_id;
};
#define IOMMU_IOAS_ALLOC _IO(IOMMUFD_TYPE, IOMMUFD_CMD_IOAS_ALLOC)
_Static_assert(sizeof(struct iommu_ioas_alloc) == 12, "struct iommu_ioas_alloc");
#endif

#ifndef IOMMU_IOAS_IOVA_RANGES
struct iommu_iova_range {
	__aligned_u64 start;
	__aligned_u64 last;	/* inclusive */
};

/* num_iovas too small: -EMSGSIZE with num_iovas set to the number needed. */
struct iommu_ioas_iova_ranges {
	__u32 size;
	__u32 ioas_id;
	__u32 num_iovas;	/* in: room in allowed_iovas; out: ranges there are */
	__u32 __reserved;
	__aligned_u64 allowed_iovas;	/* user pointer to struct iommu_iova_range[] */
	__aligned_u64 out_iova_alignment;
};
#define IOMMU_IOAS_IOVA_RANGES _IO(IOMMUFD_TYPE, IOMMUFD_CMD_IOAS_IOVA_RANGES)
_Static_assert(sizeof(struct iommu_iova_range) == 16, "struct iommu_iova_range");
_Static_assert(sizeof(struct iommu_ioas_iova_ranges) == 32, "struct iommu_ioas_iova_ranges");
#endif

#ifndef IOMMU_IOAS_MAP
enum iommufd_ioas_map_flags {
	IOMMU_IOAS_MAP_FIXED_IOVA = 1 << 0,
	IOMMU_IOAS_MAP_WRITEABLE = 1 << 1,
	IOMMU_IOAS_MAP_READABLE = 1 << 2,
};

struct iommu_ioas_map {
	__u32 size;
	__u32 flags;		/* enum iommufd_ioas_map_flags */
	__u32 ioas_id;
	__u32 __reserved;
	__aligned_u64 user_va;
	__aligned_u64 length;
	__aligned_u64 iova;	/* in with FIXED_IOVA, else out */
};
#define IOMMU_IOAS_MAP _IO(IOMMUFD_TYPE, IOMMUFD_CMD_IOAS_MAP)
_Static_assert(sizeof(struct iommu_ioas_map) == 40, "struct iommu_ioas_map");
#endif

#ifndef IOMMU_IOAS_UNMAP
struct iommu_ioas_unmap {
	__u32 size;
	__u32 ioas_id;
	__aligned_u64 iova;
	__aligned_u64 length;	/* in; out: bytes unmapped */
};
#define IOMMU_IOAS_UNMAP _IO(IOMMUFD_TYPE, IOMMUFD_CMD_IOAS_UNMAP)
_Static_assert(sizeof(struct iommu_ioas_unmap) == 24, "struct iommu_ioas_unmap");
#endif

/* --- the VFIO device cdev (linux/vfio.h, 6.6+) --- */

#ifndef VFIO_DEVICE_BIND_IOMMUFD
/* 6.6 ended at out_devid (16 bytes; the kernel accepts argsz >= 16); token_uuid_ptr came later. */
struct vfio_device_bind_iommufd {
	__u32 argsz;
	__u32 flags;
#define VFIO_DEVICE_BIND_FLAG_TOKEN (1 << 0)
	__s32 iommufd;
	__u32 out_devid;
	__aligned_u64 token_uuid_ptr;
};
#define VFIO_DEVICE_BIND_IOMMUFD _IO(VFIO_TYPE, VFIO_BASE + 18)
_Static_assert(sizeof(struct vfio_device_bind_iommufd) == 24, "struct vfio_device_bind_iommufd");
#endif

#ifndef VFIO_DEVICE_ATTACH_IOMMUFD_PT
/* 6.6 ended at pt_id (12 bytes); pasid came later. */
struct vfio_device_attach_iommufd_pt {
	__u32 argsz;
	__u32 flags;
#define VFIO_DEVICE_ATTACH_PASID (1 << 0)
	__u32 pt_id;		/* in: IOAS or HWPT id; out: the attached HWPT */
	__u32 pasid;
};
#define VFIO_DEVICE_ATTACH_IOMMUFD_PT _IO(VFIO_TYPE, VFIO_BASE + 19)
_Static_assert(sizeof(struct vfio_device_attach_iommufd_pt) == 16, "struct vfio_device_attach_iommufd_pt");
#endif

#ifndef VFIO_DEVICE_DETACH_IOMMUFD_PT
/* 6.6 ended at flags (8 bytes); pasid came later. */
struct vfio_device_detach_iommufd_pt {
	__u32 argsz;
	__u32 flags;
#define VFIO_DEVICE_DETACH_PASID (1 << 0)
	__u32 pasid;
};
#define VFIO_DEVICE_DETACH_IOMMUFD_PT _IO(VFIO_TYPE, VFIO_BASE + 20)
_Static_assert(sizeof(struct vfio_device_detach_iommufd_pt) == 12, "struct vfio_device_detach_iommufd_pt");
#endif

#endif
