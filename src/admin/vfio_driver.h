/*
 * Which driver bind and persist give a device: --driver NAME when given (vfio-pci opts
 * out of variants), else the kernel's VFIO variant driver for it, else vfio-pci.
 */
#ifndef VFIO_ADMIN_VFIO_DRIVER_H
#define VFIO_ADMIN_VFIO_DRIVER_H

#include <stdbool.h>
#include <stddef.h>

#include "binding/bind_plan.h"
#include "binding/vfio_variant.h"
#include "iommu/iommu_platform.h"

struct vfio_driver_choice {
	char driver[64];	/* the target driver */
	char why[384];		/* for the plan line, "" when --driver chose */
	char module[64];	/* the variant's module, "" otherwise */
};

/* forced: --driver's NAME, or NULL. variants: loaded once by the caller (unused when forced). */
void vfio_driver_choose(const struct vfio_variants *variants, const char *forced, const char *address,
			struct vfio_driver_choice *c);

/*
 * The refusal of a migration-capable variant on a VF whose PF is on a VFIO driver
 * (reported on stderr): false when refused.
 */
bool vfio_driver_check_pf(const char *address, const struct vfio_driver_choice *c);

/*
 * Loads each step's driver (variants through their module) and renames the steps'
 * targets to the drivers' registered names. 0, or the exit status after reporting.
 */
int vfio_driver_load_plan(struct bind_plan *plan, enum iommu_platform platform);

/* The registered driver for a driver or module name (driver_modules_resolve), else name itself. */
const char *vfio_driver_registered(const char *name, char *buf, size_t len);

/*
 * What persist add records without --driver for DEVICE (an address, or VENDOR:DEVICE: the
 * first present device with those ids): its VFIO variant driver, else vfio-pci. why gets
 * the plan-line reason, "" for vfio-pci (why may be NULL).
 */
const char *vfio_driver_persist_default(const char *device, char *driver, size_t len, char *why, size_t whylen);

#endif
