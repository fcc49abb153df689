#include "dump.h"

void dump_json_begin(struct json *j, const struct vfio_dev *d)
{
	json_init(j, stdout);
	json_object_begin(j, NULL);
	json_string(j, "device", d->address);
	json_string(j, "backend", d->ops->name);
	json_int(j, "group", d->group);
}

void dump_json_end(struct json *j)
{
	json_object_end(j);
	json_finish(j);
}
