#include "dump.h"

int dump_device_command(int argc, const char **argv, const struct poptOption *table,
			bool (*on_option)(int val, const char *arg), bool (*show)(const struct vfio_dev *d))
{
	struct tool_args args;
	struct vfio_dev d;
	int rc = 2;

	if (!tool_parse(argc, argv, table, "[OPTIONS] DEVICE", 1, 1, on_option, &args))
		return 2;
	if (vfio_open_device(args.arg[0], tool_common.backend, &d)) {
		rc = show(&d) ? 0 : 2;
		vfio_dev_close(&d);
	}
	tool_args_free(&args);
	return rc;
}

void dump_json_begin(struct json *j, const struct vfio_dev *d)
{
	json_document_begin(j, stdout);
	json_string(j, "device", d->address);
	json_string(j, "backend", d->ops->name);
	json_int(j, "group", d->group);
}

void dump_json_end(struct json *j)
{
	json_document_end(j);
}
