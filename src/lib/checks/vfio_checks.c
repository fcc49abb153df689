/* VFIO modules (libkmod, or a snapshot's record), no-IOMMU mode and the device nodes. */
#include <stdio.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "checks/host_checks.h"
#include "iommu/iommu_group.h"
#include "checks/live_facts.h"
#include "util/sysfs.h"
#include "vfio/vfio_iommufd.h"
#include "vfio/vfio_nodes.h"

static void report_module(struct findings *fs, const char *name)
{
	static const char *const states[] = {
		[MOD_MISSING] = "not found", [MOD_AVAILABLE] = "available, not loaded",
		[MOD_LOADED] = "loaded", [MOD_BUILTIN] = "built into the kernel",
	};
	struct module_facts r;
	char id[64], why[256];
	size_t from = fs->n;

	snprintf(id, sizeof(id), "vfio.module.%s", name);
	if (!module_facts_get(name, &r, why, sizeof(why)))
		findings_add(fs, LEVEL_WARN, id, "machine", NULL, "%s: module state unknown: %s", name, why);
	else if (r.install_disabled)
		findings_add(fs, LEVEL_FAIL, id, "machine", "remove the 'install' line for it from /etc/modprobe.d",
			     "%s: administratively prohibited: an install command replaces it", name);
	else if (r.state == MOD_MISSING)
		findings_add(fs, LEVEL_FAIL, id, "machine", "install the kernel's modules package",
			     "%s: not found in /lib/modules nor built in", name);
	else if (r.blacklisted && r.state == MOD_AVAILABLE)
		findings_add(fs, LEVEL_WARN, id, "machine", "remove the blacklist line from /etc/modprobe.d",
			     "%s: blacklisted (administratively prohibited from loading by alias)", name);
	else
		findings_add(fs, LEVEL_PASS, id, "machine", NULL, "%s: %s", name, states[r.state]);
	if (live_facts_recorded())
		findings_mark_live_only(fs, from);
}

static bool dev_exists(const char *rel)
{
	char path[PATH_MAX];

	return devfs_path(path, sizeof(path), "%s", rel) && access(path, F_OK) == 0;
}

/* iommufd and cdevs, and which backend `--backend auto` opens devices through. */
static void report_backend(struct findings *fs)
{
	bool iommufd = iommufd_present(), cdevs = vfio_cdevs_supported();

	findings_add(fs, LEVEL_NOTE, "vfio.iommufd", "machine", NULL, "iommufd (/dev/iommu): %s",
		     iommufd ? "present" : "absent");
	findings_add(fs, LEVEL_NOTE, "vfio.cdev", "machine", NULL, "VFIO device cdevs (/dev/vfio/devices/vfioN): %s",
		     cdevs ? "offered by this kernel" :
		     dev_exists("vfio/vfio") ? "not offered by this kernel (CONFIG_VFIO_DEVICE_CDEV)" :
		     "unknown until the vfio module is loaded");
	findings_add(fs, LEVEL_NOTE, "vfio.backend", "machine", NULL, "VFIO backend (--backend auto): %s",
		     iommufd && cdevs && iommu_groups_exist() ? "iommufd: each device's cdev bound to /dev/iommu" :
		     vfio_noiommu_mode() && !iommu_groups_exist() ? "group: /dev/vfio/noiommu-N (no-IOMMU devices have no cdev)" :
		     "group: /dev/vfio/N in a /dev/vfio/vfio container");
}

static void report_nodes(struct findings *fs)
{
	if (vfio_noiommu_mode())
		findings_add(fs, iommu_groups_exist() ? LEVEL_WARN : LEVEL_FAIL, "vfio.noiommu", "machine",
			     "a device used this way can DMA anywhere in host memory; only for trusted devices",
			     "NO-IOMMU MODE IS ENABLED: vfio gives user space devices without any DMA isolation");
	if (dev_exists("vfio/vfio"))
		findings_add(fs, LEVEL_PASS, "vfio.container", "machine", NULL, "/dev/vfio/vfio is present");
	else
		findings_add(fs, LEVEL_NOTE, "vfio.container", "machine", "modprobe vfio-pci (vfio-admin bind loads it)",
			     "/dev/vfio/vfio is absent: the vfio module is not loaded");
	report_backend(fs);
}

void vfio_checks_run(struct findings *fs, enum iommu_platform platform)
{
	report_module(fs, "vfio");
	report_module(fs, "vfio_pci");
	report_module(fs, platform == IOMMU_PLATFORM_POWER ? "vfio_iommu_spapr_tce" : "vfio_iommu_type1");
	report_nodes(fs);
}
