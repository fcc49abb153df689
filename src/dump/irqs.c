/* vfio-dump irqs: every interrupt index with its count and flags. */
#include <stdio.h>
#include <string.h>

#include <libsmartcols.h>

#include "tool/cli.h"
#include "dump.h"
#include "util/report.h"
#include "util/table.h"

static const struct poptOption options[] = {
	{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, tool_common_options, 0, NULL, NULL },
	CLI_HELP_OPTION,
	POPT_TABLEEND
};

#define MAX_IRQ_INDEXES 64

struct irq_set {
	uint32_t n;
	struct vfio_irq_desc irq[MAX_IRQ_INDEXES];
};

static bool load_irqs(const struct vfio_dev *d, struct irq_set *set)
{
	struct vfio_device_desc info;
	char why[256];
	uint32_t i;

	if (vfio_device_info_get(d->device, &info, why, sizeof(why)) < 0) {
		vt_error(d->address, "VFIO_DEVICE_GET_INFO failed", "%s", why);
		return false;
	}
	set->n = info.num_irqs < MAX_IRQ_INDEXES ? info.num_irqs : MAX_IRQ_INDEXES;
	for (i = 0; i < set->n; i++)
		if (vfio_irq_info_get(d->device, i, &set->irq[i], why, sizeof(why)) < 0) {
			vt_error(d->address, "VFIO_DEVICE_GET_IRQ_INFO failed", "index %u: %s", i, why);
			return false;
		}
	return true;
}

enum { COL_INDEX, COL_NAME, COL_COUNT, COL_FLAGS };

static void print_table(const struct irq_set *set)
{
	static const struct table_column cols[] = {
		[COL_INDEX] = { "INDEX", 5, SCOLS_FL_RIGHT },
		[COL_NAME] = { "NAME", 5, 0 },
		[COL_COUNT] = { "COUNT", 5, SCOLS_FL_RIGHT },
		[COL_FLAGS] = { "FLAGS", 0.5, 0 },
	};
	struct libscols_table *tb = table_new(cols, sizeof(cols) / sizeof(cols[0]));
	char buf[128];
	uint32_t i;

	for (i = 0; i < set->n; i++) {
		const struct vfio_irq_desc *q = &set->irq[i];
		struct libscols_line *ln = table_line(tb, NULL);

		table_cell(ln, COL_INDEX, "%u", q->index);
		table_cell(ln, COL_NAME, "%s", vfio_pci_irq_name(q->index, buf, sizeof(buf)));
		if (q->err) {
			table_cell(ln, COL_COUNT, "-");
			table_cell(ln, COL_FLAGS, "not available (%s)", strerror(q->err));
			continue;
		}
		table_cell(ln, COL_COUNT, "%u", q->count);
		table_cell(ln, COL_FLAGS, "%s", vfio_irq_flags_format(q->flags, buf, sizeof(buf)));
	}
	table_print_free(tb, stdout);
}

static void print_json(const struct vfio_dev *d, const struct irq_set *set)
{
	struct json j;
	char buf[128];
	uint32_t i;

	dump_json_begin(&j, d);
	json_array_begin(&j, "irqs");
	for (i = 0; i < set->n; i++) {
		const struct vfio_irq_desc *q = &set->irq[i];

		json_object_begin(&j, NULL);
		json_uint(&j, "index", q->index);
		json_string(&j, "name", vfio_pci_irq_name(q->index, buf, sizeof(buf)));
		json_bool(&j, "available", q->err == 0);
		if (q->err)
			json_string(&j, "error", strerror(q->err));
		else {
			json_uint(&j, "count", q->count);
			json_uint(&j, "flags", q->flags);
			json_string(&j, "flag_names", vfio_irq_flags_format(q->flags, buf, sizeof(buf)));
		}
		json_object_end(&j);
	}
	json_array_end(&j);
	dump_json_end(&j);
}

static bool show_irqs(const struct vfio_dev *d)
{
	static struct irq_set set;

	if (!load_irqs(d, &set))
		return false;
	if (tool_common.json)
		print_json(d, &set);
	else
		print_table(&set);
	return true;
}

int cmd_irqs(int argc, const char **argv)
{
	return dump_device_command(argc, argv, options, NULL, show_irqs);
}
