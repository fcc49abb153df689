/* Loading the target driver's modules through libkmod, refusing blacklisted ones. */
#ifndef VT_DRIVER_MODULES_H
#define VT_DRIVER_MODULES_H

#include <stdbool.h>
#include <stddef.h>

#include "iommu/iommu_platform.h"

/*
 * The PCI driver that a driver or module name stands for: NAME itself when
 * /sys/bus/pci/drivers/NAME exists, else the driver module NAME registered
 * (/sys/module/NAME/drivers/pci:DRIVER, dashes in NAME read as underscores: module
 * xe_vfio_pci registers xe-vfio-pci). False when neither is there (not loaded).
 */
bool driver_modules_resolve(const char *name, char *driver, size_t len);

/*
 * Makes driver available: nothing to do when driver_modules_resolve() finds it;
 * otherwise loads the module of that name (dashes and underscores alike). For vfio-pci
 * and its variant drivers, also the platform's VFIO IOMMU backend. A blacklisted or install-disabled module is
 * refused as administratively prohibited. 0, or a negative errno with why:
 *   -ENOENT  no such driver or module, or libkmod cannot be loaded (why says which);
 *   -EPERM   administratively prohibited.
 */
int driver_modules_load(const char *driver, enum iommu_platform platform, char *why, size_t whylen);

#endif
