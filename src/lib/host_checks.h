/* Machine checks of `vfio-admin check`: IOMMU, interrupt remapping, VFIO modules and nodes, limits. */
#ifndef VT_HOST_CHECKS_H
#define VT_HOST_CHECKS_H

#include <stdint.h>

#include "finding.h"
#include "vfio_backend.h"

enum iommu_platform {
	IOMMU_PLATFORM_NONE,
	IOMMU_PLATFORM_INTEL,	/* ACPI DMAR, dmar* */
	IOMMU_PLATFORM_AMD,	/* ACPI IVRS, ivhd* */
	IOMMU_PLATFORM_ARM,	/* ACPI IORT (or device-tree SMMUs) */
	IOMMU_PLATFORM_VIRTIO,	/* virtio-iommu (ACPI VIOT) */
	IOMMU_PLATFORM_POWER,	/* sPAPR TCE: iommu-phb* */
};

struct host_check_options {
	const char *user;	/* --user: also report this user's memlock limit */
	uint64_t guest_mem;	/* --guest-mem in bytes, 0 when not given */
	enum vfio_backend_choice backend;	/* --backend: how VFIO's reset flag is read */
};

/* What the firmware and sysfs say the IOMMU is. */
enum iommu_platform iommu_platform_detect(void);
const char *iommu_platform_name(enum iommu_platform p);

void iommu_checks_run(struct findings *fs, enum iommu_platform platform);
void irq_checks_run(struct findings *fs, enum iommu_platform platform);
void vfio_checks_run(struct findings *fs, enum iommu_platform platform);
void limit_checks_run(struct findings *fs, const struct host_check_options *opt);
/* --user's memlock limit from limits.conf; false after reporting an unknown user. */
bool limit_checks_user(struct findings *fs, const struct host_check_options *opt);

/* The kernel command line holds this word, or a word starting with it when it ends in '='. */
bool kernel_cmdline_has(const char *word);

#endif
