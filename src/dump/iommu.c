/* vfio-dump iommu: what the IOMMU lets this device's user map (type1, sPAPR TCE, iommufd). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/vfio.h>

#include "iommu/device_group.h"
#include "iommu/reserved_regions.h"
#include "tool/cli.h"
#include "dump.h"
#include "iommu_hw.h"
#include "util/report.h"
#include "vfio/spapr_vfio.h"

static int opt_probe_windows;

static const struct poptOption options[] = {
	{ "probe-windows", '\0', POPT_ARG_NONE, &opt_probe_windows, 0,
	  "sPAPR TCE v2: create dynamic DMA windows until the kernel refuses, show where each starts, remove them", NULL },
	{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, tool_common_options, 0, NULL, NULL },
	CLI_HELP_OPTION,
	POPT_TABLEEND
};

static void print_ranges(const struct iova_range *r, size_t n)
{
	size_t i;

	printf("IOVA ranges%s\n", n ? "" : "   none reported");
	for (i = 0; i < n; i++)
		printf("  0x%016llx-0x%016llx\n", (unsigned long long)r[i].start, (unsigned long long)r[i].end);
}

static void print_type1(const struct vfio_type1_desc *t)
{
	char buf[256];

	if (t->flags & VFIO_IOMMU_INFO_PGSIZES)
		printf("page sizes    %s (0x%llx)\n", vfio_pgsizes_format(t->iova_pgsizes, buf, sizeof(buf)),
		       (unsigned long long)t->iova_pgsizes);
	if (t->has_ranges)
		print_ranges(t->ranges, t->n_ranges);
	else
		printf("IOVA ranges   not reported (kernel before 5.4)\n");
	if (t->has_dma_avail)
		printf("DMA mappings  %u available\n", t->dma_avail);
	if (t->has_migration)
		printf("migration     dirty page tracking: page sizes %s, bitmap up to %llu bytes\n",
		       vfio_pgsizes_format(t->migration_pgsize_bitmap, buf, sizeof(buf)),
		       (unsigned long long)t->max_dirty_bitmap_size);
	if (t->problem[0])
		printf("problem       %s\n", t->problem);
}

static void print_spapr(const struct spapr_dma_info *s)
{
	char buf[256];

	printf("32-bit window start 0x%llx size 0x%llx\n", (unsigned long long)s->win32.start,
	       (unsigned long long)s->win32.size);
	if (!s->ddw) {
		printf("DDW           not supported: only the 32-bit window\n");
		return;
	}
	printf("DDW           supported: page sizes %s, max windows %u, levels %u%s\n",
	       vfio_pgsizes_format(s->page_sizes, buf, sizeof(buf)), s->max_windows, s->levels,
	       s->ddw_implausible ? " (implausible: maps may fail)" : "");
}

/*
 * --probe-windows: what VFIO_IOMMU_SPAPR_TCE_CREATE gives on this host bridge.  The
 * windows are the smallest the kernel takes (256 MiB of the smallest page size offered),
 * created one after another until it refuses (ENOSPC once every window is in use; the
 * default 32-bit window is one), then removed.  The bus address of a 64-bit window is
 * the host's choice (QEMU: the host bridge's dma64_win_addr) and shows nowhere else.
 */
#define PROBE_MAX 8
#define PROBE_SIZE (UINT64_C(256) << 20)

struct window_probe {
	uint64_t start[PROBE_MAX];
	unsigned n, page_shift;
	int stop_errno;			/* why the next create failed; 0: PROBE_MAX reached */
	char stop[512];
};

static bool probe_windows(const struct vfio_dev *d, const struct vfio_iommu_view *v, struct window_probe *p)
{
	unsigned i;

	memset(p, 0, sizeof(*p));
	if (v->kind != VFIO_IOMMU_KIND_SPAPR || d->container.iommu_type != VFIO_SPAPR_TCE_v2_IOMMU) {
		vt_error(d->address, "--probe-windows", "only sPAPR TCE v2 (POWER) has dynamic DMA windows; this IOMMU is %s",
			 v->type_name);
		return false;
	}
	p->page_shift = v->spapr.page_sizes ? (unsigned)__builtin_ctzll(v->spapr.page_sizes) : 12;
	for (p->n = 0; p->n < PROBE_MAX; p->n++) {
		int r = spapr_vfio_create_window(&d->container, p->page_shift, PROBE_SIZE, 1, &p->start[p->n], p->stop,
						 sizeof(p->stop));
		if (r < 0) {
			p->stop_errno = -r;
			break;
		}
	}
	for (i = p->n; i-- > 0;)
		spapr_vfio_remove_window(&d->container, p->start[i]);
	return true;
}

static void print_probe(const struct window_probe *p)
{
	unsigned i;

	printf("DDW probe     %u created (%llu MiB, %uK pages)\n", p->n, (unsigned long long)(PROBE_SIZE >> 20),
	       (1u << p->page_shift) >> 10);
	for (i = 0; i < p->n; i++)
		printf("  window %u at 0x%llx\n", i + 1, (unsigned long long)p->start[i]);
	if (p->stop_errno)
		printf("  window %u refused: %s\n", p->n + 1, p->stop);
}

static void json_probe(struct json *j, const struct window_probe *p)
{
	unsigned i;

	json_object_begin(j, "window_probe");
	json_hex(j, "size", PROBE_SIZE);
	json_hex(j, "page_size", UINT64_C(1) << p->page_shift);
	json_array_begin(j, "windows");
	for (i = 0; i < p->n; i++) {
		json_object_begin(j, NULL);
		json_hex(j, "start", p->start[i]);
		json_object_end(j);
	}
	json_array_end(j);
	json_string(j, "refused_errno", p->stop_errno ? strerrorname_np(p->stop_errno) : NULL);
	json_string(j, "refused", p->stop_errno ? p->stop : NULL);
	json_object_end(j);
}

/* The group's reserved IOVA regions and what each one costs on this platform. */
static void print_reserved(const struct reserved_regions *rr, enum iommu_platform p)
{
	enum machine_arch a = machine_arch_of(p);
	char size[32];
	size_t i;

	if (!rr->n)
		printf("reserved      none\n");
	for (i = 0; i < rr->n; i++) {
		reserved_region_size(&rr->r[i], size, sizeof(size));
		printf("%s %s 0x%016llx-0x%016llx (%s): %s\n", i ? "             " : "reserved     ", rr->r[i].type,
		       (unsigned long long)rr->r[i].start, (unsigned long long)rr->r[i].end, size,
		       reserved_region_meaning(&rr->r[i], p, a));
	}
}

static void json_reserved(struct json *j, const struct reserved_regions *rr, enum iommu_platform p)
{
	enum machine_arch a = machine_arch_of(p);
	char size[32];
	size_t i;

	json_array_begin(j, "reserved_regions");
	for (i = 0; i < rr->n; i++) {
		reserved_region_size(&rr->r[i], size, sizeof(size));
		json_object_begin(j, NULL);
		json_string(j, "type", rr->r[i].type);
		json_hex(j, "start", rr->r[i].start);
		json_hex(j, "end", rr->r[i].end);
		json_string(j, "size", size);
		json_string(j, "meaning", reserved_region_meaning(&rr->r[i], p, a));
		json_object_end(j);
	}
	json_array_end(j);
}

static void print_text(const struct vfio_dev *d, const struct vfio_iommu_view *v)
{
	printf("device        %s\n", d->address);
	if (v->kind == VFIO_IOMMU_KIND_IOAS)
		printf("iommu         iommufd (IOAS %u, /dev/vfio/devices/%s)\n", d->iommufd.ioas, d->iommufd.cdev);
	else
		printf("iommu         %s (group %d)\n", v->type_name, d->group);
	switch (v->kind) {
	case VFIO_IOMMU_KIND_TYPE1:
		print_type1(&v->type1);
		break;
	case VFIO_IOMMU_KIND_SPAPR:
		print_spapr(&v->spapr);
		break;
	case VFIO_IOMMU_KIND_IOAS:
		print_ranges(v->ranges, v->n_ranges);
		printf("alignment     0x%llx\n", (unsigned long long)v->alignment);
		break;
	case VFIO_IOMMU_KIND_NONE:
		printf("isolation     NONE: no IOMMU translates this device's DMA; it reaches all host memory\n");
		break;
	}
}

/* Where the view has IOVA ranges (type1, iommufd), the group's reserved regions say why they have holes. */
static bool has_reserved(const struct vfio_iommu_view *v)
{
	return v->kind == VFIO_IOMMU_KIND_TYPE1 || v->kind == VFIO_IOMMU_KIND_IOAS;
}

static void json_ranges(struct json *j, const struct iova_range *r, size_t n)
{
	size_t i;

	json_array_begin(j, "iova_ranges");
	for (i = 0; i < n; i++) {
		json_object_begin(j, NULL);
		json_hex(j, "start", r[i].start);
		json_hex(j, "end", r[i].end);
		json_object_end(j);
	}
	json_array_end(j);
}

static void json_type1(struct json *j, const struct vfio_type1_desc *t)
{
	char buf[256];

	json_hex(j, "page_sizes", t->iova_pgsizes);
	json_string(j, "page_size_names", vfio_pgsizes_format(t->iova_pgsizes, buf, sizeof(buf)));
	if (t->has_ranges)
		json_ranges(j, t->ranges, t->n_ranges);
	else
		json_null(j, "iova_ranges");
	json_int_or_null(j, "dma_available", t->dma_avail, t->has_dma_avail);
	if (t->has_migration) {
		json_object_begin(j, "migration");
		json_uint(j, "flags", t->migration_flags);
		json_hex(j, "page_sizes", t->migration_pgsize_bitmap);
		json_uint(j, "max_dirty_bitmap_size", t->max_dirty_bitmap_size);
		json_object_end(j);
	} else
		json_null(j, "migration");
	json_string(j, "problem", t->problem[0] ? t->problem : NULL);
}

static void json_spapr(struct json *j, const struct spapr_dma_info *s)
{
	json_object_begin(j, "window32");
	json_hex(j, "start", s->win32.start);
	json_hex(j, "size", s->win32.size);
	json_object_end(j);
	json_bool(j, "ddw", s->ddw);
	if (s->ddw) {
		json_hex(j, "page_sizes", s->page_sizes);
		json_uint(j, "max_windows", s->max_windows);
		json_uint(j, "levels", s->levels);
		json_bool(j, "ddw_implausible", s->ddw_implausible);
	}
}

static void print_json(const struct vfio_dev *d, const struct vfio_iommu_view *v, const struct window_probe *p,
		       const struct reserved_regions *rr, enum iommu_platform platform, const struct dump_hw *hw)
{
	struct json j;

	dump_json_begin(&j, d);
	json_string(&j, "iommu_type", v->type_name);
	switch (v->kind) {
	case VFIO_IOMMU_KIND_TYPE1:
		json_type1(&j, &v->type1);
		break;
	case VFIO_IOMMU_KIND_SPAPR:
		json_spapr(&j, &v->spapr);
		break;
	case VFIO_IOMMU_KIND_IOAS:
		json_uint(&j, "ioas", d->iommufd.ioas);
		json_ranges(&j, v->ranges, v->n_ranges);
		json_hex(&j, "alignment", v->alignment);
		break;
	case VFIO_IOMMU_KIND_NONE:
		json_bool(&j, "isolation", false);
		break;
	}
	if (has_reserved(v))
		json_reserved(&j, rr, platform);
	if (p)
		json_probe(&j, p);
	dump_hw_json(&j, hw);
	dump_json_end(&j);
}

static bool show_iommu(const struct vfio_dev *d)
{
	enum iommu_platform platform = iommu_platform_detect();
	struct reserved_regions rr = { 0 };
	struct vfio_iommu_view view;
	struct window_probe probe;
	struct dump_hw hw;
	char why[256];
	bool ok = vfio_dev_iommu_view(d, &view, why, sizeof(why)) == 0;
	bool want_probe = opt_probe_windows;	/* a local: clang-analyzer sees the global change */

	if (!ok)
		vt_error(d->address, "cannot read the IOMMU's view", "%s", why);
	else if (want_probe && !probe_windows(d, &view, &probe))
		ok = false;
	else {
		ok = dump_hw_read(d, &view, &hw);	/* a failure still shows the rest */
		reserved_regions_read(d->group >= 0 ? d->group : vfio_group_of(d->address), &rr);
		if (tool_common.json)
			print_json(d, &view, want_probe ? &probe : NULL, &rr, platform, &hw);
		else {
			print_text(d, &view);
			if (has_reserved(&view))
				print_reserved(&rr, platform);
			if (want_probe)
				print_probe(&probe);
			dump_hw_print(&hw);
		}
	}
	reserved_regions_free(&rr);
	vfio_iommu_view_free(&view);
	return ok;
}

int cmd_iommu(int argc, const char **argv)
{
	return dump_device_command(argc, argv, options, NULL, show_iommu);
}
