#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "iommu/device_group.h"
#include "vfio/mdev.h"
#include "util/report.h"
#include "util/sysfs.h"
#include "vfio/vfio_iommufd.h"
#include "vfio/vfio_nodes.h"

static void read_attr(const char *uuid, const char *rel, char *buf, size_t len)
{
	char path[PATH_MAX];

	if (!sysfs_path(path, sizeof(path), "bus/mdev/devices/%s/%s", uuid, rel) || !sysfs_read_line(path, buf, len))
		buf[0] = '\0';
}

static void read_link(const char *uuid, const char *rel, char *buf, size_t len)
{
	char path[PATH_MAX];

	if (!sysfs_path(path, sizeof(path), "bus/mdev/devices/%s%s%s", uuid, *rel ? "/" : "", rel) ||
	    !sysfs_link_basename(path, buf, len))
		buf[0] = '\0';
}

/* The parent: the directory that holds the device's own, as its sysfs path shows. */
static void read_parent(const char *uuid, char *buf, size_t len)
{
	char path[PATH_MAX], target[PATH_MAX], *slash;
	ssize_t n;

	buf[0] = '\0';
	if (!sysfs_path(path, sizeof(path), "bus/mdev/devices/%s", uuid) ||
	    (n = readlink(path, target, sizeof(target) - 1)) < 0)
		return;
	target[n] = '\0';
	if ((slash = strrchr(target, '/')))
		*slash = '\0';
	slash = strrchr(target, '/');
	snprintf(buf, len, "%.*s", (int)(len - 1), slash ? slash + 1 : target);
}

static int by_uuid(const void *a, const void *b)
{
	return strcmp(((const struct mdev *)a)->uuid, ((const struct mdev *)b)->uuid);
}

void mdev_list_load(struct mdev_list *l)
{
	char path[PATH_MAX];
	struct dirent *e;
	struct mdev *m;
	DIR *dir;

	memset(l, 0, sizeof(*l));
	if (!sysfs_path(path, sizeof(path), "bus/mdev/devices") || !(dir = opendir(path)))
		return;
	while ((e = readdir(dir))) {
		if (!vfio_is_mdev_uuid(e->d_name))
			continue;
		l->m = vt_xappend(l->m, l->n, sizeof(*l->m));
		m = &l->m[l->n++];
		memset(m, 0, sizeof(*m));
		memcpy(m->uuid, e->d_name, 37);	/* a UUID: 36 characters and its NUL */
		read_parent(m->uuid, m->parent, sizeof(m->parent));
		read_link(m->uuid, "mdev_type", m->type, sizeof(m->type));
		read_attr(m->uuid, "mdev_type/name", m->name, sizeof(m->name));
		read_attr(m->uuid, "mdev_type/device_api", m->api, sizeof(m->api));
		read_link(m->uuid, "driver", m->driver, sizeof(m->driver));
		m->group = vfio_group_of(m->uuid);
		if (!vfio_cdev_name(m->uuid, m->cdev, sizeof(m->cdev)))
			m->cdev[0] = '\0';
	}
	closedir(dir);
	if (l->n)
		qsort(l->m, l->n, sizeof(*l->m), by_uuid);
}

void mdev_list_free(struct mdev_list *l)
{
	free(l->m);
	memset(l, 0, sizeof(*l));
}
