/* The device filter options (-s -d -c -g -k), as a popt table shared by commands. */
#ifndef VFIO_ADMIN_FILTER_OPTIONS_H
#define VFIO_ADMIN_FILTER_OPTIONS_H

#include <popt.h>
#include <stdbool.h>

#include "pci/device_filter.h"

/*
 * Include with POPT_ARG_INCLUDE_TABLE; positional arguments count as -s. device_options
 * (-s -d -c) name devices for the commands that change them; filter_options adds -g, -k.
 */
extern struct poptOption device_options[];
extern struct poptOption filter_options[];
/* --sysroot FILE|DIR (snapshot/sysroot.h), for the commands that only read: list, groups, check, slots. */
extern struct poptOption sysroot_options[];

/*
 * Parses a command line whose popt table includes filter_options (flags that store into
 * variables are handled by popt); false after reporting an error.
 */
bool filter_parse_command_line(const char *name, int argc, const char **argv,
			       const struct poptOption *table, struct device_filter *f);

/* Every exact address and the --group exist; false after reporting. */
bool filter_check_devices(const struct device_filter *f, const struct pci_device_list *devices);

/*
 * The common start of a device command: parses the command line, enumerates the
 * devices, and checks that every exact address and the --group exist. False after
 * reporting (devices are then not loaded).
 */
bool filter_load_devices(int argc, const char **argv, const struct poptOption *table,
			 struct device_filter *f, struct pci_device_list *devices);

#endif
