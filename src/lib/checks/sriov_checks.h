/* SR-IOV findings of `vfio-admin check DEVICE` beyond counts and groups: the PF's driver, autoprobe, the VF token. */
#ifndef VT_SRIOV_CHECKS_H
#define VT_SRIOV_CHECKS_H

#include "checks/finding.h"
#include "pci/pci_device.h"

/*
 * sriov.driver (a PF: can its driver create VFs, and from what that is inferred),
 * sriov.autoprobe (a PF whose new VFs probe no driver), sriov.token (a PF on vfio-pci
 * keeps a VF token; a VF under it opens only with that token).
 */
void sriov_checks_run(struct findings *fs, const struct pci_device *dev);

#endif
