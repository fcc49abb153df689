#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <linux/vfio.h>

#include "util/report.h"
#include "vfio/spapr_vfio.h"
#include "vfio/vfio_container.h"

int spapr_vfio_container_info(const struct vfio_container *c, struct spapr_dma_info *out, char *why, size_t whylen)
{
	struct vfio_iommu_spapr_tce_info info = { .argsz = sizeof(info) };

	if (ioctl(c->container, VFIO_IOMMU_SPAPR_TCE_GET_INFO, &info) < 0)
		return vt_why_errno(errno, why, whylen, "VFIO_IOMMU_SPAPR_TCE_GET_INFO");
	out->from_vfio = true;
	out->iommu_type = c->iommu_type;
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
	static const int types[] = { VFIO_SPAPR_TCE_v2_IOMMU, VFIO_SPAPR_TCE_IOMMU };
	struct vfio_container c;
	int r;

	memset(out, 0, sizeof(*out));
	r = vfio_container_open(&c, group, types, 2, "sPAPR TCE v2 or v1", why, whylen);
	if (r == 0) {
		r = spapr_vfio_container_info(&c, out, why, whylen);
		vfio_container_close(&c);
	}
	if (r < 0)
		memset(out, 0, sizeof(*out));
	return r;
}

static int spapr_memory_ioctl(const struct vfio_container *c, unsigned long request, void *vaddr, uint64_t size)
{
	struct vfio_iommu_spapr_register_memory reg = {
		.argsz = sizeof(reg),
		.vaddr = (uintptr_t)vaddr,
		.size = size,
	};

	if (c->iommu_type != VFIO_SPAPR_TCE_v2_IOMMU)
		return 0;
	return ioctl(c->container, request, &reg) == 0 ? 0 : -errno;
}

int spapr_vfio_register(const struct vfio_container *c, void *vaddr, uint64_t size, char *why, size_t whylen)
{
	int r = spapr_memory_ioctl(c, VFIO_IOMMU_SPAPR_REGISTER_MEMORY, vaddr, size);

	return r == 0 ? 0 : vt_why_errno(-r, why, whylen, "VFIO_IOMMU_SPAPR_REGISTER_MEMORY of 0x%llx bytes",
					 (unsigned long long)size);
}

int spapr_vfio_unregister(const struct vfio_container *c, void *vaddr, uint64_t size)
{
	return spapr_memory_ioctl(c, VFIO_IOMMU_SPAPR_UNREGISTER_MEMORY, vaddr, size);
}

int spapr_vfio_enable(const struct vfio_container *c, char *why, size_t whylen)
{
	if (ioctl(c->container, VFIO_IOMMU_ENABLE) == 0)
		return 0;
	return vt_why_errno(errno, why, whylen, "VFIO_IOMMU_ENABLE");
}

int spapr_vfio_create_window(const struct vfio_container *c, unsigned page_shift, uint64_t window_size,
			     unsigned levels, uint64_t *start, char *why, size_t whylen)
{
	struct vfio_iommu_spapr_tce_create create = {
		.argsz = sizeof(create),
		.page_shift = page_shift,
		.window_size = window_size,
		.levels = levels,
	};

	if (ioctl(c->container, VFIO_IOMMU_SPAPR_TCE_CREATE, &create) < 0) {
		int err = errno;
		const char *hint = spapr_create_errno_hint(err);

		return vt_why(err, why, whylen, "VFIO_IOMMU_SPAPR_TCE_CREATE (%llu bytes, %u-bit pages, %u levels): %s%s%s",
			      (unsigned long long)window_size, page_shift, levels, strerror(err), hint ? ": " : "",
			      hint ? hint : "");
	}
	*start = create.start_addr;
	return 0;
}

int spapr_vfio_remove_window(const struct vfio_container *c, uint64_t start)
{
	struct vfio_iommu_spapr_tce_remove remove = { .argsz = sizeof(remove), .start_addr = start };

	return ioctl(c->container, VFIO_IOMMU_SPAPR_TCE_REMOVE, &remove) == 0 ? 0 : -errno;
}

/* What the sPAPR TCE code of Linux 6.x means by these errnos (shared/notes/power-tce.md §6.3). */
const char *spapr_map_errno_hint(int err)
{
	switch (err) {
	case EPERM:
		return "the memory is not registered: sPAPR TCE v2 maps only memory registered first "
		       "with VFIO_IOMMU_SPAPR_REGISTER_MEMORY";
	case ENXIO:
		return "the IOVA range is outside every DMA window of the host bridge";
	case EINVAL:
		return "the window's IOMMU page is larger than the pages backing the buffer (a 4K-page kernel pins 4K "
		       "pages: use hugepages or a smaller IOMMU page), or the IOVA or size is not aligned to it";
	case EINTR:
		return "the hypervisor refused the TCE update (H_PARAMETER, returned as EINTR): the window is smaller "
		       "than VFIO reports; compare with the device tree (vfio-admin check)";
	case ENODEV:
		return "the host bridge's DMA window setup failed (no dynamic DMA windows: the kernel log says why)";
	default:
		return NULL;
	}
}

const char *spapr_create_errno_hint(int err)
{
	switch (err) {
	case ENOSPC:
		return "no free DMA window: the host bridge's windows are all in use (the default 32-bit window is one)";
	case ENODEV:
		return "the host bridge offers no dynamic DMA windows";
	case EINVAL:
		return "the host bridge does not offer this IOMMU page size, or the window size or levels are invalid";
	case EPERM:
		return "only sPAPR TCE v2 containers create windows";
	default:
		return NULL;
	}
}
