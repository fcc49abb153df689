/* Which IOMMU the machine has, from the firmware's tables and sysfs. */
#ifndef VT_IOMMU_PLATFORM_H
#define VT_IOMMU_PLATFORM_H

enum iommu_platform {
	IOMMU_PLATFORM_NONE,
	IOMMU_PLATFORM_INTEL,	/* ACPI DMAR, dmar* */
	IOMMU_PLATFORM_AMD,	/* ACPI IVRS, ivhd* */
	IOMMU_PLATFORM_ARM,	/* ACPI IORT (or device-tree SMMUs) */
	IOMMU_PLATFORM_VIRTIO,	/* virtio-iommu (ACPI VIOT) */
	IOMMU_PLATFORM_POWER,	/* sPAPR TCE: iommu-phb* */
};

/* What the firmware and sysfs say the IOMMU is. */
enum iommu_platform iommu_platform_detect(void);
const char *iommu_platform_name(enum iommu_platform p);

#endif
