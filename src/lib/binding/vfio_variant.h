/*
 * The VFIO driver a device would get: the kernel's vfio-pci variant driver for it (the
 * best vfio_pci alias, vfio_alias.h), else vfio-pci. The aliases are read once per run
 * from the running kernel's module directory, /lib/modules/$(uname -r) ($VFIO_TOOLS_MODULES
 * for tests): modules.alias and modules.builtin.modinfo. Without either file (no modules
 * installed for this kernel) no variant is known and every device gets vfio-pci.
 */
#ifndef VT_VFIO_VARIANT_H
#define VT_VFIO_VARIANT_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "binding/vfio_alias.h"

struct vfio_variants {
	struct vfio_alias_table table;
	char dir[PATH_MAX];	/* the module directory read */
	bool readable;		/* modules.alias or modules.builtin.modinfo was read */
};

/* Reads the aliases (never fails: v->readable says whether anything was there). */
void vfio_variants_load(struct vfio_variants *v);
/* The module directory read: a --sysroot's lib/modules/RELEASE, $VFIO_TOOLS_MODULES, or /lib/modules/RELEASE. */
void vfio_variants_module_dir(char *dir, size_t len);
void vfio_variants_free(struct vfio_variants *v);

struct vfio_choice {
	char driver[64];	/* what driver_override must name: "vfio-pci", or the variant's driver */
	char module[64];	/* the variant's module, "" for vfio-pci */
	char alias[256];	/* the alias that chose it */
	bool resolved;		/* driver is the registered name; else the module name, until it is loaded */
};

/* The VFIO driver for the device at address: true for a variant, false for vfio-pci. */
bool vfio_variant_for(const struct vfio_variants *v, const char *address, struct vfio_choice *c);

/* Once the module is loaded: its driver's real name (xe_vfio_pci registers xe-vfio-pci). */
bool vfio_choice_resolve(struct vfio_choice *c);

/* "the kernel's VFIO variant for this device: alias vfio_pci:v...", for plans and notes. */
void vfio_choice_reason(const struct vfio_choice *c, char *buf, size_t len);

/*
 * A migration-capable variant (mlx5, hisi_acc, pds, qat, xe, virtio) migrates a VF through
 * its PF's host driver. True, with the one-line reason in why, when driver (a driver or
 * module name) is one of them, the device is a VF, and its PF is on a VFIO driver.
 */
bool vfio_variant_pf_conflict(const char *address, const char *driver, char *why, size_t whylen);

#endif
