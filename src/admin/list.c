/* vfio-admin list: one row per PCI device, as a table, a topology tree or JSON. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <libsmartcols.h>

#include "tool/cli.h"
#include "commands.h"
#include "pci/device_filter.h"
#include "filter_options.h"
#include "iommu/iommu_group.h"
#include "util/json.h"
#include "list_mdev.h"
#include "pci/pci_device.h"
#include "util/report.h"
#include "util/table.h"
#include "binding/vfio_variant.h"

struct list_view {
	const struct pci_device_list *devices;
	bool *shown;		/* per device: matched, or an ancestor of a match in a tree */
	long *first_child;	/* per device, -1 none */
	long *next_sibling;	/* per device, -1 none */
	struct vfio_variants variants;	/* for the VFIO driver each device would get */
};

enum { COL_ADDRESS, COL_CLASS, COL_DEVICE, COL_IDS, COL_DRIVER, COL_GROUP, COL_VFIO, COL_VFIO_DRIVER, COL_NUMA };

static void build_view(struct list_view *v, const struct pci_device_list *devices,
		       const struct device_filter *filter, bool tree)
{
	long i, p;

	v->devices = devices;
	v->shown = vt_xcalloc(devices->n, sizeof(*v->shown));
	v->first_child = vt_xmalloc(devices->n * sizeof(long) + 1);
	v->next_sibling = vt_xmalloc(devices->n * sizeof(long) + 1);
	vfio_variants_load(&v->variants);
	for (i = 0; i < (long)devices->n; i++) {
		v->first_child[i] = v->next_sibling[i] = -1;
		if (!device_filter_match(filter, &devices->dev[i]))
			continue;
		v->shown[i] = true;
		for (p = devices->dev[i].parent; tree && p >= 0 && !v->shown[p]; p = devices->dev[p].parent)
			v->shown[p] = true;
	}
	/* Children in address order: link in reverse so each list ends up ascending. */
	for (i = (long)devices->n - 1; i >= 0; i--) {
		p = devices->dev[i].parent;
		if (p >= 0) {
			v->next_sibling[i] = v->first_child[p];
			v->first_child[p] = i;
		}
	}
}

static void free_view(struct list_view *v)
{
	free(v->shown);
	free(v->first_child);
	free(v->next_sibling);
	vfio_variants_free(&v->variants);
}

/* The driver bind would give it (a variant, else vfio-pci); NULL for bridges, which VFIO refuses. */
static const char *vfio_driver_of(const struct list_view *v, const struct pci_device *d, struct vfio_choice *c)
{
	if (pci_device_is_bridge(d))
		return NULL;
	vfio_variant_for(&v->variants, d->address, c);
	return c->driver;
}

/* A root in the tree: no parent, or a parent that is not shown. */
static bool is_root(const struct list_view *v, long i)
{
	long p = v->devices->dev[i].parent;

	return p < 0 || !v->shown[p];
}

static void json_device(struct json *j, const struct list_view *v, long i, bool tree)
{
	const struct pci_device *d = &v->devices->dev[i];
	struct vfio_choice choice;
	char hex[8];
	long c;

	json_object_begin(j, NULL);
	json_string(j, "address", d->address);
	json_string(j, "class", d->class_name);
	snprintf(hex, sizeof(hex), "%04x", pci_device_class16(d));
	json_string(j, "class_id", hex);
	snprintf(hex, sizeof(hex), "%02x", d->class24 & 0xff);
	json_string(j, "prog_if", hex);
	json_string(j, "vendor", d->vendor_name);
	json_string(j, "device", d->device_name);
	snprintf(hex, sizeof(hex), "%04x", d->vendor_id);
	json_string(j, "vendor_id", hex);
	snprintf(hex, sizeof(hex), "%04x", d->device_id);
	json_string(j, "device_id", hex);
	json_string(j, "driver", d->driver);
	json_int_or_null(j, "iommu_group", d->iommu_group, d->iommu_group >= 0);
	json_bool(j, "vfio", pci_driver_is_vfio(d->driver));
	json_string(j, "vfio_driver", vfio_driver_of(v, d, &choice));
	json_int_or_null(j, "numa_node", d->numa_node, d->numa_node >= 0);
	json_string(j, "parent", d->parent >= 0 ? v->devices->dev[d->parent].address : NULL);
	if (tree) {
		json_array_begin(j, "children");
		for (c = v->first_child[i]; c >= 0; c = v->next_sibling[c])
			if (v->shown[c])
				json_device(j, v, c, tree);
		json_array_end(j);
	}
	json_object_end(j);
}

static void print_json(const struct list_view *v, bool tree)
{
	struct json j;
	long i;

	json_document_begin(&j, stdout);
	json_array_begin(&j, "devices");
	for (i = 0; i < (long)v->devices->n; i++)
		if (v->shown[i] && (!tree || is_root(v, i)))
			json_device(&j, v, i, tree);
	json_array_end(&j);
	json_document_end(&j);
}

static void fill_row(struct libscols_line *ln, const struct list_view *v, const struct pci_device *d)
{
	struct vfio_choice choice;
	const char *vfio_driver = vfio_driver_of(v, d, &choice);
	char name[512];

	table_cell(ln, COL_ADDRESS, "%s", d->address);
	table_cell(ln, COL_CLASS, "%s", d->class_name);
	pci_device_describe(d, name, sizeof(name));
	table_cell(ln, COL_DEVICE, "%s", name);
	table_cell(ln, COL_IDS, "%04x:%04x", d->vendor_id, d->device_id);
	table_cell(ln, COL_DRIVER, "%s", d->driver ? d->driver : "-");
	if (d->iommu_group >= 0)
		table_cell(ln, COL_GROUP, "%d", d->iommu_group);
	else
		table_cell(ln, COL_GROUP, "-");
	table_cell(ln, COL_VFIO, "%s", pci_driver_is_vfio(d->driver) ? "yes" : "no");
	table_cell(ln, COL_VFIO_DRIVER, "%s", vfio_driver ? vfio_driver : "-");
	if (d->numa_node >= 0)
		table_cell(ln, COL_NUMA, "%d", d->numa_node);
	else
		table_cell(ln, COL_NUMA, "-");
}

static void add_rows(struct libscols_table *tb, const struct list_view *v, long i,
		     struct libscols_line *parent, bool tree)
{
	struct libscols_line *ln = table_line(tb, parent);
	long c;

	fill_row(ln, v, &v->devices->dev[i]);
	if (tree)
		for (c = v->first_child[i]; c >= 0; c = v->next_sibling[c])
			if (v->shown[c])
				add_rows(tb, v, c, ln, tree);
}

static int print_table(const struct list_view *v, bool tree)
{
	struct table_column cols[] = {
		[COL_ADDRESS] = { "ADDRESS", 12, 0 },
		[COL_CLASS] = { "CLASS", 0.2, SCOLS_FL_TRUNC },
		[COL_DEVICE] = { "DEVICE", 0.4, SCOLS_FL_TRUNC },
		[COL_IDS] = { "IDS", 9, 0 },
		[COL_DRIVER] = { "DRIVER", 8, 0 },
		[COL_GROUP] = { "GROUP", 5, SCOLS_FL_RIGHT },
		[COL_VFIO] = { "VFIO", 4, 0 },
		[COL_VFIO_DRIVER] = { "VFIO_DRIVER", 8, 0 },
		[COL_NUMA] = { "NUMA", 4, SCOLS_FL_RIGHT },
	};
	struct libscols_table *tb;
	long i;

	if (tree)
		cols[COL_ADDRESS].flags |= SCOLS_FL_TREE;
	tb = table_new(cols, sizeof(cols) / sizeof(cols[0]));
	for (i = 0; i < (long)v->devices->n; i++)
		if (v->shown[i] && (!tree || is_root(v, i)))
			add_rows(tb, v, i, NULL, tree);
	table_print_free(tb, stdout);
	return 0;
}

int cmd_list(int argc, const char **argv)
{
	struct device_filter filter;
	struct pci_device_list devices;
	struct list_view view;
	int json = 0, tree = 0, mdev = 0, rc = 2;
	const struct poptOption table[] = {
		{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, filter_options, 0, "Filters (combined with AND):", NULL },
		{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, sysroot_options, 0, "Elsewhere:", NULL },
		{ "json", 'J', POPT_ARG_NONE, &json, 0, "JSON output (keys in vfio-tools(7))", NULL },
		{ "tree", 't', POPT_ARG_NONE, &tree, 0, "Show the PCI topology as a tree", NULL },
		{ "mdev", 'm', POPT_ARG_NONE, &mdev, 0, "List the mediated devices (vfio-dump takes their UUIDs)", NULL },
		CLI_HELP_OPTION,
		POPT_TABLEEND
	};

	device_filter_init(&filter);
	if (!filter_parse_command_line(cli_command_path(), argc, argv, table, &filter))
		goto out_filter;
	/* Mediated devices need no PCI enumeration (which reads every config space). */
	if (mdev) {
		if (tree || device_filter_selects_devices(&filter) || filter.group >= 0)
			vt_error("--mdev", "takes no filter and no --tree", "it lists every mediated device");
		else
			rc = list_mdevs(json);
		goto out_filter;
	}
	if (!pci_device_list_load(&devices))
		goto out_filter;
	if (!filter_check_devices(&filter, &devices))
		goto out_devices;
	if (!iommu_groups_exist())
		iommu_note_disabled();
	build_view(&view, &devices, &filter, tree);
	if (json)
		print_json(&view, tree);
	else
		print_table(&view, tree);
	free_view(&view);
	rc = 0;
out_devices:
	pci_device_list_free(&devices);
out_filter:
	device_filter_free(&filter);
	return rc;
}
