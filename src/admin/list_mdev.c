/* vfio-admin list --mdev: the mediated devices, as a table or JSON. */
#include <stdio.h>

#include <libsmartcols.h>

#include "util/json.h"
#include "list_mdev.h"
#include "vfio/mdev.h"
#include "util/table.h"

enum { COL_UUID, COL_PARENT, COL_TYPE, COL_NAME, COL_API, COL_DRIVER, COL_GROUP, COL_CDEV };

static void print_table(const struct mdev_list *l)
{
	static const struct table_column cols[] = {
		[COL_UUID] = { "UUID", 36, 0 },
		[COL_PARENT] = { "PARENT", 12, 0 },
		[COL_TYPE] = { "TYPE", 10, 0 },
		[COL_NAME] = { "NAME", 0.2, SCOLS_FL_TRUNC },
		[COL_API] = { "API", 8, 0 },
		[COL_DRIVER] = { "DRIVER", 8, 0 },
		[COL_GROUP] = { "GROUP", 5, SCOLS_FL_RIGHT },
		[COL_CDEV] = { "CDEV", 6, 0 },
	};
	struct libscols_table *tb = table_new(cols, sizeof(cols) / sizeof(cols[0]));
	size_t i;

	for (i = 0; i < l->n; i++) {
		const struct mdev *m = &l->m[i];
		struct libscols_line *ln = table_line(tb, NULL);

		table_cell(ln, COL_UUID, "%s", m->uuid);
		table_cell(ln, COL_PARENT, "%s", m->parent[0] ? m->parent : "-");
		table_cell(ln, COL_TYPE, "%s", m->type[0] ? m->type : "-");
		table_cell(ln, COL_NAME, "%s", m->name[0] ? m->name : "-");
		table_cell(ln, COL_API, "%s", m->api[0] ? m->api : "-");
		table_cell(ln, COL_DRIVER, "%s", m->driver[0] ? m->driver : "-");
		if (m->group >= 0)
			table_cell(ln, COL_GROUP, "%d", m->group);
		else
			table_cell(ln, COL_GROUP, "-");
		table_cell(ln, COL_CDEV, "%s", m->cdev[0] ? m->cdev : "-");
	}
	table_print_free(tb, stdout);
}

static const char *or_null(const char *s)
{
	return s[0] ? s : NULL;
}

static void print_json(const struct mdev_list *l)
{
	struct json j;
	size_t i;

	json_document_begin(&j, stdout);
	json_array_begin(&j, "mdevs");
	for (i = 0; i < l->n; i++) {
		const struct mdev *m = &l->m[i];

		json_object_begin(&j, NULL);
		json_string(&j, "uuid", m->uuid);
		json_string(&j, "parent", or_null(m->parent));
		json_string(&j, "type", or_null(m->type));
		json_string(&j, "name", or_null(m->name));
		json_string(&j, "device_api", or_null(m->api));
		json_string(&j, "driver", or_null(m->driver));
		json_int_or_null(&j, "iommu_group", m->group, m->group >= 0);
		json_string(&j, "cdev", or_null(m->cdev));
		json_object_end(&j);
	}
	json_array_end(&j);
	json_document_end(&j);
}

int list_mdevs(bool json)
{
	struct mdev_list l;

	mdev_list_load(&l);
	if (json)
		print_json(&l);
	else
		print_table(&l);
	mdev_list_free(&l);
	return 0;
}
