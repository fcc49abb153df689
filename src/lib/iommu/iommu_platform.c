/* Which IOMMU the firmware and sysfs announce. */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "iommu/iommu_platform.h"
#include "util/sysfs.h"

static bool sysfs_exists(const char *rel)
{
	char path[PATH_MAX];

	return sysfs_path(path, sizeof(path), "%s", rel) && access(path, F_OK) == 0;
}

/* Any /sys/class/iommu entry whose name starts with prefix. */
static bool class_iommu_has(const char *prefix)
{
	char path[PATH_MAX];
	struct dirent *e;
	bool found = false;
	DIR *dir;

	if (!sysfs_path(path, sizeof(path), "class/iommu") || !(dir = opendir(path)))
		return false;
	while (!found && (e = readdir(dir)))
		found = strncmp(e->d_name, prefix, strlen(prefix)) == 0;
	closedir(dir);
	return found;
}

/* A virtio-iommu device (virtio device id 23) on the virtio bus, not merely its driver. */
static bool virtio_iommu_present(void)
{
	char path[PATH_MAX], id[16];
	struct dirent *e;
	bool found = false;
	DIR *dir;

	if (!sysfs_path(path, sizeof(path), "bus/virtio/devices") || !(dir = opendir(path)))
		return false;
	while (!found && (e = readdir(dir)))
		found = e->d_name[0] != '.' &&
			sysfs_path(path, sizeof(path), "bus/virtio/devices/%s/device", e->d_name) &&
			sysfs_read_line(path, id, sizeof(id)) && strtol(id, NULL, 0) == 23;
	closedir(dir);
	return found;
}

enum iommu_platform iommu_platform_detect(void)
{
	if (class_iommu_has("iommu-phb"))
		return IOMMU_PLATFORM_POWER;
	if (class_iommu_has("dmar") || sysfs_exists("firmware/acpi/tables/DMAR"))
		return IOMMU_PLATFORM_INTEL;
	if (class_iommu_has("ivhd") || sysfs_exists("firmware/acpi/tables/IVRS"))
		return IOMMU_PLATFORM_AMD;
	if (sysfs_exists("firmware/acpi/tables/VIOT") || virtio_iommu_present())
		return IOMMU_PLATFORM_VIRTIO;
	if (sysfs_exists("firmware/acpi/tables/IORT") || class_iommu_has("smmu"))
		return IOMMU_PLATFORM_ARM;
	return IOMMU_PLATFORM_NONE;
}

const char *iommu_platform_name(enum iommu_platform p)
{
	static const char *const names[] = {
		[IOMMU_PLATFORM_NONE] = "none",
		[IOMMU_PLATFORM_INTEL] = "Intel VT-d",
		[IOMMU_PLATFORM_AMD] = "AMD-Vi",
		[IOMMU_PLATFORM_ARM] = "Arm SMMU",
		[IOMMU_PLATFORM_VIRTIO] = "virtio-iommu",
		[IOMMU_PLATFORM_POWER] = "POWER sPAPR TCE",
	};
	return names[p];
}

/* Sorted entries of /sys/class/iommu, at most four named; how many in all. */
static size_t list_units(char *buf, size_t len)
{
	char path[PATH_MAX];
	struct dirent **names = NULL;
	size_t off = 0, shown = 0, n = 0;
	int i, count;

	buf[0] = '\0';
	if (!sysfs_path(path, sizeof(path), "class/iommu") ||
	    (count = scandir(path, &names, NULL, alphasort)) < 0)
		return 0;
	for (i = 0; i < count; i++) {
		if (names[i]->d_name[0] != '.') {
			n++;
			if (shown < 4 && off < len) {
				off += (size_t)snprintf(buf + off, len - off, "%s%s", shown ? " " : "", names[i]->d_name);
				shown++;
			}
		}
		free(names[i]);
	}
	free(names);
	if (n > shown && off < len)
		snprintf(buf + off, len - off, " (+%zu more)", n - shown);
	return n;
}

static bool acpi_table(const char *name)
{
	char rel[64];

	snprintf(rel, sizeof(rel), "firmware/acpi/tables/%s", name);
	return sysfs_exists(rel);
}

static const char *firmware_of(enum iommu_platform p)
{
	static const char *const tables[] = {
		[IOMMU_PLATFORM_INTEL] = "DMAR", [IOMMU_PLATFORM_AMD] = "IVRS",
		[IOMMU_PLATFORM_ARM] = "IORT", [IOMMU_PLATFORM_VIRTIO] = "VIOT",
	};
	static const char *const described[] = {
		[IOMMU_PLATFORM_INTEL] = "ACPI DMAR", [IOMMU_PLATFORM_AMD] = "ACPI IVRS",
		[IOMMU_PLATFORM_ARM] = "ACPI IORT", [IOMMU_PLATFORM_VIRTIO] = "ACPI VIOT",
	};

	if (p == IOMMU_PLATFORM_NONE)
		return NULL;
	if (p != IOMMU_PLATFORM_POWER && acpi_table(tables[p]))
		return described[p];
	if (sysfs_exists("firmware/devicetree/base"))
		return "device tree";
	return NULL;
}

void iommu_platform_describe(struct iommu_platform_info *out)
{
	memset(out, 0, sizeof(*out));
	out->platform = iommu_platform_detect();
	out->firmware = firmware_of(out->platform);
	out->n_units = list_units(out->units, sizeof(out->units));
	out->name = iommu_platform_name(out->platform);
	if (out->platform == IOMMU_PLATFORM_ARM && class_iommu_has("smmu3."))
		out->name = "Arm SMMUv3";
}

size_t iommu_unit_count(void)
{
	char units[256];

	return list_units(units, sizeof(units));
}

enum machine_arch machine_arch_detect(void)
{
	char path[PATH_MAX], line[256];
	enum machine_arch a = ARCH_UNKNOWN;
	FILE *f;

	if (procfs_path(path, sizeof(path), "cpuinfo") && (f = fopen(path, "re"))) {
		while (a == ARCH_UNKNOWN && fgets(line, sizeof(line), f)) {
			if (strncmp(line, "vendor_id", 9) == 0)
				a = strstr(line, "GenuineIntel") ? ARCH_X86_INTEL :
				    strstr(line, "AuthenticAMD") || strstr(line, "HygonGenuine") ? ARCH_X86_AMD :
				    ARCH_X86_OTHER;
			else if (strncmp(line, "CPU implementer", 15) == 0)
				a = ARCH_ARM64;
			else if (strncmp(line, "cpu\t", 4) == 0 && strstr(line, "POWER"))
				a = ARCH_POWER;
		}
		fclose(f);
	}
	if (a != ARCH_UNKNOWN)
		return a;
#if defined(__x86_64__) || defined(__i386__)
	return ARCH_X86_OTHER;
#elif defined(__aarch64__)
	return ARCH_ARM64;
#elif defined(__powerpc64__)
	return ARCH_POWER;
#else
	return ARCH_UNKNOWN;
#endif
}

enum machine_arch machine_arch_of(enum iommu_platform p)
{
	if (p == IOMMU_PLATFORM_POWER)
		return ARCH_POWER;
	if (p == IOMMU_PLATFORM_ARM)
		return ARCH_ARM64;
	return machine_arch_detect();
}

bool machine_arch_is_x86(enum machine_arch a)
{
	return a == ARCH_X86_INTEL || a == ARCH_X86_AMD || a == ARCH_X86_OTHER;
}

const char *iommu_enable_hint(enum iommu_platform p, enum machine_arch a)
{
	switch (p) {
	case IOMMU_PLATFORM_INTEL:
		return "add intel_iommu=on to the kernel command line (kernels built without "
		       "CONFIG_INTEL_IOMMU_DEFAULT_ON need it) and remove intel_iommu=off or iommu=off";
	case IOMMU_PLATFORM_AMD:
		return "AMD-Vi is on by default: remove amd_iommu=off or iommu=off from the kernel command line "
		       "(amd_iommu=on is not an option: it does nothing)";
	case IOMMU_PLATFORM_ARM:
		return "the firmware describes an SMMU that the kernel did not take: its driver "
		       "(arm_smmu_v3 or arm_smmu) must be built in or loaded; the kernel log says why it failed";
	case IOMMU_PLATFORM_VIRTIO:
		return "load the virtio_iommu module (modprobe virtio_iommu)";
	case IOMMU_PLATFORM_POWER:
		return "the kernel's sPAPR TCE IOMMU (CONFIG_SPAPR_TCE_IOMMU) gives each host bridge a group; "
		       "this kernel formed none";
	case IOMMU_PLATFORM_NONE:
		break;
	}
	switch (a) {
	case ARCH_X86_INTEL:
		return "enable VT-d in the firmware setup, then add intel_iommu=on to the kernel command line "
		       "if the kernel still forms no groups";
	case ARCH_X86_AMD:
		return "enable the IOMMU (AMD-Vi) in the firmware setup: Linux turns it on by itself "
		       "(amd_iommu=on is not an option: it does nothing)";
	case ARCH_ARM64:
		return "the firmware must describe an SMMU (ACPI IORT or the device tree): enable it in the "
		       "firmware setup; no kernel option turns it on";
	case ARCH_POWER:
		return "VFIO on POWER needs the pseries or PowerNV sPAPR TCE IOMMU (CONFIG_SPAPR_TCE_IOMMU)";
	default:
		return "enable the IOMMU in the firmware setup and, where the kernel needs it, on the kernel command line";
	}
}
