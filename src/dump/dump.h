/* vfio-dump: the commands and what they share. */
#ifndef VFIO_DUMP_DUMP_H
#define VFIO_DUMP_DUMP_H

#include "util/json.h"
#include "tool/tool_options.h"
#include "vfio/vfio_backend.h"
#include "tool/vfio_open.h"

int cmd_info(int argc, const char **argv);
int cmd_config(int argc, const char **argv);
int cmd_regions(int argc, const char **argv);
int cmd_read(int argc, const char **argv);
int cmd_write(int argc, const char **argv);
int cmd_irqs(int argc, const char **argv);
int cmd_iommu(int argc, const char **argv);
int cmd_rom(int argc, const char **argv);

/*
 * The commands that take one DEVICE: parses [OPTIONS] DEVICE (options with a val go to
 * on_option, which may be NULL), opens the device, runs show, closes it.  0 when show
 * returns true, else 2 (show and the rest report their own errors).
 */
int dump_device_command(int argc, const char **argv, const struct poptOption *table,
			bool (*on_option)(int val, const char *arg), bool (*show)(const struct vfio_dev *d));

/* The header every JSON report starts with: device, backend, group. */
void dump_json_begin(struct json *j, const struct vfio_dev *d);
void dump_json_end(struct json *j);

#endif
