/* vfio-dump: the commands and what they share. */
#ifndef VFIO_DUMP_DUMP_H
#define VFIO_DUMP_DUMP_H

#include "json.h"
#include "tool_options.h"
#include "vfio_backend.h"
#include "vfio_open.h"

int cmd_info(int argc, const char **argv);
int cmd_config(int argc, const char **argv);
int cmd_regions(int argc, const char **argv);
int cmd_read(int argc, const char **argv);
int cmd_write(int argc, const char **argv);
int cmd_irqs(int argc, const char **argv);
int cmd_iommu(int argc, const char **argv);

/* The header every JSON report starts with: device, backend, group. */
void dump_json_begin(struct json *j, const struct vfio_dev *d);
void dump_json_end(struct json *j);

#endif
