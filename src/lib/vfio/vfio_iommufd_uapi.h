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

#ifndef IOMMU_IOAS_MAP_FILE
/* Linux 6.13: map a memfd's pages by offset, not by a user address; flags as IOMMU_IOAS_MAP's. */
struct iommu_ioas_map_file {
	__u32 size;
	__u32 flags;		/* enum iommufd_ioas_map_flags */
	__u32 ioas_id;
	__s32 fd;		/* a memfd (shmem or hugetlbfs) */
	__aligned_u64 start;	/* byte offset into the file */
	__aligned_u64 length;
	__aligned_u64 iova;	/* in with FIXED_IOVA, else out */
};
#define IOMMU_IOAS_MAP_FILE _IO(IOMMUFD_TYPE, 0x8f)
_Static_assert(sizeof(struct iommu_ioas_map_file) == 40, "struct iommu_ioas_map_file");
#endif

/*
 * IOMMU_GET_HW_INFO (6.6): what the IOMMU behind a bound device is.  The struct grew
 * after 6.6 (out_capabilities 6.7, out_max_pasid_log2 6.15, then in_data_type) and the
 * types and capability bits with it, so system headers of any age may lack a part: these
 * carry our own vt_ names, in the 7.2 layout, and never clash with the kernel's.
 */
#define VT_IOMMUFD_CMD_GET_HW_INFO 0x8a
#ifndef IOMMU_GET_HW_INFO
#define IOMMU_GET_HW_INFO _IO(IOMMUFD_TYPE, VT_IOMMUFD_CMD_GET_HW_INFO)
#endif

enum vt_iommu_hw_info_type {
	VT_HW_INFO_TYPE_NONE = 0,		/* the driver reports nothing; as input: the default */
	VT_HW_INFO_TYPE_INTEL_VTD = 1,
	VT_HW_INFO_TYPE_ARM_SMMUV3 = 2,
	VT_HW_INFO_TYPE_TEGRA241_CMDQV = 3,	/* an SMMUv3 extension, asked for by in_data_type */
	VT_HW_INFO_TYPE_AMD = 4,
};

enum vt_iommu_hw_capabilities {
	VT_HW_CAP_DIRTY_TRACKING = 1 << 0,	/* IOMMU_HWPT_{SET_DIRTY_TRACKING,GET_DIRTY_BITMAP} work */
	VT_HW_CAP_PCI_PASID_EXEC = 1 << 1,	/* meaningful only when out_max_pasid_log2 != 0 */
	VT_HW_CAP_PCI_PASID_PRIV = 1 << 2,
	VT_HW_CAP_PCI_ATS_NOT_SUPPORTED = 1 << 3,	/* unset: ATS may be enabled */
};

#define VT_HW_INFO_FLAG_INPUT_TYPE (1u << 0)	/* in_data_type asks for one type's data */

struct vt_iommu_hw_info {
	__u32 size;
	__u32 flags;			/* VT_HW_INFO_FLAG_INPUT_TYPE or 0 */
	__u32 dev_id;			/* VFIO_DEVICE_BIND_IOMMUFD's out_devid */
	__u32 data_len;			/* in: room at data_uptr; out: the kernel's length */
	__aligned_u64 data_uptr;	/* the type's data (below); the rest of the room zeroed */
	__u32 data_type;		/* in_data_type with the flag; out_data_type */
	__u8 out_max_pasid_log2;	/* 0: no PASID; before 6.15 a reserved byte, must be 0 */
	__u8 __reserved[3];
	__aligned_u64 out_capabilities;	/* enum vt_iommu_hw_capabilities; absent in 6.6 (32 bytes) */
};
_Static_assert(sizeof(struct vt_iommu_hw_info) == 40, "struct iommu_hw_info");

#define VT_HW_INFO_VTD_ERRATA_772415_SPR17 (1u << 0)	/* no read-only maps on a nesting parent */

struct vt_iommu_hw_info_vtd {
	__u32 flags;
	__u32 __reserved;
	__aligned_u64 cap_reg;		/* VT-d spec 11.4.2 */
	__aligned_u64 ecap_reg;		/* VT-d spec 11.4.3 */
};
_Static_assert(sizeof(struct vt_iommu_hw_info_vtd) == 24, "struct iommu_hw_info_vtd");

struct vt_iommu_hw_info_arm_smmuv3 {
	__u32 flags;
	__u32 __reserved;
	__u32 idr[6];			/* SMMU_IDR0..5, SMMUv3 spec 6.3.1-6.3.6 */
	__u32 iidr;
	__u32 aidr;
};
_Static_assert(sizeof(struct vt_iommu_hw_info_arm_smmuv3) == 40, "struct iommu_hw_info_arm_smmuv3");

struct vt_iommu_hw_info_tegra241_cmdqv {
	__u32 flags;
	__u8 version;			/* PARAM[3:0] */
	__u8 log2vcmdqs;		/* PARAM[7:4] */
	__u8 log2vsids;			/* PARAM[15:12] */
	__u8 __reserved;
};
_Static_assert(sizeof(struct vt_iommu_hw_info_tegra241_cmdqv) == 8, "struct iommu_hw_info_tegra241_cmdqv");

struct vt_iommu_hw_info_amd {
	__aligned_u64 efr;		/* MMIO 0x30, Extended Feature Register */
	__aligned_u64 efr2;		/* MMIO 0x1a0 */
};
_Static_assert(sizeof(struct vt_iommu_hw_info_amd) == 16, "struct iommu_hw_info_amd");

/* --- the VFIO device cdev (linux/vfio.h, 6.6+) --- */

#ifndef VFIO_DEVICE_BIND_IOMMUFD
#define VFIO_DEVICE_BIND_IOMMUFD _IO(VFIO_TYPE, VFIO_BASE + 18)
#endif
#ifndef VFIO_DEVICE_BIND_FLAG_TOKEN
#define VFIO_DEVICE_BIND_FLAG_TOKEN (1 << 0)
#endif
/*
 * struct vfio_device_bind_iommufd under our own name: headers from 6.6 on (Debian
 * 13's 6.12) have the struct without token_uuid_ptr, which came later. 6.6 ended at
 * out_devid (16 bytes; the kernel accepts argsz >= 16).
 */
struct vt_vfio_device_bind_iommufd {
	__u32 argsz;
	__u32 flags;
	__s32 iommufd;
	__u32 out_devid;
	__aligned_u64 token_uuid_ptr;
};
_Static_assert(sizeof(struct vt_vfio_device_bind_iommufd) == 24, "struct vfio_device_bind_iommufd");

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
