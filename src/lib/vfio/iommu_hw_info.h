/*
 * IOMMU_GET_HW_INFO (Linux 6.6+): what the IOMMU behind a device bound to an iommufd is
 * (its type and identification registers), what iommufd can do with it (dirty tracking)
 * and the device's PASID width; the registers as named values and decoded facts.
 */
#ifndef VT_IOMMU_HW_INFO_H
#define VT_IOMMU_HW_INFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iommu/iommu_hw_regs.h"

#define IOMMU_HW_DATA_MAX 64	/* room for the type's data: 7.2's largest (SMMUv3) is 40 bytes */

struct iommu_hw_info_result {
	uint32_t type;			/* 0 none, 1 Intel VT-d, 2 Arm SMMUv3, 3 Tegra241 CMDQV, 4 AMD */
	uint32_t data_len;		/* the kernel's length of the data; more than the room: cut */
	bool has_capabilities;		/* false: a kernel before 6.7, no out_capabilities */
	uint64_t capabilities;		/* IOMMU_HW_CAP_* */
	bool dirty_tracking;		/* IOMMU_HW_CAP_DIRTY_TRACKING */
	bool has_max_pasid;		/* false: a kernel before out_max_pasid_log2 (6.15) */
	uint8_t max_pasid_log2;		/* 0: PASID not supported or not enabled for the device */
	union {
		uint8_t bytes[IOMMU_HW_DATA_MAX];
		uint64_t align;
	} data;
};

typedef int (*iommufd_ioctl_fn)(int fd, unsigned long request, void *arg);

/*
 * Asks the iommufd about device dev_id.  Which fields the kernel fills is found by asking:
 * a kernel that predates a field refuses a nonzero value in it (reserved byte: EOPNOTSUPP;
 * beyond its struct: E2BIG), so it is asked again without.  Returns 0, or a negative errno
 * with why: -ENOTTY a kernel before 6.6; -ENOENT dev_id is no IOMMU-backed device (an
 * emulated mdev's is an access object).
 */
int iommu_hw_info_query(int iommufd, uint32_t dev_id, struct iommu_hw_info_result *r, char *why, size_t whylen);
/* The same through call instead of ioctl (unit tests play a kernel of each age). */
int iommu_hw_info_query_via(iommufd_ioctl_fn call, int iommufd, uint32_t dev_id, struct iommu_hw_info_result *r,
			    char *why, size_t whylen);

/* "intel_vtd", "arm_smmuv3", "tegra241_cmdqv", "amd", "none", "unknown". */
const char *iommu_hw_type_name(uint32_t type);
/* "Intel VT-d", "Arm SMMUv3", "NVIDIA Tegra241 CMDQV", "AMD-Vi", "no hardware info", "unknown". */
const char *iommu_hw_type_description(uint32_t type);

/* Capability bit (0-63) by name: "dirty_tracking", "pci_pasid_exec", ...; unknown ones "bitN" in buf. */
const char *iommu_hw_cap_name(unsigned bit, char buf[8]);

struct hw_register {
	const char *name;		/* "flags", "cap", "ecap", "efr", "idr0", ... */
	uint64_t value;
	unsigned bits;			/* 32 or 64 */
};

#define HW_REGISTERS_MAX 12

struct hw_registers {
	size_t n;
	struct hw_register r[HW_REGISTERS_MAX];
};

/* The type's data as named registers, and their decoded facts (nothing for an unknown type). */
void iommu_hw_info_decode(const struct iommu_hw_info_result *r, struct hw_registers *regs, struct hw_facts *facts);

#endif
