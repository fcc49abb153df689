/* MSI isolation and its evidence: /proc/interrupts' domains, the GIC's ITS in ACPI or the device tree. */
#include <dirent.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iommu/msi_isolation.h"
#include "util/sysfs.h"

/* The first interrupt domain in /proc/interrupts whose chip name starts with prefix ("IR-PCI-MSI"). */
static bool proc_interrupts_chip(const char *prefix, char *chip, size_t len)
{
	char path[PATH_MAX], line[1024], *tok, *save, *end;
	bool found = false;
	FILE *f;

	if (!procfs_path(path, sizeof(path), "interrupts") || !(f = fopen(path, "re")))
		return false;
	while (!found && fgets(line, sizeof(line), f))
		for (tok = strtok_r(line, " \t\n", &save); tok && !found; tok = strtok_r(NULL, " \t\n", &save))
			if (strncmp(tok, prefix, strlen(prefix)) == 0) {
				found = true;
				snprintf(chip, len, "%s", tok);
				/* "IR-PCI-MSI-0000:00:1f.2": the domain, not the device */
				if ((end = strstr(chip, "-0000:")) || (end = strchr(chip, ':')))
					*end = '\0';
			}
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

enum gic_msi { GIC_MSI_NONE = 0, GIC_MSI_ITS = 1, GIC_MSI_V2M = 2 };

/* ACPI MADT entries: type 0x0f is a GIC ITS, 0x0d a GIC MSI frame (GICv2m). Root only. */
static unsigned madt_gic_msi(void)
{
	char path[PATH_MAX];
	uint8_t buf[16384];
	unsigned found = GIC_MSI_NONE;
	size_t n, off = 44;	/* the table header (36) and the local interrupt controller address and flags */
	FILE *f;

	if (!sysfs_path(path, sizeof(path), "firmware/acpi/tables/APIC") || !(f = fopen(path, "re")))
		return GIC_MSI_NONE;
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	while (off + 2 <= n && buf[off + 1] >= 2) {
		if (buf[off] == 0x0f)
			found |= GIC_MSI_ITS;
		else if (buf[off] == 0x0d)
			found |= GIC_MSI_V2M;
		off += buf[off + 1];
	}
	return found;
}

static bool compatible_has(const char *node, const char *want)
{
	char path[PATH_MAX], buf[512];
	size_t n, i;
	FILE *f;

	if (!sysfs_path(path, sizeof(path), "firmware/devicetree/base/%s/compatible", node) || !(f = fopen(path, "re")))
		return false;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	for (i = 0; i < n; i += strlen(buf + i) + 1)	/* a list of NUL-terminated strings */
		if (strcmp(buf + i, want) == 0)
			return true;
	return false;
}

/* Device tree: an ITS or a v2m frame among the children of the top-level interrupt controllers. */
static unsigned dt_gic_msi(void)
{
	char path[PATH_MAX], node[NAME_MAX * 2 + 2];
	struct dirent *top, *child;
	unsigned found = GIC_MSI_NONE;
	DIR *d, *c;

	if (!sysfs_path(path, sizeof(path), "firmware/devicetree/base") || !(d = opendir(path)))
		return GIC_MSI_NONE;
	while ((top = readdir(d))) {
		if (strncmp(top->d_name, "intc", 4) != 0 && strncmp(top->d_name, "interrupt-controller", 20) != 0)
			continue;
		if (!sysfs_path(path, sizeof(path), "firmware/devicetree/base/%s", top->d_name) || !(c = opendir(path)))
			continue;
		while ((child = readdir(c))) {
			if (child->d_name[0] == '.')
				continue;
			snprintf(node, sizeof(node), "%s/%s", top->d_name, child->d_name);
			if (compatible_has(node, "arm,gic-v3-its"))
				found |= GIC_MSI_ITS;
			else if (compatible_has(node, "arm,gic-v2m-frame"))
				found |= GIC_MSI_V2M;
		}
		closedir(c);
	}
	closedir(d);
	return found;
}

static void detect_x86(enum iommu_platform p, struct msi_isolation *out)
{
	char chip[64];

	out->by = p == IOMMU_PLATFORM_INTEL ? "interrupt remapping (Intel VT-d)" :
		  p == IOMMU_PLATFORM_AMD ? "interrupt remapping (AMD-Vi)" : "interrupt remapping";
	out->intel_ecap_ir = p == IOMMU_PLATFORM_INTEL ? intel_ecap_ir() : -1;
	if (proc_interrupts_chip("IR-PCI-MSI", chip, sizeof(chip)) || proc_interrupts_chip("IR-", chip, sizeof(chip))) {
		out->state = MSI_ISOLATED;
		snprintf(out->evidence, sizeof(out->evidence), "%s interrupt domains in /proc/interrupts", chip);
		return;
	}
	out->state = MSI_NOT_ISOLATED;
	snprintf(out->evidence, sizeof(out->evidence), "no IR- interrupt domain in /proc/interrupts%s",
		 out->intel_ecap_ir == 1 ? "; the IOMMU supports it (ecap IR set)" :
		 out->intel_ecap_ir == 0 ? "; the IOMMU does not support it (ecap IR clear)" : "");
}

static void detect_arm(struct msi_isolation *out)
{
	unsigned madt, dt, fw;
	char chip[64];

	if (proc_interrupts_chip("ITS-", chip, sizeof(chip))) {
		out->state = MSI_ISOLATED;
		out->by = "the GICv3 ITS";
		snprintf(out->evidence, sizeof(out->evidence), "%s interrupt domains in /proc/interrupts", chip);
		return;
	}
	if (proc_interrupts_chip("GICv2m-", chip, sizeof(chip))) {
		out->state = MSI_NOT_ISOLATED;
		out->by = "GICv2m";
		snprintf(out->evidence, sizeof(out->evidence),
			 "%s interrupt domains in /proc/interrupts: a v2m frame cannot tell devices apart", chip);
		return;
	}
	madt = madt_gic_msi();
	dt = dt_gic_msi();
	fw = madt | dt;
	if (fw & GIC_MSI_ITS) {
		out->state = MSI_ISOLATED;
		out->by = "the GICv3 ITS";
		snprintf(out->evidence, sizeof(out->evidence), "the %s describes an ITS; no MSI is in use yet",
			 (dt & GIC_MSI_ITS) ? "device tree" : "ACPI MADT");
	} else if (fw & GIC_MSI_V2M) {
		out->state = MSI_NOT_ISOLATED;
		out->by = "GICv2m";
		snprintf(out->evidence, sizeof(out->evidence),
			 "the firmware describes GICv2m MSI frames and no ITS: a v2m frame cannot tell devices apart");
	} else {
		out->state = MSI_UNKNOWN;
		out->by = "the interrupt controller";
		snprintf(out->evidence, sizeof(out->evidence),
			 "no ITS or GICv2m interrupt domain in /proc/interrupts, none found in the firmware "
			 "(ACPI MADT is readable by root only)");
	}
}

void msi_isolation_detect(enum iommu_platform p, enum machine_arch a, struct msi_isolation *out)
{
	memset(out, 0, sizeof(*out));
	out->intel_ecap_ir = -1;
	if (machine_arch_is_x86(a))
		detect_x86(p, out);
	else if (a == ARCH_ARM64)
		detect_arm(out);
	else if (a == ARCH_POWER) {
		out->state = MSI_ISOLATED;
		out->by = "the platform (XICS/XIVE under the hypervisor)";
		snprintf(out->evidence, sizeof(out->evidence),
			 "sPAPR VFIO (vfio_iommu_spapr_tce) checks no MSI isolation and has no unsafe-interrupts knob");
	} else {
		out->state = MSI_UNKNOWN;
		out->by = "the platform";
		snprintf(out->evidence, sizeof(out->evidence), "an architecture this tool does not know");
	}
}
