/*
 * MSI isolation: x86 interrupt remapping (irq.remapping) or the platform's own (irq.msi_isolation:
 * Arm ITS or GICv2m, POWER), both VFIO backends' allow_unsafe_interrupts knobs, and iommufd's
 * missing MSI setup on Arm before Linux 6.15.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "checks/host_checks.h"
#include "iommu/iommu_group.h"
#include "iommu/kernel_quirks.h"
#include "iommu/msi_isolation.h"
#include "checks/live_facts.h"
#include "util/sysfs.h"

static bool truthy(const char *v)
{
	return v[0] == 'Y' || v[0] == 'y' || v[0] == '1';
}

/* The module's options from modprobe.d say allow_unsafe_interrupts=1 (applies when it loads). */
static bool modprobe_conf_allows(const char *module)
{
	struct module_facts m;
	char why[256];

	return module_facts_get(module, &m, why, sizeof(why)) && m.unsafe_interrupts_conf;
}

/* The module's parameter when it is loaded, else the command line, else modprobe.d. */
static bool allow_unsafe(const char *module)
{
	char path[PATH_MAX], value[16], word[96];

	if (sysfs_path(path, sizeof(path), "module/%s/parameters/allow_unsafe_interrupts", module) &&
	    sysfs_read_line(path, value, sizeof(value)))
		return truthy(value);
	snprintf(word, sizeof(word), "%s.allow_unsafe_interrupts=", module);
	if (kernel_cmdline_value(word, value, sizeof(value)))
		return truthy(value);
	return modprobe_conf_allows(module);
}

struct unsafe_knobs {
	bool type1, iommufd;
};

static const char *const unsafe_hint =
	"only for trusted devices: vfio_iommu_type1.allow_unsafe_interrupts=1 (the group/container backend) "
	"or iommufd.allow_unsafe_interrupts=1 (the cdev backend) lets VFIO run without it";

/* "; both VFIO backends refuse ...", or which one still refuses. */
static const char *backends_answer(const struct unsafe_knobs *k)
{
	if (k->type1 && k->iommufd)
		return "; both VFIO backends allow it (allow_unsafe_interrupts)";
	if (k->type1)
		return "; vfio_iommu_type1 allows it (allow_unsafe_interrupts), iommufd refuses the device";
	if (k->iommufd)
		return "; iommufd allows it (allow_unsafe_interrupts), vfio_iommu_type1 refuses the group";
	return "; both VFIO backends (vfio_iommu_type1 and iommufd) refuse such a group";
}

static void report_x86(struct findings *fs, enum iommu_platform platform, const struct msi_isolation *m,
		       const struct unsafe_knobs *k)
{
	bool unsafe = k->type1 || k->iommufd;
	enum finding_level off = unsafe ? LEVEL_WARN : LEVEL_FAIL;
	const char *hint = unsafe ? NULL : unsafe_hint;

	if (m->state == MSI_ISOLATED) {
		findings_add(fs, LEVEL_PASS, "irq.remapping", "machine", NULL, "interrupt remapping is enabled by %s (%s)",
			     platform == IOMMU_PLATFORM_AMD ? "AMD-Vi" : platform == IOMMU_PLATFORM_INTEL ? "VT-d" :
			     "the IOMMU", m->evidence);
		return;
	}
	if (platform == IOMMU_PLATFORM_NONE && !iommu_groups_exist())
		findings_add(fs, LEVEL_FAIL, "irq.remapping", "machine", "interrupt remapping needs an enabled IOMMU",
			     "interrupt remapping is off: no IOMMU");
	else if (platform == IOMMU_PLATFORM_VIRTIO)
		findings_add(fs, off, "irq.remapping", "machine", hint,
			     "interrupt remapping is off: virtio-iommu does not remap interrupts%s", backends_answer(k));
	else if (kernel_cmdline_has("intremap=off") || m->intel_ecap_ir == 1)
		findings_add(fs, off, "irq.remapping", "machine",
			     "remove intremap=off from the kernel command line (x2APIC mode needs it too)",
			     "interrupt remapping is off (%s)%s", m->evidence, backends_answer(k));
	else
		findings_add(fs, off, "irq.remapping", "machine", hint, "interrupt remapping is off (%s)%s",
			     m->evidence, backends_answer(k));
}

static void report_platform(struct findings *fs, const struct msi_isolation *m, const struct unsafe_knobs *k)
{
	bool unsafe = k->type1 || k->iommufd;

	switch (m->state) {
	case MSI_ISOLATED:
		findings_add(fs, LEVEL_PASS, "irq.msi_isolation", "machine", NULL, "MSIs are isolated by %s (%s)",
			     m->by, m->evidence);
		break;
	case MSI_NOT_ISOLATED:
		findings_add(fs, unsafe ? LEVEL_WARN : LEVEL_FAIL, "irq.msi_isolation", "machine",
			     unsafe ? NULL : unsafe_hint, "MSIs are not isolated: they go through %s (%s)%s",
			     m->by, m->evidence, backends_answer(k));
		break;
	case MSI_UNKNOWN:
		findings_add(fs, LEVEL_NOTE, "irq.msi_isolation", "machine",
			     "run as root (the ACPI MADT), or once a device uses MSI, to see which controller delivers them",
			     "MSI isolation unknown (%s)", m->evidence);
		break;
	}
}

/* Arm before 6.15: iommufd attaches a device without mapping the ITS doorbell in its IOAS. */
static void iommufd_arm_msi(struct findings *fs, const struct host_check_options *opt)
{
	char path[PATH_MAX], release[64];

	if (!procfs_kernel_release(release, sizeof(release)) || kernel_release_compare(release, "6.15") >= 0)
		return;
	if (opt->backend == VFIO_BACKEND_GROUP ||
	    (opt->backend == VFIO_BACKEND_AUTO && !(devfs_path(path, sizeof(path), "iommu") && access(path, F_OK) == 0)))
		return;
	findings_add(fs, LEVEL_WARN, "irq.iommufd_msi", "machine",
		     "use the group/container backend (vfio_iommu_type1; QEMU without an iommufd object) or Linux 6.15 or later",
		     "Linux %s: iommufd before 6.15 does not map the MSI doorbell on Arm: a device opened through "
		     "its VFIO cdev and iommufd gets no MSI", release);
}

void irq_checks_run(struct findings *fs, enum iommu_platform platform, const struct host_check_options *opt)
{
	enum machine_arch arch = machine_arch_of(platform);
	struct unsafe_knobs k = { allow_unsafe("vfio_iommu_type1"), allow_unsafe("iommufd") };
	struct msi_isolation m;

	msi_isolation_detect(platform, arch, &m);
	if (machine_arch_is_x86(arch))
		report_x86(fs, platform, &m, &k);
	else
		report_platform(fs, &m, &k);
	if (arch == ARCH_ARM64)
		iommufd_arm_msi(fs, opt);
	if (arch == ARCH_POWER)
		return;	/* sPAPR VFIO has no such knob */
	if (k.type1 || k.iommufd)
		findings_add(fs, LEVEL_WARN, "irq.allow_unsafe", "machine",
			     "an assigned device can inject arbitrary interrupts into the host",
			     "allow_unsafe_interrupts=1 is in effect for %s",
			     k.type1 && k.iommufd ? "vfio_iommu_type1 and iommufd" : k.type1 ? "vfio_iommu_type1" : "iommufd");
}
