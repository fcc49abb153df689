#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>
#include <linux/vfio.h>

#include "iommu/device_group.h"
#include "util/report.h"
#include "vfio/spapr_vfio.h"
#include "vfio/vf_token.h"
#include "vfio/vfio_backend.h"

bool vfio_backend_parse(const char *text, enum vfio_backend_choice *out)
{
	static const char *const names[] = { "auto", "group", "iommufd" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(text, names[i]) == 0) {
			*out = (enum vfio_backend_choice)i;
			return true;
		}
	return false;
}

/* --- group: the legacy container --- */

static int group_open(struct vfio_dev *d, char *why, size_t whylen)
{
	static const int types[] = {
		VFIO_TYPE1v2_IOMMU, VFIO_TYPE1_IOMMU, VFIO_SPAPR_TCE_v2_IOMMU, VFIO_SPAPR_TCE_IOMMU,
	};
	static const int noiommu[] = { VFIO_NOIOMMU_IOMMU };
	int r = vfio_group_is_noiommu(d->group) ?
		vfio_container_open(&d->container, d->group, noiommu, 1, "no-IOMMU (vfio.enable_unsafe_noiommu_mode)",
				    why, whylen) :
		vfio_container_open(&d->container, d->group, types, sizeof(types) / sizeof(types[0]),
				    "type1v2, type1 or sPAPR TCE", why, whylen);

	if (r < 0)
		return r;
	if (d->container.iommu_type == VFIO_SPAPR_TCE_IOMMU && (r = spapr_vfio_enable(&d->container, why, whylen)) < 0) {
		vfio_container_close(&d->container);
		return r;
	}
	if (d->has_vf_token) {
		char name[128];

		snprintf(name, sizeof(name), "%s vf_token=%s", d->address, d->vf_token_text);
		d->device = vfio_container_device(&d->container, name, why, whylen);
	} else {
		d->device = vfio_container_device(&d->container, d->address, why, whylen);
	}
	if (d->device < 0) {
		d->device_errno = -d->device;
		r = d->device;
		vfio_container_close(&d->container);
	}
	return r;
}

static const char *container_type_name(int type)
{
	switch (type) {
	case VFIO_TYPE1v2_IOMMU:
		return "type1v2";
	case VFIO_TYPE1_IOMMU:
		return "type1";
	case VFIO_SPAPR_TCE_v2_IOMMU:
		return "sPAPR TCE v2";
	case VFIO_NOIOMMU_IOMMU:
		return "no-IOMMU";
	default:
		return "sPAPR TCE";
	}
}

static int group_iommu_view(const struct vfio_dev *d, struct vfio_iommu_view *v, char *why, size_t whylen)
{
	int type = d->container.iommu_type;

	v->type_name = container_type_name(type);
	if (type == VFIO_NOIOMMU_IOMMU) {
		v->kind = VFIO_IOMMU_KIND_NONE;
		return 0;
	}
	if (type == VFIO_TYPE1v2_IOMMU || type == VFIO_TYPE1_IOMMU) {
		v->kind = VFIO_IOMMU_KIND_TYPE1;
		return vfio_type1_info_get(d->container.container, &v->type1, why, whylen);
	}
	v->kind = VFIO_IOMMU_KIND_SPAPR;
	return spapr_vfio_container_info(&d->container, &v->spapr, why, whylen);
}

static int group_dma_register(const struct vfio_dev *d, void *vaddr, uint64_t size, char *why, size_t whylen)
{
	return spapr_vfio_register(&d->container, vaddr, size, why, whylen);
}

static int group_dma_unregister(const struct vfio_dev *d, void *vaddr, uint64_t size)
{
	return spapr_vfio_unregister(&d->container, vaddr, size);
}

/* sPAPR TCE errnos say little by themselves (EPERM: not registered; ENXIO: no window): add what they mean. */
static int add_spapr_hint(const struct vfio_dev *d, int r, char *why, size_t whylen)
{
	const char *hint = r < 0 ? spapr_map_errno_hint(-r) : NULL;
	size_t n;

	if (!hint || !why || (d->container.iommu_type != VFIO_SPAPR_TCE_v2_IOMMU &&
			      d->container.iommu_type != VFIO_SPAPR_TCE_IOMMU))
		return r;
	n = strlen(why);
	if (n < whylen)
		snprintf(why + n, whylen - n, ": %s", hint);
	return r;
}

static int group_dma_map(const struct vfio_dev *d, void *vaddr, uint64_t iova, uint64_t size, char *why, size_t whylen)
{
	return add_spapr_hint(d, vfio_container_map(&d->container, vaddr, iova, size, why, whylen), why, whylen);
}

static int group_dma_unmap(const struct vfio_dev *d, uint64_t iova, uint64_t size, char *why, size_t whylen)
{
	return add_spapr_hint(d, vfio_container_unmap(&d->container, iova, size, why, whylen), why, whylen);
}

static void group_close(struct vfio_dev *d)
{
	/* The device's fd first: while it is open the device stays claimed (a cdev bind gets EBUSY). */
	close(d->device);
	vfio_container_close(&d->container);
}

static const struct vfio_backend_ops group_ops = {
	.name = "group",
	.open = group_open,
	.iommu_view = group_iommu_view,
	.dma_register = group_dma_register,
	.dma_unregister = group_dma_unregister,
	.dma_map = group_dma_map,
	.dma_unmap = group_dma_unmap,
	.close = group_close,
};

/* --- iommufd: the device's cdev --- */

static int iommufd_backend_open(struct vfio_dev *d, char *why, size_t whylen)
{
	int r = iommufd_device_open_token(d->address, d->has_vf_token ? d->vf_token : NULL, &d->iommufd, why, whylen);

	d->device_errno = d->iommufd.bind_errno;
	if (r == 0)
		d->device = d->iommufd.device;
	return r;
}

static int iommufd_iommu_view(const struct vfio_dev *d, struct vfio_iommu_view *v, char *why, size_t whylen)
{
	v->kind = VFIO_IOMMU_KIND_IOAS;
	v->type_name = "iommufd";
	return iommufd_iova_ranges(&d->iommufd, &v->ranges, &v->n_ranges, &v->alignment, why, whylen);
}

static int no_dma_register(const struct vfio_dev *d, void *vaddr, uint64_t size, char *why, size_t whylen)
{
	(void)d, (void)vaddr, (void)size, (void)why, (void)whylen;
	return 0;
}

static int no_dma_unregister(const struct vfio_dev *d, void *vaddr, uint64_t size)
{
	(void)d, (void)vaddr, (void)size;
	return 0;
}

static int iommufd_dma_map(const struct vfio_dev *d, void *vaddr, uint64_t iova, uint64_t size,
			   char *why, size_t whylen)
{
	return iommufd_map(&d->iommufd, vaddr, iova, size, why, whylen);
}

static int iommufd_dma_unmap(const struct vfio_dev *d, uint64_t iova, uint64_t size, char *why, size_t whylen)
{
	return iommufd_unmap(&d->iommufd, iova, size, why, whylen);
}

static int iommufd_dma_map_file(const struct vfio_dev *d, int fd, uint64_t start, uint64_t iova, uint64_t size,
				char *why, size_t whylen)
{
	return iommufd_map_file(&d->iommufd, fd, start, iova, size, why, whylen);
}

static void iommufd_backend_close(struct vfio_dev *d)
{
	iommufd_device_close(&d->iommufd);
}

static const struct vfio_backend_ops iommufd_ops = {
	.name = "iommufd",
	.open = iommufd_backend_open,
	.iommu_view = iommufd_iommu_view,
	.dma_register = no_dma_register,
	.dma_unregister = no_dma_unregister,
	.dma_map = iommufd_dma_map,
	.dma_unmap = iommufd_dma_unmap,
	.dma_map_file = iommufd_dma_map_file,
	.close = iommufd_backend_close,
};

static const char *running_release(void)
{
	static struct utsname u;

	return uname(&u) == 0 ? u.release : NULL;
}

enum vfio_backend_choice vfio_backend_auto(const char *address, int group)
{
	return iommufd_available(address) && !vfio_group_is_noiommu(group) ? VFIO_BACKEND_IOMMUFD : VFIO_BACKEND_GROUP;
}

int vfio_dev_open(struct vfio_dev *d, const char *address, int group, enum vfio_backend_choice choice,
		  char *why, size_t whylen)
{
	return vfio_dev_open_token(d, address, group, choice, NULL, why, whylen);
}

int vfio_dev_open_token(struct vfio_dev *d, const char *address, int group, enum vfio_backend_choice choice,
			const char *vf_token, char *why, size_t whylen)
{
	int r;

	memset(d, 0, sizeof(*d));
	d->device = -1;
	d->container.container = d->container.group = -1;
	d->iommufd.iommufd = d->iommufd.device = -1;
	snprintf(d->address, sizeof(d->address), "%s", address);
	d->group = group;
	if (vf_token && !vf_token_parse(vf_token, d->vf_token, d->vf_token_text))
		return vt_why(EINVAL, why, whylen, "%s: not a UUID (8-4-4-4-12 hex digits)", vf_token);
	d->has_vf_token = vf_token != NULL;
	/* with a token, auto picks the group when this kernel's cdev would not check it */
	if (choice == VFIO_BACKEND_AUTO && vf_token && !vf_token_cdev_supported(running_release(), NULL, 0))
		choice = VFIO_BACKEND_GROUP;
	if (choice == VFIO_BACKEND_AUTO)
		choice = vfio_backend_auto(address, group);
	d->ops = choice == VFIO_BACKEND_IOMMUFD ? &iommufd_ops : &group_ops;
	r = d->ops->open(d, why, whylen);
	if (r < 0)
		d->device = -1;
	return r;
}

void vfio_dev_close(struct vfio_dev *d)
{
	if (d->device >= 0)
		d->ops->close(d);
	d->device = -1;
}

int vfio_dev_iommu_view(const struct vfio_dev *d, struct vfio_iommu_view *v, char *why, size_t whylen)
{
	memset(v, 0, sizeof(*v));
	return d->ops->iommu_view(d, v, why, whylen);
}

void vfio_iommu_view_free(struct vfio_iommu_view *v)
{
	vfio_type1_desc_free(&v->type1);
	free(v->ranges);
	v->ranges = NULL;
	v->n_ranges = 0;
}
