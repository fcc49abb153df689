#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "util/report.h"
#include "util/sysfs.h"
#include "vfio/vfio_iommufd.h"
#include "vfio/vfio_nodes.h"
#include "vfio/vfio_iommufd_uapi.h"

#define OFFSETOFEND(type, field) (offsetof(type, field) + sizeof(((type *)0)->field))
/* The 6.6 sizes, which every later kernel still accepts; the later fields are not used. */
#define BIND_ARGSZ OFFSETOFEND(struct vt_vfio_device_bind_iommufd, out_devid)
#define ATTACH_ARGSZ OFFSETOFEND(struct vfio_device_attach_iommufd_pt, pt_id)
#define IOVA_RANGES_TRIES 4

bool iommufd_present(void)
{
	char path[PATH_MAX];

	return devfs_path(path, sizeof(path), "iommu") && access(path, F_OK) == 0;
}

bool iommufd_available(const char *address)
{
	char name[32];

	return iommufd_present() && vfio_cdev_name(address, name, sizeof(name));
}

/* why for a failed call: EBUSY means another user of the device. */
static int call_failed(int err, char *why, size_t whylen, const char *subject, const char *what)
{
	if (err == EBUSY)
		return vt_why(err, why, whylen, "%s: in use by another process", subject);
	return vt_why_errno(err, why, whylen, "%s: %s", subject, what);
}

static int open_dev_node(const char *rel, int *fd, const char *missing, char *why, size_t whylen)
{
	char path[PATH_MAX];

	if (!devfs_path(path, sizeof(path), "%s", rel))
		return vt_why(ENAMETOOLONG, why, whylen, "/dev path too long");
	*fd = open(path, O_RDWR | O_CLOEXEC);
	if (*fd >= 0)
		return 0;
	if (errno == ENOENT)
		return vt_why(ENOENT, why, whylen, "%s: %s", path, missing);
	return call_failed(errno, why, whylen, path, "open");
}

/* Binds the device to the iommufd, allocates an IOAS and attaches the device to it. */
static int bind_and_attach(struct iommufd_device *d, const uint8_t *vf_token, char *why, size_t whylen)
{
	struct vt_vfio_device_bind_iommufd bind = { .argsz = BIND_ARGSZ, .iommufd = d->iommufd };
	struct iommu_ioas_alloc alloc = { .size = sizeof(alloc) };
	struct vfio_device_attach_iommufd_pt attach = { .argsz = ATTACH_ARGSZ };

	if (vf_token) {
		bind.argsz = sizeof(bind);
		bind.flags = VFIO_DEVICE_BIND_FLAG_TOKEN;
		bind.token_uuid_ptr = (uintptr_t)vf_token;
	}
	if (ioctl(d->device, VFIO_DEVICE_BIND_IOMMUFD, &bind) < 0) {
		d->bind_errno = errno;
		return call_failed(errno, why, whylen, d->cdev, "VFIO_DEVICE_BIND_IOMMUFD");
	}
	d->devid = bind.out_devid;
	if (ioctl(d->iommufd, IOMMU_IOAS_ALLOC, &alloc) < 0)
		return vt_why_errno(errno, why, whylen, "/dev/iommu: IOMMU_IOAS_ALLOC");
	d->ioas = attach.pt_id = alloc.out_ioas_id;
	if (ioctl(d->device, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &attach) < 0)
		return call_failed(errno, why, whylen, d->cdev, "VFIO_DEVICE_ATTACH_IOMMUFD_PT");
	return 0;
}

int iommufd_device_open(const char *address, struct iommufd_device *d, char *why, size_t whylen)
{
	return iommufd_device_open_token(address, NULL, d, why, whylen);
}

int iommufd_device_open_token(const char *address, const uint8_t *vf_token, struct iommufd_device *d,
			      char *why, size_t whylen)
{
	char rel[64];
	int r;

	memset(d, 0, sizeof(*d));
	d->iommufd = d->device = -1;
	if (!vfio_cdev_name(address, d->cdev, sizeof(d->cdev)))
		return vt_why(ENOENT, why, whylen,
			      "no VFIO device node (no vfio-dev/ in sysfs): not bound to vfio-pci, or a kernel "
			      "without VFIO_DEVICE_CDEV");
	snprintf(rel, sizeof(rel), "vfio/devices/%s", d->cdev);
	r = open_dev_node("iommu", &d->iommufd, "no iommufd (a kernel without IOMMUFD)", why, whylen);
	if (r == 0)
		r = open_dev_node(rel, &d->device, "no such VFIO device node", why, whylen);
	if (r == 0)
		r = bind_and_attach(d, vf_token, why, whylen);
	if (r < 0)
		iommufd_device_close(d);
	return r;
}

void iommufd_device_close(struct iommufd_device *d)
{
	/* Closing the device unbinds it; closing the iommufd frees the IOAS. */
	if (d->device >= 0)
		close(d->device);
	if (d->iommufd >= 0)
		close(d->iommufd);
	d->device = d->iommufd = -1;
}

int iommufd_iova_ranges(const struct iommufd_device *d, struct iova_range **ranges, size_t *n,
			uint64_t *alignment, char *why, size_t whylen)
{
	struct iommu_ioas_iova_ranges q = { .size = sizeof(q), .ioas_id = d->ioas };
	struct iommu_iova_range *raw = NULL;
	uint32_t room = 0, i;
	int tries, err;

	*ranges = NULL;
	*n = 0;
	*alignment = 0;
	for (tries = 0; tries < IOVA_RANGES_TRIES; tries++) {
		q.num_iovas = room;
		q.allowed_iovas = (uintptr_t)raw;
		if (ioctl(d->iommufd, IOMMU_IOAS_IOVA_RANGES, &q) == 0)
			break;
		err = errno;
		if (err != EMSGSIZE || q.num_iovas <= room) {
			free(raw);
			return vt_why_errno(err, why, whylen, "/dev/iommu: IOMMU_IOAS_IOVA_RANGES");
		}
		room = q.num_iovas;
		raw = vt_xrealloc(raw, room, sizeof(*raw));
	}
	if (tries == IOVA_RANGES_TRIES) {
		free(raw);
		return vt_why(EAGAIN, why, whylen, "/dev/iommu: IOMMU_IOAS_IOVA_RANGES keeps growing");
	}
	if (q.num_iovas > room)		/* success promises it fitted */
		q.num_iovas = room;
	*ranges = q.num_iovas ? vt_xcalloc(q.num_iovas, sizeof(**ranges)) : NULL;
	/* raw is NULL only when room, so num_iovas, is 0: the test is for gcc -fanalyzer */
	for (i = 0; raw && i < q.num_iovas; i++) {
		(*ranges)[i].start = raw[i].start;
		(*ranges)[i].end = raw[i].last;
	}
	*n = q.num_iovas;
	*alignment = q.out_iova_alignment;
	free(raw);
	return 0;
}

#define MAP_FLAGS (IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE | IOMMU_IOAS_MAP_WRITEABLE)

/* One of the IOAS map and unmap ioctls on [iova, iova + length): 0, or -errno with why. */
static int ioas_call(const struct iommufd_device *d, unsigned long request, const char *name, void *arg,
		     uint64_t iova, uint64_t length, char *why, size_t whylen)
{
	if (ioctl(d->iommufd, request, arg) == 0)
		return 0;
	return vt_why_errno(errno, why, whylen, "%s of %#llx bytes at IOVA %#llx", name, (unsigned long long)length,
			    (unsigned long long)iova);
}

int iommufd_map(const struct iommufd_device *d, void *vaddr, uint64_t iova, uint64_t length,
		char *why, size_t whylen)
{
	struct iommu_ioas_map map = {
		.size = sizeof(map), .flags = MAP_FLAGS, .ioas_id = d->ioas,
		.user_va = (uintptr_t)vaddr, .length = length, .iova = iova,
	};

	return ioas_call(d, IOMMU_IOAS_MAP, "IOMMU_IOAS_MAP", &map, iova, length, why, whylen);
}

int iommufd_map_file(const struct iommufd_device *d, int fd, uint64_t start, uint64_t iova, uint64_t length,
		     char *why, size_t whylen)
{
	struct iommu_ioas_map_file map = {
		.size = sizeof(map), .flags = MAP_FLAGS, .ioas_id = d->ioas,
		.fd = fd, .start = start, .length = length, .iova = iova,
	};

	return ioas_call(d, IOMMU_IOAS_MAP_FILE, "IOMMU_IOAS_MAP_FILE", &map, iova, length, why, whylen);
}

int iommufd_unmap(const struct iommufd_device *d, uint64_t iova, uint64_t length, char *why, size_t whylen)
{
	struct iommu_ioas_unmap unmap = { .size = sizeof(unmap), .ioas_id = d->ioas, .iova = iova, .length = length };

	return ioas_call(d, IOMMU_IOAS_UNMAP, "IOMMU_IOAS_UNMAP", &unmap, iova, length, why, whylen);
}
