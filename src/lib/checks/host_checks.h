/* Machine checks of `vfio-admin check`: IOMMU, interrupt remapping, VFIO modules and nodes, limits. */
#ifndef VT_HOST_CHECKS_H
#define VT_HOST_CHECKS_H

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
void irq_checks_run(struct findings *fs, enum iommu_platform platform);
void vfio_checks_run(struct findings *fs, enum iommu_platform platform);
void limit_checks_run(struct findings *fs, const struct host_check_options *opt);
/* --user's memlock limit from limits.conf; false after reporting an unknown user. */
bool limit_checks_user(struct findings *fs, const struct host_check_options *opt);

/* The kernel command line holds this word, or a word starting with it when it ends in '='. */
bool kernel_cmdline_has(const char *word);

#endif
