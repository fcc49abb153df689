#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/vfio.h>

#include "spapr_vfio.h"
#include "sysfs.h"

static int vexplain(int err, bool with_strerror, char *why, size_t whylen, const char *fmt,
		    va_list ap)
{
	size_t n;

	if (why && whylen) {
		vsnprintf(why, whylen, fmt, ap);
		n = strlen(why);
		if (with_strerror)
			snprintf(why + n, whylen - n, ": %s", strerror(err));
	}
	return -err;
}

/* A call failed with err: why = "what: strerror(err)"; returns -err. */
static int failed(int err, char *why, size_t whylen, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int failed(int err, char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vexplain(err, true, why, whylen, fmt, ap);
	va_end(ap);
	return r;
}

/* A condition does not hold: why = the formatted text alone; returns -err. */
static int refused(int err, char *why, size_t whylen, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int refused(int err, char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vexplain(err, false, why, whylen, fmt, ap);
	va_end(ap);
	return r;
}

/* Attaches the group's container to an sPAPR TCE IOMMU: v2, else v1. */
static int set_spapr_iommu(int container, char *why, size_t whylen)
{
	static const int types[] = { VFIO_SPAPR_TCE_v2_IOMMU, VFIO_SPAPR_TCE_IOMMU };
	int err = 0;

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		if (ioctl(container, VFIO_CHECK_EXTENSION, types[i]) <= 0)
			continue;
		if (ioctl(container, VFIO_SET_IOMMU, types[i]) == 0)
			return types[i];
		err = errno;
	}
	if (!err)
		return refused(ENODEV, why, whylen, "VFIO offers no sPAPR TCE IOMMU (not POWER?)");
	return failed(err, why, whylen, "VFIO_SET_IOMMU (sPAPR TCE v2, v1)");
}

static int query(int container, int group_fd, int group, struct spapr_dma_info *out,
		 char *why, size_t whylen)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	struct vfio_iommu_spapr_tce_info info = { .argsz = sizeof(info) };
	int type;

	if (ioctl(container, VFIO_GET_API_VERSION) != VFIO_API_VERSION)
		return refused(ENODEV, why, whylen, "/dev/vfio/vfio: unknown VFIO API version");
	if (ioctl(group_fd, VFIO_GROUP_GET_STATUS, &status) < 0)
		return failed(errno, why, whylen, "group %d: VFIO_GROUP_GET_STATUS", group);
	if (!(status.flags & VFIO_GROUP_FLAGS_VIABLE))
		return refused(EBUSY, why, whylen,
			      "group %d is not viable: a member is bound to a host driver", group);
	if (ioctl(group_fd, VFIO_GROUP_SET_CONTAINER, &container) < 0)
		return failed(errno, why, whylen, "group %d: VFIO_GROUP_SET_CONTAINER", group);
	type = set_spapr_iommu(container, why, whylen);
	if (type < 0)
		return type;
	if (ioctl(container, VFIO_IOMMU_SPAPR_TCE_GET_INFO, &info) < 0)
		return failed(errno, why, whylen, "VFIO_IOMMU_SPAPR_TCE_GET_INFO");

	out->from_vfio = true;
	out->iommu_type = type;
	out->has_win32 = true;
	out->win32.start = info.dma32_window_start;
	out->win32.size = info.dma32_window_size;
	if (info.flags & VFIO_IOMMU_SPAPR_INFO_DDW) {
		out->ddw = true;
		out->page_sizes = info.ddw.pgsizes;
		out->max_windows = info.ddw.max_dynamic_windows_supported;
		out->levels = info.ddw.levels;
		out->ddw_implausible = out->max_windows == UINT32_MAX || out->levels == 0;
	}
	return 0;
}

int spapr_vfio_dma_info(int group, struct spapr_dma_info *out, char *why, size_t whylen)
{
	char path[PATH_MAX];
	int container, group_fd, r;

	memset(out, 0, sizeof(*out));
	if (group < 0)
		return refused(EINVAL, why, whylen, "no IOMMU group %d", group);
	if (!devfs_path(path, sizeof(path), "vfio/vfio"))
		return refused(ENAMETOOLONG, why, whylen, "/dev path too long");
	container = open(path, O_RDWR | O_CLOEXEC);
	if (container < 0)
		return failed(errno, why, whylen, "%s", path);
	if (!devfs_path(path, sizeof(path), "vfio/%d", group)) {
		close(container);
		return refused(ENAMETOOLONG, why, whylen, "/dev path too long");
	}
	group_fd = open(path, O_RDWR | O_CLOEXEC);
	if (group_fd < 0) {
		r = failed(errno, why, whylen, "%s", path);
	} else {
		r = query(container, group_fd, group, out, why, whylen);
		/* closing the group detaches it from the container and releases the IOMMU */
		close(group_fd);
	}
	close(container);
	if (r < 0)
		memset(out, 0, sizeof(*out));
	return r;
}
