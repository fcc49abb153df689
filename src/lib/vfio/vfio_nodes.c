#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "iommu/device_group.h"
#include "util/report.h"
#include "util/sysfs.h"
#include "util/wait.h"
#include "vfio/vfio_nodes.h"

bool vfio_noiommu_mode(void)
{
	char path[PATH_MAX], value[16];

	return sysfs_path(path, sizeof(path), "module/vfio/parameters/enable_unsafe_noiommu_mode") &&
	       sysfs_read_line(path, value, sizeof(value)) && (value[0] == 'Y' || value[0] == '1');
}

/* A kernel with VFIO_DEVICE_CDEV registers the "vfio-dev" character major. */
bool vfio_cdevs_supported(void)
{
	char path[PATH_MAX], line[128], name[64];
	bool found = false;
	int major;
	FILE *f;

	if (!procfs_path(path, sizeof(path), "devices") || !(f = fopen(path, "re")))
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = sscanf(line, "%d %63s", &major, name) == 2 && strcmp(name, "vfio-dev") == 0;
	fclose(f);
	return found;
}

/* "vfio" and digits only: the names the kernel gives VFIO device nodes. */
static bool is_cdev_name(const char *name)
{
	const char *p = name + 4;

	if (strncmp(name, "vfio", 4) != 0 || !*p)
		return false;
	for (; *p; p++)
		if (!isdigit((unsigned char)*p))
			return false;
	return true;
}

/*
 * Every VFIO device has a vfio-dev/vfioX entry in sysfs (its class device); only a kernel
 * with VFIO_DEVICE_CDEV gives it a device number, shown as its "dev" attribute.
 */
bool vfio_cdev_name(const char *address, char *name, size_t len)
{
	char dir[PATH_MAX], path[PATH_MAX];
	struct dirent *e;
	bool found = false;
	DIR *d;

	if (!sysfs_path(dir, sizeof(dir), "bus/%s/devices/%s/vfio-dev", vfio_device_bus(address), address) ||
	    !(d = opendir(dir)))
		return false;
	while (!found && (e = readdir(d)))
		if (is_cdev_name(e->d_name) && strlen(e->d_name) < len &&
		    snprintf(path, sizeof(path), "%s/%s/dev", dir, e->d_name) < (int)sizeof(path) &&
		    access(path, F_OK) == 0) {
			snprintf(name, len, "%s", e->d_name);
			found = true;
		}
	closedir(d);
	return found;
}

const char *vfio_group_node_name(int group, char *buf, size_t len)
{
	snprintf(buf, len, "%s%d", vfio_group_is_noiommu(group) ? "noiommu-" : "", group);
	return buf;
}

struct cdev_query {
	const char *address;
	char name[64];
};

/* The cdev's name shows in sysfs once vfio-pci has probed the device. */
static bool cdev_named(void *arg)
{
	struct cdev_query *q = arg;

	return vfio_cdev_name(q->address, q->name, sizeof(q->name));
}

bool vfio_nodes_wait(const char *address, unsigned timeout_ms, struct vfio_nodes *n, char *why, size_t whylen)
{
	struct cdev_query q = { address, "" };
	char name[32];

	memset(n, 0, sizeof(*n));
	n->group = vfio_group_of(address);
	if (n->group < 0) {
		vt_why(ENOENT, why, whylen, "no IOMMU group: bound to vfio-pci without one");
		return false;
	}
	n->noiommu = vfio_group_is_noiommu(n->group);
	if (!devfs_path(n->group_node, sizeof(n->group_node), "vfio/%s", vfio_group_node_name(n->group, name, sizeof(name))) ||
	    !wait_for_path(n->group_node, timeout_ms)) {
		vt_why(ETIMEDOUT, why, whylen, "%s is missing (waited %u ms)", sysroot_display(n->group_node), timeout_ms);
		return false;
	}
	/* No-IOMMU devices get no cdev node (it would need an IOAS). */
	if (!vfio_cdevs_supported() || n->noiommu)
		return true;
	if (!wait_until(cdev_named, &q, timeout_ms) ||
	    !devfs_path(n->cdev_node, sizeof(n->cdev_node), "vfio/devices/%s", q.name) ||
	    !wait_for_path(n->cdev_node, timeout_ms)) {
		vt_why(ETIMEDOUT, why, whylen, "its VFIO cdev (vfio-dev/ in sysfs, /dev/vfio/devices/) is missing (waited %u ms)",
		       timeout_ms);
		n->cdev_node[0] = '\0';
		return false;
	}
	return true;
}

void vfio_nodes_print(FILE *out, const char *address, const struct vfio_nodes *n, const char *owner)
{
	const char *node[] = { n->group_node, n->cdev_node };
	size_t k;

	for (k = 0; k < 2; k++)
		if (node[k][0])
			fprintf(out, "%s: %s%s%s\n", address, node[k], owner ? " owned by " : "", owner ? owner : "");
}

static bool give(const char *node, uid_t uid, gid_t gid, char *why, size_t whylen)
{
	if (!node[0] || (chown(node, uid, gid) == 0 && chmod(node, 0660) == 0))
		return true;
	vt_why_errno(errno, why, whylen, "%s", node);
	return false;
}

bool vfio_nodes_give(const struct vfio_nodes *n, uid_t uid, gid_t gid, char *why, size_t whylen)
{
	return give(n->group_node, uid, gid, why, whylen) && give(n->cdev_node, uid, gid, why, whylen);
}
