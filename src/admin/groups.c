/* vfio-admin groups: each IOMMU group, its members and the kernel's viability verdict. */
#include <stdio.h>
#include <stdlib.h>

#include <libsmartcols.h>

#include "tool/cli.h"
#include "commands.h"
#include "pci/device_filter.h"
#include "filter_options.h"
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

static void print_json(const struct iommu_group_list *groups, const struct device_filter *f)
{
	struct json j;
	size_t i;

	json_document_begin(&j, stdout);
	json_array_begin(&j, "groups");
	for (i = 0; i < groups->n; i++)
		if (group_selected(&groups->group[i], f))
			json_group(&j, &groups->group[i]);
	json_array_end(&j);
	json_document_end(&j);
}

enum { COL_GROUP, COL_TYPE, COL_VIABLE, COL_ADDRESS, COL_DRIVER, COL_CLASS, COL_DEVICE, COL_BLOCKS };

static void add_member_row(struct libscols_table *tb, const struct iommu_group *g, size_t i)
{
	const struct iommu_group_member *m = &g->member[i];
	struct libscols_line *ln = scols_table_new_line(tb, NULL);
	char buf[512];

	if (!ln)
		return;
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

static void print_table(const struct iommu_group_list *groups, const struct device_filter *f)
{
	static const struct { const char *name; double width; int flags; } cols[] = {
		[COL_GROUP] = { "GROUP", 5, SCOLS_FL_RIGHT },
		[COL_TYPE] = { "TYPE", 6, 0 },
		[COL_VIABLE] = { "VIABLE", 6, 0 },
		[COL_ADDRESS] = { "ADDRESS", 12, 0 },
		[COL_DRIVER] = { "DRIVER", 8, 0 },
		[COL_CLASS] = { "CLASS", 0.2, SCOLS_FL_TRUNC },
		[COL_DEVICE] = { "DEVICE", 0.3, SCOLS_FL_TRUNC },
		[COL_BLOCKS] = { "BLOCKS", 0.2, 0 },
	};
	struct libscols_table *tb = scols_new_table();
	size_t c, i, m;

	if (!tb)
		return;
	for (c = 0; c < sizeof(cols) / sizeof(cols[0]); c++)
		scols_table_new_column(tb, cols[c].name, cols[c].width, cols[c].flags);
	for (i = 0; i < groups->n; i++)
		if (group_selected(&groups->group[i], f))
			for (m = 0; m < groups->group[i].n_members; m++)
				add_member_row(tb, &groups->group[i], m);
	scols_print_table(tb);
	scols_unref_table(tb);
}

int cmd_groups(int argc, const char **argv)
{
	struct device_filter filter;
	struct pci_device_list devices;
	struct iommu_group_list groups;
	int json = 0, rc = 2;
	const struct poptOption table[] = {
		{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, filter_options, 0,
		  "Show only groups with a member that matches (filters combine with AND):", NULL },
		{ "json", 'J', POPT_ARG_NONE, &json, 0, "JSON output (keys in vfio-tools(7))", NULL },
		CLI_HELP_OPTION,
		POPT_TABLEEND
	};

	device_filter_init(&filter);
	if (!filter_load_devices(argc, argv, table, &filter, &devices))
		goto out_filter;
	iommu_group_list_load(&groups, &devices);
	if (groups.n == 0)
		iommu_note_disabled();
	if (json)
		print_json(&groups, &filter);
	else
		print_table(&groups, &filter);
	rc = 0;
	iommu_group_list_free(&groups);
	pci_device_list_free(&devices);
out_filter:
	device_filter_free(&filter);
	return rc;
}
