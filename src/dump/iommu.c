/* vfio-dump iommu: what the IOMMU lets this device's user map (type1, sPAPR TCE, iommufd). */
#include <stdio.h>
#include <linux/vfio.h>

#include "cli.h"
#include "dump.h"
#include "report.h"

static const struct poptOption options[] = {
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
	}
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

static void print_json(const struct vfio_dev *d, const struct vfio_iommu_view *v)
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
	}
	dump_json_end(&j);
}

static bool show_iommu(const struct vfio_dev *d)
{
	struct vfio_iommu_view view;
	char why[256];
	bool ok = vfio_dev_iommu_view(d, &view, why, sizeof(why)) == 0;

	if (!ok)
		vt_error(d->address, "cannot read the IOMMU's view", "%s", why);
	else if (tool_common.json)
		print_json(d, &view);
	else
		print_text(d, &view);
	vfio_iommu_view_free(&view);
	return ok;
}

int cmd_iommu(int argc, const char **argv)
{
	return dump_device_command(argc, argv, options, NULL, show_iommu);
}
