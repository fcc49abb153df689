#include <stdlib.h>

#include "tool/cli.h"
#include "filter_options.h"
#include "iommu/iommu_group.h"
#include "snapshot/sysroot.h"

enum {
	OPT_SLOT = 's',
	OPT_ID = 'd',
	OPT_CLASS = 'c',
	OPT_GROUP = 'g',
	OPT_DRIVER = 'k',
	OPT_SYSROOT = 0x2001,
};

/* What names devices: for the commands that change them. */
struct poptOption device_options[] = {
	{ "slot", 's', POPT_ARG_STRING, NULL, OPT_SLOT,
	  "Devices at this address or glob (repeatable)", "ADDRESS|GLOB" },
	{ "id", 'd', POPT_ARG_STRING, NULL, OPT_ID,
	  "Devices with these ids (either side may be empty)", "VENDOR:DEVICE" },
	{ "class", 'c', POPT_ARG_STRING, NULL, OPT_CLASS,
	  "Devices of this class: network, storage, display, multimedia, bridge, serial, "
	  "accelerator, nvme, ethernet, vga, usb, audio, ... or 2, 4 or 6 hex digits", "NAME|HEX" },
	POPT_TABLEEND
};

struct poptOption filter_options[] = {
	{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, device_options, 0, NULL, NULL },
	{ "group", 'g', POPT_ARG_STRING, NULL, OPT_GROUP, "Devices in this IOMMU group", "N" },
	{ "driver", 'k', POPT_ARG_STRING, NULL, OPT_DRIVER,
	  "Devices bound to this driver ('none': driverless)", "NAME" },
	POPT_TABLEEND
};

struct poptOption sysroot_options[] = {
	{ "sysroot", '\0', POPT_ARG_STRING, NULL, OPT_SYSROOT,
	  "Analyse a snapshot (vfio-admin snapshot) or a root directory instead of this machine", "FILE|DIR" },
	POPT_TABLEEND
};

static bool filter_option_handles(int val)
{
	return val == OPT_SLOT || val == OPT_ID || val == OPT_CLASS ||
	       val == OPT_GROUP || val == OPT_DRIVER || val == OPT_SYSROOT;
}

static bool filter_option_apply(struct device_filter *f, int val, const char *arg)
{
	switch (val) {
	case OPT_SLOT:
		return device_filter_add_selector(f, arg);
	case OPT_ID:
		return device_filter_set_id(f, arg);
	case OPT_CLASS:
		return device_filter_set_class(f, arg);
	case OPT_GROUP:
		return device_filter_set_group(f, arg);
	case OPT_DRIVER:
		return device_filter_set_driver(f, arg);
	case OPT_SYSROOT:
		return sysroot_open(arg);
	default:
		return false;
	}
}

static bool filter_add_positional(struct device_filter *f, poptContext ctx)
{
	const char *arg;

	while ((arg = poptGetArg(ctx)))
		if (!device_filter_add_selector(f, arg))
			return false;
	return true;
}

bool filter_parse_command_line(const char *name, int argc, const char **argv,
			       const struct poptOption *table, struct device_filter *f)
{
	poptContext ctx = poptGetContext(name, argc, argv, table, 0);

	bool ok = true;
	int val;

	poptSetOtherOptionHelp(ctx, "[OPTIONS] [ADDRESS|GLOB...]");
	while (ok && (val = cli_next_option(ctx)) != 0) {
		if (val < 0 || !filter_option_handles(val))
			ok = false;
		else {
			char *arg = poptGetOptArg(ctx);

			ok = filter_option_apply(f, val, arg ? arg : "");
			free(arg);
		}
	}
	if (ok)
		ok = filter_add_positional(f, ctx);
	poptFreeContext(ctx);
	return ok;
}

bool filter_check_devices(const struct device_filter *f, const struct pci_device_list *devices)
{
	return device_filter_check_exact(f, devices) && (f->group < 0 || iommu_group_check_exists(f->group));
}

bool filter_load_devices(int argc, const char **argv, const struct poptOption *table,
			 struct device_filter *f, struct pci_device_list *devices)
{
	if (!filter_parse_command_line(cli_command_path(), argc, argv, table, f) ||
	    !pci_device_list_load(devices))
		return false;
	if (filter_check_devices(f, devices))
		return true;
	pci_device_list_free(devices);
	return false;
}
