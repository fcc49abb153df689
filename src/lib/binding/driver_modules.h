/* Loading the target driver's modules through libkmod, refusing blacklisted ones. */
#ifndef VT_DRIVER_MODULES_H
#define VT_DRIVER_MODULES_H

#include <stddef.h>

#include "iommu/iommu_platform.h"

/*
 * Makes driver available: nothing to do when /sys/bus/pci/drivers/DRIVER exists;
 * otherwise loads the module of that name (dashes and underscores alike). For vfio-pci,
 * also the platform's VFIO IOMMU backend. A blacklisted or install-disabled module is
 * refused as administratively prohibited. 0, or a negative errno with why:
 *   -ENOENT  no such driver or module;  -EPERM  administratively prohibited.
 */
int driver_modules_load(const char *driver, enum iommu_platform platform, char *why, size_t whylen);

#endif
