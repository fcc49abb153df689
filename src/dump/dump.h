/* vfio-dump: the commands and what they share (options, opening a device). */
#ifndef VFIO_DUMP_DUMP_H
#define VFIO_DUMP_DUMP_H

#include <popt.h>
#include <stdbool.h>
#include <stddef.h>

#include "json.h"
#include "pci_config.h"
#include "vfio_backend.h"

int cmd_info(int argc, const char **argv);
int cmd_config(int argc, const char **argv);
int cmd_regions(int argc, const char **argv);
int cmd_read(int argc, const char **argv);
int cmd_write(int argc, const char **argv);
int cmd_irqs(int argc, const char **argv);
int cmd_iommu(int argc, const char **argv);

/* --json and --backend, set by dump_parse for every command. */
struct dump_common {
	int json;
	char *backend_text;
	enum vfio_backend_choice backend;
};
extern struct dump_common dump_common;
extern struct poptOption dump_common_options[];

#define DUMP_MAX_ARGS 4

struct dump_args {
	size_t n;
	char *arg[DUMP_MAX_ARGS];
};

/*
 * Parses a command line whose table includes dump_common_options; options with a val
 * go to on_option (may be NULL; false after reporting stops).  Exactly min..max
 * positional arguments (usage names them).  False after reporting a usage error.
 */
bool dump_parse(int argc, const char **argv, const struct poptOption *table, const char *usage,
		size_t min, size_t max, bool (*on_option)(int val, const char *arg), struct dump_args *args);
void dump_args_free(struct dump_args *args);

/*
 * Opens DEVICE (an address as typed) through VFIO: checks that it exists, is bound to
 * vfio-pci, has an IOMMU group whose other members are VFIO-safe, and that nobody else
 * holds the group.  False after reporting one line (the device is left untouched).
 */
bool dump_open(const char *device, struct vfio_dev *d);

/* The config region through the device fd: up to 4096 bytes, the rest 0xff; false after reporting. */
bool dump_read_config(const struct vfio_dev *d, struct pci_config *cfg);

/* The header every JSON report starts with: device, backend, group. */
void dump_json_begin(struct json *j, const struct vfio_dev *d);
void dump_json_end(struct json *j);

/* Parses an unsigned number (decimal, 0x hex, or 0 octal) up to max; false after reporting. */
bool dump_parse_u64(const char *what, const char *text, unsigned long long max, unsigned long long *out);

#endif
