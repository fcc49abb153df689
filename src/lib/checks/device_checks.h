/* Device checks of `vfio-admin check DEVICE`: group, ACS path, reset, SR-IOV, POWER windows, verdict. */
#ifndef VT_DEVICE_CHECKS_H
#define VT_DEVICE_CHECKS_H

#include "checks/acs_checks.h"
#include "checks/finding.h"
#include "checks/host_checks.h"
#include "iommu/iommu_group.h"
#include "pci/pci_device.h"

enum device_verdict {
	VERDICT_ASSIGNABLE,		/* alone in its group (bridges aside) */
	VERDICT_WITH_GROUP,		/* with the other members of its group */
	VERDICT_NOT_ASSIGNABLE,
};

struct device_report {
	const struct pci_device *dev;
	enum device_verdict verdict;
	const struct iommu_group *group;	/* NULL without one */
	const char **bind;			/* members to bind to vfio-pci (addresses) */
	size_t n_bind;
	char **reasons;				/* why not assignable */
	size_t n_reasons;
	bool live_only;		/* --sysroot: the verdict may rest on what only the machine itself reads */
};

/* What the machine checks found that decides every device's verdict. */
struct machine_state {
	enum iommu_platform platform;
	bool iommu_enabled;
	bool irq_ok;		/* remapped, not needed, or allowed unsafely */
	bool vfio_ok;		/* vfio, vfio-pci and the IOMMU backend can be had */
};

void machine_state_from_findings(struct machine_state *m, enum iommu_platform platform,
				 const struct findings *fs);

/* What every device check of one run shares. */
struct device_check_context {
	const struct pci_device_list *devices;
	const struct iommu_group_list *groups;
	const struct machine_state *machine;
	const struct host_check_options *opt;
	struct acs_check_state acs;	/* set up by the first device check */
};

void device_checks_run(struct findings *fs, struct device_check_context *ctx,
		       const struct pci_device *dev, struct device_report *out);
void device_check_context_free(struct device_check_context *ctx);
void device_report_free(struct device_report *r);

const char *device_verdict_name(enum device_verdict v);

#endif
