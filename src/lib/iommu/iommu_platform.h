/* Which IOMMU the machine has, from the firmware's tables and sysfs, and which CPU family it is. */
#ifndef VT_IOMMU_PLATFORM_H
#define VT_IOMMU_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>

enum iommu_platform {
	IOMMU_PLATFORM_NONE,
	IOMMU_PLATFORM_INTEL,	/* ACPI DMAR, dmar* */
	IOMMU_PLATFORM_AMD,	/* ACPI IVRS, ivhd* */
	IOMMU_PLATFORM_ARM,	/* ACPI IORT or the device tree; smmu3.* (SMMUv3), smmu.* (SMMUv1/v2) */
	IOMMU_PLATFORM_VIRTIO,	/* virtio-iommu (ACPI VIOT or the device tree) */
	IOMMU_PLATFORM_POWER,	/* sPAPR TCE: iommu-phb* */
};

/* The CPU family, which decides where MSI isolation comes from (not the IOMMU: virtio-iommu runs on both). */
enum machine_arch { ARCH_UNKNOWN, ARCH_X86_INTEL, ARCH_X86_AMD, ARCH_X86_OTHER, ARCH_ARM64, ARCH_POWER };

/* What the firmware and sysfs say the IOMMU is. */
enum iommu_platform iommu_platform_detect(void);
const char *iommu_platform_name(enum iommu_platform p);

struct iommu_platform_info {
	enum iommu_platform platform;
	const char *name;		/* "AMD-Vi", "Arm SMMUv3", ... */
	const char *firmware;		/* "ACPI IVRS", "device tree", ...; NULL: none found */
	char units[256];		/* /sys/class/iommu entries, sorted: "ivhd0", "dmar0 dmar1 (+3 more)" */
	size_t n_units;
};

/* The platform with its firmware table and the IOMMU units the kernel registered. */
void iommu_platform_describe(struct iommu_platform_info *out);

/* How many IOMMU units the kernel registered (/sys/class/iommu). */
size_t iommu_unit_count(void);

/* From /proc/cpuinfo (vendor_id, CPU implementer, POWER), else the architecture built for. */
enum machine_arch machine_arch_detect(void);
/* The same, except that an SMMU means Arm and a sPAPR TCE IOMMU means POWER whatever /proc says. */
enum machine_arch machine_arch_of(enum iommu_platform p);
bool machine_arch_is_x86(enum machine_arch a);

/* How to turn the IOMMU on where it is off or absent, for this platform and CPU. */
const char *iommu_enable_hint(enum iommu_platform p, enum machine_arch a);

#endif
