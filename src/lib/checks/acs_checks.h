/*
 * The ACS part of `vfio-admin check DEVICE`: the path up to the root bus hop by hop, and the
 * group the kernel's rules and quirks predict against the group the kernel formed.
 */
#ifndef VT_ACS_CHECKS_H
#define VT_ACS_CHECKS_H

#include "checks/device_checks.h"
#include "checks/finding.h"

/* Every bridge up to the root bus; the device itself when the kernel checks it. */
void check_acs_path(struct findings *fs, struct device_check_context *ctx, const struct pci_device *dev);
/* acs.reconcile (and acs.vmd): predicted group against the kernel's. */
void check_acs_reconcile(struct findings *fs, struct device_check_context *ctx, const struct pci_device *dev);

#endif
