/* vfio-dump regions (bars): every region index with its size, offset, flags and caps. */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

#include <libsmartcols.h>

#include "tool/cli.h"
#include "pci/pci_config.h"
#include "dump.h"
#include "util/report.h"
#include "util/table.h"

static const struct poptOption options[] = {
	{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, tool_common_options, 0, NULL, NULL },
	CLI_HELP_OPTION,
	POPT_TABLEEND
};

/* Where the MSI-X capability puts its table and PBA (VFIO traps accesses to them). */
struct msix_layout {
	bool present;
	unsigned entries, table_bar, pba_bar;
	uint32_t table_offset, pba_offset;
};

struct region_set {
	size_t n;
	struct vfio_region_desc *r;
	struct msix_layout msix;
};

static void load_msix(const struct vfio_dev *d, struct msix_layout *m)
{
	static struct pci_config cfg;
	unsigned cap;
	uint32_t table, pba;

	m->present = false;
	if (!vfio_dev_read_config(d, &cfg) || !(cap = pci_config_find_cap(&cfg, 0x11)) || cap + 12 > cfg.len)
		return;
	table = pci_config_u32(&cfg, cap + 4);
	pba = pci_config_u32(&cfg, cap + 8);
	m->present = true;
	m->entries = (pci_config_u16(&cfg, cap + 2) & 0x7ff) + 1;
	m->table_bar = table & 7;
	m->table_offset = table & ~7u;
	m->pba_bar = pba & 7;
	m->pba_offset = pba & ~7u;
}

static size_t msix_table_size(const struct msix_layout *m)
{
	return (size_t)m->entries * 16;
}

static size_t msix_pba_size(const struct msix_layout *m)
{
	return (m->entries + 63) / 64 * 8;
}

static bool load_regions(const struct vfio_dev *d, struct region_set *set)
{
	struct vfio_device_desc info;
	char why[256];
	uint32_t i;

	set->n = 0;
	set->r = NULL;
	if (vfio_device_info_get(d->device, &info, why, sizeof(why)) < 0) {
		vt_error(d->address, "VFIO_DEVICE_GET_INFO failed", "%s", why);
		return false;
	}
	set->r = vt_xcalloc(info.num_regions ? info.num_regions : 1, sizeof(*set->r));
	for (i = 0; i < info.num_regions; i++, set->n++)
		if (vfio_region_info_get(d->device, i, &set->r[i], why, sizeof(why)) < 0) {
			vt_error(d->address, "VFIO_DEVICE_GET_REGION_INFO failed", "region %u: %s", i, why);
			return false;
		}
	load_msix(d, &set->msix);
	return true;
}

static void free_regions(struct region_set *set)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		vfio_region_desc_free(&set->r[i]);
	free(set->r);
}

/* "sparse mmap 0x0+0x1000 0x3000+0xd000; type ...; MSI-X mappable; MSI-X table 0x0+0x50" */
static void caps_text(const struct vfio_region_desc *r, const struct msix_layout *m, char *buf, size_t len)
{
	size_t used = 0, i;
	char type[128];

#define PUT(...) do { if (used < len) used += (size_t)snprintf(buf + used, len - used, __VA_ARGS__); } while (0)
	buf[0] = '\0';
	if (r->sparse) {
		PUT("sparse mmap");
		for (i = 0; i < r->n_areas; i++)
			PUT(" 0x%llx+0x%llx", (unsigned long long)r->areas[i].offset,
			    (unsigned long long)r->areas[i].size);
		if (!r->n_areas)
			PUT(" (no area: nothing mmappable)");
	}
	if (r->has_type)
		PUT("%stype %s", used ? "; " : "", vfio_region_type_format(r->type, r->subtype, type, sizeof(type)));
	if (r->msix_mappable)
		PUT("%sMSI-X mappable", used ? "; " : "");
	if (m->present && m->table_bar == r->index)
		PUT("%sMSI-X table 0x%x+0x%zx", used ? "; " : "", m->table_offset, msix_table_size(m));
	if (m->present && m->pba_bar == r->index)
		PUT("%sMSI-X PBA 0x%x+0x%zx", used ? "; " : "", m->pba_offset, msix_pba_size(m));
	if (r->problem[0])
		PUT("%sproblem: %s", used ? "; " : "", r->problem);
#undef PUT
}

enum { COL_INDEX, COL_NAME, COL_SIZE, COL_OFFSET, COL_FLAGS, COL_CAPS };

static void print_table(const struct region_set *set)
{
	static const struct table_column cols[] = {
		[COL_INDEX] = { "INDEX", 5, SCOLS_FL_RIGHT },
		[COL_NAME] = { "NAME", 6, 0 },
		[COL_SIZE] = { "SIZE", 10, SCOLS_FL_RIGHT },
		[COL_OFFSET] = { "OFFSET", 14, SCOLS_FL_RIGHT },
		[COL_FLAGS] = { "FLAGS", 10, 0 },
		[COL_CAPS] = { "CAPS", 0.5, 0 },
	};
	struct libscols_table *tb = table_new(cols, sizeof(cols) / sizeof(cols[0]));
	char name[32], buf[1024];
	size_t i;

	for (i = 0; i < set->n; i++) {
		const struct vfio_region_desc *r = &set->r[i];
		struct libscols_line *ln = table_line(tb, NULL);

		table_cell(ln, COL_INDEX, "%u", r->index);
		table_cell(ln, COL_NAME, "%s", vfio_pci_region_name(r->index, name, sizeof(name)));
		if (r->err) {
			table_cell(ln, COL_SIZE, "-");
			table_cell(ln, COL_OFFSET, "-");
			table_cell(ln, COL_FLAGS, "-");
			table_cell(ln, COL_CAPS, "not available (%s)", strerror(r->err));
			continue;
		}
		table_cell(ln, COL_SIZE, "0x%llx", (unsigned long long)r->size);
		table_cell(ln, COL_OFFSET, "0x%llx", (unsigned long long)r->offset);
		table_cell(ln, COL_FLAGS, "%s", r->size ? vfio_region_flags_format(r->flags, buf, sizeof(buf)) : "-");
		caps_text(r, &set->msix, buf, sizeof(buf));
		table_cell(ln, COL_CAPS, "%s", buf);
	}
	table_print_free(tb, stdout);
}

static void json_msix(struct json *j, const struct vfio_region_desc *r, const struct msix_layout *m)
{
	bool table = m->present && m->table_bar == r->index, pba = m->present && m->pba_bar == r->index;

	if (!table && !pba) {
		json_null(j, "msix");
		return;
	}
	json_object_begin(j, "msix");
	json_uint(j, "entries", m->entries);
	if (table) {
		json_uint(j, "table_offset", m->table_offset);
		json_uint(j, "table_size", msix_table_size(m));
	}
	if (pba) {
		json_uint(j, "pba_offset", m->pba_offset);
		json_uint(j, "pba_size", msix_pba_size(m));
	}
	json_object_end(j);
}

static void json_region(struct json *j, const struct vfio_region_desc *r, const struct msix_layout *m)
{
	char buf[256];
	size_t i;

	json_object_begin(j, NULL);
	json_uint(j, "index", r->index);
	json_string(j, "name", vfio_pci_region_name(r->index, buf, sizeof(buf)));
	json_bool(j, "available", r->err == 0);
	if (r->err) {
		json_string(j, "error", strerror(r->err));
		json_object_end(j);
		return;
	}
	json_uint(j, "size", r->size);
	json_hex(j, "offset", r->offset);
	json_uint(j, "flags", r->flags);
	json_string(j, "flag_names", vfio_region_flags_format(r->flags, buf, sizeof(buf)));
	if (r->sparse) {
		json_array_begin(j, "sparse_mmap");
		for (i = 0; i < r->n_areas; i++) {
			json_object_begin(j, NULL);
			json_uint(j, "offset", r->areas[i].offset);
			json_uint(j, "size", r->areas[i].size);
			json_object_end(j);
		}
		json_array_end(j);
	} else
		json_null(j, "sparse_mmap");
	if (r->has_type) {
		json_object_begin(j, "type");
		json_uint(j, "type", r->type);
		json_uint(j, "subtype", r->subtype);
		json_string(j, "name", vfio_region_type_format(r->type, r->subtype, buf, sizeof(buf)));
		json_object_end(j);
	} else
		json_null(j, "type");
	json_bool(j, "msix_mappable", r->msix_mappable);
	json_msix(j, r, m);
	json_string(j, "problem", r->problem[0] ? r->problem : NULL);
	json_object_end(j);
}

static void print_json(const struct vfio_dev *d, const struct region_set *set)
{
	struct json j;
	size_t i;

	dump_json_begin(&j, d);
	json_array_begin(&j, "regions");
	for (i = 0; i < set->n; i++)
		json_region(&j, &set->r[i], &set->msix);
	json_array_end(&j);
	dump_json_end(&j);
}

static bool show_regions(const struct vfio_dev *d)
{
	struct region_set set = { 0 };
	bool ok = load_regions(d, &set);

	if (ok && tool_common.json)
		print_json(d, &set);
	else if (ok)
		print_table(&set);
	free_regions(&set);
	return ok;
}

int cmd_regions(int argc, const char **argv)
{
	return dump_device_command(argc, argv, options, NULL, show_regions);
}
