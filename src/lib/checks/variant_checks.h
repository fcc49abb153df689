/* check's vfio.variant finding: the kernel's VFIO variant driver for a device, and what plain vfio-pci loses. */
#ifndef VT_VARIANT_CHECKS_H
#define VT_VARIANT_CHECKS_H

#include "checks/finding.h"
#include "pci/pci_device.h"

/* Nothing for a device without a variant (vfio-pci is its VFIO driver) or for a bridge. */
void variant_checks_run(struct findings *fs, const struct pci_device *dev);

#endif
