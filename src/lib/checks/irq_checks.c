/* Interrupt remapping (MSI isolation) and vfio_iommu_type1.allow_unsafe_interrupts. */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/host_checks.h"
#include "iommu/iommu_group.h"
#include "util/sysfs.h"

/* Remapped interrupt domains are named "IR-PCI-MSI", "IR-IO-APIC", ... (Intel and AMD). */
static bool proc_interrupts_remapped(void)
{
	char path[PATH_MAX], line[1024];
	bool found = false;
	FILE *f;

	if (!procfs_path(path, sizeof(path), "interrupts") || !(f = fopen(path, "re")))
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, " IR-") != NULL;
	fclose(f);
	return found;
}

/* Intel: ecap bit 3 (IR) of every DMAR unit; -1 when there is none to read. */
static int intel_ecap_ir(void)
{
	char path[PATH_MAX], value[64];
	struct dirent *e;
	int all = -1;
	DIR *dir;

	if (!sysfs_path(path, sizeof(path), "class/iommu") || !(dir = opendir(path)))
		return -1;
	while ((e = readdir(dir))) {
		if (strncmp(e->d_name, "dmar", 4) != 0 ||
		    !sysfs_path(path, sizeof(path), "class/iommu/%s/intel-iommu/ecap", e->d_name) ||
		    !sysfs_read_line(path, value, sizeof(value)))
			continue;
		all = (all != 0) && (strtoull(value, NULL, 16) & (1u << 3));
	}
	closedir(dir);
	return all;
}

/* Y when the module parameter (or, before the module loads, the command line) says so. */
static bool allow_unsafe_interrupts(void)
{
	char path[PATH_MAX], value[16];

	if (sysfs_path(path, sizeof(path), "module/vfio_iommu_type1/parameters/allow_unsafe_interrupts") &&
	    sysfs_read_line(path, value, sizeof(value)))
		return value[0] == 'Y' || value[0] == '1';
	return kernel_cmdline_has("vfio_iommu_type1.allow_unsafe_interrupts=1") ||
	       kernel_cmdline_has("vfio_iommu_type1.allow_unsafe_interrupts=Y") ||
	       kernel_cmdline_has("vfio_iommu_type1.allow_unsafe_interrupts=y");
}

static const char *const unsafe_hint =
	"only for trusted devices: vfio_iommu_type1.allow_unsafe_interrupts=1 lets VFIO run without it";

void irq_checks_run(struct findings *fs, enum iommu_platform platform)
{
	bool unsafe = allow_unsafe_interrupts();
	enum finding_level off_level = unsafe ? LEVEL_WARN : LEVEL_FAIL;
	int ecap;

	switch (platform) {
	case IOMMU_PLATFORM_POWER:
	case IOMMU_PLATFORM_ARM:
		findings_add(fs, LEVEL_NOTE, "irq.remapping", "machine", NULL,
			     "interrupt isolation is the platform's (%s): no x86 interrupt remapping to check",
			     platform == IOMMU_PLATFORM_POWER ? "XICS/XIVE" : "GICv3 ITS");
		break;
	default:
		if (proc_interrupts_remapped()) {
			findings_add(fs, LEVEL_PASS, "irq.remapping", "machine", NULL,
				     "interrupt remapping is enabled (IR- interrupt domains in /proc/interrupts)");
			break;
		}
		ecap = platform == IOMMU_PLATFORM_INTEL ? intel_ecap_ir() : -1;
		if (platform == IOMMU_PLATFORM_NONE && !iommu_groups_exist())
			findings_add(fs, LEVEL_FAIL, "irq.remapping", "machine",
				     "interrupt remapping needs an enabled IOMMU", "interrupt remapping is off: no IOMMU");
		else if (platform == IOMMU_PLATFORM_VIRTIO)
			findings_add(fs, off_level, "irq.remapping", "machine", unsafe ? NULL : unsafe_hint,
				     "interrupt remapping is off: virtio-iommu does not remap interrupts");
		else if (ecap == 1)
			findings_add(fs, off_level, "irq.remapping", "machine",
				     "remove intremap=off from the kernel command line (x2APIC mode needs it too)",
				     "interrupt remapping is off although the IOMMU supports it (ecap IR set)");
		else
			findings_add(fs, off_level, "irq.remapping", "machine", unsafe ? NULL : unsafe_hint,
				     "interrupt remapping is off%s",
				     ecap == 0 ? ": the IOMMU does not support it (ecap IR clear)" : "");
		break;
	}
	if (unsafe)
		findings_add(fs, LEVEL_WARN, "irq.allow_unsafe", "machine",
			     "an assigned device can inject arbitrary interrupts into the host",
			     "vfio_iommu_type1.allow_unsafe_interrupts=1 is in effect");
}
