#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "binding/driver_switch.h"
#include "binding/vfio_holders.h"
#include "pci/pci_device.h"
#include "util/report.h"
#include "util/sysfs.h"
#include "vfio/vfio_nodes.h"

/* How many fd links one scan reads at most, over all processes. */
#define FD_LINKS_MAX 4000000u

#define ANON_DEVICE_FD "anon_inode:[vfio-device]"
#define CDEV_DIR "/dev/vfio/devices/"
#define SYSPATH_KEY "vfio-device-syspath:"

struct scan {
	char target[VFIO_HOLDER_NODES][64];	/* the device's nodes: group, then cdevs */
	size_t n_targets;
	char syspath[PATH_MAX];			/* as fdinfo names the device; "" when unknown */
	unsigned links_left;
};

static bool join_path(char *buf, size_t len, const char *dir, const char *name)
{
	int n = snprintf(buf, len, "%s/%s", dir, name);

	return n > 0 && (size_t)n < len;
}

static void collect_targets(const char *address, int iommu_group, struct scan *s)
{
	char dir[PATH_MAX], name[32];
	struct dirent *e;
	DIR *d;

	s->n_targets = 0;
	if (iommu_group >= 0)
		snprintf(s->target[s->n_targets++], sizeof(s->target[0]), "/dev/vfio/%s",
			 vfio_group_node_name(iommu_group, name, sizeof(name)));
	/* With the VFIO cdev interface the device has its own node, vfio-dev/vfioN in sysfs. */
	if (!sysfs_path(dir, sizeof(dir), "bus/pci/devices/%s/vfio-dev", address) || !(d = opendir(dir)))
		return;
	while ((e = readdir(d)) && s->n_targets < VFIO_HOLDER_NODES)
		if (strncmp(e->d_name, "vfio", 4) == 0 && strlen(e->d_name) < 32)
			snprintf(s->target[s->n_targets++], sizeof(s->target[0]), CDEV_DIR "%.31s", e->d_name);
	closedir(d);
}

/*
 * fdinfo writes the device's kobject path below "/sys"; the device's own path comes from
 * resolving its bus link under the sysfs root, which may be a fake tree.
 */
static void device_syspath(const char *address, char *buf, size_t len)
{
	char root[PATH_MAX], link[PATH_MAX], real[PATH_MAX];
	size_t n;

	buf[0] = '\0';
	if (!realpath(sysfs_root(), root) || !sysfs_path(link, sizeof(link), "bus/pci/devices/%s", address) ||
	    !realpath(link, real))
		return;
	n = strcmp(root, "/") == 0 ? 0 : strlen(root);
	if (strncmp(real, root, n) == 0 && real[n] == '/' && strlen(real + n) + 5 <= len)
		snprintf(buf, len, "/sys%s", real + n);
}

static bool is_pid_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

enum fd_names { NAMES_NO_DEVICE, NAMES_THIS_DEVICE, NAMES_OTHER_DEVICE };

/* Which device the fdinfo of a VFIO device fd names (Linux 6.18+ write the line). */
static enum fd_names fdinfo_names(const char *pid, const char *fd, const char *syspath)
{
	enum fd_names names = NAMES_NO_DEVICE;
	char path[PATH_MAX], *line = NULL, *value;
	size_t cap = 0;
	FILE *f;

	if (!procfs_path(path, sizeof(path), "%s/fdinfo/%s", pid, fd) || !(f = fopen(path, "re")))
		return NAMES_NO_DEVICE;
	while (getline(&line, &cap, f) > 0) {
		if (strncmp(line, SYSPATH_KEY, strlen(SYSPATH_KEY)) != 0)
			continue;
		value = line + strlen(SYSPATH_KEY);
		value += strspn(value, " \t");
		value[strcspn(value, "\n")] = '\0';
		names = syspath[0] && strcmp(value, syspath) == 0 ? NAMES_THIS_DEVICE : NAMES_OTHER_DEVICE;
		break;
	}
	free(line);
	fclose(f);
	return names;
}

/* Bit i of *nodes set when the fd is s->target[i]. */
static void note_fd(struct scan *s, const char *pid, const char *fd, const char *target, unsigned *nodes,
		    struct vfio_holder *h)
{
	bool anon = strcmp(target, ANON_DEVICE_FD) == 0;

	for (size_t i = 0; i < s->n_targets; i++)
		if (strcmp(target, s->target[i]) == 0) {
			*nodes |= 1u << i;
			return;
		}
	/* A cdev of another name is another device's, unless fdinfo says otherwise (a mount namespace). */
	if (!anon && strncmp(target, CDEV_DIR, strlen(CDEV_DIR)) != 0)
		return;
	switch (fdinfo_names(pid, fd, s->syspath)) {
	case NAMES_THIS_DEVICE:
		h->device_fd = true;
		break;
	case NAMES_NO_DEVICE:
		h->unattributed_fd |= anon;
		break;
	case NAMES_OTHER_DEVICE:
		break;
	}
}

/* True when the process holds the device, or holds an fd that might be its. */
static bool scan_process(struct scan *s, const char *pid, struct vfio_holder *h)
{
	char dir[PATH_MAX], link[PATH_MAX], target[PATH_MAX];
	unsigned nodes = 0;
	struct dirent *e;
	DIR *d;

	memset(h, 0, sizeof(*h));
	if (!procfs_path(dir, sizeof(dir), "%s/fd", pid) || !(d = opendir(dir)))
		return false;
	while (s->links_left && (e = readdir(d))) {
		ssize_t n;

		if (e->d_name[0] == '.' || !join_path(link, sizeof(link), dir, e->d_name))
			continue;
		s->links_left--;
		n = readlink(link, target, sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = '\0';
		note_fd(s, pid, e->d_name, target, &nodes, h);
	}
	closedir(d);
	for (size_t i = 0; i < s->n_targets; i++)
		if (nodes & 1u << i)
			memcpy(h->node[h->n_nodes++], s->target[i], sizeof(h->node[0]));
	if (h->n_nodes || h->device_fd)
		h->unattributed_fd = false;
	else if (!h->unattributed_fd)
		return false;
	snprintf(h->pid, sizeof(h->pid), "%.15s", pid);
	if (procfs_path(dir, sizeof(dir), "%s/comm", pid))
		sysfs_read_line(dir, h->comm, sizeof(h->comm));
	for (char *c = h->comm; *c; c++)
		if (iscntrl((unsigned char)*c))
			*c = '?';
	return true;
}

/*
 * Opening the group node answers EBUSY while any group, device or cdev fd holds a device
 * of the group; success means no one does.  Only tried with sysfs and /dev both real or
 * both fake, never a fake device against the real /dev.
 */
static bool group_known_free(int iommu_group)
{
	char path[PATH_MAX], name[32];
	int fd;

	if (iommu_group < 0 || sysfs_is_real() != devfs_is_real() ||
	    !devfs_path(path, sizeof(path), "vfio/%s", vfio_group_node_name(iommu_group, name, sizeof(name))))
		return false;
	fd = open(path, O_RDWR | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

/*
 * Keeps the unattributed holders only where the device may be theirs: on a VFIO driver,
 * its group busy, and no holder named for sure (which explains the busy group; once it
 * lets go, a device fd among the unattributed would keep the group busy and be listed).
 */
static void settle_unattributed(const char *address, int iommu_group, struct vfio_holders *out)
{
	bool keep = true, asked = false;
	size_t kept = 0;

	for (size_t i = 0; i < out->n && keep; i++)
		keep = out->h[i].unattributed_fd;
	for (size_t i = 0; i < out->n; i++) {
		if (out->h[i].unattributed_fd && keep && !asked) {
			asked = true;
			keep = pci_on_vfio_driver(address) && !group_known_free(iommu_group);
		}
		if (!out->h[i].unattributed_fd || keep)
			out->h[kept++] = out->h[i];
	}
	out->n = kept;
}

void vfio_holders_find(const char *address, int iommu_group, struct vfio_holders *out)
{
	struct scan s = { .links_left = FD_LINKS_MAX };
	char proc[PATH_MAX], self[32] = "";
	struct vfio_holder h;
	struct dirent *e;
	DIR *d;

	out->h = NULL;
	out->n = 0;
	if (!address || !*address || strchr(address, '/') || strcmp(address, "..") == 0)
		return;
	collect_targets(address, iommu_group, &s);
	/* Device fds exist only for a device on a VFIO driver. */
	if (!s.n_targets && !pci_on_vfio_driver(address))
		return;
	device_syspath(address, s.syspath, sizeof(s.syspath));
	if (!procfs_path(proc, sizeof(proc), "%s", "") || !(d = opendir(proc)))
		return;
	/* vfio-admin itself may hold the group open while it checks it. */
	if (procfs_is_real())
		snprintf(self, sizeof(self), "%ld", (long)getpid());
	while (s.links_left && (e = readdir(d))) {
		if (!is_pid_name(e->d_name) || strcmp(e->d_name, self) == 0 || !scan_process(&s, e->d_name, &h))
			continue;
		out->h = vt_xappend(out->h, out->n, sizeof(*out->h));
		out->h[out->n++] = h;
	}
	closedir(d);
	settle_unattributed(address, iommu_group, out);
}

void vfio_holders_free(struct vfio_holders *hs)
{
	free(hs->h);
	hs->h = NULL;
	hs->n = 0;
}

void vfio_holder_name(const struct vfio_holder *h, char *buf, size_t len)
{
	if (h->comm[0])
		snprintf(buf, len, "pid %s (%s)", h->pid, h->comm);
	else
		snprintf(buf, len, "pid %s", h->pid);
}

void vfio_holder_means(const struct vfio_holder *h, char *buf, size_t len)
{
	size_t used = 0, items = h->n_nodes + (h->device_fd ? 1 : 0);

	buf[0] = '\0';
	for (size_t i = 0; i < items && used < len; i++) {
		const char *sep = i == 0 ? "" : i + 1 == items ? " and " : ", ";
		const char *item = h->device_fd ? (i == 0 ? "its VFIO device fd" : h->node[i - 1]) : h->node[i];
		int n = snprintf(buf + used, len - used, "%s%s", sep, item);

		if (n < 0)
			return;
		used += (size_t)n;
	}
}
