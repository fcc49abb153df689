#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "iommu/device_group.h"
#include "util/sysfs.h"

bool vfio_is_mdev_uuid(const char *name)
{
	size_t i;

	for (i = 0; i < 36; i++)
		if ((i == 8 || i == 13 || i == 18 || i == 23) ? name[i] != '-' : !isxdigit((unsigned char)name[i]))
			return false;
	return name[36] == '\0';
}

const char *vfio_device_bus(const char *name)
{
	return vfio_is_mdev_uuid(name) ? "mdev" : "pci";
}

int vfio_group_of(const char *address)
{
	char path[PATH_MAX], name[32], *end;
	long group;

	if (!sysfs_path(path, sizeof(path), "bus/%s/devices/%s/iommu_group", vfio_device_bus(address), address) ||
	    !sysfs_link_basename(path, name, sizeof(name)))
		return -1;
	errno = 0;
	group = strtol(name, &end, 10);
	return errno || end == name || *end || group < 0 || group > INT_MAX ? -1 : (int)group;
}

/*
 * The kernel names both kinds of group it makes up itself "vfio-noiommu": the no-IOMMU
 * mode's (PCI devices, /dev/vfio/noiommu-N) and the emulated IOMMU's of mediated devices
 * (/dev/vfio/N, isolated by their parent's driver).  The members tell them apart.
 */
bool vfio_group_is_made_up(int group)
{
	char path[PATH_MAX], name[64];

	return group >= 0 && sysfs_path(path, sizeof(path), "kernel/iommu_groups/%d/name", group) &&
	       sysfs_read_line(path, name, sizeof(name)) && strcmp(name, "vfio-noiommu") == 0;
}

bool vfio_group_is_noiommu(int group)
{
	char path[PATH_MAX];
	struct dirent *e;
	bool mdev = false;
	DIR *dir;

	if (!vfio_group_is_made_up(group) ||
	    !sysfs_path(path, sizeof(path), "kernel/iommu_groups/%d/devices", group) || !(dir = opendir(path)))
		return false;
	while (!mdev && (e = readdir(dir)))
		mdev = vfio_is_mdev_uuid(e->d_name);
	closedir(dir);
	return !mdev;
}
