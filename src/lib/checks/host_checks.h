/* Machine checks of `vfio-admin check`: IOMMU, interrupt remapping, VFIO modules and nodes, limits. */
#ifndef VT_HOST_CHECKS_H
#define VT_HOST_CHECKS_H

#include <stddef.h>
#include <stdint.h>

#include "checks/finding.h"
#include "iommu/iommu_platform.h"
#include "vfio/vfio_backend.h"

struct host_check_options {
	const char *user;	/* --user: also report this user's memlock limit */
	uint64_t guest_mem;	/* --guest-mem in bytes, 0 when not given */
	enum vfio_backend_choice backend;	/* --backend: how VFIO's reset flag is read */
};

void iommu_checks_run(struct findings *fs, enum iommu_platform platform);
void irq_checks_run(struct findings *fs, enum iommu_platform platform, const struct host_check_options *opt);
/* Kernel options that change isolation (iommu.options) and the reserved IOVA regions (iommu.reserved). */
void iommu_option_checks_run(struct findings *fs);
void reserved_region_checks_run(struct findings *fs, enum iommu_platform platform);
void vfio_checks_run(struct findings *fs, enum iommu_platform platform);
void limit_checks_run(struct findings *fs, const struct host_check_options *opt);
/* --user's memlock limit from limits.conf; false after reporting an unknown user. */
bool limit_checks_user(struct findings *fs, const struct host_check_options *opt);

/* The kernel command line holds this word, or a word starting with it when it ends in '='. */
bool kernel_cmdline_has(const char *word);
/* The kernel command line (/proc/cmdline); false when unreadable. */
bool kernel_cmdline_read(char *buf, size_t len);
/* The value of the last word starting with key ("iommufd.allow_unsafe_interrupts="). */
bool kernel_cmdline_value(const char *key, char *value, size_t len);

#endif
