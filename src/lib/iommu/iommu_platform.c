/* Which IOMMU the firmware and sysfs announce. */
#include <dirent.h>
#include <limits.h>
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
		[IOMMU_PLATFORM_INTEL] = "Intel VT-d (ACPI DMAR)",
		[IOMMU_PLATFORM_AMD] = "AMD-Vi (ACPI IVRS)",
		[IOMMU_PLATFORM_ARM] = "Arm SMMU (ACPI IORT)",
		[IOMMU_PLATFORM_VIRTIO] = "virtio-iommu",
		[IOMMU_PLATFORM_POWER] = "POWER sPAPR TCE (per host bridge)",
	};
	return names[p];
}
