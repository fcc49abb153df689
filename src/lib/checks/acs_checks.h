/*
 * The ACS part of `vfio-admin check DEVICE`: the path up to the root bus hop by hop, and the
 * group the kernel's rules and quirks predict against the group the kernel formed.
 */
#ifndef VT_ACS_CHECKS_H
#define VT_ACS_CHECKS_H

#include <stdbool.h>

#include "checks/finding.h"
#include "iommu/acs_groups.h"
#include "pci/pci_device.h"

/* What the ACS checks of one run share, computed on first use. */
struct acs_check_state {
	const struct pci_device_list *devices;
	bool have_env;
	struct acs_env env;			/* the IOMMU platform and kernel release the quirks see */
	struct acs_info *infos;			/* acs_read_all() of devices */
	struct acs_prediction *predicted;	/* acs_predict_machine() over devices */
};

/* Every bridge up to the root bus; the device itself when the kernel checks it. */
void check_acs_path(struct findings *fs, struct acs_check_state *st, const struct pci_device *dev);
/* acs.reconcile (and acs.vmd): predicted group against the kernel's. */
void check_acs_reconcile(struct findings *fs, struct acs_check_state *st, const struct pci_device *dev);
void acs_check_state_free(struct acs_check_state *st);

#endif
