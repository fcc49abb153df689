/* vfio-admin groups: each IOMMU group, its members and the kernel's viability verdict. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <libsmartcols.h>

#include "tool/cli.h"
#include "commands.h"
#include "pci/device_filter.h"
#include "filter_options.h"
#include "metrics.h"
#include "output_options.h"
#include "iommu/iommu_group.h"
#include "util/json.h"
#include "pci/pci_device.h"
#include "util/report.h"
#include "util/table.h"

/* A group is shown when one of its PCI members passes the filter. */
static bool group_selected(const struct iommu_group *g, const struct device_filter *f)
{
	size_t i;

	if (f->group >= 0 && g->id != f->group)
		return false;
	if (!device_filter_selects_devices(f))
		return true;
	for (i = 0; i < g->n_members; i++)
		if (g->member[i].pci && device_filter_match(f, g->member[i].pci))
			return true;
	return false;
}

static void json_member(struct json *j, const struct iommu_group_member *m)
{
	char hex[8];

	json_object_begin(j, NULL);
	json_string(j, "address", m->name);
	json_string(j, "driver", m->driver);
	json_string(j, "class", m->pci ? m->pci->class_name : NULL);
	if (m->pci) {
		snprintf(hex, sizeof(hex), "%04x", pci_device_class16(m->pci));
		json_string(j, "class_id", hex);
		snprintf(hex, sizeof(hex), "%04x", m->pci->vendor_id);
		json_string(j, "vendor_id", hex);
		snprintf(hex, sizeof(hex), "%04x", m->pci->device_id);
		json_string(j, "device_id", hex);
	} else {
		json_null(j, "class_id");
		json_null(j, "vendor_id");
		json_null(j, "device_id");
	}
	json_bool(j, "blocks", m->blocks);
	json_object_end(j);
}

static void json_group(struct json *j, const struct iommu_group *g)
{
	size_t i;

	json_object_begin(j, NULL);
	json_int(j, "group", g->id);
	json_string(j, "type", g->type[0] ? g->type : NULL);
	json_bool(j, "viable", iommu_group_viable(g));
	json_array_begin(j, "blockers");
	for (i = 0; i < g->n_members; i++)
		if (g->member[i].blocks)
			json_string(j, NULL, g->member[i].name);
	json_array_end(j);
	json_array_begin(j, "members");
	for (i = 0; i < g->n_members; i++)
		json_member(j, &g->member[i]);
	json_array_end(j);
	json_object_end(j);
}

static void print_json(const struct iommu_group_list *groups, const struct device_filter *f, FILE *out)
{
	struct json j;
	size_t i;

	json_document_begin(&j, out);
	json_array_begin(&j, "groups");
	for (i = 0; i < groups->n; i++)
		if (group_selected(&groups->group[i], f))
			json_group(&j, &groups->group[i]);
	json_array_end(&j);
	json_document_end(&j);
}

static void print_metrics(const struct iommu_group_list *groups, const struct device_filter *f, FILE *out)
{
	bool *selected = vt_xcalloc(groups->n ? groups->n : 1, sizeof(*selected));
	size_t i;

	for (i = 0; i < groups->n; i++)
		selected[i] = group_selected(&groups->group[i], f);
	group_metrics_write(out, groups, selected, time(NULL));
	free(selected);
}

enum { COL_GROUP, COL_TYPE, COL_VIABLE, COL_ADDRESS, COL_DRIVER, COL_CLASS, COL_DEVICE, COL_BLOCKS };

static void add_member_row(struct libscols_table *tb, const struct iommu_group *g, size_t i)
{
	const struct iommu_group_member *m = &g->member[i];
	struct libscols_line *ln = table_line(tb, NULL);
	char buf[512];

	if (i == 0) {
		snprintf(buf, sizeof(buf), "%d", g->id);
		table_cell(ln, COL_GROUP, "%s", buf);
		table_cell(ln, COL_TYPE, "%s", g->type[0] ? g->type : "-");
		table_cell(ln, COL_VIABLE, "%s", iommu_group_viable(g) ? "yes" : "no");
	}
	table_cell(ln, COL_ADDRESS, "%s", m->name);
	table_cell(ln, COL_DRIVER, "%s", m->driver ? m->driver : "-");
	table_cell(ln, COL_CLASS, "%s", m->pci ? m->pci->class_name : "-");
	if (m->pci) {
		pci_device_describe(m->pci, buf, sizeof(buf));
		table_cell(ln, COL_DEVICE, "%s", buf);
	}
	if (m->blocks) {
		snprintf(buf, sizeof(buf), "bound to %s", m->driver);
		table_cell(ln, COL_BLOCKS, "%s", buf);
	}
}

static void print_table(const struct iommu_group_list *groups, const struct device_filter *f, FILE *out)
{
	static const struct table_column cols[] = {
		[COL_GROUP] = { "GROUP", 5, SCOLS_FL_RIGHT },
		[COL_TYPE] = { "TYPE", 6, 0 },
		[COL_VIABLE] = { "VIABLE", 6, 0 },
		[COL_ADDRESS] = { "ADDRESS", 12, 0 },
		[COL_DRIVER] = { "DRIVER", 8, 0 },
		[COL_CLASS] = { "CLASS", 0.2, SCOLS_FL_TRUNC },
		[COL_DEVICE] = { "DEVICE", 0.3, SCOLS_FL_TRUNC },
		[COL_BLOCKS] = { "BLOCKS", 0.2, 0 },
	};
	struct libscols_table *tb = table_new(cols, sizeof(cols) / sizeof(cols[0]));
	size_t i, m;

	for (i = 0; i < groups->n; i++)
		if (group_selected(&groups->group[i], f))
			for (m = 0; m < groups->group[i].n_members; m++)
				add_member_row(tb, &groups->group[i], m);
	table_print_free(tb, out);
}

int cmd_groups(int argc, const char **argv)
{
	struct device_filter filter;
	struct pci_device_list devices;
	struct iommu_group_list groups;
	struct output_options oo = { 0 };
	struct output out;
	enum output_format format;
	int rc = 2;
	const struct poptOption table[] = {
		{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, filter_options, 0,
		  "Show only groups with a member that matches (filters combine with AND):", NULL },
		{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, sysroot_options, 0, "Elsewhere:", NULL },
		OUTPUT_OPTIONS(&oo),
		CLI_HELP_OPTION,
		POPT_TABLEEND
	};

	device_filter_init(&filter);
	if (!filter_load_devices(argc, argv, table, &filter, &devices))
		goto out_filter;
	if (!output_format_parse(&oo, &format)) {
		pci_device_list_free(&devices);
		goto out_filter;
	}
	iommu_group_list_load(&groups, &devices);
	if (groups.n == 0)
		iommu_note_disabled();
	if (output_open(&out, &oo)) {
		if (format == OUTPUT_JSON)
			print_json(&groups, &filter, out.f);
		else if (format == OUTPUT_PROMETHEUS)
			print_metrics(&groups, &filter, out.f);
		else
			print_table(&groups, &filter, out.f);
		rc = output_close(&out) ? 0 : 2;
	}
	iommu_group_list_free(&groups);
	pci_device_list_free(&devices);
out_filter:
	output_options_free(&oo);
	device_filter_free(&filter);
	return rc;
}
